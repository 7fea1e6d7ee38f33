"""Classical image denoisers (SciPy / scikit-image), the filters a denoising AE must beat.

Each denoiser has one strength parameter; :func:`aehelpers.baselines.tune_denoisers`
tunes it on a few validation images (the parameter with the best mean PSNR wins), so the
comparison with an autoencoder is fair: both see examples of the noise before the test
images.

    >>> tuned = ae.tune_denoisers(noisy_val, clean_val)       # {name: TunedDenoiser}
    >>> restored = tuned["median"].apply(noisy_test)
"""

import numpy as np

from .validation import check_images, check_int, check_number


def as_batch(x, name="x"):
    """Check a batch of grey images (n, h, w) in [0, 1] (or (n, h, w, 1)); return (n, h, w)."""
    x = check_images(x, name)
    if x.ndim == 4:
        x = x[..., 0]
    if x.ndim != 3:
        hint = ""
        if x.ndim == 2:
            side = int(round(np.sqrt(x.shape[1])))
            flat = side * side == x.shape[1] and x.shape[0] != x.shape[1]
            hint = (
                f" (reshape flattened images: {name}.reshape(-1, {side}, {side}))"
                if flat
                else f" (pass {name}[None] for one image)"
            )
        raise ValueError(
            f"{name} has shape {x.shape}; expected a batch of grey images (n, h, w){hint}"
        )
    return x


_as_batch = as_batch


def median(x, size=3):
    """Median filter of ``size`` x ``size`` pixels on each image (n, h, w)."""
    from scipy.ndimage import median_filter

    size = check_int(size, "size", minimum=1)
    return median_filter(_as_batch(x), size=(1, size, size), mode="reflect")


def gaussian_blur(x, sigma=1.0):
    """Gaussian blur of standard deviation ``sigma`` pixels on each image (n, h, w)."""
    from scipy.ndimage import gaussian_filter

    sigma = check_number(sigma, "sigma", minimum=0.0)
    return gaussian_filter(_as_batch(x), sigma=(0, sigma, sigma), mode="reflect")


def total_variation(x, weight=0.1):
    """Total-variation denoising (Chambolle) with ``weight`` on each image (n, h, w)."""
    from skimage.restoration import denoise_tv_chambolle

    x = _as_batch(x)
    weight = check_number(weight, "weight", minimum=0.0)
    return np.stack([denoise_tv_chambolle(img, weight=weight) for img in x]).astype(np.float32)


def nl_means(x, h=0.1, patch_size=3, patch_distance=4):
    """Non-local means with filtering strength ``h`` on each image (n, h, w).

    Small patches and search windows keep it fast on 28x28 images.
    """
    from skimage.restoration import denoise_nl_means

    x = _as_batch(x)
    h = check_number(h, "h", minimum=0.0)
    out = [
        denoise_nl_means(
            img, h=h, patch_size=patch_size, patch_distance=patch_distance, fast_mode=True
        )
        for img in x
    ]
    return np.stack(out).astype(np.float32)
