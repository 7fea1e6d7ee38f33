"""./course spread's aggregation (tools/spread.py): per claim n, mean, min, max over seeds; failures named."""

from pathlib import Path

import pytest

from tools import spread

pytestmark = pytest.mark.tooling  # backend-independent: runs once, in the TensorFlow stage

ROOT = Path(__file__).resolve().parents[1]


def _rows(value, extra=()):
    return [
        {"lesson": "02_x", "name": "ratio", "value": value, "baseline": "PCA = 1"},
        {"lesson": "02_x", "name": "by_k", "value": {"2": value * 2}},
        *extra,
        {
            "lesson": "02_x",
            "name": "lesson_wall_s",
            "value": 10.0,
            "note": "cpu, 2 cores, keras 3.15.1, tensorflow",
        },
    ]


def test_aggregate_gives_each_claims_spread_over_seeds():
    failed = {
        "lesson": "02_x",
        "name": "assert failed: cell 7",
        "value": None,
        "error": "AssertionError: worst/best 1.15",
    }
    broken = {
        "lesson": "02_x",
        "name": "assert failed: cell 9",
        "value": None,
        "error": "ImportError: no module x",
    }
    runs = {
        (42, "tensorflow"): _rows(0.5),
        (43, "tensorflow"): _rows(0.6, [failed, broken]),
        (44, "tensorflow"): _rows(0.7),
    }
    rows = {r["name"]: r for r in spread.aggregate("02_x", runs, "full")}
    ratio = rows["ratio"]
    assert (
        ratio["n"] == 3
        and ratio["min"] == 0.5
        and ratio["max"] == 0.7
        and abs(ratio["mean"] - 0.6) < 1e-12
    )
    assert (
        ratio["seeds"] == [42, 43, 44]
        and ratio["backends"] == ["tensorflow"]
        and ratio["baseline"] == "PCA = 1"
    )
    assert (
        ratio["versions"] == ["keras 3.15.1, tensorflow"]
        and ratio["values"]["43/tensorflow"] == 0.6
    )
    assert rows["by_k[2]"]["max"] == 1.4
    assert rows["assert failed: cell 7"]["failures"] == [
        {"seed": 43, "backend": "tensorflow", "error": failed["error"]}
    ]
    assert "error: cell 9" in rows and "assert failed: cell 9" not in rows


def test_lesson_seed_is_read_from_the_setup_call():
    assert spread.lesson_seed(ROOT / "lessons" / "02_undercomplete_autoencoder.ipynb") == 42
    assert spread.lesson_seed(ROOT / "lessons" / "11_sequence_autoencoders.ipynb") == 11
