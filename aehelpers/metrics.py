"""Reconstruction and image-quality metrics (the PCA baseline lives in :mod:`aehelpers.baselines`)."""

import numpy as np

from .validation import (
    check_array,
    check_float_array,
    check_image_batch,
    check_same_shape,
    to_numpy,
)


def check_same_scale(a, b, name_a="x", name_b="x_hat"):
    """Refuse raw 0..255 pixels on one side and values scaled to [0, 1] on the other.

    A float copy of uint8 pixels (whole numbers up to 255: a forgotten ``/ 255``) next to scaled
    images gives a silently meaningless error. Other scales are left alone (standardised rows,
    a model's output beyond [0, 1], both sides in 0..255): these functions also serve tables
    and sequences, which are not limited to [0, 1].

    Raises:
        ValueError naming the argument that holds the raw pixels.
    """

    def scaled(arr):
        return arr.size and arr.min() >= 0 and arr.max() <= 1

    def raw_pixels(arr):
        return (
            arr.size and arr.max() > 1.5 and arr.min() >= 0 and bool(np.all(arr == np.round(arr)))
        )

    for one, other, name_one, name_other in ((a, b, name_a, name_b), (b, a, name_b, name_a)):
        if scaled(one) and raw_pixels(other):
            raise ValueError(
                f"{name_other} holds whole numbers from {other.min():.4g} to {other.max():.4g} (raw pixels?) but "
                f"{name_one} is scaled to [0, 1]; expected both on the same scale (for 8-bit pixels: {name_other} / 255)"
            )


def mse_per_sample(x, x_hat):
    """Mean squared error of each sample.

    Args:
        x, x_hat: float arrays of the same shape (n, ...), e.g. (n, 28, 28) or (n, 784);
            the batch axis is required (pass ``x[None]`` for one sample). Both on the same
            scale: raw 0..255 pixels next to images scaled to [0, 1] are refused.

    Returns:
        float64 array (n,): mean over all but the first axis of (x - x_hat)**2.
    """
    x = check_float_array(x, "x", ndim=(2, 3, 4))
    x_hat = check_float_array(x_hat, "x_hat", ndim=(2, 3, 4))
    check_same_shape(x, x_hat)
    check_same_scale(x, x_hat)
    diff = (x.astype(np.float64) - x_hat.astype(np.float64)).reshape(len(x), -1)
    return np.mean(diff**2, axis=1)


def principal_angles(a, b):
    """Principal angles, in degrees, between the column spaces of ``a`` and ``b``.

    Args:
        a: float array (d, k1), b: float array (d, k2): k vectors of dimension d as columns.

    Returns:
        float64 array (min(k1, k2),), ascending: 0 means a shared direction,
        90 means orthogonal.
    """
    from scipy.linalg import subspace_angles

    a = check_array(a, "a", ndim=2)
    b = check_array(b, "b", ndim=2)
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"a has {a.shape[0]}-dimensional columns but b {b.shape[0]}-dimensional; "
            "expected the same dimension (pass vectors as columns)"
        )
    return np.sort(np.degrees(subspace_angles(a.astype(np.float64), b.astype(np.float64))))


# ----------------------------------------------------------------------------- image quality


def _image_pairs(x, x_hat):
    """Validate two batches of grey images in [0, 1]; return them as (n, h, w) float64."""
    x, x_hat = to_numpy(x), to_numpy(x_hat)
    shapes = np.shape(x), np.shape(x_hat)
    x = check_image_batch(x, "x")
    x_hat = check_image_batch(x_hat, "x_hat")
    if shapes[0] != shapes[1]:
        raise ValueError(
            f"x has shape {shapes[0]} but x_hat has shape {shapes[1]}; expected the same shape"
        )
    return x.astype(np.float64), x_hat.astype(np.float64)


def psnr_per_image(x, x_hat):
    """Peak signal-to-noise ratio of each image, in dB (scikit-image's, data_range=1).

    Args:
        x: a batch of clean images (n, h, w), (n, h, w, 1) or (n, h*w), values in [0, 1]
            (one image: ``x[None]``).
        x_hat: noisy or denoised images, same shape and range.

    Returns:
        float64 array (n,): 10 * log10(1 / MSE) per image (inf where identical).
    """
    from skimage.metrics import peak_signal_noise_ratio

    x, x_hat = _image_pairs(x, x_hat)
    with np.errstate(divide="ignore"):
        return np.array(
            [peak_signal_noise_ratio(a, b, data_range=1.0) for a, b in zip(x, x_hat, strict=True)]
        )


def psnr(x, x_hat):
    """Mean PSNR over a batch of images, in dB (see :func:`psnr_per_image`)."""
    return float(np.mean(psnr_per_image(x, x_hat)))


def ssim_per_image(x, x_hat):
    """Structural similarity of each image (scikit-image's, data_range=1, 7x7 window).

    Args:
        x: clean images (n, h, w), (n, h, w, 1) or (n, h*w), values in [0, 1],
            at least 7 pixels high and wide.
        x_hat: noisy or denoised images, same shape and range.

    Returns:
        float64 array (n,), 1.0 for identical images.
    """
    from skimage.metrics import structural_similarity

    x, x_hat = _image_pairs(x, x_hat)
    if min(x.shape[1:]) < 7:
        raise ValueError(f"images of shape {x.shape[1:]} are too small for SSIM; expected >= 7x7")
    return np.array(
        [structural_similarity(a, b, data_range=1.0) for a, b in zip(x, x_hat, strict=True)]
    )


def ssim(x, x_hat):
    """Mean SSIM over a batch of images (see :func:`ssim_per_image`)."""
    return float(np.mean(ssim_per_image(x, x_hat)))
