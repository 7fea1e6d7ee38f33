"""Structure of every lesson: the conventions of COURSE.md, checked without running them.

(nbval runs the lessons themselves; this file checks what a learner sees first.)
"""

import re
import tomllib
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
REPO_URL = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
REPO_SLUG = REPO_URL.removeprefix("https://github.com/")


def _cells(path):
    return nbformat.read(path, as_version=4).cells


def _text(path, kind):
    return "\n".join(c.source for c in _cells(path) if c.cell_type == kind)


def test_there_are_lessons():
    assert [p.name[:2] for p in LESSONS][:2] == ["00", "01"]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
class TestLesson:
    def test_name_is_number_and_topic(self, path):
        assert re.fullmatch(r"\d\d[a-z]?_[a-z0-9_]+\.ipynb", path.name)

    def test_title_badge_and_goals_come_first(self, path):
        first = _cells(path)[0]
        assert first.cell_type == "markdown" and first.source.startswith(f"# {path.name.split('_')[0]} ")
        badge = f"https://colab.research.google.com/github/{REPO_SLUG}/blob/main/lessons/{path.name}"
        assert badge in first.source, f"Colab badge should point to {badge}"
        assert "Learning goals" in first.source

    def test_setup_cell_installs_on_colab_and_names_the_lesson(self, path):
        code = [c.source for c in _cells(path) if c.cell_type == "code"][0]
        assert f'%pip install -q "aehelpers @ git+{REPO_URL}"' in code
        assert re.search(rf'ae\.setup\(seed=\d+, lesson="{path.stem}"\)', code)

    def test_has_claims_records_exercises_and_summary(self, path):
        code, prose = _text(path, "code"), _text(path, "markdown")
        assert re.search(r"^\s*assert ", code, re.M), "claims must be asserted"
        assert "ae.record(" in code, "headline numbers go through ae.record"
        assert "ae.budget(" in code, "budgets go through ae.budget"
        assert f"from aehelpers.exercises import lesson{path.name.split('_')[0]} as ex" in code
        assert "## Exercises" in prose and "## Summary" in prose

    def test_is_committed_without_outputs(self, path):
        for cell in _cells(path):
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None
