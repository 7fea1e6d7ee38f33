"""Classical image denoisers (SciPy / scikit-image), the baselines a denoising AE must beat.

Each denoiser has one strength parameter, tuned by :func:`tune_denoisers` on a few
validation images (the parameter with the best mean PSNR wins), so the comparison with
an autoencoder is fair: both see examples of the noise before the test images.

    >>> tuned = tune_denoisers(noisy_val, clean_val)          # {name: TunedDenoiser}
    >>> restored = tuned["median"].apply(noisy_test)
"""

from dataclasses import dataclass

import numpy as np

from .validation import check_images, check_same_shape


def _as_batch(x, name="x"):
    x = check_images(x, name)
    if x.ndim != 3:
        raise ValueError(f"{name} has shape {x.shape}; expected grey images (n, h, w)")
    return x


def median(x, size=3):
    """Median filter of ``size`` x ``size`` pixels on each image (n, h, w)."""
    from scipy.ndimage import median_filter

    size = int(size)
    return median_filter(_as_batch(x), size=(1, size, size), mode="reflect")


def gaussian_blur(x, sigma=1.0):
    """Gaussian blur of standard deviation ``sigma`` pixels on each image (n, h, w)."""
    from scipy.ndimage import gaussian_filter

    return gaussian_filter(_as_batch(x), sigma=(0, float(sigma), float(sigma)), mode="reflect")


def total_variation(x, weight=0.1):
    """Total-variation denoising (Chambolle) with ``weight`` on each image (n, h, w)."""
    from skimage.restoration import denoise_tv_chambolle

    x = _as_batch(x)
    return np.stack([denoise_tv_chambolle(img, weight=float(weight)) for img in x]).astype(np.float32)


def nl_means(x, h=0.1, patch_size=3, patch_distance=4):
    """Non-local means with filtering strength ``h`` on each image (n, h, w).

    Small patches and search windows keep it fast on 28x28 images.
    """
    from skimage.restoration import denoise_nl_means

    x = _as_batch(x)
    out = [denoise_nl_means(img, h=float(h), patch_size=patch_size,
                            patch_distance=patch_distance, fast_mode=True) for img in x]  # fmt: skip
    return np.stack(out).astype(np.float32)


# name -> (function, parameter name, candidate values tried by tune_denoisers)
DENOISERS = {
    "median": (median, "size", (3, 5)),
    "gaussian_blur": (gaussian_blur, "sigma", (0.5, 0.75, 1.0, 1.5)),
    "total_variation": (total_variation, "weight", (0.05, 0.1, 0.2, 0.4)),
    "nl_means": (nl_means, "h", (0.1, 0.2, 0.3, 0.5)),
}


@dataclass
class TunedDenoiser:
    """A classical denoiser with its tuned parameter.

    Attributes:
        name: key in :data:`DENOISERS`.
        param: the parameter's name ("size", "sigma", "weight", "h").
        value: the value that won on the validation images.
        val_psnr: mean PSNR (dB) it reached there.
    """

    name: str
    param: str
    value: float
    val_psnr: float

    def apply(self, x):
        """Denoise images (n, h, w) in [0, 1]; returns float32 (n, h, w) in [0, 1]."""
        func = DENOISERS[self.name][0]
        return np.clip(func(x, self.value), 0.0, 1.0).astype(np.float32)

    def __str__(self):
        return f"{self.name}({self.param}={self.value:g})"


def tune_denoisers(noisy, clean, names=None, grids=None):
    """Pick each denoiser's parameter by mean PSNR on validation images.

    Args:
        noisy: float array (n, h, w) in [0, 1], corrupted validation images.
        clean: float array (n, h, w) in [0, 1], the same images without noise.
        names: which denoisers (default: all of :data:`DENOISERS`).
        grids: optional dict name -> candidate values, overriding the defaults.

    Returns:
        dict name -> :class:`TunedDenoiser`.
    """
    from .metrics import psnr

    noisy, clean = _as_batch(noisy, "noisy"), _as_batch(clean, "clean")
    check_same_shape(noisy, clean, "noisy", "clean")
    names = list(DENOISERS) if names is None else list(names)
    unknown = [n for n in names if n not in DENOISERS]
    if unknown:
        raise ValueError(f"unknown denoisers {unknown}; expected names from {sorted(DENOISERS)}")
    tuned = {}
    for name in names:
        func, param, grid = DENOISERS[name]
        grid = (grids or {}).get(name, grid)
        if len(grid) == 0:
            raise ValueError(f"grid for {name!r} is empty; give at least one value")
        scores = [psnr(clean, np.clip(func(noisy, v), 0.0, 1.0)) for v in grid]
        best = int(np.argmax(scores))
        tuned[name] = TunedDenoiser(name, param, grid[best], float(scores[best]))
    return tuned
