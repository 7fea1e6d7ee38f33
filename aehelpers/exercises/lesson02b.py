"""Exercises for lesson 02b, regularisation and the three properties of autoencoders.

In the notebook::

    from aehelpers.exercises import lesson02b as ex
    answer = ...
    ex.q1.check(answer, reg=reg)
"""

import numpy as np

from . import Exercise, set_levels, short

# ----------------------------------------------------------------------------- q1


def _q1_inputs():
    return {
        "reg": {
            "none": {"train": 0.010, "val": 0.0200, "test": 0.0201},
            "L2 1e-5": {"train": 0.012, "val": 0.0190, "test": 0.0185},
            "L1 1e-6": {"train": 0.011, "val": 0.0195, "test": 0.0183},
            "dropout 0.2": {"train": 0.016, "val": 0.0192, "test": 0.0190},
        }
    }


def _check_q1(answer, reg):
    if type(answer) is not str or answer not in reg:  # a str subclass could lie in ==
        return f"answer should be one of the names in reg: {sorted(reg)}; got {short(answer)}"
    best_val = min(reg, key=lambda n: reg[n]["val"])
    if answer == best_val:
        return None
    if answer == min(reg, key=lambda n: reg[n]["test"]):
        return "that choice looks at the test images; a choice made on them makes the test score optimistic"
    if answer == min(reg, key=lambda n: reg[n]["train"]):
        return "the lowest training error rewards memorising the 500 training images"
    return f"{short(answer)} is not the best variant on the images this course uses for choices"


def _solution_q1(reg):
    return min(reg, key=lambda name: reg[name]["val"])  # decide on validation images, never on test


def _wrong_by_test(reg):
    """You chose on the test error: choose on the validation error and keep the test set for the final report."""
    return min(reg, key=lambda n: reg[n]["test"])


def _wrong_by_train(reg):
    """You chose on the training error, which rewards memorising: choose on the validation error."""
    return min(reg, key=lambda n: reg[n]["train"])


def _wrong_smallest_gap(reg):
    """The smallest validation/training gap is not the best model: choose the lowest validation error."""
    return min(reg, key=lambda n: reg[n]["val"] / reg[n]["train"])


q1 = Exercise(
    title="Q1 choose a regulariser",
    checker=_check_q1,
    hint="Three errors per variant; only one of them was measured on images meant for making choices.",
    solution=_solution_q1,
    make_inputs=_q1_inputs,
    wrong_answers=[_wrong_by_test, _wrong_by_train, _wrong_smallest_gap],
)

# ----------------------------------------------------------------------------- q2


def _q2_inputs():
    rng = np.random.default_rng(1)
    return {"val_errors": rng.gamma(2.0, 0.01, 500), "errors": rng.gamma(2.0, 0.02, 100)}


def _check_q2(answer, val_errors, errors):
    if np.size(val_errors) < 100:  # the lesson's input, not the answer, is wrong
        return (
            f"`val_errors` holds {np.size(val_errors)} errors, too few for a 99th percentile: "
            "pass the validation errors your run built"
        )
    flags = np.asarray(answer)
    errors = np.asarray(errors)
    if flags.shape != errors.shape:
        return (
            f"answer should have one flag per image of `errors`, shape {errors.shape}; got shape "
            f"{flags.shape} (are `errors` the new images' errors?)"
        )
    if flags.dtype != bool:
        return f"answer should be a boolean array (True = unusual), got dtype {flags.dtype}"
    expected = errors > np.percentile(val_errors, 99)
    wrong = int(np.sum(flags != expected))
    if wrong:
        too_many = int(np.sum(flags & ~expected))
        return (
            f"{wrong} of {len(errors)} flags differ ({too_many} flagged that should not be). Where does your "
            "threshold come from, and is it the level that 99% of the validation errors stay under?"
        )
    n_flagged = int(flags.sum())
    print(f"flagged {n_flagged} of {len(errors)} images")
    return None


def _solution_q2(val_errors, errors):
    threshold = np.percentile(val_errors, 99)  # 99% of held-out normal images stay below it
    return np.asarray(errors) > threshold


def _wrong_threshold_from_new_errors(val_errors, errors):
    """You set the threshold on the new images' own errors: set it on the validation errors of normal images."""
    return np.asarray(errors) > np.percentile(errors, 99)


def _wrong_mean_as_threshold(val_errors, errors):
    """The mean validation error flags many normal images: take a high percentile (the 99th) of the validation errors."""
    return np.asarray(errors) > np.mean(val_errors)


def _wrong_first_percentile(val_errors, errors):
    """The 1st percentile flags almost every image: take a high percentile (the 99th) of the validation errors."""
    return np.asarray(errors) > np.percentile(val_errors, 1)


q2 = Exercise(
    title="Q2 flag images unlike the training data",
    checker=_check_q2,
    hint="A large reconstruction error means 'not like my training data'. Set the bar from errors of normal images the model "
    "did not train on, at the level that 99% of them stay under (NumPy has a function for that level), then compare.",
    solution=_solution_q2,
    make_inputs=_q2_inputs,
    wrong_answers=[
        _wrong_threshold_from_new_errors,
        _wrong_mean_as_threshold,
        _wrong_first_percentile,
    ],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(1, 10), q2=(2, 15))
