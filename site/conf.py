"""Sphinx configuration of the course website (staged into build/site-src/ by tools/build_site.py).

The pages are the lessons as executed by the test run or by tools/execute_lessons.py; Sphinx
never executes a notebook (nb_execution_mode = "off"). MathJax is served from the site itself
(sphinx-mathjax-offline), so maths renders with no internet.
"""

import json
from pathlib import Path

BUILD = json.loads((Path(__file__).parent / "course-build.json").read_text(encoding="utf-8"))

project = "Autoencoders in Keras"
author = "the course authors"
copyright = "the course authors (MIT licence)"
extensions = ["myst_nb", "sphinx_design", "sphinx-mathjax-offline"]
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["downloads/**", "course-build.json", "**.ipynb_checkpoints"]
html_theme = "sphinx_book_theme"
html_title = "Autoencoders in Keras"
html_favicon = "favicon.svg"
html_context = {"default_mode": "light"}  # pydata-sphinx-theme logs an error when no mode is set
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "repository_url": BUILD["repository"],
    "use_repository_button": True,
    "show_toc_level": 2,
}
if BUILD["mode"] == "fast":
    html_theme_options["announcement"] = (
        "Fast-mode build: the lessons ran with shortened budgets (AEHELPERS_FAST=1), so the numbers, "
        "figures and timings here are fast-mode numbers, not the course's full runs."
    )
