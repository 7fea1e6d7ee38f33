"""Exercises of lesson 03: the sparse autoencoder.

q1: train a KL-sparse autoencoder with another target rho; the check measures its code.
q2: read the sparsity / error trade-off curve measured on validation images.
q3: what an L1 activity regularizer adds to the loss, on Keras before and after 3.14.
"""

import numpy as np

from . import Exercise, FunctionExercise, as_number, set_levels

Q1_RHO, Q1_TOLERANCE = 0.2, 0.05  # the code's mean activation must be within 0.05 of rho
Q1_MIN_HOYER = 0.2  # a code uniformly at rho has Hoyer 0, a plain one 0.15-0.2, a KL one about 0.3


def _check_q1(answer, x_test):
    import keras

    from ..penalties import hoyer_sparsity

    if not callable(answer):
        return f"expected the trained encoder (a Keras model), got {type(answer).__name__}"
    codes = keras.ops.convert_to_numpy(answer(np.asarray(x_test, dtype="float32")[:2000]))
    codes = np.asarray(codes, dtype=np.float64).reshape(len(codes), -1)
    if codes.min() < 0 or codes.max() > 1:
        return (
            "the code should be the sigmoid output of the code layer (values in [0, 1]); pass "
            "the encoder, not the autoencoder"
        )
    if abs(codes.mean() - Q1_RHO) > Q1_TOLERANCE:
        return (
            f"the code's mean activation is {codes.mean():.3f}; a KL penalty with target rho = "
            f"{Q1_RHO} should put it near the target"
        )
    hoyer = float(hoyer_sparsity(codes).mean())
    if hoyer < Q1_MIN_HOYER:
        return (
            f"the mean is right ({codes.mean():.3f}) but the code is dense (Hoyer {hoyer:.2f}): "
            "every unit sits near the same value. Train the model; do not set the code by hand"
        )
    return None


def _solve_q1(x_test):
    import keras

    import aehelpers as ae

    # in the lesson: x_train, and sparse_autoencoder(KLSparsity(rho=0.2, beta=3e-3))
    x_train = x_test
    encoder = keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(
                256, activation="sigmoid", activity_regularizer=ae.KLSparsity(rho=0.2, beta=3e-3)
            ),
        ]
    )
    decoder = keras.Sequential([keras.Input((256,)), keras.layers.Dense(784, activation="sigmoid")])
    autoencoder = keras.Sequential([encoder, decoder])
    autoencoder.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    autoencoder.fit(x_train, x_train, epochs=20, batch_size=64, verbose=0)
    return encoder


def _blobs():
    """A small stand-in for Fashion-MNIST: 600 blurry random blobs in [0, 1]."""
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:28, 0:28]
    centres, radii = rng.uniform(6, 22, size=(600, 2)), rng.uniform(3, 8, size=(600, 1))
    d2 = (yy.ravel() - centres[:, :1]) ** 2 + (xx.ravel() - centres[:, 1:]) ** 2
    return {"x_test": np.exp(-d2 / (2 * radii**2)).astype("float32")}


def _encoder(kernel_scale, mean):
    """An untrained sigmoid encoder whose units sit near ``mean``."""
    import keras

    layer = keras.layers.Dense(256, activation="sigmoid")
    model = keras.Sequential([keras.Input((784,)), layer])
    kernel = np.random.default_rng(1).normal(0, kernel_scale, size=(784, 256))
    layer.set_weights(
        [kernel.astype("float32"), np.full(256, np.log(mean / (1 - mean)), "float32")]
    )
    return model


q1 = Exercise(
    title="q1: a sparse code with target rho = 0.2",
    hint="Only the regularizer changes: build the model with the lesson's sparse_autoencoder and "
    "a KLSparsity with the new target, fit it exactly like the KL model, and pass the encoder "
    "(the second thing sparse_autoencoder returns).",
    solution=_solve_q1,
    checker=_check_q1,
    make_inputs=_blobs,
    wrong_answers={  # untrained encoders: the kernel's spread, then where the units sit
        "every unit at 0.2 for every image has the right mean but is dense, not sparse: train "
        "the model with the penalty instead of setting the code": lambda x_test: _encoder(0, 0.2),
        "a code with no sparsity penalty (or untrained) sits near 0.5: train with a KLSparsity "
        "regularizer on the code layer": lambda x_test: _encoder(0.05, 0.5),
        "a code near 0.05 has the lesson's target, not this exercise's: change the target "
        "rho": lambda x_test: _encoder(0.01, 0.05),
    },
    slow_reference=True,  # its solution fits a model
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


def _check_q3(fn, want):
    rng = np.random.default_rng(2)
    for batch in (4, 32):
        codes = rng.uniform(size=(batch, 10)).astype("float32")
        for divides in (True, False):
            got, keras_adds = float(fn(codes, 1e-3, divides)), want(codes, 1e-3, divides)
            if not np.isclose(got, keras_adds, rtol=1e-4):
                era = "3.14 and later" if divides else "3.8-3.13"
                return (
                    f"for a batch of {batch} codes on Keras {era} (keras_divides={divides}) you "
                    f"return {got:.6f}, Keras adds {keras_adds:.6f}"
                )
    return None


def _solve_q3():
    def added_to_loss(codes, strength, keras_divides):
        # L1(strength) returns strength * sum of |h| over the whole batch ...
        codes = np.asarray(codes)
        returned = strength * np.abs(codes).sum()
        # ... and Keras >= 3.14 divides it by the batch size before adding it
        return returned / codes.shape[0] if keras_divides else returned

    return added_to_loss


q3 = FunctionExercise(
    title="q3: what an L1 activity regularizer adds, before and after Keras 3.14",
    signature="added_to_loss(codes, strength, keras_divides)",
    hint="First: what does keras.regularizers.L1(strength) return for a whole batch of codes? "
    "Then: what does each Keras do with that number?",
    solution=_solve_q3,
    checker=_check_q3,
    wrong_answers={  # functions of (codes, strength, keras_divides)
        "you divide by the batch size on every Keras: look again at what Keras before 3.14 does "
        "with the regularizer's value": lambda: lambda c, s, d: s * np.abs(c).sum() / len(c),
        "you never divide: look again at what Keras 3.14 and later do with the regularizer's "
        "value": lambda: lambda c, s, d: s * np.abs(c).sum(),
        "you took the mean over every entry, which divides by the number of code units too: L1 "
        "sums over the code": lambda: lambda c, s, d: s * np.abs(c).mean(),
    },
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 20, "other"), q2=(2, 10, "decision"), q3=(3, 20, "new code"))
