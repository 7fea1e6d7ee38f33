"""`./course handout` (tools/handout.py): a student edition without solutions, an instructor edition with them."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.tooling  # backend-independent: runs once, in the TensorFlow stage

nbformat = pytest.importorskip(
    "nbformat", reason="the handout tool needs nbformat (the course's .venv has it)"
)
ROOT = Path(__file__).resolve().parents[1]
from tools import handout  # noqa: E402

LESSONS = handout.committed_lessons()
SHORT = "00_setup_and_tour"  # the short lesson both editions are run on


def _checks(nb):
    return sorted(
        m.group(0)
        for c in nb.cells
        if c.cell_type == "code"
        for m in handout.CHECK_RE.finditer(c.source)
    )


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_student_edition_has_no_solution_and_keeps_every_check(stem):
    nb = LESSONS[stem]
    student = handout.student_edition(nb, stem)
    text = "\n".join(c.source for c in student.cells)
    assert "solution()" not in text and "BEGIN SOLUTION" not in text and "_reference(" not in text
    assert not [c for c in student.cells if "instructor" in c.metadata.get("tags", [])]
    assert _checks(student) == _checks(nb)  # every check stays
    for cell in student.cells:
        if handout.is_exercise_cell(cell):
            assert cell.metadata["nbgrader"]["solution"] is True
            assert re.search(r"^answer = \.\.\.", cell.source, re.M), (
                cell.source
            )  # left for the learner
    assert student.metadata[handout.EDITION_KEY] == "student"
    nbformat.validate(student)


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_instructor_edition_fills_every_exercise_with_its_reference_solution(stem):
    nb = LESSONS[stem]
    timing = handout.section_timing(nb, stem, handout.measured_run_seconds())
    teacher = handout.instructor_edition(nb, stem, handout.notes_for(stem), timing)
    exercise_cells = [c for c in teacher.cells if handout.is_exercise_cell(c)]
    assert exercise_cells and _checks(teacher) == _checks(nb)
    for cell in exercise_cells:
        assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        assert not re.search(r"^answer = \.\.\.", cell.source, re.M)
        compile(cell.source, stem, "exec")  # the filled-in cell is valid Python
    heads = [c.source for c in teacher.cells[1:4]]
    assert any(h.startswith("## Timing (computed from the lesson)") for h in heads)
    if handout.notes_for(stem):
        assert heads[0].startswith("## Instructor notes")


def test_every_lesson_has_instructor_notes_with_the_parts_an_instructor_needs():
    for stem in LESSONS:
        notes = handout.notes_for(stem)
        assert notes, f"instructor/{stem}.md is missing"
        for part in (
            "What it is for",
            "Where learners get stuck",
            "Discussion",
            "In a 60-minute slot",
        ):
            assert part in notes, f"instructor/{stem}.md has no '{part}'"


def test_timing_is_reading_plus_exercises_plus_the_measured_run():
    nb = LESSONS[SHORT]
    runs = handout.measured_run_seconds()
    timing = handout.section_timing(nb, SHORT, runs)
    words = sum(
        handout._words(c.source) for c in nb.cells if "instructor" not in c.metadata.get("tags", [])
    )
    module = handout.exercise_module(nb)
    declared = [
        getattr(module, q).level[1]
        for c in nb.cells
        if handout.is_exercise_cell(c)
        for q in handout.CHECK_RE.findall(c.source)[:1]
    ]
    assert declared and all(
        m >= 1 for m in declared
    )  # every exercise declares its minutes (set_levels)
    expected = words / handout.WORDS_PER_MINUTE + sum(declared) + runs.get(SHORT, 0) / 60
    assert timing["total_min"] == pytest.approx(expected)
    assert handout.lab_time(nb, SHORT, runs)["exercise_min"] == sum(declared)
    assert SHORT in runs  # results/full-cpu.jsonl has the lesson's measured run


def test_an_unknown_lesson_is_refused_by_name():
    with pytest.raises(handout.HandoutError, match="no committed lesson named 99_nothing"):
        handout.committed_lessons(["99_nothing"])


def _run(nb, tmp_path):
    from nbclient import NotebookClient

    NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    return [
        "".join(o.get("text", "") for o in c.get("outputs", []))
        for c in nb.cells
        if handout.is_exercise_cell(c)
    ]


def test_both_editions_of_a_short_lesson_run_clean(tmp_path):
    """The student edition runs top to bottom with every exercise 'not attempted'; the instructor
    edition with every check 'correct' (fast mode: the tests set AEHELPERS_FAST). Once, on the
    TensorFlow stages: the lesson itself runs on every backend in test_lessons. Where the
    JupyterLab browser tests run (CI), tests/test_browser_handout.py makes these two runs."""
    import keras

    from tests.browser import lab_browser_tests_run

    if keras.backend.backend() != "tensorflow":
        pytest.skip("the editions are run once, on TensorFlow")
    if lab_browser_tests_run():  # the same two runs, in JupyterLab: no need to pay for them twice
        pytest.skip(
            "tests/test_browser_handout.py runs both editions in JupyterLab and checks the same outputs"
        )
    written = handout.build(["student", "instructor"], [SHORT], out=tmp_path / "handout")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        f"handout/instructor/{SHORT}.ipynb",
        f"handout/student/{SHORT}.ipynb",
    ]
    student = _run(nbformat.read(tmp_path / "handout" / "student" / f"{SHORT}.ipynb", 4), tmp_path)
    assert student and all("not attempted" in out for out in student), student
    teacher = _run(
        nbformat.read(tmp_path / "handout" / "instructor" / f"{SHORT}.ipynb", 4), tmp_path
    )
    assert len(teacher) == len(student) and all("✔ correct" in out for out in teacher), teacher


@pytest.mark.parametrize("path", sorted((ROOT / "lessons").glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_header_states_the_generated_lab_time(path):
    """The header's lab time is `./course handout --labtimes`'s: reading + exercises + measured run.
    One rounding step (5 min) of slack, so a small prose edit does not fail the suite."""
    nb = nbformat.read(path, 4)
    stated = handout.stated_lab_time(nb)
    assert stated is not None and re.search(
        r"\*\*Lab time: about \d+ minutes\*\* \(reading about \d+ min, \d+ exercises",
        nb.cells[0].source,
    ), f"{path.name}: no generated lab time in the header: run ./course handout --labtimes"
    computed = handout.lab_time(nb, path.stem, handout.measured_run_seconds())["total_min"]
    assert abs(stated - computed) <= 5, (
        f"{path.name}: header says {stated} min, now {computed}: run ./course handout --labtimes"
    )
    assert not handout.TYPED_RE.search(nb.cells[0].source), "a hand-typed 'About N minutes' is left"
