"""The lesson files and the backends a lesson runs on (read from its first code cell)."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
PIN = re.compile(r"""^\s*os\.environ\[["']KERAS_BACKEND["']\]\s*=\s*["'](\w+)["']""", re.M)
DECLARED = re.compile(r"""ae\.setup\([^)]*backends=\(([^)]*)\)""")
# One thread per process, as the tests run (conftest.py: `-n 2` runs two workers on two cores).
# XLA (JAX) keeps its own CPU thread pool: this flag alone makes it one thread too.
ONE_THREAD = {
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false",
}


def pick_lessons(prefixes=None):
    """The lesson files, optionally only those whose names start with one of ``prefixes``."""
    lessons = sorted(LESSONS.glob("[0-9]*.ipynb"))
    if not prefixes:
        return lessons
    picked = [p for p in lessons if any(p.stem.startswith(x) for x in prefixes)]
    unknown = [x for x in prefixes if not any(p.stem.startswith(x) for p in lessons)]
    if unknown:
        raise SystemExit(
            f"--lessons: no lesson starts with {', '.join(unknown)} (have {', '.join(p.stem for p in lessons)})"
        )
    return picked


def first_code(nb):
    """The source of a notebook's first code cell ('' when it has none)."""
    return next((c.source for c in nb.cells if c.cell_type == "code"), "")


def lesson_backends(first_code):
    """('pinned', name) | ('declared', (names...)) | (None, None) for a lesson's first code cell."""
    pin = PIN.search(first_code)
    if pin:
        return "pinned", pin.group(1)
    declared = DECLARED.search(first_code)
    if declared:
        return "declared", tuple(re.findall(r"""["'](\w+)["']""", declared.group(1)))
    return None, None


def run_backend(nb):
    """The backend a lesson runs on: the one its first cell pins, else ``KERAS_BACKEND`` (default tensorflow)."""
    kind, value = lesson_backends(first_code(nb))
    return value if kind == "pinned" else os.environ.get("KERAS_BACKEND", "tensorflow")


def execute_notebook(nb, *, mode, results, timeout, allow_errors=False, env=None):
    """Run ``nb`` (in place) in a fresh kernel with the lessons folder as its working folder.

    mode: "fast" (AEHELPERS_FAST=1) or "full"; results: the jsonl file ``ae.record`` appends to;
    env: more environment variables for the kernel (e.g. AEHELPERS_SEED, KERAS_BACKEND). The
    kernel runs offline unless AEHELPERS_OFFLINE says otherwise. This process's environment is
    restored afterwards. Returns the wall time in seconds.
    """
    import time

    from nbclient import NotebookClient

    env_before = dict(os.environ)
    os.environ.update(
        AEHELPERS_OFFLINE=os.environ.get("AEHELPERS_OFFLINE", "1"),
        AEHELPERS_RESULTS=str(results),
        **(env or {}),
    )
    if mode == "fast":
        os.environ["AEHELPERS_FAST"] = "1"
    else:
        os.environ.pop("AEHELPERS_FAST", None)
    try:
        start = time.perf_counter()
        NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=allow_errors,
            resources={"metadata": {"path": str(LESSONS)}},
        ).execute()
        return time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(env_before)
