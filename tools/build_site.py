"""Stage and build the course website: `./course site [--fast]` runs this after executing the lessons.

    .venv/bin/python -m tools.build_site --mode fast|full --results RESULTS.jsonl

Stages ``build/site-src/`` from the executed lessons in ``build/executed/<mode>/`` (every lesson
must be there: ``python -m tools.execute_lessons`` makes them), then runs ``sphinx-build -W --keep-going``
into ``build/site/``. Pages: a home page with the course map (each lesson's title, learning goals
and lab time), one page per lesson with "Open in Colab" and "download the lesson" links and each
exercise's reference solution folded under its check cell and every figure with alt text from the
lesson (add_alt_texts), and a results page (``tools.results.page``). Sphinx's configuration and
the favicon are in ``site/``.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from aehelpers.results import executed_dir, load, results_path
from tools import results as results_table
from tools.course_links import BADGE_RE, badge_url, read_links

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "site"  # Sphinx's conf.py and the favicon

BADGE_MD = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\(" + BADGE_RE.pattern + r"[^)\s]+\)")
EX_MODULE = re.compile(r"from aehelpers\.exercises import (lesson\w+) as (\w+)")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def lesson_sources():
    return sorted((ROOT / "lessons").glob("[0-9]*.ipynb"))


def title_and_goals(nb):
    """(title, learning-goals markdown) from a lesson's first cell."""
    text = nb.cells[0].source
    title = next(
        (line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "untitled"
    )
    goals = ""
    if "**Learning goals.**" in text:
        goals = text.split("**Learning goals.**", 1)[1]
        goals = re.split(r"\n\s*(?:About \d|\*\*Lab time: )", goals)[
            0
        ].strip()  # the header's lab time ends them
    return title, goals


def solution_cells(nb):
    """{code cell index: [(exercise name, title, solution code)]} for every ``ex.qN.check(`` cell."""
    from aehelpers.exercises import solution_code

    modules, found = {}, {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for module, alias in EX_MODULE.findall(cell.source):
            modules[alias] = __import__(f"aehelpers.exercises.{module}", fromlist=["x"])
        for alias, module in modules.items():
            for q in re.findall(rf"^\s*{alias}\.(q\w+)\.check\(", cell.source, re.M):
                exercise = getattr(module, q)
                found.setdefault(i, []).append(
                    (q, exercise.title, solution_code(exercise._solution))
                )
    return found


TITLE_RE = re.compile(
    r"""(?:\btitle\s*=\s*|\.suptitle\(\s*|\.set_title\(\s*)(f?)("[^"\n]+"|'[^'\n]+')"""
)
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml")


def _plain(markdown):
    """Markdown and LaTeX reduced to readable text for an alt attribute."""
    text = re.sub(r"\$+([^$]*)\$+", r"\1", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`#>]|<[^>]+>|\\(?=[A-Za-z])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def figure_alt(cell, previous_markdown):
    """Alt text for a figure cell's images, from the lesson: its ``alt`` metadata when given, else
    the figure's own title in the code (a value the run computes shown as "…"), then the lesson's
    sentence that introduces it (the last full sentence of the markdown just before the cell)."""
    if isinstance(cell.metadata.get("alt"), str) and cell.metadata["alt"].strip():
        return cell.metadata["alt"].strip()
    parts = []
    for is_f, literal in TITLE_RE.findall(cell.source):
        title = literal[1:-1]
        if is_f:
            title = re.sub(r"\{[^{}]*\}", "…", title)  # a value computed in the run
        parts.append(title)
    context = _plain(previous_markdown or "")
    sentences = [t.strip("() ") for t in re.split(r"(?<=[.?!])\s", context)]
    sentence = next((t for t in reversed(sentences) if len(t.split()) >= 5), "")
    alt = "Figure: " + "; ".join(parts) if parts else "Figure"
    if sentence:
        alt += f" ({sentence[:240]})"
    return alt


def add_alt_texts(nb):
    """Give every code cell that shows an image its alt text (myst-nb's cell metadata
    ``mystnb.image.alt``); returns how many cells got one."""
    previous, count = "", 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            previous = cell.source
            continue
        if any(
            mime in out.get("data", {}) for out in cell.get("outputs", []) for mime in IMAGE_MIMES
        ):
            options = cell.metadata.setdefault("mystnb", {}).setdefault("image", {})
            options["alt"] = figure_alt(cell, previous)
            count += 1
    return count


def stage_lesson(executed, source, out_dir, url, ref):
    """The executed lesson, made into a page: links instead of the badge, solutions folded."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    links = (
        f"[Open in Colab]({badge_url(url, ref, source.name)}) · "
        f"{{download}}`download the lesson <../downloads/{source.name}>`"
    )
    first = nb.cells[0]
    first.source, n = BADGE_MD.subn(links, first.source)
    if n == 0:
        first.source += "\n\n" + links
    nb.metadata.pop("widgets", None)  # saved widget state makes the page load widget JS from a CDN
    for cell in nb.cells:  # widgets need a live kernel: keep their text/image fallback only
        for out in cell.get("outputs", []):
            out.get("data", {}).pop(WIDGET_MIME, None)
    add_alt_texts(nb)
    solutions = solution_cells(nb)
    cells = []
    for i, cell in enumerate(nb.cells):
        cells.append(cell)
        for _, title, code in solutions.get(i, []):
            cells.append(
                nbformat.v4.new_markdown_cell(
                    f"````{{dropdown}} Reference solution: {title}\n```python\n{code}\n```\n````"
                )
            )
    nb.cells = cells
    nbformat.write(nb, str(out_dir / "lessons" / source.name))
    return sum(len(s) for s in solutions.values())


def lesson_timings(results):
    """{lesson stem: wall seconds} from the results file's lesson_wall_s rows ({} when there is no file)."""
    if not results.is_file():
        return {}
    return {
        lesson: float(seconds) for lesson, seconds in results_table.timings(load(results)).items()
    }


def home_page(entries, mode, timings):
    lines = [
        "# Autoencoders in Keras",
        "",
        "A hands-on course: every lesson below is a Jupyter notebook, shown here as it ran, with its figures, "
        "numbers and exercises (reference solutions folded). Open one in Colab, or download it and run it "
        "with `./course lab`.",
        "",
    ]
    if mode == "fast":
        lines += [
            "```{note}",
            "This is a **fast-mode** build: the lab times and numbers are from shortened runs.",
            "```",
            "",
        ]
    lines += ["## Course map", ""]
    for stem, title, goals in entries:
        secs = timings.get(stem)
        when = f"{secs / 60:.1f} min" if secs is not None else "not recorded"
        lines += [
            f"### {{doc}}`{title} <lessons/{stem}>`",
            "",
            f"*Lab time: {when} ({mode}-mode run; the machine is named on the results page).*",
            "",
        ]
        if goals:
            lines += ["**Learning goals.**", goals, ""]
    lines += ["```{toctree}", ":hidden:", ":caption: Lessons", ""]
    lines += [f"lessons/{stem}" for stem, _, _ in entries]
    lines += ["```", "", "```{toctree}", ":hidden:", ":caption: Results", "", "results", "```", ""]
    return "\n".join(lines)


def results_page(results, mode, out):
    """Write ``out/results.md``: every record of ``results`` (``tools.results.page``), or a note that
    no lesson recorded any yet."""
    if results.is_file():
        text = results_table.page(load(results), results)
    else:
        text = (
            "# Results\n\nNo results file at this build ("
            + results.name
            + "): the results table (every "
            "`ae.record(...)` of every lesson) appears here once the lessons run with AEHELPERS_RESULTS set.\n"
        )
    if mode == "fast":
        text = (
            text.rstrip()
            + "\n\n```{note}\nFast-mode numbers (AEHELPERS_FAST=1), not the course's full runs.\n```\n"
        )
    (out / "results.md").write_text(text, encoding="utf-8")


def stage(mode, results, src, only=None):
    import nbformat

    executed = executed_dir(ROOT, mode)
    if src.exists():
        shutil.rmtree(src)
    (src / "lessons").mkdir(parents=True)
    (src / "downloads").mkdir()
    url, ref = read_links(ROOT)
    for name in ("conf.py", "favicon.svg"):
        shutil.copy(HERE / name, src / name)
    (src / "course-build.json").write_text(
        json.dumps({"mode": mode, "repository": url, "ref": ref}), encoding="utf-8"
    )
    entries, n_solutions = [], 0
    for source in lesson_sources():
        if only and not any(source.stem.startswith(x) for x in only):
            continue
        copy = executed / source.name
        if not copy.is_file():
            raise SystemExit(
                f"[site] {copy} is missing: run `python -m tools.execute_lessons --{mode}` first"
            )
        shutil.copy(source, src / "downloads" / source.name)
        n_solutions += stage_lesson(copy, source, src, url, ref)
        title, goals = title_and_goals(nbformat.read(str(source), as_version=4))
        entries.append((source.stem, title, goals))
    (src / "index.md").write_text(
        home_page(entries, mode, lesson_timings(results)), encoding="utf-8"
    )
    results_page(results, mode, src)
    return len(entries), n_solutions


def pick_results(mode):
    """The results the pages show: for the full build, the committed results/full-cpu.jsonl when it
    is up to date (no lesson was executed after it was written), else this build's own rows."""
    own = results_path(ROOT, mode)
    committed = ROOT / "results" / "full-cpu.jsonl"
    if mode == "full" and committed.is_file():
        executed = list(own.parent.glob("*.ipynb"))
        if all(p.stat().st_mtime <= committed.stat().st_mtime for p in executed):
            return committed
    return own


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("fast", "full"), required=True)
    parser.add_argument(
        "--results",
        type=Path,
        help="the results JSON lines the pages show (default: see pick_results)",
    )
    parser.add_argument("--src", type=Path, default=ROOT / "build" / "site-src")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument(
        "--lessons",
        nargs="+",
        metavar="NN",
        help="only these lessons (a partial site, for development)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    results = (args.results or pick_results(args.mode)).resolve()
    print(
        f"[site] {args.mode} build; results from {results.relative_to(ROOT) if results.is_relative_to(ROOT) else results}",
        flush=True,
    )
    n_lessons, n_solutions = stage(args.mode, results, args.src, args.lessons)
    print(
        f"[site] staged {n_lessons} lessons ({n_solutions} folded solutions) into {args.src}",
        flush=True,
    )
    if args.out.exists():
        shutil.rmtree(args.out)
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        str(args.src),
        str(args.out),
    ]
    rc = subprocess.run(cmd).returncode
    if rc:
        print(f"[site] sphinx-build failed (exit {rc}); warnings fail the build", file=sys.stderr)
        return rc
    pages = len(list(args.out.rglob("*.html")))
    print(
        f"[site] built {args.out} ({pages} HTML files) in {time.perf_counter() - start:.0f} s",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
