"""Exercises of lesson 00: the anatomy of an autoencoder."""

import numpy as np

from . import Exercise, FunctionExercise, Mistake, dense_layers, set_levels


def _dense_model(n_in, n_out):
    import keras

    return keras.Sequential([keras.Input((n_in,)), keras.layers.Dense(n_out)])


def _solve_q1(encoder):
    # numbers per image / numbers per code
    return encoder.input_shape[-1] / encoder.output_shape[-1]


q1 = Exercise(
    title="q1: compression factor",
    hint="A Keras model knows the shapes it reads and writes: look at encoder.input_shape and "
    "encoder.output_shape.",
    solution=_solve_q1,
    make_inputs=lambda: {"encoder": _dense_model(784, 8)},
    rtol=1e-3,
    wrong_answers={
        "you subtracted the sizes: the compression factor is a ratio, input size / code size": (
            lambda encoder: encoder.input_shape[-1] - encoder.output_shape[-1]
        ),
        "you divided the code size by the input size, the fraction of numbers the code keeps: "
        "the question asks how many times fewer (a factor greater than 1)": (
            lambda encoder: encoder.output_shape[-1] / encoder.input_shape[-1]
        ),
        "you typed the code size 32: read it from the encoder you were given, it may differ": (
            lambda encoder: encoder.input_shape[-1] / 32
        ),
    },
)


def _check_q2(fn, want):
    rng = np.random.default_rng(0)
    for shape in ((5, 28, 28), (5, 784)):
        x, r = rng.random(shape).astype(np.float32), rng.random(shape).astype(np.float32)
        got = np.asarray(fn(x, r), dtype=np.float64)
        if got.shape != (5,):
            return (
                f"for 5 images of shape {shape[1:]} your function returned shape {got.shape}; "
                "expected (5,), one error per image"
            )
        if not np.allclose(got, want(x, r), rtol=1e-4):
            return (
                f"for images of shape {shape[1:]} the values differ from the mean squared pixel "
                "difference of each image"
            )
    return None


def _solve_q2():
    def mse_per_image(x, r):
        return ((x - r) ** 2).reshape(len(x), -1).mean(axis=1)

    return mse_per_image


q2 = FunctionExercise(
    title="q2: reconstruction error per image",
    signature="mse_per_image(x, r)",
    checker=_check_q2,
    hint="One number per image: make each image a single row first (whatever its shape), then "
    "average within each row.",
    solution=_solve_q2,
    wrong_answers={
        "you averaged over everything: keep one error per image (average over all axes but the "
        "first)": lambda: lambda x, r: np.mean((x - r) ** 2),
        "you summed the squared errors: take their mean over the pixels, so it is an MSE": (
            lambda: lambda x, r: ((x - r) ** 2).reshape(len(x), -1).sum(axis=1)
        ),
        "you took absolute errors: square them (a mean *squared* error)": (
            lambda: lambda x, r: np.abs(x - r).reshape(len(x), -1).mean(axis=1)
        ),
        "you averaged over the last axis only: average over every axis but the first (rows and "
        "columns)": lambda: lambda x, r: ((x - r) ** 2).mean(axis=-1),
    },
)


def _check_q3(answer, x_train, x_val, reference, prediction=None):
    import keras

    if not isinstance(answer, keras.Model):
        return f"expected a trained keras model, got {type(answer).__name__}"
    guess = None  # the learner's written prediction; optional, so an unfilled guess never blocks
    if prediction is not None and prediction is not Ellipsis:
        try:
            guess = float(prediction)
        except (TypeError, ValueError):
            guess = float("nan")
        if not guess > 0:
            return (
                "prediction should be your guess of the ratio (2-number code's validation MSE / "
                f"the 32-number model's), a number > 0; got {prediction!r}"
            )
    widths = [layer.units for layer in dense_layers(answer)]
    if not widths or min(widths) != 2:
        return (
            "the narrowest Dense layer (the code) should have 2 units; your model's Dense widths "
            f"are {widths}"
        )

    def val_mse(model):
        r = keras.ops.convert_to_numpy(model(x_val, training=False))
        return float(np.mean((x_val - r.reshape(x_val.shape)) ** 2))

    mse, ref_mse = val_mse(answer), val_mse(reference)
    mean_mse = float(np.mean((x_val - x_train.mean(axis=0)) ** 2))
    if mse >= mean_mse:
        return (
            f"validation MSE {mse:.4f} is no better than always answering the average training "
            f"image ({mean_mse:.4f}): has it been trained on x_train?"
        )
    print(
        f"validation MSE: your 2-number code {mse:.4f} | the 32-number model {ref_mse:.4f} | "
        f"ratio {mse / ref_mse:.2f} ("
        + (f"you predicted {guess:.2f}" if guess is not None else "no guess written in my_guess")
        + f") | average image {mean_mse:.4f}"
    )
    return None


def _solve_q3(x_train, x_val, reference, prediction=None):
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


def _q3_inputs():
    import keras

    rng = np.random.default_rng(0)
    angles, patterns = rng.uniform(0, 2 * np.pi, size=(600, 2)), rng.random((4, 784))
    wave = np.cos(angles[:, :1]) * patterns[0] + np.sin(angles[:, 1:]) * patterns[1]
    x = np.clip(0.5 + 0.25 * (wave - 0.5 * patterns[2]), 0, 1).astype("float32")
    keras.utils.set_random_seed(0)
    reference = _wrong_q3(x[:500], None, None, code=32, epochs=0)  # the lesson's 32-number model
    return {"x_train": x[:500], "x_val": x[500:], "reference": reference}


def _wrong_q3(x_train, x_val, reference, code, epochs, prediction=None):
    import keras
    from keras import layers

    model = keras.Sequential(
        [keras.Input((784,)), layers.Dense(128, activation="relu"), layers.Dense(code)]
        + [layers.Dense(128, activation="relu"), layers.Dense(784, activation="sigmoid")]
    )
    model.compile(optimizer="adam", loss="mse")
    if epochs:
        model.fit(x_train, x_train, epochs=epochs, batch_size=64, verbose=0)
    return model


q3 = Exercise(
    title="q3: predict, then measure a 2-number code",
    checker=_check_q3,
    hint="Copy the cell that builds f and g, change the code size, compile and fit it like the "
    "lesson's model.",
    solution=_solve_q3,
    make_inputs=_q3_inputs,
    wrong_answers=[
        Mistake("the model is not trained: fit it on x_train", _wrong_q3, code=2, epochs=0),
        Mistake("the code still has 32 numbers: make it 2", _wrong_q3, code=32, epochs=2),
    ],
    slow_reference=True,  # its solution fits a model
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(1, 5, "other"), q2=(1, 10, "other"), q3=(2, 15, "decision"))
