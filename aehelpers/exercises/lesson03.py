"""Exercises of lesson 03: the sparse autoencoder.

q1: train a KL-sparse autoencoder with another target rho; the check measures its code.
q2: read the sparsity / error trade-off curve measured on validation images.
q3: what an L1 activity regularizer adds to the loss, on Keras before and after 3.14.
"""

import numpy as np

from . import Exercise, FunctionExercise, as_number, set_levels

# q1 -------------------------------------------------------------------------
Q1_RHO = 0.2
Q1_TOLERANCE = 0.05  # mean activation within this of Q1_RHO
Q1_MIN_HOYER = 0.2  # a code uniformly at rho has Hoyer 0, a plain code about 0.15-0.2; a KL code at rho = 0.2 about 0.3


def _q1_inputs():
    # small stand-in for Fashion-MNIST: blurry random blobs in [0, 1]
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:28, 0:28]
    centres = rng.uniform(6, 22, size=(600, 2))
    radii = rng.uniform(3, 8, size=(600, 1))
    d2 = (yy.ravel() - centres[:, :1]) ** 2 + (xx.ravel() - centres[:, 1:]) ** 2
    x = np.exp(-d2 / (2 * radii**2)).astype("float32")
    return {"x_test": x}


def _codes_of(encoder, x):
    import keras

    codes = keras.ops.convert_to_numpy(encoder(np.asarray(x, dtype="float32")[:2000]))
    return np.asarray(codes, dtype=np.float64).reshape(len(codes), -1)


def _check_rho_02(answer, x_test):
    from ..penalties import hoyer_sparsity

    if not callable(answer):
        return f"expected the trained encoder (a Keras model), got {type(answer).__name__}"
    codes = _codes_of(answer, x_test)
    if codes.min() < 0 or codes.max() > 1:
        return "the code should be the sigmoid output of the code layer (values in [0, 1]); pass the encoder, not the autoencoder"
    mean = codes.mean()
    if abs(mean - Q1_RHO) > Q1_TOLERANCE:
        return f"the code's mean activation is {mean:.3f}; a KL penalty with target rho = {Q1_RHO} should put it near the target"
    hoyer = float(hoyer_sparsity(codes).mean())
    if hoyer < Q1_MIN_HOYER:
        return (
            f"the mean is right ({mean:.3f}) but the code is dense (Hoyer {hoyer:.2f}): every unit sits near the same "
            "value. Train the model; do not set the code by hand"
        )
    return None


def _solve_rho_02(x_test):
    import keras

    import aehelpers as ae

    x_train = (
        x_test  # in the lesson: x_train, and sparse_autoencoder(KLSparsity(rho=0.2, beta=3e-3))
    )
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


def _fixed_encoder(kernel_scale, bias):
    import keras

    layer = keras.layers.Dense(256, activation="sigmoid")
    model = keras.Sequential([keras.Input((784,)), layer])
    rng = np.random.default_rng(1)
    layer.set_weights(
        [
            rng.normal(0, kernel_scale, size=(784, 256)).astype("float32"),
            np.full(256, bias, dtype="float32"),
        ]
    )
    return model


def _wrong_code_set_uniformly_to_rho(x_test):
    # mean exactly 0.2, but every unit at 0.2 for every image: dense, not sparse
    return _fixed_encoder(0.0, np.log(0.2 / 0.8))


def _wrong_untrained_or_plain_code(x_test):
    # a code with no penalty: mean activation near 0.5
    return _fixed_encoder(0.05, 0.0)


def _wrong_target_left_at_005(x_test):
    return _fixed_encoder(0.01, np.log(0.05 / 0.95))


q1 = Exercise(
    "q1: a sparse code with target rho = 0.2",
    _check_rho_02,
    "Only the regularizer changes: build the model with the lesson's sparse_autoencoder and a KLSparsity with the new "
    "target, fit it exactly like the KL model, and pass the encoder (the second thing sparse_autoencoder returns).",
    _solve_rho_02,
    make_inputs=_q1_inputs,
    wrong_answers=[
        _wrong_code_set_uniformly_to_rho,
        _wrong_untrained_or_plain_code,
        _wrong_target_left_at_005,
    ],
    slow_reference=True,  # its solution fits a model
)

# q2 -------------------------------------------------------------------------
Q2_LIMIT = 1.5


def _q2_inputs():
    return {
        "sweep": {
            0.02: {"mse_ratio": 2.3, "units_on": 3.0},
            0.05: {"mse_ratio": 1.8, "units_on": 5.0},
            0.1: {"mse_ratio": 1.45, "units_on": 11.0},
            0.2: {"mse_ratio": 1.2, "units_on": 30.0},
            0.3: {"mse_ratio": 1.1, "units_on": 50.0},
        }
    }


def _q2_correct(sweep):
    ok = [rho for rho, row in sweep.items() if row["mse_ratio"] <= Q2_LIMIT]
    return min(ok, key=lambda rho: sweep[rho]["units_on"]) if ok else 0


def _check_rho_choice(answer, sweep):
    try:
        got = as_number(answer)
    except (TypeError, ValueError):
        return f"expected a number: one of the rho values {sorted(sweep)} (or 0 if none stays within {Q2_LIMIT}x)"
    want = _q2_correct(sweep)
    if want == 0:
        return (
            None
            if got == 0
            else f"look again: does any rho keep the error within {Q2_LIMIT}x the plain model's?"
        )
    match = [rho for rho in sweep if np.isclose(rho, got)]
    if not match:
        return f"{got} is not one of the rho values in the sweep: {sorted(sweep)}"
    rho = match[0]
    if sweep[rho]["mse_ratio"] > Q2_LIMIT:
        return f"at rho = {rho} the validation MSE is {sweep[rho]['mse_ratio']:.2f}x the plain model's: over the {Q2_LIMIT}x limit"
    if rho != want:
        return f"rho = {rho} stays within the limit, but another target that also does gives a sparser code"
    return None


def _solve_rho_choice(sweep):
    within = [rho for rho, row in sweep.items() if row["mse_ratio"] <= 1.5]
    return min(within, key=lambda rho: sweep[rho]["units_on"]) if within else 0


def _wrong_sparsest_ignoring_the_limit(sweep):
    return min(sweep, key=lambda rho: sweep[rho]["units_on"])


def _wrong_cheapest_in_error(sweep):
    return min(sweep, key=lambda rho: sweep[rho]["mse_ratio"])


q2 = Exercise(
    "q2: how sparse within 1.5x the error?",
    _check_rho_choice,
    "Two conditions: first keep only the targets whose mse_ratio is within the limit; among those, sparser means fewer units on.",
    _solve_rho_choice,
    make_inputs=_q2_inputs,
    wrong_answers=[_wrong_sparsest_ignoring_the_limit, _wrong_cheapest_in_error],
)

# q3 -------------------------------------------------------------------------


def _check_added_to_loss(fn):
    rng = np.random.default_rng(2)
    for batch in (4, 32):
        codes = rng.uniform(size=(batch, 10)).astype("float32")
        returned = 1e-3 * np.abs(codes).sum()  # what L1(1e-3) returns for the batch
        for divides, want in ((True, returned / batch), (False, returned)):
            got = float(fn(codes, 1e-3, divides))
            if not np.isclose(got, want, rtol=1e-4):
                era = "3.14 and later" if divides else "3.8-3.13"
                return f"for a batch of {batch} codes on Keras {era} (keras_divides={divides}) you return {got:.6f}, Keras adds {want:.6f}"
    return None


def _solve_added_to_loss():
    def added_to_loss(codes, strength, keras_divides):
        # L1(strength) returns strength * sum of |h| over the whole batch ...
        codes = np.asarray(codes)
        returned = strength * np.abs(codes).sum()
        # ... and Keras >= 3.14 divides it by the batch size before adding it
        return returned / codes.shape[0] if keras_divides else returned

    return added_to_loss


def _wrong_always_divides():
    return lambda codes, strength, keras_divides: (
        strength * np.abs(codes).sum() / np.shape(codes)[0]
    )


def _wrong_never_divides():
    return lambda codes, strength, keras_divides: strength * np.abs(codes).sum()


def _wrong_mean_over_every_entry():
    return lambda codes, strength, keras_divides: strength * np.abs(codes).mean()


q3 = FunctionExercise(
    "q3: what an L1 activity regularizer adds, before and after Keras 3.14",
    "added_to_loss(codes, strength, keras_divides)",
    _check_added_to_loss,
    "First: what does keras.regularizers.L1(strength) return for a whole batch of codes? Then: what does each Keras do with that number?",
    _solve_added_to_loss,
    wrong_answers=[_wrong_always_divides, _wrong_never_divides, _wrong_mean_over_every_entry],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 20), q2=(2, 10), q3=(3, 20))
