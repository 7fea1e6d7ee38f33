"""The course's environments and test matrix, as nox sessions.

`./course test` runs the default sessions in this order (`./course` installs nox into `.venv-nox`
first); with nox installed, the same by hand::

    nox                                   # lint, tensorflow, site, jax, torch, colab
    nox -s jax torch -- tests/            # some sessions; pytest arguments after --
    nox -l                                # every session, with what it does

Environments (built here, once, and rebuilt from nothing when a file they come from changes):

=================  ==============================================  ==========================
environment        from                                             used by
=================  ==============================================  ==========================
``.venv``          requirements.txt, pyproject.toml (+ extras:      lab, lint, tensorflow,
                   requirements-backends.txt for PyTorch,           jax, torch, site, results
                   requirements-site.txt for the website)
``.venv-colab``    requirements-colab.txt, pyproject.toml           colab, results --env colab
=================  ==============================================  ==========================

Each environment holds a stamp: the hash of the files it was installed from. A changed file
rebuilds it with ``venv --clear``, never an upgrade in place, so a warm environment cannot keep
a package version that a fresh one would not get. A failing session does not stop the next
one; nox's summary at the end says which failed.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
nox.options.sessions = ["lint", "tensorflow", "site", "jax", "torch", "colab"]
nox.options.default_venv_backend = "none"  # the sessions use the environments built below

COURSE_ENV = ROOT / os.environ.get("VENV", ".venv")
COLAB_ENV = ROOT / os.environ.get("COLAB_VENV", ".venv-colab")
EXTRAS = {  # installed into the course environment by the sessions that need them
    "torch": "requirements-backends.txt",  # PyTorch (CPU)
    "site": "requirements-site.txt",  # Sphinx, myst-nb and the book theme
}
LINTED = ["aehelpers", "tests", "lessons", "conftest.py", "site", "tools", "noxfile.py"]


def _fingerprint(files):
    """A hash of the files and of this Python's version: a new Python rebuilds too."""
    parts = [sys.version.encode()] + [(ROOT / f).read_bytes() for f in files]
    return hashlib.sha256(b"".join(parts)).hexdigest()


def _stamp_ok(stamp, want):
    return stamp.is_file() and stamp.read_text().strip() == want


def _pip(python, *args):
    # --no-compile: no .pyc for the tens of thousands of modules never imported (see ./course)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-compile", *args], check=True)


def environment(session, env=COURSE_ENV, extras=()):
    """The Python of environment ``env`` (a Path), installed or rebuilt as needed.

    ``env`` is built from its requirements file and pyproject.toml (``-e .``); ``extras`` names
    keys of EXTRAS installed on top. Each piece has its own stamp (``.installed``,
    ``.<extra>-installed``); when one no longer matches its files, the whole environment is
    built again from nothing.
    """
    requirements = "requirements-colab.txt" if env == COLAB_ENV else "requirements.txt"
    python = env / "bin" / "python"
    want = {".installed": _fingerprint([requirements, "pyproject.toml"])}
    want.update({f".{x}-installed": _fingerprint([EXTRAS[x]]) for x in extras})
    stale = not python.exists() or not _stamp_ok(env / ".installed", want[".installed"])
    for name in want:
        stamp = env / name
        if name != ".installed" and stamp.exists() and not _stamp_ok(stamp, want[name]):
            stale = True  # an extra installed from another version of its file
    if stale:
        session.log(f"installing {requirements} into a fresh {env.name} (a few minutes)")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(env)], check=True)
        _pip(python, "--upgrade", "pip")
        _pip(python, "-r", str(ROOT / requirements), "-e", str(ROOT))
        (env / ".installed").write_text(want[".installed"] + "\n")
    for x in extras:
        stamp = env / f".{x}-installed"
        if not _stamp_ok(stamp, want[stamp.name]):
            session.log(f"installing {EXTRAS[x]} into {env.name} (once)")
            _pip(python, "-r", str(ROOT / EXTRAS[x]))
            stamp.write_text(want[stamp.name] + "\n")
    return str(python)


def _workers():
    """pytest-xdist workers: COURSE_WORKERS, else one per core up to 4 (each runs one thread
    and one lesson kernel of 1-2 GB; 2 on the 2-core machines CI uses)."""
    value = os.environ.get("COURSE_WORKERS", "")
    if value:
        if not value.isdigit() or int(value) < 1:
            raise SystemExit(f"COURSE_WORKERS must be a whole number >= 1; got {value!r}")
        return value
    return str(max(1, min(4, os.cpu_count() or 1)))


def _pytest(session, python, *args, env=None):
    """pytest with the course's options; its temporary folders in a private place, removed after.

    The longest lessons go first (conftest.py's EXPECTED_SECONDS), in that order.
    """
    scratch = tempfile.mkdtemp(prefix="course-test-")
    try:
        session.run(
            python,
            "-m",
            "pytest",
            "-n",
            _workers(),
            "--dist",
            "loadscope",
            "--no-loadscope-reorder",
            f"--basetemp={scratch}/tmp",
            *args,
            *session.posargs,
            env=env,
            success_codes=[0, 5],  # 5: no test collected (a subset this session skips)
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# Tests marked `tooling` (the course's own tools: handout, site, results, links, install files)
# and `install` do not depend on the backend or the package versions: they run once, in the
# tensorflow session.
BACKEND_ONLY = ("-m", "not install and not tooling")


@nox.session
def lint(session):
    """ruff check and format, notebooks committed without outputs (nbstripout --verify)."""
    bin_ = Path(environment(session)).parent
    session.run(str(bin_ / "ruff"), "check", *LINTED)
    session.run(str(bin_ / "ruff"), "format", "--check", *LINTED)
    lessons = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "lessons").glob("*.ipynb"))
    session.run(str(bin_ / "nbstripout"), "--verify", *lessons)


@nox.session
def tensorflow(session):
    """Every unit test and lesson (fast mode) on TensorFlow, with the Colab dry-run and browser tests.

    Each lesson that passes leaves its executed copy in build/executed/fast/ for `site`.
    """
    executed = ROOT / "build" / "executed" / "fast"
    shutil.rmtree(executed, ignore_errors=True)
    executed.mkdir(parents=True)
    env = {
        "KERAS_BACKEND": "tensorflow",
        "COURSE_EXECUTED_DIR": str(executed),
        "AEHELPERS_RESULTS": str(executed / "results.jsonl"),
    }
    _pytest(session, environment(session), env=env)


@nox.session
def site(session):
    """The fast website from the tensorflow session's executed copies, then its browser test."""
    if session.posargs:
        session.log("site: runs with the whole suite only (no pytest arguments); skipped")
        return
    python = environment(session, extras=("site",))
    session.run(python, "-m", "tools.execute_lessons", "--fast")
    session.run(python, "-m", "tools.build_site", "--mode", "fast")
    scratch = tempfile.mkdtemp(prefix="course-site-")
    try:
        session.run(
            python,
            "-m",
            "pytest",
            f"--basetemp={scratch}",
            "-p",
            "no:xdist",
            "-m",
            "site",
            "tests/test_browser_site.py",
            "-s",
            env={
                "COURSE_SITE_DIR": str(ROOT / "build" / "site"),
                "AEHELPERS_BROWSER_SHOTS": str(ROOT / "build" / "site-shots"),
            },
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@nox.session
def jax(session):
    """The unit tests and lessons under KERAS_BACKEND=jax."""
    _pytest(session, environment(session), *BACKEND_ONLY, env={"KERAS_BACKEND": "jax"})


@nox.session
def torch(session):
    """The unit tests and lessons under KERAS_BACKEND=torch (PyTorch CPU)."""
    python = environment(session, extras=("torch",))
    _pytest(session, python, *BACKEND_ONLY, env={"KERAS_BACKEND": "torch"})


@nox.session
def colab(session):
    """The unit tests and lessons on Colab's package versions (.venv-colab, TensorFlow)."""
    python = environment(session, COLAB_ENV)
    _pytest(session, python, *BACKEND_ONLY, env={"KERAS_BACKEND": "tensorflow"})


# ---- not in the test run: the website, the committed results, spreads, the lab


@nox.session(default=False)
def website(session):
    """./course site [--fast]: execute what is missing, then build build/site/."""
    if session.posargs not in ([], ["--fast"], ["--full"]):
        session.error("usage: ./course site [--fast]")
    mode = "fast" if session.posargs == ["--fast"] else "full"
    python = environment(session, extras=("site",))
    session.run(python, "-m", "tools.execute_lessons", f"--{mode}")
    session.run(python, "-m", "tools.build_site", "--mode", mode)


@nox.session(default=False)
def results(session):
    """./course results [--env colab] [--lessons NN ...] [--force]: full mode, numbers committed.

    Into results/full-cpu.jsonl and the README's table, or results/full-cpu-colab.jsonl.
    """
    args = list(session.posargs)
    course = environment(session)
    if args[:2] == ["--env", "colab"]:
        colab = environment(session, COLAB_ENV)
        session.run(colab, "-m", "tools.execute_lessons", "--full", "--env", "colab", *args[2:])
        rows = "build/executed/full-colab/results.jsonl"
        session.run(course, "-m", "tools.results", "commit", rows, "--env", "colab")
    elif args and args[0] == "--env":
        session.error("usage: ./course results [--env colab] [--lessons NN ...] [--force]")
    else:
        session.run(course, "-m", "tools.execute_lessons", "--full", *args)
        session.run(course, "-m", "tools.results", "commit", "build/executed/full/results.jsonl")


@nox.session(default=False)
def spread(session):
    """./course spread LESSON... [--seeds N] [--mode full|fast] [--backends ...]."""
    extras = ("torch",) if any("torch" in a for a in session.posargs) else ()
    session.run(environment(session, extras=extras), "-m", "tools.spread", *session.posargs)


@nox.session(default=False)
def setup(session):
    """Build the course environment (.venv), as ./course lab does before opening JupyterLab."""
    environment(session)
