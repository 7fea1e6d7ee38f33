"""Hand a trained model from one lesson to another through the work folder, safely.

:func:`save_model` writes to a temporary name in the work folder and renames it into place,
so an interrupted save (a killed kernel, a full disk) never leaves half a file at the name
another lesson loads. :func:`load_saved_model` loads that file only if it is what the lesson
expects and otherwise returns None with one line that says which file was refused and why,
so the lesson trains the model itself instead of stopping with a Keras error.
"""

import os
import tempfile
from pathlib import Path

from .environment import workdir

_REASON_CHARS = 160


def _model_path(name):
    if not isinstance(name, str) or not name or name != Path(name).name or name in (".", ".."):
        raise ValueError(
            f"name={name!r}; expected a plain file name in the work folder, such as "
            "\"lesson06_conv_vae.keras\" (no folder, no '..')"
        )
    if not name.endswith(".keras"):
        name += ".keras"
    return workdir() / name


def save_model(model, name):
    """Save ``model`` as ``<work folder>/<name>`` all at once: a temp file, then a rename.

    A save that is interrupted leaves only a temp file (``.partial-*.keras``), never a
    damaged file at ``name``; a lesson that reads the file meanwhile sees the old one or
    the new one, whole.

    Args:
        model: a keras.Model.
        name: str, a file name in :func:`workdir` (".keras" is added if missing).

    Returns:
        pathlib.Path of the saved file.

    Example:
        >>> ae.save_model(autoencoder, "lesson02_dense_ae32_full.keras")  # doctest: +SKIP
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    path = _model_path(name)
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".partial-", suffix=".keras")
    os.close(fd)
    try:
        model.save(partial)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return path


def _plain(value):
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    return value


def _lookup(model, dotted):
    """``model.a.b``, where a part may also name a layer (``get_layer``) or index a list."""
    obj = model
    for part in dotted.split("."):
        if part.isdigit() and isinstance(obj, (list, tuple)):
            obj = obj[int(part)]
        elif hasattr(obj, part):
            obj = getattr(obj, part)
        elif hasattr(obj, "get_layer"):
            obj = obj.get_layer(part)  # ValueError when there is no such layer
        else:
            raise AttributeError(f"no {part!r}")
    return obj


def _short(text):
    text = " ".join(str(text).split())
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 3] + "..."


def _why_not(model, expect, check):
    """None if ``model`` is what the caller expects, else a short reason."""
    if expect is not None and not isinstance(model, expect):
        names = " or ".join(
            e.__name__ for e in (expect if isinstance(expect, tuple) else (expect,))
        )
        return f"it holds a {type(model).__name__}, not a {names}"
    if isinstance(check, dict):
        for key, wanted in check.items():
            try:
                found = _lookup(model, key)
            except Exception as err:
                return f"it has no {key} ({_short(err)})"
            if _plain(found) != _plain(wanted):
                return f"its {key} is {_short(repr(found))}, expected {wanted!r}"
    elif check is not None:
        try:
            ok = check(model)
        except Exception as err:
            return f"the check {getattr(check, '__name__', 'check')} failed ({type(err).__name__}: {_short(err)})"
        if ok is not True:
            return f"the check {getattr(check, '__name__', 'check')} said {_short(repr(ok))}"
    return None


def load_saved_model(name, expect=None, check=None, compile=True):
    """Load ``<work folder>/<name>`` if it is the model the lesson expects, else None.

    Never raises for a bad file: a missing, damaged, half-written or foreign file, one
    that holds another kind of model, or one whose settings differ from ``check`` gives
    None and one printed line naming the file and the reason; the lesson then trains the
    model itself. Files are loaded with Keras's ``safe_mode`` (no code from the file runs).

    Args:
        name: str, a file name in :func:`workdir` (".keras" is added if missing).
        expect: optional class (or tuple of classes) the model must be, e.g. ``ae.VAE``.
        check: optional dict ``{attribute: expected value}`` (dotted paths; a part may name a
            layer or index a list, e.g. ``{"encoder.output_shape": (None, 32)}``), or a callable that takes
            the model and returns True when it is the expected one.
        compile: passed to ``keras.saving.load_model``.

    Returns:
        the model, or None.

    Example:
        >>> vae = ae.load_saved_model("lesson06_conv_vae.keras", expect=ae.VAE,
        ...                           check={"latent_dim": 20})  # doctest: +SKIP
    """
    import keras

    if expect is not None:
        classes = expect if isinstance(expect, tuple) else (expect,)
        if not classes or not all(isinstance(c, type) for c in classes):
            raise TypeError(
                f"expect must be a class or a tuple of classes, e.g. ae.VAE; got {expect!r}"
            )
    if check is not None and not isinstance(check, dict) and not callable(check):
        raise TypeError(f"check must be a dict of expected attributes or a callable, got {check!r}")
    path = _model_path(name)
    if not path.is_file():
        why = "there is no such file (the lesson that saves it has not run in this work folder)"
        model = None
    else:
        try:
            model = keras.saving.load_model(path, compile=compile)
            why = _why_not(model, expect, check)
        except Exception as err:
            model = None
            why = (
                f"it is damaged, half-written or not a .keras model, so it cannot be loaded "
                f"(Keras says {type(err).__name__}: {_short(err)})"
            )
    if why is None:
        return model
    print(f"not using {path}: {why}; the lesson trains the model here instead")
    return None
