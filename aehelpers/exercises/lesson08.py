"""Exercises of lesson 08: anomaly detection with autoencoders."""

import numpy as np

from . import Exercise, FunctionExercise, false_alarm_problem, set_levels

# q1 -------------------------------------------------------------------------


def _check_label_free(answer, calib_scores):
    return false_alarm_problem(answer, calib_scores, target=0.01, unit="row")


def _solve_label_free(calib_scores):
    # about 1% of normal rows score above the 99th percentile of normal scores
    return float(np.percentile(calib_scores, 99))


def _toy_calibration(seed=0):
    """Skewed, positive scores like reconstruction errors (log-normal)."""
    return {"calib_scores": np.random.default_rng(seed).lognormal(0.0, 1.0, 2000)}


def _wrong_first_percentile(calib_scores):
    """You took the 1st percentile: 99% of normal scores fall below a 1% false-alarm threshold (the 99th)."""
    return float(np.percentile(calib_scores, 1))


def _wrong_largest_error(calib_scores):
    """You took the largest normal score: that gives almost no false alarms, not 1% (take the 99th percentile)."""
    return float(np.max(calib_scores))


def _wrong_mean_plus_two_std(calib_scores):
    """Mean + 2 std assumes normally distributed scores: take the 99th percentile of the scores themselves."""
    return float(np.mean(calib_scores) + 2 * np.std(calib_scores))


q1 = Exercise(
    "q1: a 1% false-alarm threshold without labels",
    _check_label_free,
    "The calibration rows are all normal. Which value of their scores is exceeded by only 1% "
    "of them? NumPy has a function for exactly that. (Errors are skewed: rules made for a bell "
    "curve miss the 1%.)",
    _solve_label_free,
    _toy_calibration,
    wrong_answers=[_wrong_first_percentile, _wrong_largest_error, _wrong_mean_plus_two_std],
)

# q2 -------------------------------------------------------------------------


def _check_image_errors(image_errors, model, x):
    import keras

    x = np.asarray(x, dtype=np.float32)
    got = image_errors(model, x)
    try:
        got = np.asarray(keras.ops.convert_to_numpy(got), dtype=np.float64)
    except Exception:
        return f"expected a NumPy array, got {type(got).__name__}"
    recon = keras.ops.convert_to_numpy(model(x, training=False))
    want = np.mean((recon.reshape(len(x), -1) - x.reshape(len(x), -1)) ** 2, axis=1)
    if got.shape != want.shape:
        return f"expected shape {want.shape}, one error per image, got {got.shape}"
    if np.allclose(got, want * (x[0].size), rtol=1e-3):
        return "that is the sum of the squared errors: take the mean over the pixels"
    if not np.allclose(got, want, rtol=1e-3, atol=1e-7):
        return "the values differ from each image's mean squared error between x and model(x, training=False)"
    return None


def _solve_image_errors(model, x):
    import keras

    def image_errors(model, x):
        reconstruction = model(x, training=False)
        squared = keras.ops.square(keras.ops.subtract(reconstruction, x))  # (n, 28, 28)
        per_image = keras.ops.mean(
            keras.ops.reshape(squared, (len(x), -1)), axis=1
        )  # mean over all pixels
        return keras.ops.convert_to_numpy(per_image)

    return image_errors


def _toy_image_model(seed=0):
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((28, 28)),
            layers.Flatten(),
            layers.Dense(8, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
            layers.Reshape((28, 28)),
        ]
    )
    x = np.random.default_rng(seed).random((30, 28, 28)).astype("float32")
    return {"model": model, "x": x}


def _wrong_last_axis_only(model, x):
    """You averaged over the last axis only: average the squared error over every axis but the first."""
    import keras

    def image_errors(model, x):
        return keras.ops.convert_to_numpy(
            keras.ops.mean(
                keras.ops.square(keras.ops.subtract(model(x, training=False), x)), axis=-1
            )
        )

    return image_errors


def _wrong_one_number(model, x):
    """You averaged over the whole batch: keep one error per image."""
    import keras

    def image_errors(model, x):
        return keras.ops.convert_to_numpy(
            keras.ops.mean(keras.ops.square(keras.ops.subtract(model(x, training=False), x)))
        )

    return image_errors


def _wrong_sum_not_mean(model, x):
    """You summed the squared errors: take their mean over the pixels, as the MSE the model trained on."""
    import keras

    def image_errors(model, x):
        return keras.ops.convert_to_numpy(
            keras.ops.sum(
                keras.ops.square(keras.ops.subtract(model(x, training=False), x)), axis=(1, 2)
            )
        )

    return image_errors


q2 = FunctionExercise(
    "q2: one error per image",
    "image_errors(model, x)",
    _check_image_errors,
    "Call the model itself in inference mode. The squared difference has the shape of the "
    "images; one number per image means averaging over every axis except the first.",
    _solve_image_errors,
    _toy_image_model,
    wrong_answers=[_wrong_last_axis_only, _wrong_one_number, _wrong_sum_not_mean],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(1, 10), q2=(1, 5))
