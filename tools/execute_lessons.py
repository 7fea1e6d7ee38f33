"""Execute the lessons into build/executed/<mode>/ for the course site (`./course site`, `./course results`).

    .venv/bin/python -m tools.execute_lessons [--fast | --full] [--lessons 05 06] [--force] [--env NAME]

Each lesson runs with nbclient (its folder as the working directory, offline data) into
``build/executed/{fast,full}/<stem>.ipynb``. A copy whose ``metadata.course.source_sha256``
matches the lesson's file (and was run in the same mode) is reused: the copies the test run
writes (``COURSE_EXECUTED_DIR``, tools/nbval_checks.py) are not executed again.
``AEHELPERS_RESULTS`` points at ``build/executed/<mode>/results.jsonl``: a re-executed lesson's
old rows are removed first, and one ``lesson_wall_s`` row per lesson is appended with its time.
A lesson that fails stops the run with its error: no partial site.
"""

import argparse
import json
import sys

from aehelpers.results import (
    append_row,
    drop_rows,
    executed_dir,
    notebook_sha256,
    results_path,
    source_sha256,
    wall_row,
    write_executed,
)
from tools.lessons import ROOT, execute_notebook, pick_lessons, run_backend


def is_current(target, source, mode):
    """Does ``target`` hold an execution of ``source`` as it is now, in ``mode``?"""
    if not target.is_file():
        return False
    try:
        meta = json.loads(target.read_text(encoding="utf-8")).get("metadata", {}).get("course", {})
    except (OSError, json.JSONDecodeError):
        return False
    return meta.get("source_sha256") == source_sha256(source) and meta.get("mode") == mode


def execute(source, target, mode, results):
    import nbformat

    nb = nbformat.read(str(source), as_version=4)
    sha = notebook_sha256(nb)  # the version that runs, even if the file changes meanwhile
    backend = run_backend(nb)
    wall = execute_notebook(nb, mode=mode, results=results, timeout=1800)
    outputs = {i: c.outputs for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    write_executed(target, nb, outputs, source_sha=sha, mode=mode, backend=backend, wall_s=wall)
    append_row(results, wall_row(source.stem, wall, fast_mode=mode == "fast", backend=backend))
    return wall


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--fast",
        dest="mode",
        action="store_const",
        const="fast",
        help="fast mode (AEHELPERS_FAST=1)",
    )
    group.add_argument(
        "--full", dest="mode", action="store_const", const="full", help="full mode (the default)"
    )
    parser.add_argument(
        "--lessons", nargs="+", metavar="NN", help="only lessons whose names start with these"
    )
    parser.add_argument(
        "--force", action="store_true", help="execute even where an up-to-date copy exists"
    )
    parser.add_argument(
        "--env",
        metavar="NAME",
        help="name of the Python environment that runs this (e.g. colab): "
        "its own folder build/executed/<mode>-NAME/; the kernel is this Python's",
    )
    args = parser.parse_args(argv)
    mode = args.mode or "full"
    if args.env is not None and not args.env.isalnum():
        raise SystemExit(f"--env: expected a plain name such as 'colab', got {args.env!r}")
    out = executed_dir(ROOT, mode, args.env)
    out.mkdir(parents=True, exist_ok=True)
    results = results_path(ROOT, mode, args.env)
    for source in pick_lessons(args.lessons):
        target = out / f"{source.stem}.ipynb"
        if not args.force and is_current(target, source, mode):
            print(f"[execute] {source.stem}: up to date ({mode})", flush=True)
            continue
        print(f"[execute] {source.stem}: running ({mode}) ...", flush=True)
        drop_rows(results, source.stem)
        target.unlink(missing_ok=True)
        try:
            wall = execute(source, target, mode, results)
        except Exception as err:  # nbclient's CellExecutionError carries the cell and traceback
            print(
                f"[execute] {source.stem} FAILED ({mode} mode); no site is built from a partial run:\n{err}",
                file=sys.stderr,
            )
            return 1
        print(f"[execute] {source.stem}: {wall:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
