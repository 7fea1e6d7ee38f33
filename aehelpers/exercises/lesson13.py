"""Exercises of lesson 13: sparse autoencoders for interpretability.

q1: write the TopK layer's forward pass with keras.ops.
q2: which method recovers the largest share of the true features (the lesson's measured table)?
q3: choose the L1 strength from the validation sweep under a limit on L0.
"""

import numpy as np

from . import Exercise, FunctionExercise, set_levels

# q1 -------------------------------------------------------------------------


def _reference_topk(z, k):
    z = np.asarray(z, dtype="float64")
    keep = np.argsort(-z, axis=1)[:, :k]
    mask = np.zeros_like(z)
    np.put_along_axis(mask, keep, 1.0, axis=1)
    return np.maximum(z, 0) * mask


def _check_topk_code(fn):
    import keras

    rng = np.random.default_rng(13)
    z = rng.normal(size=(6, 12)).astype("float32")
    z[0] = -np.abs(z[0])  # no positive entry: the row's code is all zeros
    z[1] = -np.abs(z[1])
    z[1, 4] = 0.7  # one positive entry: fewer than k
    z[2, 3] = -5.0  # a large negative entry: large in size, not among the largest
    for k in (1, 3):
        got = np.asarray(keras.ops.convert_to_numpy(fn(z, k)), dtype="float64")
        want = _reference_topk(z, k)
        if got.shape != want.shape:
            return f"for z of shape {z.shape} and k={k} you return shape {got.shape}; the code has the shape of z"
        if not np.allclose(got, want, atol=1e-6):
            row = int(np.argmax(np.abs(got - want).max(axis=1)))
            nonzero = int((np.abs(got[row]) > 0).sum())
            return (
                f"with k={k}, row {row} of your code has {nonzero} non-zero entries and differs from the expected "
                f"code; z[{row}] = {np.round(z[row], 2).tolist()}"
            )
    return None


def _solve_topk_code():
    from keras import ops

    def topk_code(z, k):
        _, indices = ops.top_k(z, k)  # the k largest entries of each row
        mask = ops.sum(ops.one_hot(indices, ops.shape(z)[-1], dtype=z.dtype), axis=1)
        return ops.relu(z) * mask  # a kept entry below zero is still 0

    return topk_code


def _wrong_relu_only():
    """You applied ReLU only: keep just the k largest entries of each row and zero the rest."""
    from keras import ops

    return lambda z, k: ops.relu(z)


def _wrong_largest_in_size():
    """You kept the k largest in absolute value: keep the k largest (most positive) entries."""
    from keras import ops

    def topk_code(z, k):
        _, indices = ops.top_k(ops.abs(z), k)
        return z * ops.sum(ops.one_hot(indices, ops.shape(z)[-1], dtype=z.dtype), axis=1)

    return topk_code


def _wrong_no_relu():
    """A kept entry can be negative: apply ReLU to the kept entries too."""
    from keras import ops

    def topk_code(z, k):
        _, indices = ops.top_k(z, k)
        return z * ops.sum(ops.one_hot(indices, ops.shape(z)[-1], dtype=z.dtype), axis=1)

    return topk_code


q1 = FunctionExercise(
    "q1: the TopK layer's forward pass",
    "topk_code(z, k)",
    _check_topk_code,
    "keras.ops.top_k gives the k largest values of each row and where they are; one_hot turns positions into a mask. "
    "Then think about rows whose k largest entries include negative ones.",
    _solve_topk_code,
    wrong_answers=[_wrong_relu_only, _wrong_largest_in_size, _wrong_no_relu],
)

# q2 -------------------------------------------------------------------------
Q2_TIE = 0.01  # shares within one percentage point of the best count as the best


def _q2_inputs():
    return {
        "results": {
            "TopK": {"recovered": 0.96},
            "L1": {"recovered": 0.12},
            "dictionary learning": {"recovered": 0.92},
            "TopK, no resampling": {"recovered": 0.35},
            "FastICA (64 directions)": {"recovered": 0.02},
            "PCA (64 directions)": {"recovered": 0.0},
            "random directions": {"recovered": 0.0},
        }
    }


def _check_best_method(answer, results):
    if not isinstance(answer, str):
        return f"expected a method's name (a str), one of {list(results)}"
    if answer not in results:
        return f"{answer!r} is not a method in results; the methods are {list(results)}"
    best = max(row["recovered"] for row in results.values())
    got = results[answer]["recovered"]
    if got < best - Q2_TIE:
        return f"{answer} recovers {got:.1%} of the true features; look at the table again: one method recovers {best:.1%}"
    return None


def _solve_best_method(results):
    return max(results, key=lambda name: results[name]["recovered"])


def _wrong_pca(results):
    return "PCA (64 directions)"


def _wrong_l1(results):
    return "L1"


def _wrong_lowest_fvu_is_not_recovery(results):
    return "FastICA (64 directions)"


q2 = Exercise(
    "q2: which method finds the most features?",
    _check_best_method,
    "Read the 'recovered' column, not FVU: a method can reconstruct every sample and still match no true feature.",
    _solve_best_method,
    make_inputs=_q2_inputs,
    wrong_answers=[_wrong_pca, _wrong_l1, _wrong_lowest_fvu_is_not_recovery],
)

# q3 -------------------------------------------------------------------------


def _q3_inputs():
    return {
        "l1_sweep": {
            0.01: {"l0": 28.0, "fvu": 0.30},
            0.015: {"l0": 19.0, "fvu": 0.45},
            0.02: {"l0": 9.5, "fvu": 0.75},
            0.025: {"l0": 4.0, "fvu": 0.93},
            0.03: {"l0": 1.2, "fvu": 0.99},
        },
        "max_l0": 10,
    }


def _q3_correct(l1_sweep, max_l0):
    ok = [s for s, row in l1_sweep.items() if row["l0"] <= max_l0]
    return min(ok, key=lambda s: l1_sweep[s]["fvu"]) if ok else 0


def _check_strength_choice(answer, l1_sweep, max_l0):
    try:
        got = float(answer)
    except (TypeError, ValueError):
        return f"expected a number: one of the strengths {sorted(l1_sweep)} (or 0 if none keeps L0 <= {max_l0})"
    want = _q3_correct(l1_sweep, max_l0)
    if want == 0:
        return (
            None
            if got == 0
            else f"look again: does any strength keep the validation L0 at or below {max_l0}?"
        )
    match = [s for s in l1_sweep if np.isclose(s, got)]
    if not match:
        return f"{got} is not one of the strengths in the sweep: {sorted(l1_sweep)}"
    strength = match[0]
    if l1_sweep[strength]["l0"] > max_l0:
        return f"at lambda = {strength} the validation L0 is {l1_sweep[strength]['l0']:.1f}: over the limit of {max_l0}"
    if strength != want:
        return f"lambda = {strength} keeps L0 within the limit, but another strength that also does has a lower FVU"
    return None


def _solve_strength_choice(l1_sweep, max_l0):
    within = [s for s, row in l1_sweep.items() if row["l0"] <= max_l0]
    return min(within, key=lambda s: l1_sweep[s]["fvu"]) if within else 0


def _wrong_lowest_fvu_ignoring_the_limit(l1_sweep, max_l0):
    return min(l1_sweep, key=lambda s: l1_sweep[s]["fvu"])


def _wrong_sparsest(l1_sweep, max_l0):
    return min(l1_sweep, key=lambda s: l1_sweep[s]["l0"])


q3 = Exercise(
    "q3: the L1 strength under a limit on L0",
    _check_strength_choice,
    "Two conditions, in order: keep the strengths whose validation L0 is within the limit; among those, the best reconstruction.",
    _solve_strength_choice,
    make_inputs=_q3_inputs,
    wrong_answers=[_wrong_lowest_fvu_ignoring_the_limit, _wrong_sparsest],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 15), q2=(1, 10), q3=(2, 15))
