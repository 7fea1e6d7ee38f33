"""What each lesson asks of a learner, counted from the committed lessons (issue 21's table).

    .venv/bin/python -m tools.accounting [LESSON...]     # a markdown table; e.g. 00 01 02

Per lesson:

- **core words / deeper words**: words of prose and code (as ``./course handout`` counts them)
  in the core path and in the "Going deeper" sections (a ``## Going deeper...`` heading starts
  one, which the next ``##`` heading ends; a ``### Going deeper...`` one ends at the next
  ``###`` or ``##``). Exercises and summary count in neither;
- **Keras / other code lines**: non-blank, non-comment code lines of the core path and the
  "Going deeper" sections; a Keras line builds, compiles, fits or calls a model or a Keras
  layer, loss, optimiser, regulariser or callback (``KERAS_RE``); "other" is everything
  else (data, baselines, measuring, asserts, printing, figures);
- **asserts** and **figures** (cells that show one) in the same cells;
- **lab time**: the lesson header's (``./course handout --labtimes``: reading at 200 words a
  minute, each exercise's declared minutes and the measured full run);
- **exercises**: how many of each kind its lesson module declares (``set_levels``): *decision*
  (choose or predict, then measure), *new code* (Keras code the lesson has not shown) or
  *other*.
"""

import re
import sys
from collections import Counter

import nbformat

from tools.handout import ROOT, _words, exercise_module, is_exercise_cell, stated_lab_time

KERAS_RE = re.compile(
    r"\bkeras\.|\blayers\.|\bops\.|\.fit\(|\.compile\(|\.predict\(|\.evaluate\(|\bModel\(|"
    r"\bSequential\(|\bae\.\w*(autoencoder|encoder|decoder|VAE)\w*\("
)
FIGURE_RE = re.compile(r"plt\.show\(\)|\bae\.(show|plot)_\w+\(")
PARTS = ("core", "deeper", "exercises")


def _part(heading, current, deeper_level):
    """(part, level at which the current "Going deeper" began) after a ``##``/``###`` heading."""
    level, text = len(heading[0]), heading[1].lower()
    if text.startswith("going deeper"):
        return "deeper", level
    if level == 2:
        return ("exercises" if text.startswith(("exercises", "summary")) else "core"), None
    if current == "deeper" and deeper_level == 3:  # a "### Going deeper" ends at the next ###
        return "core", None
    return current, deeper_level


def count_lesson(nb):
    """(Counter of core_words, deeper_words, keras_lines, other_lines, asserts, figures,
    lab_min; Counter of exercise kinds) of one lesson notebook."""
    counts = Counter()
    part, deeper_level = "core", None
    for cell in nb.cells:
        if "instructor" in cell.metadata.get("tags", []):
            continue
        match = re.search(r"^(#{2,3}) (.+)$", cell.source, re.M)
        if cell.cell_type == "markdown" and match:
            part, deeper_level = _part(match.groups(), part, deeper_level)
        if part == "exercises" or is_exercise_cell(cell):
            continue
        counts[f"{part}_words"] += _words(cell.source)
        if cell.cell_type != "code":
            continue
        lines = [
            line
            for line in cell.source.splitlines()
            if line.strip() and not line.lstrip().startswith(("#", "%", "!"))
        ]
        keras = sum(bool(KERAS_RE.search(line)) for line in lines)
        counts["keras_lines"] += keras
        counts["other_lines"] += len(lines) - keras
        counts["asserts"] += sum(line.lstrip().startswith("assert ") for line in lines)
        counts["figures"] += bool(FIGURE_RE.search(cell.source))
    module = exercise_module(nb)
    kinds = Counter(
        getattr(getattr(module, name, None), "kind", None) or "undeclared"
        for name in sorted(vars(module) if module else ())
        if re.fullmatch(r"q\d+", name)
    )
    counts["lab_min"] = stated_lab_time(nb) or 0
    return counts, kinds


def table(prefixes=None):
    """The markdown table of every lesson in lessons/ (or of those whose names start with one of
    ``prefixes``, e.g. ["00", "02b"])."""
    rows = [
        "| lesson | core words | deeper words | Keras lines | other lines | asserts | figures "
        "| lab time | exercises (decision / new code / other) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    paths = sorted((ROOT / "lessons").glob("*.ipynb"))
    if prefixes:
        paths = [p for p in paths if p.stem.startswith(tuple(f"{x}_" for x in prefixes))]
        if not paths:
            raise SystemExit(f"no lesson starts with {', '.join(prefixes)} (e.g. 00, 02b)")
    for path in paths:
        counts, kinds = count_lesson(nbformat.read(str(path), as_version=4))
        exercises = " / ".join(str(kinds[k]) for k in ("decision", "new code", "other"))
        if kinds["undeclared"]:
            exercises += f" ({kinds['undeclared']} undeclared)"
        rows.append(
            f"| {path.stem} | {counts['core_words']:,} | {counts['deeper_words']:,} "
            f"| {counts['keras_lines']} | {counts['other_lines']} | {counts['asserts']} "
            f"| {counts['figures']} | {counts['lab_min']} min | {exercises} |"
        )
    return "\n".join(rows)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    print(table(argv or None))


if __name__ == "__main__":
    main()
