"""Exercises of lesson 00: the anatomy of an autoencoder."""

import numpy as np

from . import Exercise


def _check_compression(answer):
    if not np.isscalar(answer):
        return f"expected one number, got {type(answer).__name__}"
    if not np.isclose(float(answer), 784 / 32, rtol=1e-3):
        return (f"{answer} is not it: a 28x28 image holds 784 numbers and the code 32; "
                "how many times fewer numbers does the code hold?")
    return None


def _solve_compression():
    return 28 * 28 / 32


q1 = Exercise(
    "q1: compression factor",
    _check_compression,
    "Count the numbers in one image (28 x 28) and in its code (code_dim), then divide.",
    _solve_compression,
)


def _reference_mse(x, r):
    return np.mean((x.reshape(len(x), -1) - r.reshape(len(r), -1)) ** 2, axis=1)


def _check_mse(answer):
    if not callable(answer):
        return "expected a function mse_per_image(x, r)"
    rng = np.random.default_rng(0)
    x = rng.random((5, 28, 28)).astype(np.float32)
    r = rng.random((5, 28, 28)).astype(np.float32)
    got = np.asarray(answer(x, r), dtype=np.float64)
    if got.shape != (5,):
        return f"for 5 images your function returned shape {got.shape}; expected (5,), one error per image"
    if not np.allclose(got, _reference_mse(x, r), rtol=1e-4):
        return "the values differ from the mean of (x - r)**2 over each image's 784 pixels"
    return None


def _solve_mse():
    def mse_per_image(x, r):
        return ((x - r) ** 2).reshape(len(x), -1).mean(axis=1)

    return mse_per_image


q2 = Exercise(
    "q2: reconstruction error per image",
    _check_mse,
    "Square the difference, flatten each image with reshape(len(x), -1), then average along axis 1.",
    _solve_mse,
)
