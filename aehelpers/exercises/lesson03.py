"""Exercises of lesson 03: the sparse autoencoder.

q1: write a sparsity penalty the lesson does not show: KL toward rho of each image's mean activation.
q2: read the sparsity / error trade-off curve measured on validation images.
"""

import numpy as np

from . import Exercise, FunctionExercise, as_number, set_levels


def _q1_batches():
    """Made-up batches of sigmoid codes, (images, units), with a few units on (NumPy, float32)."""
    rng = np.random.default_rng(3)
    return [rng.uniform(size=(n, units)).astype("float32") ** 4 for n, units in ((8, 20), (32, 50))]


def _check_q1(fn, want):
    import keras

    for h in _q1_batches():
        for rho, beta in ((0.05, 3e-3), (0.2, 0.5)):
            got = fn(keras.ops.convert_to_tensor(h), rho, beta)  # a backend tensor, as in Keras
            got = np.asarray(keras.ops.convert_to_numpy(got), dtype=np.float64)
            if got.size != 1:
                return (
                    f"for codes of shape {h.shape} you return shape {got.shape}: a regularizer "
                    "returns one number for the whole batch"
                )
            expected = float(keras.ops.convert_to_numpy(want(h, rho, beta)))
            if not np.isclose(float(got.reshape(())), expected, rtol=1e-4):
                return (
                    f"for codes of shape {h.shape}, rho={rho}, beta={beta} you return "
                    f"{float(got.reshape(())):.6g}; the per-image penalty is {expected:.6g}"
                )
    return None


def _solve_q1():
    from keras import ops

    def per_image_sparsity(h, rho, beta):
        # h: (images, units). Each image's mean activation over its units: (images,)
        rho_hat = ops.clip(ops.mean(h, axis=1), 1e-7, 1 - 1e-7)
        kl = rho * ops.log(rho / rho_hat) + (1 - rho) * ops.log((1 - rho) / (1 - rho_hat))
        return beta * ops.sum(kl)  # summed over the images, as keras.regularizers.L1 sums |h|

    return per_image_sparsity


def _wrong_q1(axis=1, reduce="sum", reverse=False, use_beta=True):
    from keras import ops

    def penalty(h, rho, beta):
        rho_hat = ops.clip(ops.mean(h, axis=axis) if axis is not None else h, 1e-7, 1 - 1e-7)
        p, q = (rho_hat, rho) if reverse else (rho, rho_hat)  # KL(p || q)
        kl = p * ops.log(p / q) + (1 - p) * ops.log((1 - p) / (1 - q))
        total = ops.sum(kl) if reduce == "sum" else ops.mean(kl)
        return beta * total if use_beta else total

    return penalty


q1 = FunctionExercise(
    title="q1: a penalty on each image's code (population sparsity)",
    signature="per_image_sparsity(h, rho, beta)",
    hint="Write it with keras.ops, like the lesson's KLSparsity. Which axis of h holds the "
    "images and which the units? Here the average is taken for each image, and the KL terms of "
    "the images are added up, the way keras.regularizers.L1 adds |h| over the whole batch.",
    solution=_solve_q1,
    checker=_check_q1,
    wrong_answers={
        "you averaged each unit over the images (axis 0): that is the lesson's per-unit "
        "KLSparsity. This penalty averages each image's code over its units (axis 1)": (
            lambda: _wrong_q1(axis=0)
        ),
        "you averaged the images' KL terms: add them up over the batch, as "
        "keras.regularizers.L1 does (Keras itself decides whether to divide by the batch "
        "size)": lambda: _wrong_q1(reduce="mean"),
        "you compared every single activation with rho: the KL is between rho and each image's "
        "mean activation": lambda: _wrong_q1(axis=None),
        "the KL divergence is the other way round: KL(rho || rho_hat), rho first": (
            lambda: _wrong_q1(reverse=True)
        ),
        "the strength beta is missing": lambda: _wrong_q1(use_beta=False),
    },
)

Q2_LIMIT = 1.5  # the question's limit on mse_ratio (_solve_q2 spells it out for the learner)


def _check_q2(answer, want, sweep):
    try:
        got = as_number(answer)
    except (TypeError, ValueError) as err:
        return f"{err}: one of the rho values {sorted(sweep)}, or 0 if none is within the limit"
    if np.isclose(got, want):
        return None
    rho = next((rho for rho in sweep if np.isclose(rho, got)), None)
    if rho is None:
        return f"{got} is not one of the rho values in the sweep {sorted(sweep)}, nor 0"
    if sweep[rho]["mse_ratio"] > Q2_LIMIT:
        return (
            f"at rho = {rho} the validation MSE is {sweep[rho]['mse_ratio']:.2f}x the plain "
            f"model's: over the {Q2_LIMIT}x limit"
        )
    return f"rho = {rho} stays within the limit, but another target within it gives a sparser code"


def _solve_q2(sweep):
    within = [rho for rho, row in sweep.items() if row["mse_ratio"] <= 1.5]
    return min(within, key=lambda rho: sweep[rho]["units_on"]) if within else 0


q2 = Exercise(
    title="q2: how sparse within 1.5x the error?",
    hint="Two conditions: first keep only the targets whose mse_ratio is within the limit; among "
    "those, sparser means fewer units on.",
    solution=_solve_q2,
    checker=_check_q2,
    make_inputs=lambda: {
        "sweep": {
            0.02: {"mse_ratio": 2.3, "units_on": 3.0},
            0.05: {"mse_ratio": 1.8, "units_on": 5.0},
            0.1: {"mse_ratio": 1.45, "units_on": 11.0},
            0.2: {"mse_ratio": 1.2, "units_on": 30.0},
            0.3: {"mse_ratio": 1.1, "units_on": 50.0},
        }
    },
    wrong_answers={
        "you took the sparsest target without the error limit: first drop the targets over 1.5x "
        "the plain model's error": lambda sweep: min(sweep, key=lambda r: sweep[r]["units_on"]),
        "you took the lowest error: the limit is a condition to meet, not a thing to minimise; "
        "sparsity is the aim": lambda sweep: min(sweep, key=lambda r: sweep[r]["mse_ratio"]),
    },
)


# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 20, "new code"), q2=(2, 10, "decision"))
