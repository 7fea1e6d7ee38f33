"""One results table (tools/results.py): the README's numbers are the committed full run's, never typed by hand."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools import results

pytestmark = pytest.mark.tooling  # backend-independent: runs once, in the TensorFlow stage

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = results.COMMITTED
REGENERATE = (
    "`./course results` (a full run), or `python -m tools.results readme results/full-cpu.jsonl`"
)


def _row(lesson, name, value, baseline=None, fast=False, elapsed=1.0, note=""):
    return {
        "lesson": lesson,
        "name": name,
        "value": value,
        "baseline": baseline,
        "fast_mode": fast,
        "elapsed_s": elapsed,
        "note": note,
    }


def _full_run(fast=False):
    """A synthetic complete run: every lesson, its headline records and one lesson_wall_s row."""
    rows = []
    for i, lesson in enumerate(results.lesson_stems()):
        for j, (name, _) in enumerate(results.HEADLINES.get(lesson, [])):
            rows.append(
                _row(
                    lesson,
                    name,
                    0.123456789 * (i + 1) + j,
                    baseline="PCA-32 = 1" if j else 0.5,
                    fast=fast,
                )
            )
        rows.append(
            _row(lesson, "extra_dict", {"0.01": 1.23456, "0.1": [1, 2.5]}, fast=fast, note="a | b")
        )
        rows.append(
            _row(
                lesson,
                "lesson_wall_s",
                60.0 + i,
                fast=fast,
                elapsed=60.0 + i,
                note="Test CPU @ 2GHz, 2 cores, keras 3.13, tensorflow",
            )
        )
    return rows


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _block(text):
    return results.split_readme(text)[1]


# ---------------------------------------------------------------- the README against the committed run


def test_readme_block_is_generated_from_the_committed_full_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if COMMITTED.is_file():
        diff = results.readme(results.load(COMMITTED), check=True)
        assert not diff, (
            f"README.md's results block disagrees with {COMMITTED.name}; regenerate with {REGENERATE}:\n{diff}"
        )
    else:  # no run committed yet: the block may hold no number at all (it fails, never skips, if it does)
        assert _block(readme) == results.readme_block(None), (
            f"README.md's results block holds numbers but {COMMITTED.relative_to(ROOT)} is missing: run `./course results`"
        )


def test_readme_check_command_agrees():
    if (
        not COMMITTED.is_file()
    ):  # nothing to compare with: the block must be the placeholder (checked above)
        assert _block((ROOT / "README.md").read_text(encoding="utf-8")) == results.readme_block(
            None
        )
        return
    done = subprocess.run(
        [sys.executable, "-m", "tools.results", "readme", str(COMMITTED), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_committed_run_is_complete_and_names_every_headline():
    if not COMMITTED.is_file():
        assert set(results.HEADLINES) <= set(results.lesson_stems()), (
            "HEADLINES names a lesson that does not exist"
        )
        assert _block((ROOT / "README.md").read_text(encoding="utf-8")) == results.readme_block(
            None
        )
        return
    rows = results.load(COMMITTED)
    assert results.validate_full_run(rows) == [], (
        f"{COMMITTED.name} is not one complete full run of lessons/"
    )
    chosen = results.headline_rows(rows)  # raises naming any headline record the file lacks
    assert set(chosen) == set(results.HEADLINES)
    assert COMMITTED.read_text(encoding="utf-8") == results.dumps(rows), (
        "the committed file is not in its sorted, stable form"
    )


def test_no_lesson_number_typed_by_hand_in_the_readme():
    """Outside the generated block, the README's lesson section quotes no measured number."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    before, _, after = results.split_readme(readme)
    section = (before + after).split("## Lessons", 1)[1].split("\n## ", 1)[0]
    measured = re.findall(
        r"\b\d+\.\d{2,}\b|\b\d+(?:\.\d+)?\s?%|\b\d+(?:\.\d+)?x\b|\b\d+(?:\.\d+)? (?:dB|nats|minutes|min)\b",
        section,
    )
    assert not measured, (
        f"numbers typed by hand in README.md's lesson section (generate them instead): {measured}"
    )


# ---------------------------------------------------------------- page and timings on a small synthetic file


def test_page_and_timings(tmp_path, capsys):
    rows = [
        _row(
            "01_linear_autoencoder",
            "linear_ae_over_pca_mse",
            1.00487601855,
            baseline="PCA-32 = 1",
            elapsed=14.73,
        ),
        _row("01_linear_autoencoder", "knn", 0.5, baseline=0.123456789, note="costs $5 | more"),
        _row(
            "01_linear_autoencoder",
            "lesson_wall_s",
            41.0,
            elapsed=41.0,
            note="Test CPU @ 2GHz, 2 cores, keras 3.13, tensorflow",
        ),
        _row("00_setup_and_tour", "by_rho", {"0.01": 1.234567, "0.1": [2, 3.0]}),
        _row(
            "00_setup_and_tour",
            "lesson_wall_s",
            23.8,
            elapsed=23.8,
            note="Test CPU @ 2GHz, 2 cores, keras 3.13, jax",
        ),
    ]
    source = _write(tmp_path / "results.jsonl", rows)
    out = tmp_path / "site" / "results.md"
    assert results.main(["page", str(source), str(out)]) == 0, (
        capsys.readouterr().err
    )  # in-process: no Keras start-up
    page = out.read_text(encoding="utf-8")
    assert (
        "**full mode**" in page
        and "Test CPU @ 2GHz, 2 cores" in page
        and "jax" not in page.split("\n\n")[1].split("|")[0]
    )
    assert (
        page.count("| claim | value | baseline | mode | seconds | note |") == 2
    )  # one table per lesson
    assert "## 00_setup_and_tour" in page and "## 01_linear_autoencoder" in page
    lines = page.splitlines()
    first = [i for i, line in enumerate(lines) if "00_setup_and_tour" in line]
    assert (
        len(first) == 1
        and lines.index(next(x for x in lines if "01_linear_autoencoder" in x)) > first[0]
    ), "grouped by lesson"
    assert "| 1.005 | PCA-32 = 1 | full | 14.7 |" in page  # 4 significant digits
    assert "| 0.5 | 0.1235 |" in page and "costs \\$5 \\| more" in page
    assert "{0.01: 1.235, 0.1: [2, 3]}" in page
    assert page.count("lesson wall time (s)") == 2

    capsys.readouterr()
    assert results.main(["timings", str(source)]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "00_setup_and_tour": 23.8,
        "01_linear_autoencoder": 41.0,
    }

    fast = _write(tmp_path / "fast.jsonl", [{**r, "fast_mode": True} for r in rows])
    assert results.main(["page", str(fast), str(out)]) == 0
    assert "**fast mode**" in out.read_text(encoding="utf-8")


def test_a_missing_results_file_or_bad_line_is_a_clear_error(tmp_path):
    with pytest.raises(results.ResultsError, match="no results file"):
        results.load(tmp_path / "nope.jsonl")
    (tmp_path / "bad.jsonl").write_text('{"lesson": "x"}\n')
    with pytest.raises(results.ResultsError, match="expected the fields"):
        results.load(tmp_path / "bad.jsonl")


# ---------------------------------------------------------------- commit and the README block


def test_commit_writes_a_sorted_file_and_the_readme_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{results.BEGIN}\nold\n{results.END}\n\nafter\n", encoding="utf-8")
    rows = _full_run()
    target = tmp_path / "results" / "full-cpu.jsonl"
    shuffled = [
        r for lesson in reversed(results.lesson_stems()) for r in rows if r["lesson"] == lesson
    ]
    shuffled.sort(
        key=lambda r: r["name"] != "lesson_wall_s"
    )  # lesson_wall_s rows first, as an executor might
    results.commit(shuffled, target=target, readme_path=readme)
    expected = "".join(
        json.dumps(r) + "\n" for r in rows
    )  # by lesson, recorded order, lesson_wall_s last
    assert target.read_text(encoding="utf-8") == expected == results.dumps(shuffled), (
        "sorted and stable whatever the lesson order"
    )
    text = readme.read_text(encoding="utf-8")
    assert (
        text.startswith("# x\n\n")
        and text.endswith(f"{results.END}\n\nafter\n")
        and "old" not in text
    )
    assert results.readme(results.load(target), check=True, path=readme) == ""
    block = _block(text)
    for lesson, items in results.HEADLINES.items():
        assert f"(lessons/{lesson}.ipynb)" in block
        for _, what in items:
            assert results.cell(what) in block
    assert (
        "0.1235 | 0.5 | 1.0 |" in block
    )  # lesson 00's first headline, its baseline, 60 s = 1.0 min
    # a changed number makes --check fail with a diff
    changed = [
        dict(r, value=0.999) if r["name"] == results.HEADLINES["01_linear_autoencoder"][0][0] else r
        for r in rows
    ]
    diff = results.readme(changed, check=True, path=readme)
    assert diff and "0.999" in diff


@pytest.mark.parametrize("damage", ["fast", "missing_lesson", "duplicate", "nan", "missing_wall"])
def test_commit_refuses_an_incomplete_or_fast_run(tmp_path, damage):
    rows = _full_run()
    if damage == "fast":
        rows[0] = dict(rows[0], fast_mode=True)
        match = "fast-mode rows"
    elif damage == "missing_lesson":
        rows = [r for r in rows if r["lesson"] != "03_sparse_autoencoder"]
        match = "without a lesson_wall_s row.*03_sparse_autoencoder"
    elif damage == "duplicate":
        rows.append(dict(rows[0]))
        match = "duplicate rows"
    elif damage == "nan":
        rows[1] = dict(rows[1], value={"a": None})
        match = "NaN"
    else:
        rows = [
            r
            for r in rows
            if not (r["lesson"] == "07_dimensionality_reduction" and r["name"] == "lesson_wall_s")
        ]
        match = "without a lesson_wall_s row.*07_dimensionality_reduction"
    target = tmp_path / "full-cpu.jsonl"
    readme = tmp_path / "README.md"
    readme.write_text(f"{results.BEGIN}\n{results.END}\n")
    with pytest.raises(results.ResultsError, match=match):
        results.commit(rows, target=target, readme_path=readme)
    assert not target.exists() and readme.read_text() == f"{results.BEGIN}\n{results.END}\n"


def test_commit_of_some_lessons_keeps_the_committed_rows_of_the_others(tmp_path, capsys):
    """`./course results --lessons 04` in a fresh checkout: lesson 04's new rows replace its old ones,
    every other lesson keeps its committed rows, and the file is what a whole run would write."""
    target = tmp_path / "full-cpu.jsonl"
    old = _full_run()
    results.commit(old, target=target, readme_path=None)
    rerun = "04_overcomplete_autoencoder"
    new = [
        dict(r, value=0.5) if r["name"] != "lesson_wall_s" else r
        for r in old
        if r["lesson"] == rerun
    ]
    results.commit(new, target=target, readme_path=None)
    written = results.load(target)
    assert [r for r in written if r["lesson"] == rerun] == new
    assert [r for r in written if r["lesson"] != rerun] == [r for r in old if r["lesson"] != rerun]
    assert "kept the committed rows of" in capsys.readouterr().out
    # without a committed file, a run of one lesson is still refused as incomplete
    with pytest.raises(results.ResultsError, match="without a lesson_wall_s row"):
        results.commit(new, target=tmp_path / "none.jsonl", readme_path=None)


def test_commit_refuses_a_run_without_a_headline_record(tmp_path):
    missing = results.HEADLINES["08_anomaly_detection"][0][0]
    rows = [r for r in _full_run() if r["name"] != missing]
    with pytest.raises(results.ResultsError, match=f"08_anomaly_detection: {missing}"):
        results.commit(rows, target=tmp_path / "full-cpu.jsonl", readme_path=tmp_path / "README.md")
    assert not (tmp_path / "full-cpu.jsonl").exists()


def test_readme_quotes_full_runs_only():
    with pytest.raises(results.ResultsError, match="full run only"):
        results.readme_block(_full_run(fast=True))


def test_cli_commit_exit_status(tmp_path, capsys):
    source = _write(tmp_path / "fast.jsonl", _full_run(fast=True))
    assert (
        results.main(["commit", str(source)]) == 1 and "fast-mode rows" in capsys.readouterr().err
    )


def test_page_shows_the_spread_over_seeds_beside_a_value(tmp_path):
    rows = [
        _row(
            "02_undercomplete_autoencoder", "dense_ae32_over_pca32", 0.5441, baseline="PCA-32 = 1"
        ),
        _row("02_undercomplete_autoencoder", "by_k", {"2": 0.6}),
        _row(
            "02_undercomplete_autoencoder",
            "lesson_wall_s",
            181.0,
            note="Test CPU, 2 cores, keras 3.15, tensorflow",
        ),
    ]
    spread = {
        "lesson": "02_undercomplete_autoencoder",
        "name": "dense_ae32_over_pca32",
        "n": 3,
        "mean": 0.55,
        "min": 0.5441,
        "max": 0.5612,
        "seeds": [42, 43, 44],
        "backends": ["tensorflow"],
    }
    source = _write(tmp_path / "results.jsonl", rows)
    spreads = results.load_spreads(
        _write(tmp_path / "spread.jsonl", [spread, {**spread, "name": "one", "n": 1}])
    )
    assert list(spreads) == [("02_undercomplete_autoencoder", "dense_ae32_over_pca32")]
    text = results.page(rows, source, spreads)
    assert (
        "| 0.5441 (0.5441-0.5612 over 3 seeds) | PCA-32 = 1 |" in text
        and "(42, 43, 44: `./course spread`," in text
    )
    assert "| {2: 0.6} |" in text  # a dict value: no spread
    assert results.spread_file(source, rows) is None  # a results file outside the checkout has none
    assert "over 3 seeds" not in results.page(rows, source)
