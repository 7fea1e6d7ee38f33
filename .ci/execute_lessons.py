"""Execute the lessons into build/executed/<mode>/ for the course site (`./course site`, `./course results`).

    .venv/bin/python .ci/execute_lessons.py [--fast | --full] [--lessons 05 06] [--force] [--env NAME]

Each lesson runs with nbclient (its folder as the working directory, offline data) into
``build/executed/{fast,full}/<stem>.ipynb``. A copy whose ``metadata.course.source_sha256``
matches the lesson's file (and was run in the same mode) is reused: the copies the test run
writes (``COURSE_EXECUTED_DIR``, tests/nbval_checks.py) are not executed again.
``AEHELPERS_RESULTS`` points at ``build/executed/<mode>/results.jsonl``: a re-executed lesson's
old rows are removed first, and one ``lesson_wall_s`` row per lesson is appended with its time.
A lesson that fails stops the run with its error: no partial site.
"""

import argparse
import contextlib
import json
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
sys.path.insert(0, str(ROOT))

from tests.nbval_checks import (  # noqa: E402
    executed_copy,
    lesson_backends,
    machine_note,
    notebook_sha256,
    source_sha256,
)


def executed_dir(mode, env=None):
    """build/executed/<mode>/, or build/executed/<mode>-<env>/ for another environment's run."""
    return ROOT / "build" / "executed" / (f"{mode}-{env}" if env else mode)


def pick_lessons(prefixes=None):
    """The lesson files, optionally only those whose names start with one of ``prefixes``."""
    lessons = sorted(LESSONS.glob("[0-9]*.ipynb"))
    if not prefixes:
        return lessons
    picked = [p for p in lessons if any(p.stem.startswith(x) for x in prefixes)]
    unknown = [x for x in prefixes if not any(p.stem.startswith(x) for p in lessons)]
    if unknown:
        raise SystemExit(f"--lessons: no lesson starts with {', '.join(unknown)} (have {', '.join(p.stem for p in lessons)})")
    return picked


def is_current(target, source, mode):
    """Does ``target`` hold an execution of ``source`` as it is now, in ``mode``?"""
    if not target.is_file():
        return False
    try:
        meta = json.loads(target.read_text(encoding="utf-8")).get("metadata", {}).get("course", {})
    except (OSError, json.JSONDecodeError):
        return False
    return meta.get("source_sha256") == source_sha256(source) and meta.get("mode") == mode


@contextlib.contextmanager
def results_lock(results):
    """The lock ``ae.record`` appends under (``aehelpers.config.results_lock``): flock on <file>.lock."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(results.with_name(results.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def drop_rows(results, stem):
    """Remove ``stem``'s rows from the results file (a re-executed lesson replaces them).

    Lines that are not JSON (a row cut short by a killed writer) are dropped and reported. The
    file is rewritten through a temp file in its folder and a rename, under the lock that
    ``ae.record`` appends under: a row another process appends meanwhile is never lost, and an
    interrupted rewrite leaves the old file whole.
    """
    if not results.is_file():
        return
    with results_lock(results):
        kept, damaged = [], []
        for number, line in enumerate(results.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                damaged.append(number)
                continue
            if not (isinstance(row, dict) and row.get("lesson") == stem):
                kept.append(line)
        if damaged:
            print(f"[execute] {results}: dropped {len(damaged)} damaged line(s) (not JSON, e.g. a row cut short): "
                  f"line {', '.join(map(str, damaged[:10]))}" + (" ..." if len(damaged) > 10 else ""), file=sys.stderr)  # fmt: skip
        fd, tmp = tempfile.mkstemp(dir=results.parent, prefix=f".{results.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write("".join(line + "\n" for line in kept))
            os.chmod(tmp, stat.S_IMODE(results.stat().st_mode))
            os.replace(tmp, results)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def execute(source, target, mode, results):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(source), as_version=4)
    sha = notebook_sha256(nb)  # the version that runs, even if the file changes meanwhile
    first = next((c.source for c in nb.cells if c.cell_type == "code"), "")
    kind, value = lesson_backends(first)
    backend = value if kind == "pinned" else os.environ.get("KERAS_BACKEND", "tensorflow")
    env_before = dict(os.environ)
    os.environ.update(AEHELPERS_OFFLINE=os.environ.get("AEHELPERS_OFFLINE", "1"), AEHELPERS_RESULTS=str(results))
    if mode == "fast":
        os.environ["AEHELPERS_FAST"] = "1"
    else:
        os.environ.pop("AEHELPERS_FAST", None)
    try:
        start = time.perf_counter()
        client = NotebookClient(nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(LESSONS)}})
        client.execute()
        wall = time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    outputs = {i: c.outputs for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    done = executed_copy(nb, outputs, source_sha=sha, mode=mode, backend=backend, wall_s=wall)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    nbformat.write(done, str(tmp))
    tmp.replace(target)
    row = {"lesson": source.stem, "name": "lesson_wall_s", "value": round(wall, 1), "baseline": None,
           "fast_mode": mode == "fast", "elapsed_s": round(wall, 1), "note": machine_note(backend)}  # fmt: skip
    with results_lock(results), results.open("ab+") as f:
        line = (json.dumps(row) + "\n").encode("utf-8")
        end = f.seek(0, os.SEEK_END)
        if end and (f.seek(end - 1), f.read(1))[1] != b"\n":  # a row cut short: start a new line
            line = b"\n" + line
        f.write(line)
    return wall


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--fast", dest="mode", action="store_const", const="fast", help="fast mode (AEHELPERS_FAST=1)")
    group.add_argument("--full", dest="mode", action="store_const", const="full", help="full mode (the default)")
    parser.add_argument("--lessons", nargs="+", metavar="NN", help="only lessons whose names start with these")
    parser.add_argument("--force", action="store_true", help="execute even where an up-to-date copy exists")
    parser.add_argument("--env", metavar="NAME", help="name of the Python environment that runs this (e.g. colab): "
                        "its own folder build/executed/<mode>-NAME/; the kernel is this Python's")  # fmt: skip
    args = parser.parse_args(argv)
    mode = args.mode or "full"
    if args.env is not None and not args.env.isalnum():
        raise SystemExit(f"--env: expected a plain name such as 'colab', got {args.env!r}")
    out = executed_dir(mode, args.env)
    out.mkdir(parents=True, exist_ok=True)
    results = out / "results.jsonl"
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
            print(f"[execute] {source.stem} FAILED ({mode} mode); no site is built from a partial run:\n{err}", file=sys.stderr)
            return 1
        print(f"[execute] {source.stem}: {wall:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
