"""A pytest plugin for the lessons that nbval runs (the root conftest.py loads it: ``pytest_plugins``).

1. Clean output: a lesson cell fails when its output holds something the course did not
   intend: text on stderr (Python warnings, TensorFlow's logs), or a warning or a traceback
   printed anywhere. A cell that means to show one carries the tag ``allow-warnings``
   (tracebacks: nbval's ``raises-exception``).
2. Backends: a lesson whose first code cell pins its backend
   (``os.environ["KERAS_BACKEND"] = "jax"``) runs only in the default (TensorFlow) runs, where
   it uses its own backend; a lesson that declares ``ae.setup(..., backends=("tensorflow", "jax"))``
   is skipped, with the reason, on any other backend.
"""

import os
import re

import pytest

from tools.lessons import first_code, lesson_backends, run_backend

ALLOW_TAG = "allow-warnings"
NOISE = re.compile(
    r"Traceback \(most recent call last\)"
    r"|\b[A-Z]\w*Warning: "  # path.py:12: UserWarning: ..., FutureWarning: ...
    r"|^\s*WARNING\b"  # WARNING: ..., WARNING:tensorflow:...
    r"|^\s*[WE]\d{4} \d\d:\d\d:\d\d",  # absl / glog lines (W0000 00:00:...)
    re.M,
)


def _is_lesson_cell(item):
    return (
        hasattr(item, "cell")
        and hasattr(item, "test_outputs")
        and hasattr(item, "raise_cell_error")
    )


def unintended_output(outputs):
    """Lines of cell outputs a learner should not see: [(kind, text)]."""
    found = []
    for out in outputs or []:
        if out.get("output_type") == "stream":
            text = out.get("text", "")
            if out.get("name") == "stderr" and text.strip():
                found.append(("stderr", text))
            elif NOISE.search(text):
                found.append(("stdout", text))
        elif out.get("output_type") in ("display_data", "execute_result"):
            text = out.get("data", {}).get("text/plain", "")
            if isinstance(text, str) and NOISE.search(text):
                found.append(("display", text))
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    if _is_lesson_cell(item) and ALLOW_TAG not in item.cell.metadata.get("tags", []):
        noise = unintended_output(item.test_outputs)
        if noise:
            shown = "\n".join(f"--- {kind}:\n{text.strip()[:1500]}" for kind, text in noise)
            item.raise_cell_error(
                "Cell output holds a warning, log line or traceback the lesson did not intend "
                f"(fix its cause, or tag the cell '{ALLOW_TAG}' if it teaches it)",
                "\n" + shown,
            )
    return result


def skip_reason(first_code, backend):
    kind, value = lesson_backends(first_code)
    if kind == "pinned" and backend != "tensorflow":
        return f"the lesson pins KERAS_BACKEND={value}: it runs in the default (TensorFlow) runs"
    if kind == "declared" and backend not in value:
        return f"the lesson supports the {', '.join(value)} backends only, not {backend}"
    return None


def pytest_collection_modifyitems(config, items):
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    reasons = {}
    for item in items:
        if not _is_lesson_cell(item):
            continue
        notebook = item.parent
        if notebook not in reasons:
            reasons[notebook] = skip_reason(first_code(notebook.nb), backend)
        if reasons[notebook]:
            item.add_marker(pytest.mark.skip(reason=reasons[notebook]))


# 3. Executed copies: with COURSE_EXECUTED_DIR set, every lesson (of lessons/) that passed is written there
#    (<stem>.ipynb) with the outputs nbval collected, so the course site is built from the test
#    run's executions and no lesson runs twice. A lesson with a failed or skipped cell leaves
#    no copy (and an old copy of it is removed): the site then executes it again, or stops.
EXECUTED_ENV = "COURSE_EXECUTED_DIR"
_runs = {}  # notebook node -> {"start": t, "ok": bool, "outputs": {cell index: outputs}}


def _is_lesson(notebook):
    """A notebook of the course's lessons/ folder (not a test notebook such as tests/notebooks/)."""
    return os.path.basename(os.path.dirname(str(notebook.fspath))) == "lessons"


def pytest_runtest_setup(item):
    if _is_lesson_cell(item) and os.environ.get(EXECUTED_ENV) and _is_lesson(item.parent):
        import time

        _runs.setdefault(item.parent, {"start": time.perf_counter(), "ok": True, "outputs": {}})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    run = _runs.get(item.parent) if _is_lesson_cell(item) else None
    if run is not None and (report.failed or report.skipped):
        run["ok"] = False
    return report


def pytest_runtest_teardown(item, nextitem):
    run = _runs.get(item.parent) if _is_lesson_cell(item) else None
    if run is None:
        return
    index = next(i for i, c in enumerate(item.parent.nb.cells) if c is item.cell)
    run["outputs"][index] = list(item.test_outputs or [])
    if nextitem is not None and getattr(nextitem, "parent", None) is item.parent:
        return
    import time
    from pathlib import Path

    del _runs[item.parent]
    source = Path(str(item.parent.fspath))
    target = Path(os.environ[EXECUTED_ENV]).resolve() / f"{source.stem}.ipynb"
    if not run["ok"]:
        target.unlink(missing_ok=True)
        return
    save_run(
        source.stem,
        item.parent.nb,
        run["outputs"],
        time.perf_counter() - run["start"],
        target,
        backend=run_backend(item.parent.nb),
    )


def save_run(stem, nb, outputs, wall, target, *, backend):
    """Write a passed lesson's executed copy to ``target`` and, when ``AEHELPERS_RESULTS`` names a
    file, its ``lesson_wall_s`` row; the mode is the lesson's own reading of ``AEHELPERS_FAST``."""
    from aehelpers.environment import is_fast, results_file
    from aehelpers.results import append_row, notebook_sha256, wall_row, write_executed

    fast = is_fast()
    write_executed(
        target,
        nb,
        outputs,
        source_sha=notebook_sha256(nb),
        mode="fast" if fast else "full",
        backend=backend,
        wall_s=wall,
    )
    results = results_file()
    if results is not None:  # the lesson's own time, beside its records
        append_row(results, wall_row(stem, wall, fast_mode=fast, backend=backend))
