"""`./course set-repo URL [--tag TAG]` and `./course release TAG`: keep the links in agreement.

The course repository and the git ref that learners install are written once, in
pyproject.toml (``[project.urls] Repository`` and ``[tool.course] ref``). From them:
- every lesson's Colab badge: https://colab.research.google.com/github/OWNER/REPO/blob/REF/lessons/NAME
- every lesson's install block (the start of its first code cell, up to ``import aehelpers``):
  four lines that install ``aehelpers @ git+https://github.com/OWNER/REPO@REF`` wherever
  aehelpers is missing. The restart check that follows an install runs in ``import aehelpers``
  itself (aehelpers/_restart.py), so the cell stays short and reads the same on Colab, Kaggle
  and JupyterLab (a collapsed cell would depend on each front end's metadata: Colab's
  ``cellView: form`` needs a ``#@title`` form, Kaggle honours neither it nor Jupyter's
  ``source_hidden``);
- the repository address in README.md.

Everything is rewritten with literal string replacement in Python (no sed), idempotently;
pyproject.toml and every notebook are parsed again before anything is written, and nothing is
written if one of them fails. Standard library only (runs before the course's venv exists).
"""

import json
import os
import re
import stat
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OWNER = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"  # GitHub's user/org rule
REPO = r"[A-Za-z0-9._-]{1,100}"
URL_RE = re.compile(rf"https://github\.com/({OWNER})/({REPO}?)(?:\.git)?/?")
REF_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
TAG_RE = re.compile(r"v?(\d+\.\d+(?:\.\d+)?(?:(?:a|b|rc)\d+)?)")
BADGE_RE = re.compile(
    r"https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/blob/[^/\s)]+/lessons/"
)

BLOCK_START = "# Colab, Kaggle, Binder: install the course helpers where they are missing (the course's release)."
BLOCK_END_PREFIX = '    %pip install -q "aehelpers @ git+'
# The install block's earlier long form (the restart check written out in the cell): dropped whole.
LONG_START = (
    "# Install the course helpers where they are missing (Colab, Kaggle, Binder, a bare Jupyter)."
)
LONG_END = '    print("aehelpers installed; no restart needed.")'
# Lines of the install cell's earlier form (Colab only), dropped when a cell is rewritten.
OLD_FORM = (
    re.compile(r"import sys\s*"),
    re.compile(r"if \"google\.colab\" in sys\.modules:.*"),
    re.compile(r"\s+%pip install .*aehelpers.*"),
)


class LinkError(Exception):
    """A bad argument or a file that would not parse: nothing was written."""


def parse_repo_url(url):
    """'https://github.com/OWNER/REPO[.git][/]' -> 'https://github.com/OWNER/REPO', or LinkError."""
    if not isinstance(url, str):
        raise LinkError(f"expected a URL string, got {type(url).__name__}")
    match = URL_RE.fullmatch(url.strip())
    if not match or match.group(2) in {".", ".."} or match.group(2).endswith(".git"):
        raise LinkError(
            f"{url!r} is not a GitHub repository URL; expected https://github.com/OWNER/REPO "
            "(OWNER: letters, digits and single hyphens, up to 39; REPO: letters, digits, '.', '-', '_')"
        )
    return f"https://github.com/{match.group(1)}/{match.group(2)}"


def check_ref(ref):
    if (
        not isinstance(ref, str)
        or not REF_RE.fullmatch(ref)
        or ".." in ref
        or ref.endswith((".", ".lock"))
    ):
        raise LinkError(
            f"{ref!r} is not a usable git tag or branch name (letters, digits, '.', '-', '_')"
        )
    return ref


def install_block(url, ref):
    """The canonical start of every lesson's first code cell (ends with a newline).

    ``import aehelpers as ae`` follows it in the cell; that import stops with "RESTART NEEDED"
    when the install replaced a package the session had already loaded (aehelpers/_restart.py).
    """
    return f"""{BLOCK_START}
import importlib.util

if importlib.util.find_spec("aehelpers") is None:
{BLOCK_END_PREFIX}{url}@{ref}"
"""


def badge_url(url, ref, lesson_name):
    slug = url.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{slug}/blob/{ref}/lessons/{lesson_name}"


def _source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _set_source(cell, text):
    cell["source"] = text.splitlines(keepends=True)


def rewrite_setup_cell(code, url, ref, where="cell"):
    """Replace the install block before ``import aehelpers as ae``, keeping every other line."""
    lines = code.splitlines(keepends=True)
    try:
        cut = next(i for i, line in enumerate(lines) if line.startswith("import aehelpers as ae"))
    except StopIteration:
        raise LinkError(
            f"{where}: the first code cell has no line 'import aehelpers as ae'"
        ) from None
    head, rest = lines[:cut], lines[cut:]
    for first, is_last, last_said in (
        (BLOCK_START, lambda line: line.startswith(BLOCK_END_PREFIX), BLOCK_END_PREFIX),
        (LONG_START, lambda line: line == LONG_END + "\n", LONG_END),
    ):
        if first + "\n" not in head:
            continue
        start = head.index(first + "\n")  # the current (or the long) form: drop it whole
        end = next((i for i in range(start + 1, len(head)) if is_last(head[i])), None)
        if end is None:
            raise LinkError(f"{where}: the install block is incomplete (no '{last_said.strip()}')")
        head = head[:start] + head[end + 1 :]
    kept = [line for line in head if not any(p.fullmatch(line.rstrip("\n")) for p in OLD_FORM)]
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    if any("%pip" in line or "!pip" in line for line in kept):
        raise LinkError(f"{where}: an install line the rewrite does not know: {''.join(kept)!r}")
    middle = "".join(kept) + "\n" if kept else ""  # kept lines, then one blank line
    return install_block(url, ref) + "\n" + middle + "".join(rest)


def rewrite_notebook_text(text, name, url, ref):
    """The notebook's JSON text with badge and install block pointing at url@ref."""
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as err:
        raise LinkError(f"{name}: not valid JSON ({err}); nothing was written") from None
    cells = nb.get("cells", [])
    if not cells or cells[0].get("cell_type") != "markdown":
        raise LinkError(f"{name}: the first cell should be the markdown title with the Colab badge")
    md = _source(cells[0])
    if not BADGE_RE.search(md):
        raise LinkError(
            f"{name}: no Colab badge (https://colab.research.google.com/github/...) in the first cell"
        )
    md = re.sub(BADGE_RE.pattern + r"[^\s)]+", badge_url(url, ref, name), md)
    _set_source(cells[0], md)
    code = next((c for c in cells if c.get("cell_type") == "code"), None)
    if code is None:
        raise LinkError(f"{name}: no code cell")
    _set_source(code, rewrite_setup_cell(_source(code), url, ref, where=name))
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def read_links(root=ROOT):
    """(repository URL, ref) as pyproject.toml states them."""
    meta = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return meta["project"]["urls"]["Repository"], meta.get("tool", {}).get("course", {}).get(
        "ref", "main"
    )


def _replace_toml_value(text, key, value):
    pattern = re.compile(rf'^{re.escape(key)} = "[^"\n]*"', re.M)
    if len(pattern.findall(text)) != 1:
        raise LinkError(f"pyproject.toml: expected exactly one line '{key} = \"...\"'")
    return pattern.sub(lambda _: f'{key} = "{value}"', text)


def plan(root, url, ref, version=None):
    """{path: new text} for every file whose text changes; raises LinkError before any write."""
    old_url, _ = read_links(root)
    changes = {}
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    new = _replace_toml_value(pyproject, "Repository", url)
    new = _replace_toml_value(new, "ref", ref)
    if version is not None:
        new = _replace_toml_value(new, "version", version)
    try:
        meta = tomllib.loads(new)
    except tomllib.TOMLDecodeError as err:
        raise LinkError(f"pyproject.toml would not parse after the rewrite ({err})") from None
    if meta["project"]["urls"]["Repository"] != url or meta["tool"]["course"]["ref"] != ref:
        raise LinkError("pyproject.toml: the rewrite did not take (Repository / [tool.course] ref)")
    changes[root / "pyproject.toml"] = new
    readme = root / "README.md"
    if readme.is_file():
        text = readme.read_text(encoding="utf-8")
        changes[readme] = text.replace(old_url, url)
    lessons = sorted((root / "lessons").glob("*.ipynb"))
    if not lessons:
        raise LinkError(f"no lessons in {root / 'lessons'}")
    for path in lessons:
        text = path.read_text(encoding="utf-8")
        new_text = rewrite_notebook_text(text, path.name, url, ref)
        if rewrite_notebook_text(new_text, path.name, url, ref) != new_text:
            raise LinkError(f"{path.name}: the rewrite is not stable; nothing was written")
        _validate_notebook(new_text, path.name)
        changes[path] = new_text
    return {p: t for p, t in changes.items() if p.read_text(encoding="utf-8") != t}


def _validate_notebook(text, name):
    try:
        import nbformat
    except ImportError:  # json.loads above already checked the syntax
        return
    try:
        nbformat.validate(nbformat.reads(text, as_version=4))
    except Exception as err:  # nbformat raises several kinds
        raise LinkError(
            f"{name}: not a valid notebook after the rewrite ({err}); nothing was written"
        ) from None


def apply(changes):
    """Write each file through a new temp file in its folder (``mkstemp``: never through a symlink
    planted at a temp name) and a rename. An I/O error stops with a LinkError that says what was
    rewritten and that a rerun completes the rewrite (it is idempotent)."""
    done = []
    for path, text in changes.items():
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".course-tmp"
            )
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
            os.replace(tmp, path)
            tmp = None
        except OSError as err:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            raise LinkError(
                f"{path.name} could not be written ({type(err).__name__}: {err}); rewrote {len(done)} of "
                f"{len(changes)} files"
                + (f" ({', '.join(done)})" if done else "")
                + ". Fix the cause "
                "and run the same command again: a rerun completes the rewrite."
            ) from None
        done.append(path.name)


def main(argv, root=ROOT):
    usage = (
        "usage: ./course set-repo https://github.com/OWNER/REPO [--tag TAG]\n"
        "       ./course release TAG      (e.g. v0.2.0: sets the version, badges and install cells)"
    )
    try:
        if (
            len(argv) >= 2
            and argv[0] == "set-repo"
            and (len(argv) == 2 or (len(argv) == 4 and argv[2] == "--tag"))
        ):
            url = parse_repo_url(argv[1])
            ref = check_ref(argv[3]) if len(argv) == 4 else read_links(root)[1]
            version = None
        elif len(argv) == 2 and argv[0] == "release":
            match = TAG_RE.fullmatch(argv[1])
            if not match:
                raise LinkError(
                    f"{argv[1]!r} is not a release tag; expected vMAJOR.MINOR[.PATCH], e.g. v0.2.0"
                )
            url, ref, version = read_links(root)[0], argv[1], match.group(1)
        else:
            print(usage, file=sys.stderr)
            return 2
        changes = plan(root, url, ref, version)
        apply(changes)
    except LinkError as err:
        print(f"[course] {err}", file=sys.stderr)
        return 2
    names = ", ".join(sorted(p.name for p in changes)) or "nothing (already in agreement)"
    print(f"[course] repository {url}, ref {ref}" + (f", version {version}" if version else ""))
    print(f"[course] rewrote: {names}")
    if argv[0] == "release":
        print(
            f"[course] next: commit, then `git tag {ref} && git push origin HEAD {ref}`: the badges "
            "and install cells point at that tag, so it must exist on GitHub."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
