"""Browser test of a learner's first day: JupyterLab (as `./course lab` starts it) runs lesson 01.

Headless Chromium opens a copy of lesson 01 in JupyterLab (fast mode), clicks Run > Run All Cells
(the command ``notebook:run-all-cells``), waits until the kernel is idle and every code cell has
an execution count, and checks that no cell shows an error and that figures are shown.
Skips (fails in CI) without chromium / chromedriver / selenium, as tests/test_browser_explorer.py.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser import chrome, jupyter_lab, require_browser, run_all_in_lab, widgets_major

ROOT = Path(__file__).resolve().parents[1]
LESSON = next((ROOT / "lessons").glob("01_*.ipynb"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    if backend != "tensorflow":  # lesson 01's own run on each backend is tests' nbval run
        pytest.skip(f"the learner's day-one path runs in the TensorFlow stage, not on {backend}")
    major = widgets_major()
    if major is None or major < 8:  # the Colab-versions stage (ipywidgets 7, no selenium)
        pytest.skip(
            f"JupyterLab 4 with ipywidgets 8 is this test's environment; installed ipywidgets: {major or 'none'}"
        )
    chromium, driver = require_browser()
    root = tmp_path_factory.mktemp("lab01")
    shutil.copy(LESSON, root / LESSON.name)
    with jupyter_lab(root, env={"AEHELPERS_FAST": "1"}) as server:
        yield {**server, "chromium": chromium, "driver": driver, "root": root}


def test_run_all_on_lesson_01_in_jupyterlab(lab, tmp_path):
    from selenium.webdriver.common.by import By

    shots = Path(os.environ.get("AEHELPERS_BROWSER_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with chrome(lab["chromium"], lab["driver"]) as browser:
        run_all_in_lab(
            browser,
            f"{lab['url']}/lab/tree/{LESSON.name}?token={lab['token']}",
            shots / "lab_lesson01.png",
        )
        n_cells = len(browser.find_elements(By.CSS_SELECTOR, ".jp-CodeCell"))
        stderr = [
            e.text
            for e in browser.find_elements(
                By.CSS_SELECTOR,
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
            )
        ]
        errors = [t for t in stderr if "Traceback" in t or "Error" in t]
        images = browser.execute_script(
            "return [...document.querySelectorAll('.jp-OutputArea-output img')].filter(i => i.naturalWidth > 0).length"
        )
        print(
            f"lesson 01 in JupyterLab: {n_cells} code cells run, {images} figures, {len(stderr)} stderr outputs; "
            f"screenshot {shots / 'lab_lesson01.png'}"
        )
        assert not errors, f"error output after Run All: {[e[:300] for e in errors[:3]]}"
        assert images >= 1, "lesson 01 showed no figure after Run All"
