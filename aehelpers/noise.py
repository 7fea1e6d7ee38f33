"""Noise that corrupts images for denoising autoencoders: x -> x + w.

Every function takes clean images in [0, 1], draws its noise from a seeded NumPy
generator (same seed, same noise), and returns float32 images clipped back to [0, 1]
with the input's shape.

    >>> noisy = gaussian_noise(x, sigma=0.2, seed=0)       # every pixel + N(0, 0.2**2)
    >>> noisy = salt_and_pepper(x, amount=0.2, seed=0)     # 20 % of pixels set to 0 or 1
    >>> noisy = masking_noise(x, fraction=0.5, seed=0)     # 50 % of pixels set to 0
    >>> noisy = add_noise(x, "gaussian", 0.2, seed=0)      # the same, chosen by name
"""

import numbers

import numpy as np

from .validation import check_fraction, check_images

MAX_SIGMA = 10.0


def _rng(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative int or a numpy Generator, got {seed!r}")
    return np.random.default_rng(int(seed))


def gaussian_noise(x, sigma, seed=0):
    """Add zero-mean Gaussian noise of standard deviation ``sigma`` to every pixel.

    Args:
        x: float array of images (n, h, w), (n, h, w, 1) or (n, h*w), values in [0, 1].
        sigma: float >= 0, the noise's standard deviation (in units of the [0, 1] scale).
        seed: int (or ``np.random.Generator``); the same seed gives the same noise.

    Returns:
        float32 array like ``x``: clip(x + N(0, sigma**2), 0, 1).
    """
    x = check_images(x, "x")
    sigma = check_fraction(sigma, "sigma", 0.0, MAX_SIGMA)
    noisy = x + sigma * _rng(seed).standard_normal(x.shape, dtype=np.float32)
    return np.clip(noisy, 0.0, 1.0).astype(np.float32)


def salt_and_pepper(x, amount, seed=0):
    """Set a fraction ``amount`` of pixels to black (0) or white (1), half each on average.

    Args:
        x: float array of images (n, h, w), (n, h, w, 1) or (n, h*w), values in [0, 1].
        amount: float in [0, 1], the expected fraction of pixels replaced.
        seed: int (or ``np.random.Generator``).

    Returns:
        float32 array like ``x``.
    """
    x = check_images(x, "x")
    amount = check_fraction(amount, "amount")
    rng = _rng(seed)
    hit = rng.random(x.shape) < amount
    salt = rng.random(x.shape) < 0.5
    return np.where(hit, salt.astype(np.float32), x).astype(np.float32)


def masking_noise(x, fraction, seed=0):
    """Drop a fraction of the pixels: set them to 0 (the "dropout" corruption of a DAE).

    Args:
        x: float array of images (n, h, w), (n, h, w, 1) or (n, h*w), values in [0, 1].
        fraction: float in [0, 1], the expected fraction of pixels set to 0.
        seed: int (or ``np.random.Generator``).

    Returns:
        float32 array like ``x``.
    """
    x = check_images(x, "x")
    fraction = check_fraction(fraction, "fraction")
    keep = _rng(seed).random(x.shape) >= fraction
    return (x * keep).astype(np.float32)


NOISE_TYPES = {
    "gaussian": gaussian_noise,
    "salt_and_pepper": salt_and_pepper,
    "masking": masking_noise,
}


def add_noise(x, kind, level, seed=0):
    """Corrupt images with the noise named ``kind`` at strength ``level``.

    Args:
        x: float array of images in [0, 1].
        kind: "gaussian" (level = sigma), "salt_and_pepper" (level = amount) or
            "masking" (level = fraction).
        level: the noise strength (see above).
        seed: int (or ``np.random.Generator``).

    Returns:
        float32 array like ``x``.
    """
    if not isinstance(kind, str) or kind not in NOISE_TYPES:
        raise ValueError(f"unknown noise kind {kind!r}; expected one of {sorted(NOISE_TYPES)}")
    return NOISE_TYPES[kind](x, level, seed=seed)
