"""Stop ``import aehelpers`` with a clear message when the session must be restarted first.

A lesson's first cell installs ``aehelpers`` where it is missing (``%pip install``). If that
install replaced a package this Python session had already imported (NumPy, say), the session
keeps running the old version while the files on disk are the new one, and the errors that
follow are obscure. This check runs first thing in ``aehelpers/__init__.py``, before any of
those packages is imported by it: a watched module that is loaded at a version that no
installed distribution has means an install changed it under the running session.
Standard library only, and cheap (a few metadata look-ups).
"""

import sys

# module name -> distribution name: the packages a Jupyter session often imports before the
# lesson's first cell runs, and that an install of aehelpers could replace.
WATCHED = {
    "numpy": "numpy",
    "scipy": "scipy",
    "sklearn": "scikit-learn",
    "skimage": "scikit-image",
    "matplotlib": "matplotlib",
    "keras": "keras",
}


class RestartNeeded(RuntimeError):
    """An install in this session replaced a package the session had already imported."""


def stale_packages(modules=None):
    """``["numpy 2.0.0 -> 2.1.3", ...]``: loaded modules whose version is no longer installed.

    A module counts as stale when its ``__version__`` matches none of the installed
    distributions of that name (several can be found when a folder holds an old
    ``.dist-info`` too; any match is fine).
    """
    import importlib.metadata

    modules = sys.modules if modules is None else modules
    stale = []
    for module, dist in WATCHED.items():
        loaded = getattr(modules.get(module), "__version__", None)
        if not isinstance(loaded, str):
            continue
        try:
            on_disk = sorted({d.version for d in importlib.metadata.distributions(name=dist)})
        except Exception:  # unreadable metadata: no evidence either way
            continue
        if on_disk and loaded not in on_disk:
            stale.append(f"{module} {loaded} -> {on_disk[-1]}")
    return stale


def check_restart(modules=None):
    """Raise :class:`RestartNeeded`, saying what changed and which menu entry restarts."""
    stale = stale_packages(modules)
    if stale:
        raise RestartNeeded(
            "RESTART NEEDED: installing the course helpers changed packages this session had "
            f"already loaded ({', '.join(stale)}). Restart the session (Colab: Runtime > Restart "
            "session; Kaggle: Run > Restart & clear cell outputs; Jupyter: Kernel > Restart "
            "Kernel), then run the first cell again: the install is done and will not repeat."
        )


check_restart()  # on import: aehelpers/__init__.py imports this module before anything else
