"""A pytest plugin for the lessons that nbval runs (wired in the root conftest.py).

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

ALLOW_TAG = "allow-warnings"
NOISE = re.compile(
    r"Traceback \(most recent call last\)"
    r"|\b[A-Z]\w*Warning: "  # path.py:12: UserWarning: ..., FutureWarning: ...
    r"|^\s*WARNING\b"  # WARNING: ..., WARNING:tensorflow:...
    r"|^\s*[WE]\d{4} \d\d:\d\d:\d\d",  # absl / glog lines (W0000 00:00:...)
    re.M,
)
PIN = re.compile(r"""^\s*os\.environ\[["']KERAS_BACKEND["']\]\s*=\s*["'](\w+)["']""", re.M)
DECLARED = re.compile(r"""ae\.setup\([^)]*backends=\(([^)]*)\)""")


def _is_lesson_cell(item):
    return hasattr(item, "cell") and hasattr(item, "test_outputs") and hasattr(item, "raise_cell_error")


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


def lesson_backends(first_code):
    """('pinned', name) | ('declared', (names...)) | (None, None) for a lesson's first code cell."""
    pin = PIN.search(first_code)
    if pin:
        return "pinned", pin.group(1)
    declared = DECLARED.search(first_code)
    if declared:
        return "declared", tuple(re.findall(r"""["'](\w+)["']""", declared.group(1)))
    return None, None


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
            first = next((c.source for c in notebook.nb.cells if c.cell_type == "code"), "")
            reasons[notebook] = skip_reason(first, backend)
        if reasons[notebook]:
            item.add_marker(pytest.mark.skip(reason=reasons[notebook]))
