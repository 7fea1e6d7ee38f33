"""Exercises for lesson 02, undercomplete autoencoders.

In the notebook::

    from aehelpers.exercises import lesson02 as ex
    answer = ...
    ex.q1.check(answer)
"""

import numpy as np

from . import Exercise

# ----------------------------------------------------------------------------- q1


def _dense_widths(model):
    """Widths of every Dense layer in a (possibly nested) Keras model, in order."""
    import keras

    widths = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            widths.append(layer.units)
        elif isinstance(layer, keras.Model):
            widths.extend(_dense_widths(layer))
    return widths


def _check_q1(answer):
    import keras

    if not isinstance(answer, keras.Model):
        return f"answer should be a keras.Model (the whole autoencoder), got {type(answer).__name__}"
    if tuple(answer.input_shape) != (None, 784):
        return f"the model should read flattened images, input shape (None, 784); got {answer.input_shape}"
    if tuple(answer.output_shape) != (None, 784):
        return f"the model should output 784 pixels, output shape (None, 784); got {answer.output_shape}"
    widths = _dense_widths(answer)
    if len(widths) < 4:
        return f"expected at least 4 Dense layers (784-128-16-128-784 has 4), found widths {widths}"
    if min(widths) != 16:
        return f"the narrowest layer (the code) should have 16 units; the Dense widths are {widths}"
    if 128 not in widths:
        return f"expected hidden layers of 128 units on each side of the code; widths are {widths}"
    x = np.random.default_rng(0).random((4, 784)).astype("float32")
    out = np.asarray(answer(x))
    if out.min() < 0 or out.max() > 1:
        return "outputs should lie in [0, 1] like the pixels: end the decoder with a sigmoid"
    return None


def _solution_q1():
    import keras
    from keras import layers

    encoder = keras.Sequential(
        [keras.Input((784,)), layers.Dense(128, activation="relu"), layers.Dense(16)]
    )
    decoder = keras.Sequential(
        [keras.Input((16,)), layers.Dense(128, activation="relu"),
         layers.Dense(784, activation="sigmoid")]
    )  # fmt: skip
    inputs = keras.Input((784,))
    return keras.Model(inputs, decoder(encoder(inputs)))


q1 = Exercise(
    title="Q1 build a 16-number bottleneck",
    checker=_check_q1,
    hint="Copy the lesson's encoder/decoder cells and change the widths: "
    "784 -> 128 (relu) -> 16 -> 128 (relu) -> 784 (sigmoid). Return the composed keras.Model.",
    solution=_solution_q1,
)

# ----------------------------------------------------------------------------- q2


def _q2_inputs():
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(6, 40))
    x = rng.normal(size=(300, 6)) @ basis + 0.1 * rng.normal(size=(300, 40))
    x = (x - x.min()) / (x.max() - x.min())
    return {"x_small": x[:200].astype("float32"), "x_test": x[200:].astype("float32"), "k": 4}


def _check_q2(answer, x_small, x_test, k):
    from ..metrics import pca_baseline

    try:
        value = float(answer)
    except (TypeError, ValueError):
        return f"answer should be one number (the mean test MSE), got {type(answer).__name__}"
    expected = pca_baseline(x_small, x_test, k).mse
    if not np.isfinite(value) or abs(value - expected) > 1e-3 * expected + 1e-7:
        return (
            f"got {value:.6g}, expected about {expected:.6g}. Did you subtract the training mean, "
            "keep the top-k right singular vectors of the *training* data, and add the mean back?"
        )
    return None


def _solution_q2(x_small, x_test, k):
    x_fit = x_small.reshape(len(x_small), -1).astype(np.float64)  # (n, 784)
    x_new = x_test.reshape(len(x_test), -1).astype(np.float64)
    mean = x_fit.mean(axis=0)
    _, _, vt = np.linalg.svd(x_fit - mean, full_matrices=False)
    w = vt[:k]  # (k, 784): the top-k principal directions
    codes = (x_new - mean) @ w.T  # (n_test, k): PCA's code
    recon = codes @ w + mean
    return float(np.mean((x_new - recon) ** 2))


q2 = Exercise(
    title="Q2 PCA baseline by hand",
    checker=_check_q2,
    hint="Centre the training data, take np.linalg.svd(..., full_matrices=False); the first k rows "
    "of Vt are the principal directions. Code = (x_test - mean) @ Vt[:k].T, reconstruction = "
    "code @ Vt[:k] + mean; return the mean squared error over all test pixels.",
    solution=_solution_q2,
    make_inputs=_q2_inputs,
)

# ----------------------------------------------------------------------------- q3


def _q3_inputs():
    rng = np.random.default_rng(1)
    return {"train_errors": rng.gamma(2.0, 0.01, 500), "errors": rng.gamma(2.0, 0.02, 100)}


def _check_q3(answer, train_errors, errors):
    flags = np.asarray(answer)
    errors = np.asarray(errors)
    if flags.shape != errors.shape:
        return f"answer should have one flag per image, shape {errors.shape}; got shape {flags.shape}"
    if flags.dtype != bool:
        return f"answer should be a boolean array (True = unusual), got dtype {flags.dtype}"
    expected = errors > np.percentile(train_errors, 99)
    wrong = int(np.sum(flags != expected))
    if wrong:
        return (
            f"{wrong} of {len(errors)} flags differ. Threshold = np.percentile(train_errors, 99); "
            "flag an image when its error is above it."
        )
    return None


def _solution_q3(train_errors, errors):
    threshold = np.percentile(train_errors, 99)
    return np.asarray(errors) > threshold


q3 = Exercise(
    title="Q3 flag images unlike the training data",
    checker=_check_q3,
    hint="An AE is data-specific, so a large reconstruction error means 'not like my training data'. "
    "threshold = np.percentile(train_errors, 99); return errors > threshold (a boolean array).",
    solution=_solution_q3,
    make_inputs=_q3_inputs,
)
