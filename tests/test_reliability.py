"""Reliability: a shared machine, a killed save, an interrupted fit, a half-written results row.

Each test plays one failure the reliability reading (audit 2026-12) found and checks that
nothing is lost or silently wrong afterwards.
"""

import os
import stat
import tempfile
from pathlib import Path

import pytest

import aehelpers as ae


# ----------------------------------------------------------------- private work folder
@pytest.fixture
def shared_tmp(tmp_path, monkeypatch):
    """A fresh 'system temp folder' (sticky, world-writable like /tmp) and no AEHELPERS_WORKDIR."""
    tmp = tmp_path / "systmp"
    tmp.mkdir()
    os.chmod(tmp, 0o1777)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.delenv("AEHELPERS_WORKDIR", raising=False)
    return tmp


def _fake_uid(monkeypatch, uid):
    monkeypatch.setattr(os, "getuid", lambda: uid)


def test_default_workdir_is_private(shared_tmp):
    me = os.getuid()
    path = ae.workdir()
    assert path == shared_tmp / f"aehelpers-work-{me}"
    info = os.lstat(path)
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == me
    assert ae.workdir("lesson12") == path / "lesson12"


_AS_OTHER_USER = """
import importlib.util, os, stat, sys
spec = importlib.util.spec_from_file_location("cfg", sys.argv[1])
cfg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cfg)
path = cfg.workdir()
info = os.lstat(path)
print(path, info.st_uid, oct(stat.S_IMODE(info.st_mode)))
"""


@pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to run as a second user"
)
def test_two_users_of_one_machine_each_get_a_private_folder():
    """Two real users (root and uid 4242) share one sticky temp folder, in either order."""
    import subprocess
    import sys

    environment_py = Path(ae.__file__).parent / "environment.py"
    shared = Path(tempfile.mkdtemp(prefix="aehelpers-two-users-"))
    try:
        os.chmod(shared, 0o1777)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "TMPDIR": str(shared),
            "KERAS_BACKEND": "jax",
            "PYTHONPATH": "",
        }
        # the other user first: their folder, then ours, each 0700 and owned by its user
        # environment.py needs only the standard library: any Python the other user may run will do
        # (root's own interpreter may sit in a folder only root can read)
        for python in (sys.executable, "/usr/bin/python3", "/usr/local/bin/python3"):
            try:
                other = subprocess.run(
                    [python, "-c", _AS_OTHER_USER, str(environment_py)],
                    user=4242,
                    env=env,
                    capture_output=True,
                    text=True,
                    cwd="/",
                )
                break
            except (PermissionError, FileNotFoundError):
                continue
        else:
            pytest.skip("no Python that uid 4242 may run")
        assert other.returncode == 0, other.stderr
        their_path, their_uid, their_mode = other.stdout.split()
        assert (their_uid, their_mode) == ("4242", "0o700") and their_path.endswith(
            "aehelpers-work-4242"
        )
        old = tempfile.tempdir
        tempfile.tempdir = str(shared)
        try:
            ours = ae.environment._default_workdir()
        finally:
            tempfile.tempdir = old
        assert ours != Path(their_path) and os.lstat(ours).st_uid == 0
        assert stat.S_IMODE(os.lstat(ours).st_mode) == 0o700
    finally:
        import shutil

        shutil.rmtree(shared)


def test_default_workdir_owned_by_another_user_is_refused(shared_tmp, monkeypatch):
    me = os.getuid()
    if me == 0:  # root can hand the folder to another uid, as a second learner would own it
        planted = shared_tmp / f"aehelpers-work-{me}"
        planted.mkdir(mode=0o700)
        os.chown(planted, 4242, -1)
    else:  # otherwise: the folder is ours, and we pretend to be another uid
        (shared_tmp / f"aehelpers-work-{me + 4242}").mkdir(mode=0o700)
        _fake_uid(monkeypatch, me + 4242)
    with pytest.raises(PermissionError, match="belongs to another user.*AEHELPERS_WORKDIR"):
        ae.workdir()


@pytest.mark.parametrize("kind", ["world-writable", "group-writable", "symlink", "file"])
def test_default_workdir_others_could_write_to_is_refused(shared_tmp, kind):
    path = shared_tmp / f"aehelpers-work-{os.getuid()}"
    if kind == "symlink":
        (shared_tmp / "elsewhere").mkdir(mode=0o700)
        path.symlink_to(shared_tmp / "elsewhere")
    elif kind == "file":
        path.write_text("x")
    else:
        path.mkdir()
        os.chmod(path, 0o777 if kind == "world-writable" else 0o770)
    with pytest.raises(PermissionError, match="work folder"):
        ae.workdir()


@pytest.mark.parametrize("value", ["relative/work", "/somewhere/lessons/work"])
def test_workdir_setting_relative_or_inside_lessons_is_refused(monkeypatch, value):
    monkeypatch.setenv("AEHELPERS_WORKDIR", value)
    with pytest.raises(ValueError, match="AEHELPERS_WORKDIR"):
        ae.workdir()


def test_workdir_setting_still_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("AEHELPERS_WORKDIR", str(tmp_path / "mine"))
    assert ae.workdir("x") == tmp_path / "mine" / "x" and (tmp_path / "mine" / "x").is_dir()


# ----------------------------------------------------------------- model hand-over
def _tiny_vae(latent_dim=2):
    return ae.VAE(
        ae.dense_vae_encoder((8, 8), latent_dim, hidden=(8,)),
        ae.dense_vae_decoder((8, 8), latent_dim, hidden=(8,)),
        seed=0,
    )


def _built(model):
    import numpy as np

    model(np.zeros((2, 8, 8), "float32"))
    return model


def test_saved_model_round_trip(tmp_path, monkeypatch):
    import numpy as np

    monkeypatch.setenv("AEHELPERS_WORKDIR", str(tmp_path))
    vae = _built(_tiny_vae())
    path = ae.save_model(vae, "handover.keras")
    assert path == tmp_path / "handover.keras" and [p.name for p in tmp_path.iterdir()] == [
        "handover.keras"
    ]
    back = ae.load_saved_model(
        "handover", expect=ae.VAE, check={"latent_dim": 2, "image_shape": [8, 8]}
    )
    assert isinstance(back, ae.VAE)
    x = np.full((3, 8, 8), 0.5, "float32")
    np.testing.assert_allclose(back.encode(x)[0], vae.encode(x)[0], atol=1e-6)


@pytest.mark.parametrize("damage", ["missing", "empty", "truncated", "garbage", "html", "folder"])
def test_killed_or_damaged_save_gives_none_and_says_which_file(
    tmp_path, monkeypatch, capsys, damage
):
    monkeypatch.setenv("AEHELPERS_WORKDIR", str(tmp_path))
    good = ae.save_model(_built(_tiny_vae()), "model.keras")
    whole = good.read_bytes()
    good.unlink()
    if damage == "empty":
        good.write_bytes(b"")
    elif damage == "truncated":  # a save killed while writing the weights: the start of the zip
        good.write_bytes(whole[: len(whole) // 3])
    elif damage == "garbage":
        good.write_bytes(os.urandom(5000))
    elif damage == "html":
        good.write_text("<html><body>404 Not Found</body></html>")
    elif damage == "folder":
        good.mkdir()
    assert ae.load_saved_model("model.keras", expect=ae.VAE) is None
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and str(good) in out[0] and "trains the model here instead" in out[0], out


@pytest.mark.parametrize(
    "case", ["wrong type", "wrong latent size", "check says no", "check raises"]
)
def test_model_that_is_not_the_expected_one_gives_none(tmp_path, monkeypatch, capsys, case):
    monkeypatch.setenv("AEHELPERS_WORKDIR", str(tmp_path))
    if case == "wrong type":  # a plain autoencoder under the VAE's name
        model, _, _ = ae.dense_autoencoder(64, 4, hidden=(8,))
        ae.save_model(model, "m.keras")
    else:
        ae.save_model(_built(_tiny_vae()), "m.keras")
    check = {
        "wrong type": None,
        "wrong latent size": {"latent_dim": 20},
        "check says no": lambda m: m.latent_dim == 20,
        "check raises": lambda m: m.no_such_thing,
    }[case]
    assert ae.load_saved_model("m.keras", expect=ae.VAE, check=check) is None
    out = capsys.readouterr().out
    assert "not using" in out and "m.keras" in out
    if case == "wrong latent size":
        assert "latent_dim is 2, expected 20" in out


def test_interrupted_save_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    """A save killed halfway (here: KeyboardInterrupt inside model.save) changes nothing at the name."""
    monkeypatch.setenv("AEHELPERS_WORKDIR", str(tmp_path))
    first = _built(_tiny_vae())
    path = ae.save_model(first, "m.keras")
    before = path.read_bytes()
    second = _built(_tiny_vae(latent_dim=3))

    def killed(filepath, *args, **kwargs):
        Path(filepath).write_bytes(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt

    monkeypatch.setattr(second, "save", killed)
    with pytest.raises(KeyboardInterrupt):
        ae.save_model(second, "m.keras")
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["m.keras"]
    assert ae.load_saved_model("m.keras", expect=ae.VAE, check={"latent_dim": 2}) is not None


@pytest.mark.parametrize("name", ["../x.keras", "/tmp/x.keras", "sub/x.keras", "", 3])
def test_model_names_that_leave_the_work_folder_are_refused(name):
    with pytest.raises(ValueError, match="plain file name"):
        ae.load_saved_model(name)


# ----------------------------------------------------------------- interrupted fit
class _InterruptAt(__import__("keras").callbacks.Callback):
    """Stands in for a learner pressing Stop (KeyboardInterrupt) in the middle of an epoch."""

    def __init__(self, epoch, seen):
        super().__init__()
        self.epoch, self.seen = epoch, seen

    def on_train_batch_end(self, batch, logs=None):
        if self.params and batch == 1 and len(self.seen) == self.epoch + 1:
            raise KeyboardInterrupt

    def on_epoch_begin(self, epoch, logs=None):
        self.seen.append(float(__import__("keras").ops.convert_to_numpy(self.model.kl_weight)))


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_interrupted_warmup_fit_restores_kl_weight(error):
    import keras
    import numpy as np

    vae = _tiny_vae()
    vae.compile(optimizer="adam")
    x = (np.random.default_rng(0).random((64, 8, 8)) > 0.5).astype("float32")
    seen = []
    stop = _InterruptAt(2, seen)
    if error is RuntimeError:
        stop.on_train_batch_end = lambda batch, logs=None: (_ for _ in ()).throw(
            RuntimeError("disk full")
        )  # noqa: E731
    with pytest.raises(error):
        vae.fit(x, epochs=10, batch_size=16, verbose=0, callbacks=[ae.KLWarmup(10), stop])
    if error is KeyboardInterrupt:
        assert seen[-1] == pytest.approx(
            0.2
        )  # epoch 3 of the warm-up ran at 0.2 when it was stopped
    assert float(keras.ops.convert_to_numpy(vae.kl_weight)) == vae.beta == 1.0


# ----------------------------------------------------------------- results files
def _tool(name):
    import importlib

    return importlib.import_module(f"tools.{name}")


def _row(lesson, name, value):
    import json

    return json.dumps(
        {
            "lesson": lesson,
            "name": name,
            "value": value,
            "baseline": None,
            "fast_mode": True,
            "elapsed_s": 1.0,
            "note": "",
        }
    )


def test_record_after_a_half_written_row_starts_a_new_line(tmp_path, monkeypatch, capsys):
    import json

    from aehelpers import environment

    results = tmp_path / "results.jsonl"
    whole = _row("01_a", "x", 1.0)
    results.write_text(whole + "\n" + whole[: len(whole) // 2])  # the writer was killed mid-row
    monkeypatch.setenv("AEHELPERS_RESULTS", str(results))
    monkeypatch.setitem(environment._state, "lesson", "01_a")
    ae.record("y", 2.0)
    lines = results.read_text().splitlines()
    assert len(lines) == 3 and lines[1] == whole[: len(whole) // 2]
    assert json.loads(lines[2])["name"] == "y"
    # the reader skips the damaged line and says so, instead of refusing the whole file
    results_py = _tool("results")
    rows = results_py.load(results)
    assert [r["name"] for r in rows] == ["x", "y"]
    assert "skipped 1 damaged line(s)" in capsys.readouterr().err


def test_drop_rows_skips_damaged_lines_and_rewrites_through_a_temp_file(tmp_path, capsys):
    execute = _tool("execute_lessons")
    results = tmp_path / "results.jsonl"
    results.write_text(
        "\n".join(
            [
                _row("01_a", "x", 1),
                '{"lesson": "01_a", "na',
                _row("02_b", "y", 2),
                "garbage",
                _row("01_a", "z", 3),
            ]
        )
        + "\n"
    )
    execute.drop_rows(results, "01_a")
    assert results.read_text() == _row("02_b", "y", 2) + "\n"
    assert "dropped 2 damaged line(s)" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.jsonl", "results.jsonl.lock"]


@pytest.mark.tooling  # the results file's locking (aehelpers.results.drop_rows): backend-independent, runs once
def test_drop_rows_beside_an_appending_process_loses_no_row(tmp_path):
    """A lesson appends 400 rows (ae.record, in another process) while drop_rows rewrites the file."""
    import subprocess
    import sys

    execute = _tool("execute_lessons")
    results = tmp_path / "results.jsonl"
    results.write_text("".join(_row("01_a", f"old{i}", i) + "\n" for i in range(200)))
    writer = (
        "from aehelpers import environment, results\n"
        "environment._state['lesson'] = '02_b'\n"
        "for i in range(400):\n    results.record(f'new{i}', i)\n"
    )
    env = {**os.environ, "AEHELPERS_RESULTS": str(results), "KERAS_BACKEND": "jax"}
    proc = subprocess.Popen(
        [sys.executable, "-c", writer],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=Path(ae.__file__).parents[1],
    )
    rewrites = 0
    while proc.poll() is None:
        execute.drop_rows(results, "01_a")
        rewrites += 1
    assert proc.wait() == 0, proc.stderr.read().decode()[-2000:]
    assert rewrites > 10
    execute.drop_rows(results, "01_a")
    names = [line.split('"name": "')[1].split('"')[0] for line in results.read_text().splitlines()]
    assert names == [f"new{i}" for i in range(400)]


# ----------------------------------------------------------------- set-repo / release
def test_set_repo_never_writes_through_a_symlink_at_a_temp_name(tmp_path):
    links = _tool("course_links")
    lesson = tmp_path / "05_x.ipynb"
    lesson.write_text("old")
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    (tmp_path / "05_x.ipynb.course-tmp").symlink_to(victim)  # the old fixed temp name
    links.apply({lesson: "new notebook text"})
    assert (
        victim.read_text() == "mine"
        and not lesson.is_symlink()
        and lesson.read_text() == "new notebook text"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "05_x.ipynb",
        "05_x.ipynb.course-tmp",
        "victim.txt",
    ]


def test_set_repo_io_error_halfway_says_a_rerun_completes_it(tmp_path, monkeypatch):
    links = _tool("course_links")
    files = [tmp_path / f"0{i}_x.ipynb" for i in range(3)]
    for f in files:
        f.write_text("old")
    real_replace = os.replace

    def disk_full(src, dst):
        if str(dst).endswith("01_x.ipynb"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(links.os, "replace", disk_full)
    with pytest.raises(
        links.LinkError, match="01_x.ipynb could not be written.*rewrote 1 of 3.*a rerun completes"
    ):
        links.apply({f: "new" for f in files})
    assert [f.read_text() for f in files] == ["new", "old", "old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f.name for f in files
    ]  # no temp file left


# ----------------------------------------------------------------- data files
def _shuttle_lines():
    import gzip

    from aehelpers import tables

    return gzip.decompress(tables._packaged_shuttle_path().read_bytes()).decode().splitlines()


@pytest.mark.parametrize("where", ["course cache", "package data"])
def test_full_size_shuttle_with_rows_shuffled_against_labels_is_refused(
    tmp_path, monkeypatch, where
):
    import gzip

    import numpy as np

    from aehelpers import tables

    header, *rows = _shuttle_lines()
    labels = [r.rsplit(",", 1)[1] for r in rows]
    order = np.random.default_rng(0).permutation(len(rows))
    shuffled = [row.rsplit(",", 1)[0] + "," + labels[j] for row, j in zip(rows, order, strict=True)]
    bad = tmp_path / "shuttle.csv.gz"
    bad.write_bytes(gzip.compress(("\n".join([header, *shuffled]) + "\n").encode()))
    if where == "course cache":
        monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path))
        fix = "Delete"
    else:
        monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path / "empty"))
        monkeypatch.setattr(tables, "_packaged_shuttle_path", lambda: bad)
        fix = "Reinstall aehelpers"
    with pytest.raises(ae.DataError, match=f"{bad}.*not the ODDS Shuttle file.*{fix}"):
        ae.load_shuttle(n_rows=1000)


def test_shuttle_gzipped_again_in_the_cache_is_accepted(tmp_path, monkeypatch):
    import gzip

    from aehelpers import tables

    csv = gzip.decompress(tables._packaged_shuttle_path().read_bytes())
    (tmp_path / "shuttle.csv.gz").write_bytes(
        gzip.compress(csv, compresslevel=1)
    )  # other .gz bytes
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path))
    assert str(tmp_path) in ae.load_shuttle(n_rows=1000).source


def test_damaged_series_file_is_a_data_error(monkeypatch):
    from aehelpers import sequences

    monkeypatch.setitem(sequences.SERIES["ecg"], "sha256", "0" * 64)  # as if the file had changed
    with pytest.raises(ae.DataError, match="mitdb_excerpt.csv.gz is damaged.*reinstall aehelpers"):
        ae.load_series("ecg")


# ----------------------------------------------------------------- exercise checks
class _LyingStr(str):
    """A str whose == always says yes."""

    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class _Unprintable:
    """An answer whose every conversion raises, and whose exceptions cannot be printed."""

    class _Boom(Exception):
        def __str__(self):
            raise RuntimeError("no str either")

    def __repr__(self):
        raise self._Boom()

    def __float__(self):
        raise self._Boom()

    def __getattr__(self, name):
        raise self._Boom()


_GARBAGE = {
    "True": True,
    "numpy True": __import__("numpy").bool_(True),
    "lying str": _LyingStr("x"),
    "unprintable": _Unprintable(),
    "huge str": "9" * 2_000_000,
    "huge list": list(range(200_000)),
}


def _exercises():
    from aehelpers.exercises import all_exercises

    return [pytest.param(ex, id=f"{module}.{attr}") for module, attr, ex in all_exercises()]


@pytest.fixture(scope="module")
def exercise_inputs():
    return {}


@pytest.mark.tooling  # check()'s own input handling: backend-independent, runs once (TensorFlow stage)
@pytest.mark.parametrize("exercise", _exercises())
def test_garbage_answers_are_never_accepted_and_check_never_raises(
    exercise, exercise_inputs, capsys
):
    if exercise not in exercise_inputs:
        exercise_inputs[exercise] = exercise._inputs()
    inputs = exercise_inputs[exercise]
    for kind, answer in _GARBAGE.items():
        exercise.check(answer, **inputs)
        out = capsys.readouterr().out
        assert "not yet" in out and "correct:" not in out.replace("not yet", ""), (kind, out[:300])
        assert len(out) < 1000, (kind, len(out))


def test_wrong_lesson_input_is_blamed_on_the_input_not_the_answer(capsys):
    from aehelpers.exercises import lesson06

    inputs = lesson06.q4._inputs() if lesson06.q4._make_inputs else {}
    name = next(iter(inputs))
    lesson06.q4.check(lesson06.q4._solution(**inputs), **{**inputs, name: None})
    out = capsys.readouterr().out
    assert f"`{name}` looks wrong" in out and f"pass the `{name}` your run built" in out, out


def test_bool_is_not_a_number_and_a_lying_str_is_not_a_name(capsys):
    from aehelpers.exercises import as_number, lesson02b

    for bad in (True, __import__("numpy").bool_(False), "0.5", [1.0, 2.0]):
        with pytest.raises(TypeError, match="expected one number"):
            as_number(bad)
    assert as_number(__import__("numpy").float32(0.25)) == 0.25
    inputs = lesson02b.q1._inputs()
    lesson02b.q1.check(_LyingStr("none"), **inputs)
    assert "not yet" in capsys.readouterr().out


# ----------------------------------------------------------------- page stride kept with the patches
def _pages_for_patches():
    import numpy as np

    return np.random.default_rng(0).random((2, 64, 96)).astype(np.float32)


def test_patches_carry_their_geometry_and_reconstruct_without_shape_or_stride():
    import numpy as np

    from aehelpers import documents

    pages = _pages_for_patches()
    patches = ae.extract_patches(pages, size=32, stride=24)
    assert patches.geometry == documents.PatchGeometry((2, 64, 96), 32, 24)
    assert patches[..., None].geometry == patches.geometry  # a channel axis keeps it
    np.testing.assert_allclose(ae.reconstruct_pages(patches), pages, atol=1e-6)
    np.testing.assert_allclose(
        ae.reconstruct_pages(patches[..., None], pages.shape, stride=24), pages, atol=1e-6
    )
    model_output = np.asarray(patches)  # what a model gives back: a plain array
    np.testing.assert_allclose(
        ae.reconstruct_pages(model_output, geometry=patches.geometry), pages, atol=1e-6
    )
    np.testing.assert_allclose(
        ae.reconstruct_pages(model_output, pages.shape, stride=24), pages, atol=1e-6
    )
    one = ae.extract_patches(pages[0], size=32, stride=32)
    assert ae.reconstruct_pages(one).shape == (64, 96)  # one page in, one page out
    assert not hasattr(documents, "_EXTRACTED")  # no session memory of what was cut


def test_two_cuts_with_the_same_count_each_refuse_the_other_stride():
    """Strides 24 and 31 cut the same 24 patches of 32x32: only the patches themselves can tell."""
    pages = _pages_for_patches()
    by_24, by_31 = ae.extract_patches(pages, 32, 24), ae.extract_patches(pages, 32, 31)
    assert len(by_24) == len(by_31) == 24
    with pytest.raises(
        ValueError, match="stride=31 but extract_patches cut these patches .* with stride 24"
    ):
        ae.reconstruct_pages(by_24, pages.shape, stride=31)
    with pytest.raises(ValueError, match="stride=24 but .* with stride 31"):
        ae.reconstruct_pages(by_31, pages.shape, stride=24)
    with pytest.raises(ValueError, match=r"shape=\(2, 96, 64\) but .*pages of shape \(2, 64, 96\)"):
        ae.reconstruct_pages(by_24, (2, 96, 64))


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda p: ae.reconstruct_pages(__import__("numpy").asarray(p)),
            "shape is missing: patches is a plain array",
        ),
        (
            lambda p: ae.reconstruct_pages(p[:10]),
            "patches holds 10 patches of size 16 but extract_patches cut these patches \\(154",
        ),
        (lambda p: ae.reconstruct_pages(p[:, :8, :8]), "patches holds 154 patches of size 8"),
        (
            lambda p: ae.reconstruct_pages(__import__("numpy").asarray(p), geometry=(2, 64, 96)),
            "geometry is a tuple",
        ),
        (
            lambda p: ae.reconstruct_pages(
                __import__("numpy").asarray(p)[:10], geometry=p.geometry
            ),
            "patches holds 10 patches",
        ),
    ],
    ids=[
        "plain-array-without-shape",
        "some-patches-dropped",
        "patches-cropped",
        "geometry-not-a-geometry",
        "geometry-of-other-patches",
    ],
)
def test_missing_or_inconsistent_patch_geometry_is_refused(call, message):
    patches = ae.extract_patches(_pages_for_patches(), size=16, stride=8)
    with pytest.raises((ValueError, TypeError), match=message):
        call(patches)


# ----------------------------------------------------------------- damaged MNIST / Fashion-MNIST files
def _npz_bytes(**override):
    import io

    import numpy as np

    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (30, 28, 28), dtype=np.uint8),
        "y_train": np.arange(30) % 10,
        "x_test": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        "y_test": np.arange(10),
    }
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{**arrays, **override})
    return buffer.getvalue()


def _zip_bytes(members):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _huge_npy_header():
    import io

    import numpy.lib.format as npy_format

    buffer = io.BytesIO()
    npy_format.write_array_header_1_0(
        buffer, {"descr": "|u1", "fortran_order": False, "shape": (10**9, 28, 28)}
    )
    return buffer.getvalue() + b"\0" * 100


def _damage(path, how):
    """Put a damaged file (or something that is not a file) at ``path``."""
    import gzip

    import numpy as np

    if how == "folder":
        path.mkdir()
    elif how == "dead link":
        path.symlink_to(path.parent / "gone")
    elif path.name == "mnist.npz":
        good = _npz_bytes()
        path.write_bytes(
            {
                "zero-byte": b"",
                "truncated": good[: len(good) // 2],
                "garbage": bytes(range(256)) * 20,
                "html": b"<html><body>Rate limit exceeded</body></html>",
                "gzipped": gzip.compress(good),
                "wrong shape": _npz_bytes(x_train=np.zeros((30, 784), np.uint8)),
                "members not arrays": _zip_bytes(
                    {f"{k}.npy": b"junk" for k in ("x_train", "y_train", "x_test", "y_test")}
                ),
                "huge header": _zip_bytes(
                    {
                        "x_train.npy": _huge_npy_header(),
                        "y_train.npy": b"",
                        "x_test.npy": b"",
                        "y_test.npy": b"",
                    }
                ),
            }[how]
        )
    else:
        good = gzip.compress(
            bytes([0, 0, 8, 3, 0, 0, 0, 50, 0, 0, 0, 28, 0, 0, 0, 28]) + bytes(50 * 784)
        )
        path.write_bytes(
            {
                "zero-byte": b"",
                "truncated": good[: len(good) // 2],
                "garbage": bytes(range(256)) * 20,
                "html": b"<html><body>Rate limit exceeded</body></html>",
                "not gzipped": gzip.decompress(good),
                "wrong shape": gzip.compress(
                    bytes([0, 0, 8, 3, 0, 0, 0, 50, 0, 0, 0, 27, 0, 0, 0, 27]) + bytes(50 * 729)
                ),
                "labels as images": gzip.compress(bytes([0, 0, 8, 1, 0, 0, 0, 50]) + bytes(50)),
            }[how]
        )


@pytest.fixture
def data_caches(tmp_path, monkeypatch):
    """An empty course cache, Keras cache and 'Debian package' folder, all under tmp_path."""
    from aehelpers import datasets

    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path / "course"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setattr(datasets, "DEBIAN_FASHION_MNIST", tmp_path / "debian" / "fashion-mnist")
    monkeypatch.setattr(datasets, "_SUBSET_NOTICE_SHOWN", [True])
    (tmp_path / "course").mkdir()
    return tmp_path


def _fashion_folder(folder):
    import gzip

    import numpy as np

    folder.mkdir(parents=True)
    for split, n in (("train", 50), ("t10k", 20)):
        images = (
            bytes([0, 0, 8, 3])
            + b"".join(d.to_bytes(4, "big") for d in (n, 28, 28))
            + bytes(n * 784)
        )
        labels = (
            bytes([0, 0, 8, 1])
            + n.to_bytes(4, "big")
            + (np.arange(n) % 10).astype(np.uint8).tobytes()
        )
        (folder / f"{split}-images-idx3-ubyte.gz").write_bytes(gzip.compress(images))
        (folder / f"{split}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(labels))
    return folder


_MNIST_DAMAGES = [
    "zero-byte",
    "truncated",
    "garbage",
    "html",
    "gzipped",
    "wrong shape",
    "members not arrays",
    "huge header",
    "folder",
    "dead link",
]


@pytest.mark.parametrize("where", ["course cache", "Keras cache"])
@pytest.mark.parametrize("how", _MNIST_DAMAGES)
def test_damaged_mnist_file_is_a_data_error_naming_it_and_the_fix(data_caches, capsys, where, how):
    folder = data_caches / ("course" if where == "course cache" else "keras-home/datasets")
    folder.mkdir(parents=True, exist_ok=True)
    _damage(folder / "mnist.npz", how)
    with pytest.raises(ae.DataError) as err:
        ae.load_mnist(download=False)  # never a third-party traceback, never the subset instead
    message = str(err.value)
    assert str(folder / "mnist.npz") in message, message
    assert (
        "Delete" in message
        and "python -m aehelpers.datasets" in message
        and "./course data" in message
    )
    assert "fashion" not in message.lower()  # the MNIST fix names no Fashion-MNIST package
    assert "SUBSET" not in capsys.readouterr().out


_FASHION_DAMAGES = [
    "zero-byte",
    "truncated",
    "garbage",
    "html",
    "not gzipped",
    "wrong shape",
    "labels as images",
    "folder",
    "dead link",
    "missing",
]


@pytest.mark.parametrize("how", _FASHION_DAMAGES)
def test_damaged_fashion_mnist_file_is_a_data_error_naming_it_and_the_fix(data_caches, how):
    folder = _fashion_folder(data_caches / "course" / "fashion-mnist")
    _fashion_folder(
        data_caches / "debian" / "fashion-mnist"
    )  # a good copy further down the list: not used
    path = folder / "train-images-idx3-ubyte.gz"
    path.unlink()
    if how != "missing":  # missing: 3 of the 4 files, as an interrupted copy leaves them
        _damage(path, how)
    with pytest.raises(ae.DataError) as err:
        ae.load_fashion_mnist(download=False)
    message = str(err.value)
    assert str(folder) in message and "train-images-idx3-ubyte.gz" in message, message
    assert (
        "Delete" in message
        and "python -m aehelpers.datasets" in message
        and "./course data" in message
    )


def test_course_cache_fashion_folder_that_is_a_file_is_a_data_error(data_caches):
    (data_caches / "course" / "fashion-mnist").write_text("not a folder")
    with pytest.raises(
        ae.DataError, match="fashion-mnist is a file; expected a folder holding the four"
    ):
        ae.load_fashion_mnist(download=False)


def test_damaged_file_of_the_debian_package_says_reinstall_it(data_caches):
    folder = _fashion_folder(data_caches / "debian" / "fashion-mnist")
    _damage_path = folder / "t10k-labels-idx1-ubyte.gz"
    _damage_path.write_bytes(_damage_path.read_bytes()[:20])
    with pytest.raises(
        ae.DataError,
        match="t10k-labels-idx1-ubyte.gz is truncated or corrupt.*apt-get install --reinstall",
    ):
        ae.load_fashion_mnist(download=False)


def test_prefetch_reports_a_damaged_cache_instead_of_calling_it_missing(data_caches):
    _damage(data_caches / "course" / "mnist.npz", "folder")
    with pytest.raises(ae.DataError, match="mnist.npz is a folder, not a file"):
        ae.prefetch(download=False)


def test_a_good_small_cache_still_loads(data_caches):
    (data_caches / "course" / "mnist.npz").write_bytes(_npz_bytes())
    _fashion_folder(data_caches / "course" / "fashion-mnist")
    assert len(ae.load_mnist(download=False).x_train) == 30
    assert len(ae.load_fashion_mnist(download=False).x_train) == 50


def test_keras_floor_is_a_release_without_the_known_load_model_advisories():
    """Keras releases before 3.13.2 have published advisories: a crafted .keras file runs code at load_model."""
    import re

    root = Path(__file__).resolve().parents[1]
    for name, pattern in (
        ("requirements.txt", r"^keras>=([\d.]+)"),
        ("pyproject.toml", r'"keras>=([\d.]+)'),
    ):
        found = re.search(pattern, (root / name).read_text(), re.MULTILINE)
        assert found, f"{name} has no keras floor"
        floor = tuple(int(part) for part in found.group(1).split("."))
        assert floor >= (3, 13, 2), (
            f"{name}: keras>={found.group(1)} allows releases with load_model advisories"
        )
