"""The course's settings, all read from environment variables here: flags, budgets, seeds, folders.

Fast mode (``AEHELPERS_FAST=1``, set by the test suite) shrinks training budgets so every lesson
runs in a couple of minutes; learners get the full run. Standard library only, and no import of
the rest of the package: every other module may import this one.
"""

import os
import sys
import time
from pathlib import Path

# What a lesson's set-up found and what it recorded: ``session.setup`` fills it, ``seed``,
# ``elapsed``, ``record`` and ``compare`` read it.
_state = {"lesson": None, "started": None, "seed": None, "seed_offset": None}

# ----------------------------------------------------------------------------- settings
# Every setting is read from the environment here, and only here:
#   AEHELPERS_FAST      fast mode (small budgets; the tests set it)         on/off flag
#   AEHELPERS_OFFLINE   loaders never download                              on/off flag
#   AEHELPERS_DATA      the course's data cache        (default: <repo>/data, else ~/aehelpers_data)
#   AEHELPERS_RESULTS   absolute path of a JSON-lines file for record()     (default: none)
#   AEHELPERS_RECORD_PRINT  record() also prints each number                on/off flag (default: off)
#   AEHELPERS_WORKDIR   scratch folder of workdir()    (default: <temp>/aehelpers-work-<uid>, 0700)
#   AEHELPERS_SEED      the lesson seed, overriding setup(seed=...)          (default: none)

FLAG_ON = ("1", "true", "yes", "on")
FLAG_OFF = ("", "0", "false", "no", "off")


def _flag(var):
    """Read an on/off environment variable; anything but the documented values is an error."""
    raw = os.environ.get(var, "")
    value = raw.strip().lower()
    if value in FLAG_ON:
        return True
    if value in FLAG_OFF:
        return False
    raise ValueError(
        f"{var}={raw!r} is not understood; expected one of {', '.join(FLAG_ON)} (on) or "
        f"{', '.join(v for v in FLAG_OFF if v)} or empty (off)"
    )


def is_fast():
    """True when ``AEHELPERS_FAST`` is on (1/true/yes/on; the tests set it).

    Raises:
        ValueError: ``AEHELPERS_FAST`` holds another value (e.g. "2" or "maybe").
    """
    return _flag("AEHELPERS_FAST")


def is_offline():
    """True when ``AEHELPERS_OFFLINE`` is on: loaders use local copies only, never the network."""
    return _flag("AEHELPERS_OFFLINE")


def data_dir():
    """The course's data cache: ``$AEHELPERS_DATA``, else ``<repo>/data``, else ``~/aehelpers_data``."""
    env = os.environ.get("AEHELPERS_DATA", "").strip()
    if env:
        return Path(env).expanduser()
    repo_data = Path(__file__).resolve().parent.parent / "data"
    if repo_data.is_dir():
        return repo_data
    return Path.home() / "aehelpers_data"


def results_file():
    """Where :func:`record` appends its JSON lines: ``$AEHELPERS_RESULTS`` as an absolute path, or None.

    A relative path, or one inside a ``lessons`` folder, is not used (the lessons run with
    ``lessons/`` as the working directory and nothing may be written there): it returns
    None and :func:`record` warns once.
    """
    raw = os.environ.get("AEHELPERS_RESULTS", "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.is_absolute() or "lessons" in path.parts:
        return None
    return path


def settings():
    """All settings in one dict: fast mode, offline, data folder, results file, work folder.

    After :func:`setup`, also what it found: backend, versions, devices, CPUs and seed (the
    details its one printed line leaves out; ``setup(verbose=True)`` prints them).
    """
    found = {
        "fast_mode": is_fast(),
        "offline": is_offline(),
        "data_dir": str(data_dir()),
        "results_file": str(results_file()) if results_file() else None,
        "workdir": os.environ.get("AEHELPERS_WORKDIR") or None,
        "record_prints": _record_prints(),
    }
    return {**_state.get("environment", {}), **found}


def _record_prints():
    """Does ``record`` echo its numbers? ``AEHELPERS_RECORD_PRINT`` on (default: off)."""
    return _flag("AEHELPERS_RECORD_PRINT")


def budget(full, fast):
    """Pick a training budget: ``full`` for learners, ``fast`` under the tests.

    Args:
        full: value used in a normal run (epochs, sample counts, ...).
        fast: value used when fast mode is on.

    Returns:
        ``fast`` if :func:`is_fast` else ``full`` (either may be None, e.g. "all samples").

    Raises:
        TypeError: ``full`` and ``fast`` of different kinds (a number and a str, a tuple and a
            number, ...): the run would silently use another kind of value in each mode.

    Example:
        >>> EPOCHS = budget(full=30, fast=2)
    """
    kinds = {_budget_kind(full), _budget_kind(fast)} - {"None"}
    if len(kinds) > 1:
        raise TypeError(
            f"budget(full=..., fast=...) takes two values of one kind (numbers, tuples, dicts, ...), "
            f"or None for either; got full={full!r} and fast={fast!r}"
        )
    return fast if is_fast() else full


def _budget_kind(value):
    import numbers

    if value is None:
        return "None"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, numbers.Real):
        return "number"
    if isinstance(value, (tuple, list)):
        return "sequence"
    return type(value).__name__


def fit_verbosity():
    """The ``verbose`` value for ``model.fit``: progress in full mode, quiet in fast mode.

    Returns:
        2 (one line per epoch: readable in JupyterLab, Colab and a rendered page) in a
        learner's full run, 0 under the tests' fast mode.

    Example:
        >>> model.fit(x, x, epochs=EPOCHS, verbose=ae.fit_verbosity())  # doctest: +SKIP
    """
    return 0 if is_fast() else 2


def _seed_from_environment(default):
    """``AEHELPERS_SEED`` as an int >= 0, else ``default``."""
    raw = os.environ.get("AEHELPERS_SEED", "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise ValueError(
            f"AEHELPERS_SEED={raw!r} is not understood; expected an int from 0 to 2**32 - 1 "
            "(e.g. 43), or unset for the lesson's own seed"
        )
    return value


def _check_seed(seed, name):
    """A seed as a Python int in [0, 2**32) (NumPy's limit); NumPy integers are accepted, bools are not."""
    import numbers

    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**32:
        raise ValueError(
            f"{name} must be a non-negative int below 2**32 (NumPy's seed range), e.g. 42; "
            f"got {seed!r} ({type(seed).__name__})"
        )
    return int(seed)


def seed(k=0):
    """The seed for one use in a lesson (a model, a split, a noise draw): ``k`` in the lesson's own run.

    ``seed(k: int >= 0) -> int in [0, 2**31)``: ``(k + 1000 * (S - S0)) % 2**31``, where ``S0``
    is the seed the lesson passes to :func:`setup` and ``S`` the seed in use (``AEHELPERS_SEED``
    when set, else ``S0``; before :func:`setup`, ``S0`` is 42). So a lesson's own run gets ``k``
    itself, and another lesson seed gives every use another value.

    Raises:
        TypeError: ``k`` is not an int (NumPy integers are accepted).
        ValueError: ``k`` is negative.

    Example:
        >>> keras.utils.set_random_seed(ae.seed(1))  # before building a model  # doctest: +SKIP
        >>> noisy = ae.gaussian_noise(x, 0.5, seed=ae.seed(2))  # doctest: +SKIP
    """
    import numbers

    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise TypeError(
            f"seed(k): k must be an int (e.g. ae.seed(0)), got {k!r} ({type(k).__name__})"
        )
    if k < 0:
        raise ValueError(f"seed(k): k must be >= 0, got {k}")
    offset = _state["seed_offset"]
    if offset is None:
        offset = _seed_from_environment(42) - 42
    return int((int(k) + 1000 * offset) % 2**31)


def elapsed():
    """Seconds since :func:`setup` was called (0.0 if it was not)."""
    if _state["started"] is None:
        return 0.0
    return time.perf_counter() - _state["started"]


def _default_workdir():
    """``<system temp>/aehelpers-work-<uid>``: one private folder per user of the machine.

    Created with mode 0700. On a shared server (a lab machine, a JupyterHub) the system temp
    folder is shared: a folder at that name that another user owns, that is not a real folder
    (a symlink), or that others can write to is refused, so no learner loads a model file
    another user planted. Windows' temp folder is already per user.
    """
    import stat
    import tempfile

    uid = os.getuid() if hasattr(os, "getuid") else None
    root = Path(tempfile.gettempdir()) / (
        "aehelpers-work" if uid is None else f"aehelpers-work-{uid}"
    )
    if uid is None:
        root.mkdir(parents=True, exist_ok=True)
        return root
    try:
        root.mkdir(mode=0o700)
        os.chmod(root, 0o700)  # mkdir's mode is reduced by the umask only; make it exactly 0700
    except FileExistsError:
        pass
    info = os.lstat(root)
    fix = (
        " Delete it if it is yours, or set AEHELPERS_WORKDIR to a folder of your own "
        "(e.g. AEHELPERS_WORKDIR=~/aehelpers-work) and restart the kernel."
    )
    if not stat.S_ISDIR(info.st_mode):
        raise PermissionError(
            f"The default work folder {root} exists but is not a folder (a symlink "
            "or a file): lesson files are not written there or read from it." + fix
        )
    if info.st_uid != uid:
        raise PermissionError(
            f"The default work folder {root} belongs to another user (uid "
            f"{info.st_uid}, you are {uid}): model files there are not yours to "
            "load." + fix
        )
    if info.st_mode & 0o022:
        raise PermissionError(
            f"The default work folder {root} can be written by other users (mode "
            f"{stat.S_IMODE(info.st_mode):o}): model files there could be someone "
            "else's. Run `chmod 700` on it (or delete it), or set AEHELPERS_WORKDIR "
            "to a folder of your own."
        )
    return root


def workdir(name=None):
    """A scratch directory for files a lesson writes (never inside ``lessons/``).

    Uses ``AEHELPERS_WORKDIR`` if set (an absolute path outside ``lessons/``), else a private
    per-user folder ``<system temp>/aehelpers-work-<uid>`` (mode 0700; refused with a
    PermissionError when another user owns it or others can write to it).

    Args:
        name: optional relative folder name inside the work folder (e.g. ``"lesson05"``).

    Returns:
        pathlib.Path that exists.

    Raises:
        ValueError: ``name`` or ``AEHELPERS_WORKDIR`` is not usable (absolute name, '..',
            relative or inside ``lessons/``).
        PermissionError: the default folder belongs to another user or others can write to it.
    """
    if name is not None:
        if (
            not isinstance(name, str)
            or not name
            or Path(name).is_absolute()
            or ".." in Path(name).parts
        ):
            raise ValueError(
                f'name={name!r}; expected a relative folder name such as "lesson05" '
                "(no absolute path, no '..')"
            )
    raw = os.environ.get("AEHELPERS_WORKDIR", "").strip()
    if raw:
        root = Path(raw).expanduser()
        if not root.is_absolute() or "lessons" in root.parts:
            raise ValueError(
                f"AEHELPERS_WORKDIR={raw!r} is not used: expected an absolute path outside "
                "lessons/ (the lessons run inside lessons/), e.g. ~/aehelpers-work"
            )
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = _default_workdir()
    path = root / name if name else root
    path.mkdir(parents=True, exist_ok=True)
    return path


def in_colab():
    """True inside Google Colab."""
    return "google.colab" in sys.modules
