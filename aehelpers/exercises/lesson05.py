"""Exercises of lesson 05: denoising autoencoders.

q1: PSNR of one noisy image, by hand.
q2: which classical denoiser wins on salt-and-pepper noise?
q3: the PSNR that Gaussian noise of standard deviation sigma gives, as a formula.
"""

import numpy as np

from . import Exercise

# ----------------------------------------------------------------------------- q1


def _q1_inputs():
    rng = np.random.default_rng(0)
    clean = rng.random((28, 28)).astype(np.float32)
    noisy = np.clip(clean + 0.2 * rng.standard_normal((28, 28)), 0, 1).astype(np.float32)
    return {"clean": clean, "noisy": noisy}


def _q1_check(answer, clean, noisy):
    from ..metrics import psnr_per_image

    expected = float(psnr_per_image(clean[None], noisy[None])[0])
    value = float(np.asarray(answer))
    if not np.isfinite(value):
        return f"got {value}; PSNR of a noisy image is a finite number of dB"
    if abs(value - expected) > 0.01:
        hint = " (use log base 10, and 10·log10 of a power ratio)" if abs(value - expected) > 1 else ""
        return f"got {value:.3f} dB, expected {expected:.3f} dB{hint}"
    return None


def _q1_solution(clean, noisy):
    mse = np.mean((clean.astype(np.float64) - noisy) ** 2)
    return 10 * np.log10(1.0**2 / mse)  # peak value 1 for images in [0, 1]


q1 = Exercise(
    "q1: PSNR by hand",
    _q1_check,
    "PSNR = 10 * log10(peak**2 / MSE) with peak = 1 for images in [0, 1]; MSE is the mean of the "
    "squared pixel differences of the one image.",
    _q1_solution,
    _q1_inputs,
)

# ----------------------------------------------------------------------------- q2


def _q2_inputs():
    yy, xx = np.mgrid[0:28, 0:28]
    shapes = [((yy - 14) ** 2 + (xx - 14) ** 2 < r**2).astype(np.float32) * v
              for r, v in [(6, 1.0), (9, 0.8), (11, 0.6), (7, 0.9)]]  # fmt: skip
    clean = np.stack(shapes + [np.clip(s.T * 0.7 + 0.1, 0, 1) for s in shapes]).astype(np.float32)
    from ..noise import salt_and_pepper

    return {"clean": clean, "noisy": salt_and_pepper(clean, 0.2, seed=0)}


def _q2_winner(clean, noisy):
    from ..denoisers import tune_denoisers

    tuned = tune_denoisers(noisy, clean, names=["median", "gaussian_blur", "total_variation"])
    return max(tuned.values(), key=lambda t: t.val_psnr).name


def _q2_check(answer, clean, noisy):
    from ..denoisers import DENOISERS

    if not isinstance(answer, str) or answer not in DENOISERS:
        return f"got {answer!r}; answer with one of the names {sorted(DENOISERS)}"
    winner = _q2_winner(clean, noisy)
    if answer != winner:
        return (f"{answer!r} is not the best here; tune the denoisers on these images and "
                "compare their val_psnr")  # fmt: skip
    return None


def _q2_solution(clean, noisy):
    from aehelpers.denoisers import tune_denoisers

    tuned = tune_denoisers(noisy, clean, names=["median", "gaussian_blur", "total_variation"])
    for t in tuned.values():
        print(f"{t}: {t.val_psnr:.2f} dB")
    return max(tuned.values(), key=lambda t: t.val_psnr).name


q2 = Exercise(
    "q2: the classical denoiser for salt-and-pepper noise",
    _q2_check,
    "Call ae.tune_denoisers(noisy, clean, names=[...]) and compare the val_psnr of the results. "
    "Think about what an average does with a single white pixel, and what a median does.",
    _q2_solution,
    _q2_inputs,
)

# ----------------------------------------------------------------------------- q3


def _q3_check(answer):
    if not callable(answer):
        return f"got {type(answer).__name__}; expected a function of sigma, e.g. `lambda sigma: ...`"
    for sigma in (0.05, 0.1, 0.2, 0.5):
        value = float(answer(sigma))
        expected = 20 * np.log10(1 / sigma)
        if abs(value - expected) > 0.05:
            return (f"at sigma={sigma} your function gives {value:.2f} dB, expected {expected:.2f} dB: "
                    "without clipping the MSE of the noise is sigma**2")  # fmt: skip
    return None


def _q3_solution():
    return lambda sigma: 10 * np.log10(1 / sigma**2)  # MSE = sigma**2, peak = 1


q3 = Exercise(
    "q3: the PSNR of Gaussian noise",
    _q3_check,
    "Adding N(0, sigma**2) noise makes the expected squared error per pixel sigma**2, so the "
    "MSE is sigma**2; put it into PSNR = 10 * log10(1 / MSE).",
    _q3_solution,
)
