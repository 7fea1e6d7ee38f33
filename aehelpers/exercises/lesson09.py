"""Exercises of lesson 09: feature learning with few labels.

q1: write an L2-SP penalty (a pull towards the pretrained weights) as a Keras regularizer.
q2: decide, with two one-sided paired tests, what fine-tuning buys over training from scratch.
"""

import warnings

import numpy as np

from . import Exercise, FunctionExercise, Mistake, dense_layers, describe_error, set_levels, short

Q1_STRENGTHS = (1e-3, 0.5)  # two strengths: a penalty that ignores its strength shows
Q1_NUDGE = 0.01  # the check moves every kernel by Gaussian noise of this size
Q1_LR = 0.5  # one SGD step on the penalty alone multiplies w - w0 by 1 - 2 * Q1_LR * strength


class _Refused(Exception):
    """A message for the learner, raised inside the checker's helpers."""


def _anchored_copy(encoder, fn, strength):
    """A copy of ``encoder`` whose Dense kernels carry ``fn(w0, strength)``; the copy, its
    Dense layers and their pretrained kernels w0."""
    import keras

    copy = keras.models.clone_model(encoder)  # the check never changes the lesson's encoder
    copy.set_weights(encoder.get_weights())
    dense = dense_layers(copy)
    w0s = [np.array(keras.ops.convert_to_numpy(layer.kernel)) for layer in dense]
    for layer, w0 in zip(dense, w0s, strict=True):
        reg = fn(w0.copy(), strength)
        if not callable(reg):
            raise _Refused(
                f"to_pretrained(w0, strength) returned {short(reg)}: it should return a "
                "regularizer, an object Keras can call on a weight tensor (a subclass of "
                "keras.regularizers.Regularizer)"
            )
        layer.kernel.regularizer = reg
    return copy, dense, w0s


def _set_kernels(dense, kernels):
    for layer, w in zip(dense, kernels, strict=True):
        layer.kernel.assign(w.astype("float32"))


def _penalty(model):
    """The sum of the model's regularization losses, as Keras adds it to the loss in fit."""
    import keras

    try:
        values = [np.asarray(keras.ops.convert_to_numpy(v), dtype=np.float64) for v in model.losses]
    except Exception as err:
        raise _Refused(
            f"Keras called your regularizer on a kernel and it raised {describe_error(err)}"
        ) from err
    for v in values:
        if v.size != 1:
            raise _Refused(
                f"your regularizer returned shape {v.shape} for a kernel: a penalty is one "
                "number per weight tensor (sum over its entries)"
            )
    return float(sum(v.reshape(()) for v in values))


def _one_step(copy, dense, w0s, deltas):
    """Kernels w0 + delta, one SGD step on a loss of zero: the penalty's gradient alone."""
    import keras

    _set_kernels(dense, [w0 + d for w0, d in zip(w0s, deltas, strict=True)])
    copy.compile(
        optimizer=keras.optimizers.SGD(Q1_LR),
        loss=lambda y_true, y_pred: 0.0 * keras.ops.mean(y_pred),
    )
    x = np.random.default_rng(1).random((8, *copy.input_shape[1:])).astype("float32")
    y = np.zeros((8, *copy.output_shape[1:]), dtype="float32")
    try:
        copy.fit(x, y, epochs=1, batch_size=8, verbose=0)
    except Exception as err:
        raise _Refused(
            f"inside fit your regularizer raised {describe_error(err).rstrip('.')}. In "
            "fit Keras traces and differentiates it: write it with keras.ops (not NumPy), "
            "and w0 as a tensor"
        ) from err
    after = [np.asarray(keras.ops.convert_to_numpy(layer.kernel), np.float64) for layer in dense]
    moved = sum(float(np.sum((a - w0) * d)) for a, w0, d in zip(after, w0s, deltas, strict=True))
    return moved / sum(float(np.sum(d**2)) for d in deltas)  # how much of w - w0 is left


def _check_q1(fn, encoder):
    import keras

    rng = np.random.default_rng(0)
    for strength in Q1_STRENGTHS:
        try:
            copy, dense, w0s = _anchored_copy(encoder, fn, strength)
            if not dense:
                return (
                    "the encoder given to the check has no Dense layer: pass the lesson's encoder"
                )
            deltas = [rng.normal(0.0, Q1_NUDGE, w0.shape).astype("float32") for w0 in w0s]
            # the steps float32 kernels really take, so that the expected penalties are exact
            steps = [(w0 + d).astype("float32") - w0 for w0, d in zip(w0s, deltas, strict=True)]
            want = strength * sum(float(np.sum(s.astype(np.float64) ** 2)) for s in steps)
            at_w0 = _penalty(copy)
            _set_kernels(dense, [w0 + d for w0, d in zip(w0s, deltas, strict=True)])
            nudged = _penalty(copy)
            _set_kernels(dense, [w0 + 2 * d for w0, d in zip(w0s, deltas, strict=True)])
            twice = _penalty(copy)
        except _Refused as why:
            return str(why)
        towards_zero = strength * sum(float(np.sum(w0.astype(np.float64) ** 2)) for w0 in w0s)
        if not abs(at_w0) <= 1e-4 * want:
            if np.isclose(at_w0, towards_zero, rtol=1e-3):
                return (
                    f"at the pretrained weights your penalty is {at_w0:.4g}, not 0: it pulls the "
                    "weights towards zero, as keras.regularizers.L2 does, not towards w0"
                )
            return (
                f"at the pretrained weights (w = w0) the penalty should be 0; yours is {at_w0:.4g}"
            )
        if np.isclose(nudged, want, rtol=1e-3):
            if not np.isclose(twice, 4 * want, rtol=1e-3):
                return (
                    f"twice as far from w0 your penalty is {twice / nudged:.3g} times as large; "
                    f"strength * sum((w - w0)**2) is 4 times"
                )
            continue
        if np.isclose(nudged, want / strength, rtol=1e-3):
            return (
                f"with strength={strength} your penalty is {nudged:.4g}, 1/strength times "
                f"strength * sum((w - w0)**2) = {want:.4g}: the strength is missing"
            )
        per_entry = strength * sum(float(np.mean(s.astype(np.float64) ** 2)) for s in steps)
        if np.isclose(nudged, per_entry, rtol=1e-3):
            return (
                f"your penalty is {nudged:.4g}, the mean of the squared differences times the "
                "strength: L2-SP sums them over the kernel (as keras.regularizers.L2 does), so "
                f"it should be {want:.4g}"
            )
        if np.isclose(twice, 2 * nudged, rtol=1e-3):
            return (
                "twice as far from w0 your penalty is only twice as large: it grows with the "
                "distance, not its square. Square the differences (no absolute value, no "
                "square root)"
            )
        return (
            f"with strength={strength}, after moving the kernels a little your penalty is "
            f"{nudged:.4g}; strength * sum((w - w0)**2) over the kernels is {want:.4g}"
        )
    try:
        left = _one_step(copy, dense, w0s, deltas)
    except _Refused as why:
        return str(why)
    expected = 1 - 2 * Q1_LR * Q1_STRENGTHS[-1]
    if np.isclose(left, 1.0, atol=1e-3):
        return (
            "one training step on your penalty alone did not move the weights: Keras cannot "
            "differentiate it. Write it with keras.ops, not NumPy (no convert_to_numpy, no float())"
        )
    if not np.isclose(left, expected, atol=1e-2):
        return (
            f"one SGD step (learning rate {Q1_LR}) on the penalty alone left {left:.3f} of w - w0; "
            f"the gradient 2 * strength * (w - w0) leaves {expected:.3f}"
        )
    print(
        f"the penalty is 0 at the pretrained weights and {want:.4g} after a step of size "
        f"{Q1_NUDGE} (strength {strength}); one SGD step on it alone pulled the kernels "
        f"{1 - left:.0%} of the way back to w0. Keras, backend {keras.backend.backend()}."
    )
    return None


def _solve_q1(encoder):
    import keras
    from keras import ops

    class ToPretrained(keras.regularizers.Regularizer):
        """strength * sum((w - w0)^2): a pull towards the pretrained weights w0 (L2-SP)."""

        def __init__(self, w0, strength):
            self.w0 = ops.convert_to_tensor(w0)  # a constant: fit moves w, never w0
            self.strength = strength

        def __call__(self, w):
            return self.strength * ops.sum(ops.square(w - self.w0))

    def to_pretrained(w0, strength):
        return ToPretrained(w0, strength)

    # to use it: layer.kernel.regularizer = to_pretrained(ops.convert_to_numpy(layer.kernel), 1e-3)
    return to_pretrained


def _toy_encoder():
    import keras

    keras.utils.set_random_seed(0)
    dense = [keras.layers.Dense(16, activation="relu"), keras.layers.Dense(8)]
    return {"encoder": keras.Sequential([keras.Input((784,)), *dense])}


def _penalty_with(encoder, kind):
    """A wrong to_pretrained: towards zero, no strength, a mean, |w - w0|, or NumPy inside."""
    from keras import ops

    def to_pretrained(w0, strength):
        def penalty(w):
            if kind == "zero":
                return strength * ops.sum(ops.square(w))
            if kind == "numpy":
                return strength * float(np.sum((ops.convert_to_numpy(w) - w0) ** 2))
            diff = w - ops.convert_to_tensor(w0)
            if kind == "abs":
                return strength * ops.sum(ops.abs(diff))
            if kind == "mean":
                return strength * ops.mean(ops.square(diff))
            return ops.sum(ops.square(diff))  # "no strength"

        return penalty

    return to_pretrained


q1 = FunctionExercise(
    title="q1: a pull towards the pretrained weights (L2-SP)",
    signature="to_pretrained(w0, strength)",
    hint="Subclass keras.regularizers.Regularizer: __init__ keeps w0 (as a tensor) and the "
    "strength; __call__(self, w) gets a weight tensor and returns one number. Keras calls it "
    "inside fit, where it is traced and differentiated: only keras.ops there.",
    solution=_solve_q1,
    checker=_check_q1,
    make_inputs=_toy_encoder,
    wrong_answers=[
        Mistake(
            "that pulls towards zero, as keras.regularizers.L2 does: L2-SP pulls towards w0",
            _penalty_with,
            kind="zero",
        ),
        Mistake("the strength is missing", _penalty_with, kind="no strength"),
        Mistake(
            "a mean of the squared differences: sum them, as keras.regularizers.L2 does",
            _penalty_with,
            kind="mean",
        ),
        Mistake(
            "|w - w0| grows with the distance, not its square: square the differences",
            _penalty_with,
            kind="abs",
        ),
        Mistake(
            "NumPy inside the penalty: Keras cannot trace or differentiate it in fit",
            _penalty_with,
            kind="numpy",
        ),
    ],
    slow_reference=True,  # its checker takes one training step
)

Q2_MARGIN, Q2_LEVEL = 0.03, 0.05  # the lesson's 3-point margin; one-sided tests at 5%
Q2_CHOICES = ("equivalent", "no 3-point gain", "no 3-point loss", "cannot tell")


def _verdict(gain_ruled_out, loss_ruled_out):
    return {
        (True, True): "equivalent",
        (True, False): "no 3-point gain",
        (False, True): "no 3-point loss",
        (False, False): "cannot tell",
    }[bool(gain_ruled_out), bool(loss_ruled_out)]


def _solve_q2(tuned, scratch):
    from scipy import stats

    diff = np.asarray(tuned) - np.asarray(scratch)  # paired: one difference per label draw
    # H0: a gain of 3 points or more; a small p rules it out
    p_gain = stats.ttest_1samp(diff - 0.03, 0.0, alternative="less").pvalue
    # H0: a loss of 3 points or more; a small p rules it out
    p_loss = stats.ttest_1samp(diff + 0.03, 0.0, alternative="greater").pvalue
    if p_gain < 0.05 and p_loss < 0.05:
        return "equivalent"
    if p_gain < 0.05:
        return "no 3-point gain"
    if p_loss < 0.05:
        return "no 3-point loss"
    return "cannot tell"


def _check_q2(answer, tuned, scratch):
    tuned, scratch = np.asarray(tuned, dtype=float), np.asarray(scratch, dtype=float)
    if tuned.ndim != 1 or tuned.shape != scratch.shape or len(tuned) < 2:
        return (
            f"`tuned` and `scratch` should hold one test accuracy per label draw, the same draws "
            f"in the same order; got shapes {tuned.shape} and {scratch.shape}"
        )
    if np.array_equal(tuned, scratch):
        return "`tuned` and `scratch` are the same accuracies: pass the two methods' own"
    if type(answer) is not str or answer not in Q2_CHOICES:
        return f"answer should be one of {list(Q2_CHOICES)}; got {short(answer)}"
    with warnings.catch_warnings():  # near-identical accuracies: scipy warns, the verdict stands
        warnings.simplefilter("ignore")
        want = _solve_q2(tuned, scratch)
    if answer == want:
        return None  # no print: a refused answer runs this again with the reference
    return (
        f"{answer!r} is not what the two one-sided paired tests of this run say: run each one "
        f"against its own margin (+{Q2_MARGIN} and -{Q2_MARGIN}) and see which rejects at "
        f"{Q2_LEVEL}"
    )


def _wrong_q2(tuned, scratch, how):
    from scipy import stats

    tuned, scratch = np.asarray(tuned, dtype=float), np.asarray(scratch, dtype=float)
    right = _solve_q2(tuned, scratch)
    if how == "no difference":  # a large two-sided p read as "the same"
        return "equivalent" if stats.ttest_rel(tuned, scratch).pvalue > Q2_LEVEL else right
    if how == "gain side only":  # the lesson's p_below alone
        diff = tuned - scratch - Q2_MARGIN
        return (
            "equivalent"
            if stats.ttest_1samp(diff, 0.0, alternative="less").pvalue < Q2_LEVEL
            else right
        )
    if how == "unpaired":
        p_gain = stats.ttest_ind(tuned - Q2_MARGIN, scratch, alternative="less").pvalue
        p_loss = stats.ttest_ind(tuned + Q2_MARGIN, scratch, alternative="greater").pvalue
        return _verdict(p_gain < Q2_LEVEL, p_loss < Q2_LEVEL)
    return _solve_q2(scratch, tuned)  # "reversed": scratch minus fine-tuned


def _q2_inputs():
    draw = np.array([0.66, 0.71, 0.62, 0.73, 0.68])  # a lucky draw is lucky for both
    scratch = draw + np.array([0.004, -0.006, 0.01, -0.002, 0.0])
    tuned = scratch + np.array([-0.05, -0.002, -0.037, 0.004, -0.02])
    return {"tuned": tuned, "scratch": scratch}


q2 = Exercise(
    title="q2: what does fine-tuning buy? Decide with two one-sided tests",
    hint="A large p-value of a test of 'no difference' is absence of evidence. Test each margin "
    "on its own, as p_below does for a gain: one test whose null hypothesis is a gain of "
    "3 points or more, one whose null hypothesis is a loss of 3 points or more; each rules "
    "its case out when it rejects.",
    solution=_solve_q2,
    checker=_check_q2,
    make_inputs=_q2_inputs,
    wrong_answers=[
        Mistake(
            "a large two-sided p-value is absence of evidence, not equivalence: rule out each "
            "3-point difference with its own one-sided test",
            _wrong_q2,
            how="no difference",
        ),
        Mistake(
            "ruling out a 3-point gain says nothing about a 3-point loss: test that side too",
            _wrong_q2,
            how="gain side only",
        ),
        Mistake(
            "an unpaired test: both methods ran on the same label draws, so test the "
            "differences draw by draw",
            _wrong_q2,
            how="unpaired",
        ),
        Mistake(
            "the difference is the wrong way round: a gain is fine-tuned minus scratch",
            _wrong_q2,
            how="reversed",
        ),
    ],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 20, "new code"), q2=(2, 10, "decision"))
