"""Table loaders: anomaly = label 1, normal-only training rows, train-only scaling, clear errors."""

import gzip

import numpy as np
import pytest

from aehelpers import DataError, tables


@pytest.fixture(scope="module")
def cancer():
    return tables.load_breast_cancer_table(seed=0)


@pytest.fixture(scope="module")
def shuttle():
    return tables.load_shuttle(n_rows=2000, seed=0)


def test_breast_cancer_marks_malignant_as_positive_class(cancer):
    from sklearn.datasets import load_breast_cancer

    malignant_share = np.mean(load_breast_cancer().target == 0)  # sklearn: 0 = malignant
    share = np.concatenate([cancer.y_val, cancer.y_test]).mean()
    assert cancer.positive == "malignant"
    assert abs(share - malignant_share) < 0.02


@pytest.mark.parametrize("name", ["cancer", "shuttle"])
def test_loader_returns_float32_features_and_binary_int_labels(name, request):
    data = request.getfixturevalue(name)
    for split in ("train", "val", "test"):
        x, y = getattr(data, f"x_{split}"), getattr(data, f"y_{split}")
        assert x.dtype == np.float32 and y.dtype == np.int64
        assert x.shape == (len(y), len(data.feature_names))
        assert set(np.unique(y)) <= {0, 1}
        assert np.all(np.isfinite(x))


@pytest.mark.parametrize("name", ["cancer", "shuttle"])
def test_training_split_holds_only_normal_rows_and_is_standardised_on_it(name, request):
    data = request.getfixturevalue(name)
    assert data.y_train.sum() == 0
    assert np.allclose(data.x_train.mean(axis=0), 0, atol=1e-4)
    # validation rows were not used for the scaling, so their mean is not exactly zero
    assert not np.allclose(data.x_val.mean(axis=0), 0, atol=1e-4)


def test_normal_only_false_keeps_anomalies_in_training_split():
    data = tables.load_breast_cancer_table(normal_only=False, seed=0)
    assert 0.3 < data.y_train.mean() < 0.45


def test_standardize_false_returns_raw_values():
    data = tables.load_breast_cancer_table(standardize=False, seed=0)
    assert data.x_train.max() > 100  # areas are in the hundreds
    assert np.all(data.std == 1)


def test_shuttle_keeps_the_rare_anomaly_share_in_every_evaluation_split(shuttle):
    for y in (shuttle.y_val, shuttle.y_test):
        assert 0.05 < y.mean() < 0.09


def test_loaders_print_source_counts_and_anomaly_share(capsys):
    tables.load_shuttle(n_rows=1000, seed=1)
    out = capsys.readouterr().out
    assert "aehelpers package data" in out and "anomalies" in out and "%" in out
    assert "normal rows only" in out


def test_split_is_reproducible_for_a_seed():
    a = tables.load_shuttle(n_rows=500, seed=3)
    b = tables.load_shuttle(n_rows=500, seed=3)
    assert np.array_equal(a.x_test, b.x_test) and np.array_equal(a.y_val, b.y_val)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"val_fraction": 0.0}, ValueError, "val_fraction must be in"),
        ({"test_fraction": 1.5}, ValueError, "test_fraction must be in"),
        ({"val_fraction": 0.5, "test_fraction": 0.5}, ValueError, "leaves almost no training rows"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
    ],
)
def test_bad_split_arguments_say_what_was_expected(kwargs, error, match):
    with pytest.raises(error, match=match):
        tables.load_breast_cancer_table(**kwargs)


@pytest.mark.parametrize("n_rows", [10, 10**6])
def test_shuttle_rejects_impossible_row_counts(n_rows):
    with pytest.raises(ValueError, match="n_rows must be"):
        tables.load_shuttle(n_rows=n_rows)


def _write(path, text):
    with gzip.open(path, "wt") as f:
        f.write(text)
    return path


def test_read_shuttle_rejects_a_truncated_file(tmp_path):
    good = _write(
        tmp_path / "good.csv.gz",
        "f1,f2,f3,f4,f5,f6,f7,f8,f9,anomaly\n" + "1,2,3,4,5,6,7,8,9,0\n" * 50,
    )
    bad = tmp_path / "bad.csv.gz"
    bad.write_bytes(good.read_bytes()[:-12])
    with pytest.raises(DataError, match="truncated or corrupt"):
        tables.read_shuttle_csv(bad)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("a,b,c\n1,2,3\n", "expected 'f1,f2"),
        ("f1,f2,f3,f4,f5,f6,f7,f8,f9,anomaly\n1,2,3,4,5,6,7,8,9\n", "not 10 numbers"),
        ("f1,f2,f3,f4,f5,f6,f7,f8,f9,anomaly\n1,2,3,4,5,6,7,8,x,0\n", "not 10 numbers"),
        ("f1,f2,f3,f4,f5,f6,f7,f8,f9,anomaly\n1,2,3,4,5,6,7,8,9,2\n", "other than 0 and 1"),
    ],
)
def test_read_shuttle_rejects_malformed_content(tmp_path, text, match):
    path = _write(tmp_path / "shuttle.csv.gz", text)
    with pytest.raises(DataError, match=match):
        tables.read_shuttle_csv(path)


def test_read_shuttle_reads_the_file_aehelpers_ships():
    x, y = tables.read_shuttle_csv(tables._packaged_shuttle_path())
    assert x.shape == (tables.SHUTTLE_ROWS, 9) and int(y.sum()) == tables.SHUTTLE_ANOMALIES


def test_course_cache_copy_wins_over_the_packaged_copy(tmp_path, monkeypatch, capsys):
    rows = "".join(f"{i},{i % 7},{i % 5},1,2,3,4,5,6,{int(i % 10 == 0)}\n" for i in range(300))
    _write(tmp_path / "shuttle.csv.gz", "f1,f2,f3,f4,f5,f6,f7,f8,f9,anomaly\n" + rows)
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path))
    data = tables.load_shuttle(seed=0)
    out = capsys.readouterr().out
    assert "course cache" in out and "NOTE: this file holds 300 rows" in out
    assert len(data.y_val) + len(data.y_test) + len(data.y_train) <= 300


def test_missing_shuttle_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path))
    monkeypatch.setattr(tables, "_packaged_shuttle_path", lambda: tmp_path / "nowhere.csv.gz")
    with pytest.raises(DataError, match="Reinstall aehelpers"):
        tables.load_shuttle()
