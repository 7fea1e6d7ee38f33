"""Learned features with few labels: stratified label draws and a linear probe.

A *linear probe* measures how useful a representation is for classification: a
logistic regression is fitted on the features of a few labelled images and scored on a
test set. One draw of 100 labels is noisy (which 100 images you happen to label moves
the accuracy by several points), so the probe is repeated over several label draws and
reports the mean and the spread. Use the *same* draws for every representation, so the
comparison is paired::

    draws = label_draws(y_pool, n_labels=100, n_draws=5)
    raw = linear_probe(x_pool, y_pool, x_test, y_test, draws)
    codes = linear_probe(encoder.predict(x_pool), y_pool, encoder.predict(x_test), y_test, draws)
    print(raw, codes, (codes.accuracies - raw.accuracies).mean())
"""

from dataclasses import dataclass

import numpy as np

from .validation import check_array, check_fraction, check_int, check_labels


def label_draws(y, n_labels, n_draws=5, seed=0):
    """Several stratified draws of ``n_labels`` indices to label (each class equally often).

    Args:
        y: int array (n,), the class of every image in the pool.
        n_labels: int, images labelled per draw (at least one per class).
        n_draws: int, how many independent draws.
        seed: int, draw ``i`` uses ``seed + i``.

    Returns:
        list of ``n_draws`` int64 arrays (n_labels,), indices into ``y`` (no repeats
        within a draw).
    """
    from sklearn.model_selection import train_test_split

    y = check_labels(y, len(np.asarray(y)), "y")
    n_classes = len(np.unique(y))
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


def linear_probe(features_train, y_train, features_test, y_test, draws, C=0.1, max_iter=1000,
                 tol=1e-3, scaling="global"):  # fmt: skip
    """Logistic regression on the features of a few labelled samples, once per label draw.

    Each draw: centre and scale the features (statistics of the labelled rows only), fit
    ``LogisticRegression(C=C)`` on the rows ``draw`` of ``features_train`` and score it on
    all of ``features_test``. Every representation gets the same recipe, so differences
    come from the features, not from tuning.

    ``scaling="global"`` divides all features by one number (their root-mean-square after
    centring), which keeps the geometry: PCA codes then behave like the pixels they
    project. ``"per_feature"`` standardises each feature to variance 1 (scikit-learn's
    ``StandardScaler``), which blows low-variance directions (noise) up to the size of
    the important ones. ``None`` leaves the features as they are.

    Args:
        features_train: float array (n, d) (or (n, ...), flattened), features of the pool.
        y_train: int array (n,), labels of the pool (only the drawn rows are used).
        features_test: float array (m, d), features of the test images.
        y_test: int array (m,), their labels.
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
    C = check_fraction(C, "C", 0.0, 1e6, inclusive_low=False)
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_fraction(tol, "tol", 0.0, 1.0, inclusive_low=False)
    if scaling not in ("global", "per_feature", None):
        raise ValueError(f'scaling={scaling!r}; expected "global", "per_feature" or None')
    if isinstance(draws, np.ndarray) and draws.ndim == 1:
        draws = [draws]
    if not len(draws):
        raise ValueError("draws is empty; expected a list of index arrays (see label_draws)")
    accuracies = []
    for i, draw in enumerate(draws):
        draw = np.asarray(draw)
        if draw.ndim != 1 or not np.issubdtype(draw.dtype, np.integer):
            raise ValueError(f"draws[{i}] has shape {draw.shape} and dtype {draw.dtype}; "
                             "expected a 1-D array of integer indices")  # fmt: skip
        if draw.min() < 0 or draw.max() >= len(f_train):
            raise ValueError(f"draws[{i}] holds indices outside [0, {len(f_train) - 1}]")
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
