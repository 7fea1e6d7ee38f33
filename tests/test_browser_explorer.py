"""Browser test: JupyterLab in headless Chromium runs the explorer demo, a slider moves, the image changes.

Needs Debian's ``chromium`` and ``chromium-driver`` (``./course test`` installs them with
``setup_browser``) and the ``selenium`` package; nothing downloads a browser. Outside CI the
test skips, saying why, when they are missing; in CI (``CI=true``) it fails instead.
"""

import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from tests.browser import chrome, jupyter_lab, pixels, require_browser, widgets_major

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "tests" / "notebooks" / "latent_explorer_demo.ipynb"
# Backend-independent (the demo decodes with scikit-learn's PCA; no Keras model runs): once, in the
# TensorFlow stage. The explorer's Keras decoding is tested on every backend by test_explorer.py.
pytestmark = pytest.mark.tooling


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    # First: an environment without JupyterLab's widgets (the stage with Colab's versions,
    # ipywidgets 7.7.1, and no selenium) is not the one this test is for, in CI too.
    major = widgets_major()
    if major is None or major < 8:
        pytest.skip(
            f"JupyterLab 4 renders ipywidgets 8; installed: {major or 'none'} (Colab's 7.x is covered by test_explorer.py)"
        )
    chromium, driver = require_browser()
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(DEMO, root / DEMO.name)
    with jupyter_lab(root) as server:
        yield {**server, "chromium": chromium, "driver": driver, "root": root}


def test_dragging_a_slider_changes_the_decoded_image(lab, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    shots = Path(os.environ.get("AEHELPERS_BROWSER_SHOTS", tmp_path))
    with chrome(lab["chromium"], lab["driver"]) as browser:
        browser.get(f"{lab['url']}/lab/tree/{DEMO.name}?token={lab['token']}")
        wait = WebDriverWait(browser, 180)
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")))
        wait.until(
            lambda b: "Idle" in b.find_element(By.ID, "jp-main-statusbar").text
        )  # the kernel has started
        run_menu = wait.until(
            ec.element_to_be_clickable(
                (By.XPATH, "//div[contains(@class,'lm-MenuBar-itemLabel') and text()='Run']")
            )
        )
        run_menu.click()
        wait.until(
            ec.element_to_be_clickable(
                (By.XPATH, "//div[contains(@class,'lm-Menu-itemLabel') and text()='Run All Cells']")
            )
        ).click()
        image = wait.until(
            ec.visibility_of_element_located(
                (By.CSS_SELECTOR, ".jupyter-widgets img, .widget-image")
            )
        )
        handle = wait.until(
            ec.visibility_of_element_located(
                (By.CSS_SELECTOR, ".widget-slider .noUi-handle, .widget-slider .ui-slider-handle")
            )
        )
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", handle)
        time.sleep(2)  # let the first image load
        before = image.screenshot_as_png
        browser.save_screenshot(str(shots / "explorer_before.png"))
        ActionChains(browser).click_and_hold(handle).move_by_offset(80, 0).release().perform()
        changed, after = False, before
        for _ in range(60):  # the kernel decodes, then the image updates
            time.sleep(0.5)
            after = image.screenshot_as_png
            a, b = pixels(before), pixels(after)
            if a.shape != b.shape or np.abs(a - b).max() > 0.05:
                changed = True
                break
        browser.save_screenshot(str(shots / "explorer_after.png"))
        outputs = " ".join(
            e.text for e in browser.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output")
        )
        errors = browser.find_elements(
            By.CSS_SELECTOR,
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
        )
        assert changed, "dragging the z1 slider did not change the decoded image"
        assert "Traceback" not in outputs and "Error" not in outputs, (
            f"error output in the notebook: {outputs[:500]}"
        )
        assert not errors, f"stderr output in the notebook: {[e.text for e in errors][:3]}"
        slider_values = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".widget-readout")]
        print(f"slider readouts after the drag: {slider_values[:2]}; image changed: {changed}")
