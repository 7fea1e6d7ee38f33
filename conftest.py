"""Root test configuration: fast mode, quiet single-threaded TensorFlow, offline data.

These variables are set before any test imports Keras, and the notebook kernels that
nbval starts inherit them.
"""

import os
import tempfile
from pathlib import Path

from tools.lessons import ONE_THREAD

os.environ["AEHELPERS_FAST"] = "1"
os.environ.setdefault("AEHELPERS_OFFLINE", "1")  # CI has no internet: never try a download
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "3")
# One thread per test worker: `-n 2` runs two workers on the two cores. XLA (JAX; lesson 12 on
# every stage) keeps its own CPU thread pool, made one thread by XLA_FLAGS: two JAX processes at
# once (two workers) ran a conv VAE's 40 steps in 124 s instead of 175 s with it. Only that flag:
# 969bafb also passed "intra_op_parallelism_threads=1", not an XLA flag, and lesson 12 failed on
# the TensorFlow stages with it. tools/spread.py runs fast-mode spreads with the same settings.
for var, value in ONE_THREAD.items():
    os.environ.setdefault(var, value)
# One scratch folder per test run, made by the process that starts first (the controller
# under xdist; its workers and the notebook kernels inherit the variable) and removed by
# that process at the end of the session: the suite leaves nothing behind in /tmp.
_OWN_TMP = None
if not os.environ.get("AEHELPERS_WORKDIR"):
    _OWN_TMP = Path(tempfile.mkdtemp(prefix="aehelpers-tests-"))
    os.environ["AEHELPERS_WORKDIR"] = str(_OWN_TMP / "work")
    # JAX compiles each new model's train step; models of the same shape compile to the same
    # program, which this run-private cache then reuses (lessons' sweeps: several models each).
    # Removed with the scratch folder; the numbers do not change (the same compiled program).
    os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", str(_OWN_TMP / "jax-cache"))
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")

# Lessons: fail on warnings/tracebacks in cell output; skip a lesson on backends it does not support.
pytest_plugins = ["tools.nbval_checks"]

NBVAL_OUTPUT_TIMEOUT_S = 300  # nbval waits only 5 s (hard-coded) for a cell's output


# Seconds each slow test file takes in fast mode on this 2-core CPU, one worker, TensorFlow
# (lessons: lesson_wall_s in build/executed/fast/results.jsonl; tests: the time-per-file summary
# below). Only the order matters: under `-n 2 --dist loadscope --no-loadscope-reorder` (./course
# test) the longest files start first, so no worker is left with a long lesson at the end while
# the other one idles. Files not listed count 5 s.
EXPECTED_SECONDS = {
    "06_variational_autoencoder": 171,
    "02_undercomplete_autoencoder": 136,
    "04_overcomplete_autoencoder": 131,
    "08_anomaly_detection": 73,
    "05_denoising_autoencoder": 68,
    "10_generative_modelling": 63,
    "09_feature_learning": 62,
    "11_sequence_autoencoders": 53,
    "02b_regularisation_and_properties": 52,
    "12_training_at_scale": 46,
    "03_sparse_autoencoder": 37,
    "01_linear_autoencoder": 35,
    "07_dimensionality_reduction": 30,
    "13_sparse_autoencoders_interpretability": 23,
    "00_setup_and_tour": 15,
    "test_vae": 60,
    "test_exercises": 50,
    "test_reliability": 35,
    "test_models": 17,
    "test_browser_explorer": 15,
    "test_browser_handout": 40,
    "test_browser_lab": 40,
}


def _expected_seconds(item):
    return EXPECTED_SECONDS.get(Path(item.nodeid.split("::")[0]).stem, 5)


def pytest_collection_modifyitems(config, items):
    items.sort(
        key=lambda item: -_expected_seconds(item)
    )  # stable: cells stay in order within a file
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
    config.addinivalue_line(
        "markers", "site: a browser test of the built course website (needs COURSE_SITE_DIR)"
    )
    config.addinivalue_line(
        "markers",
        "tooling: a test of the course's own tools, independent of backend and versions "
        "(`./course test` runs it once, in the tensorflow stage)",
    )
    if (
        _OWN_TMP is not None
        and getattr(config.option, "basetemp", None) is None
        and not hasattr(config, "workerinput")
    ):
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
    new = sorted(
        str(p.relative_to(LESSONS_DIR)) for p in _lesson_files() - session.config._lesson_files
    )
    if new:
        print(f"\nLessons wrote into lessons/ (use ae.workdir() instead): {new}")
        session.exitstatus = 1


# Where the time goes: each test file's (and each lesson's) summed setup + call + teardown time,
# printed at the end of every run, slowest first. Under xdist the controller sees every report.
_FILE_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    _FILE_SECONDS[path] = _FILE_SECONDS.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if not _FILE_SECONDS or hasattr(terminalreporter.config, "workerinput"):
        return
    total = sum(_FILE_SECONDS.values())
    terminalreporter.write_sep("-", f"time per file (summed over workers: {total:.0f} s)")
    for path, seconds in sorted(_FILE_SECONDS.items(), key=lambda kv: -kv[1]):
        if seconds >= 1.0:
            terminalreporter.write_line(f"{seconds:8.1f} s  {path}")
