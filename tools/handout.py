"""`./course handout [--student|--instructor] [LESSON...]`: the two editions of the lessons.

From the committed lessons (lessons/*.ipynb, as git has them, so an edit in progress never
leaks into a handout) it writes, into build/handout/<edition>/:

- **student**: the exercise cells as the learner meets them (``answer = ...`` and the check),
  with every pointer to a reference solution removed (``ex.qN.solution()`` lines and the
  sentences that mention it), and the cells tagged ``instructor`` (the folded "what would make
  each assert fail" notes) dropped. The checks stay: they say *correct*, *not yet* (and why) or
  *not attempted*.
- **instructor**: the lesson with the instructor notes (instructor/NN_name.md) after the title,
  a per-section timing table computed from the lesson (reading at 200 words a minute, a stated
  number of minutes per exercise, the full-mode run time measured in results/full-cpu.jsonl),
  the instructor folds opened, and each exercise cell filled in with its reference solution
  (the code ``ex.qN.solution()`` prints, run on the lesson's own inputs) between nbgrader's
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers, so every check passes when run.

Why nbformat transforms and nbgrader's conventions, not nbgrader itself: the lessons keep their
reference solutions in the package (aehelpers/exercises/lessonNN.py, where the tests run them
and every known-wrong answer), not in the notebooks, so the usual nbgrader source (a notebook
holding the solutions) does not exist to start from; and nbgrader brings a server, a database
and a course directory layout that a handout does not need. The transforms are a few lines of
nbformat. The instructor edition does use nbgrader's format: each exercise cell carries
nbgrader's cell metadata (``{"nbgrader": {"solution": true, "grade_id": "q1", ...}}``) and
solution markers, so an instructor who uses nbgrader can run ``nbgrader generate_assignment``
on it and get an equivalent student version.

Limit, said plainly: the student edition holds no solution code, but the installed package
does (``ex.qN.solution()`` still prints one when a learner types it), as the course is built.
"""

import argparse
import ast
import importlib
import inspect
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat

from aehelpers.results import WALL, read_rows

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "handout"
NOTES = ROOT / "instructor"
RESULTS = ROOT / "results" / "full-cpu.jsonl"
WORDS_PER_MINUTE = 200  # reading speed for prose and code
MINUTES_PER_EXERCISE = (
    10  # for an exercise without a declared time (set_levels in its lesson module)
)
CHECK_RE = re.compile(r"\bex\.(q\d+)\.check\(")
EDITION_KEY = "course_edition"


class HandoutError(Exception):
    """A lesson the transforms do not understand: nothing is half written for it."""


# -- reading the committed lessons --------------------------------------------------------
def committed_lessons(names=None, root=ROOT):
    """{stem: notebook} of lessons/*.ipynb as committed (HEAD), or as on disk outside git."""
    try:
        listed = subprocess.run(
            ["git", "ls-tree", "--name-only", "HEAD", "lessons/"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        texts = {
            Path(p).stem: subprocess.run(
                ["git", "show", f"HEAD:{p}"], cwd=root, capture_output=True, text=True, check=True
            ).stdout
            for p in listed
            if p.endswith(".ipynb")
        }
    except (OSError, subprocess.CalledProcessError):
        texts = {
            p.stem: p.read_text(encoding="utf-8")
            for p in sorted((root / "lessons").glob("*.ipynb"))
        }
    if names:
        wanted = {Path(n).stem for n in names}
        unknown = sorted(wanted - set(texts))
        if unknown:
            raise HandoutError(
                f"no committed lesson named {', '.join(unknown)}; known: {', '.join(sorted(texts))}"
            )
        texts = {k: v for k, v in texts.items() if k in wanted}
    return {stem: nbformat.reads(text, as_version=4) for stem, text in sorted(texts.items())}


def exercise_module(nb):
    """The exercises module a lesson imports (``from aehelpers.exercises import lesson01 as ex``)."""
    for cell in nb.cells:
        match = re.search(r"from aehelpers\.exercises import (lesson\w+) as ex", cell.source)
        if cell.cell_type == "code" and match:
            return importlib.import_module(f"aehelpers.exercises.{match.group(1)}")
    return None


def is_exercise_cell(cell):
    return cell.cell_type == "code" and bool(CHECK_RE.search(cell.source))


def exercise_minutes(nb, cell, module=None):
    """The minutes an exercise cell's exercise declares (``set_levels`` in its lesson module)."""
    module = module if module is not None else exercise_module(nb)
    match = CHECK_RE.search(cell.source)
    level = (
        getattr(getattr(module, match.group(1), None), "level", None) if module and match else None
    )
    return level[1] if level else MINUTES_PER_EXERCISE


# -- student edition ----------------------------------------------------------------------
_SOLUTION_PROSE = [
    (re.compile(r"`hint\(\)` and `solution\(\)`(\s+)help"), r"`hint()`\1helps"),
    (re.compile(r"\s*and `ex\.qN\.solution\(\)` prints a solution"), ""),
    (re.compile(r" and `ex\.qN\.solution\(\)`"), ""),
    (re.compile(r";?\s*the reference code: ex\.q\d+\.solution\(\)"), ""),
]


def _strip_solution_mentions(text):
    for pattern, repl in _SOLUTION_PROSE:
        text = pattern.sub(repl, text)
    lines = [
        line
        for line in text.splitlines()
        if not re.fullmatch(r"\s*#\s*ex\.q\d+\.solution\(\)\s*", line)
    ]
    return "\n".join(lines)


def student_edition(nb, stem):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # a deep copy
    cells = []
    for cell in nb.cells:
        if "instructor" in cell.metadata.get("tags", []):
            continue
        cell.source = _strip_solution_mentions(cell.source)
        if is_exercise_cell(cell):
            cell.metadata["nbgrader"] = _nbgrader_meta(cell)
        cells.append(cell)
    nb.cells = cells
    left = [c.source for c in nb.cells if "solution()" in c.source or "BEGIN SOLUTION" in c.source]
    if left:
        raise HandoutError(
            f"{stem}: the student edition still mentions a solution: {left[0][:200]!r}"
        )
    nb.metadata[EDITION_KEY] = "student"
    return nb


def _nbgrader_meta(cell):
    qid = CHECK_RE.search(cell.source).group(1)
    return {"grade": False, "grade_id": qid, "locked": False, "schema_version": 3, "solution": True}


# -- instructor edition -------------------------------------------------------------------
def _check_call(source):
    """(qid, {keyword: expression source}) of the cell's ``ex.qN.check(answer, k=expr, ...)``."""
    for node in ast.walk(ast.parse(_without_magics(source))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "check"
        ):
            owner = node.func.value
            if isinstance(owner, ast.Attribute) and re.fullmatch(r"q\d+", owner.attr):
                return owner.attr, {k.arg: ast.unparse(k.value) for k in node.keywords if k.arg}
    raise HandoutError(f"no ex.qN.check(...) call in {source[:120]!r}")


def _without_magics(source):
    return "\n".join(
        "pass" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )


def solution_block(exercise, qid, kwargs):
    """The reference solution as a function of the lesson's inputs, called on them."""
    solve = exercise._solution
    params = list(inspect.signature(solve).parameters)
    lines = textwrap.dedent(inspect.getsource(solve)).splitlines()
    name = f"_{qid}_reference"
    lines[0] = re.sub(r"^def \w+\(", f"def {name}(", lines[0])
    call = ", ".join(f"{p}={kwargs[p]}" for p in params if p in kwargs)
    imports = []  # what the solution reads from its module: numpy, keras, a helper of the exercise
    for global_name, value in sorted(inspect.getclosurevars(solve).globals.items()):
        if inspect.ismodule(value):
            imports.append(
                f"import {value.__name__}"
                + ("" if value.__name__ == global_name else f" as {global_name}")
            )
        else:
            imports.append(f"from {solve.__module__} import {global_name}")
    return "\n".join(
        [
            "### BEGIN SOLUTION",
            f"# the reference solution (ex.{qid}.solution() prints it), on this lesson's data",
            *imports,
            *lines,
            f"answer = {name}({call})",
            "### END SOLUTION",
        ]
    )


def instructor_edition(nb, stem, notes=None, timing=None):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    module = exercise_module(nb)
    for cell in nb.cells:
        if "instructor" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace("<details>", "<details open>", 1)
        if not is_exercise_cell(cell):
            continue
        qid, kwargs = _check_call(cell.source)
        exercise = getattr(module, qid, None) if module else None
        if exercise is None:
            raise HandoutError(f"{stem}: {qid} is checked in the lesson but has no exercise object")
        lines = cell.source.splitlines()
        at = next((i for i, line in enumerate(lines) if re.match(r"answer = \.\.\.", line)), None)
        if at is None:
            raise HandoutError(
                f"{stem}: the cell of {qid} has no 'answer = ...' line: {cell.source[:160]!r}"
            )
        lines[at] = solution_block(exercise, qid, kwargs)
        cell.source = "\n".join(lines)
        cell.metadata["nbgrader"] = _nbgrader_meta(cell)
    head = []
    if notes:
        head.append(nbformat.v4.new_markdown_cell("## Instructor notes\n\n" + notes.strip()))
    if timing:
        head.append(nbformat.v4.new_markdown_cell(timing_markdown(timing)))
    for cell in head:
        cell.metadata["tags"] = ["instructor"]
    nb.cells[1:1] = head
    nb.metadata[EDITION_KEY] = "instructor"
    return nb


# -- timings ------------------------------------------------------------------------------
def _words(text):
    return len(re.findall(r"[A-Za-z0-9_]+", text))


def measured_run_seconds(path=RESULTS):
    """{lesson: seconds of the full-mode run} from results/full-cpu.jsonl's lesson_wall_s rows."""
    return {
        row["lesson"]: float(row["value"])
        for row in read_rows(path, who="handout")
        if row.get("name") == WALL and not row.get("fast_mode")
    }


def section_timing(nb, stem, run_seconds=None):
    """[(section, reading min, exercises, exercise min)] and the totals, computed from the lesson."""
    module = exercise_module(nb)
    sections = [["(title and goals)", 0, 0, 0]]
    for cell in nb.cells:
        if "instructor" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown":
            heading = re.search(r"^## (.+)$", cell.source, re.M)
            if heading:
                sections.append([heading.group(1).strip(), 0, 0, 0])
        sections[-1][1] += _words(cell.source)
        if is_exercise_cell(cell):
            sections[-1][2] += 1
            sections[-1][3] += exercise_minutes(nb, cell, module)
    rows = [(name, words / WORDS_PER_MINUTE, n, ex_min) for name, words, n, ex_min in sections]
    run = (run_seconds or {}).get(stem)
    total = sum(r[1] + r[3] for r in rows) + (run or 0) / 60
    return {"rows": rows, "run_s": run, "total_min": total}


def timing_markdown(timing):
    lines = [
        "## Timing (computed from the lesson)",
        "",
        f"Reading at {WORDS_PER_MINUTE} words a minute (prose and code), each exercise's declared minutes "
        "(set_levels in its lesson module, estimates), and the full-mode run measured on the course's 2-core CPU "
        "(results/full-cpu.jsonl).",
        "",
        "| section | reading | exercises |",
        "|---|---:|---:|",
    ]
    for name, read, n, ex_min in timing["rows"]:
        lines.append(f"| {name} | {read:.0f} min | " + (f"{n}: {ex_min} min" if n else "") + " |")
    run = timing["run_s"]
    lines += [
        "",
        (f"Full run: {run / 60:.1f} min of computing. " if run else "No measured full run. ")
        + f"**Lab time: about {round(timing['total_min'] / 5) * 5:.0f} minutes.**",
    ]
    return "\n".join(lines)


# -- lab times in the lesson headers -------------------------------------------------------
LABTIME_RE = re.compile(
    r"\*\*Lab time: about \d+ minutes\*\*(?: \([^()\n]*\)\.|: [^\n]*?Generated by `\./course handout --labtimes`\.)"
)
# the hand-typed forms the generated sentence replaces ("About 45 minutes. Full run on ...: ...")
TYPED_RE = re.compile(
    r"About \d+(?:[-–]\d+)? minutes\.(?: Full run on a 2-core CPU: [^\n]*?\.(?=\s|$))?"
)


def lab_time(nb, stem, run_seconds):
    """A learner's lab time: reading + exercises + the measured full run (minutes, rounded to 5)."""
    words = sum(
        _words(LABTIME_RE.sub("", c.source))
        for c in nb.cells
        if "instructor" not in c.metadata.get("tags", [])
    )
    module = exercise_module(nb)
    cells = [c for c in nb.cells if is_exercise_cell(c)]
    ex_min = sum(exercise_minutes(nb, c, module) for c in cells)
    run_s = run_seconds.get(stem)  # None for a lesson ./course results has not run yet
    reading = words / WORDS_PER_MINUTE
    total = reading + ex_min + (run_s or 0) / 60
    return {
        "reading_min": reading,
        "exercises": len(cells),
        "exercise_min": ex_min,
        "run_s": run_s,
        "total_min": max(5, 5 * round(total / 5)),
    }


def labtime_sentence(t):
    """The header's sentence, short for the learner (`./course handout --labtimes` writes it)."""
    run = (
        f"the full run {t['run_s'] / 60:.1f} min on a 2-core CPU"
        if t["run_s"] is not None
        else "the full run not measured yet"
    )
    return (
        f"**Lab time: about {t['total_min']} minutes** (reading about {t['reading_min']:.0f} min, "
        f"{t['exercises']} exercises about {t['exercise_min']} min, {run})."
    )


def set_lab_time(nb, stem, run_seconds):
    """Write the lab-time sentence into the header (cell 0): replaces an earlier one or the typed form."""
    header = nb.cells[0]
    sentence = labtime_sentence(lab_time(nb, stem, run_seconds))
    if LABTIME_RE.search(header.source):
        header.source = LABTIME_RE.sub(lambda _: sentence, header.source, count=1)
    elif TYPED_RE.search(header.source):
        header.source = TYPED_RE.sub(lambda _: sentence, header.source, count=1)
    else:
        header.source = header.source.rstrip() + "\n\n" + sentence
    return sentence


def stated_lab_time(nb):
    match = re.search(r"\*\*Lab time: about (\d+) minutes\*\*", nb.cells[0].source)
    return int(match.group(1)) if match else None


def write_lab_times(root=ROOT):
    """Rewrite the lab time in every lesson's header on disk (only cell 0 changes)."""
    runs = measured_run_seconds(root / "results" / "full-cpu.jsonl")
    for path in sorted((root / "lessons").glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
        sentence = set_lab_time(nb, path.stem, runs)
        new = nbformat.writes(nb) + "\n"
        if new != text:
            path.write_text(new, encoding="utf-8")
        print(f"[course] {path.stem}: {sentence.split('**')[1]}")


# -- writing ------------------------------------------------------------------------------
def notes_for(stem, root=ROOT):
    path = root / "instructor" / f"{stem}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def build(editions, names=None, out=OUT, root=ROOT):
    lessons = committed_lessons(names, root)
    runs = measured_run_seconds(root / "results" / "full-cpu.jsonl")
    written = []
    for edition in editions:
        folder = out / edition
        folder.mkdir(parents=True, exist_ok=True)
        for stem, nb in lessons.items():
            if edition == "student":
                new = student_edition(nb, stem)
            else:
                new = instructor_edition(
                    nb, stem, notes_for(stem, root), section_timing(nb, stem, runs)
                )
            for i, cell in enumerate(new.cells):
                cell.id = str(i)
            nbformat.validate(new)
            path = folder / f"{stem}.ipynb"
            path.write_text(nbformat.writes(new) + "\n", encoding="utf-8")
            written.append(path)
        if edition == "instructor" and (root / "instructor").is_dir():
            for md in sorted((root / "instructor").glob("*.md")):
                (folder / md.name).write_text(md.read_text(encoding="utf-8"), encoding="utf-8")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="./course handout", description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--student", action="store_true", help="only the student edition")
    group.add_argument("--instructor", action="store_true", help="only the instructor edition")
    group.add_argument(
        "--labtimes",
        action="store_true",
        help="write each lesson header's lab time (reading + exercises + measured run) instead",
    )
    parser.add_argument(
        "lessons", nargs="*", help="lesson names (default: all), e.g. 01_linear_autoencoder"
    )
    args = parser.parse_args(argv)
    if args.labtimes:
        try:
            write_lab_times()
        except HandoutError as err:
            print(f"[course] {err}", file=sys.stderr)
            return 2
        return 0
    editions = (
        ["student"]
        if args.student
        else ["instructor"]
        if args.instructor
        else ["student", "instructor"]
    )
    try:
        written = build(editions, args.lessons)
    except HandoutError as err:
        print(f"[course] {err}", file=sys.stderr)
        return 2
    for edition in editions:
        n = sum(1 for p in written if p.parent.name == edition)
        print(f"[course] {edition} edition: {n} lessons in {(OUT / edition).relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
