"""Exercises with ``check`` / ``hint`` / ``solution`` that never crash a notebook.

Each lesson has a module here (``aehelpers.exercises.lesson01`` ...) holding its
:class:`Exercise` objects. In a notebook::

    from aehelpers.exercises import lesson01 as ex
    answer = ...            # a learner replaces the Ellipsis with their answer
    ex.q1.check(answer)     # correct / not yet (with why) / not attempted
    ex.q1.hint()
    ex.q1.solution()        # prints the reference solution's code

The tests call :meth:`Exercise.run_solution` for every exercise, so every
reference solution is known to pass its own check.
"""

import importlib
import inspect
import pkgutil
import textwrap
from dataclasses import dataclass

CORRECT, NOT_YET, NOT_ATTEMPTED = "correct", "not yet", "not attempted"


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
    """One exercise: a question, a checker, a hint and a reference solution.

    Args:
        title: short title, shown in every message.
        checker: function(answer, **inputs) -> None if correct, else a str saying why
            not. It may raise; ``check`` turns that into a "not yet".
        hint: str shown by :meth:`hint`.
        solution: function(**inputs) -> a correct answer; :meth:`solution` prints its code.
        make_inputs: function() -> dict of small inputs for the solution (used by the
            tests); None when the solution needs no inputs.
    """

    def __init__(self, title, checker, hint, solution, make_inputs=None):
        self.title = title
        self._checker = checker
        self._hint = hint
        self._solution = solution
        self._make_inputs = make_inputs

    def check(self, answer=Ellipsis, **inputs):
        """Check an answer and print correct / not yet (with why) / not attempted. Never raises."""
        print(f"[{self.title}] {self._check(answer, **inputs)!r}")

    def _check(self, answer, **inputs):
        if answer is Ellipsis or answer is None:
            return CheckResult(NOT_ATTEMPTED, "replace the `...` with your answer, then run the cell")
        try:
            problem = self._checker(answer, **inputs)
        except Exception as err:  # a learner's answer may fail in any way
            return CheckResult(NOT_YET, f"checking your answer raised {type(err).__name__}: {err}")
        if problem:
            return CheckResult(NOT_YET, str(problem))
        return CheckResult(CORRECT, "well done")

    def hint(self):
        """Print the hint."""
        print(f"[{self.title}] hint: {self._hint}")

    def solution(self):
        """Print the reference solution as the code a learner would put in the answer cell."""
        print(f"[{self.title}] one solution:\n\n{solution_code(self._solution)}")

    def run_solution(self):
        """Run the reference solution on ``make_inputs()`` and check it (for the tests)."""
        inputs = self._make_inputs() if self._make_inputs else {}
        answer = self._solution(**inputs)
        return self._check(answer, **inputs)

    def __repr__(self):
        return f"Exercise({self.title!r})"


def solution_code(solve):
    """The body of a solution function, with its final ``return x`` shown as ``answer = x``."""
    lines = textwrap.dedent(inspect.getsource(solve)).splitlines()
    body = textwrap.dedent("\n".join(lines[1:])).rstrip().splitlines()
    if body and body[-1].startswith("return "):
        body[-1] = "answer = " + body[-1][len("return ") :]
    return "\n".join(body)


def all_exercises():
    """Every Exercise of every lesson module, as (module name, attribute, Exercise)."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for attr, value in vars(module).items():
            if isinstance(value, Exercise):
                found.append((info.name, attr, value))
    return found
