"""Exercises of lesson 08: anomaly detection with autoencoders."""

import numpy as np

from . import Exercise, FunctionExercise, false_alarm_problem, set_levels


def _solve_q1(calib_scores):
    # about 1% of normal rows score above the 99th percentile of normal scores
    return float(np.percentile(calib_scores, 99))


q1 = Exercise(
    title="q1: a 1% false-alarm threshold without labels",
    hint="The calibration rows are all normal. Which value of their scores is exceeded by only 1% "
    "of them? NumPy has a function for exactly that. (Errors are skewed: rules made for a bell "
    "curve miss the 1%.)",
    solution=_solve_q1,
    checker=lambda answer, calib_scores: false_alarm_problem(
        answer, calib_scores, target=0.01, unit="row"
    ),
    # skewed, positive scores like reconstruction errors (log-normal)
    make_inputs=lambda: {"calib_scores": np.random.default_rng(0).lognormal(0.0, 1.0, 2000)},
    wrong_answers={
        "you took the 1st percentile: 99% of normal scores fall below a 1% false-alarm threshold "
        "(the 99th)": lambda calib_scores: float(np.percentile(calib_scores, 1)),
        "you took the largest normal score: that gives almost no false alarms, not 1% (take the "
        "99th percentile)": lambda calib_scores: float(np.max(calib_scores)),
        "mean + 2 std assumes normally distributed scores: take the 99th percentile of the scores "
        "themselves": lambda calib_scores: float(np.mean(calib_scores) + 2 * np.std(calib_scores)),
    },
)


def _check_q2(image_errors, want, model, x):
    import keras

    x = np.asarray(x, dtype=np.float32)
    got = image_errors(model, x)
    try:
        got = np.asarray(keras.ops.convert_to_numpy(got), dtype=np.float64)
    except Exception:
        return f"expected a NumPy array, got {type(got).__name__}"
    want = want(model, x)
    if got.shape != want.shape:
        return f"expected shape {want.shape}, one error per image, got {got.shape}"
    if not np.allclose(got, want, rtol=1e-3, atol=1e-7):
        return "the values differ from each image's mean squared error between x and model(x, training=False)"
    return None


def _solve_q2(model, x):
    import keras

    def image_errors(model, x):
        reconstruction = model(x, training=False)
        squared = keras.ops.square(keras.ops.subtract(reconstruction, x))  # (n, 28, 28)
        # mean over all pixels
        per_image = keras.ops.mean(keras.ops.reshape(squared, (len(x), -1)), axis=1)
        return keras.ops.convert_to_numpy(per_image)

    return image_errors


def _toy_image_model():
    import keras

    keras.utils.set_random_seed(0)
    dense = [keras.layers.Dense(8, activation="relu"), keras.layers.Dense(28, activation="sigmoid")]
    model = keras.Sequential([keras.Input((28, 28)), *dense])  # (n, 28, 28) -> (n, 28, 28)
    return {"model": model, "x": np.random.default_rng(0).random((30, 28, 28)).astype("float32")}


def _reduced_with(op, axis):
    """A wrong image_errors: the squared errors reduced with keras.ops.<op> over ``axis``."""
    import keras

    def image_errors(model, x):
        squared = keras.ops.square(keras.ops.subtract(model(x, training=False), x))
        return keras.ops.convert_to_numpy(getattr(keras.ops, op)(squared, axis=axis))

    return image_errors


q2 = FunctionExercise(
    title="q2: one error per image",
    signature="image_errors(model, x)",
    hint="Call the model itself in inference mode. The squared difference has the shape of the "
    "images; one number per image means averaging over every axis except the first.",
    solution=_solve_q2,
    checker=_check_q2,
    make_inputs=_toy_image_model,
    wrong_answers={
        "you averaged over the last axis only: average the squared error over every axis but the "
        "first": lambda model, x: _reduced_with("mean", -1),
        "you averaged over the whole batch: keep one error per image": lambda model, x: (
            _reduced_with("mean", None)
        ),
        "you summed the squared errors: take their mean over the pixels, as the MSE the model "
        "trained on": lambda model, x: _reduced_with("sum", (1, 2)),
    },
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(1, 10, "decision"), q2=(1, 5, "new code"))
