"""Browser test of the handout (`./course handout`): the student edition of lesson 00 in JupyterLab.

Headless Chromium opens the student edition (fast mode), clicks Run > Run All Cells, and checks
that every exercise's check says "not attempted" (the learner's cells are left empty) and that no
cell shows an error; then the instructor edition, where every check says "correct" with the
reference answer filled in. Skips (fails in CI) without chromium / chromedriver / selenium, as
tests/test_browser_lab.py.
"""

import os
import re
from pathlib import Path

import pytest

from tests.browser import chrome, jupyter_lab, require_browser, run_all_in_lab, widgets_major

ROOT = Path(__file__).resolve().parents[1]
SHORT = "00_setup_and_tour"


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    if backend != "tensorflow":
        pytest.skip(f"the handout's browser run is in the TensorFlow stage, not on {backend}")
    major = widgets_major()
    if major is None or major < 8:
        pytest.skip(
            f"JupyterLab 4 with ipywidgets 8 is this test's environment; installed ipywidgets: {major or 'none'}"
        )
    chromium, driver = require_browser()
    from tools import handout

    root = tmp_path_factory.mktemp("handout")
    handout.build(["student", "instructor"], [SHORT], out=root)
    return {"root": root, "chromium": chromium, "driver": driver}


def _run_all(editions, name, shots):
    """Open the edition in its own JupyterLab (so no restored tab takes the Run All), Run All
    Cells, wait; return (check outputs, error outputs)."""
    from selenium.webdriver.common.by import By

    path = f"{SHORT}.ipynb"
    with (
        jupyter_lab(editions["root"] / name, env={"AEHELPERS_FAST": "1"}) as lab,
        chrome(editions["chromium"], editions["driver"]) as browser,
    ):
        run_all_in_lab(
            browser,
            f"{lab['url']}/lab/tree/{path}?token={lab['token']}",
            shots / f"handout_{name}.png",
        )
        outputs = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output")]
        checks = [t for t in outputs if re.search(r"\[[qQ]\d[^\]]*\] [✔✘○] ", t)]
        errors = [t for t in outputs if "Traceback" in t]
        return checks, errors


def test_student_edition_runs_with_every_exercise_open_and_instructor_edition_with_every_check_correct(
    editions, tmp_path
):
    shots = Path(os.environ.get("AEHELPERS_BROWSER_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    checks, errors = _run_all(editions, "student", shots)
    assert not errors, f"error output in the student edition: {[e[:300] for e in errors[:3]]}"
    assert len(checks) >= 3 and all("not attempted" in c for c in checks), checks
    done, errors = _run_all(editions, "instructor", shots)
    assert not errors, f"error output in the instructor edition: {[e[:300] for e in errors[:3]]}"
    assert len(done) == len(checks) and all("✔ correct" in c for c in done), done
    print(
        f"handout in JupyterLab: student edition {len(checks)} checks 'not attempted', instructor edition all correct"
    )
