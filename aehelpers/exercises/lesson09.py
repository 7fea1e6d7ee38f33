"""Exercises of lesson 09: feature learning with few labels."""

import numpy as np

from . import Exercise


def _toy_features(n=300, d=6, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    x = rng.normal(size=(n, d)) + 1.5 * np.eye(3, d)[y]
    return x, y


# q1 -------------------------------------------------------------------------


def _check_probe(answer):
    if not callable(answer):
        return "expected a function probe_accuracy(f_pool, y_pool, f_test, y_test, draw)"
    from sklearn.linear_model import LogisticRegression

    x, y = _toy_features()
    x_test, y_test = _toy_features(seed=1)
    draw = np.arange(0, 300, 10)
    want = LogisticRegression(C=0.1, max_iter=1000).fit(x[draw], y[draw]).score(x_test, y_test)
    got = float(answer(x, y, x_test, y_test, draw))
    if not 0 <= got <= 1:
        return f"your function returns {got:.4g}; an accuracy is a fraction between 0 and 1"
    if abs(got - want) > 0.02:
        return f"your function gives accuracy {got:.3f}, the reference recipe {want:.3f}"
    return None


def _solve_probe():
    def probe_accuracy(f_pool, y_pool, f_test, y_test, draw):
        from sklearn.linear_model import LogisticRegression

        probe = LogisticRegression(C=0.1, max_iter=1000)
        probe.fit(f_pool[draw], y_pool[draw])  # only the labelled rows
        return probe.score(f_test, y_test)  # accuracy on all test images

    return probe_accuracy


q1 = Exercise(
    "q1: a linear probe on one label draw",
    _check_probe,
    "LogisticRegression(C=0.1, max_iter=1000).fit(f_pool[draw], y_pool[draw]), then "
    ".score(f_test, y_test) returns the accuracy.",
    _solve_probe,
)

# q2 -------------------------------------------------------------------------


def _toy_accuracies():
    return {"acc_a": np.array([0.70, 0.68, 0.72, 0.69]), "acc_b": np.array([0.66, 0.65, 0.70, 0.66])}


def _check_paired(answer, acc_a, acc_b):
    got = np.asarray(answer, dtype=np.float64).ravel()
    if got.shape != (2,):
        return f"expected two numbers (mean, std), got {len(got)}"
    diff = np.asarray(acc_a, np.float64) - np.asarray(acc_b, np.float64)
    if not np.isclose(got[0], diff.mean(), atol=1e-6):
        return f"mean {got[0]:.4f} is not the mean of acc_a - acc_b"
    if np.isclose(got[1], np.std(acc_a) + np.std(acc_b), atol=1e-6) and not np.isclose(got[1], diff.std()):
        return "that is the sum of the two spreads; take the spread of the differences"
    if not np.isclose(got[1], diff.std(), atol=1e-6) and not np.isclose(got[1], diff.std(ddof=1), atol=1e-6):
        return f"std {got[1]:.4f} is not the standard deviation of acc_a - acc_b"
    return None


def _solve_paired(acc_a, acc_b):
    diff = np.asarray(acc_a) - np.asarray(acc_b)  # one difference per label draw
    return diff.mean(), diff.std()


q2 = Exercise(
    "q2: a paired difference",
    _check_paired,
    "diff = acc_a - acc_b (element by element: same draw), then diff.mean() and diff.std().",
    _solve_paired,
    _toy_accuracies,
)

# q3 -------------------------------------------------------------------------

_CASES = [  # (acc_a, acc_b, clear win?)
    ([0.70, 0.68, 0.72, 0.69], [0.66, 0.65, 0.70, 0.66], True),
    ([0.70, 0.64, 0.72, 0.69], [0.66, 0.65, 0.70, 0.66], False),  # lost one draw
    ([0.661, 0.651, 0.701, 0.661], [0.66, 0.65, 0.70, 0.66], True),  # tiny but consistent
    ([0.70, 0.66, 0.75, 0.661], [0.66, 0.65, 0.70, 0.66], False),  # won every draw, too noisy
    ([0.66, 0.65, 0.70, 0.66], [0.70, 0.68, 0.72, 0.69], False),  # B wins
]


def _check_clear_win(answer):
    if not callable(answer):
        return "expected a function is_clear_win(acc_a, acc_b) returning True or False"
    for a, b, want in _CASES:
        got = answer(np.array(a), np.array(b))
        if bool(got) != want:
            diff = np.array(a) - np.array(b)
            return (f"for differences {np.round(diff, 3).tolist()} (mean {diff.mean():+.4f}, "
                    f"std {diff.std():.4f}) you return {got}; expected {want}")  # fmt: skip
    return None


def _solve_clear_win():
    def is_clear_win(acc_a, acc_b):
        diff = np.asarray(acc_a) - np.asarray(acc_b)
        return bool(np.all(diff > 0) and diff.mean() > 2 * diff.std())

    return is_clear_win


q3 = Exercise(
    "q3: a clear win, or noise?",
    _check_clear_win,
    "diff = acc_a - acc_b; a clear win needs np.all(diff > 0) and diff.mean() > 2 * diff.std().",
    _solve_clear_win,
)
