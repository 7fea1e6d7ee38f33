"""Is my number fine? A learner's number against the course's measured spread.

The course runs every lesson in full mode with several seeds (``./course spread``) and
keeps, per claim, the smallest and largest value it saw: ``results/spread-full-cpu.jsonl``.
A copy ships with the package (``aehelpers/data/``, a test keeps it equal), so an installed
``aehelpers`` (Colab) has it too. :func:`compare` says where a learner's number falls::

    ae.setup(lesson="02_undercomplete_autoencoder")
    ae.record("dense_ae32_over_pca32", ratio)
    ae.compare("dense_ae32_over_pca32")   # the last recorded value, or compare(name, value)
"""

import json
import math
from pathlib import Path

from .environment import _state, is_fast
from .validation import check_text

SPREAD_FILE = Path(__file__).resolve().parent / "data" / "spread-full-cpu.jsonl"
SPREAD_WHERE = "CPU"  # the spread file's runs: full mode on the course's CPU

_cache = {}


def load_spread(path=None):
    """The measured spread: {(lesson, name): row} for every row with a numeric min and max."""
    path = Path(path) if path is not None else SPREAD_FILE
    key = (str(path), path.stat().st_mtime_ns if path.exists() else None)
    if key not in _cache:
        rows = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                except ValueError:
                    continue  # a row cut short: skip it, the others still count
                lo, hi = row.get("min"), row.get("max")
                if (
                    isinstance(lo, (int, float))
                    and isinstance(hi, (int, float))
                    and row.get("mode", "full") == "full"
                ):
                    rows[(row.get("lesson"), row.get("name"))] = row
        _cache.clear()
        _cache[key] = rows
    return _cache[key]


def _digits(lo, hi):
    """Significant digits that tell ``lo`` from ``hi`` (3 to 6)."""
    for d in range(3, 7):
        if f"{lo:.{d}g}" != f"{hi:.{d}g}":
            return d
    return 3


def _causes(name):
    causes = [
        "another seed (the course used {seeds})",
        "another backend or package version (the course: {backends})",
        "a changed budget (epochs, batch size, code size) or data",
    ]
    if name.endswith("_s") or "time" in name or "wall" in name:
        causes.insert(0, "a busy or slower machine (a timing counts everything else running)")
    else:
        causes.append("a GPU's different arithmetic")
    return causes


def compare(name, value=None, lesson=None, spread=None):
    """Print where ``value`` falls against the course's measured full-mode range for ``name``.

    Args:
        name: the claim's name, as passed to :func:`record` (``"dense_ae32_over_pca32"``).
        value: the learner's number; None takes the last value :func:`record` got for ``name``.
        lesson: the lesson's name; None takes the one given to ``setup(lesson=...)``.
        spread: optional path of a spread file (default: the copy shipped with aehelpers).

    Returns:
        "inside", "outside", "unknown" (no measured range for that claim) or "fast"
        (fast mode: budgets too small to compare); the sentence is printed.

    Raises:
        ValueError: ``name`` is not a non-empty str, or no value is given and none was recorded.
        TypeError: ``value`` is not one real number.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"compare needs name=, the claim's name (a non-empty str), got {name!r}")
    if value is None:
        if name not in _state.get("recorded", {}):
            raise ValueError(
                f"value=None and nothing was recorded as {name!r}: call "
                f"ae.record({name!r}, value) first, or ae.compare({name!r}, value)"
            )
        value = _state["recorded"][name]
    if isinstance(value, (bool, str, bytes)):
        raise TypeError(f"value must be one number, got {value!r} ({type(value).__name__})")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"value must be one number, got {type(value).__name__}") from None
    lesson = check_text(lesson, "lesson") if lesson is not None else _state.get("lesson")
    rows = load_spread(spread)
    row = rows.get((lesson, name))
    if row is None:
        known = sorted(n for (les, n) in rows if les == lesson)
        where = (
            f"lesson {lesson!r}" if lesson else "this lesson (call ae.setup(lesson=...) to name it)"
        )
        listed = (
            (": the measured ones are " + ", ".join(known[:8]) + (" ..." if len(known) > 8 else ""))
            if known
            else ""
        )
        print(f"{value:.4g}: the course has no measured range for {name!r} in {where}{listed}")
        return "unknown"
    lo, hi = row["min"], row["max"]
    d = _digits(lo, hi)
    seeds = row.get("seeds") or []
    runs = f"{len(seeds)} seed{'s' if len(seeds) != 1 else ''}, {SPREAD_WHERE}"
    span = f"the course's range {lo:.{d}g}-{hi:.{d}g} ({runs})"
    if is_fast():
        print(
            f"{value:.{d}g}: fast mode (AEHELPERS_FAST) trains with small budgets, so it is not compared with "
            f"{span}, measured in full mode; run without AEHELPERS_FAST to compare"
        )
        return "fast"
    if not math.isfinite(value):
        print(f"{value}: not a finite number; {span}: the run diverged or a step failed")
        return "outside"
    if lo <= value <= hi:
        print(f"{value:.{d}g}: inside {span}")
        return "inside"
    side = "above" if value > hi else "below"
    fill = {
        "seeds": ", ".join(str(s) for s in seeds) or "its seeds",
        "backends": "; ".join(row.get("versions") or row.get("backends") or []) or "its versions",
    }
    causes = "; ".join(c.format(**fill) for c in _causes(name))
    print(f"{value:.{d}g}: outside {span}, {side} it. What usually causes that: {causes}.")
    return "outside"
