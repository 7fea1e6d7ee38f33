"""Exercises for lesson 12, training at scale.

In the notebook::

    from aehelpers.exercises import lesson12 as ex
    answer = make_callbacks
    ex.q1.check(answer)
"""

import tempfile
from pathlib import Path

import numpy as np

from . import Exercise, FunctionExercise, Mistake, _same, set_levels, short


def _inside(path, folder):
    return Path(folder).resolve() in [Path(path).resolve(), *Path(path).resolve().parents]


def _check_q1(make_callbacks):
    import keras

    folder = Path(tempfile.gettempdir()) / "aehelpers-q1-check" / "run"  # never written to
    callbacks = make_callbacks(folder)
    if not isinstance(callbacks, (list, tuple)):
        return f"make_callbacks should return a list of callbacks, got {type(callbacks).__name__}"
    backups = [c for c in callbacks if isinstance(c, keras.callbacks.BackupAndRestore)]
    ckpts = [c for c in callbacks if isinstance(c, keras.callbacks.ModelCheckpoint)]
    if len(backups) != 1:
        return f"expected one callback that lets a crashed run resume; found {len(backups)}"
    if len(ckpts) != 1:
        return f"expected one callback that keeps the best model in a file; found {len(ckpts)}"
    backup, ckpt = backups[0], ckpts[0]
    for name, path in [("the backup folder", backup.backup_dir), ("the model file", ckpt.filepath)]:
        if not _inside(path, folder):
            return f"{name} ({path}) is not under the folder given to make_callbacks ({folder})"
    if _inside(ckpt.filepath, backup.backup_dir):
        return (
            "the model file is inside the backup folder; BackupAndRestore deletes that folder "
            "when training ends, and the documentation says not to share it with other callbacks"
        )
    if not str(ckpt.filepath).endswith(".keras"):
        return f"keep the whole model in a .keras file; got {ckpt.filepath}"
    if ckpt.monitor != "val_loss":
        return f"the checkpoint monitors {ckpt.monitor!r}: which loss tells you the best model?"
    if not ckpt.save_best_only:
        return "as written, the checkpoint overwrites the file every epoch: it keeps the last model, not the best"
    if ckpt.save_weights_only:
        return "save the whole model (architecture too), not only its weights"
    return None


def _solve_q1():
    def make_callbacks(folder):
        import keras

        return [
            keras.callbacks.BackupAndRestore(backup_dir=folder / "backup"),
            keras.callbacks.ModelCheckpoint(
                folder / "best.keras", monitor="val_loss", save_best_only=True
            ),
        ]

    return make_callbacks


def _callbacks(backup="backup", monitor="val_loss", save_best_only=True):
    """The solution's make_callbacks with one argument changed (backup=None: no backup)."""
    from keras.callbacks import BackupAndRestore, ModelCheckpoint

    def make_callbacks(folder):
        best = ModelCheckpoint(
            folder / "best.keras", monitor=monitor, save_best_only=save_best_only
        )
        return [best] if backup is None else [BackupAndRestore(backup_dir=folder / backup), best]

    return make_callbacks


q1 = FunctionExercise(
    title="q1: callbacks for a long job",
    signature="make_callbacks(folder)",
    checker=_check_q1,
    hint="Two callbacks from keras.callbacks: one restores the training state after a crash, the "
    "other writes a model file. Give each its own place under `folder` (folder / 'name'), and read "
    "ModelCheckpoint's arguments: which quantity it watches, and when it writes.",
    solution=_solve_q1,
    wrong_answers=[
        Mistake("it keeps the last model, not the best", _callbacks, save_best_only=False),
        Mistake("the checkpoint watches the training loss", _callbacks, monitor="loss"),
        Mistake("the model file is in the backup folder, which is deleted", _callbacks, backup=""),
        Mistake("no callback lets a crashed run resume", _callbacks, backup=None),
    ],
)


def _check_q2(epoch_order):
    n = 50
    first = np.asarray(epoch_order(n, 3, 0))
    if first.dtype.kind not in "iu" or first.ndim != 1 or sorted(first) != list(range(n)):
        return f"epoch_order({n}, 3, 0) should return each of the integers 0..{n - 1} exactly once"
    if np.array_equal(first, np.arange(n)):
        return "the order is not shuffled"
    if not all(np.array_equal(first, epoch_order(n, 3, 0)) for _ in range(2)):  # as on a restart
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


def _solve_q2():
    def epoch_order(n, epoch, seed):
        return np.random.default_rng([seed, epoch]).permutation(n)

    return epoch_order


q2 = FunctionExercise(
    title="q2: a data order you can replay",
    signature="epoch_order(n, epoch, seed)",
    checker=_check_q2,
    hint="Make a new random generator inside the function, seeded by what identifies the epoch "
    "(np.random.default_rng accepts a list of integers), instead of using NumPy's global state.",
    solution=_solve_q2,
    wrong_answers={
        "NumPy's global random state gives another order on every call, so a resumed job cannot "
        "replay the crashed epoch": lambda: lambda n, epoch, seed: np.random.permutation(n),  # noqa: NPY002
        "the same order every epoch: seed the generator with both the seed and the epoch": (
            lambda: lambda n, epoch, seed: np.random.default_rng(seed).permutation(n)
        ),
        "the data are not shuffled: draw a permutation from a generator seeded with the seed and "
        "the epoch": lambda: lambda n, epoch, seed: np.arange(n),
    },
)


def _check_q3(answer, want, global_batch, n_devices):
    if _same(answer, want):
        return None
    if np.shape(answer) != (2,) or np.asarray(answer).dtype.kind not in "iuf":
        return f"answer should be a tuple of two integers (batch_size, per_device_batch), got {short(answer)}"
    if _same(answer[0], want[0]):
        return f"with batch_size={short(answer[0])} split evenly over 8 devices, each device gets another number"
    if _same(answer[0], global_batch // n_devices * 8):  # a tuple gets no mistake hint: said here
        return (
            "that keeps each device's share as it was; the steps then average over more images "
            "than before, which is a different training run"
        )
    return f"batch_size={short(answer[0])} changes how many images each step averages over"


def _solve_q3(global_batch, n_devices):
    return (global_batch, global_batch // 8)


q3 = Exercise(
    title="q3: moving to 8 devices",
    checker=_check_q3,
    hint="batch_size in fit is the global batch: the number of images one training step averages "
    "its gradient over, whatever the number of devices. DataParallel splits it evenly.",
    solution=_solve_q3,
    make_inputs=lambda: {"global_batch": 256, "n_devices": 4},
    wrong_answers={
        "you kept each device's share, so a step averages over more images": (
            lambda global_batch, n_devices: (
                global_batch // n_devices * 8,
                global_batch // n_devices,
            )
        ),
        "you divided fit's batch_size, the global batch, which DataParallel splits for you": (
            lambda global_batch, n_devices: (global_batch // 8, global_batch // 64)
        ),
        "the per-device batch is the one for the old number of devices": (
            lambda global_batch, n_devices: (global_batch, global_batch // n_devices)
        ),
    },
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 15, "new code"), q2=(2, 15, "other"), q3=(1, 10, "decision"))
