import numpy as np
import pytest

from aehelpers.exercises import (
    Exercise,
    FunctionExercise,
    all_exercises,
    mistake_hint,
    solution_code,
)

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
    for args, kwargs in [
        ((), {}),
        ((1, 2), {}),
        ((object(),), {"no_such_input": 1}),
        ((float("nan"),), {}),
    ]:
        exercise.check(*args, **kwargs)
    out = capsys.readouterr().out
    assert "Traceback" not in out and f"[{exercise.title} (difficulty " in out


def _ex(name="q1"):
    def checker(answer):
        if answer != 42:
            return "the answer is a famous number"
        return None

    def solve():
        return 6 * 7

    return Exercise(title=f"{name}: demo", checker=checker, hint="six times seven", solution=solve)


def test_wrong_answer_is_not_yet_with_the_reason(capsys):
    _ex().check(41)
    assert "not yet: the answer is a famous number" in capsys.readouterr().out


def test_answer_that_breaks_the_checker_is_not_yet_not_a_crash(capsys):
    ex = Exercise(
        title="q1: demo", checker=lambda answer: answer(), hint="call it", solution=lambda: None
    )
    ex.check(lambda: 1 / 0)
    out = capsys.readouterr().out
    assert "not yet" in out and "ZeroDivisionError" in out


def test_solution_is_shown_as_the_answer_cell():
    assert solution_code(_ex()._solution).splitlines() == ["answer = 6 * 7"]


q_demo = Exercise(
    title="q_demo: demo",
    checker=lambda answer, sweep: None if answer == sweep else "no",
    hint="h",
    solution=lambda sweep: sweep,
    make_inputs=lambda: {"sweep": 3},
)


@pytest.mark.parametrize(
    "args, kwargs, expected",
    [
        ((1, 3), {}, "pass the lesson's data by name: ex.q_demo.check(answer, sweep=sweep)"),
        ((1,), {}, "missing sweep. Call it as ex.q_demo.check(answer, sweep=sweep)"),
        (
            (1,),
            {"swep": 3},
            "missing sweep; unexpected swep. Call it as ex.q_demo.check(answer, sweep=sweep)",
        ),
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

    return FunctionExercise(
        title="q1: demo",
        signature="double(x)",
        checker=checker,
        hint="times two",
        solution=lambda: lambda x: 2 * x,
        wrong_answers=[lambda: lambda x: x, lambda: lambda x: x + 1],
    )


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


@pytest.mark.parametrize("module, name, exercise", EXERCISES, ids=IDS)
def test_every_exercise_has_a_difficulty_and_a_time_shown_in_its_messages(
    module, name, exercise, capsys
):
    difficulty, minutes = exercise.level
    assert difficulty in (1, 2, 3) and 1 <= minutes <= 120
    assert exercise.kind in ("decision", "new code", "other")
    exercise.hint()
    assert (
        f"[{exercise.title} (difficulty {difficulty}, about {minutes} min)] hint:"
        in capsys.readouterr().out
    )


def _is_value(answer):
    return isinstance(answer, (str, int, float, np.generic, np.ndarray))


def _plain(result):
    """A number, a str, an array, or a list/tuple of them (not a model, a callback...)."""
    if isinstance(result, (list, tuple)):
        return all(_plain(v) for v in result)
    return _is_value(result) and np.asarray(result).dtype.kind in "biufU"


def _shows_in_results(exercise, wrong, answer, inputs):
    """Can the mistake be told from the answer itself (not only from the checker's probing)?

    A value (number, str, array) always; a function when every call the checker made returned
    values, the wrong function gives the same results again (no hidden randomness) and the
    reference solution does not. A model, a callback or an object is not matched.
    """
    if not isinstance(exercise, FunctionExercise):
        return _is_value(answer)
    calls = exercise._calls
    values = calls and all(_plain(r) for _, _, r in calls)
    return bool(values) and _same_again(exercise, wrong, inputs)


def _same_again(exercise, wrong, inputs):
    from aehelpers.exercises import _same

    calls, fn, ref = exercise._calls, wrong(**inputs), exercise._solution(**inputs)
    again = all(_same(r, fn(*a, **k)) for a, k, r in calls)
    return again and not all(_same(r, ref(*a, **k)) for a, k, r in calls)


@pytest.mark.parametrize("module, name, exercise", EXERCISES, ids=IDS)
def test_known_wrong_answers_carry_their_own_hint(module, name, exercise):
    """Every known mistake that shows in the answer itself is named when a learner makes it."""
    for wrong in exercise.wrong_answers:
        inputs = exercise._inputs()
        answer = wrong(**inputs)
        result = exercise._with_mistake_hint(exercise._check(answer, **inputs), answer, inputs)
        if _shows_in_results(exercise, wrong, answer, inputs):
            assert (
                mistake_hint(wrong) in result.message
                and "this is a known mistake: " in result.message
            ), f"{module}.{name}: {wrong.__name__} was {result!r}"
        else:
            assert "known mistake" not in result.message or mistake_hint(wrong) in result.message


def test_a_mistake_hint_is_the_docstring_else_the_name_in_words():
    def _wrong_sum_not_mean():
        pass

    def _wrong_other():
        """You summed over the batch: average it."""

    assert mistake_hint(_wrong_sum_not_mean) == "sum not mean"
    assert mistake_hint(_wrong_other) == "you summed over the batch: average it"


def test_a_learners_function_matching_a_mistake_gets_its_hint(capsys):
    ex = _fn_ex()
    ex.check(lambda x: x + 1)  # the second known mistake, written by the learner
    assert "this is a known mistake: <lambda>. fn(2) should be 4" in capsys.readouterr().out
    ex.check(lambda x: 3 * x)  # wrong, but no known mistake
    out = capsys.readouterr().out
    assert "not yet: fn(2) should be 4" in out and "known mistake" not in out


def test_a_value_matching_a_mistake_gets_its_hint(capsys):
    def _wrong_forgot_the_seven():
        return 6

    ex = Exercise(
        title="q1: demo",
        checker=lambda answer: None if answer == 42 else "no",
        hint="h",
        solution=lambda: 42,
        wrong_answers=[_wrong_forgot_the_seven],
    )
    ex.check(6)
    assert "✘ not yet: this is a known mistake: forgot the seven. no" in capsys.readouterr().out
    ex.check(42)
    assert "known mistake" not in capsys.readouterr().out


def test_set_levels_refuses_a_missing_exercise_or_a_bad_level():
    from aehelpers.exercises import set_levels

    space = {"q1": _ex("q1"), "q2": _ex("q2")}
    with pytest.raises(ValueError, match="one per exercise"):
        set_levels(space, q1=(1, 5, "other"))
    with pytest.raises(ValueError, match="q2=\\(4, 5, 'other'\\)"):
        set_levels(space, q1=(1, 5, "other"), q2=(4, 5, "other"))
    with pytest.raises(ValueError, match="one of"):
        set_levels(space, q1=(1, 5, "other"), q2=(1, 5, "quiz"))
    set_levels(space, q1=(1, 5, "other"), q2=(3, 30, "decision"))
    assert space["q2"].level == (3, 30) and space["q2"].kind == "decision"
    with pytest.raises(ValueError, match="should start 'q2:'"):
        set_levels({"q1": _ex("q1"), "q2": _ex("q1")}, q1=(1, 5, "other"), q2=(1, 5, "other"))


def test_matching_stops_when_it_takes_too_long(monkeypatch, capsys):
    import aehelpers.exercises as exercises

    monkeypatch.setattr(
        exercises, "MATCH_SECONDS", -1.0
    )  # the budget is spent before the first try
    _fn_ex().check(lambda x: x + 1)
    out = capsys.readouterr().out
    assert "not yet: fn(2) should be 4" in out and "known mistake" not in out


def test_lesson04_q3_refuses_the_lessons_own_model(capsys):
    import keras

    from aehelpers.exercises import lesson04

    inputs = lesson04.q3._inputs()
    model = keras.Sequential(
        [keras.Input((784,)), keras.layers.Dense(1024), keras.layers.Dense(784)]
    )
    lesson04.q3.check(model, **inputs, lesson_models=[model])
    assert "one of the lesson's own models" in capsys.readouterr().out


def _checked(exercise, answer, **inputs):
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exercise.check(answer, **inputs)
    return out.getvalue()


@pytest.mark.parametrize(
    "module, name, bad",
    [
        ("lesson12", "q3", {"n_devices": float("nan")}),  # was "correct"
        ("lesson12", "q3", {"n_devices": "4"}),  # was "correct"
        ("lesson07", "q2", {"labels": float("nan")}),  # a NaN where the lesson passes its labels
        ("lesson01", "q2", {"w2": "w2"}),  # a str where the lesson passes the decoder's weights
        ("lesson06", "q4", {"sweep": np.zeros(3)}),  # was "pass the sweep results"
        ("lesson08", "q2", {"model": "model"}),  # was "your function raised TypeError"
    ],
)
def test_a_lesson_input_unlike_the_lessons_is_blamed_not_the_answer(module, name, bad):
    """A NaN, a str or an array where the lesson passes something else (issue 20)."""
    import importlib

    exercise = getattr(importlib.import_module(f"aehelpers.exercises.{module}"), name)
    inputs = exercise._inputs()
    answer = exercise._solution(**inputs)
    out = _checked(exercise, answer, **dict(inputs, **bad))
    (input_name,) = bad
    assert "not yet" in out and f"`{input_name}`" in out and "your function" not in out, out


def test_a_lesson_input_the_reference_also_fails_on_is_blamed_not_the_answer():
    """A 1-D w2: was "your function raised ..." for a correct answer (issue 20)."""
    from aehelpers.exercises import lesson01

    inputs = lesson01.q2._inputs()
    answer = lesson01.q2._solution(**inputs)
    out = _checked(lesson01.q2, answer, **dict(inputs, w2=np.zeros(3)))
    assert "`w2` looks wrong" in out and "your function" not in out, out
    # a learner's mistake on the lesson's own inputs still gets its hint after this
    (scaled,) = [w for w in lesson01.q2.wrong_answers if "only scaled" in mistake_hint(w)]
    out = _checked(lesson01.q2, scaled(**inputs), **inputs)
    assert "this is a known mistake: you only scaled" in out, out


@pytest.mark.parametrize(
    "module, name, bad, said",
    [
        ("lesson02b", "q2", {"val_errors": np.zeros(3)}, "`val_errors`, `errors` look wrong"),
        ("lesson02b", "q2", {"errors": np.zeros(3)}, "one flag per image of `errors`"),
        ("lesson11", "q1", {"val_errors": np.zeros(3)}, "`val_errors` looks wrong"),
    ],
)
def test_a_lesson_input_too_small_to_judge_is_named(module, name, bad, said):
    """Inputs of the right kind the reference passes on, yet wrong (issue 20)."""
    import importlib

    exercise = getattr(importlib.import_module(f"aehelpers.exercises.{module}"), name)
    inputs = exercise._inputs()
    out = _checked(exercise, exercise._solution(**inputs), **dict(inputs, **bad))
    assert "not yet" in out and said in out, out


def test_judging_the_lesson_inputs_leaves_the_learners_random_draws_alone():
    """A check builds make_inputs (which seeds) and rebuilds known mistakes (fit shuffles with
    NumPy on JAX): the learner's NumPy draws go on as if nothing was checked."""
    from aehelpers.exercises import lesson00

    exercise = lesson00.q3
    exercise._input_kinds = None
    np.random.seed(5)  # noqa: NPY002
    expected = np.random.random(3)  # noqa: NPY002
    np.random.seed(5)  # noqa: NPY002
    inputs = lesson00.q3._inputs()
    np.random.seed(5)  # noqa: NPY002
    _checked(exercise, "not a model", **inputs)
    assert exercise._input_kinds and np.allclose(np.random.random(3), expected)  # noqa: NPY002


@pytest.mark.parametrize("module, name, exercise", EXERCISES, ids=IDS)
def test_one_naming_convention(module, name, exercise):
    """Titles are "qN: ...", named as the module names the exercise; solutions are _solve_*."""
    assert exercise.title.startswith(f"{name}: "), exercise.title
    assert exercise._solution.__name__.startswith("_solve"), exercise._solution.__name__


def test_constructors_take_keywords_only():
    with pytest.raises(TypeError):
        Exercise("q1: demo", None, "h", lambda: 1)  # noqa


def test_the_default_checker_compares_with_the_reference_answer(capsys):
    ex = Exercise(
        title="q1: demo",
        hint="h",
        solution=lambda n: n * 0.5,
        make_inputs=lambda: {"n": 4},
        rtol=0.01,
        wrong_answers={"you doubled it: halve it": lambda n: n * 2.0, "off by one": lambda n: 1.0},
    )
    assert ex._input_names == ["n"]
    for answer, said in [
        (2.01, "✔ correct"),
        (2.1, "not yet: 2.1 is not it"),
        ("2", "expected one number, got str"),
        (8.0, "this is a known mistake: you doubled it: halve it"),
    ]:
        ex.check(answer, n=4)
        assert said in capsys.readouterr().out, said
    assert [r.status for _, r in ex.run_wrong_answers()] == ["not yet", "not yet"]


def test_choices_and_strings_in_the_default_checker(capsys):
    ex = Exercise(
        title="q1: demo",
        hint="h",
        solution=lambda reg: min(reg, key=reg.get),
        choices=lambda reg: list(reg),
        wrong_answers={"the largest": lambda reg: max(reg, key=reg.get), "b": lambda reg: "b"},
    )
    ex.check("zz", reg={"a": 1, "b": 2})
    assert "answer should be one of ['a', 'b']; got 'zz'" in capsys.readouterr().out
    ex.check("a", reg={"a": 1, "b": 2})
    assert "✔ correct" in capsys.readouterr().out


def test_a_checker_can_take_the_reference_answer_as_want():
    seen = {}

    def checker(answer, want, n):
        seen["want"] = want
        return None if answer == want else "no"

    ex = Exercise(title="q1: demo", hint="h", solution=lambda n: n + 1, checker=checker)
    assert ex._input_names == ["n"] and ex._check(4, n=3) and seen["want"] == 4


def test_function_exercise_cases_and_mistakes_from_one_factory(capsys):
    from aehelpers.exercises import Mistake

    def power(p, scale=1):
        return lambda x: scale * x**p

    ex = FunctionExercise(
        title="q1: demo",
        signature="square(x)",
        hint="h",
        solution=lambda: power(2),
        cases=[(3,), (2,)],
        wrong_answers=[Mistake("cubed", lambda: power(3)), Mistake("doubled", power, p=2, scale=2)],
    )
    ex.check(lambda x: x**3)
    assert "this is a known mistake: cubed. square(3) returned 27, expected 9" in (
        capsys.readouterr().out
    )
    assert ex.run_solution() and [r.status for _, r in ex.run_wrong_answers()] == ["not yet"] * 2
    with pytest.raises(ValueError, match="checker= or cases="):
        FunctionExercise(title="q1: x", signature="f()", hint="h", solution=lambda: None)


def _lesson_check_calls():
    """(lesson, qN, keyword names) of every ``ex.qN.check(answer, k=...)`` in the lessons."""
    from pathlib import Path

    import nbformat

    from tools.handout import _check_call, exercise_module

    calls = []
    for path in sorted((Path(__file__).parents[1] / "lessons").glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        module = exercise_module(nb)
        for cell in nb.cells:
            if cell.cell_type == "code" and ".check(answer" in cell.source:
                qid, kwargs = _check_call(cell.source)
                calls.append((path.stem, getattr(module, qid), set(kwargs)))
    return calls


@pytest.mark.tooling
def test_each_lessons_check_call_passes_the_inputs_its_exercise_takes():
    """A lesson's ``ex.qN.check(answer, sweep=sweep)`` names exactly the exercise's inputs."""
    calls = _lesson_check_calls()
    assert len(calls) >= 30
    for stem, exercise, names in calls:
        assert set(exercise._required) <= names <= set(exercise._input_names), (
            stem,
            exercise.title,
            sorted(names),
            exercise._input_names,
        )
