import pytest

from aehelpers.exercises import Exercise, FunctionExercise, all_exercises, solution_code

EXERCISES = all_exercises()
IDS = [f"{m}.{n}" for m, n, _ in EXERCISES]


def test_every_lesson_module_has_exercises():
    assert {module for module, _, _ in EXERCISES} >= {"lesson00", "lesson01"}


@pytest.mark.parametrize("module, name, exercise", EXERCISES, ids=IDS)
def test_reference_solution_passes_its_check(module, name, exercise):
    result = exercise.run_solution()
    assert result, f"{module}.{name}: {result!r}"


@pytest.mark.parametrize("module, name, exercise", EXERCISES, ids=IDS)
def test_known_wrong_answers_are_marked_not_yet(module, name, exercise):
    """A checker that accepts anything (or the typical mistake) fails here."""
    assert len(exercise.wrong_answers) >= 2, f"{module}.{name} declares fewer than 2 wrong answers"
    for wrong, result in exercise.run_wrong_answers():
        assert result.status == "not yet", f"{module}.{name}: {wrong} was {result!r}"


@pytest.mark.parametrize("module, name, exercise", EXERCISES, ids=IDS)
def test_unattempted_exercise_says_so_and_never_raises(module, name, exercise, capsys):
    exercise.check(...)
    out = capsys.readouterr().out
    assert "not attempted" in out or f"ex.{name}.check(answer" in out
    exercise.hint()
    exercise.solution()
    assert "one solution" in capsys.readouterr().out


@pytest.mark.parametrize("module, name, exercise", EXERCISES, ids=IDS)
def test_check_never_raises_on_misuse(module, name, exercise, capsys):
    for args, kwargs in [((), {}), ((1, 2), {}), ((object(),), {"no_such_input": 1}), ((float("nan"),), {})]:
        exercise.check(*args, **kwargs)
    out = capsys.readouterr().out
    assert "Traceback" not in out and f"[{exercise.title}]" in out


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


q_demo = Exercise("Q9 demo", lambda answer, sweep: None if answer == sweep else "no", "h", lambda sweep: sweep,
                  make_inputs=lambda: {"sweep": 3})  # fmt: skip


@pytest.mark.parametrize(
    "args, kwargs, expected",
    [
        ((1, 3), {}, "pass the lesson's data by name: ex.q_demo.check(answer, sweep=sweep)"),
        ((1,), {}, "missing sweep. Call it as ex.q_demo.check(answer, sweep=sweep)"),
        ((1,), {"swep": 3}, "missing sweep; unexpected swep. Call it as ex.q_demo.check(answer, sweep=sweep)"),
    ],
)
def test_misused_check_prints_the_right_call(args, kwargs, expected, capsys):
    q_demo.check(*args, **kwargs)
    assert expected in capsys.readouterr().out


def _fn_ex():
    def checker(fn):
        if fn(2) != 4:
            return "fn(2) should be 4"
        return None

    return FunctionExercise("demo", "double(x)", checker, "times two", lambda: (lambda x: 2 * x),
                            wrong_answers=[lambda: (lambda x: x), lambda: (lambda x: x + 1)])  # fmt: skip


def test_function_exercise_refuses_a_non_function_with_its_signature(capsys):
    _fn_ex().check(4)
    assert "expected a function double(x), got int" in capsys.readouterr().out


def test_function_exercise_reports_an_error_inside_the_learners_function(capsys):
    _fn_ex().check(lambda x: x / 0)
    assert "your function raised ZeroDivisionError" in capsys.readouterr().out


def test_function_exercise_runs_solution_and_wrong_answers():
    ex = _fn_ex()
    assert ex.run_solution()
    assert [r.status for _, r in ex.run_wrong_answers()] == ["not yet", "not yet"]
