"""Exercises for lesson 02b, regularisation and the three properties of autoencoders.

In the notebook::

    from aehelpers.exercises import lesson02b as ex
    answer = ...
    ex.q1.check(answer, reg=reg)
"""

import numpy as np

from . import Exercise, set_levels


def _solve_q1(reg, none_runs):
    best = min(reg, key=lambda name: reg[name]["val"])  # decide on validation images, never on test
    seed_noise = max(none_runs) - min(none_runs)  # how far "none" moves between random starts
    return best if reg["none"]["val"] - reg[best]["val"] > seed_noise else "none"


def _check_q1(answer, want, reg, none_runs):
    runs = np.asarray(none_runs, dtype=float)
    if runs.ndim != 1 or runs.size < 2 or not np.all(runs > 0):
        return (
            "`none_runs` should be the validation errors (> 0) of 'none' from several random "
            f"starts, a list of numbers; got {runs!r}: pass the lesson's none_runs"
        )
    if type(answer) is not str:  # a str subclass could lie in ==
        return f"answer should be a name from reg (a str), got {type(answer).__name__}"
    if answer != want:
        return (
            f"{answer!r} is not the one to deploy: compare the best variant's validation edge "
            "over 'none' with the spread of none_runs"
        )
    return None


q1 = Exercise(
    title="q1: deploy a regulariser, or none",
    checker=_check_q1,
    hint="Two numbers decide: how much better the best candidate is on the images meant for "
    "choosing, and how much the unregularised model's error moves on its own between random "
    "starts.",
    solution=_solve_q1,
    make_inputs=lambda: {
        "reg": {
            "none": {"train": 0.0105, "val": 0.0200, "test": 0.0201},
            "L2 1e-5": {"train": 0.0125, "val": 0.0188, "test": 0.0187},
            "L2 1e-4": {"train": 0.0230, "val": 0.0250, "test": 0.0251},
            "L1 1e-6": {"train": 0.0100, "val": 0.0195, "test": 0.0189},
            "dropout 0.2": {"train": 0.0140, "val": 0.0193, "test": 0.0180},
        },
        "none_runs": [0.0200, 0.0196, 0.0203],
    },
    choices=lambda reg, none_runs: list(reg),
    wrong_answers={
        "you chose on the test error: choose on the validation error and keep the test set for "
        "the final report": lambda reg, none_runs: min(reg, key=lambda n: reg[n]["test"]),
        "you chose on the training error, which rewards memorising the 500 training images: "
        "choose on the validation error": lambda reg, none_runs: min(
            reg, key=lambda n: reg[n]["train"]
        ),
        "the smallest validation/training gap is not the best model (underfitting shrinks it "
        "too): choose on the validation error": lambda reg, none_runs: min(
            reg, key=lambda n: reg[n]["val"] / reg[n]["train"]
        ),
        "compare the best one's edge with how far 'none' moves between random starts (the "
        "spread of none_runs) before you trust it": lambda reg, none_runs: (
            "none" if _solve_q1(reg, none_runs) != "none" else min(reg, key=lambda n: reg[n]["val"])
        ),
    },
)


def _check_q2(answer, want, val_errors, errors):
    if np.size(val_errors) < 100:  # the lesson's input, not the answer, is wrong
        return (
            f"`val_errors` holds {np.size(val_errors)} errors, too few for a 99th percentile: "
            "pass the validation errors your run built"
        )
    flags = np.asarray(answer)
    if flags.shape != want.shape:
        return (
            f"answer should have one flag per image of `errors`, shape {want.shape}; got shape "
            f"{flags.shape} (are `errors` the new images' errors?)"
        )
    if flags.dtype != bool:
        return f"answer should be a boolean array (True = unusual), got dtype {flags.dtype}"
    if np.any(flags != want):
        return (
            f"{np.sum(flags != want)} of {len(want)} flags differ ({np.sum(flags & ~want)} "
            "flagged that should not be). Where does your threshold come from, and is it the "
            "level that 99% of the validation errors stay under?"
        )
    print(f"flagged {flags.sum()} of {len(want)} images")
    return None


def _solve_q2(val_errors, errors):
    threshold = np.percentile(val_errors, 99)  # 99% of held-out normal images stay below it
    return np.asarray(errors) > threshold


q2 = Exercise(
    title="q2: flag images unlike the training data",
    hint="A large reconstruction error means 'not like my training data'. Set the bar from "
    "errors of normal images the model did not train on, at the level that 99% of them stay "
    "under (NumPy has a function for that level), then compare.",
    solution=_solve_q2,
    checker=_check_q2,
    make_inputs=lambda: {
        "val_errors": np.random.default_rng(1).gamma(2.0, 0.01, 500),
        "errors": np.random.default_rng(2).gamma(2.0, 0.02, 100),
    },
    wrong_answers={
        "you set the threshold on the new images' own errors: set it on the validation errors "
        "of normal images": lambda val_errors, errors: errors > np.percentile(errors, 99),
        "the mean validation error flags many normal images: take a high percentile (the 99th) "
        "of the validation errors": lambda val_errors, errors: errors > np.mean(val_errors),
        "the 1st percentile flags almost every image: take a high percentile (the 99th) of the "
        "validation errors": lambda val_errors, errors: errors > np.percentile(val_errors, 1),
    },
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(1, 10, "decision"), q2=(2, 15, "decision"))
