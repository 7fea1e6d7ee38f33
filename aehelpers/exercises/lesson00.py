"""Exercises of lesson 00: the anatomy of an autoencoder."""

import numpy as np

from . import Exercise, FunctionExercise, as_number, set_levels

# q1 -------------------------------------------------------------------------


def _q1_inputs():
    import keras

    encoder = keras.Sequential([keras.Input((784,)), keras.layers.Dense(8)])
    return {"encoder": encoder}


def _code_size(encoder):
    return int(encoder.output_shape[-1])


def _check_compression(answer, encoder):
    try:
        value = as_number(answer)
    except (TypeError, ValueError):
        return f"expected one number, got {type(answer).__name__}"
    pixels, code = int(np.prod(encoder.input_shape[1:])), _code_size(encoder)
    if np.isclose(value, code / pixels, rtol=1e-3):
        return (
            "that is the fraction of numbers the code keeps; the question asks how many times fewer"
        )
    if not np.isclose(value, pixels / code, rtol=1e-3):
        return (
            f"{value:g} is not it for this encoder (its code has {code} numbers): compare the number of "
            "numbers in one image with the number in its code"
        )
    return None


def _solve_compression(encoder):
    return (
        encoder.input_shape[-1] / encoder.output_shape[-1]
    )  # numbers per image / numbers per code


def _wrong_difference(encoder):
    """You subtracted the sizes: the compression factor is a ratio, input size / code size."""
    return 784 - _code_size(encoder)


def _wrong_inverted(encoder):
    """You divided the code size by the input size: the factor is input size / code size (greater than 1)."""
    return _code_size(encoder) / 784


def _wrong_hard_coded_32(encoder):
    """You typed the code size 32: read it from the encoder you were given, it may differ."""
    return 784 / 32


q1 = Exercise(
    "q1: compression factor",
    _check_compression,
    "A Keras model knows the shapes it reads and writes: look at encoder.input_shape and encoder.output_shape.",
    _solve_compression,
    make_inputs=_q1_inputs,
    wrong_answers=[_wrong_difference, _wrong_inverted, _wrong_hard_coded_32],
)

# q2 -------------------------------------------------------------------------


def _reference_mse(x, r):
    return np.mean((x.reshape(len(x), -1) - r.reshape(len(r), -1)) ** 2, axis=1)


def _check_mse(fn):
    rng = np.random.default_rng(0)
    for shape in ((5, 28, 28), (5, 784)):
        x = rng.random(shape).astype(np.float32)
        r = rng.random(shape).astype(np.float32)
        got = np.asarray(fn(x, r), dtype=np.float64)
        if got.shape != (5,):
            return f"for 5 images of shape {shape[1:]} your function returned shape {got.shape}; expected (5,), one error per image"
        if not np.allclose(got, _reference_mse(x, r), rtol=1e-4):
            return f"for images of shape {shape[1:]} the values differ from the mean squared pixel difference of each image"
    return None


def _solve_mse():
    def mse_per_image(x, r):
        return ((x - r) ** 2).reshape(len(x), -1).mean(axis=1)

    return mse_per_image


def _wrong_one_number():
    """You averaged over everything: keep one error per image (average over all axes but the first)."""
    return lambda x, r: np.mean((x - r) ** 2)


def _wrong_sum_not_mean():
    """You summed the squared errors: take their mean over the pixels, so it is an MSE."""
    return lambda x, r: ((x - r) ** 2).reshape(len(x), -1).sum(axis=1)


def _wrong_absolute_error():
    """You took absolute errors: square them (a mean *squared* error)."""
    return lambda x, r: np.abs(x - r).reshape(len(x), -1).mean(axis=1)


def _wrong_only_last_axis():
    """You averaged over the last axis only: average over every axis but the first (rows and columns)."""
    return lambda x, r: ((x - r) ** 2).mean(axis=-1)


q2 = FunctionExercise(
    "q2: reconstruction error per image",
    "mse_per_image(x, r)",
    _check_mse,
    "One number per image: make each image a single row first (whatever its shape), then average within each row.",
    _solve_mse,
    wrong_answers=[
        _wrong_one_number,
        _wrong_sum_not_mean,
        _wrong_absolute_error,
        _wrong_only_last_axis,
    ],
)

# q3 -------------------------------------------------------------------------


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


def _val_mse(model, x_val):
    import keras

    r = keras.ops.convert_to_numpy(model(x_val, training=False))
    return float(np.mean((x_val - r.reshape(x_val.shape)) ** 2))


def _check_small_code(answer, x_train, x_val, reference):
    import keras

    if not isinstance(answer, keras.Model):
        return f"expected a trained keras model, got {type(answer).__name__}"
    widths = _dense_widths(answer)
    if not widths or min(widths) != 2:
        return f"the narrowest Dense layer (the code) should have 2 units; your model's Dense widths are {widths}"
    mse = _val_mse(answer, x_val)
    mean_mse = float(np.mean((x_val - x_train.mean(axis=0)) ** 2))
    ref_mse = _val_mse(reference, x_val)
    if mse >= mean_mse:
        return (
            f"validation MSE {mse:.4f} is no better than always answering the average training image "
            f"({mean_mse:.4f}): has it been trained on x_train?"
        )
    print(
        f"validation MSE: your 2-number code {mse:.4f} | the 32-number model {ref_mse:.4f} | "
        f"ratio {mse / ref_mse:.2f} | average image {mean_mse:.4f}"
    )
    return None


def _q3_inputs():
    import keras

    rng = np.random.default_rng(0)
    angles = rng.uniform(0, 2 * np.pi, size=(600, 2))
    patterns = rng.random((4, 784))
    x = 0.5 + 0.25 * (
        np.cos(angles[:, :1]) * patterns[0]
        + np.sin(angles[:, 1:]) * patterns[1]
        - 0.5 * patterns[2]
    )
    x = np.clip(x, 0, 1).astype("float32")
    keras.utils.set_random_seed(0)
    reference = keras.Sequential(
        [keras.Input((784,)), keras.layers.Dense(32), keras.layers.Dense(784, activation="sigmoid")]
    )
    return {"x_train": x[:500], "x_val": x[500:], "reference": reference}


def _build(code_dim):
    import keras
    from keras import layers

    f = keras.Sequential(
        [keras.Input((784,)), layers.Dense(128, activation="relu"), layers.Dense(code_dim)]
    )
    g = keras.Sequential(
        [
            keras.Input((code_dim,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
        ]
    )
    model = keras.Sequential([f, g])
    model.compile(optimizer="adam", loss="mse")
    return model


def _solve_small_code(x_train, x_val, reference):
    import keras
    from keras import layers

    f2 = keras.Sequential(
        [keras.Input((784,)), layers.Dense(128, activation="relu"), layers.Dense(2)]
    )
    g2 = keras.Sequential(
        [
            keras.Input((2,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
        ]
    )
    model = keras.Sequential([f2, g2])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x_train, x_train, validation_data=(x_val, x_val), epochs=5, batch_size=64, verbose=0)
    return model


def _wrong_untrained(x_train, x_val, reference):
    return _build(2)


def _wrong_kept_code_32(x_train, x_val, reference):
    model = _build(32)
    model.fit(x_train, x_train, epochs=2, batch_size=64, verbose=0)
    return model


q3 = Exercise(
    "q3: a 2-number code",
    _check_small_code,
    "Copy the cell that builds f and g, change the code size, compile and fit it like the lesson's model.",
    _solve_small_code,
    make_inputs=_q3_inputs,
    wrong_answers=[_wrong_untrained, _wrong_kept_code_32],
    slow_reference=True,  # its solution fits a model
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(1, 5), q2=(1, 10), q3=(2, 15))
