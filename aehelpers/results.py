"""The results rows and the executed copies: the one place that builds, appends and reads them.

A results file is JSON lines, one row per recorded number::

    {"lesson", "name", "value", "baseline", "fast_mode", "elapsed_s", "note"}

``ae.record(...)`` appends a lesson's rows (when ``AEHELPERS_RESULTS`` names a file); whatever
runs a whole lesson (the nbval plugin ``tools/nbval_plugin.py``, ``python -m tools.execute``)
appends one ``lesson_wall_s`` row per lesson (:func:`wall_row`) and writes the lesson's executed
copy (:func:`write_executed`) into ``build/executed/<mode>/`` (:func:`executed_dir`). The course
tools read the rows back with :func:`load` (every field checked) or :func:`read_rows`.
"""

import contextlib
import json
import os
import sys
from pathlib import Path

from .environment import _record_prints, _state, elapsed, is_fast, results_file

FIELDS = ("lesson", "name", "value", "baseline", "fast_mode", "elapsed_s", "note")
WALL = "lesson_wall_s"
RECORD_MAX_ITEMS = 1000


class ResultsError(Exception):
    """A results file that cannot be used as asked."""


# ----------------------------------------------------------------------------- paths


def executed_dir(root, mode, env=None):
    """``<root>/build/executed/<mode>/``, or ``.../<mode>-<env>/`` for another environment's run.

    Args:
        root: the course repository (a path).
        mode: "fast" or "full".
        env: optional plain name of another Python environment (e.g. "colab").
    """
    if mode not in ("fast", "full"):
        raise ValueError(f"mode must be 'fast' or 'full', got {mode!r}")
    return Path(root) / "build" / "executed" / (f"{mode}-{env}" if env else mode)


def results_path(root, mode, env=None):
    """The results file beside the executed copies: ``executed_dir(...) / "results.jsonl"``."""
    return executed_dir(root, mode, env) / "results.jsonl"


# ----------------------------------------------------------------------------- rows


def make_row(lesson, name, value, *, baseline=None, fast_mode, elapsed_s, note=""):
    """One results row: a dict with the keys of :data:`FIELDS`, in that order."""
    return {
        "lesson": lesson,
        "name": name,
        "value": value,
        "baseline": baseline,
        "fast_mode": bool(fast_mode),
        "elapsed_s": elapsed_s,
        "note": note,
    }


def machine_note(backend):
    """'<cpu model>, <n> cores, keras <version>, <backend>': the note of a ``lesson_wall_s`` row."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu
            )
    except OSError:
        pass
    try:
        keras = version("keras")
    except PackageNotFoundError:
        keras = "?"
    return f"{cpu}, {os.cpu_count()} cores, keras {keras}, {backend}"


def wall_row(lesson, seconds, *, fast_mode, backend):
    """The ``lesson_wall_s`` row of one lesson run: its wall time (s, 0.1 s) and the machine."""
    seconds = round(float(seconds), 1)
    return make_row(
        lesson, WALL, seconds, fast_mode=fast_mode, elapsed_s=seconds, note=machine_note(backend)
    )


@contextlib.contextmanager
def results_lock(path):
    """Hold an exclusive lock on ``<results file>.lock`` (POSIX ``flock``; a no-op elsewhere).

    :func:`append_row` appends under it and :func:`drop_rows` rewrites a results file under it,
    so a rewrite never loses a row that another process appends meanwhile.
    """
    try:
        import fcntl
    except ImportError:  # Windows: appends are single writes; no rewrite runs beside a lesson
        yield
        return
    path = Path(path)
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def append_row(path, row):
    """Append ``row`` (a dict) to the results file ``path`` as one JSON line, under the lock.

    A row cut short before it (a writer killed mid-line, a full disk) has no newline: the new row
    starts a new line, so it is not glued onto the damaged one. One write call.

    Raises:
        OSError: the file cannot be written. ValueError: the row holds NaN or infinity.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(row, allow_nan=False) + "\n").encode("utf-8")
    with results_lock(path), path.open("ab+") as f:
        end = f.seek(0, os.SEEK_END)
        if end:
            f.seek(end - 1)
            if f.read(1) != b"\n":
                line = b"\n" + line
        f.write(line)


def _numbered_lines(path):
    """[(line number, line text, row dict or None when the line is not JSON)], blank lines left out."""
    found = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            row = None
        found.append((number, line, row))
    return found


def _report_damaged(who, verb, path, numbers):
    if numbers:
        print(
            f"{who}: {verb} {len(numbers)} damaged line(s) of {path} (not JSON, e.g. a row cut short): "
            f"line {', '.join(map(str, numbers[:10]))}" + (" ..." if len(numbers) > 10 else ""),
            file=sys.stderr,
        )


def read_rows(path, who="results"):
    """The JSON rows of a results file in file order ([] when there is no file).

    Lines that are not JSON (a row cut short by a killed writer) are skipped and reported on
    stderr, prefixed with ``who``. The rows' fields are not checked: see :func:`load`.
    """
    if not Path(path).is_file():
        return []
    lines = _numbered_lines(path)
    _report_damaged(who, "skipped", path, [n for n, _, row in lines if row is None])
    return [row for _, _, row in lines if row is not None]


def load(path):
    """The rows of a results file, in file order, each checked to have every field of :data:`FIELDS`.

    Raises:
        ResultsError: no file, no rows, a row without a field or without a lesson.
    """
    path = Path(path)
    if not path.is_file():
        raise ResultsError(f"no results file at {path}")
    rows, lines = [], _numbered_lines(path)
    for number, line, row in lines:
        if row is None:
            continue
        if not isinstance(row, dict) or set(FIELDS) - set(row):
            raise ResultsError(
                f"{path}:{number}: expected the fields {FIELDS}, got {line.strip()[:200]}"
            )
        if not isinstance(row["lesson"], str) or not row["lesson"]:
            raise ResultsError(
                f"{path}:{number}: record {row['name']!r} has no lesson (ae.setup(lesson=...) missing?)"
            )
        rows.append(row)
    _report_damaged("results", "skipped", path, [n for n, _, row in lines if row is None])
    if not rows:
        raise ResultsError(f"{path} holds no records")
    return rows


def drop_rows(path, lesson):
    """Remove ``lesson``'s rows from the results file ``path`` (a re-executed lesson replaces them).

    Lines that are not JSON are dropped and reported. The file is rewritten through a temp file
    in its folder and a rename, under :func:`results_lock`: a row another process appends
    meanwhile is never lost, and an interrupted rewrite leaves the old file whole.
    """
    import stat
    import tempfile

    path = Path(path)
    if not path.is_file():
        return
    with results_lock(path):
        lines = _numbered_lines(path)
        _report_damaged("[execute]", "dropped", path, [n for n, _, row in lines if row is None])
        kept = [
            line
            for _, line, row in lines
            if row is not None and not (isinstance(row, dict) and row.get("lesson") == lesson)
        ]
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write("".join(line + "\n" for line in kept))
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


# ----------------------------------------------------------------------------- record


def _jsonable(value, name="value"):
    """A JSON-ready copy of ``value``: numbers, strings, lists, dicts; NaN/inf become None."""
    import math

    import numpy as np

    from .validation import to_numpy

    value = to_numpy(value)
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        if np.size(value) > RECORD_MAX_ITEMS:
            raise ValueError(
                f"{name} holds {np.size(value):,} numbers; record() takes a number or a small "
                f"list (at most {RECORD_MAX_ITEMS:,}): record a summary such as its mean"
            )
        value = value.tolist()
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{name} item") for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v, f"{name}[{k!r}]") for k, v in value.items()}
    raise TypeError(
        f"{name} has type {type(value).__name__}; record() takes a number, a string, or a small "
        "list/dict of them (NumPy arrays and backend tensors are converted)"
    )


def _warn_once(key, message):
    import warnings

    warned = _state.setdefault("warned", set())
    if key not in warned:
        warned.add(key)
        warnings.warn(message, UserWarning, stacklevel=3)


def record(name, value, note="", baseline=None, show=None):
    """Keep a headline number: if ``AEHELPERS_RESULTS`` names a file, append it there.

    Silent by default (the lesson prints its numbers itself); ``show=True``, or the
    environment variable ``AEHELPERS_RECORD_PRINT=1``, echoes ``[record] name = value``.

    Each record is one JSON line (:func:`make_row`): lesson, name, value, baseline, fast mode,
    seconds since ``setup``, and an optional note, so a benchmark run can collect the numbers
    of every lesson into one table (the course site and the README show it). Recording never
    breaks a lesson: a results path that is relative, inside ``lessons/`` or not writable gives
    one warning and the numbers are only printed.

    Args:
        name: str, what the number is (``"linear_ae_over_pca_mse"``).
        value: a number, or a small list/dict of numbers; NumPy values and backend
            tensors are converted, NaN and infinity are written as ``null``.
        note: optional str shown next to it.
        baseline: optional, what the number is measured against in the same run: the
            baseline's own number (``mse_pca``), or a short str naming it when the value
            is already a ratio to it (``"PCA-32 = 1"``).
        show: optional bool, echo the number (default: ``AEHELPERS_RECORD_PRINT``, off).

    Returns:
        None.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"record needs a non-empty name (a str), got {name!r}")
    if not isinstance(note, str):
        raise TypeError(f"note must be a str, got {note!r} ({type(note).__name__})")
    plain = _jsonable(value)
    if plain is None and value is not None:  # a NaN or infinite number: a claim without a value
        raise ValueError(
            f"record({name!r}, value): the value is {value!r}, not a finite number "
            "(a model that diverged, or a ratio to 0?): nothing was recorded"
        )
    value = plain
    _state.setdefault("recorded", {})[name] = value  # for compare(name) (aehelpers.spread)
    if baseline is not None and not isinstance(baseline, str):
        plain = _jsonable(baseline, "baseline")  # NaN or infinity become None (null), like value
        if isinstance(baseline, bool) or not (plain is None or isinstance(plain, (int, float))):
            raise TypeError(f"baseline must be a number or a str naming it, got {baseline!r}")
        baseline = plain

    def fmt(v):
        return f"{v:.4g}" if isinstance(v, float) else (v if isinstance(v, str) else repr(v))

    shown = fmt(value) + (f" vs {fmt(baseline)}" if baseline is not None else "")
    if show is not None and not isinstance(show, bool):
        raise TypeError(
            f"show must be True, False or None (AEHELPERS_RECORD_PRINT decides), got {show!r}"
        )
    if show or (show is None and _record_prints()):
        print(f"[record] {name} = {shown}" + (f"  ({note})" if note else ""))
    raw = os.environ.get("AEHELPERS_RESULTS", "").strip()
    if not raw:
        return
    path = results_file()
    if path is None:
        _warn_once(
            ("results", raw),
            f"AEHELPERS_RESULTS={raw!r} is not used: expected an absolute "
            "path outside lessons/ (the lessons run inside lessons/); numbers are only printed",
        )
        return
    row = make_row(
        _state["lesson"],
        name,
        value,
        baseline=baseline,
        fast_mode=is_fast(),
        elapsed_s=round(elapsed(), 2),
        note=note,
    )
    try:
        append_row(path, row)
    except OSError as err:
        _warn_once(
            ("results", str(path)),
            f"AEHELPERS_RESULTS={str(path)!r} cannot be written "
            f"({type(err).__name__}: {err}); numbers are only printed",
        )


# ----------------------------------------------------------------------------- executed copies


def notebook_sha256(nb):
    """The hash that keys an executed copy: of the lesson as it was read for the run (nbformat's
    canonical text), so a lesson edited while it runs is never taken for the version that ran."""
    import hashlib

    import nbformat

    return hashlib.sha256(nbformat.writes(nb).encode("utf-8")).hexdigest()


def source_sha256(path):
    """:func:`notebook_sha256` of the lesson file as it is now."""
    import nbformat

    return notebook_sha256(nbformat.read(str(path), as_version=4))


def executed_copy(nb, outputs, *, source_sha, mode, backend, wall_s):
    """A copy of notebook ``nb`` with ``outputs`` ({cell index: [outputs]}) filled in, and the run's
    metadata in ``metadata.course``: source_sha256, mode, backend, wall_s. ``nb`` is not changed."""
    import copy

    import nbformat

    out = copy.deepcopy(nb)
    count = 0
    for i, cell in enumerate(out.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        cell.outputs = []
        for o in outputs.get(i, []):
            o = nbformat.from_dict(dict(o))
            if o.get("output_type") == "execute_result":
                o["execution_count"] = count
            cell.outputs.append(o)
    out.metadata["course"] = {
        "source_sha256": source_sha,
        "mode": mode,
        "backend": backend,
        "wall_s": round(float(wall_s), 2),
    }
    return out


def write_executed(target, nb, outputs, *, source_sha, mode, backend, wall_s):
    """Write :func:`executed_copy` of ``nb`` to ``target`` atomically (a temp file, then a rename)."""
    import nbformat

    done = executed_copy(
        nb, outputs, source_sha=source_sha, mode=mode, backend=backend, wall_s=wall_s
    )
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    nbformat.write(done, str(tmp))
    tmp.replace(target)
    return done
