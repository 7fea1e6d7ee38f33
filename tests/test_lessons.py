"""Structure of every lesson: the conventions of COURSE.md, checked without running them.

(nbval runs the lessons themselves; this file checks what a learner sees first.)
"""

import re
from pathlib import Path

import nbformat
import pytest

from tools import course_links as links
from tools.lessons import lesson_backends

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
REPO_URL, REF = links.read_links(
    ROOT
)  # pyproject.toml: [project.urls] Repository, [tool.course] ref
REWRITE = "./course set-repo " + REPO_URL  # what brings a lesson back in line


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
        assert first.cell_type == "markdown" and first.source.startswith(
            f"# {path.name.split('_')[0]} "
        )
        badge = links.badge_url(REPO_URL, REF, path.name)
        assert badge in first.source, f"Colab badge should point to {badge} (run {REWRITE})"
        assert "Learning goals" in first.source

    def test_setup_cell_installs_where_missing_at_the_release_and_names_the_lesson(self, path):
        code = [c.source for c in _cells(path) if c.cell_type == "code"][0]
        assert code.startswith(links.install_block(REPO_URL, REF)), (
            f"the first code cell should start with the install block for {REPO_URL}@{REF} (run {REWRITE})"
        )
        assert code.count("%pip install") == 1
        assert re.search(
            rf'^ae\.setup\(seed=\d+, lesson="{path.stem}"(, backends=\([^)]*\))?\)', code, re.M
        )

    def test_has_claims_records_exercises_and_summary(self, path):
        code, prose = _text(path, "code"), _text(path, "markdown")
        assert re.search(r"^\s*assert ", code, re.M), "claims must be asserted"
        assert "ae.record(" in code, "headline numbers go through ae.record"
        assert "ae.budget(" in code, "budgets go through ae.budget"
        assert f"from aehelpers.exercises import lesson{path.name.split('_')[0]} as ex" in code
        assert "## Exercises" in prose and "## Summary" in prose

    def test_activity_penalties_mean_the_same_on_every_keras(self, path):
        # Keras >= 3.14 divides an activity_regularizer's value by the batch size, 3.8-3.13 (Colab's 3.13) do not:
        # keras.regularizers.L1(1e-4) on a code is 128 times as strong there at batch 128, and lesson 09's sparse code
        # died on Colab's versions (every probe at chance). ae.L1Activity / ae.KLSparsity mean the same on both.
        code = _text(path, "code")
        found = re.findall(
            r"activity_regularizer\W{1,4}(?:keras\.)?(?:regularizers\.)?(L1|L2|L1L2)\(", code
        )
        assert not found, (
            f"a Keras activity regularizer ({found}) changes strength with the Keras version: use ae.L1Activity"
        )

    def test_is_committed_without_outputs(self, path):
        for cell in _cells(path):
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None


def test_readme_lists_every_lesson_that_needs_a_particular_backend():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Backends") : readme.index("## Colab")]
    special = [
        p.name
        for p in LESSONS
        if lesson_backends([c.source for c in _cells(p) if c.cell_type == "code"][0])[0]
    ]
    for name in special:
        assert name in section, (
            f"README.md, 'Backends', should list {name} (it pins or declares its backends)"
        )
    if not special:
        assert "- none so far" in section
