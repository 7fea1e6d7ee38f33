"""Input checks used at every public boundary of aehelpers.

Each check fails with a message that says what was received and what was expected,
so a learner can fix the call without reading the source.
"""

import numbers

import numpy as np


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
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):  # backend tensors
        x = x.numpy()
    arr = np.asarray(x)
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
        raise ValueError(f"{name} has values down to {arr.min():.4g}; expected values >= {min_value}")
    if arr.size and max_value is not None and arr.max() > max_value:
        hint = " (divide by 255)" if max_value == 1 and arr.max() > 1.5 else ""
        raise ValueError(
            f"{name} has values up to {arr.max():.4g}; expected values <= {max_value}{hint}"
        )
    return arr


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
    """Check integer class labels of length ``n``; returns an int64 array."""
    arr = np.asarray(y)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"{name} has shape {arr.shape}; expected ({n},) labels, one per sample")
    if not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} has dtype {arr.dtype}; expected integer class labels")
    return arr.astype(np.int64)
