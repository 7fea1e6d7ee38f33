import pytest

from aehelpers.exercises import Exercise, all_exercises, solution_code

EXERCISES = all_exercises()


def test_every_lesson_module_has_exercises():
    assert {module for module, _, _ in EXERCISES} >= {"lesson00", "lesson01"}


@pytest.mark.parametrize("module, name, exercise", EXERCISES, ids=[f"{m}.{n}" for m, n, _ in EXERCISES])
def test_reference_solution_passes_its_check(module, name, exercise):
    result = exercise.run_solution()
    assert result, f"{module}.{name}: {result!r}"


@pytest.mark.parametrize("module, name, exercise", EXERCISES, ids=[f"{m}.{n}" for m, n, _ in EXERCISES])
def test_unattempted_exercise_says_so_and_never_raises(module, name, exercise, capsys):
    exercise.check(...)
    assert "not attempted" in capsys.readouterr().out
    exercise.hint()
    exercise.solution()
    assert "one solution" in capsys.readouterr().out


def _ex():
    def checker(answer):
        if answer != 42:
            return "the answer is a famous number"
        return None

    def solve():
        return 6 * 7

    return Exercise("demo", checker, "six times seven", solve)


def test_wrong_answer_is_not_yet_with_the_reason(capsys):
    _ex().check(41)
    assert "not yet: the answer is a famous number" in capsys.readouterr().out


def test_answer_that_breaks_the_checker_is_not_yet_not_a_crash(capsys):
    ex = Exercise("demo", lambda answer: answer(), "call it", lambda: (lambda: None))
    ex.check(lambda: 1 / 0)
    out = capsys.readouterr().out
    assert "not yet" in out and "ZeroDivisionError" in out


def test_solution_is_shown_as_the_answer_cell():
    assert solution_code(_ex()._solution).splitlines() == ["answer = 6 * 7"]
