"""Exercises of lesson 11: autoencoders for sequences."""

import numpy as np

from . import Exercise, FunctionExercise, false_alarm_problem, set_levels, short

# q1 -------------------------------------------------------------------------


def _period(train, max_lag=400):
    x = np.asarray(train, dtype=np.float64) - np.mean(train)
    ac = np.correlate(x, x, mode="full")[len(x) - 1 : len(x) - 1 + max_lag] / (x @ x)
    first_negative = int(np.argmax(ac < 0))
    return first_negative + int(np.argmax(ac[first_negative:]))


def _check_window_length(answer, train):
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
    period = _period(train)
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


def _solve_window_length(train):
    x = train - train.mean()
    ac = np.correlate(x, x, mode="full")[len(x) - 1 :][:400] / (
        x @ x
    )  # autocorrelation at lags 0..399
    first_negative = int(np.argmax(ac < 0))  # skip the peak at lag 0
    return first_negative + int(np.argmax(ac[first_negative:]))  # lag of the next peak: the period


def _toy_beats(seed=0):
    """A noisy periodic series with period 50, like a standardised pulse signal."""
    rng = np.random.default_rng(seed)
    t = np.arange(1500)
    beat = np.exp(-(((t % 50) - 10) ** 2) / 20.0) + 0.3 * np.sin(2 * np.pi * t / 50)
    return {"train": (beat + 0.05 * rng.standard_normal(len(t))).astype("float32")}


def _wrong_ten_samples(train):
    """A fixed 10 samples ignores the data: read the period off the autocorrelation (its first peak after lag 0)."""
    return 10


def _wrong_whole_series(train):
    """The whole series is one window, nothing to slide: use about one period (the autocorrelation's first peak)."""
    return len(train)


def _wrong_two_periods(train):
    """Two periods: one period (the lag of the autocorrelation's first peak after lag 0) is enough."""
    return 2 * _period(train)


q1 = Exercise(
    "q1: a window length from the data",
    _check_window_length,
    "Correlate the training series with shifted copies of itself (np.correlate, mode='full', "
    "after subtracting the mean). After the peak at lag 0 it falls; the lag of the next peak is "
    "the period. Counting peaks per sample works too.",
    _solve_window_length,
    _toy_beats,
    wrong_answers=[_wrong_ten_samples, _wrong_whole_series, _wrong_two_periods],
)

# q2 -------------------------------------------------------------------------


def _check_half_percent(answer, val_errors):
    return false_alarm_problem(answer, val_errors, target=0.005, unit="window")


def _solve_half_percent(val_errors):
    return float(np.percentile(val_errors, 99.5))  # 0.5% of normal windows lie above it


def _toy_val_errors(seed=0):
    """Skewed, positive window errors (log-normal), as many as a validation split holds."""
    return {"val_errors": np.random.default_rng(seed).lognormal(-3.0, 0.8, 2000)}


def _wrong_reversed_percentile(val_errors):
    """You took the 0.5th percentile: 0.5% false alarms means 99.5% of normal errors fall below it."""
    return float(np.percentile(val_errors, 0.5))


def _wrong_one_percent(val_errors):
    """The 99th percentile gives 1% false alarms: take the 99.5th for 0.5%."""
    return float(np.percentile(val_errors, 99))


def _wrong_mean_plus_three_std(val_errors):
    """Mean + 3 std assumes normally distributed errors: take the 99.5th percentile of the errors themselves."""
    return float(np.mean(val_errors) + 3 * np.std(val_errors))


q2 = Exercise(
    "q2: a 0.5% false-alarm threshold without labels",
    _check_half_percent,
    "The validation windows are all normal. Which value of their errors do only 1 in 200 of them "
    "exceed? (Errors are skewed: rules made for a bell curve do not give that share.)",
    _solve_half_percent,
    _toy_val_errors,
    wrong_answers=[_wrong_reversed_percentile, _wrong_one_percent, _wrong_mean_plus_three_std],
)

# q3 -------------------------------------------------------------------------


def _check_conv_ae(build_conv_ae):
    import keras

    for length in (32, 64):
        model = build_conv_ae(length)
        if not isinstance(model, keras.Model):
            return (
                f"build_conv_ae({length}) returned {type(model).__name__}; expected a keras Model"
            )
        if tuple(model.input_shape) != (None, length, 1):
            return f"build_conv_ae({length}) takes inputs of shape {model.input_shape}; expected (None, {length}, 1)"
        if tuple(model.output_shape) != (None, length, 1):
            return (
                f"build_conv_ae({length}) gives outputs of shape {model.output_shape}; a reconstruction "
                f"has the input's shape (None, {length}, 1)"
            )
        if not any(isinstance(layer, keras.layers.Conv1D) for layer in model.layers):
            return "the model has no Conv1D layer; this exercise is about convolutions along time"
        sizes = [int(np.prod(layer.output.shape[1:])) for layer in model.layers[:-1]]
        if not sizes or min(sizes) >= length:
            return (
                f"every layer's output holds at least {length} numbers for a window of {length} samples: "
                "without a bottleneck the model can learn to copy its input"
            )
        x = np.random.default_rng(0).standard_normal((4, length, 1)).astype("float32")
        y = keras.ops.convert_to_numpy(model(x, training=False))
        if y.shape != x.shape or not np.all(np.isfinite(y)):
            return f"calling the model on a batch of shape {x.shape} gave {y.shape} or non-finite values"
    return None


def _solve_conv_ae():
    import keras
    from keras import layers

    def build_conv_ae(length):
        return keras.Sequential(
            [
                keras.Input((length, 1)),
                layers.Conv1D(16, 7, strides=2, padding="same", activation="relu"),  # (L/2, 16)
                layers.Conv1D(
                    4, 7, strides=2, padding="same", activation="relu"
                ),  # (L/4, 4): L numbers
                layers.Conv1D(
                    2, 7, strides=2, padding="same", activation="relu"
                ),  # (L/8, 2): the code
                layers.Conv1DTranspose(4, 7, strides=2, padding="same", activation="relu"),
                layers.Conv1DTranspose(16, 7, strides=2, padding="same", activation="relu"),
                layers.Conv1DTranspose(16, 7, strides=2, padding="same", activation="relu"),
                layers.Conv1D(1, 7, padding="same"),  # linear output, same shape as the input
            ]
        )

    return build_conv_ae


def _wrong_no_bottleneck():
    import keras
    from keras import layers

    def build_conv_ae(length):
        return keras.Sequential(
            [
                keras.Input((length, 1)),
                layers.Conv1D(16, 7, padding="same", activation="relu"),
                layers.Conv1D(1, 7, padding="same"),
            ]
        )

    return build_conv_ae


def _wrong_valid_padding():
    import keras
    from keras import layers

    def build_conv_ae(length):
        return keras.Sequential(
            [
                keras.Input((length, 1)),
                layers.Conv1D(4, 7, strides=2, activation="relu"),
                layers.Conv1DTranspose(1, 7, strides=2),
            ]
        )

    return build_conv_ae


def _wrong_dense_only():
    import keras
    from keras import layers

    def build_conv_ae(length):
        return keras.Sequential(
            [
                keras.Input((length, 1)),
                layers.Flatten(),
                layers.Dense(length // 4, activation="relu"),
                layers.Dense(length),
                layers.Reshape((length, 1)),
            ]
        )

    return build_conv_ae


q3 = FunctionExercise(
    "q3: a Conv1D autoencoder in Keras",
    "build_conv_ae(length)",
    _check_conv_ae,
    "Start from keras.Input((length, 1)). Conv1D with strides=2 and padding='same' halves the "
    "time axis; Conv1DTranspose with the same settings doubles it back. End with one linear "
    "Conv1D filter so the output has one channel.",
    _solve_conv_ae,
    wrong_answers=[_wrong_no_bottleneck, _wrong_valid_padding, _wrong_dense_only],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(1, 10), q2=(1, 10), q3=(2, 20))
