"""Exercises of lesson 08: anomaly detection with autoencoders.

q1: a decision on the breast-cancer split: the threshold for a clinic that tolerates at most 10%
    false alarms, chosen on validation, and the recall it gets on test.
q2: predict, then measure: does the digit autoencoder flag digits shifted by 2 pixels?
"""

import numpy as np

from . import Exercise, as_number, set_levels, short

MAX_FALSE_ALARMS = 0.10  # the clinic's limit: share of benign patients flagged


def _solve_q1(y_val, val_scores, y_test, test_scores):
    # a patient is flagged when the score is at or above the threshold (as precision_recall_at)
    benign = val_scores[y_val == 0]
    candidates = np.sort(val_scores)  # every validation score is a threshold worth trying
    false_alarms = np.array([np.mean(benign >= t) for t in candidates])  # falls as t rises
    threshold = candidates[false_alarms <= 0.10][0]  # the lowest allowed: it catches the most
    test_recall = np.mean(test_scores[y_test == 1] >= threshold)  # the test split, looked at once
    return float(threshold), float(test_recall)


def _rates(y, scores, t, strict=False):
    """(share of benign flagged, share of malignant flagged): score >= t (score > t if strict)."""
    scores = np.asarray(scores)
    flagged = scores > t if strict else scores >= t
    return float(np.mean(flagged[y == 0])), float(np.mean(flagged[y == 1]))


def _q1_problem(t, reported, want, y_val, val_scores, y_test, test_scores, strict):
    """Why (t, reported) is not right when a patient is flagged at score >= t (> t if strict)."""
    far_val, recall_val = _rates(y_val, val_scores, t, strict)
    if far_val > MAX_FALSE_ALARMS + 1e-12:
        return (
            f"at the threshold {t:.4g}, {far_val:.1%} of the benign validation patients are flagged: "
            f"more than the clinic's {MAX_FALSE_ALARMS:.0%}"
        )
    best = _rates(y_val, val_scores, want[0])[1]
    if recall_val < best - 1e-12:
        return (
            f"at the threshold {t:.4g} the validation recall is {recall_val:.1%}; a lower threshold "
            f"still within {MAX_FALSE_ALARMS:.0%} false alarms catches {best:.1%}: the clinic wants "
            "as many malignant tumours caught as its limit allows"
        )
    if not np.isclose(reported, _rates(y_test, test_scores, t, strict)[1], rtol=0, atol=1e-6):
        return (
            f"your threshold is a good choice, but {reported:.4g} is not its recall on the test "
            "split (the share of the test split's malignant patients it flags)"
        )
    return None


def _check_q1(answer, want, y_val, val_scores, y_test, test_scores):
    y_val, y_test = np.asarray(y_val), np.asarray(y_test)
    val_scores, test_scores = np.asarray(val_scores, float), np.asarray(test_scores, float)
    if len(y_val) != len(val_scores) or len(y_test) != len(test_scores):
        return (
            "y_val and val_scores (or y_test and test_scores) differ in length: pass the lesson's"
        )
    try:
        t, reported = (as_number(value) for value in answer)
    except Exception:  # not two numbers (a str, a dict, one number, three...)
        return f"answer with two numbers, (threshold, test_recall); got {short(answer)}"
    if not (np.isfinite(t) and np.isfinite(reported)):
        return f"both numbers must be finite; got {short(answer)}"
    data = (want, y_val, val_scores, y_test, test_scores)
    problem = _q1_problem(t, reported, *data, strict=False)  # "at or above", as the lesson flags
    if problem and _q1_problem(t, reported, *data, strict=True) is None:
        problem = None  # "above" throughout is as good a convention, used consistently
    if problem:
        return problem
    strict = _q1_problem(t, reported, *data, strict=False) is not None
    far_val, recall_val = _rates(y_val, val_scores, t, strict)
    far_test, recall_test = _rates(y_test, test_scores, t, strict)
    n_benign = int(np.sum(y_val == 0))
    print(
        f"validation: {far_val:.1%} of benign patients flagged, recall {recall_val:.1%} | test, "
        f"same threshold: {far_test:.1%} flagged, recall {recall_test:.1%}. Did the 10% hold on "
        f"new patients? ({n_benign} benign validation patients: each one flagged is "
        f"{100 / max(n_benign, 1):.1f} points.)"
    )
    return None


def _q1_inputs():
    """Skewed positive scores, malignant ones higher, with overlap (like the AE's errors)."""
    rng = np.random.default_rng(4)

    def split(n_benign, n_malignant):
        y = np.r_[np.zeros(n_benign, int), np.ones(n_malignant, int)]
        scores = np.r_[rng.lognormal(0.0, 0.6, n_benign), rng.lognormal(1.2, 0.8, n_malignant)]
        return y, scores

    (y_val, val_scores), (y_test, test_scores) = split(72, 42), split(107, 64)
    return {"y_val": y_val, "val_scores": val_scores, "y_test": y_test, "test_scores": test_scores}


def _with_test_recall(threshold, y_test, test_scores):
    return float(threshold), float(np.mean(test_scores[y_test == 1] >= threshold))


def _wrong_recall_95(y_val, val_scores, y_test, test_scores):
    from sklearn.metrics import precision_recall_curve

    _, recall, thresholds = precision_recall_curve(y_val, val_scores)
    return _with_test_recall(thresholds[recall[:-1] >= 0.95][-1], y_test, test_scores)


def _wrong_on_test(y_val, val_scores, y_test, test_scores):
    threshold, _ = _solve_q1(y_test, test_scores, y_test, test_scores)
    return _with_test_recall(threshold, y_test, test_scores)


def _wrong_val_recall(y_val, val_scores, y_test, test_scores):
    threshold, _ = _solve_q1(y_val, val_scores, y_test, test_scores)
    return threshold, _rates(y_val, val_scores, threshold)[1]


def _wrong_precision(y_val, val_scores, y_test, test_scores):
    from sklearn.metrics import precision_recall_curve

    precision, _, thresholds = precision_recall_curve(y_val, val_scores)
    return _with_test_recall(thresholds[precision[:-1] >= 0.9][0], y_test, test_scores)


def _wrong_benign_percentile(y_val, val_scores, y_test, test_scores):
    return _with_test_recall(np.percentile(val_scores[y_val == 0], 90), y_test, test_scores)


def _wrong_all_patients(y_val, val_scores, y_test, test_scores):
    return _with_test_recall(np.percentile(val_scores, 90), y_test, test_scores)


q1 = Exercise(
    title="q1: a threshold for a clinic that tolerates 10% false alarms",
    hint="A false alarm is a benign patient flagged. For a candidate threshold, what share of the "
    "benign validation patients score at or above it? Among the thresholds that keep that share "
    "within the limit, which one catches the most malignant ones? Only then look at the test split.",
    solution=_solve_q1,
    checker=_check_q1,
    make_inputs=_q1_inputs,
    # its checker prints the measured rates: not run again with the reference on a refusal,
    # which would print the right answer's numbers
    slow_reference=True,
    wrong_answers={
        "that is the lesson's 95%-recall threshold (t_val): this clinic's rule limits the false "
        "alarms instead, at most 10% of the benign patients flagged": _wrong_recall_95,
        "you chose the threshold on the test split: choose it on validation, then apply it once "
        "to the test split": _wrong_on_test,
        "you reported the validation recall: report the recall of the same threshold on the "
        "test split": _wrong_val_recall,
        "you asked for 90% precision (10% of the alarms false): the clinic's rule is that at "
        "most 10% of the benign patients are flagged": _wrong_precision,
        "you flagged 10% of all validation patients: the 10% is of the benign patients only": (
            _wrong_all_patients
        ),
        "np.percentile interpolates between scores: at or above its 90th percentile of the "
        "benign scores, more than 10% of them can be flagged. Count the benign patients flagged "
        "instead": _wrong_benign_percentile,
    },
)

SHIFT = 2  # pixels to the right


def _shift_auroc(model, x, shift=SHIFT, axis=2, reverse=False):
    """AUROC of the model's error for ``x`` rolled by ``shift`` along ``axis`` among ``x``."""
    import keras
    from sklearn.metrics import roc_auc_score

    x = np.asarray(x, dtype=np.float32)
    images = np.concatenate([x, np.roll(x, shift, axis=axis)])
    is_shifted = np.r_[np.zeros(len(x)), np.ones(len(x))]
    errors = np.mean(
        (images - keras.ops.convert_to_numpy(model(images, training=False))) ** 2, axis=(1, 2)
    )
    return float(roc_auc_score(1 - is_shifted if reverse else is_shifted, errors))


def _check_q2(answer, want, model, x, prediction=None):
    guess = None  # optional: an unfilled my_guess never blocks
    if prediction is not None and prediction is not Ellipsis:
        try:
            guess = as_number(prediction)
        except Exception:
            guess = float("nan")
        if not 0 <= guess <= 1:
            return (
                "prediction should be the AUROC you expect, a number from 0 to 1 (0.5: the "
                f"detector does not notice the shift); got {short(prediction)}"
            )
    try:
        got = as_number(answer)
    except Exception:
        return f"answer with one number, the AUROC; got {short(answer)}"
    if not 0 <= got <= 1:
        return f"an AUROC lies between 0 and 1; got {got:.4g}"
    if abs(got - want) > 1e-3:
        return (
            f"{got:.4f} is not the AUROC of the model's error for the digits shifted {SHIFT} pixels "
            "to the right (label 1) among the same digits unshifted (label 0)"
        )
    others = " | ".join(f"{s} px {_shift_auroc(model, x, s):.3f}" for s in (1, 3, 4))
    said = f"you predicted {guess:.2f}" if guess is not None else "no guess written in my_guess"
    print(
        f"AUROC for digits shifted {SHIFT} pixels: {got:.3f} ({said}); other shifts: {others}. "
        "0.5 would mean the detector ignores the shift."
    )
    return None


def _solve_q2(model, x, prediction=None):
    import keras
    from sklearn.metrics import roc_auc_score

    shifted = np.roll(x, 2, axis=2)  # every digit 2 pixels to the right (axis 2: the columns)
    images = np.concatenate([x, shifted])
    is_shifted = np.r_[np.zeros(len(x)), np.ones(len(shifted))]  # the "anomalies" are label 1
    reconstruction = keras.ops.convert_to_numpy(model(images, training=False))
    errors = np.mean((images - reconstruction) ** 2, axis=(1, 2))  # one MSE per image
    return float(roc_auc_score(is_shifted, errors))


def _q2_inputs():
    """A stand-in 'autoencoder' that keeps the central 20x20 pixels, and blobs near the middle."""
    import keras

    mask = np.zeros((28, 28), np.float32)
    mask[4:24, 4:24] = 1  # what lies outside the centre is lost: shifted blobs reconstruct worse
    model = keras.Sequential(
        [
            keras.Input((28, 28)),
            keras.layers.Reshape((784,)),
            keras.layers.Dense(784, use_bias=False),
            keras.layers.Reshape((28, 28)),
        ]
    )
    model.layers[1].set_weights([np.diag(mask.ravel())])
    rng = np.random.default_rng(0)
    rows, cols = np.mgrid[:28, :28]
    centres = rng.uniform(7, 21, size=(60, 2))
    x = np.exp(-((rows - centres[:, :1, None]) ** 2 + (cols - centres[:, 1:, None]) ** 2) / 8.0)
    return {"model": model, "x": x.astype(np.float32)}


q2 = Exercise(
    title="q2: does the detector flag a digit shifted by 2 pixels? Predict, then measure",
    hint="Make the shifted copies with np.roll along the axis of the columns. Score the originals "
    "and the copies with the model's reconstruction error, label the copies 1 and the originals 0, "
    "and compute the AUROC as the lesson's report() does.",
    solution=_solve_q2,
    checker=_check_q2,
    make_inputs=_q2_inputs,
    rtol=1e-3,
    slow_reference=True,  # its checker prints the AUROCs: not run again on a refusal (a give-away)
    wrong_answers={
        "you labelled the originals as the anomalies: the shifted digits are the positive class "
        "(label 1)": lambda model, x, prediction=None: _shift_auroc(model, x, reverse=True),
        "np.roll along axis 0 moves whole images, not pixels: shift along the columns (axis 2)": (
            lambda model, x, prediction=None: _shift_auroc(model, x, axis=0)
        ),
        "you shifted the digits down (axis 1): shift them to the right, along the columns "
        "(axis 2)": lambda model, x, prediction=None: _shift_auroc(model, x, axis=1),
    },
)

# difficulty (1-3), expected minutes and kind of each exercise, shown in its messages
set_levels(globals(), q1=(2, 15, "decision"), q2=(1, 10, "decision"))
