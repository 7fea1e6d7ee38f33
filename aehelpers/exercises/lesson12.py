"""Exercises for lesson 12, training at scale.

In the notebook::

    from aehelpers.exercises import lesson12 as ex
    answer = make_callbacks
    ex.q1.check(answer)
"""

import tempfile
from pathlib import Path

import numpy as np

from . import Exercise, FunctionExercise, set_levels, short

# ----------------------------------------------------------------------------- q1


def _inside(path, folder):
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
        return True
    except ValueError:
        return False


def _check_q1(make_callbacks):
    import keras

    folder = Path(tempfile.gettempdir()) / "aehelpers-q1-check" / "run"  # never written to
    callbacks = make_callbacks(folder)
    if not isinstance(callbacks, (list, tuple)):
        return f"make_callbacks should return a list of callbacks, got {type(callbacks).__name__}"
    backups = [c for c in callbacks if isinstance(c, keras.callbacks.BackupAndRestore)]
    checkpoints = [c for c in callbacks if isinstance(c, keras.callbacks.ModelCheckpoint)]
    if len(backups) != 1:
        return f"expected one callback that lets a crashed run resume; found {len(backups)}"
    if len(checkpoints) != 1:
        return (
            f"expected one callback that keeps the best model in a file; found {len(checkpoints)}"
        )
    backup, checkpoint = backups[0], checkpoints[0]
    for name, path in [
        ("the backup folder", backup.backup_dir),
        ("the model file", checkpoint.filepath),
    ]:
        if not _inside(path, folder):
            return f"{name} ({path}) is not under the folder given to make_callbacks ({folder})"
    if _inside(checkpoint.filepath, backup.backup_dir):
        return (
            "the model file is inside the backup folder; BackupAndRestore deletes that folder "
            "when training ends, and the documentation says not to share it with other callbacks"
        )
    if not str(checkpoint.filepath).endswith(".keras"):
        return f"keep the whole model in a .keras file; got {checkpoint.filepath}"
    if checkpoint.monitor != "val_loss":
        return (
            f"the checkpoint monitors {checkpoint.monitor!r}: which loss tells you the best model?"
        )
    if not checkpoint.save_best_only:
        return "as written, the checkpoint overwrites the file every epoch: it keeps the last model, not the best"
    if checkpoint.save_weights_only:
        return "save the whole model (architecture too), not only its weights"
    return None


def _solution_q1():
    def make_callbacks(folder):
        import keras

        return [
            keras.callbacks.BackupAndRestore(backup_dir=folder / "backup"),
            keras.callbacks.ModelCheckpoint(
                folder / "best.keras", monitor="val_loss", save_best_only=True
            ),
        ]

    return make_callbacks


def _wrong_q1_keeps_the_last_model():
    def make_callbacks(folder):
        import keras

        return [
            keras.callbacks.BackupAndRestore(backup_dir=folder / "backup"),
            keras.callbacks.ModelCheckpoint(folder / "best.keras", monitor="val_loss"),
        ]

    return make_callbacks


def _wrong_q1_monitors_training_loss():
    def make_callbacks(folder):
        import keras

        return [
            keras.callbacks.BackupAndRestore(backup_dir=folder / "backup"),
            keras.callbacks.ModelCheckpoint(
                folder / "best.keras", monitor="loss", save_best_only=True
            ),
        ]

    return make_callbacks


def _wrong_q1_model_inside_backup_folder():
    def make_callbacks(folder):
        import keras

        return [
            keras.callbacks.BackupAndRestore(backup_dir=folder),
            keras.callbacks.ModelCheckpoint(
                folder / "best.keras", monitor="val_loss", save_best_only=True
            ),
        ]

    return make_callbacks


def _wrong_q1_no_backup():
    def make_callbacks(folder):
        import keras

        return [
            keras.callbacks.ModelCheckpoint(
                folder / "best.keras", monitor="val_loss", save_best_only=True
            )
        ]

    return make_callbacks


q1 = FunctionExercise(
    title="Q1 callbacks for a long job",
    signature="make_callbacks(folder)",
    checker=_check_q1,
    hint="Two callbacks from keras.callbacks: one restores the training state after a crash, the "
    "other writes a model file. Give each its own place under `folder` (folder / 'name'), and read "
    "ModelCheckpoint's arguments: which quantity it watches, and when it writes.",
    solution=_solution_q1,
    wrong_answers=[
        _wrong_q1_keeps_the_last_model,
        _wrong_q1_monitors_training_loss,
        _wrong_q1_model_inside_backup_folder,
        _wrong_q1_no_backup,
    ],
)

# ----------------------------------------------------------------------------- q2


def _is_permutation(order, n):
    order = np.asarray(order)
    return (
        order.shape == (n,)
        and np.issubdtype(order.dtype, np.integer)
        and np.array_equal(np.sort(order), np.arange(n))
    )


def _check_q2(epoch_order):
    n = 50
    first = epoch_order(n, 3, 0)
    if not _is_permutation(first, n):
        return f"epoch_order({n}, 3, 0) should return each of the integers 0..{n - 1} exactly once"
    if np.array_equal(first, np.arange(n)):
        return "the order is not shuffled"
    again = [epoch_order(n, 3, 0) for _ in range(2)]  # as a restarted process would call it
    if not all(np.array_equal(first, a) for a in again):
        return (
            "calling it again with the same (n, epoch, seed) gave another order: a resumed "
            "job could not replay the crashed epoch"
        )
    orders = [np.asarray(epoch_order(n, e, 0)) for e in range(4)]
    if any(np.array_equal(orders[0], o) for o in orders[1:]):
        return "every epoch visits the examples in the same order; it should change with the epoch"
    if np.array_equal(epoch_order(n, 3, 1), first):
        return "the seed has no effect on the order"
    return None


def _solution_q2():
    def epoch_order(n, epoch, seed):
        return np.random.default_rng([seed, epoch]).permutation(n)

    return epoch_order


def _wrong_q2_global_random_state():
    def epoch_order(n, epoch, seed):
        return np.random.permutation(n)  # noqa: NPY002  (the mistake this answer shows)

    return epoch_order


def _wrong_q2_same_order_every_epoch():
    """The same order every epoch: seed the generator with both the seed and the epoch."""

    def epoch_order(n, epoch, seed):
        return np.random.default_rng(seed).permutation(n)

    return epoch_order


def _wrong_q2_not_shuffled():
    """The data are not shuffled: draw a permutation from a generator seeded with the seed and the epoch."""

    def epoch_order(n, epoch, seed):
        return np.arange(n)

    return epoch_order


q2 = FunctionExercise(
    title="Q2 a data order you can replay",
    signature="epoch_order(n, epoch, seed)",
    checker=_check_q2,
    hint="Make a new random generator inside the function, seeded by what identifies the epoch "
    "(np.random.default_rng accepts a list of integers), instead of using NumPy's global state.",
    solution=_solution_q2,
    wrong_answers=[
        _wrong_q2_global_random_state,
        _wrong_q2_same_order_every_epoch,
        _wrong_q2_not_shuffled,
    ],
)

# ----------------------------------------------------------------------------- q3


def _q3_inputs():
    return {"global_batch": 256, "n_devices": 4}


def _check_q3(answer, global_batch, n_devices):
    try:
        batch_size, per_device = (int(v) for v in answer)
    except (TypeError, ValueError):
        return f"answer should be a tuple of two integers (batch_size, per_device_batch), got {short(answer)}"
    if batch_size != global_batch:
        if batch_size == global_batch // n_devices * 8:
            return (
                "that keeps each device's share as it was; the steps then average over more "
                "images than before, which is a different training run"
            )
        return f"batch_size={batch_size} changes how many images each step averages over"
    if per_device * 8 != batch_size:
        return f"with batch_size={batch_size} split evenly over 8 devices, each device gets another number"
    return None


def _solution_q3(global_batch, n_devices):
    return (global_batch, global_batch // 8)


def _wrong_q3_keep_per_device_batch(global_batch, n_devices):
    return (global_batch // n_devices * 8, global_batch // n_devices)


def _wrong_q3_divide_the_batch(global_batch, n_devices):
    return (global_batch // 8, global_batch // 64)


def _wrong_q3_old_per_device(global_batch, n_devices):
    return (global_batch, global_batch // n_devices)


q3 = Exercise(
    title="Q3 moving to 8 devices",
    checker=_check_q3,
    hint="batch_size in fit is the global batch: the number of images one training step averages "
    "its gradient over, whatever the number of devices. DataParallel splits it evenly.",
    solution=_solution_q3,
    make_inputs=_q3_inputs,
    wrong_answers=[
        _wrong_q3_keep_per_device_batch,
        _wrong_q3_divide_the_batch,
        _wrong_q3_old_per_device,
    ],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 15), q2=(2, 15), q3=(1, 10))
