"""Exercises for lesson 02, undercomplete autoencoders.

In the notebook::

    from aehelpers.exercises import lesson02 as ex
    answer = ...
    ex.q1.check(answer)
"""

import numpy as np

from . import Exercise, as_number, dense_layers, set_levels, short

Q1_WIDTHS = [256, 128, 32, 128, 256, 784]  # two hidden layers on each side of the 32-number code
Q1_ACTIVATIONS = ["relu", "relu", "linear", "relu", "relu", "sigmoid"]


def _check_q1(answer, x_train, x_val, baseline, prediction=None):
    import keras

    if not isinstance(answer, keras.Model):
        return f"answer should be a trained keras.Model, got {type(answer).__name__}"
    if answer is baseline:
        return "that is the lesson's model with one hidden layer: build the deeper one and train it"
    if (
        prediction is not None
        and prediction is not Ellipsis
        and not isinstance(prediction, (bool, np.bool_))
    ):
        return (
            "prediction should be True (two hidden layers will reach a lower validation MSE at "
            f"the same number of steps) or False; got {short(prediction)}"
        )
    if tuple(answer.input_shape) != (None, 784) or tuple(answer.output_shape) != (None, 784):
        return (
            "the model should read and return flattened images, (None, 784) -> (None, 784); "
            f"got {answer.input_shape} -> {answer.output_shape}"
        )
    layers = dense_layers(answer)
    widths = [layer.units for layer in layers]
    if widths != Q1_WIDTHS:
        return f"the Dense widths in order should be {Q1_WIDTHS}; yours are {widths}"
    acts = [getattr(layer.activation, "__name__", str(layer.activation)) for layer in layers]
    if acts != Q1_ACTIVATIONS:
        return f"the activations in order should be {Q1_ACTIVATIONS}; yours are {acts}"
    steps = int(answer.optimizer.iterations) if getattr(answer, "optimizer", None) else 0
    want_steps = int(baseline.optimizer.iterations) if getattr(baseline, "optimizer", None) else 0
    if steps == 0:
        return "the model has not been trained: compile it and fit it on x_train"
    if steps != want_steps:
        return (
            f"your model took {steps} training steps, the lesson's model {want_steps}: with the "
            "same epochs and batch size as `autoencoder` the comparison is at equal steps"
        )

    def val_mse(model):
        r = keras.ops.convert_to_numpy(model.predict(x_val, verbose=0, batch_size=1000))
        return float(np.mean((x_val - r) ** 2))

    deeper, shallow = val_mse(answer), val_mse(baseline)
    mean_mse = float(np.mean((x_val - x_train.mean(axis=0)) ** 2))
    if not deeper < mean_mse:
        return (
            f"validation MSE {deeper:.4f} is no better than the average training image "
            f"({mean_mse:.4f}): has it been trained on x_train?"
        )
    said = {None: "no prediction written", Ellipsis: "no prediction written"}.get(
        prediction, f"you predicted {'lower' if prediction else 'not lower'}"
    )
    print(
        f"validation MSE after {steps:,} steps each: two hidden layers {deeper:.5f} | one hidden "
        f"layer {shallow:.5f} | ratio {deeper / shallow:.3f} ({said}). One model of each: "
        "another random start moves each number a little (lesson 02b measures by how much)."
    )
    return None


def _deeper(x_train, epochs):
    """784-256-128-32-128-256-784, compiled like the lesson's model (Adam) and fitted ``epochs``."""
    import keras
    from keras import layers

    encoder = keras.Sequential(
        [
            keras.Input((784,)),
            layers.Dense(256, activation="relu"),
            layers.Dense(128, activation="relu"),
            layers.Dense(32),
        ]
    )
    decoder = keras.Sequential(
        [
            keras.Input((32,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(256, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
        ]
    )
    inputs = keras.Input((784,))
    model = keras.Model(inputs, decoder(encoder(inputs)))
    # in the lesson: optimizer=cosine_adam(EPOCHS, len(x_train), BATCH), epochs=EPOCHS, batch_size=BATCH
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse")
    if epochs:
        model.fit(x_train, x_train, epochs=epochs, batch_size=64, verbose=0)
    return model


def _solve_q1(x_train, x_val, baseline, prediction=None):
    return _deeper(x_train, epochs=Q1_TOY_EPOCHS)


Q1_TOY_EPOCHS = 4  # the stand-in baseline of _q1_inputs is trained this long, batch 64


def _q1_inputs():
    import keras

    rng = np.random.default_rng(0)
    patterns = rng.random((3, 784))
    x = patterns[rng.integers(0, 3, size=400)] + rng.normal(0, 0.05, size=(400, 784))
    x = np.clip(x, 0, 1).astype("float32")
    keras.utils.set_random_seed(0)
    baseline = keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(32),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(784, activation="sigmoid"),
        ]
    )
    baseline.compile(optimizer="adam", loss="mse")
    baseline.fit(x[:300], x[:300], epochs=Q1_TOY_EPOCHS, batch_size=64, verbose=0)
    return {"x_train": x[:300], "x_val": x[300:], "baseline": baseline}


q1 = Exercise(
    title="q1: one hidden layer or two? Predict, then measure",
    checker=_check_q1,
    hint="Build it like the lesson's encoder and decoder, with one more Dense layer (ReLU) on each "
    "side; compile it with cosine_adam(EPOCHS, len(x_train), BATCH) and fit it with EPOCHS and "
    "BATCH, so that it takes exactly as many steps as `autoencoder`.",
    solution=_solve_q1,
    make_inputs=_q1_inputs,
    wrong_answers={
        "that is the lesson's one-hidden-layer model: build the deeper one": (
            lambda x_train, x_val, baseline, prediction=None: baseline
        ),
        "built and compiled, but not trained: fit it on x_train": (
            lambda x_train, x_val, baseline, prediction=None: _deeper(x_train, epochs=0)
        ),
        "trained for fewer steps than the lesson's model: the comparison is at equal steps": (
            lambda x_train, x_val, baseline, prediction=None: _deeper(x_train, epochs=1)
        ),
    },
    slow_reference=True,  # its solution fits a model
)


def _solve_q2(x_small, x_test, k):
    x_fit = x_small.reshape(len(x_small), -1).astype(np.float64)  # (n, 784)
    x_new = x_test.reshape(len(x_test), -1).astype(np.float64)
    mean = x_fit.mean(axis=0)
    _, _, vt = np.linalg.svd(x_fit - mean, full_matrices=False)
    w = vt[:k]  # (k, 784): the top-k principal directions
    codes = (x_new - mean) @ w.T  # (n_test, k): PCA's code
    recon = codes @ w + mean
    return float(np.mean((x_new - recon) ** 2))


def _pca_mse(x_fit, x_new, k, centre=True):
    x_fit, x_new = (a.reshape(len(a), -1).astype(np.float64) for a in (x_fit, x_new))
    mean = x_fit.mean(axis=0) if centre else np.zeros(x_fit.shape[1])
    w = np.linalg.svd(x_fit - mean, full_matrices=False)[2][:k]
    return float(np.mean((x_new - ((x_new - mean) @ w.T @ w + mean)) ** 2))


def _q2_inputs():
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(6, 40))
    x = rng.normal(size=(300, 6)) @ basis + 0.1 * rng.normal(size=(300, 40)) + 3.0
    x = (x - x.min()) / (x.max() - x.min())
    return {"x_small": x[:200].astype("float32"), "x_test": x[200:].astype("float32"), "k": 4}


q2 = Exercise(
    title="q2: PCA baseline by hand",
    hint="PCA's directions are the right singular vectors of the centred training data "
    "(np.linalg.svd with full_matrices=False). Encode the test images with the top k of them, "
    "decode back to pixels, compare.",
    solution=_solve_q2,
    make_inputs=_q2_inputs,
    rtol=1e-3,
    wrong_answers={
        "you did not centre the data: PCA's directions are those of the data minus its mean": (
            lambda x_small, x_test, k: _pca_mse(x_small, x_test, k, centre=False)
        ),
        "you fitted the PCA on the test images: fit it on x_small, the training images": (
            lambda x_small, x_test, k: _pca_mse(x_test, x_test, k)
        ),
        "you measured the error on x_small, the images PCA was fitted on: measure it on x_test": (
            lambda x_small, x_test, k: _pca_mse(x_small, x_small, k)
        ),
    },
)


def _check_q3(answer, want, sweep):
    try:
        k = as_number(answer)
    except TypeError:
        return f"answer should be a code size (an int), got {type(answer).__name__}"
    if k not in sweep:
        return f"{k:g} is not one of the sweep's code sizes {sorted(sweep)}"
    largest = sweep[max(sweep)]["val"]
    if sweep[k]["val"] > 1.10 * largest:
        return (
            f"k={k:g}: validation error {sweep[k]['val']:.5f} is more than 10% above the largest "
            f"code's ({largest:.5f})"
        )
    if k != want:
        return f"k={k:g} is within 10% on validation images, but a smaller code also is"
    return None


def _solve_q3(sweep):
    limit = 1.10 * sweep[max(sweep)]["val"]  # within 10% of the largest code's validation error
    return min(k for k in sweep if sweep[k]["val"] <= limit)


def _q3_inputs():
    val = {2: 0.030, 4: 0.022, 8: 0.016, 16: 0.0125, 32: 0.0112, 64: 0.0106}
    test = {2: 0.031, 4: 0.023, 8: 0.0165, 16: 0.0115, 32: 0.0110, 64: 0.0106}  # would pick 16
    return {"sweep": {k: {"val": val[k], "ae": test[k], "pca": 1.3 * test[k]} for k in val}}


q3 = Exercise(
    title="q3: pick the code size",
    checker=_check_q3,
    hint="First compute the validation error you may not exceed (from the largest code's), then "
    "look for the smallest code that stays under it.",
    solution=_solve_q3,
    make_inputs=_q3_inputs,
    wrong_answers={
        "the largest code has the lowest error, but a smaller one is within 10% of it": (
            lambda sweep: max(sweep)
        ),
        "you chose on the test errors ('ae'): choose on the validation errors ('val')": (
            lambda sweep: _solve_q3({k: {"val": errors["ae"]} for k, errors in sweep.items()})
        ),
        "the best ratio to PCA is another question: find the smallest code within 10% of the "
        "largest code's validation error": lambda sweep: min(
            sweep, key=lambda k: sweep[k]["ae"] / sweep[k]["pca"]
        ),
        "one size too small: its validation error is more than 10% above the largest code's": (
            lambda sweep: sorted(sweep)[sorted(sweep).index(_solve_q3(sweep)) - 1]
        ),
    },
)


def _is_bce(loss):
    """Was the model compiled with binary cross-entropy (by name, class or function)?"""
    import keras

    if isinstance(loss, str):
        return loss.lower() in ("binary_crossentropy", "bce")
    if isinstance(loss, keras.losses.BinaryCrossentropy):
        return True
    return getattr(loss, "__name__", "") == "binary_crossentropy"


def _check_q4(answer, x_train, x_test, baseline):
    import keras

    if not isinstance(answer, keras.Model):
        return f"answer should be a trained keras.Model, got {type(answer).__name__}"
    if answer is baseline:
        return (
            "that is the lesson's model, trained with the MSE: build a new one, compile it with "
            "loss='binary_crossentropy' and train it"
        )
    if tuple(answer.input_shape) != (None, 784) or tuple(answer.output_shape) != (None, 784):
        return (
            "the model should read and return flattened images, (None, 784) -> (None, 784); "
            f"got {answer.input_shape} -> {answer.output_shape}"
        )
    loss = getattr(answer, "loss", None)
    if loss is None:
        return "the model is not compiled: compile it with loss='binary_crossentropy', then fit it"
    if not _is_bce(loss):
        return f"compile it with loss='binary_crossentropy'; yours was compiled with {loss!r}"

    def test_mse(model):
        r = keras.ops.convert_to_numpy(model.predict(x_test, verbose=0, batch_size=1000))
        return float(np.mean((x_test - r) ** 2))

    mse_bce, mse_mse = test_mse(answer), test_mse(baseline)
    mean_mse = float(np.mean((x_test - x_train.mean(axis=0)) ** 2))
    if not mse_bce < mean_mse:
        return (
            f"test MSE {mse_bce:.4f} is no better than the average training image "
            f"({mean_mse:.4f}): has it been trained on x_train?"
        )
    print(
        f"test MSE: trained with binary cross-entropy {mse_bce:.5f} | trained with the MSE "
        f"{mse_mse:.5f} | ratio {mse_bce / mse_mse:.2f}. Was your prediction right? (With the "
        "same budget as the lesson's model, the ratio is a fair comparison; with fewer epochs "
        "it is not.)"
    )
    return None


def _solve_q4(x_train, x_test, baseline):
    import keras

    import aehelpers as ae

    model, _, _ = ae.dense_autoencoder(784, 32, hidden=(256,))
    # in the lesson: optimizer=cosine_adam(EPOCHS, len(x_train), BATCH), epochs=EPOCHS, batch_size=BATCH
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="binary_crossentropy")
    model.fit(x_train, x_train, epochs=10, batch_size=64, verbose=0)
    return model


def _bce_or_mse(x_train, loss, epochs):
    """The lesson's dense model compiled with ``loss`` and trained ``epochs`` (known mistakes)."""
    import keras

    import aehelpers as ae

    model, _, _ = ae.dense_autoencoder(784, 32, hidden=(256,))
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss=loss)
    if epochs:
        model.fit(x_train, x_train, epochs=epochs, batch_size=64, verbose=0)
    return model


def _q4_inputs():
    import keras

    rng = np.random.default_rng(0)
    patterns = rng.random((3, 784))  # three kinds of image, each with a little noise
    x = patterns[rng.integers(0, 3, size=400)] + rng.normal(0, 0.05, size=(400, 784))
    x = np.clip(x, 0, 1).astype("float32")
    keras.utils.set_random_seed(0)
    baseline = keras.Sequential(
        [keras.Input((784,)), keras.layers.Dense(8), keras.layers.Dense(784, activation="sigmoid")]
    )
    baseline.compile(optimizer="adam", loss="mse")
    return {"x_train": x[:300], "x_test": x[300:], "baseline": baseline}


q4 = Exercise(
    title="q4: MSE or binary cross-entropy?",
    checker=_check_q4,
    hint="Build the model as the lesson does, then change one word in compile(): the loss. Train "
    "it with the same optimiser, epochs and batch size as `autoencoder`, so that only the loss "
    "differs.",
    solution=_solve_q4,
    make_inputs=_q4_inputs,
    wrong_answers={
        "that is the lesson's MSE-trained model: train a new one with the other loss": (
            lambda x_train, x_test, baseline: baseline
        ),
        "compiled with the MSE again: the point is to change the loss": lambda x_train, x_test, baseline: (
            _bce_or_mse(x_train, loss="mse", epochs=10)
        ),
        "built and compiled, but not trained: fit it on x_train": lambda x_train, x_test, baseline: (
            _bce_or_mse(x_train, loss="binary_crossentropy", epochs=0)
        ),
    },
    slow_reference=True,  # its solution fits a model
)


# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(
    globals(),
    q1=(2, 15, "decision"),
    q2=(2, 15, "other"),
    q3=(2, 10, "decision"),
    q4=(2, 15, "decision"),
)
