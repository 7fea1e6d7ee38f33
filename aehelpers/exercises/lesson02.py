"""Exercises for lesson 02, undercomplete autoencoders.

In the notebook::

    from aehelpers.exercises import lesson02 as ex
    answer = ...
    ex.q1.check(answer)
"""

import numpy as np

from . import Exercise, as_number, dense_layers, set_levels

# ----------------------------------------------------------------------------- q1


def _activation_name(layer):
    return getattr(layer.activation, "__name__", str(layer.activation))


def _check_q1(answer):
    import keras

    if not isinstance(answer, keras.Model):
        return (
            f"answer should be a keras.Model (the whole autoencoder), got {type(answer).__name__}"
        )
    if tuple(answer.input_shape) != (None, 784) or tuple(answer.output_shape) != (None, 784):
        return (
            f"the model should read and return flattened images, (None, 784) -> (None, 784); "
            f"got {answer.input_shape} -> {answer.output_shape}"
        )
    layers = dense_layers(answer)
    widths = [layer.units for layer in layers]
    if widths != [128, 16, 128, 784]:
        return f"the Dense widths in order should follow 784 -> 128 -> 16 -> 128 -> 784; yours are {widths}"
    acts = [_activation_name(layer) for layer in layers]
    want = ["relu", "linear", "relu", "sigmoid"]
    for i, (got, exp) in enumerate(zip(acts, want, strict=True)):
        if got != exp:
            return f"Dense layer {i + 1} (width {widths[i]}) has activation {got!r}; check the activations the exercise asks for"
    return None


def _solution_q1():
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


def _seq(*layers):
    import keras

    return keras.Sequential([keras.Input((784,)), *layers])


def _wrong_code_first():
    from keras import layers

    return _seq(
        layers.Dense(16),
        layers.Dense(128, activation="relu"),
        layers.Dense(128, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
    )


def _wrong_no_sigmoid():
    from keras import layers

    return _seq(
        layers.Dense(128, activation="relu"),
        layers.Dense(16),
        layers.Dense(128, activation="relu"),
        layers.Dense(784),
    )


def _wrong_relu_code():
    from keras import layers

    return _seq(
        layers.Dense(128, activation="relu"),
        layers.Dense(16, activation="relu"),
        layers.Dense(128, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
    )


def _wrong_code_32():
    from keras import layers

    return _seq(
        layers.Dense(128, activation="relu"),
        layers.Dense(32),
        layers.Dense(128, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
    )


q1 = Exercise(
    title="Q1 build a 16-number bottleneck",
    checker=_check_q1,
    hint="Start from the lesson's encoder and decoder cells; change the widths, and give each Dense layer the "
    "activation the exercise names (the code layer gets none).",
    solution=_solution_q1,
    wrong_answers=[_wrong_code_first, _wrong_no_sigmoid, _wrong_relu_code, _wrong_code_32],
)

# ----------------------------------------------------------------------------- q2


def _q2_inputs():
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(6, 40))
    x = rng.normal(size=(300, 6)) @ basis + 0.1 * rng.normal(size=(300, 40)) + 3.0
    x = (x - x.min()) / (x.max() - x.min())
    return {"x_small": x[:200].astype("float32"), "x_test": x[200:].astype("float32"), "k": 4}


def _check_q2(answer, x_small, x_test, k):
    from ..baselines import pca_baseline

    try:
        value = as_number(answer)
    except (TypeError, ValueError):
        return f"answer should be one number (the mean test MSE), got {type(answer).__name__}"
    expected = pca_baseline(x_small, x_test, k).mse
    if not np.isfinite(value) or abs(value - expected) > 1e-3 * expected + 1e-7:
        return (
            f"got {value:.6g}; PCA-{k} fitted on x_small gives a different test error. Which data is the PCA "
            "fitted on, is it centred, and does the reconstruction live in pixel space again?"
        )
    return None


def _pca_svd(x_fit, x_new, k, centre=True):
    x_fit = x_fit.reshape(len(x_fit), -1).astype(np.float64)
    x_new = x_new.reshape(len(x_new), -1).astype(np.float64)
    mean = x_fit.mean(axis=0) if centre else np.zeros(x_fit.shape[1])
    _, _, vt = np.linalg.svd(x_fit - mean, full_matrices=False)
    w = vt[:k]
    return float(np.mean((x_new - ((x_new - mean) @ w.T @ w + mean)) ** 2))


def _solution_q2(x_small, x_test, k):
    x_fit = x_small.reshape(len(x_small), -1).astype(np.float64)  # (n, 784)
    x_new = x_test.reshape(len(x_test), -1).astype(np.float64)
    mean = x_fit.mean(axis=0)
    _, _, vt = np.linalg.svd(x_fit - mean, full_matrices=False)
    w = vt[:k]  # (k, 784): the top-k principal directions
    codes = (x_new - mean) @ w.T  # (n_test, k): PCA's code
    recon = codes @ w + mean
    return float(np.mean((x_new - recon) ** 2))


def _wrong_not_centred(x_small, x_test, k):
    return _pca_svd(x_small, x_test, k, centre=False)


def _wrong_fitted_on_test(x_small, x_test, k):
    return _pca_svd(x_test, x_test, k)


def _wrong_training_error(x_small, x_test, k):
    return _pca_svd(x_small, x_small, k)


q2 = Exercise(
    title="Q2 PCA baseline by hand",
    checker=_check_q2,
    hint="PCA's directions are the right singular vectors of the centred training data (np.linalg.svd with "
    "full_matrices=False). Encode the test images with the top k of them, decode back to pixels, compare.",
    solution=_solution_q2,
    make_inputs=_q2_inputs,
    wrong_answers=[_wrong_not_centred, _wrong_fitted_on_test, _wrong_training_error],
)

# ----------------------------------------------------------------------------- q3


def _q3_inputs():
    val = {2: 0.030, 4: 0.022, 8: 0.016, 16: 0.0125, 32: 0.0112, 64: 0.0106}
    test = {2: 0.031, 4: 0.023, 8: 0.0165, 16: 0.0115, 32: 0.0110, 64: 0.0106}  # would pick 16
    return {"sweep": {k: {"val": val[k], "ae": test[k], "pca": 1.3 * test[k]} for k in val}}


def _smallest_within(sweep, tolerance=1.10, key="val"):
    limit = tolerance * sweep[max(sweep)][key]
    return min(k for k in sweep if sweep[k][key] <= limit)


def _check_q3(answer, sweep):
    try:
        k = int(answer)
    except (TypeError, ValueError):
        return f"answer should be a code size (an int), got {type(answer).__name__}"
    if k not in sweep:
        return f"{k} is not one of the sweep's code sizes {sorted(sweep)}"
    limit = 1.10 * sweep[max(sweep)]["val"]
    if sweep[k]["val"] > limit:
        return (
            f"k={k}: validation error {sweep[k]['val']:.5f} is more than 10% above the largest code's "
            f"({sweep[max(sweep)]['val']:.5f})"
        )
    if k != _smallest_within(sweep):
        return f"k={k} is within 10% on validation images, but a smaller code also is"
    return None


def _solution_q3(sweep):
    limit = 1.10 * sweep[max(sweep)]["val"]  # within 10% of the largest code's validation error
    return min(k for k in sweep if sweep[k]["val"] <= limit)


def _wrong_largest_code(sweep):
    return max(sweep)


def _wrong_decided_on_test(sweep):
    return _smallest_within(sweep, key="ae")


def _wrong_best_ratio_to_pca(sweep):
    return min(sweep, key=lambda k: sweep[k]["ae"] / sweep[k]["pca"])


def _wrong_one_size_too_small(sweep):
    ks = sorted(sweep)
    return ks[ks.index(_smallest_within(sweep)) - 1]


q3 = Exercise(
    title="Q3 pick the code size",
    checker=_check_q3,
    hint="First compute the validation error you may not exceed (from the largest code's), then look for the "
    "smallest code that stays under it.",
    solution=_solution_q3,
    make_inputs=_q3_inputs,
    wrong_answers=[
        _wrong_largest_code,
        _wrong_decided_on_test,
        _wrong_best_ratio_to_pca,
        _wrong_one_size_too_small,
    ],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(1, 10), q2=(2, 15), q3=(2, 10))
