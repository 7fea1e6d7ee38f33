"""Settings live in aehelpers.environment, read strictly; record() never breaks a lesson."""

import json
import math
import warnings

import numpy as np
import pytest

import aehelpers as ae
from aehelpers import environment, results


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_fast_mode_accepts_the_documented_on_values(monkeypatch, value):
    monkeypatch.setenv("AEHELPERS_FAST", value)
    assert ae.is_fast() and ae.budget(full=30, fast=2) == 2 and ae.fit_verbosity() == 0


@pytest.mark.parametrize("value", ["", "0", "false", "No", "off"])
def test_fast_mode_accepts_the_documented_off_values(monkeypatch, value):
    monkeypatch.setenv("AEHELPERS_FAST", value)
    assert not ae.is_fast() and ae.budget(full=30, fast=2) == 30


@pytest.mark.parametrize(
    "var, call",
    [
        ("AEHELPERS_FAST", lambda: ae.budget(full=3, fast=1)),
        ("AEHELPERS_OFFLINE", environment.is_offline),
    ],
)
@pytest.mark.parametrize("value", ["2", "maybe", "fast"])
def test_a_flag_with_another_value_says_which_values_are_understood(monkeypatch, var, call, value):
    monkeypatch.setenv(var, value)
    with pytest.raises(
        ValueError, match=f"{var}='{value}' is not understood; expected one of 1, true"
    ):
        call()


def test_settings_collects_every_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("AEHELPERS_RESULTS", str(tmp_path / "r.jsonl"))
    monkeypatch.setenv("AEHELPERS_OFFLINE", "1")
    s = ae.settings()
    assert s["fast_mode"] is True and s["offline"] is True
    assert s["data_dir"] == str(tmp_path / "data") and s["results_file"] == str(
        tmp_path / "r.jsonl"
    )
    from aehelpers import datasets

    assert datasets.data_dir() == environment.data_dir() == tmp_path / "data"  # one definition


def _rows(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_record_converts_numpy_values_and_writes_nan_inside_a_list_as_null(monkeypatch, tmp_path):
    path = tmp_path / "results.jsonl"
    monkeypatch.setenv("AEHELPERS_RESULTS", str(path))
    ae.record("ratio", np.float32(1.5))
    ae.record("per_class", np.array([0.5, np.inf, 0.25]))
    ae.record("counts", {"a": np.int64(3), "b": [np.float64(0.5)]})
    rows = _rows(path)  # json.loads would fail on a bare NaN
    assert [r["value"] for r in rows] == [1.5, [0.5, None, 0.25], {"a": 3, "b": [0.5]}]


@pytest.mark.parametrize("value", [float("nan"), np.float32("inf"), np.array(np.nan)])
def test_record_refuses_a_claim_whose_number_is_nan_or_infinite(monkeypatch, tmp_path, value):
    """A NaN claim (a diverged model) was written as null without a word (wrong-call sweep)."""
    path = tmp_path / "results.jsonl"
    monkeypatch.setenv("AEHELPERS_RESULTS", str(path))
    with pytest.raises(
        ValueError, match="record\\('ratio', value\\): the value is .*not a finite number"
    ):
        ae.record("ratio", value)
    assert not path.exists()


def test_record_converts_a_backend_tensor():
    import keras

    path_free = ae.record("tensor", keras.ops.mean(keras.ops.ones((3,))))
    assert path_free is None


def test_record_refuses_big_arrays_and_odd_objects_clearly():
    with pytest.raises(ValueError, match="value holds 10,000 numbers"):
        ae.record("x", np.zeros((100, 100)))
    with pytest.raises(TypeError, match="value has type object"):
        ae.record("x", object())
    with pytest.raises(TypeError, match="note must be a str"):
        ae.record("x", 1.0, note=3)


@pytest.mark.parametrize("kind", ["relative", "inside lessons", "unwritable"])
def test_record_with_an_unusable_results_path_warns_once_and_keeps_going(
    monkeypatch, tmp_path, kind, capsys
):
    monkeypatch.chdir(tmp_path)
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    target = {
        "relative": "results.jsonl",
        "inside lessons": str(tmp_path / "lessons" / "r.jsonl"),
        "unwritable": str(blocker / "sub" / "r.jsonl"),
    }[kind]
    monkeypatch.setenv("AEHELPERS_RESULTS", target)
    monkeypatch.setenv("AEHELPERS_RECORD_PRINT", "1")
    monkeypatch.setitem(environment._state, "warned", set())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ae.record("a", 1.0)
        ae.record("b", 2.0)
    assert len(caught) == 1 and "AEHELPERS_RESULTS" in str(caught[0].message)
    assert "[record] b = 2" in capsys.readouterr().out
    assert not (tmp_path / "results.jsonl").exists() and not (tmp_path / "lessons").exists()


def test_workdir_refuses_names_that_leave_it():
    for name in ("/etc", "../escape", "", 3):
        with pytest.raises(ValueError, match="expected a relative folder name"):
            ae.workdir(name)


def test_nan_is_not_a_finite_float_in_records():
    assert results._jsonable(math.inf) is None and results._jsonable(-0.5) == -0.5


@pytest.mark.parametrize(
    ("full", "fast"),
    [("30", 2), (30, (2,)), ({"a": 1}, 1), (True, 2)],
    ids=["str-int", "int-tuple", "dict-int", "bool-int"],
)
def test_budget_refuses_two_kinds_of_value(full, fast):
    """budget('30', 2) returned '30' in full mode and 2 in fast mode without a word (wrong-call sweep)."""
    with pytest.raises(
        TypeError, match="budget\\(full=..., fast=...\\) takes two values of one kind"
    ):
        ae.budget(full=full, fast=fast)


@pytest.mark.parametrize(
    ("full", "fast"), [(None, 10_000), (100.0, None), (30, 2.5), (np.int64(3), 2), ((0, 1), [0])]
)
def test_budget_takes_none_for_either_and_numbers_of_any_type(full, fast):
    assert ae.budget(full=full, fast=fast) == fast  # the tests run in fast mode


@pytest.mark.parametrize("lesson", [3, "", ("01",)])
def test_setup_refuses_a_lesson_name_that_is_not_a_name(lesson):
    with pytest.raises(TypeError, match="lesson must be the lesson's name"):
        ae.setup(seed=0, lesson=lesson)
