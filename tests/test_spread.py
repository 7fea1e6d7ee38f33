"""ae.compare: a learner's number against the course's measured full-mode spread."""

import json
from pathlib import Path

import pytest

import aehelpers as ae
from aehelpers import spread

pytestmark = pytest.mark.tooling  # backend-independent: runs once, in the TensorFlow stage

ROOT = Path(__file__).resolve().parents[1]
ROW = {
    "lesson": "02_undercomplete_autoencoder",
    "name": "dense_ae32_over_pca32",
    "n": 3,
    "mean": 0.5428,
    "min": 0.5412,
    "max": 0.5441,
    "seeds": [42, 43, 44],
    "backends": ["tensorflow"],
    "versions": ["keras 3.15.1, tensorflow"],
    "mode": "full",
}


@pytest.fixture
def table(tmp_path, monkeypatch):
    path = tmp_path / "spread.jsonl"
    failed = {"lesson": ROW["lesson"], "name": "assert failed: cell 24", "n": 1, "failures": []}
    path.write_text(json.dumps(ROW) + "\n" + json.dumps(failed) + "\n{cut sho", encoding="utf-8")
    monkeypatch.setenv("AEHELPERS_FAST", "0")
    monkeypatch.setitem(spread._state, "lesson", ROW["lesson"])
    return path


def test_inside_the_range(table, capsys):
    assert ae.compare("dense_ae32_over_pca32", 0.543, spread=table) == "inside"
    assert (
        capsys.readouterr().out.strip()
        == "0.543: inside the course's range 0.541-0.544 (3 seeds, CPU)"
    )


def test_outside_says_what_usually_causes_it(table, capsys):
    assert ae.compare("dense_ae32_over_pca32", 0.571, spread=table) == "outside"
    out = capsys.readouterr().out
    assert out.startswith("0.571: outside the course's range 0.541-0.544 (3 seeds, CPU), above it.")
    assert (
        "another seed (the course used 42, 43, 44)" in out
        and "keras 3.15.1" in out
        and "budget" in out
    )


def test_a_timing_outside_blames_a_busy_machine_first(table, tmp_path, capsys):
    row = dict(ROW, name="lesson_wall_s", min=181.1, max=600.0)
    table.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert ae.compare("lesson_wall_s", 900, spread=table) == "outside"
    assert "What usually causes that: a busy or slower machine" in capsys.readouterr().out


def test_unknown_claim_lists_the_measured_ones(table, capsys):
    assert ae.compare("no_such_claim", 1.0, spread=table) == "unknown"
    out = capsys.readouterr().out
    assert "no measured range for 'no_such_claim'" in out and "dense_ae32_over_pca32" in out
    assert "assert failed" not in out  # rows without a min and max are not claims


def test_fast_mode_is_not_compared(table, monkeypatch, capsys):
    monkeypatch.setenv("AEHELPERS_FAST", "1")
    assert ae.compare("dense_ae32_over_pca32", 0.9, spread=table) == "fast"
    assert "fast mode (AEHELPERS_FAST)" in capsys.readouterr().out


def test_value_defaults_to_the_last_recorded_one(table, monkeypatch, capsys):
    monkeypatch.delenv("AEHELPERS_RESULTS", raising=False)
    ae.record("dense_ae32_over_pca32", 0.5420)
    assert ae.compare("dense_ae32_over_pca32", spread=table) == "inside"
    assert capsys.readouterr().out.startswith("0.542: inside")


@pytest.mark.parametrize(
    "call, token",
    [
        (lambda: ae.compare("", 1.0), "name"),
        (lambda: ae.compare("never_recorded_here"), "value"),
        (lambda: ae.compare("x", "0.5"), "value"),
        (lambda: ae.compare("x", [1, 2]), "value"),
    ],
)
def test_bad_input_names_the_argument(call, token):
    with pytest.raises((ValueError, TypeError), match=token):
        call()


def test_shipped_spread_equals_the_results_table():
    """Colab installs aehelpers from git: its copy of the spread must be the measured one."""
    measured = ROOT / "results" / "spread-full-cpu.jsonl"
    if not measured.exists():
        pytest.skip("no results/spread-full-cpu.jsonl in this checkout")
    assert spread.SPREAD_FILE.read_bytes() == measured.read_bytes(), (
        "aehelpers/data/spread-full-cpu.jsonl differs from results/: cp results/spread-full-cpu.jsonl aehelpers/data/"
    )


def test_shipped_spread_has_claims_of_several_lessons():
    lessons = {lesson for lesson, _ in spread.load_spread()}
    assert len(lessons) >= 2
