"""Unit tests of the course website's build pieces (tools/build_site.py, tools/execute_lessons.py, the
figure rule of tests/browser.py) and of the publishing workflow. No site is built here."""

import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.browser import draws_figure, figure_cells, missing_figures

pytestmark = pytest.mark.tooling  # backend-independent: runs once, in the TensorFlow stage

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9]*.ipynb"))


@pytest.fixture(scope="module")
def build():
    from tools import build_site

    return build_site


@pytest.fixture(scope="module")
def execute():
    from tools import execute_lessons

    return execute_lessons


def test_the_workflow_publishes_what_course_site_builds():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["tags"] == ["v*"] and "workflow_dispatch" in triggers
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    steps = flow["jobs"]["build"]["steps"]
    runs = [s["run"].strip() for s in steps if "run" in s]
    assert runs == ["./course site"], (
        f"the workflow must run the same command as a maintainer: {runs}"
    )
    assert any(s.get("with", {}).get("python-version") == "3.12" for s in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "build/site"
    assert any(
        s.get("uses", "").startswith("actions/deploy-pages")
        for s in flow["jobs"]["deploy"]["steps"]
    )


def test_the_tests_workflow_runs_every_session_of_course_test():
    """.github/workflows/tests.yml: every default nox session, each once, through ./course test."""
    import ast

    flow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8")
    )
    job = flow["jobs"]["tests"]
    stages = [s for entry in job["strategy"]["matrix"]["stages"] for s in entry.split()]
    noxfile = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    sessions = next(
        ast.literal_eval(node.value)
        for node in ast.walk(noxfile)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "nox.options.sessions"
    )
    assert sorted(stages) == sorted(sessions), (stages, sessions)
    assert stages.index("site") == stages.index("tensorflow") + 1  # site reads tensorflow's copies
    assert any(step.get("run") == "./course test" for step in job["steps"])
    assert job["env"]["COURSE_STAGES"] == "${{ matrix.stages }}" and job["env"]["CI"] == "true"


def test_course_site_runs_the_executor_then_the_build():
    """./course site and the tests' site stage are noxfile.py's sessions: executor, then build."""
    course = (ROOT / "course").read_text(encoding="utf-8")
    assert "nox_session website" in course
    assert "lint tensorflow site jax torch colab" in course
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert re.search(
        r'"tools\.execute_lessons", f"--\{mode\}"\)\n\s+session\.run\(python, "-m", "tools\.build_site", "--mode", mode\)',
        noxfile,
    )
    assert '["lint", "tensorflow", "site", "jax", "torch", "colab"]' in noxfile
    assert "COURSE_EXECUTED_DIR" in noxfile and "COURSE_SITE_DIR" in noxfile


@pytest.mark.parametrize(
    "code, draws",
    [
        ("plt.show()", True),
        ("fig = ae.plot_history(history)\nplt.show()", True),
        ("ae.show_reconstructions(x, {'AE': y})", True),
        ("ae.show_images(x[:10])", True),
        ("# plt.show()  (not here)", False),
        ("print(ae.pca_baseline(x, y, 8))", False),
        ("ax.plot(x, y)", False),  # a figure is drawn when it is shown
    ],
)
def test_the_figure_rule(code, draws):
    assert draws_figure(code) is draws


def test_every_lesson_draws_figures_by_the_rule():
    for path in LESSONS:
        assert figure_cells(nbformat.read(path, as_version=4)), (
            f"{path.name}: no cell draws a figure by FIGURE_CALL"
        )


def test_a_deleted_figure_output_is_missed():
    nb = nbformat.read(LESSONS[1], as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    shown = [1 if draws_figure(c.source) else 0 for c in code]
    assert missing_figures(nb, shown) == []
    first = figure_cells(nb)[0]
    shown[first] = 0  # the executed notebook lost that figure's output
    assert missing_figures(nb, shown) == [first]
    with pytest.raises(AssertionError, match="code cells"):
        missing_figures(nb, shown[:-1])  # a page whose cells do not line up with the lesson's


def test_every_lesson_has_a_title_and_learning_goals(build):
    for path in LESSONS:
        title, goals = build.title_and_goals(nbformat.read(path, as_version=4))
        assert title[:2] == path.stem[:2], f"{path.name}: title {title!r}"
        assert goals.strip(), f"{path.name}: no learning goals found in the first cell"
        assert "About " not in goals.splitlines()[-1] and "Lab time" not in goals


def test_every_check_cell_gets_its_solution(build):
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        checks = sum(
            len(re.findall(r"^\s*ex\.q\w+\.check\(", c.source, re.M))
            for c in nb.cells
            if c.cell_type == "code"
        )
        found = build.solution_cells(nb)
        assert sum(len(v) for v in found.values()) == checks, path.name
        assert all(code.strip() for items in found.values() for _, _, code in items), path.name


def test_a_staged_lesson_links_to_colab_and_the_download(build, tmp_path):
    source = LESSONS[1]
    (tmp_path / "lessons").mkdir()
    url, ref = build.read_links(ROOT)
    n = build.stage_lesson(source, source, tmp_path, url, ref)
    page = nbformat.read(tmp_path / "lessons" / source.name, as_version=4)
    first = page.cells[0].source
    assert "colab-badge.svg" not in first  # an external image a site without internet cannot load
    assert build.badge_url(url, ref, source.name) in first
    assert f"{{download}}`download the lesson <../downloads/{source.name}>`" in first
    dropdowns = [
        c for c in page.cells if c.cell_type == "markdown" and c.source.startswith("````{dropdown}")
    ]
    assert len(dropdowns) == n > 0


def _figure_cell(source, png=True, **metadata):
    cell = nbformat.v4.new_code_cell(source, metadata=metadata)
    if png:
        cell.outputs = [
            nbformat.v4.new_output(
                "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
            )
        ]
    return cell


def test_every_figure_gets_alt_text_from_the_lesson(build):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "Some set-up. Two examples of each **class**, with the name above each image:"
            ),
            _figure_cell(
                'ae.show_images(x, title=f"Fashion-MNIST: {len(x):,} training images")\nplt.show()'
            ),
            _figure_cell("plt.show()", alt="A hand-written description of the figure."),
            _figure_cell("print(1)", png=False),
        ]
    )
    assert build.add_alt_texts(nb) == 2
    alts = [c.metadata.get("mystnb", {}).get("image", {}).get("alt") for c in nb.cells[1:]]
    assert alts == [
        "Figure: Fashion-MNIST: … training images (Two examples of each class, with the name above "
        "each image:)",
        "A hand-written description of the figure.",
        None,
    ]


def test_every_figure_cell_of_every_lesson_has_a_title_or_an_introducing_sentence(build):
    """The alt text comes from the lesson, never the bare word 'Figure' (the site test counts the
    images without alt text on every built page)."""
    counted = 0
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        previous = ""
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                previous = cell.source
            elif draws_figure(cell.source):
                counted += 1
                assert build.figure_alt(cell, previous) != "Figure", (
                    f"{path.name}: {cell.source[:120]!r}"
                )
    assert counted >= len(LESSONS)


def test_executor_reuses_only_a_current_copy_in_the_same_mode(execute, tmp_path):
    from aehelpers.results import executed_copy, source_sha256

    source = tmp_path / "00_x.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    nbformat.write(nb, str(source))
    target = tmp_path / "out.ipynb"
    assert not execute.is_current(target, source, "fast")
    done = executed_copy(
        nb,
        {0: [nbformat.v4.new_output("stream", name="stdout", text="1\n")]},
        source_sha=source_sha256(source),
        mode="fast",
        backend="tensorflow",
        wall_s=1.234,
    )
    nbformat.write(done, str(target))
    assert execute.is_current(target, source, "fast")
    assert not execute.is_current(target, source, "full")
    nb.cells[0].source = "print(2)"  # the lesson changed
    nbformat.write(nb, str(source))
    assert not execute.is_current(target, source, "fast")


def test_executor_replaces_a_lessons_rows(execute, tmp_path):
    results = tmp_path / "results.jsonl"
    rows = [
        {"lesson": "01_a", "name": "x", "value": 1},
        {"lesson": "02_b", "name": "y", "value": 2},
    ]
    results.write_text("".join(json.dumps(r) + "\n" for r in rows))
    execute.drop_rows(results, "01_a")
    assert [json.loads(line)["lesson"] for line in results.read_text().splitlines()] == ["02_b"]


def test_lessons_option_picks_by_prefix(execute):
    assert [p.stem[:2] for p in execute.pick_lessons(["05", "06"])] == ["05", "06"]
    with pytest.raises(SystemExit, match="99"):
        execute.pick_lessons(["99"])


def test_full_build_prefers_committed_results_only_when_up_to_date(build, tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(build, "ROOT", tmp_path)
    own = tmp_path / "build" / "executed" / "full"
    own.mkdir(parents=True)
    (tmp_path / "results").mkdir()
    committed = tmp_path / "results" / "full-cpu.jsonl"
    committed.write_text("")
    copy = own / "01_a.ipynb"
    copy.write_text("{}")
    os.utime(copy, (1000, 1000))
    os.utime(committed, (2000, 2000))
    assert build.pick_results("full") == committed
    os.utime(copy, (3000, 3000))  # a lesson executed after the committed run
    assert build.pick_results("full") == own / "results.jsonl"
    assert build.pick_results("fast") == tmp_path / "build" / "executed" / "fast" / "results.jsonl"
