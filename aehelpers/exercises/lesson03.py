"""Exercises of lesson 03: the sparse autoencoder."""

import numpy as np

from . import Exercise


def _reference_kl(rho, rho_hat):
    rho_hat = np.clip(np.asarray(rho_hat, dtype=np.float64), 1e-7, 1 - 1e-7)
    return float(np.sum(rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))))


# q1 -------------------------------------------------------------------------


def _check_kl(answer):
    if not callable(answer):
        return "expected a function kl_penalty(rho, rho_hat) returning one number"
    rng = np.random.default_rng(0)
    for rho in (0.05, 0.3):
        rho_hat = rng.uniform(0.01, 0.99, size=16)
        got, want = float(answer(rho, rho_hat)), _reference_kl(rho, rho_hat)
        if not np.isclose(got, want, rtol=1e-4):
            return f"for rho={rho} and 16 random mean activations you return {got:.5f}, expected {want:.5f}"
    at_target = float(answer(0.05, np.full(8, 0.05)))
    if abs(at_target) > 1e-8:
        return f"when every mean activation equals rho the penalty must be 0; you return {at_target:.3g}"
    return None


def _solve_kl():
    def kl_penalty(rho, rho_hat):
        # KL between Bernoulli(rho) and Bernoulli(rho_hat_j), summed over the units j.
        rho_hat = np.asarray(rho_hat, dtype=np.float64)
        return np.sum(rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat)))

    return kl_penalty


q1 = Exercise(
    "q1: the KL sparsity penalty in NumPy",
    _check_kl,
    "One line: rho * log(rho / rho_hat) + (1 - rho) * log((1 - rho) / (1 - rho_hat)), then np.sum over the units.",
    _solve_kl,
)

# q2 -------------------------------------------------------------------------


def _q2_inputs():
    rng = np.random.default_rng(1)
    return {"codes": (rng.uniform(size=(50, 32)) ** 6).astype("float32")}


def _check_active_units(answer, codes=None):
    if codes is None:
        return "call ex.q2.check(answer, codes=codes['KL']) so the check can recompute the number"
    codes = np.asarray(codes)
    want = float((codes > 0.5).sum(axis=1).mean())
    got = float(np.asarray(answer))
    if np.isclose(got, (codes > 0.5).mean(), rtol=1e-6) and want > 1:
        return "that is the share of activations above 0.5; multiply by the number of units (or sum per image)"
    if not np.isclose(got, want, rtol=1e-3):
        return f"you give {got:.3f} units per image; count units > 0.5 per image (axis=1), then average"
    return None


def _solve_active_units(codes):
    # count the units above 0.5 for each image (one row per image), then average over images
    return (codes > 0.5).sum(axis=1).mean()


q2 = Exercise(
    "q2: active units per image",
    _check_active_units,
    "codes has one row per image and one column per unit: (codes > 0.5).sum(axis=1) counts per image.",
    _solve_active_units,
    make_inputs=_q2_inputs,
)

# q3 -------------------------------------------------------------------------


def _check_keras_l1(answer):
    if not callable(answer):
        return "expected a function keras_l1_loss(codes, strength) returning one number"
    rng = np.random.default_rng(2)
    for batch in (4, 32):
        codes = rng.uniform(size=(batch, 10)).astype("float32")
        want = 1e-3 * np.abs(codes).sum() / batch
        got = float(answer(codes, 1e-3))
        if np.isclose(got, want * batch, rtol=1e-4):
            return "that is what L1 returns; Keras then divides it by the batch size"
        if not np.isclose(got, want, rtol=1e-4):
            return f"for a batch of {batch} codes you return {got:.6f}, Keras adds {want:.6f}"
    return None


def _solve_keras_l1():
    def keras_l1_loss(codes, strength):
        # L1 returns strength * sum of |h| over the whole batch; Keras divides by the batch size,
        # so the loss gets the L1 penalty of the average image.
        codes = np.asarray(codes)
        return strength * np.abs(codes).sum() / codes.shape[0]

    return keras_l1_loss


q3 = Exercise(
    "q3: what an L1 activity regularizer adds in Keras 3",
    _check_keras_l1,
    "keras.regularizers.L1(s)(h) is s * sum(|h|) over every entry; then Keras divides by h.shape[0].",
    _solve_keras_l1,
)
