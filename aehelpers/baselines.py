"""The baselines every lesson compares an autoencoder against, in one place.

A claim like "the autoencoder beats PCA" is only as good as the baseline is fair. Every
baseline here follows the same two rules, and ``tests/test_baselines.py`` checks them:

1. **Fit on training data only.** Anything learned (PCA's components, a scaler's mean,
   IsolationForest's trees, per-pixel probabilities) comes from the training rows; the
   evaluation rows are only transformed, so one evaluation row's result never depends on
   the other evaluation rows.
2. **Tune on validation data.** A baseline with a knob (a filter size, a threshold) gets
   the setting with the best validation score; the test set gives the final number.

=====================================  =================================================
baseline                               used in
=====================================  =================================================
:func:`pca_baseline`                   PCA reconstruction (lessons 01-04, 07)
:func:`tune_denoisers` /               median, Gaussian, total-variation and non-local
:class:`TunedDenoiser`                 means filters, each tuned on validation images (05)
:func:`background_subtraction`,        classical clean-ups of damaged pages (05), tuned
:func:`adaptive_threshold`            (lesson 05 tunes their settings on training pages)
:func:`.vae.pixel_bernoulli_nll`       independent-pixel density model (06, 10)
:func:`label_draws`,                   which images get labelled, and the probe's
:class:`ProbeResult`                   accuracies over those draws (09)
=====================================  =================================================
"""

import numbers
from dataclasses import dataclass

import numpy as np

from . import denoisers as _filters
from .validation import (
    check_array,
    check_choice,
    check_float_array,
    check_int,
    check_labels,
    check_number,
    to_numpy,
)

# ============================================================================= PCA


@dataclass
class PCABaseline:
    """PCA fitted on training data, evaluated on test data.

    Attributes:
        pca: the fitted ``sklearn.decomposition.PCA`` (fitted on ``x_train`` only).
        reconstruction: float32 array like ``x_test``: PCA's reconstruction of it.
        mse: float, mean test MSE per pixel.
    """

    pca: object
    reconstruction: np.ndarray
    mse: float


def _same_sample_shape(x_train, x_test):
    if x_train.shape[1:] != x_test.shape[1:]:
        raise ValueError(
            f"x_train samples have shape {x_train.shape[1:]} but x_test samples "
            f"{x_test.shape[1:]}; expected the same"
        )


def pca_baseline(x_train, x_test, code_dim, seed=0):
    """Fit PCA with ``code_dim`` components on ``x_train`` and reconstruct ``x_test``.

    Args:
        x_train: float array (n_train, ...) with n_train >= code_dim: the ONLY data PCA sees.
        x_test: float array (n_test, ...) with the same per-sample shape and scale (raw 0..255
            pixels next to images scaled to [0, 1] are refused).
        code_dim: int, number of principal components (the code size).
        seed: int >= 0, random state for scikit-learn's randomized solver.

    Returns:
        PCABaseline(pca, reconstruction, mse).
    """
    from sklearn.decomposition import PCA

    from .metrics import check_same_scale, mse_per_sample

    x_train = check_float_array(x_train, "x_train", ndim=(2, 3, 4))
    x_test = check_float_array(x_test, "x_test", ndim=(2, 3, 4))
    _same_sample_shape(x_train, x_test)
    check_same_scale(x_train, x_test, "x_train", "x_test")
    n, d = len(x_train), int(np.prod(x_train.shape[1:]))
    code_dim = check_int(code_dim, "code_dim", minimum=1, maximum=min(n, d))
    seed = check_int(seed, "seed", minimum=0)
    pca = PCA(n_components=code_dim, random_state=seed).fit(x_train.reshape(n, d))
    flat_test = x_test.reshape(len(x_test), d)
    recon = pca.inverse_transform(pca.transform(flat_test)).astype(np.float32)
    recon = recon.reshape(x_test.shape)
    return PCABaseline(pca, recon, float(mse_per_sample(x_test, recon).mean()))


# ============================================================================= classical denoisers

# name -> (function, parameter name, candidate values tried by tune_denoisers)
DENOISERS = {
    "median": (_filters.median, "size", (3, 5)),
    "gaussian_blur": (_filters.gaussian_blur, "sigma", (0.5, 0.75, 1.0, 1.5)),
    "total_variation": (_filters.total_variation, "weight", (0.05, 0.1, 0.2, 0.4)),
    "nl_means": (_filters.nl_means, "h", (0.1, 0.2, 0.3, 0.5)),
}


def _check_param(name, value, where):
    """A denoiser parameter: the median's size is an odd-or-even int >= 1, the rest floats > 0."""
    if name == "median":
        return check_int(value, where, minimum=1)
    value = check_number(value, where)
    if value <= 0:
        raise ValueError(f"{where} must be > 0, got {value:g}")
    return value


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

    def __post_init__(self):
        check_choice(self.name, "name", tuple(DENOISERS))
        self.value = _check_param(self.name, self.value, f"value of {self.name}")

    def apply(self, x):
        """Denoise a batch of images (n, h, w) in [0, 1] with the tuned value.

        Returns:
            float32 (n, h, w) in [0, 1].
        """
        func = DENOISERS[self.name][0]
        return np.clip(func(x, self.value), 0.0, 1.0).astype(np.float32)

    def __str__(self):
        return f"{self.name}({self.param}={self.value:g})"


def tune_denoisers(noisy, clean, names=None, grids=None):
    """Pick each denoiser's parameter by mean PSNR on VALIDATION images.

    Pass validation images here and apply the result to the test images: the test set
    never chooses a setting.

    Args:
        noisy: float array (n, h, w) in [0, 1], corrupted validation images.
        clean: float array (n, h, w) in [0, 1], the same images without noise.
        names: list of denoisers (default: all of :data:`DENOISERS`).
        grids: optional dict name -> candidate values, overriding the defaults.

    Returns:
        dict name -> :class:`TunedDenoiser` (the value with the highest validation PSNR).
    """
    from .metrics import psnr

    noisy = _filters.as_batch(noisy, "noisy")
    clean = _filters.as_batch(clean, "clean")
    if noisy.shape != clean.shape:
        raise ValueError(
            f"noisy has shape {noisy.shape} but clean has shape {clean.shape}; expected the same shape"
        )
    if names is None:
        names = list(DENOISERS)
    elif isinstance(names, str) or not hasattr(names, "__iter__"):
        raise TypeError(f"names must be a list of denoiser names, e.g. [{names!r}], got {names!r}")
    names = list(names)
    if not names:
        raise ValueError(f"names is empty; expected some of {sorted(DENOISERS)}")
    unknown = [n for n in names if n not in DENOISERS]
    if unknown:
        raise ValueError(
            f"unknown denoisers in names: {unknown}; expected names from {sorted(DENOISERS)}"
        )
    if grids is None:
        grids = {}
    if not isinstance(grids, dict):
        raise TypeError(
            f"grids must be a dict name -> candidate values, got {type(grids).__name__}"
        )
    stray = [n for n in grids if n not in DENOISERS]
    if stray:
        raise ValueError(
            f"grids names unknown denoisers {stray}; expected names from {sorted(DENOISERS)}"
        )
    tuned = {}
    for name in names:
        func, param, grid = DENOISERS[name]
        grid = grids.get(name, grid)
        if isinstance(grid, (str, bytes, numbers.Number)) or not hasattr(grid, "__len__"):
            raise TypeError(f"grid for {name!r} must be a list of candidate values, got {grid!r}")
        if len(grid) == 0:
            raise ValueError(f"grid for {name!r} is empty; give at least one value")
        grid = [_check_param(name, v, f"grid value for {name}") for v in grid]
        scores = [psnr(clean, np.clip(func(noisy, v), 0.0, 1.0)) for v in grid]
        best = int(np.argmax(scores))
        tuned[name] = TunedDenoiser(name, param, grid[best], float(scores[best]))
    return tuned


# ============================================================================= page clean-ups


def _pages(pages, name="pages"):
    pages = check_array(pages, name, ndim=(2, 3), min_value=0, max_value=1)
    return pages[None] if pages.ndim == 2 else pages


def background_subtraction(pages, size=15):
    """Classical clean-up: estimate the paper with a median filter and divide it out.

    A median over ``size`` x ``size`` pixels ignores thin strokes of text, so it sees the
    paper (stains, shadows); dividing by it whitens the paper and keeps the ink.

    Args:
        pages: float array (n, h, w) or (h, w) in [0, 1].
        size: median window in pixels (larger than the strokes of the text).

    Returns:
        float32 array like ``pages`` in [0, 1].
    """
    from scipy.ndimage import median_filter

    single = np.ndim(to_numpy(pages)) == 2
    pages = _pages(pages)
    size = check_int(size, "size", minimum=3, maximum=max(pages.shape[1:]))
    background = median_filter(pages, size=(1, size, size), mode="reflect")
    out = np.clip(pages / np.maximum(background, 1e-3), 0, 1).astype(np.float32)
    return out[0] if single else out


def adaptive_threshold(pages, block_size=25, offset=0.05):
    """Classical clean-up: black where a pixel is darker than its neighbourhood, else white.

    Uses scikit-image's ``threshold_local`` (Gaussian-weighted local mean minus ``offset``).

    Args:
        pages: float array (n, h, w) or (h, w) in [0, 1].
        block_size: odd neighbourhood size in pixels (at most the page's larger side).
        offset: how much darker than the local mean a pixel must be to count as ink.

    Returns:
        float32 array like ``pages`` with values 0 (ink) or 1 (paper).
    """
    from skimage.filters import threshold_local

    single = np.ndim(to_numpy(pages)) == 2
    pages = _pages(pages)
    block_size = check_int(block_size, "block_size", minimum=3, maximum=max(pages.shape[1:]) | 1)
    if block_size % 2 == 0:
        raise ValueError(f"block_size must be odd, got {block_size}")
    offset = check_number(offset, "offset", minimum=-1.0, maximum=1.0)
    out = np.stack([(p > threshold_local(p, block_size, offset=offset)) for p in pages])
    out = out.astype(np.float32)
    return out[0] if single else out


# ============================================================================= label draws for a probe


def label_draws(y, n_labels, n_draws=5, seed=0):
    """Several stratified draws of ``n_labels`` indices to label (each class equally often).

    Args:
        y: int array (n,), the class of every image in the pool (each class at least twice).
        n_labels: int, images labelled per draw (at least one per class).
        n_draws: int, how many independent draws.
        seed: int, draw ``i`` uses ``seed + i``.

    Returns:
        list of ``n_draws`` int64 arrays (n_labels,), indices into ``y`` (no repeats
        within a draw).
    """
    from sklearn.model_selection import train_test_split

    y = check_labels(y, None, "y")
    classes, counts = np.unique(y, return_counts=True)
    if counts.min() < 2:
        raise ValueError(
            f"y holds only {counts.min()} sample of class {classes[counts.argmin()]}; "
            "expected at least 2 per class for a stratified draw"
        )
    n_classes = len(classes)
    n_labels = check_int(n_labels, "n_labels", minimum=n_classes, maximum=len(y) - n_classes)
    n_draws = check_int(n_draws, "n_draws", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    idx = np.arange(len(y))
    return [
        train_test_split(idx, train_size=n_labels, stratify=y, random_state=seed + i)[0]
        for i in range(n_draws)
    ]


@dataclass
class ProbeResult:
    """Test accuracies of a linear probe, one per label draw.

    Attributes:
        accuracies: float64 array (n_draws,), fraction of test images classified correctly.
    """

    accuracies: np.ndarray

    @property
    def mean(self):
        """Mean accuracy over the draws (float)."""
        return float(np.mean(self.accuracies))

    @property
    def std(self):
        """Spread: standard deviation of the accuracy over the draws (float)."""
        return float(np.std(self.accuracies))

    def __str__(self):
        return f"{self.mean:.3f} ± {self.std:.3f}"
