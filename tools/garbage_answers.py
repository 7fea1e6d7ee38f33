"""An independent sweep of garbage answers to every exercise check (issue 20).

``python -m tools.garbage_answers`` calls ``check`` of every exercise of every lesson module
in ``aehelpers/exercises`` with garbage answers of several kinds (None, a bool, a str, a
"liar" whose ``==`` always says yes, NaN, inf, a huge array, a function that raises, a
function returning garbage, a dict / list of the wrong shape...), with the lesson inputs
its ``make_inputs`` builds (small arrays). It also checks a correct answer (the reference
solution) with one wrong lesson input at a time (None, a str, a wrong-shaped array, NaN):
the message must blame that input, not the answer. Each outcome is one of

- **refused**: "not yet" / "not attempted" with a short message;
- **ACCEPTED**: the check said "correct" to garbage (or to a wrong lesson input);
- **CRASH**: ``check`` raised, or its last guard caught an error ("could not finish");
- **LONG**: refused, but the printed line is longer than a message should be;
- **BLAMED**: a wrong lesson input reported as a fault of the learner's answer.

It prints counts and every case that is not "refused"; the exit status is 1 if any.
To stay short (under 2 minutes on a slow 2-core CPU) Keras ``fit`` is capped at one epoch
of at most 4 steps while the sweep runs, and each known-wrong answer built from the
lesson's own inputs is built once and reused by the mistake matching. The cases are chosen
apart from ``tests/test_exercises.py`` on purpose.
"""

import contextlib
import io
import os
import sys
import time
import warnings
from collections import Counter

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("AEHELPERS_OFFLINE", "1")
os.environ.setdefault("AEHELPERS_FAST", "1")

import numpy as np  # noqa: E402

import aehelpers.exercises as exercises  # noqa: E402

MAX_LINE = exercises.MAX_MESSAGE + 200  # the label, the mark and the "..." on top of a message


# ----------------------------------------------------------------------------- garbage answers
class _Liar:
    """Says yes to every comparison (a subclass that lies about equality and order)."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __lt__(self, other):
        return True

    __le__ = __gt__ = __ge__ = __lt__


class LiarFloat(_Liar, float):
    __hash__ = float.__hash__


class LiarInt(_Liar, int):
    __hash__ = int.__hash__


class LiarStr(_Liar, str):
    __hash__ = str.__hash__

    def __contains__(self, item):
        return True

    def lower(self):
        return self

    upper = strip = casefold = lower


class Unprintable(Exception):
    """An exception whose message cannot be printed."""

    def __str__(self):
        raise RuntimeError("no str")

    def __repr__(self):
        raise RuntimeError("no repr")


def _raises(*args, **kwargs):
    raise ValueError("garbage function raised")


def _raises_unprintable(*args, **kwargs):
    raise Unprintable()


def _returns(value):
    def fn(*args, **kwargs):
        return value

    fn.__name__ = f"returns_{type(value).__name__}"
    return fn


class _Huge:
    def __repr__(self):
        return "x" * 2_000_000


HUGE = np.zeros((1000, 1000))
GARBAGE = [
    ("None", None),
    ("True", True),
    ("False", False),
    ("np.True_", np.True_),
    ("str", "garbage"),
    ("numeric str", "0.5"),
    ("empty str", ""),
    ("liar float", LiarFloat(0.0)),
    ("liar int", LiarInt(0)),
    ("liar str", LiarStr("x")),
    ("nan", float("nan")),
    ("inf", float("inf")),
    ("-inf", float("-inf")),
    ("negative", -1.0),
    ("huge int", 10**400),
    ("huge array", HUGE),
    ("nan array", np.full(5, np.nan)),
    ("empty array", np.zeros(0)),
    ("object array", np.array([object()], dtype=object)),
    ("huge repr object", _Huge()),
    ("object()", object()),
    ("function raises", _raises),
    ("function raises unprintable", _raises_unprintable),
    ("function returns None", _returns(None)),
    ("function returns True", _returns(True)),
    ("function returns str", _returns("garbage")),
    ("function returns liar float", _returns(LiarFloat(0.0))),
    ("function returns liar str", _returns(LiarStr("x"))),
    ("function returns nan", _returns(float("nan"))),
    ("function returns huge array", _returns(HUGE)),
    ("function returns dict", _returns({"a": 1})),
    ("function returns self", _returns(_raises)),
    ("class", type("Garbage", (), {})),
    ("dict", {"a": 1, "b": [1, 2]}),
    ("list", [1, 2, 3]),
    ("nested list", [[1, 2], [3]]),
    ("empty list", []),
    ("tuple of str", ("a", "b")),
    ("tuple of liars", (LiarFloat(0.0), LiarInt(0))),
    ("exception instance", Unprintable()),
]

WRONG_INPUTS = [
    ("None", lambda v: None),
    ("str", lambda v: "garbage"),
    ("wrong-shaped array", lambda v: np.zeros(3)),
    ("nan", lambda v: float("nan")),
]


# ----------------------------------------------------------------------------- speed-ups
def _cap_fit():
    """Keras ``fit`` trains one epoch of at most 4 steps while the sweep runs."""
    import keras

    original = keras.Model.fit

    def fit(self, *args, **kwargs):
        kwargs["epochs"] = 1
        kwargs["steps_per_epoch"] = min(kwargs.get("steps_per_epoch") or 4, 4)
        kwargs.pop("validation_data", None)
        kwargs.pop("validation_split", None)
        kwargs.pop("callbacks", None)
        return original(self, *args, **kwargs)

    keras.Model.fit = fit


def _memo(fn, inputs):
    """``fn`` built once for these very inputs (the mistake matching rebuilds it per check)."""
    cache = {}

    def wrapped(**kwargs):
        same = set(kwargs) == set(inputs) and all(kwargs[k] is inputs[k] for k in inputs)
        if not same:
            return fn(**kwargs)
        if "value" not in cache:
            try:
                cache["value"] = (True, fn(**kwargs))
            except Exception as err:
                cache["value"] = (False, err)
        ok, value = cache["value"]
        if not ok:
            raise value
        return value

    wrapped.__name__, wrapped.__doc__ = fn.__name__, fn.__doc__
    return wrapped


# ----------------------------------------------------------------------------- running checks
def _run(exercise, answer, inputs):
    """(status, printed line); status "CRASH" when check raised or its guard caught an error."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exercise.check(answer, **inputs)
    except BaseException as err:  # noqa: BLE001 - the sweep reports every kind of failure
        if isinstance(err, KeyboardInterrupt):
            raise
        return "CRASH", f"check raised {type(err).__name__}"
    text = out.getvalue()
    line = next((ln for ln in text.splitlines() if ln.startswith(f"[{exercise.title}")), text)
    if "could not finish" in line:
        return "CRASH", line
    if "✔ correct" in line:
        return "ACCEPTED", line
    if len(line) > MAX_LINE:
        return "LONG", line[:200] + f"... ({len(line)} characters)"
    if "not yet" in line or "not attempted" in line:
        return "refused", line
    return "CRASH", f"unexpected output: {text[:200]!r}"


def _blames_input(line, name):
    """Does the message point at the lesson input ``name`` (and not at the answer)?"""
    return f"`{name}`" in line or f"{name} looks wrong" in line


def sweep(verbose=False, modules=None):
    """Run every case (of ``modules``' exercises, e.g. ["lesson03"]; default all);
    return (Counter of outcomes, list of (case, outcome, line))."""
    _cap_fit()
    counts, bad = Counter(), []
    for module, name, exercise in exercises.all_exercises(modules):
        inputs = exercise._inputs()
        exercise.wrong_answers = tuple(_memo(w, inputs) for w in exercise.wrong_answers)
        exercise._solution = _memo(exercise._solution, inputs)
        started = time.perf_counter()
        for label, answer in GARBAGE:
            outcome, line = _run(exercise, answer, inputs)
            counts[outcome] += 1
            if outcome != "refused" or verbose:
                bad.append((f"{module}.{name} answer={label}", outcome, line))
        if not exercise._required:
            continue
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            solution = exercise._solution(**inputs)
        for input_name in exercise._required:
            for label, make in WRONG_INPUTS:
                wrong_inputs = dict(inputs, **{input_name: make(inputs[input_name])})
                outcome, line = _run(exercise, solution, wrong_inputs)
                if outcome == "refused":
                    outcome = "refused" if _blames_input(line, input_name) else "BLAMED"
                counts[outcome] += 1
                if outcome != "refused" or verbose:
                    bad.append(
                        (f"{module}.{name} correct answer, {input_name}={label}", outcome, line)
                    )
        if verbose:
            print(f"{module}.{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return counts, bad


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    start = time.perf_counter()
    modules = [a for a in argv if not a.startswith("-")] or None  # e.g. lesson03 lesson04
    counts, bad = sweep(verbose="-v" in argv, modules=modules)
    total = sum(counts.values())
    print(
        f"{total} checks: {counts['refused']} refused, {counts['ACCEPTED']} ACCEPTED, "
        f"{counts['CRASH']} CRASH, {counts['BLAMED']} blamed the answer for a bad input, "
        f"{counts['LONG']} LONG ({time.perf_counter() - start:.0f} s)"
    )
    for case, outcome, line in bad:
        print(f"{outcome:8} {case}: {line[:300]}")
    return 1 if total - counts["refused"] else 0


if __name__ == "__main__":
    sys.exit(main())
