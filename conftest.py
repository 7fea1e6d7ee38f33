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
# One scratch folder per test run, made by the process that starts first (the controller
# under xdist; its workers and the notebook kernels inherit the variable) and removed by
# that process at the end of the session: the suite leaves nothing behind in /tmp.
_OWN_TMP = None
if not os.environ.get("AEHELPERS_WORKDIR"):
    _OWN_TMP = Path(tempfile.mkdtemp(prefix="aehelpers-tests-"))
    os.environ["AEHELPERS_WORKDIR"] = str(_OWN_TMP / "work")

# Lessons: fail on warnings/tracebacks in cell output; skip a lesson on backends it does not support.
pytest_plugins = ["tests.nbval_checks"]

NBVAL_OUTPUT_TIMEOUT_S = 300  # nbval waits only 5 s (hard-coded) for a cell's output


def pytest_collection_modifyitems(config, items):
    for item in items:
        if hasattr(item, "output_timeout"):  # nbval's IPyNbCell
            item.output_timeout = NBVAL_OUTPUT_TIMEOUT_S
    # The website's browser tests run where the site was built (`./course test`'s site stage
    # sets COURSE_SITE_DIR); elsewhere they are deselected, not skipped.
    if not os.environ.get("COURSE_SITE_DIR"):
        site = [item for item in items if item.get_closest_marker("site")]
        if site:
            config.hook.pytest_deselected(items=site)
            items[:] = [item for item in items if not item.get_closest_marker("site")]


LESSONS_DIR = Path(__file__).parent / "lessons"


def _lesson_files():
    return {p for p in LESSONS_DIR.rglob("*") if ".ipynb_checkpoints" not in p.parts}


def pytest_configure(config):
    """pytest's own tmp_path folders go inside the run's scratch folder too (removed at the end)."""
    config.addinivalue_line("markers", "site: a browser test of the built course website (needs COURSE_SITE_DIR)")
    config.addinivalue_line("markers", "tooling: a test of the course's own tools, independent of backend and versions "
                            "(`./course test` runs it once, in the tensorflow stage)")  # fmt: skip
    if _OWN_TMP is not None and getattr(config.option, "basetemp", None) is None and not hasattr(config, "workerinput"):
        config.option.basetemp = str(_OWN_TMP / "pytest")


def pytest_unconfigure(config):
    if _OWN_TMP is not None and not hasattr(config, "workerinput"):
        import shutil

        shutil.rmtree(_OWN_TMP, ignore_errors=True)


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
