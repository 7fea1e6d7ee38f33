"""Shared pieces of the browser tests: headless Chromium (Debian's chromium + chromedriver via
selenium), JupyterLab and static-site servers, pixels, and the rule for "this cell draws a figure".

Nothing downloads a browser: ``./course test`` installs Debian's packages (``setup_browser``).
Where they are missing a test skips saying why; in CI (``CI=true``) it fails instead.
"""

import contextlib
import functools
import http.server
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy

# A code cell draws a figure when it calls plt.show() or one of aehelpers' plotting helpers
# (ae.show_images, ae.show_reconstructions, ae.plot_history, ...). The one place this is defined.
FIGURE_CALL = re.compile(r"^[^#\n]*\b(?:plt\.show|ae\.(?:show_\w+|plot_\w+))\(", re.M)


def draws_figure(code):
    """Does this code cell's source draw a figure (see FIGURE_CALL)?"""
    return bool(FIGURE_CALL.search(code))


def figure_cells(nb):
    """Positions (0-based, among the code cells) of the code cells of ``nb`` that draw a figure."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return [i for i, c in enumerate(code) if draws_figure(c.source)]


def missing_figures(nb, images_per_code_cell):
    """Code-cell positions that draw a figure but show no image (``images_per_code_cell``: the page's count per cell)."""
    n_code = sum(c.cell_type == "code" for c in nb.cells)
    if len(images_per_code_cell) != n_code:
        raise AssertionError(
            f"the page shows {len(images_per_code_cell)} code cells, the lesson has {n_code}"
        )
    return [i for i in figure_cells(nb) if images_per_code_cell[i] < 1]


def widgets_major():
    try:
        import ipywidgets
    except ImportError:
        return None
    return int(ipywidgets.__version__.split(".")[0])


def _browser():
    """(chromium, chromedriver, what is missing)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        Path("/usr/bin/chromedriver").exists() and "/usr/bin/chromedriver"
    )
    missing = [
        n
        for n, ok in (("chromium", chromium), ("chromium-driver (chromedriver)", driver))
        if not ok
    ]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    return chromium, driver, missing


def lab_browser_tests_run():
    """Do the JupyterLab browser tests run here (a browser, selenium and ipywidgets 8)?"""
    major = widgets_major()
    return not _browser()[2] and major is not None and major >= 8


def require_browser():
    """(chromium, chromedriver) paths, or skip (fail in CI) saying what is missing."""
    chromium, driver, missing = _browser()
    if missing:
        message = f"browser test needs {', '.join(missing)}: run ./course test (setup_browser) or apt-get install chromium chromium-driver"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return chromium, driver


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def chrome(chromium, driver, width=1400, height=1000):
    """A headless Chromium driven by selenium, with the browser console log captured."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--no-proxy-server",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield browser
    finally:
        browser.quit()


@contextlib.contextmanager
def jupyter_lab(root, env=None):
    """JupyterLab (as `./course lab` starts it) on ``root``: yields {"url", "token"}."""
    port, token = free_port(), "aehelpers-browser-test"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(Path(root) / ".jupyter"),
        "AEHELPERS_FAST": "1",
        **(env or {}),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.open_browser=False",
            "--allow-root",
            "--LabApp.news_url=",
        ],  # (CI runs as root)
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                DIRECT.open(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("JupyterLab did not start within 120 s")
        yield {"url": url, "token": token}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def static_server(directory):
    """A local http.server on ``directory`` (in a thread): yields its base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def pixels(png):
    """An image's pixels (h, w, channels) in [0, 1] from PNG bytes."""
    import matplotlib.image

    return matplotlib.image.imread(io.BytesIO(png), format="png")


def blankness(png):
    """(pixel standard deviation, share of pixels that are not near-white) of a screenshot."""
    img = pixels(png)[..., :3]
    return float(img.std()), float(np.mean(img.min(axis=-1) < 0.9))


def run_all_in_lab(browser, url, screenshot):
    """Open ``url`` (a notebook in JupyterLab), wait for the kernel, Run All Cells from the Run
    menu, and wait until every code cell has an execution count and the kernel is idle again.
    A screenshot is saved to ``screenshot`` (a Path) whatever happens."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    wait = WebDriverWait(browser, 180)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")))
    wait.until(
        lambda b: "Idle" in b.find_element(By.ID, "jp-main-statusbar").text
    )  # the kernel has started
    wait.until(
        ec.element_to_be_clickable(
            (By.XPATH, "//div[contains(@class,'lm-MenuBar-itemLabel') and text()='Run']")
        )
    ).click()
    wait.until(
        ec.element_to_be_clickable(
            (By.XPATH, "//div[contains(@class,'lm-Menu-itemLabel') and text()='Run All Cells']")
        )
    ).click()

    def finished(b):
        prompts = [
            e.text for e in b.find_elements(By.CSS_SELECTOR, ".jp-CodeCell .jp-InputArea-prompt")
        ]
        done = prompts and all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts)
        return done and "Idle" in b.find_element(By.ID, "jp-main-statusbar").text

    try:
        WebDriverWait(browser, 900, poll_frequency=2).until(finished)
    finally:
        browser.save_screenshot(str(screenshot))
