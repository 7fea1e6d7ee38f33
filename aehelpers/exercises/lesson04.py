"""Exercises of lesson 04: the overcomplete autoencoder."""

import numpy as np

from . import Exercise

# q1 -------------------------------------------------------------------------


def _check_grey(answer):
    try:
        got = float(answer)
    except (TypeError, ValueError):
        return "expected one number: the MSE of a constant 0.5 image on uniform-noise pixels"
    if np.isclose(got, 0.25, rtol=1e-3):
        return "that is the largest possible squared error (u = 0 or 1); average (u - 0.5)**2 over u in [0, 1]"
    if not np.isclose(got, 1 / 12, rtol=1e-3):
        return f"you give {got:.5f}; integrate (u - 0.5)**2 for u from 0 to 1"
    return None


def _solve_grey():
    # E[(u - 1/2)^2] for u ~ Uniform(0, 1) is the variance of the uniform distribution.
    return 1 / 12


q1 = Exercise(
    "q1: the grey baseline in closed form",
    _check_grey,
    "A constant 0.5 is the mean of u ~ Uniform(0, 1), so its MSE is the variance of that distribution.",
    _solve_grey,
)

# q2 -------------------------------------------------------------------------


def _check_copy_weights(answer):
    if not callable(answer):
        return "expected a function copy_weights(input_dim, code_dim) returning (w1, w2)"
    for d, k in ((6, 9), (5, 5)):
        w1, w2 = (np.asarray(w, dtype=np.float64) for w in answer(d, k))
        if w1.shape != (d, k) or w2.shape != (k, d):
            return f"for input_dim={d}, code_dim={k} expected shapes ({d}, {k}) and ({k}, {d}); got {w1.shape}, {w2.shape}"
        x = np.random.default_rng(0).uniform(size=(4, d))
        if not np.allclose(x @ w1 @ w2, x, atol=1e-6):
            return f"x @ w1 @ w2 does not give x back (input_dim={d}, code_dim={k})"
    return None


def _solve_copy_weights():
    def copy_weights(input_dim, code_dim):
        # any w1 of full row rank works; w2 is its pseudo-inverse, so w1 @ w2 = identity
        w1 = np.random.default_rng(0).normal(size=(input_dim, code_dim))
        return w1, np.linalg.pinv(w1)

    return copy_weights


q2 = Exercise(
    "q2: weights that copy any input",
    _check_copy_weights,
    "With code_dim >= input_dim, take a random w1 (input_dim, code_dim) and w2 = np.linalg.pinv(w1).",
    _solve_copy_weights,
)

# q3 -------------------------------------------------------------------------


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _check_jacobian(answer):
    if not callable(answer):
        return "expected a function jacobian_norm_sq(x, w, b) returning one number per sample"
    rng = np.random.default_rng(1)
    w, b, x = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=(2, 4))
    got = np.asarray(answer(x, w, b), dtype=np.float64)
    if got.shape != (2,):
        return f"for 2 samples expected an array of shape (2,), got shape {got.shape}"
    want = np.empty(2)
    for n, row in enumerate(x):  # numerical Jacobian, central differences
        jac = np.stack([(_sigmoid((row + e) @ w + b) - _sigmoid((row - e) @ w + b)) / 2e-6
                        for e in np.eye(4) * 1e-6], axis=1)  # fmt: skip
        want[n] = np.sum(jac**2)
    if not np.allclose(got, want, rtol=1e-4):
        return f"you give {np.round(got, 5)}, a numerical Jacobian gives {np.round(want, 5)}"
    return None


def _solve_jacobian():
    def jacobian_norm_sq(x, w, b):
        h = 1 / (1 + np.exp(-(x @ w + b)))  # (n, units)
        # dh_j/dx_i = h_j (1 - h_j) w_ij, so ||J||^2 = sum_j (h_j (1 - h_j))^2 sum_i w_ij^2
        return np.sum((h * (1 - h)) ** 2 * np.sum(w**2, axis=0), axis=1)

    return jacobian_norm_sq


q3 = Exercise(
    "q3: the contractive penalty in closed form",
    _check_jacobian,
    "For h = sigmoid(x @ w + b), dh_j/dx_i = h_j * (1 - h_j) * w[i, j]. Square, then sum over i and j.",
    _solve_jacobian,
)
