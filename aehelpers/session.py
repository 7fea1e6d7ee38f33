"""Session set-up: ``setup()`` seeds everything, quiets the logs, sets plotting defaults, lists
the devices and prints one line about the run.

Importing this module imports TensorFlow once with its C++ start-up notices muted (when the
backend is TensorFlow), so ``import aehelpers`` before Keras keeps a lesson's first cell clean.
"""

import importlib
import importlib.metadata
import os
import platform
import sys
import time

from .environment import _check_seed, _seed_from_environment, _state, data_dir, in_colab, is_fast

# TensorFlow reads these when it is first imported, so they are set here, at
# import time of aehelpers, before any lesson imports Keras.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "3")


def _tensorflow_distribution():
    for name in ("tensorflow", "tensorflow-cpu"):
        try:
            importlib.metadata.version(name)
            return name
        except importlib.metadata.PackageNotFoundError:
            pass
    return None


def _import_tensorflow_quietly():
    """Import TensorFlow once with the C++ stderr muted.

    TensorFlow's C++ core prints start-up notices (oneDNN, CPU features) straight to
    file descriptor 2 before any log level applies; Jupyter shows them as red text in
    the first cell. Muting fd 2 for the import keeps notebooks clean; Python errors
    still raise normally. Only the import happens here: aehelpers uses no TensorFlow API.
    """
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow" or "tensorflow" in sys.modules:
        return
    if _tensorflow_distribution() is None:
        return
    try:
        saved = os.dup(2)
    except OSError:
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            importlib.import_module("tensorflow")
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_import_tensorflow_quietly()


def _set_matplotlib_defaults():
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "image.cmap": "gray",
            "image.interpolation": "nearest",
            "axes.grid": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 11,
            "figure.titlesize": 12,
            "font.size": 10,
        }
    )


BACKENDS = ("tensorflow", "jax", "torch")


def _devices(keras):
    """Devices Keras can use, e.g. ['cpu:0', 'gpu:0'] (Keras's names where it has them)."""
    try:
        return [str(d).lower() for d in keras.distribution.list_devices()]
    except Exception:  # the torch backend has no keras.distribution support
        pass
    try:
        import torch

        found = [f"cuda:{i}" for i in range(torch.cuda.device_count())]
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            found.append("mps:0")
        return found + ["cpu:0"]
    except Exception:
        return ["cpu:0"]


def _check_backends(backends):
    if backends is None:
        return None
    if isinstance(backends, str):
        backends = (backends,)
    backends = tuple(backends) if isinstance(backends, (tuple, list)) else None
    if not backends or any(b not in BACKENDS for b in backends):
        raise ValueError(
            f"backends must be a tuple of names from {BACKENDS}, e.g. "
            f'backends=("tensorflow", "jax"); got {backends!r}'
        )
    return backends


def setup(seed=42, lesson=None, backends=None, verbose=False):
    """Seed everything, quiet the logs, set plotting defaults and print one line about the run.

    The line: Keras version and backend, the device (GPU or CPU only; on Colab without a GPU,
    how to switch to one) and the mode (full, or the tests' fast mode). The details (versions,
    every device, seed, data folder) are in :func:`settings` and printed by ``verbose=True``.

    Args:
        seed: int, seeds Python's ``random``, NumPy and the Keras backend. The environment
            variable ``AEHELPERS_SEED`` (an int >= 0) replaces it, and every :func:`seed`
            the lesson takes then changes with it (``./course spread`` runs lessons so).
        lesson: optional lesson name (e.g. ``"01_linear_autoencoder"``); it labels
            the numbers that :func:`record` writes.
        backends: optional tuple of the Keras backends the lesson supports, e.g.
            ``("tensorflow", "jax")``; on another backend setup stops with a message that
            says which to use (and the test runner skips the lesson there). None: all three.
        verbose: bool, also print versions, devices, seed and data folder (default: one line).

    Returns:
        dict with backend, versions, devices, fast mode, data directory and seed.
    """
    seed = _check_seed(seed, "seed")
    if not isinstance(verbose, bool):
        raise TypeError(f"verbose must be True or False, got {verbose!r}")
    if lesson is not None and (not isinstance(lesson, str) or not lesson.strip()):
        raise TypeError(
            f'lesson must be the lesson\'s name, e.g. "01_linear_autoencoder", got {lesson!r}'
        )
    lesson_seed, seed = seed, _seed_from_environment(seed)
    backends = _check_backends(backends)
    import logging

    import keras
    import numpy as np

    keras.utils.set_random_seed(seed)  # seeds Python's random, NumPy and the backend
    try:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:  # only present with TensorFlow
        pass
    # TensorFlow's Python logger (e.g. its long "retracing" warning); a plain logging call,
    # no TensorFlow API.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    _set_matplotlib_defaults()
    _state.update(
        lesson=lesson, started=time.perf_counter(), seed=seed, seed_offset=seed - lesson_seed
    )
    info = {
        "lesson": lesson,
        "python": platform.python_version(),
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "numpy": np.__version__,
        "fast_mode": is_fast(),
        "data_dir": str(data_dir()),
        "seed": seed,
        "cpus": os.cpu_count(),
        "devices": _devices(keras),
    }
    if info["backend"] == "tensorflow":
        info["tensorflow"] = importlib.metadata.version(_tensorflow_distribution())
    _state["environment"] = dict(info)
    mode = "FAST mode (tests: small budgets)" if info["fast_mode"] else "full run"
    accelerators = [d for d in info["devices"] if not d.startswith("cpu")]
    device = ", ".join(accelerators) if accelerators else f"CPU only ({info['cpus']} cores)"
    if in_colab() and not accelerators:
        device += (
            "; a GPU makes the convolutional lessons several times faster: Runtime > "
            "Change runtime type > T4 GPU, then run again from the top"
        )
    if seed != lesson_seed:  # a spread run: say so on the one line
        mode += f" | seed: {seed} (AEHELPERS_SEED)"
    print(
        f"Keras {info['keras']} on {info['backend']} | {device} | {mode}"
        + ("" if verbose else "  (details: ae.settings())")
    )
    if verbose:
        print(
            ("" if "tensorflow" not in info else f"TensorFlow {info['tensorflow']} | ")
            + f"Python {info['python']} | NumPy {info['numpy']} | {info['cpus']} CPUs"
        )
        print(f"seed: {seed} | data: {info['data_dir']}")
        print(
            "devices: "
            + ", ".join(info["devices"])
            + ("" if accelerators else " (no GPU: CPU only)")
        )
    if backends is not None and info["backend"] not in backends:
        raise RuntimeError(
            f"This lesson runs on the {' or '.join(backends)} backend, and Keras is using "
            f"{info['backend']}. Set KERAS_BACKEND={backends[0]} before starting Jupyter (or "
            "restart the kernel after setting it): see README.md, 'Backends'."
        )
    return info
