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
:func:`pca_anomaly_scores`             PCA reconstruction error as anomaly score (08)
:func:`isolation_forest_scores`        IsolationForest anomaly score (08, 11)
:func:`tune_denoisers` /               median, Gaussian, total-variation and non-local
:class:`TunedDenoiser`                 means filters, each tuned on validation images (05)
:func:`background_subtraction`,        classical clean-ups of damaged pages (05), tuned
:func:`adaptive_threshold`,            by :func:`tune_page_cleanups`
:func:`.vae.pixel_bernoulli_nll`       independent-pixel density model (06, 10)
:func:`linear_probe`,                  logistic regression on a few labels (09)
:func:`label_draws`
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
    check_fraction,
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


def _same_sample_shape(x_train, x_test, name_test="x_test"):
    if x_train.shape[1:] != x_test.shape[1:]:
        raise ValueError(
            f"x_train samples have shape {x_train.shape[1:]} but {name_test} samples "
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


def pca_anomaly_scores(x_train, x, n_components, seed=0):
    """Anomaly score: PCA reconstruction error, PCA fitted on (normal) training rows.

    Args:
        x_train: float array (n_train, d) (or images, flattened): the rows PCA is fitted on.
        x: float array (m, d): the rows to score.
        n_components: int, principal components kept.
        seed: int >= 0.

    Returns:
        float64 array (m,): mean squared reconstruction error per row (higher = more anomalous).
    """
    from .metrics import check_same_scale, mse_per_sample

    # checked here, under this function's own argument names (pca_baseline's are x_test and code_dim)
    x_train = check_float_array(x_train, "x_train", ndim=(2, 3, 4))
    x = check_float_array(x, "x", ndim=(2, 3, 4))
    _same_sample_shape(x_train, x, name_test="x")
    check_same_scale(x_train, x, "x_train", "x")
    n, d = len(x_train), int(np.prod(x_train.shape[1:]))
    n_components = check_int(n_components, "n_components", minimum=1, maximum=min(n, d))
    result = pca_baseline(x_train, x, n_components, seed=seed)
    return mse_per_sample(x, result.reconstruction)


# ============================================================================= IsolationForest


def isolation_forest_scores(x_train, x, n_estimators=200, seed=0):
    """Anomaly score of scikit-learn's IsolationForest, fitted on the training rows only.

    Random trees isolate points with random splits; anomalies need fewer splits. The
    score is minus ``score_samples``, so higher = more anomalous (like a reconstruction
    error).

    Args:
        x_train: float array (n_train, d) (images are flattened): the rows the trees are grown on.
        x: float array (m, d): the rows to score.
        n_estimators: int, number of trees.
        seed: int >= 0, the forest's random state.

    Returns:
        float64 array (m,).
    """
    from sklearn.ensemble import IsolationForest

    x_train = check_array(x_train, "x_train", ndim=(2, 3, 4))
    x = check_array(x, "x", ndim=(2, 3, 4))
    _same_sample_shape(x_train, x, "x")
    n_estimators = check_int(n_estimators, "n_estimators", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    forest = IsolationForest(n_estimators=n_estimators, random_state=seed)
    forest.fit(x_train.reshape(len(x_train), -1))
    return -forest.score_samples(x.reshape(len(x), -1)).astype(np.float64)


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


@dataclass
class TunedCleanups:
    """Settings of the two page clean-ups chosen on training or validation pages.

    Attributes:
        background_size: window of :func:`background_subtraction`.
        block_size, offset: settings of :func:`adaptive_threshold`.
        rmse: dict clean-up name -> page RMSE of the chosen setting on the tuning pages.
    """

    background_size: int
    block_size: int
    offset: float
    rmse: dict

    def apply(self, pages):
        """dict name -> cleaned pages, for ``"background subtraction"`` and ``"adaptive threshold"``."""
        return {
            "background subtraction": background_subtraction(pages, self.background_size),
            "adaptive threshold": adaptive_threshold(pages, self.block_size, self.offset),
        }


def tune_page_cleanups(
    dirty, clean, sizes=(7, 11, 15, 21), blocks=(15, 25, 35), offsets=(0.05, 0.1, 0.15)
):
    """Choose the clean-ups' settings by page RMSE on training or validation pages (never test).

    Args:
        dirty, clean: float arrays (n, h, w) in [0, 1], damaged pages and their clean originals.
        sizes: candidate windows for :func:`background_subtraction`.
        blocks, offsets: candidate settings for :func:`adaptive_threshold`.

    Returns:
        :class:`TunedCleanups` with the lowest-RMSE setting of each.
    """
    from .documents import page_rmse

    dirty, clean = _pages(dirty, "dirty"), _pages(clean, "clean")
    if dirty.shape != clean.shape:
        raise ValueError(
            f"dirty has shape {dirty.shape} but clean has shape {clean.shape}; expected the same shape"
        )
    for grid, what in ((sizes, "sizes"), (blocks, "blocks"), (offsets, "offsets")):
        if (
            isinstance(grid, (str, bytes, numbers.Number))
            or not hasattr(grid, "__len__")
            or not len(grid)
        ):
            raise ValueError(f"{what} must be a non-empty list of candidate values, got {grid!r}")
    bg = {int(s): page_rmse(clean, background_subtraction(dirty, s)) for s in sizes}
    th = {
        (int(b), float(o)): page_rmse(clean, adaptive_threshold(dirty, b, o))
        for b in blocks
        for o in offsets
    }
    size = min(bg, key=bg.get)
    block, offset = min(th, key=th.get)
    return TunedCleanups(
        size,
        block,
        offset,
        {"background subtraction": bg[size], "adaptive threshold": th[block, offset]},
    )


# ============================================================================= linear probe


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


def _check_draws(draws, n_pool, y_train):
    if isinstance(draws, np.ndarray) and draws.ndim == 1:
        draws = [draws]
    if isinstance(draws, (str, bytes)) or not hasattr(draws, "__len__"):
        raise TypeError(f"draws must be a list of index arrays (see label_draws), got {draws!r}")
    if not len(draws):
        raise ValueError("draws is empty; expected a list of index arrays (see label_draws)")
    checked = []
    for i, draw in enumerate(draws):
        draw = np.asarray(to_numpy(draw))
        if draw.ndim != 1 or not np.issubdtype(draw.dtype, np.integer):
            raise ValueError(
                f"draws[{i}] has shape {draw.shape} and dtype {draw.dtype}; "
                "expected a 1-D array of integer indices"
            )
        if not len(draw) or draw.min() < 0 or draw.max() >= n_pool:
            raise ValueError(f"draws[{i}] holds indices outside [0, {n_pool - 1}] (or none)")
        if len(np.unique(draw)) != len(draw):
            raise ValueError(f"draws[{i}] repeats indices; expected each labelled sample once")
        if len(np.unique(y_train[draw])) < 2:
            raise ValueError(
                f"draws[{i}] labels only one class; expected at least two (see label_draws)"
            )
        checked.append(draw)
    return checked


def linear_probe(
    features_train,
    y_train,
    features_test,
    y_test,
    draws,
    C=0.1,
    max_iter=1000,
    tol=1e-3,
    scaling="global",
):
    """Logistic regression on the features of a few labelled samples, once per label draw.

    Each draw: centre and scale the features with statistics of the LABELLED ROWS ONLY
    (the test rows are transformed, never fitted), fit ``LogisticRegression(C=C)`` on the
    rows ``draw`` of ``features_train`` and score it on all of ``features_test``. Every
    representation gets the same recipe, so differences come from the features, not from
    tuning.

    ``scaling="global"`` divides all features by one number (their root-mean-square after
    centring), which keeps the geometry: PCA codes then behave like the pixels they
    project. ``"per_feature"`` standardises each feature to variance 1 (scikit-learn's
    ``StandardScaler``), which blows low-variance directions (noise) up to the size of
    the important ones. ``None`` leaves the features as they are.

    Args:
        features_train: float array (n, d) (or (n, ...), flattened), features of the pool.
        y_train: int array (n,), labels of the pool (only the drawn rows are used).
        features_test: float array (m, d), features of the test images.
        y_test: int array (m,), their labels (classes that occur in ``y_train``).
        draws: list of int index arrays into the pool, e.g. from :func:`label_draws`.
        C: float > 0, inverse L2 regularisation strength of the logistic regression.
        max_iter: int, iterations of the solver.
        tol: float > 0, the solver's stopping tolerance (1e-3 changes test accuracy by
            about 0.001 against 1e-4, at a fraction of the time).
        scaling: "global", "per_feature" or None (see above).

    Returns:
        ProbeResult with one test accuracy per draw.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    f_train = check_array(features_train, "features_train", ndim=(2, 3, 4))
    f_test = check_array(features_test, "features_test", ndim=(2, 3, 4))
    f_train = f_train.reshape(len(f_train), -1)
    f_test = f_test.reshape(len(f_test), -1)
    if f_train.shape[1] != f_test.shape[1]:
        raise ValueError(
            f"features_train has {f_train.shape[1]} features per sample but features_test "
            f"{f_test.shape[1]}; expected the same (use the same encoder for both)"
        )
    y_train = check_labels(y_train, len(f_train), "y_train")
    y_test = check_labels(y_test, len(f_test), "y_test")
    unseen = np.setdiff1d(y_test, y_train)
    if len(unseen):
        raise ValueError(
            f"y_test holds classes {unseen.tolist()[:5]} that y_train never has; expected the same classes"
        )
    C = check_fraction(C, "C", 0.0, 1e6, inclusive_low=False)
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_fraction(tol, "tol", 0.0, 1.0, inclusive_low=False)
    check_choice(scaling, "scaling", ("global", "per_feature", None))
    accuracies = []
    for draw in _check_draws(draws, len(f_train), y_train):
        f_lab, f_eval = f_train[draw], f_test
        if scaling == "global":
            mean = f_lab.mean(axis=0)
            scale = max(float(np.sqrt(np.mean((f_lab - mean) ** 2))), 1e-12)
            f_lab, f_eval = (f_lab - mean) / scale, (f_eval - mean) / scale
        elif scaling == "per_feature":
            scaler = StandardScaler().fit(f_lab)
            f_lab, f_eval = scaler.transform(f_lab), scaler.transform(f_eval)
        probe = LogisticRegression(C=C, max_iter=max_iter, tol=tol).fit(f_lab, y_train[draw])
        accuracies.append(probe.score(f_eval, y_test))
    return ProbeResult(np.asarray(accuracies, dtype=np.float64))
