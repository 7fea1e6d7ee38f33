"""Exercises for lesson 02, undercomplete autoencoders.

In the notebook::

    from aehelpers.exercises import lesson02 as ex
    answer = ...
    ex.q1.check(answer)
"""

import numpy as np

from . import Exercise, as_number, dense_layers, set_levels


def _check_q1(answer):
    import keras

    if not isinstance(answer, keras.Model):
        return (
            f"answer should be a keras.Model (the whole autoencoder), got {type(answer).__name__}"
        )
    if tuple(answer.input_shape) != (None, 784) or tuple(answer.output_shape) != (None, 784):
        return (
            "the model should read and return flattened images, (None, 784) -> (None, 784); "
            f"got {answer.input_shape} -> {answer.output_shape}"
        )
    layers = dense_layers(answer)
    widths = [layer.units for layer in layers]
    if widths != [128, 16, 128, 784]:
        return (
            "the Dense widths in order should follow 784 -> 128 -> 16 -> 128 -> 784; yours are "
            f"{widths}"
        )
    acts = [getattr(layer.activation, "__name__", str(layer.activation)) for layer in layers]
    for i, (got, want) in enumerate(zip(acts, ["relu", "linear", "relu", "sigmoid"], strict=True)):
        if got != want:
            return (
                f"Dense layer {i + 1} (width {widths[i]}) has activation {got!r}; check the "
                "activations the exercise asks for"
            )
    return None


def _solve_q1():
    import keras
    from keras import layers

    encoder = keras.Sequential(
        [keras.Input((784,)), layers.Dense(128, activation="relu"), layers.Dense(16)]
    )
    decoder = keras.Sequential(
        [
            keras.Input((16,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
        ]
    )
    inputs = keras.Input((784,))
    return keras.Model(inputs, decoder(encoder(inputs)))


def _wrong_q1(spec):
    """A Sequential from "128:relu 16 ...": each Dense layer's width[:activation]."""
    import keras

    dense = [(int(w), a or None) for w, _, a in (d.partition(":") for d in spec.split())]
    return keras.Sequential([keras.Input((784,))] + [keras.layers.Dense(*d) for d in dense])


q1 = Exercise(
    title="q1: build a 16-number bottleneck",
    checker=_check_q1,
    hint="Start from the lesson's encoder and decoder cells; change the widths, and give each "
    "Dense layer the activation the exercise names (the code layer gets none).",
    solution=_solve_q1,
    wrong_answers={
        "the 16-number code comes first: the encoder narrows 784 -> 128 -> 16": (
            lambda: _wrong_q1("16 128:relu 128:relu 784:sigmoid")
        ),
        "the last layer has no sigmoid: pixels lie in [0, 1]": (
            lambda: _wrong_q1("128:relu 16 128:relu 784")
        ),
        "the code layer has a relu: it should have no activation": (
            lambda: _wrong_q1("128:relu 16:relu 128:relu 784:sigmoid")
        ),
        "the code has 32 numbers, not 16": lambda: _wrong_q1("128:relu 32 128:relu 784:sigmoid"),
    },
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
    q1=(1, 10, "other"),
    q2=(2, 15, "other"),
    q3=(2, 10, "decision"),
    q4=(2, 15, "decision"),
)
