"""Exercises with ``check`` / ``hint`` / ``solution`` that never crash a notebook.

Each lesson has a module here (``aehelpers.exercises.lesson01`` ...) holding its
exercise objects. In a notebook::

    from aehelpers.exercises import lesson01 as ex
    answer = ...            # a learner replaces the Ellipsis with their answer
    ex.q1.check(answer)     # correct / not yet (with why) / not attempted
    ex.q1.hint()
    ex.q1.solution()        # prints the reference solution's code

Two kinds:

- :class:`Exercise`: the answer is a value (a number, a model, an array...).
- :class:`FunctionExercise`: the answer is a function the learner writes; the
  "is it callable" check and the error report of a failing call live here, once.

Every exercise declares ``wrong_answers``: functions that return the typical mistakes
(a missing factor, mean instead of sum, test data instead of validation...). The tests
run the reference solution (it must pass) and every wrong answer (each must be marked
"not yet"), so a checker that accepts anything fails the tests.

A learner's answer that *is* one of those mistakes gets that mistake's hint after the
"not yet": the wrong answer's docstring, else its name in words (``_wrong_sum_not_mean``:
"sum not mean"). A value answer (a number, a str, an array) matches when it equals the
wrong answer built from the learner's inputs; a function answer matches when it gives the
wrong function's results on every call the checker made (and the reference solution does
not). A model answer is not matched (its checker's message says what is wrong).

Each exercise has a difficulty (1-3) and an expected time in minutes, declared once per
lesson module with :func:`set_levels` and shown in every message: "[q2: ... (difficulty 2,
about 10 min)]".
"""

import contextlib
import importlib
import inspect
import pkgutil
import re
import reprlib
import sys
import textwrap
import time
import warnings
from dataclasses import dataclass

CORRECT, NOT_YET, NOT_ATTEMPTED = "correct", "not yet", "not attempted"
MAX_MESSAGE = 600  # characters of a message; an answer is echoed with short()
MAX_TRACED_CALLS = 50  # calls of a learner's function kept to compare with the known mistakes
MATCH_SECONDS = 10.0  # no further known mistake is tried once matching has taken this long

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 6


def short(value):
    """A repr of ``value`` short enough to echo in a message (never raises)."""
    try:
        return _SHORT.repr(value)
    except Exception:
        return f"<a {type(value).__name__}>"


def describe_error(err):
    """``"TypeError: message"`` for an exception, even one whose ``str`` raises or is huge."""
    try:
        text = str(err)
    except Exception:
        text = "(its message cannot be printed)"
    text = " ".join(text.split())
    return f"{type(err).__name__}: {text[:200] + '...' if len(text) > 200 else text}"


def as_number(answer):
    """``float(answer)`` for one real number; TypeError for a bool, a str or several values.

    ``True`` is not 1.0 and ``"0.5"`` is not 0.5 in an answer: both are refused.
    """
    import numpy as np

    if isinstance(answer, (bool, np.bool_, str, bytes)) or np.ndim(answer) != 0:
        raise NotANumber(f"expected one number, got {type(answer).__name__}")
    return float(answer)


class NotANumber(TypeError):
    """Raised by :func:`as_number`; a checker may let it escape: the learner reads its message."""


@dataclass
class CheckResult:
    """What ``check`` found: ``status`` is "correct", "not yet" or "not attempted"."""

    status: str
    message: str

    def __bool__(self):
        return self.status == CORRECT

    def __repr__(self):
        mark = {CORRECT: "✔", NOT_YET: "✘", NOT_ATTEMPTED: "○"}[self.status]
        return f"{mark} {self.status}: {self.message}"


class Exercise:
    """One exercise: a question, a checker, a hint, a reference solution and known mistakes.

    Keyword arguments only::

        q1 = Exercise(
            title="q1: choose a regulariser",   # "qN: ...": qN is its name in `ex.qN.check(...)`
            hint="...",                         # points the way; does not give the answer
            solution=_solve_q1,                 # function(**inputs) -> a correct answer
            make_inputs=lambda: {"reg": ...},   # small inputs for the tests
            choices=lambda reg: list(reg),      # optional: the answers that make sense
            wrong_answers={"you chose on the test error: ...": _by_test, ...},
        )

    Args:
        title: ``"qN: what it asks"``, shown in every message.
        hint: str shown by :meth:`hint`.
        solution: function(**inputs) -> a correct answer; :meth:`solution` prints its code.
            Its parameters are the lesson's data the learner passes by name
            (``ex.q4.check(answer, sweep=sweep)``), unless ``checker`` says otherwise.
        checker: None (the default) to accept an answer equal to the reference solution's
            (numbers and arrays within ``rtol``). Else function(answer, **inputs) -> None if
            correct, or a str saying why not; it may take ``want=`` (the reference answer on
            the same inputs). It may raise; ``check`` turns that into a "not yet".
        make_inputs: function() -> dict of small inputs for the solution and the wrong
            answers (used by the tests); None when the exercise needs no inputs.
        wrong_answers: the typical mistakes, at least two: a dict {hint: function(**inputs)
            -> that wrong answer}, or a list of such functions (a :class:`Mistake`, or a
            function whose docstring is its hint). The tests assert that every one is
            marked "not yet"; a learner whose answer is one gets its hint.
        choices: for the default checker: a list of the sensible answers (or a function of
            the inputs giving it); another answer is refused, naming them.
        rtol: for the default checker: relative tolerance for numbers and arrays.
        slow_reference: True when the reference solution or the checker trains (seconds).
            Otherwise a refused answer is checked again with the reference solution: if
            that fails too, the lesson inputs are blamed, not the learner's answer.

    Lesson inputs unlike ``make_inputs``'s (a NaN or a str for a number, a single number
    for an array...) are blamed before the answer is judged.
    """

    def __init__(
        self,
        *,
        title,
        hint,
        solution,
        checker=None,
        make_inputs=None,
        wrong_answers=(),
        choices=None,
        rtol=1e-6,
        slow_reference=False,
    ):
        self.title = title
        # a reference solution (or checker) that trains is too slow to run again on a refusal
        self._slow_reference = slow_reference
        self._input_kinds = None  # what each lesson input looks like, from make_inputs (lazily)
        self._checker = checker
        self._hint = hint
        self._solution = solution
        self._make_inputs = make_inputs
        self._choices = choices
        self._rtol = rtol
        if isinstance(wrong_answers, dict):
            wrong_answers = [Mistake(hint, fn) for hint, fn in wrong_answers.items()]
        self.wrong_answers = tuple(wrong_answers)
        signature = inspect.signature(checker if checker is not None else solution)
        params = list(signature.parameters.values())[1 if checker is not None else 0 :]
        self._wants_reference = any(p.name == "want" for p in params)
        params = [p for p in params if p.name != "want"]
        self._input_names = [p.name for p in params if p.kind is not p.VAR_KEYWORD]
        self._required = [
            p.name for p in params if p.default is p.empty and p.kind is not p.VAR_KEYWORD
        ]
        self.level = None  # (difficulty 1-3, minutes), set by set_levels
        self.kind = None  # "decision", "new code" or "other", set by set_levels

    def _label(self):
        """``"[title (difficulty 2, about 10 min)]"``, the start of every message."""
        if self.level is None:
            return f"[{self.title}]"
        return f"[{self.title} (difficulty {self.level[0]}, about {self.level[1]} min)]"

    # -- the learner's side ----------------------------------------------------------
    def check(self, answer=Ellipsis, *extra, **inputs):
        """Check an answer and print correct / not yet (with why) / not attempted. Never raises."""
        try:
            with _random_state_kept():  # fits, references and rebuilt mistakes draw: the learner's
                result = self._check(answer, *extra, **inputs)  # draws go on as if unchecked
                result = self._with_mistake_hint(result, answer, inputs)
        except Exception as err:  # a last guard: check() never stops a notebook
            result = CheckResult(NOT_YET, f"the check could not finish ({describe_error(err)})")
        message = (
            result.message
            if len(result.message) <= MAX_MESSAGE
            else result.message[:MAX_MESSAGE] + " ..."
        )
        print(f"{self._label()} {CheckResult(result.status, message)!r}")

    def hint(self):
        """Print the hint."""
        print(f"{self._label()} hint: {self._hint}")

    def solution(self):
        """Print the reference solution as the code a learner would put in the answer cell."""
        print(f"{self._label()} one solution:\n\n{solution_code(self._solution)}")

    def usage(self):
        """The call a learner writes, e.g. ``ex.q4.check(answer, sweep=sweep)``."""
        args = ", ".join(["answer"] + [f"{n}={n}" for n in self._input_names])
        return f"ex.{self._name()}.check({args})"

    # -- checking ----------------------------------------------------------------------
    def _check(self, answer, *extra, **inputs):
        try:
            problem = self._call_problem(extra, inputs)
        except Exception:  # never let bookkeeping crash a notebook
            problem = None
        if problem:
            return CheckResult(NOT_YET, problem)
        if answer is Ellipsis or answer is None:
            return CheckResult(
                NOT_ATTEMPTED, "replace the `...` with your answer, then run the cell"
            )
        empty = [n for n in self._required if inputs.get(n) is None or inputs.get(n) is Ellipsis]
        if empty:  # the lesson's data, not the answer, is wrong: say so before judging the answer
            return CheckResult(NOT_YET, self._inputs_message(empty, inputs))
        odd = self._odd_inputs(inputs)
        if odd:  # a NaN, a str or a single number where the lesson passes an array...
            return CheckResult(NOT_YET, self._inputs_message(odd, inputs))
        try:
            problem = self._run_checker(answer, inputs)
        except NotANumber as err:  # a checker's as_number(answer): say it as it is
            return CheckResult(NOT_YET, f"{err}: {short(answer)}")
        except Exception as err:  # a learner's answer may fail in any way
            if inputs and self._reference_fails(inputs):
                return CheckResult(NOT_YET, self._inputs_message(list(inputs), inputs))
            return CheckResult(NOT_YET, f"checking your answer raised {describe_error(err)}")
        if problem:
            if inputs and not self._slow_reference and self._reference_fails(inputs):
                return CheckResult(NOT_YET, self._inputs_message(list(inputs), inputs))
            return CheckResult(NOT_YET, str(problem))
        return CheckResult(CORRECT, "well done")

    def _odd_inputs(self, inputs):
        """Names of the lesson inputs unlike what ``make_inputs`` builds (never raises).

        A number must be one finite real number (an int a whole one), an array a numeric one
        with no NaN or inf and at least as many axes (up to 2), a model something callable,
        a dict a mapping, a list a sequence, a str a str. Other inputs are not looked at.
        """
        try:
            if self._input_kinds is None:
                examples = self._make_inputs() if self._make_inputs else {}
                self._input_kinds = {name: _kind(value) for name, value in examples.items()}
            return [
                name
                for name, value in inputs.items()
                if not _looks_like(value, self._input_kinds.get(name))
            ]
        except Exception:  # a lesson input that cannot be looked at is left to the checker
            return []

    def _with_mistake_hint(self, result, answer, inputs):
        """``result`` with the hint of the known mistake ``answer`` matches, if any."""
        if result.status != NOT_YET or not self.wrong_answers:
            return result
        try:
            with warnings.catch_warnings():  # mistakes rebuilt from odd inputs may warn: noise
                warnings.simplefilter("ignore")
                matched = self._matching_mistakes(answer, inputs)
        except Exception:  # matching is a courtesy: it never changes the verdict
            matched = []
        if not matched:
            return result
        hints = "; or ".join(mistake_hint(wrong) for wrong in matched)
        return CheckResult(NOT_YET, f"this is a known mistake: {hints}. {result.message}")

    def _matching_mistakes(self, answer, inputs):
        """The known-wrong answers ``answer`` equals (several when they coincide on these inputs)."""
        import numpy as np

        if not isinstance(answer, (str, int, float, np.generic, np.ndarray, tuple, list)):
            return []  # a model or another object: the checker's message says what is wrong
        start, matched = time.perf_counter(), []
        for wrong in self.wrong_answers:  # each is rebuilt from the learner's inputs
            if time.perf_counter() - start > MATCH_SECONDS:
                break
            try:
                if _same(answer, wrong(**inputs), self._rtol):  # as close as a correct answer
                    matched.append(wrong)
            except Exception:  # a mistake that cannot be rebuilt from these inputs is not matched
                continue
        return matched

    def _reference_fails(self, inputs):
        """Does the reference solution fail on these inputs too? (Then the inputs are wrong.)

        Run only when checking the answer raised or refused it (not with ``slow_reference``),
        so a correct answer costs nothing extra.
        """
        calls = getattr(self, "_calls", None)  # the learner's calls, kept for the mistake hints
        try:
            with warnings.catch_warnings():  # the reference on bad inputs: its warnings are noise
                warnings.simplefilter("ignore")
                return bool(self._run_checker(self._solution(**inputs), inputs))
        except Exception:
            return True
        finally:
            self._calls = calls

    def _inputs_message(self, names, inputs):
        listed = ", ".join(f"`{n}`" for n in names)
        given = "; ".join(f"{n}={short(inputs.get(n))}" for n in names)
        return (
            f"{listed} look{'s' if len(names) == 1 else ''} wrong ({given}): pass the "
            f"{listed} your run built, as in {self.usage()}"
        )

    def _run_checker(self, answer, inputs):
        if self._checker is None:
            return self._same_as_reference(answer, self._solution(**inputs), inputs)
        if self._wants_reference:
            return self._checker(answer, want=self._solution(**inputs), **inputs)
        return self._checker(answer, **inputs)

    def _same_as_reference(self, answer, want, inputs):
        """The default checker: None when ``answer`` equals ``want``, else why not."""
        import numpy as np

        choices = self._choices(**inputs) if callable(self._choices) else self._choices
        if choices is not None and not any(_same(answer, c) for c in choices):
            return f"answer should be one of {list(choices)}; got {short(answer)}"
        if isinstance(want, str):
            if type(answer) is not str:  # a str subclass could lie in ==
                return f"expected a str, got {type(answer).__name__}"
            return None if answer == want else f"{short(answer)} is not it"
        if np.ndim(want) == 0 and isinstance(want, (int, float, np.integer, np.floating)):
            try:
                number = as_number(answer)
            except TypeError as err:
                return f"{err}; got {short(answer)}"
            if isinstance(want, (int, np.integer)) and not number.is_integer():
                return f"expected a whole number, got {number:g}"
            close = np.isclose(number, float(want), rtol=self._rtol, atol=0)
            return None if close else f"{number:.4g} is not it"
        if _same(answer, want, rtol=self._rtol):
            return None
        return f"{short(answer)} is not it"

    def _call_problem(self, extra, inputs):
        """A message when the lesson's inputs were not passed as the checker expects."""
        if extra:
            return f"pass the lesson's data by name: {self.usage()}"
        unknown = sorted(set(inputs) - set(self._input_names))
        missing = [n for n in self._required if n not in inputs]
        if unknown or missing:
            said = []
            if missing:
                said.append("missing " + ", ".join(missing))
            if unknown:
                said.append("unexpected " + ", ".join(unknown))
            return f"{'; '.join(said)}. Call it as {self.usage()}"
        return None

    def _name(self):
        """``qN``, from the title ``"qN: ..."`` (the name the lesson module gives it)."""
        return self.title.split(":")[0].strip() if ":" in self.title else "qN"

    # -- the tests' side ---------------------------------------------------------------
    def _inputs(self):
        return self._make_inputs() if self._make_inputs else {}

    def run_solution(self):
        """Run the reference solution on ``make_inputs()`` and check it (for the tests)."""
        inputs = self._inputs()
        return self._check(self._solution(**inputs), **inputs)

    def run_wrong_answers(self):
        """Check every known-wrong answer (for the tests): list of (name, CheckResult)."""
        results = []
        for wrong in self.wrong_answers:
            inputs = self._inputs()
            answer = wrong(**inputs)
            results.append(
                (
                    getattr(wrong, "__name__", repr(wrong)),
                    self._with_mistake_hint(self._check(answer, **inputs), answer, inputs),
                )
            )
        return results

    def __repr__(self):
        return f"{type(self).__name__}({self.title!r})"


class FunctionExercise(Exercise):
    """An exercise whose answer is a function the learner writes (cf. learntools' FunctionProblem).

    Args:
        signature: how the function is called, e.g. ``"kl_penalty(rho, rho_hat)"``; shown
            when the answer is not a function.
        cases: for the default checker: a list of argument tuples; the learner's function
            must give the reference function's results on each (within ``rtol``).
        checker: None (then ``cases``), or function(fn, **inputs) -> None or a str; it calls
            ``fn`` on cases of its own. An error raised *inside* the learner's function is
            reported as such.
        (the other arguments as for :class:`Exercise`; the solution and each wrong answer
        return a function.)
    """

    def __init__(self, *, signature, cases=None, **kwargs):
        super().__init__(**kwargs)
        if self._checker is None and not cases:
            raise ValueError(f"{self.title}: give either checker= or cases=")
        self.signature = signature
        self._cases = cases

    def _same_as_reference(self, fn, want, inputs):
        """The default checker: ``fn`` gives ``want``'s results on every case."""
        for args in self._cases:
            args = args if isinstance(args, tuple) else (args,)
            got, expected = fn(*args), want(*args)
            if not _same(got, expected, rtol=self._rtol):
                call = f"{self.signature.split('(')[0]}({', '.join(short(a) for a in args)})"
                return f"{call} returned {short(got)}, expected {short(expected)}"
        return None

    def _run_checker(self, answer, inputs):
        self._calls = []
        if not callable(answer):
            return (
                f"expected a function {self.signature}, got {type(answer).__name__}; "
                f"define it with `def` and set `answer = {self.signature.split('(')[0]}`"
            )
        learner_fn = answer
        self._calls = calls = []  # (args, kwargs, result) of the learner's calls, for the mistakes

        def traced(*args, **kwargs):
            try:
                result = learner_fn(*args, **kwargs)
            except Exception as err:
                raise _LearnerError(err) from err
            if len(calls) < MAX_TRACED_CALLS:
                calls.append((args, kwargs, result))
            return result

        try:
            return super()._run_checker(traced, inputs)
        except _LearnerError as wrapped:
            return f"your function raised {describe_error(wrapped.__cause__)}"

    def _matching_mistakes(self, answer, inputs):
        calls = getattr(self, "_calls", None)
        if not calls or not callable(answer):
            return []

        def agrees(fn):
            return all(
                _same(result, fn(*args, **kwargs), self._rtol) for args, kwargs, result in calls
            )

        try:
            if agrees(self._solution(**inputs)):
                return []  # the reference gives the same results: no mistake shows in these calls
        except Exception:
            pass
        start, matched = time.perf_counter(), []
        for wrong in self.wrong_answers:
            if time.perf_counter() - start > MATCH_SECONDS:
                break
            try:
                if agrees(wrong(**inputs)):
                    matched.append(wrong)
            except Exception:
                continue
        return matched


@contextlib.contextmanager
def _random_state_kept():
    """Keep Python's and NumPy's global random state and Keras's global seed (not TensorFlow's)."""
    import random

    import numpy as np

    py_state, np_state = random.getstate(), np.random.get_state()  # noqa: NPY002
    keras_state = None
    if "keras" in sys.modules:
        from keras.src.backend.common import global_state

        keras_state = {
            key: global_state.get_global_attribute(key)
            for key in ("global_random_seed", "global_seed_generator")
        }
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)  # noqa: NPY002
        for key, value in (keras_state or {}).items():
            global_state.set_global_attribute(key, value)


def _kind(example):
    """What a lesson input built by ``make_inputs`` looks like (see ``_looks_like``)."""
    import numpy as np

    if isinstance(example, (bool, np.bool_)):
        return None
    if isinstance(example, (int, np.integer)):
        return ("int",)
    if isinstance(example, (float, np.floating)):
        return ("float",)
    if isinstance(example, np.ndarray) and example.dtype.kind in "iuf":
        return ("array", min(example.ndim, 2))
    if isinstance(example, str):
        return ("str",)
    if isinstance(example, dict):
        return ("dict",)
    if isinstance(example, (list, tuple)):
        return ("list",)
    if type(example).__module__.split(".")[0] == "keras" and callable(example):
        return ("model",)
    return None


def _looks_like(value, kind):
    """Does a lesson input look like its ``make_inputs`` example of this kind?"""
    import numpy as np

    if kind is None:
        return True
    if kind[0] in ("int", "float"):
        if isinstance(value, (bool, np.bool_, str, bytes)) or np.ndim(value) != 0:
            return False
        number = float(value)
        return bool(np.isfinite(number)) and (kind[0] == "float" or number.is_integer())
    if kind[0] == "array":
        if isinstance(value, (str, bytes, dict)):
            return False
        array = np.asarray(_as_array(value))
        return (
            array.dtype.kind in "biuf"
            and array.ndim >= max(kind[1], 1)
            and array.size > 0
            and bool(np.all(np.isfinite(array)))
        )
    if kind[0] == "str":
        return isinstance(value, str)
    if kind[0] == "dict":
        return hasattr(value, "keys") and hasattr(value, "__getitem__")
    if kind[0] == "list":
        return isinstance(value, (list, tuple, np.ndarray)) and len(value) > 0
    return callable(value)  # a model


def _same(a, b, rtol=1e-6):
    """Are two results equal (numbers and arrays within ``rtol``, str, nested lists/tuples/dicts)?"""
    import numpy as np

    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(_same(a[k], b[k], rtol) for k in a)
        )
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y, rtol) for x, y in zip(a, b, strict=True))
    try:
        x, y = (_as_array(v) for v in (a, b))
    except Exception:
        return False
    if x.dtype.kind not in "biuf" or y.dtype.kind not in "biuf" or x.shape != y.shape:
        return False
    return bool(np.allclose(x, y, rtol=rtol, atol=1e-9, equal_nan=True))


def _as_array(value):
    import numpy as np

    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a bool is not a number here")
    if type(value).__module__.split(".")[0] in ("tensorflow", "torch", "jax", "jaxlib", "keras"):
        import keras

        value = keras.ops.convert_to_numpy(value)
    return np.asarray(value)


class Mistake:
    """A known-wrong answer: ``fn(**inputs, **fixed)``, and the hint a learner who gives it gets.

    ``Mistake("you kept the last epoch, not the best", _callbacks, save_best_only=False)``:
    one factory with one argument changed per mistake, instead of near-copies.
    """

    def __init__(self, hint, fn, /, **fixed):
        self.hint, self.fn, self.fixed = hint, fn, fixed
        self.__doc__ = hint
        words = re.findall(r"[a-z0-9]+", hint.split(":")[0].lower())[:8]
        self.__name__ = "_wrong_" + "_".join(words)  # a test id: the mistake in a few words

    def __call__(self, **inputs):
        return self.fn(**inputs, **self.fixed)

    def __repr__(self):
        return f"Mistake({self.hint!r})"


def mistake_hint(wrong):
    """The hint of a known-wrong answer: its docstring's first line, else its name in words."""
    doc = (wrong.__doc__ or "").strip()
    if doc:
        line = doc.splitlines()[0].rstrip(".")
        return line[0].lower() + line[1:] if line[1:2].islower() else line  # it follows "mistake: "
    return wrong.__name__.removeprefix("_").removeprefix("wrong_").replace("_", " ")


KINDS = ("decision", "new code", "other")  # what an exercise asks of the learner


def set_levels(namespace, **levels):
    """Declare each exercise's difficulty (1-3), expected minutes and kind, once per module.

    At the end of a lesson module: ``set_levels(globals(), q1=(1, 5, "decision"), ...)``. The
    kind is "decision" (choose or predict from measured numbers, then check), "new code"
    (Keras code the lesson has not shown: a layer, a loss, a callback, a model) or "other"
    (a computation, or code close to the lesson's); ``python -m tools.accounting`` counts them.

    Raises:
        ValueError: a name is not an exercise of the module, an exercise is left out, a
            level is not (difficulty 1-3, minutes 1-120, a kind of KINDS), or an exercise's
            title does not start with its name ("q2: ...").
    """
    exercises = {name: value for name, value in namespace.items() if isinstance(value, Exercise)}
    if set(levels) != set(exercises):
        raise ValueError(
            f"set_levels: levels for {sorted(levels)}, exercises {sorted(exercises)}; expected one per exercise"
        )
    for name, level in levels.items():
        ok = isinstance(level, tuple) and len(level) == 3 and all(type(v) is int for v in level[:2])
        if not ok or level[0] not in (1, 2, 3) or not 1 <= level[1] <= 120 or level[2] not in KINDS:
            raise ValueError(
                f"set_levels: {name}={level!r}; expected (difficulty 1-3, minutes 1-120, one of {KINDS})"
            )
        exercises[name].level, exercises[name].kind = level[:2], level[2]
        if exercises[name]._name() != name:
            raise ValueError(
                f"set_levels: {name}'s title {exercises[name].title!r} should start {name + ':'!r}"
            )


class _LearnerError(Exception):
    """An exception raised inside the learner's function (not inside the checker)."""


def dense_layers(model):
    """Every Dense layer of a (possibly nested) Keras model, in order (for checkers)."""
    import keras

    found = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            found.append(layer)
        elif isinstance(layer, keras.Model):
            found.extend(dense_layers(layer))
    return found


def false_alarm_problem(answer, normal_scores, target, unit):
    """Why ``answer`` is not a threshold letting about ``target`` of ``normal_scores`` through.

    Args:
        answer: the learner's threshold (one number).
        normal_scores: scores of normal examples the threshold is set on (any shape).
        target: wanted false-alarm rate, e.g. 0.01; accepted within +-50%.
        unit: what a score belongs to ("row", "window"), for the message.

    Returns:
        None when the rate is within [target/2, 1.5*target], else a str saying why not.
    """
    import numpy as np

    scores = np.asarray(normal_scores, dtype=np.float64).ravel()
    if isinstance(answer, (bool, np.bool_)) or np.ndim(answer) != 0:
        return f"expected one number (a threshold), got {type(answer).__name__}"
    t = float(answer)
    if not np.isfinite(t):
        return f"the threshold {t} is not a finite number"
    rate = np.mean(scores > t)
    if rate == 0:
        return (
            f"no normal {unit} scores above that threshold: it is stricter than {target:.1%} false "
            f"alarms and will miss anomalies a looser threshold would catch"
        )
    if not 0.5 * target <= rate <= 1.5 * target:
        return (
            f"{rate:.2%} of the normal {unit}s score above {t:.4g}; a {target:.1%} false-alarm "
            f"threshold lets about {target:.1%} of them through"
        )
    return None


def solution_code(solve):
    """The body of a solution function, with its final ``return x`` shown as ``answer = x``."""
    lines = textwrap.dedent(inspect.getsource(solve)).splitlines()
    body = textwrap.dedent("\n".join(lines[1:])).rstrip().splitlines()
    if body and body[-1].startswith("return "):
        body[-1] = "answer = " + body[-1][len("return ") :]
    return "\n".join(body)


def all_exercises(modules=None):
    """Every exercise of every lesson module (or of ``modules``, names such as "lesson03"),
    as (module name, attribute, Exercise)."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if modules is not None and info.name not in modules:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for attr, value in vars(module).items():
            if isinstance(value, Exercise):
                found.append((info.name, attr, value))
    return found
