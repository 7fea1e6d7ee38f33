import json

import numpy as np
import pytest

import aehelpers as ae


def test_fast_mode_is_on_under_the_tests():
    assert ae.is_fast()


@pytest.mark.parametrize(
    "value, expected", [("1", True), ("true", True), ("0", False), ("", False)]
)
def test_fast_mode_reads_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("AEHELPERS_FAST", value)
    assert ae.is_fast() is expected
    assert ae.budget(full=30, fast=2) == (2 if expected else 30)


def test_budget_allows_none_for_all_samples(monkeypatch):
    monkeypatch.setenv("AEHELPERS_FAST", "0")
    assert ae.budget(full=None, fast=1000) is None


def test_setup_prints_one_line_with_backend_device_and_mode(capsys):
    info = ae.setup(seed=3, lesson="test_lesson")
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    assert info["backend"] in out and "FAST" in out and "ae.settings()" in out
    assert info["fast_mode"] is True and info["seed"] == 3
    details = ae.settings()  # the details, one call away
    assert details["backend"] == info["backend"] and details["devices"] == info["devices"]
    assert details["seed"] == 3 and details["keras"] == info["keras"]


def test_setup_verbose_prints_versions_seed_data_and_devices(capsys):
    info = ae.setup(seed=3, verbose=True)
    out = capsys.readouterr().out
    assert str(info["data_dir"]) in out and "seed: 3" in out and f"NumPy {info['numpy']}" in out
    with pytest.raises(TypeError, match="verbose must be True or False"):
        ae.setup(seed=3, verbose="yes")


@pytest.mark.parametrize("seed", [-1, 1.5, "42", True])
def test_setup_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        ae.setup(seed=seed)


def test_setup_makes_runs_repeatable():
    import numpy as np

    ae.setup(seed=7)
    a = np.random.random(3)  # noqa: NPY002 (the legacy global generator is what setup seeds)
    ae.setup(seed=7)
    assert np.array_equal(a, np.random.random(3))  # noqa: NPY002


def test_record_appends_a_json_line_with_the_lesson(tmp_path, monkeypatch, capsys):
    path = tmp_path / "results.jsonl"
    monkeypatch.setenv("AEHELPERS_RESULTS", str(path))
    ae.setup(seed=0, lesson="01_linear_autoencoder")
    capsys.readouterr()
    ae.record("ratio", 1.0024)
    ae.record("angle", 0.2, note="degrees")
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["name"] for r in rows] == ["ratio", "angle"]
    assert rows[0]["lesson"] == "01_linear_autoencoder" and rows[0]["value"] == 1.0024
    assert rows[1]["note"] == "degrees" and rows[0]["fast_mode"] is True
    assert capsys.readouterr().out == ""  # silent by default: the lesson prints its numbers
    ae.record("angle", 0.2, note="degrees", show=True)
    assert "[record] angle = 0.2  (degrees)" in capsys.readouterr().out


def test_record_keeps_the_baseline_it_was_measured_against(tmp_path, monkeypatch, capsys):
    path = tmp_path / "results.jsonl"
    monkeypatch.setenv("AEHELPERS_RESULTS", str(path))
    monkeypatch.setenv("AEHELPERS_RECORD_PRINT", "1")  # echo, as a benchmark run may want
    ae.setup(seed=0, lesson="05_denoising_autoencoder")
    ae.record("dae_psnr_db", np.float32(23.25), baseline=np.float64(21.5))
    ae.record("ae_over_pca_mse", 0.8, baseline="PCA-32 = 1")
    ae.record("no_baseline", 2)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["baseline"] for r in rows] == [21.5, "PCA-32 = 1", None]
    assert "[record] dae_psnr_db = 23.25 vs 21.5" in capsys.readouterr().out
    with pytest.raises(TypeError, match="baseline must be a number or a str"):
        ae.record("x", 1.0, baseline=[1.0, 2.0])
    ae.record(
        "nan_baseline", 1.0, baseline=float("nan")
    )  # a baseline that failed never breaks a lesson
    assert json.loads(path.read_text().splitlines()[-1])["baseline"] is None


def test_record_without_results_file_only_prints(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("AEHELPERS_RESULTS", raising=False)
    monkeypatch.chdir(tmp_path)
    ae.record("x", 3, show=True)
    assert "[record] x = 3" in capsys.readouterr().out
    with pytest.raises(TypeError, match="show must be True, False or None"):
        ae.record("x", 3, show="yes")
    assert list(tmp_path.iterdir()) == []


def test_record_rejects_empty_name():
    with pytest.raises(ValueError, match="non-empty name"):
        ae.record("", 1.0)


def test_workdir_is_outside_lessons():
    path = ae.workdir("scratch")
    assert path.is_dir() and "lessons" not in path.parts


def test_setup_prints_the_devices_keras_sees(capsys):
    info = ae.setup(seed=0, verbose=True)
    out = capsys.readouterr().out
    assert info["devices"] and all(":" in d for d in info["devices"])
    assert "devices: " + ", ".join(info["devices"]) in out


def test_setup_on_colab_without_gpu_says_how_to_get_one(monkeypatch, capsys):
    import sys
    import types

    from aehelpers import session

    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(session, "_devices", lambda keras: ["cpu:0"])
    ae.setup(seed=0)
    assert "Runtime > Change runtime type" in capsys.readouterr().out
    monkeypatch.setattr(session, "_devices", lambda keras: ["gpu:0", "cpu:0"])
    ae.setup(seed=0)
    assert "Change runtime type" not in capsys.readouterr().out


def test_setup_stops_a_lesson_on_a_backend_it_does_not_support():
    import keras

    current = keras.backend.backend()
    other = next(b for b in ("tensorflow", "jax", "torch") if b != current)
    with pytest.raises(RuntimeError, match=f"runs on the {other} backend.*KERAS_BACKEND={other}"):
        ae.setup(seed=0, backends=(other,))
    assert ae.setup(seed=0, backends=(other, current))["backend"] == current


@pytest.mark.parametrize("backends", [(), ("tf",), 3, ("jax", "pytorch")])
def test_setup_rejects_unknown_backend_names(backends):
    with pytest.raises(ValueError, match="backends must be a tuple of names"):
        ae.setup(seed=0, backends=backends)


def test_seed_is_k_in_the_lessons_own_run(monkeypatch):
    import numpy as np

    monkeypatch.delenv("AEHELPERS_SEED", raising=False)
    ae.setup(seed=42)
    assert [ae.seed(k) for k in (0, 1, 1000)] == [0, 1, 1000]
    assert ae.seed(np.int64(7)) == 7 and type(ae.seed(np.int64(7))) is int
    ae.setup(seed=11)  # a lesson with its own seed: still k
    assert ae.seed(3) == 3


def test_aehelpers_seed_overrides_setup_and_moves_every_seed(monkeypatch, capsys):
    import numpy as np

    monkeypatch.setenv("AEHELPERS_SEED", "43")
    info = ae.setup(seed=42)
    assert info["seed"] == 43 and "seed: 43" in capsys.readouterr().out
    assert ae.seed(0) == 1000 and ae.seed(5) == 1005
    a = np.random.random(3)  # noqa: NPY002 (the legacy global generator is what setup seeds)
    monkeypatch.delenv("AEHELPERS_SEED")
    ae.setup(seed=42)
    assert not np.array_equal(a, np.random.random(3)) and ae.seed(5) == 5  # noqa: NPY002
    monkeypatch.setenv("AEHELPERS_SEED", "41")
    ae.setup(seed=42)
    assert 0 <= ae.seed(0) < 2**31 and ae.seed(0) == 2**31 - 1000


@pytest.mark.parametrize("raw", ["x", "-1", "4.5"])
def test_aehelpers_seed_must_be_a_non_negative_int(monkeypatch, raw):
    monkeypatch.setenv("AEHELPERS_SEED", raw)
    with pytest.raises(ValueError, match="AEHELPERS_SEED"):
        ae.setup(seed=42)


@pytest.mark.parametrize(
    "k, error", [(1.0, TypeError), ("1", TypeError), (True, TypeError), (-1, ValueError)]
)
def test_seed_refuses_non_integers(k, error):
    with pytest.raises(error, match="k must be"):
        ae.seed(k)
