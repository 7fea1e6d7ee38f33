"""Exercises of lesson 08: anomaly detection with autoencoders."""

import numpy as np

from . import Exercise


def _toy_scores(seed=0):
    rng = np.random.default_rng(seed)
    y = np.r_[np.zeros(80, int), np.ones(20, int)]
    scores = np.r_[rng.normal(0, 1, 80), rng.normal(2, 1, 20)]
    return {"y": y, "scores": scores, "min_recall": 0.9}


# q1 -------------------------------------------------------------------------


def _check_threshold(answer, y, scores, min_recall):
    y, scores = np.asarray(y), np.asarray(scores)
    t = float(answer)
    recall = np.mean(scores[y == 1] >= t)
    if recall < min_recall:
        return f"threshold {t:.4g} flags only {recall:.0%} of the anomalies; expected at least {min_recall:.0%}"
    higher = np.sort(scores[scores > t])
    if len(higher) and np.mean(scores[y == 1] >= higher[0]) >= min_recall:
        return (f"threshold {t:.4g} works, but {higher[0]:.4g} is higher, still reaches "
                f"{min_recall:.0%} recall, and raises fewer false alarms")  # fmt: skip
    return None


def _solve_threshold(y, scores, min_recall):
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y, scores)
    ok = recall[:-1] >= min_recall  # ascending thresholds: recall falls as the threshold rises
    return float(thresholds[ok][-1])


q1 = Exercise(
    "q1: a threshold for 90% recall",
    _check_threshold,
    "sklearn.metrics.precision_recall_curve(y, scores) returns precision, recall and the "
    "ascending thresholds (recall has one entry more). Keep the thresholds whose recall is "
    ">= 0.9 and take the largest. Or: sort the anomalies' scores and pick the right one.",
    _solve_threshold,
    _toy_scores,
)

# q2 -------------------------------------------------------------------------


def _toy_errors(seed=0):
    rng = np.random.default_rng(seed)
    scale = np.array([0.01, 1.0, 5.0])
    return {"train_errors": rng.exponential(scale, (50, 3)), "errors": rng.exponential(scale, (7, 3))}


def _check_zscore(answer, train_errors, errors):
    got = np.asarray(answer, dtype=np.float64)
    want = _solve_zscore(train_errors, errors)
    if got.shape != want.shape:
        return f"your scores have shape {got.shape}; expected {want.shape}, one per row of errors"
    if not np.allclose(got, want, rtol=1e-3, atol=1e-5):
        return ("the scores differ from the z-scored error: divide each feature's error by that "
                "feature's mean training error, then average over features")  # fmt: skip
    return None


def _solve_zscore(train_errors, errors):
    typical = np.asarray(train_errors).mean(axis=0) + 1e-6  # each feature's usual error
    return (np.asarray(errors) / typical).mean(axis=1)


q2 = Exercise(
    "q2: the z-scored reconstruction error",
    _check_zscore,
    "typical = train_errors.mean(axis=0) is one number per feature; errors / typical "
    "broadcasts over rows; then .mean(axis=1).",
    _solve_zscore,
    _toy_errors,
)

# q3 -------------------------------------------------------------------------


def _check_flip(answer, reported):
    if not np.isclose(float(answer), 1.0 - reported, atol=1e-3):
        return (f"not quite: negating the scores reverses every comparison between an anomaly "
                f"and a normal case, so AUROC becomes 1 - {reported}")  # fmt: skip
    return None


def _solve_flip(reported):
    # AUROC = P(score of an anomaly > score of a normal case); negation swaps the inequality.
    return 1.0 - reported


q3 = Exercise(
    "q3: a flipped score",
    _check_flip,
    "AUROC is the chance that an anomaly outscores a normal case. What happens to that chance "
    "when every score changes sign? Try roc_auc_score(y, s) + roc_auc_score(y, -s).",
    _solve_flip,
    lambda: {"reported": 0.04},
)
