"""Exercises for lesson 12, training at scale.

In the notebook::

    from aehelpers.exercises import lesson12 as ex
    answer = make_callbacks
    ex.q1.check(answer)
"""

import tempfile
from pathlib import Path

import numpy as np

from . import (
    Exercise,
    FunctionExercise,
    Mistake,
    _LearnerError,
    _same,
    describe_error,
    set_levels,
    short,
)


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


def _drawn_order_class():
    """The PyDataset class of q2 (made on first use, so that importing this module imports no Keras)."""
    import keras

    class DrawnOrder(keras.utils.PyDataset):
        """Batches (x, x) of an array, in an order drawn at the start of every epoch from a random
        generator made once, in ``__init__``: the order of an epoch depends on how many epochs
        this process has drawn before it, not on the epoch's number (many data libraries do so)."""

        def __init__(self, x, batch_size, seed, **kwargs):
            super().__init__(**kwargs)
            self.x, self.batch_size = x, batch_size
            self.rng = np.random.default_rng(seed)  # lives as long as the process
            self.order = np.arange(len(x))

        def on_epoch_begin(self):  # Keras calls it at the start of every epoch
            self.order = self.rng.permutation(len(self.x))

        def __len__(self):
            return -(-len(self.x) // self.batch_size)

        def __getitem__(self, i):
            rows = self.order[i * self.batch_size : (i + 1) * self.batch_size]
            return self.x[rows], self.x[rows]

    return DrawnOrder


def __getattr__(name):
    """``ex.DrawnOrder``: q2's dataset class, made on first use."""
    if name == "DrawnOrder":
        globals()["DrawnOrder"] = cls = _drawn_order_class()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


Q2_EPOCHS, Q2_CRASH = 4, (2, 2)  # the checker's runs: 4 epochs; a crash in epoch 2 after batch 2


def _q2_runs(make_callback):
    """Train a tiny model four ways on a DrawnOrder; return what each run saw (for the checker).

    Returns a dict: "plain" (no callback of the learner's, no crash), "whole" (with it, no
    crash), "resumed" (crashed in epoch 2, then resumed in a fresh model and dataset) and
    "next job" (a new, uninterrupted job started in the same folder afterwards); each holds
    {"orders": {epoch: order}, "weights": [arrays]}.
    """
    import keras

    x = np.random.default_rng(0).random((24, 3)).astype("float32")  # 6 batches of 4

    class Record(keras.callbacks.Callback):  # the order each finished epoch used
        def __init__(self, data):
            super().__init__()
            self.data, self.orders = data, {}

        def on_epoch_end(self, epoch, logs=None):
            self.orders[epoch] = np.array(self.data.order)

    class Crash(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            if (self.epoch, batch) == Q2_CRASH:
                raise _SimulatedCrash(f"simulated crash in epoch {self.epoch} after batch {batch}")

    def fit(folder, seed, learner=True, crash=False):
        keras.utils.set_random_seed(seed)  # the model's start; the data's seed is fixed below
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3)])
        model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
        data = _drawn_order_class()(x, 4, seed=7)
        record = Record(data)
        callbacks = [keras.callbacks.BackupAndRestore(folder / "backup")]
        if learner:
            callback = make_callback(data, folder)
            if not isinstance(callback, keras.callbacks.Callback):
                raise _NotACallback(type(callback).__name__)
            callbacks.append(callback)
        callbacks += [record, Crash()] if crash else [record]
        try:
            model.fit(data, epochs=Q2_EPOCHS, shuffle=False, verbose=0, callbacks=callbacks)
        except _SimulatedCrash:
            if not crash:
                raise
        return {"orders": record.orders, "weights": model.get_weights()}

    with tempfile.TemporaryDirectory(prefix="aehelpers-q2-") as tmp:
        tmp = Path(tmp)
        runs = {"plain": fit(tmp / "plain", seed=1, learner=False), "whole": fit(tmp / "whole", 1)}
        fit(tmp / "job", seed=1, crash=True)
        runs["resumed"] = fit(tmp / "job", seed=2)  # a fresh process: another model seed
        runs["next job"] = fit(tmp / "job", seed=1)
    return runs


class _SimulatedCrash(RuntimeError):
    """Raised in the checker's run to stand in for a crash."""


class _NotACallback(TypeError):
    """make_callback returned something that is not a Keras callback."""


def _first_difference(a, b, epochs):
    """The first epoch whose order differs between two runs' records, else None."""
    return next(
        (e for e in epochs if e not in a or e not in b or not np.array_equal(a[e], b[e])), None
    )


def _check_q2(make_callback):
    try:
        runs = _q2_runs(make_callback)
    except _NotACallback as err:
        return (
            f"make_callback(dataset, folder) returned a {err}; it should return a Keras callback "
            "(an instance of a keras.callbacks.Callback subclass)"
        )
    except _LearnerError:  # raised by make_callback itself: FunctionExercise reports it
        raise
    except Exception as err:  # raised by the callback's methods during fit
        return f"training with your callback raised {describe_error(err)}"
    epochs = range(Q2_EPOCHS)
    plain, whole = runs["plain"]["orders"], runs["whole"]["orders"]
    changed = _first_difference(plain, whole, epochs)
    if changed is not None:
        return (
            f"with your callback, an uninterrupted run visits epoch {changed}'s examples in "
            "another order than the dataset draws without it: the job must train as it would "
            "without a crash, in the dataset's own order; save and restore, do not reseed"
        )
    crashed_epoch = Q2_CRASH[0]
    resumed = runs["resumed"]["orders"]
    differs = _first_difference(whole, resumed, range(crashed_epoch, Q2_EPOCHS))
    if differs == crashed_epoch:
        said = f"the resumed run redoes epoch {crashed_epoch} in another order than the uninterrupted run"
        if all(
            np.array_equal(resumed.get(e + 1), whole[e])
            for e in range(crashed_epoch, Q2_EPOCHS - 1)
        ):
            return (
                f"{said}, and each later epoch gets the order of the epoch before it: the "
                "generator is restored only after the resumed epoch has drawn its order; restore "
                "it before that epoch starts"
            )
        if np.array_equal(resumed[crashed_epoch], whole[0]):
            return (
                f"{said}: epoch 0's. A fresh process draws from a fresh generator; its state must "
                "outlive the crash (write it to a file in `folder` while training, read it back "
                "when fit starts)"
            )
        return f"{said}: the generator's state at the crash is not what it was restored to"
    if differs is not None:
        return (
            f"the resumed run redoes epoch {crashed_epoch} in the right order, but epoch "
            f"{differs} differs: the generator's state, not only the current order, must be "
            "restored, so that the next draws match too"
        )
    gap = max(
        float(np.abs(a - b).max())
        for a, b in zip(runs["resumed"]["weights"], runs["whole"]["weights"], strict=True)
    )
    if gap > 1e-6:
        return (
            f"the data order matches, yet the resumed weights differ from the uninterrupted "
            f"run's by up to {gap:.2g}: does your callback change the model or its training?"
        )
    stale = _first_difference(whole, runs["next job"]["orders"], epochs)
    if stale is not None:
        return (
            f"a new job started in the same folder after a finished run sees epoch {stale} in "
            "another order: your callback left its state behind; like BackupAndRestore's backup, "
            "delete it when training ends (on_train_end), so a new job starts fresh"
        )
    return None


def _solve_q2():
    import json
    from pathlib import Path

    import keras

    class OrderBackup(keras.callbacks.Callback):
        """Keeps the dataset's random generator in a file, so that a resumed run draws what the
        crashed one would have drawn."""

        def __init__(self, dataset, folder):
            super().__init__()
            self.dataset, self.path = dataset, Path(folder) / "data_rng.json"

        def on_train_begin(self, logs=None):  # before the first epoch draws its order
            if self.path.exists():
                self.dataset.rng.bit_generator.state = json.loads(self.path.read_text())

        def on_epoch_end(self, epoch, logs=None):  # as BackupAndRestore backs up this epoch
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.dataset.rng.bit_generator.state))

        def on_train_end(self, logs=None):  # a finished job leaves nothing to resume
            self.path.unlink(missing_ok=True)

    return OrderBackup


def _q2_callback(mistake):
    """A make_callback(dataset, folder) with one known mistake."""
    import json

    import keras

    class Wrong(keras.callbacks.Callback):
        def __init__(self, dataset, folder):
            super().__init__()
            self.dataset, self.path = dataset, Path(folder) / "data_rng.json"

        def _restore(self):
            if self.path.exists():
                saved = json.loads(self.path.read_text())
                self.dataset.rng.bit_generator.state = saved

        def on_train_begin(self, logs=None):
            if mistake not in ("late restore", "reseed", "nothing"):
                self._restore()

        def on_epoch_begin(self, epoch, logs=None):
            if (
                mistake == "reseed"
            ):  # keyed to the epoch from outside: another order than the data's
                self.dataset.rng = np.random.default_rng([7, epoch])

        def on_train_batch_begin(self, batch, logs=None):
            if mistake == "late restore" and batch == 0 and not getattr(self, "done", False):
                self.done = True  # after the epoch's order was drawn
                self._restore()

        def _save(self):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.dataset.rng.bit_generator.state))

        def on_epoch_end(self, epoch, logs=None):
            if mistake in ("late restore", "stale"):
                self._save()

        def on_train_end(self, logs=None):
            if mistake == "at the end":  # a crash never gets here
                self._save()
            elif mistake != "stale":
                self.path.unlink(missing_ok=True)

    return Wrong


q2 = FunctionExercise(
    title="q2: an exact resume when the shuffle is not keyed to the epoch",
    signature="make_callback(dataset, folder)",
    checker=_check_q2,
    hint="A resumed process makes a fresh generator, so it draws epoch 0's order again. Whatever "
    "random state lives only in the process must be backed up with the rest of the training "
    "state: numpy generators expose theirs as `rng.bit_generator.state` (a dict you can json.dump "
    "and assign back). Mind when Keras calls each callback method, and when the dataset draws.",
    solution=_solve_q2,
    wrong_answers=[
        Mistake(
            "nothing is saved: the resumed process draws from a fresh generator",
            lambda: _q2_callback("nothing"),
        ),
        Mistake("restored after the epoch's order was drawn", lambda: _q2_callback("late restore")),
        Mistake(
            "the state is saved when training ends, which a crash never reaches",
            lambda: _q2_callback("at the end"),
        ),
        Mistake(
            "reseeding by epoch changes the dataset's own order", lambda: _q2_callback("reseed")
        ),
        Mistake(
            "the state file outlives a finished run, so the next job starts from it",
            lambda: _q2_callback("stale"),
        ),
    ],
    slow_reference=True,  # its checker trains a tiny model four times
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
set_levels(globals(), q1=(2, 15, "new code"), q2=(3, 25, "new code"), q3=(1, 10, "decision"))
