"""Run lessons under several seeds (and backends) and write every recorded claim's spread to results/.

    .venv/bin/python -m tools.spread LESSON... [--seeds N] [--mode full|fast]
                                   [--backends tensorflow,jax,torch] [--no-reuse] [--collect-only]

(``./course spread ...`` runs this.) LESSON is a prefix such as ``05``. Each lesson runs with
``AEHELPERS_SEED`` = S0, S0+1, ..., S0+N-1, where S0 is the seed the lesson passes to
``ae.setup`` (42 for most), so every ``ae.seed(k)`` in it moves (aehelpers/environment.py). A run is
one lesson, one seed, one backend, executed with nbclient like ``tools/execute_lessons.py`` but
with errors allowed: a claim that fails its assert under some seed is reported (the cell and the
message) and the lesson goes on, so its later claims are measured too. Each run keeps its records
in ``build/spread/<mode>/<backend>/seed-<S>/<lesson>.jsonl`` (a finished run is reused: delete it,
or pass --force, to run it again); its saved models go to ``work/`` beside it, so lesson 10 loads
lesson 06's model of the same seed and backend when that run is there, and trains its own when
not. In full mode on TensorFlow, seed S0's run is taken from ``results/full-cpu.jsonl`` (the
committed full run of the same code; --no-reuse runs it instead).

Writes ``results/spread-<mode>-cpu.jsonl`` (the rows of the lessons run now replace their old
ones), one JSON line per claim::

    {"lesson", "name", "n", "mean", "min", "max", "std", "seeds", "backends", "versions",
     "values": {"<seed>/<backend>": value}, "baseline": {"min", "max"} | str | null, "mode"}

A record whose value is a dict or list gives one row per entry (``name[key]``); strings are
skipped. Failed asserts are rows with ``"name": "assert failed: cell <i>"`` (other errors: ``"error: cell <i>"``),
``"failures"``: [{"seed", "backend", "error"}]; the command exits 1 when there are any.
"""

import argparse
import json
import math
import re
import statistics
import sys
from pathlib import Path

from aehelpers.results import WALL, read_rows, wall_row
from tools.lessons import ONE_THREAD, execute_notebook, first_code, lesson_backends, pick_lessons
from tools.results import COMMITTED

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
RESULTS = ROOT / "results"
BACKENDS = ("tensorflow", "jax", "torch")

SETUP_SEED = re.compile(r"ae\.setup\(\s*seed\s*=\s*(\d+)")


def lesson_seed(source):
    """The seed a lesson passes to ``ae.setup`` (42 when it passes none)."""
    import nbformat

    nb = nbformat.read(str(source), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "ae.setup(" in cell.source:
            found = SETUP_SEED.search(cell.source)
            return int(found.group(1)) if found else 42
    raise SystemExit(f"{source.name}: no ae.setup(...) call, so no lesson seed")


def backends_for(source, wanted):
    import nbformat

    nb = nbformat.read(str(source), as_version=4)
    kind, value = lesson_backends(first_code(nb))
    if kind == "pinned":
        return [b for b in wanted if b == "tensorflow"]
    if kind == "declared":
        return [b for b in wanted if b in value]
    return list(wanted)


def run_dir(mode, backend, seed):
    return ROOT / "build" / "spread" / mode / backend / f"seed-{seed}"


def cell_errors(nb):
    """[(cell index, 'ErrorName: message')] for every code cell that raised."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append((i, f"{out.get('ename')}: {out.get('evalue')}"[:400]))
    return found


def run_one(source, mode, backend, seed):
    """Execute one lesson under one seed and backend; its rows go to the run's jsonl (replaced)."""
    import nbformat

    folder = run_dir(mode, backend, seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows_path = folder / f"{source.stem}.jsonl"
    tmp = folder / f"{source.stem}.jsonl.tmp"
    tmp.unlink(missing_ok=True)
    nb = nbformat.read(str(source), as_version=4)
    wall = execute_notebook(
        nb,
        mode=mode,
        results=tmp,
        timeout=3600,
        allow_errors=True,
        # one work folder per seed and backend: a lesson that loads an earlier lesson's model
        # (10 loads 06's) gets the one of its own seed and backend, or trains its own
        # fast mode: one thread, as in the tests (two PyTorch runs side by side, each with the
        # default two threads, took over 15 min for lesson 06 against about 3 min each with one)
        env={
            **(ONE_THREAD if mode == "fast" else {}),
            "AEHELPERS_SEED": str(seed),
            "KERAS_BACKEND": backend,
            "AEHELPERS_WORKDIR": str(folder / "work"),
        },
    )
    nbformat.write(nb, str(folder / f"{source.stem}.ipynb"))  # outputs, for reading what happened
    rows = read_rows(tmp)
    for i, error in cell_errors(nb):
        rows.append(
            {
                "lesson": source.stem,
                "name": f"assert failed: cell {i}",
                "value": None,
                "error": error,
            }
        )
    rows.append(wall_row(source.stem, wall, fast_mode=mode == "fast", backend=backend))
    rows_path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    tmp.unlink(missing_ok=True)
    return rows, wall


def committed_rows(stem):
    """The committed full run's rows of one lesson (seed S0, TensorFlow), or []."""
    return [r for r in read_rows(COMMITTED) if r.get("lesson") == stem]


def flatten(name, value):
    """[(name, number)] for a number, or one entry per key/item of a dict/list of numbers."""
    if isinstance(value, bool):
        return [(name, float(value))]
    if isinstance(value, (int, float)):
        return [(name, float(value))] if math.isfinite(value) else []
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in flatten(f"{name}[{k}]", v)]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in flatten(f"{name}[{i}]", v)]
    return []


def version_of(rows):
    wall = next((r for r in rows if r.get("name") == WALL), None)
    return wall["note"].split(", ", 2)[-1] if wall and wall.get("note") else "?"


def aggregate(stem, runs, mode):
    """Spread rows of one lesson from {(seed, backend): rows}."""
    claims, order, failures = {}, [], {}
    for (seed, backend), rows in sorted(runs.items()):
        version = version_of(rows)
        for row in rows:
            if row.get("name", "").startswith("assert failed"):
                # an AssertionError is a claim that failed; any other error (a missing file, a broken
                # environment) is named as such, so that it is not read as a claim's failure
                name = (
                    row["name"]
                    if row["error"].startswith("AssertionError")
                    else row["name"].replace("assert failed", "error")
                )
                failures.setdefault(name, []).append(
                    {"seed": seed, "backend": backend, "error": row["error"]}
                )
                continue
            for name, number in flatten(row["name"], row.get("value")):
                if name not in claims:
                    claims[name] = {
                        "values": {},
                        "baselines": [],
                        "versions": set(),
                        "note": row.get("note", ""),
                    }
                    order.append(name)
                entry = claims[name]
                entry["values"][f"{seed}/{backend}"] = number
                entry["versions"].add(version)
                base = row.get("baseline")
                if (
                    isinstance(base, (int, float))
                    and not isinstance(base, bool)
                    and math.isfinite(base)
                ):
                    entry["baselines"].append(float(base))
                elif isinstance(base, str):
                    entry["baseline_text"] = base
    out = []
    for name in order:
        entry = claims[name]
        values = list(entry["values"].values())
        keys = list(entry["values"])
        baseline = entry.get("baseline_text")
        if entry["baselines"]:
            baseline = {"min": min(entry["baselines"]), "max": max(entry["baselines"])}
        out.append(
            {
                "lesson": stem,
                "name": name,
                "n": len(values),
                "mean": statistics.fmean(values),
                "min": min(values),
                "max": max(values),
                "std": statistics.stdev(values) if len(values) > 1 else 0.0,
                "seeds": sorted({int(k.split("/")[0]) for k in keys}),
                "backends": sorted({k.split("/")[1] for k in keys}),
                "versions": sorted(entry["versions"]),
                "values": entry["values"],
                "baseline": baseline,
                "mode": mode,
            }
        )
    for name, items in sorted(failures.items()):
        out.append({"lesson": stem, "name": name, "n": len(items), "failures": items, "mode": mode})
    return out


def write(path, new_rows, stems):
    kept = [r for r in read_rows(path) if r.get("lesson") not in stems]
    rows = sorted(
        kept + new_rows, key=lambda r: r["lesson"]
    )  # stable: each lesson's rows in recorded order
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        "".join(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n" for r in rows),
        encoding="utf-8",
    )
    tmp.replace(path)


def fmt(x):
    return f"{x:.4g}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "lessons", nargs="+", metavar="LESSON", help="lesson name prefixes, e.g. 02 05"
    )
    parser.add_argument(
        "--seeds", type=int, default=3, help="how many seeds: S0 .. S0+N-1 (default 3)"
    )
    parser.add_argument("--mode", choices=("full", "fast"), default="full")
    parser.add_argument(
        "--backends", default="tensorflow", help="comma-separated, from " + ",".join(BACKENDS)
    )
    parser.add_argument(
        "--no-reuse", action="store_true", help="run seed S0 too, not from results/full-cpu.jsonl"
    )
    parser.add_argument(
        "--force", action="store_true", help="run again what build/spread/ already holds"
    )
    parser.add_argument(
        "--collect-only", action="store_true", help="run nothing: aggregate the runs that exist"
    )
    parser.add_argument("--out", type=Path, help="default: results/spread-<mode>-cpu.jsonl")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.seeds < 1 or any(b not in BACKENDS for b in backends):
        parser.error(
            f"--seeds must be >= 1 and --backends names from {BACKENDS}; got {args.seeds}, {backends}"
        )
    out_path = args.out or RESULTS / f"spread-{args.mode}-cpu.jsonl"
    sources = pick_lessons(args.lessons)
    all_rows, stems = [], set()
    for source in sources:
        s0 = lesson_seed(source)
        runs = {}
        for backend in backends_for(source, backends):
            for seed in range(s0, s0 + args.seeds):
                path = run_dir(args.mode, backend, seed) / f"{source.stem}.jsonl"
                reuse = (
                    args.mode == "full"
                    and backend == "tensorflow"
                    and seed == s0
                    and not args.no_reuse
                )
                if reuse and committed_rows(source.stem):
                    runs[seed, backend] = committed_rows(source.stem)
                    print(
                        f"[spread] {source.stem} seed {seed} {backend}: from {COMMITTED.relative_to(ROOT)}",
                        flush=True,
                    )
                elif path.is_file() and not args.force:
                    runs[seed, backend] = read_rows(path)
                    print(
                        f"[spread] {source.stem} seed {seed} {backend}: reused {path.relative_to(ROOT)}",
                        flush=True,
                    )
                elif not args.collect_only:
                    print(
                        f"[spread] {source.stem} seed {seed} {backend} ({args.mode}): running ...",
                        flush=True,
                    )
                    runs[seed, backend], wall = run_one(source, args.mode, backend, seed)
                    print(f"[spread] {source.stem} seed {seed} {backend}: {wall:.0f} s", flush=True)
        if runs:
            stems.add(source.stem)
            all_rows += aggregate(source.stem, runs, args.mode)
    write(out_path, all_rows, stems)
    failed = [r for r in all_rows if "failures" in r]
    for r in all_rows:
        if "failures" in r:
            for f in r["failures"]:
                print(
                    f"[spread] FAILED {r['lesson']} {r['name']} seed {f['seed']} {f['backend']}: {f['error']}"
                )
        elif r["name"] != WALL:
            print(
                f"[spread] {r['lesson']} {r['name']}: {fmt(r['mean'])} [{fmt(r['min'])}, {fmt(r['max'])}] n={r['n']}"
            )
    print(f"[spread] wrote {out_path}" + (f"; {len(failed)} failed asserts" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
