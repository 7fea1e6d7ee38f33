"""Root test configuration: fast mode, quiet single-threaded TensorFlow, offline data.

These variables are set before any test imports Keras, and the notebook kernels that
nbval starts inherit them.
"""

import os
import tempfile
from pathlib import Path

os.environ["AEHELPERS_FAST"] = "1"
os.environ.setdefault("AEHELPERS_OFFLINE", "1")  # CI has no internet: never try a download
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "3")
# One thread per test worker: `-n 2` runs two workers on the two cores.
for var in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):  # fmt: skip
    os.environ.setdefault(var, "1")
os.environ.setdefault("AEHELPERS_WORKDIR", tempfile.mkdtemp(prefix="aehelpers-tests-"))

# Lessons: fail on warnings/tracebacks in cell output; skip a lesson on backends it does not support.
pytest_plugins = ["tests.nbval_checks"]

NBVAL_OUTPUT_TIMEOUT_S = 300  # nbval waits only 5 s (hard-coded) for a cell's output


def pytest_collection_modifyitems(config, items):
    for item in items:
        if hasattr(item, "output_timeout"):  # nbval's IPyNbCell
            item.output_timeout = NBVAL_OUTPUT_TIMEOUT_S


LESSONS_DIR = Path(__file__).parent / "lessons"


def _lesson_files():
    return {p for p in LESSONS_DIR.rglob("*") if ".ipynb_checkpoints" not in p.parts}


def pytest_sessionstart(session):
    session.config._lesson_files = _lesson_files()


def pytest_sessionfinish(session, exitstatus):
    """Lessons must never write into lessons/ (nbval runs them with lessons/ as cwd)."""
    if hasattr(session.config, "workerinput"):  # only the controller checks
        return
    new = sorted(str(p.relative_to(LESSONS_DIR)) for p in _lesson_files() - session.config._lesson_files)
    if new:
        print(f"\nLessons wrote into lessons/ (use ae.workdir() instead): {new}")
        session.exitstatus = 1
