"""`./course set-repo` and `./course release` (tools/course_links.py): strict, literal, all-or-nothing."""

import importlib.metadata
import importlib.util
import json
import shutil
import tomllib
import types
from pathlib import Path

import pytest

from tools import course_links as links

pytestmark = pytest.mark.tooling  # backend-independent: runs once, in the TensorFlow stage

ROOT = Path(__file__).resolve().parents[1]

LESSON = {
    "cells": [
        {
            "cell_type": "markdown",
            "id": "a1",
            "metadata": {},
            "source": [
                "# 01 · A lesson\n",
                "\n",
                "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
                "(https://colab.research.google.com/github/old-owner/old-repo/blob/main/lessons/01_a.ipynb)\n",
            ],
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "a2",
            "metadata": {},
            "outputs": [],
            "source": [
                "import os\n",
                "import sys\n",
                "\n",
                'os.environ["KERAS_BACKEND"] = "jax"\n',
                "\n",
                'if "google.colab" in sys.modules:  # on Colab\n',
                '    %pip install -q "aehelpers @ git+https://github.com/old-owner/old-repo"\n',
                "\n",
                "import aehelpers as ae\n",
                "\n",
                'ae.setup(seed=1, lesson="01_a")\n',
                "\n",
                "import keras",
            ],
        },
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture
def repo(tmp_path):
    """A copy of what set-repo touches: pyproject.toml, README.md and two lessons."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    old = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    (tmp_path / "README.md").write_text(f"Clone {old} and run ./course lab.\n")
    (tmp_path / "lessons").mkdir()
    for name in ("01_a.ipynb", "02_b.ipynb"):
        nb = json.loads(json.dumps(LESSON).replace("01_a", name[:-6]))
        (tmp_path / "lessons" / name).write_text(json.dumps(nb, sort_keys=True, indent=1) + "\n")
    return tmp_path


def _snapshot(root):
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://github.com/me/my-course", "https://github.com/me/my-course"),
        ("https://github.com/me/my-course.git", "https://github.com/me/my-course"),
        ("https://github.com/Me-2/my_course.v2/", "https://github.com/Me-2/my_course.v2"),
    ],
)
def test_repo_url_is_normalised(url, expected):
    assert links.parse_repo_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://github.com/me/repo",
        "https://gitlab.com/me/repo",
        "https://github.com/me",
        "https://github.com/me/repo/tree/main",
        "https://github.com/-me/repo",
        "https://github.com/m_e/repo",
        "https://github.com/me/re po",
        'https://github.com/me/repo"; rm -rf /',
        "https://github.com/me/..",
        "https://github.com/me/repo.git.git",
        "github.com/me/repo",
        "https://github.com/me--x/repo",
        "",
    ],
)
def test_bad_repo_urls_are_refused_and_nothing_changes(repo, url, capsys):
    before = _snapshot(repo)
    assert links.main(["set-repo", url], root=repo) == 2
    assert "expected https://github.com/OWNER/REPO" in capsys.readouterr().err
    assert _snapshot(repo) == before


def test_set_repo_rewrites_badges_install_cells_pyproject_and_readme(repo):
    assert (
        links.main(["set-repo", "https://github.com/me/course2.git", "--tag", "v1.2.0"], root=repo)
        == 0
    )
    assert links.read_links(repo) == ("https://github.com/me/course2", "v1.2.0")
    assert "Clone https://github.com/me/course2 and" in (repo / "README.md").read_text()
    nb = json.loads((repo / "lessons" / "01_a.ipynb").read_text())
    badge = "https://colab.research.google.com/github/me/course2/blob/v1.2.0/lessons/01_a.ipynb"
    assert badge in "".join(nb["cells"][0]["source"])
    code = "".join(nb["cells"][1]["source"])
    assert code.startswith(links.install_block("https://github.com/me/course2", "v1.2.0"))
    assert code.count("%pip install") == 1 and "old-owner" not in code
    # everything else in the cell is kept, in order: the backend pin before the import
    assert code.index('os.environ["KERAS_BACKEND"] = "jax"') < code.index("import aehelpers as ae")
    assert code.endswith(
        'import aehelpers as ae\n\nae.setup(seed=1, lesson="01_a")\n\nimport keras'
    )


def test_set_repo_is_idempotent(repo):
    args = ["set-repo", "https://github.com/me/course2", "--tag", "v1.2.0"]
    assert links.main(args, root=repo) == 0
    after = _snapshot(repo)
    assert links.main(args, root=repo) == 0
    assert _snapshot(repo) == after


def test_release_sets_version_ref_and_keeps_the_repository(repo):
    url = links.read_links(repo)[0]
    assert links.main(["release", "v0.3.1"], root=repo) == 0
    meta = tomllib.loads((repo / "pyproject.toml").read_text())
    assert meta["project"]["version"] == "0.3.1" and meta["tool"]["course"]["ref"] == "v0.3.1"
    assert f"git+{url}@v0.3.1" in (repo / "lessons" / "02_b.ipynb").read_text()


@pytest.mark.parametrize("tag", ["latest", "v1", "1.2.3; echo", "v1.2.3.4.5"])
def test_release_refuses_a_tag_that_is_not_a_version(repo, tag):
    before = _snapshot(repo)
    assert links.main(["release", tag], root=repo) == 2
    assert _snapshot(repo) == before


def test_a_broken_notebook_stops_the_rewrite_before_anything_is_written(repo, capsys):
    (repo / "lessons" / "02_b.ipynb").write_text('{"cells": [')
    before = _snapshot(repo)
    assert links.main(["set-repo", "https://github.com/me/course2"], root=repo) == 2
    assert "02_b.ipynb: not valid JSON" in capsys.readouterr().err
    assert _snapshot(repo) == before  # 01_a and pyproject untouched too


def test_an_unknown_install_line_is_refused(repo):
    path = repo / "lessons" / "01_a.ipynb"
    path.write_text(path.read_text().replace("import os\\n", "!pip install aehelpers\\n"))
    before = _snapshot(repo)
    assert links.main(["set-repo", "https://github.com/me/course2"], root=repo) == 2
    assert _snapshot(repo) == before


def _run_install_block(monkeypatch, capsys):
    """Execute the install block as the kernel would, with aehelpers 'missing' and pip a no-op."""
    code = links.install_block("https://github.com/me/c", "v1.0.0")
    code = "\n".join("    pass" if "%pip" in line else line for line in code.splitlines())
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    exec(compile(code, "install-cell", "exec"), {})
    return capsys.readouterr().out


def test_install_block_is_four_short_lines_pinned_to_the_ref(monkeypatch, capsys):
    code = links.install_block("https://github.com/me/c", "v1.0.0")
    lines = [line for line in code.splitlines() if line.strip()]
    assert len(lines) == 4 and max(map(len, lines)) <= 100, lines
    assert lines[-1] == '    %pip install -q "aehelpers @ git+https://github.com/me/c@v1.0.0"'
    assert _run_install_block(monkeypatch, capsys) == ""  # quiet; the import that follows checks


def test_a_lesson_in_the_long_install_form_gets_the_short_one(repo):
    long_form = [
        links.LONG_START + "\n",
        "import importlib.util\n",
        "\n",
        'if importlib.util.find_spec("aehelpers") is None:\n',
        '    %pip install -q "aehelpers @ git+https://github.com/old-owner/old-repo@main"\n',
        "    stale = []\n",
        links.LONG_END + "\n",
        "\n",
        "import aehelpers as ae\n",
        "\n",
        'ae.setup(seed=1, lesson="01_a")\n',
    ]
    path = repo / "lessons" / "01_a.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][1]["source"] = long_form
    path.write_text(json.dumps(nb))
    assert links.main(["set-repo", "https://github.com/me/course2"], root=repo) == 0
    code = "".join(json.loads(path.read_text())["cells"][1]["source"])
    assert code == links.install_block(
        "https://github.com/me/course2", links.read_links(repo)[1]
    ) + ('\nimport aehelpers as ae\n\nae.setup(seed=1, lesson="01_a")\n')


def test_import_says_no_restart_when_loaded_versions_are_unchanged():
    from aehelpers import _restart

    assert _restart.stale_packages() == []  # this session's numpy, keras... are the installed ones
    _restart.check_restart()


def test_import_stops_and_asks_for_a_restart_when_numpy_changed():
    from aehelpers import _restart

    installed = importlib.metadata.version("numpy")
    loaded = {"numpy": types.SimpleNamespace(__version__="1.0.0")}
    assert _restart.stale_packages(loaded) == [f"numpy 1.0.0 -> {installed}"]
    with pytest.raises(
        _restart.RestartNeeded, match=r"RESTART NEEDED.*numpy 1\.0\.0 -> .*Restart session"
    ):
        _restart.check_restart(loaded)
