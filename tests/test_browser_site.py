"""Browser test of the course website (the fast build of `./course site --fast`).

The site stage of ``./course test`` builds the site and sets ``COURSE_SITE_DIR``; without it
these tests are deselected (conftest.py), so they never skip silently where the site was built.
A local http.server serves the site and headless Chromium checks every lesson page: no SEVERE
console error, every image loaded, the maths rendered by MathJax, every code cell that draws a
figure (tests/browser.py: FIGURE_CALL, read from the stripped lesson) shows one, every internal
link resolves, and a screenshot of one lesson page is not blank.
"""

import os
import urllib.parse
from pathlib import Path

import nbformat
import pytest

from tests.browser import DIRECT, blankness, chrome, missing_figures, require_browser, static_server

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9]*.ipynb"))
pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def site():
    site_dir = Path(
        os.environ["COURSE_SITE_DIR"]
    )  # set by the site stage (conftest deselects otherwise)
    assert (site_dir / "index.html").is_file(), (
        f"no built site in {site_dir}: run ./course site --fast"
    )
    chromium, driver = require_browser()
    with static_server(site_dir) as url, chrome(chromium, driver) as browser:
        yield {"url": url, "dir": site_dir, "browser": browser, "visited": {}}


def _open(site, path):
    """Load a page; wait for MathJax; return what the page shows (read once per page)."""
    if path in site["visited"]:
        return site["visited"][path]
    browser = site["browser"]
    browser.get_log("browser")  # drop older console lines
    browser.get(f"{site['url']}/{path}")
    browser.set_script_timeout(120)
    browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const wait = () => (window.MathJax && MathJax.startup && MathJax.startup.promise)
            ? MathJax.startup.promise.then(() => done(true)) : done(false);
        if (document.readyState === 'complete') wait(); else window.addEventListener('load', wait);
    """)
    # scroll through the page so that any lazily loaded image loads
    browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; });
        const imgs = [...document.images];
        Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; }))).then(() => done(true));
    """)
    seen = browser.execute_script("""
        const cells = [...document.querySelectorAll('div.cell')];
        return {
          broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
          images: document.images.length,
          perCell: cells.map(c => c.querySelectorAll('.cell_output img').length),
          noAlt: [...document.querySelectorAll('.cell_output img')].filter(i => !(i.alt || '').trim()).length,
          maths: document.querySelectorAll('.math').length,
          rendered: document.querySelectorAll('mjx-container').length,
          links: [...document.querySelectorAll('a[href], img[src], link[href], script[src]')]
                   .map(e => e.href || e.src),
        };
    """)
    seen["severe"] = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    site["visited"][path] = seen
    return seen


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_page_loads_with_its_figures_and_maths(site, lesson):
    page = site["dir"] / "lessons" / f"{lesson.stem}.html"
    assert page.is_file(), f"no page for {lesson.name} in the built site"
    seen = _open(site, f"lessons/{lesson.stem}.html")
    assert not seen["severe"], f"console errors on {lesson.stem}: {seen['severe'][:3]}"
    assert not seen["broken"], f"images that did not load on {lesson.stem}: {seen['broken'][:3]}"
    assert seen["noAlt"] == 0, (
        f"{lesson.stem}: {seen['noAlt']} of {sum(seen['perCell'])} figures have no alt text"
    )
    missing = missing_figures(nbformat.read(lesson, as_version=4), seen["perCell"])
    assert not missing, (
        f"{lesson.stem}: code cells {missing} (0-based among code cells) draw a figure but the page shows none"
    )
    if seen["maths"]:
        assert seen["rendered"] >= seen["maths"], (
            f"{lesson.stem}: {seen['maths']} maths elements, {seen['rendered']} rendered by MathJax"
        )
    print(
        f"{lesson.stem}: {seen['images']} images ({sum(seen['perCell'])} figures, all with alt text), "
        f"{seen['rendered']} maths rendered"
    )


def test_some_lesson_has_maths_rendered(site):
    rendered = {p.stem: _open(site, f"lessons/{p.stem}.html")["rendered"] for p in LESSONS[:3]}
    assert any(rendered.values()), f"no MathJax output on the first lessons: {rendered}"


def test_home_and_results_pages_and_internal_links(site):
    pages = ["index.html", "results.html"] + [f"lessons/{p.stem}.html" for p in LESSONS]
    links = set()
    for path in pages:
        seen = _open(site, path)
        assert not seen["severe"], f"console errors on {path}: {seen['severe'][:3]}"
        links.update(
            urllib.parse.urldefrag(u)[0] for u in seen["links"] if u.startswith(site["url"])
        )
    bad = []
    for url in sorted(links):
        try:
            status = DIRECT.open(url, timeout=10).status
        except OSError as err:
            status = getattr(err, "code", str(err))
        if status != 200:
            bad.append((url, status))
    assert not bad, f"{len(bad)} internal links do not resolve: {bad[:5]}"
    print(f"{len(pages)} pages, {len(links)} internal links, all HTTP 200")


def test_screenshot_of_a_lesson_page_is_not_blank(site, tmp_path):
    lesson = next(p for p in LESSONS if p.stem.startswith("01"))
    browser = site["browser"]
    site["visited"].pop(f"lessons/{lesson.stem}.html", None)  # load it again: the browser is on it
    _open(site, f"lessons/{lesson.stem}.html")
    images = browser.find_elements("css selector", "div.cell_output img")
    assert images, "lesson 01's page shows no figure"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", images[0])
    shots = Path(
        os.environ.get("AEHELPERS_BROWSER_SHOTS", tmp_path)
    )  # the site stage keeps them in build/
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / f"{lesson.stem}.png"
    browser.save_screenshot(str(shot))
    std, ink = blankness(shot.read_bytes())
    print(f"screenshot {shot}: pixel std {std:.3f}, non-white share {ink:.3f}")
    assert std > 0.05 and ink > 0.02, (
        f"the screenshot {shot} looks blank (pixel std {std:.3f}, non-white share {ink:.3f})"
    )
