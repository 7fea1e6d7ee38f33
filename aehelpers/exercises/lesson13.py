"""Exercises of lesson 13: sparse autoencoders for interpretability.

q1: write the TopK layer's forward pass with keras.ops.
q2: which method recovers the largest share of the true features (the lesson's measured table)?
q3: choose the L1 strength from the validation sweep under a limit on L0.
"""

import numpy as np

from . import Exercise, FunctionExercise, Mistake, _same, set_levels, short


def _check_q1(fn, want):
    import keras

    z = np.random.default_rng(13).normal(size=(6, 12)).astype("float32")
    z[0] = -np.abs(z[0])  # no positive entry: the row's code is all zeros
    z[1] = -np.abs(z[1])
    z[1, 4] = 0.7  # one positive entry: fewer than k
    z[2, 3] = -5.0  # a large negative entry: large in size, not among the largest
    for k in (1, 3):
        got = np.asarray(keras.ops.convert_to_numpy(fn(z, k)), dtype="float64")
        expected = keras.ops.convert_to_numpy(want(z, k))
        if got.shape != expected.shape:
            return f"for z of shape {z.shape} and k={k} you return shape {got.shape}; the code has the shape of z"
        if not np.allclose(got, expected, atol=1e-6):
            row = int(np.argmax(np.abs(got - expected).max(axis=1)))
            return (
                f"with k={k}, row {row} of your code has {int((got[row] != 0).sum())} non-zero "
                f"entries and differs from the expected code; z[{row}] = {np.round(z[row].astype(float), 2).tolist()}"
            )
    return None


def _solve_q1():
    from keras import ops

    def topk_code(z, k):
        _, indices = ops.top_k(z, k)  # the k largest entries of each row
        mask = ops.sum(ops.one_hot(indices, ops.shape(z)[-1], dtype=z.dtype), axis=1)
        return ops.relu(z) * mask  # a kept entry below zero is still 0

    return topk_code


def _wrong_topk(keep):
    """A topk_code that keeps every entry through a ReLU, or the k largest in size or value (no ReLU)."""
    from keras import ops

    def topk_code(z, k):
        if keep == "all":
            return ops.relu(z)
        _, indices = ops.top_k(ops.abs(z) if keep == "size" else z, k)
        mask = ops.sum(ops.one_hot(indices, ops.shape(z)[-1], dtype=z.dtype), axis=1)
        return ops.multiply(z, mask)  # ops, not `*`: z may be NumPy and the mask a torch tensor

    return topk_code


q1 = FunctionExercise(
    title="q1: the TopK layer's forward pass",
    signature="topk_code(z, k)",
    checker=_check_q1,
    hint="keras.ops.top_k gives the k largest values of each row and where they are; one_hot turns "
    "positions into a mask. Then think about rows whose k largest entries include negative ones.",
    solution=_solve_q1,
    wrong_answers=[
        Mistake("you applied ReLU only: every positive entry stays", _wrong_topk, keep="all"),
        Mistake("you kept the k largest in absolute value", _wrong_topk, keep="size"),
        Mistake("a kept entry can be negative: it needs the ReLU too", _wrong_topk, keep="value"),
    ],
)

Q2_TIE = 0.01  # shares within one percentage point of the best count as the best


def _check_q2(answer, want, results):
    if type(answer) is not str or answer not in results:
        return f"expected a method's name, one of {list(results)}; got {short(answer)}"
    got, best = results[answer]["recovered"], results[want]["recovered"]
    if got < best - Q2_TIE:
        return f"{answer} recovers {got:.1%} of the true features; look at the table again: one method recovers {best:.1%}"
    return None


def _solve_q2(results):
    return max(results, key=lambda name: results[name]["recovered"])


q2 = Exercise(
    title="q2: which method finds the most features?",
    checker=_check_q2,
    hint="Read the 'recovered' column, not FVU: a method can reconstruct every sample and still "
    "match no true feature.",
    solution=_solve_q2,
    make_inputs=lambda: {
        "results": {
            "TopK": {"recovered": 0.96},
            "L1": {"recovered": 0.12},
            "dictionary learning": {"recovered": 0.92},
            "TopK, no resampling": {"recovered": 0.35},
            "FastICA (64 directions)": {"recovered": 0.02},
            "PCA (64 directions)": {"recovered": 0.0},
            "random directions": {"recovered": 0.0},
        }
    },
    wrong_answers={
        "PCA reconstructs well, but its 64 dense directions mix the features": (
            lambda results: "PCA (64 directions)"
        ),
        "L1 recovers fewer features at the same L0 (it shrinks)": lambda results: "L1",
        "a low FVU (FastICA's) is no evidence of finding features": (
            lambda results: "FastICA (64 directions)"
        ),
    },
)


def _check_q3(answer, want, l1_sweep, max_l0):
    if _same(answer, want):
        return None
    if want == 0:
        return f"look again: does any strength keep the validation L0 at or below {max_l0}?"
    strength = next((s for s in l1_sweep if _same(answer, s, rtol=1e-5)), None)
    if strength is None:
        return f"answer should be one of the strengths {sorted(l1_sweep)} (or 0 if none keeps L0 <= {max_l0}); got {short(answer)}"
    if l1_sweep[strength]["l0"] > max_l0:
        return f"at lambda = {strength} the validation L0 is {l1_sweep[strength]['l0']:.1f}: over the limit of {max_l0}"
    return f"lambda = {strength} keeps L0 within the limit, but another strength that also does has a lower FVU"


def _solve_q3(l1_sweep, max_l0):
    within = [s for s, row in l1_sweep.items() if row["l0"] <= max_l0]
    return min(within, key=lambda s: l1_sweep[s]["fvu"]) if within else 0


q3 = Exercise(
    title="q3: the L1 strength under a limit on L0",
    checker=_check_q3,
    hint="Two conditions, in order: keep the strengths whose validation L0 is within the limit; "
    "among those, the best reconstruction.",
    solution=_solve_q3,
    make_inputs=lambda: {
        "l1_sweep": {
            0.01: {"l0": 28.0, "fvu": 0.30},
            0.015: {"l0": 19.0, "fvu": 0.45},
            0.02: {"l0": 9.5, "fvu": 0.75},
            0.025: {"l0": 4.0, "fvu": 0.93},
            0.03: {"l0": 1.2, "fvu": 0.99},
        },
        "max_l0": 10,
    },
    wrong_answers={
        "you took the lowest FVU, ignoring the limit on L0": (
            lambda l1_sweep, max_l0: min(l1_sweep, key=lambda s: l1_sweep[s]["fvu"])
        ),
        "you took the sparsest strength, not the best reconstruction within the limit": (
            lambda l1_sweep, max_l0: min(l1_sweep, key=lambda s: l1_sweep[s]["l0"])
        ),
    },
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 15, "new code"), q2=(1, 10, "decision"), q3=(2, 15, "decision"))
