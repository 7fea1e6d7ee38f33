"""Exercises of lesson 11: autoencoders for sequences."""

import numpy as np

from . import Exercise, FunctionExercise, Mistake, false_alarm_problem, set_levels, short


def _check_q1(answer, train):
    if isinstance(answer, (bool, np.bool_)) or np.ndim(answer) != 0:
        return f"expected one number (a window length in samples), got {type(answer).__name__}"
    length = float(answer)
    if not np.isfinite(length) or length != int(length):
        return f"a window length is a whole number of samples, got {short(answer)}"
    if np.ndim(train) != 1 or len(train) < 200:  # the lesson's input, not the answer, is wrong
        return (
            f"`train` looks wrong (shape {np.shape(train)}): pass the 1-D training series your "
            "run built, a few hundred samples or more"
        )
    period = _solve_q1(np.asarray(train, dtype=np.float64))
    if length < 0.8 * period:
        return (
            f"{int(length)} samples cover less than one beat of this series: a window should hold "
            "a whole pattern, so the model sees each beat's complete shape"
        )
    if length > 1.5 * period:
        return (
            f"{int(length)} samples hold more than one beat: the anomaly becomes a small part of a "
            "long window, and its error is averaged away; aim for about one period"
        )
    return None


def _solve_q1(train):
    x = train - train.mean()
    # autocorrelation at lags 0..399
    ac = np.correlate(x, x, mode="full")[len(x) - 1 :][:400] / (x @ x)
    first_negative = int(np.argmax(ac < 0))  # skip the peak at lag 0
    return first_negative + int(np.argmax(ac[first_negative:]))  # lag of the next peak: the period


def _toy_beats():
    """A noisy periodic series with period 50, like a standardised pulse signal."""
    t = np.arange(1500)
    beat = np.exp(-(((t % 50) - 10) ** 2) / 20.0) + 0.3 * np.sin(2 * np.pi * t / 50)
    noise = 0.05 * np.random.default_rng(0).standard_normal(len(t))
    return {"train": (beat + noise).astype("float32")}


q1 = Exercise(
    title="q1: a window length from the data",
    hint="Correlate the training series with shifted copies of itself (np.correlate, mode='full', "
    "after subtracting the mean). After the peak at lag 0 it falls; the lag of the next peak is "
    "the period. Counting peaks per sample works too.",
    solution=_solve_q1,
    checker=_check_q1,
    make_inputs=_toy_beats,
    wrong_answers={
        "a fixed 10 samples ignores the data: read the period off the autocorrelation (its first "
        "peak after lag 0)": lambda train: 10,
        "the whole series is one window, nothing to slide: use about one period (the "
        "autocorrelation's first peak)": lambda train: len(train),
        "two periods: one period (the lag of the autocorrelation's first peak after lag 0) is "
        "enough": lambda train: 2 * _solve_q1(train),
    },
)


def _solve_q2(val_errors):
    return float(np.percentile(val_errors, 99.5))  # 0.5% of normal windows lie above it


q2 = Exercise(
    title="q2: a 0.5% false-alarm threshold without labels",
    hint="The validation windows are all normal. Which value of their errors do only 1 in 200 of "
    "them exceed? (Errors are skewed: rules made for a bell curve do not give that share.)",
    solution=_solve_q2,
    checker=lambda answer, val_errors: false_alarm_problem(
        answer, val_errors, target=0.005, unit="window"
    ),
    # skewed, positive window errors (log-normal), as many as a validation split holds
    make_inputs=lambda: {"val_errors": np.random.default_rng(0).lognormal(-3.0, 0.8, 2000)},
    wrong_answers={
        "you took the 0.5th percentile: 0.5% false alarms means 99.5% of normal errors fall below "
        "it": lambda val_errors: float(np.percentile(val_errors, 0.5)),
        "the 99th percentile gives 1% false alarms: take the 99.5th for 0.5%": lambda val_errors: (
            float(np.percentile(val_errors, 99))
        ),
        "mean + 3 std assumes normally distributed errors: take the 99.5th percentile of the "
        "errors themselves": lambda val_errors: float(np.mean(val_errors) + 3 * np.std(val_errors)),
    },
)


def _check_q3(build_conv_ae):
    import keras

    for length in (32, 64):
        model, call = build_conv_ae(length), f"build_conv_ae({length})"
        if not isinstance(model, keras.Model):
            return f"{call} returned {type(model).__name__}; expected a keras Model"
        if tuple(model.input_shape) != (None, length, 1):
            return f"{call} takes inputs of shape {model.input_shape}; expected (None, {length}, 1)"
        if tuple(model.output_shape) != (None, length, 1):
            return (
                f"{call} gives outputs of shape {model.output_shape}; a reconstruction has the "
                f"input's shape (None, {length}, 1)"
            )
        if not any(isinstance(layer, keras.layers.Conv1D) for layer in model.layers):
            return "the model has no Conv1D layer; this exercise is about convolutions along time"
        sizes = [int(np.prod(layer.output.shape[1:])) for layer in model.layers[:-1]]
        if not sizes or min(sizes) >= length:
            return (
                f"every layer's output holds at least {length} numbers for a window of {length} "
                "samples: without a bottleneck the model can learn to copy its input"
            )
        x = np.random.default_rng(0).standard_normal((4, length, 1)).astype("float32")
        y = keras.ops.convert_to_numpy(model(x, training=False))
        if y.shape != x.shape or not np.all(np.isfinite(y)):
            return f"calling the model on a batch of shape {x.shape} gave {y.shape} or NaN/inf"
    return None


def _solve_q3():
    import keras
    from keras import layers

    def build_conv_ae(length):
        return keras.Sequential(
            [
                keras.Input((length, 1)),
                layers.Conv1D(16, 7, strides=2, padding="same", activation="relu"),  # (L/2, 16)
                # (L/4, 4): L numbers
                layers.Conv1D(4, 7, strides=2, padding="same", activation="relu"),
                # (L/8, 2): the code
                layers.Conv1D(2, 7, strides=2, padding="same", activation="relu"),
                layers.Conv1DTranspose(4, 7, strides=2, padding="same", activation="relu"),
                layers.Conv1DTranspose(16, 7, strides=2, padding="same", activation="relu"),
                layers.Conv1DTranspose(16, 7, strides=2, padding="same", activation="relu"),
                layers.Conv1D(1, 7, padding="same"),  # linear output, same shape as the input
            ]
        )

    return build_conv_ae


def _builder(mistake):
    """A wrong build_conv_ae(length): no bottleneck, no padding, or no convolution."""
    import keras
    from keras.layers import Conv1D, Conv1DTranspose, Dense, Flatten, Reshape

    def build_conv_ae(n):
        same = {"padding": "same"}
        stack = {
            "no bottleneck": [Conv1D(16, 7, activation="relu", **same), Conv1D(1, 7, **same)],
            "valid padding": [Conv1D(4, 7, strides=2, activation="relu"), Conv1DTranspose(1, 7, 2)],
            "dense only": [Flatten(), Dense(n // 4, activation="relu"), Dense(n), Reshape((n, 1))],
        }
        return keras.Sequential([keras.Input((n, 1)), *stack[mistake]])

    return build_conv_ae


q3 = FunctionExercise(
    title="q3: a Conv1D autoencoder in Keras",
    signature="build_conv_ae(length)",
    hint="Start from keras.Input((length, 1)). Conv1D with strides=2 and padding='same' halves "
    "the time axis; Conv1DTranspose with the same settings doubles it back. End with one linear "
    "Conv1D filter so the output has one channel.",
    solution=_solve_q3,
    checker=_check_q3,
    wrong_answers=[
        Mistake(
            "no bottleneck: every layer keeps the window's size", _builder, mistake="no bottleneck"
        ),
        Mistake(
            "without padding='same' the strides lose samples", _builder, mistake="valid padding"
        ),
        Mistake("only Dense layers: no convolution along time", _builder, mistake="dense only"),
    ],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(1, 10, "other"), q2=(1, 10, "decision"), q3=(2, 20, "new code"))
