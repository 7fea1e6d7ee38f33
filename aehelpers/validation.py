"""Input checks used at every public boundary of aehelpers.

Each check fails with a message that says what was received and what was expected,
so a learner can fix the call without reading the source.
"""

import numbers

import numpy as np

_TENSOR_MODULES = ("tensorflow", "jax", "jaxlib", "torch", "keras")


def to_numpy(x):
    """Return a backend tensor (TensorFlow, JAX, PyTorch) as a NumPy array; anything else as is.

    Uses ``keras.ops.convert_to_numpy`` (a PyTorch tensor that requires grad is detached
    first), so a model's output can be passed to any aehelpers function on every backend.
    """
    if isinstance(x, np.ndarray) or type(x).__module__.split(".")[0] not in _TENSOR_MODULES:
        return x
    if hasattr(x, "detach"):  # torch: drop the autograd graph, move to the CPU
        return x.detach().cpu().numpy()
    import keras

    return keras.ops.convert_to_numpy(x)


def check_array(x, name="x", ndim=None, min_value=None, max_value=None, allow_empty=False):
    """Return ``x`` as a float32 NumPy array after checking shape, dtype and values.

    Args:
        x: array-like of real numbers.
        name: how the argument is called in error messages.
        ndim: int or tuple of allowed numbers of dimensions (None: any).
        min_value, max_value: allowed value range (None: unbounded).
        allow_empty: accept an array with zero samples.

    Raises:
        TypeError: not numeric. ValueError: wrong ndim, empty, NaN/inf, out of range.
    """
    if x is None:
        raise ValueError(f"{name} is None; expected an array of numbers")
    x = to_numpy(x)
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:  # ragged lists, odd objects
        raise TypeError(
            f"{name} could not be read as an array ({err}); expected an array of numbers"
        ) from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} has dtype {arr.dtype}; expected an array of real numbers")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} is complex; expected real numbers")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} has shape {arr.shape} ({arr.ndim}-D); expected {want}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {arr.shape}); expected at least one sample")
    arr = arr.astype(np.float32, copy=False)
    if arr.size and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite values; expected finite numbers")
    if arr.size and min_value is not None and arr.min() < min_value:
        raise ValueError(
            f"{name} has values down to {arr.min():.4g}; expected values >= {min_value}"
        )
    if arr.size and max_value is not None and arr.max() > max_value:
        hint = " (divide by 255)" if max_value == 1 and arr.max() > 1.5 else ""
        raise ValueError(
            f"{name} has values up to {arr.max():.4g}; expected values <= {max_value}{hint}"
        )
    return arr


MIN_FLAT_SIDE = 16  # flattened rows of fewer pixels (8x8...) are more likely one image's rows


def check_image_batch(x, name="x", value_range=(0.0, 1.0)):
    """Check a BATCH of grey images and return it as float32 (n, h, w).

    Accepted shapes: (n, h, w), (n, h, w, 1), or flattened square images (n, h*w) of at
    least 16x16 pixels. The batch axis is required: a single (h, w) image would otherwise be
    read as h flattened images, so a 2-D array is refused when it is square (n == h*w: that
    is one image), when its rows are not square images, or when they would be images smaller
    than 16x16 (a 48x64 image is not 48 images of 8x8); pass ``image[None]`` for one image.

    Args:
        x: the images.
        name: how the argument is called in error messages.
        value_range: (low, high) allowed values, or None for any finite values.

    Returns:
        float32 NumPy array (n, h, w).
    """
    arr = check_array(x, name, ndim=(2, 3, 4))
    if arr.ndim == 3 and arr.shape[-1] in (3, 4) and arr.shape[-2] > arr.shape[-1]:
        raise ValueError(
            f"{name} has shape {arr.shape}, which looks like ONE colour image (h, w, "
            f"{arr.shape[-1]}), not a batch of images {arr.shape[-1]} pixels wide; expected "
            "grey images (n, h, w)"
        )
    if arr.ndim == 4:
        if arr.shape[-1] != 1:
            raise ValueError(
                f"{name} has shape {arr.shape}; expected grey images (n, h, w, 1) with 1 channel"
            )
        arr = arr[..., 0]
    elif arr.ndim == 2:
        rows, cols = arr.shape
        side = int(round(np.sqrt(cols)))
        if side * side != cols or rows == cols or side < MIN_FLAT_SIDE:
            raise ValueError(
                f"{name} has shape {arr.shape}, which looks like ONE image without the batch "
                f"axis; expected a batch of images (n, h, w) or flattened square images "
                f"(n, h*w) of at least {MIN_FLAT_SIDE}x{MIN_FLAT_SIDE} (pass {name}[None] for a single image)"
            )
        arr = arr.reshape(rows, side, side)
    if value_range is not None:
        lo, hi = value_range
        if arr.min() < lo or arr.max() > hi:
            amin, amax = float(arr.min()), float(arr.max())
            hint = " (divide by 255)" if hi == 1 and amax > 1.5 else ""
            raise ValueError(
                f"{name} has values in [{amin:.4g}, {amax:.4g}]; expected images scaled "
                f"to [{lo:g}, {hi:g}]{hint}"
            )
    return arr


def check_bool(value, name):
    """Return ``value`` after checking it is True or False (not a string such as "no")."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def check_text(value, name, allow_none=True):
    """Return ``value`` after checking it is a string (or None where ``allow_none``)."""
    if isinstance(value, str) or (value is None and allow_none):
        return value
    want = "a string or None" if allow_none else "a string"
    raise TypeError(f"{name} must be {want}, got {value!r} ({type(value).__name__})")


def check_number(value, name, minimum=None, maximum=None):
    """Return ``value`` as a finite float in [minimum, maximum] (None: unbounded)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value:g}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value:g}")
    return value


def check_choice(value, name, choices):
    """Return ``value`` after checking it is one of ``choices`` (strings, None...)."""
    try:
        ok = value in choices
    except TypeError:  # unhashable values (lists) against a dict or set
        ok = False
    if not ok:
        shown = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}={value!r}; expected one of {shown}")
    return value


def check_widths(values, name="hidden", allow_empty=True):
    """A tuple of positive layer widths from an int or a sequence of ints.

    Every builder reads ``hidden`` the same way: ``hidden=8`` is ONE hidden layer of
    width 8 (the same as ``(8,)``), ``(512, 128)`` two layers, ``()`` none.
    """
    if isinstance(values, numbers.Integral) and not isinstance(values, bool):
        values = (values,)
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be an int or a tuple of ints (layer widths), got {values!r}")
    widths = tuple(check_int(v, f"{name} entry", minimum=1) for v in values)
    if not widths and not allow_empty:
        raise ValueError(f"{name} is empty; expected at least one width, e.g. (16, 32)")
    return widths


def check_images(x, name="x"):
    """Check a batch of grey images scaled to [0, 1].

    Args:
        x: float array (n, h, w), (n, h, w, 1) or flattened (n, h*w), values in [0, 1].

    Returns:
        float32 NumPy array with the same shape.
    """
    arr = check_array(x, name, ndim=(2, 3, 4))
    if arr.ndim == 4 and arr.shape[-1] != 1:
        raise ValueError(f"{name} has shape {arr.shape}; expected grey images with 1 channel")
    if arr.min() < 0 or arr.max() > 1:
        lo, hi = float(arr.min()), float(arr.max())
        hint = " (divide by 255)" if hi > 1.5 else ""
        raise ValueError(
            f"{name} has values in [{lo:.4g}, {hi:.4g}]; the models expect images scaled "
            f"to [0, 1]{hint}"
        )
    return arr


def check_same_shape(a, b, name_a="x", name_b="x_hat"):
    """Raise unless two arrays have the same shape."""
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{name_a} has shape {np.shape(a)} but {name_b} has shape {np.shape(b)}; "
            "expected the same shape"
        )


def check_int(value, name, minimum=None, maximum=None):
    """Return ``value`` as int after checking it is an integer in [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_fraction(value, name, low=0.0, high=1.0, inclusive_low=True):
    """Return ``value`` as float after checking it lies in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    value = float(value)
    ok_low = value >= low if inclusive_low else value > low
    if not (ok_low and value <= high) or np.isnan(value):
        bracket = "[" if inclusive_low else "("
        raise ValueError(f"{name} must be in {bracket}{low}, {high}], got {value}")
    return value


def check_labels(y, n, name="y"):
    """Check integer class labels of length ``n`` (None: any length); returns an int64 array."""
    if y is None:
        raise ValueError(f"{name} is None; expected integer class labels")
    arr = np.asarray(to_numpy(y))
    if arr.ndim != 1 or (n is not None and arr.shape[0] != n):
        want = "1-D labels" if n is None else f"({n},) labels"
        raise ValueError(f"{name} has shape {arr.shape}; expected {want}, one per sample")
    if not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} has dtype {arr.dtype}; expected integer class labels")
    return arr.astype(np.int64)


def check_binary_labels(y, name="y"):
    """0/1 labels (1 = anomaly), one per sample: int64 (n,). Bool and 0.0/1.0 floats are accepted.

    Anything else is refused, which also catches swapped arguments (scores passed as labels).
    """
    arr = check_array(y, name, ndim=1)
    values = np.unique(arr)
    if not np.all(np.isin(values, (0.0, 1.0))):
        shown = ", ".join(f"{v:.4g}" for v in values[:4]) + (", ..." if len(values) > 4 else "")
        raise ValueError(
            f"{name} holds the values {shown}; expected 0/1 labels (1 = anomaly), one per "
            "sample (were the labels and the scores swapped?)"
        )
    return arr.astype(np.int64)


def check_float_array(x, name="x", ndim=None):
    """:func:`check_array` for data that must be floats: integer pixels (uint8 0..255) are refused.

    An integer array of 0/1 values (a binary image) is accepted; one with larger values is raw
    pixels or labels where scaled floats belong, and would give a silently wrong result.
    """
    arr = check_array(x, name, ndim=ndim)
    dtype = np.asarray(to_numpy(x)).dtype  # check_array read it, so this cannot fail
    if np.issubdtype(dtype, np.integer) and arr.max() > 1:
        raise ValueError(
            f"{name} has dtype {dtype} with values up to {arr.max():.4g}; expected floats "
            f"(images as float32 scaled to [0, 1], e.g. {name}.astype('float32') / 255)"
        )
    return arr
