"""One results table from the lessons' ``ae.record(...)`` rows: the site's results page, the lab
timings, and the README's lesson-results block.

A run with ``AEHELPERS_RESULTS=/abs/path/results.jsonl`` (``tools/execute_lessons.py`` sets it) makes
every lesson append one JSON line per record::

    {"lesson", "name", "value", "baseline", "fast_mode", "elapsed_s", "note"}

and the executor adds one ``{"name": "lesson_wall_s", "value": seconds, "note": "<cpu>, <n> cores,
keras <v>, <backend>"}`` row per lesson. Commands::

    python -m tools.results page RESULTS.jsonl OUT.md    # MyST page: every record, grouped by lesson
    python -m tools.results timings RESULTS.jsonl        # JSON {lesson stem: wall seconds}
    python -m tools.results readme RESULTS.jsonl [--check]   # the README block from HEADLINES
    python -m tools.results commit RESULTS.jsonl         # validate a full run, write
                                                       # results/full-cpu.jsonl, then the README;
                                                       # lessons the run lacks keep their rows
    python -m tools.results commit RESULTS.jsonl --env colab   # the same run on Colab's versions:
                                                       # results/full-cpu-colab.jsonl (README untouched)

The README quotes only the records named in ``HEADLINES`` (names, never numbers); a name missing
from the file is an error, never a blank cell.
"""

import difflib
import json
import math
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from aehelpers.results import FIELDS, WALL, ResultsError, load, read_rows

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
LESSONS = ROOT / "lessons"
COMMITTED = ROOT / "results" / "full-cpu.jsonl"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"

# The README's headline records per lesson: (record name, what it shows). Names only: every
# number comes from the results file. A lesson's own notebook asserts each claim.
HEADLINES = {
    "00_setup_and_tour": [
        (
            "tiny_ae_over_mean_image_mse",
            "a first tiny AE's test MSE, relative to the average image",
        ),
        (
            "code_nn_same_class",
            "share of images whose nearest neighbour by AE code has the same class (baseline: by pixels)",
        ),
    ],
    "01_linear_autoencoder": [
        (
            "linear_ae_over_pca_mse",
            "linear AE's test MSE relative to PCA's: it learns PCA's subspace",
        ),
        (
            "median_angle_ae_vs_pca_deg",
            "median principal angle AE vs PCA, degrees (baseline: PCA on two halves of the data)",
        ),
    ],
    "02_undercomplete_autoencoder": [
        ("dense_ae32_over_pca32", "dense AE's test MSE relative to PCA's, same code size"),
        (
            "conv_ae32_over_dense_same_steps",
            "conv AE's test MSE relative to the dense AE's, same number of steps",
        ),
    ],
    "02b_regularisation_and_properties": [
        (
            "reg_chosen_val_change_pct",
            "500 images: validation error of the variant chosen on validation vs none, % "
            "(baseline: how far none moves between 3 random starts, %)",
        ),
        (
            "digits_specialist_win_on_digits",
            "data-specific: the clothes AE's error on digits, relative to the digit AE's",
        ),
    ],
    "03_sparse_autoencoder": [
        ("kl_hoyer", "Hoyer sparsity of the KL-sparse code (baseline: the plain AE's)"),
        (
            "kl_over_plain_mse",
            "the price of sparsity: KL-sparse test MSE relative to the plain AE's",
        ),
    ],
    "04_overcomplete_autoencoder": [
        (
            "plain_copy_score",
            "a plain overcomplete AE copies noise: its copy score (0 = ignores its input, 1 = the identity)",
        ),
        (
            "denoising_over_plain_on_noisy_clothes",
            "denoising AE's MSE on noisy clothes relative to the plain overcomplete AE's",
        ),
    ],
    "05_denoising_autoencoder": [
        ("dae_psnr_gaussian_0.5", "DAE's PSNR (dB) on Gaussian noise σ=0.5"),
        (
            "document_dae_over_best_classical_rmse",
            "damaged documents: DAE's RMSE relative to the best classical filter",
        ),
    ],
    "06_variational_autoencoder": [
        ("dense_vae_z20_iwae_nll_nats", "dense VAE's test NLL in nats (IWAE)"),
        ("conv_vae_z20_iwae_nll_nats", "conv VAE's test NLL in nats (IWAE)"),
    ],
    "07_dimensionality_reduction": [
        ("knn_ae2", "5-NN accuracy from a 2-D AE code (baseline: PCA-2)"),
        (
            "trust_ae10_tsne2",
            "trustworthiness of AE-10 codes then t-SNE (baseline: t-SNE on pixels)",
        ),
    ],
    "08_anomaly_detection": [
        ("cancer_auroc_ae", "breast cancer AUROC of the AE (baseline: IsolationForest)"),
        (
            "shuttle_ap_ae_chosen",
            "Shuttle AP of the AE chosen on validation data (baseline: the baseline so chosen)",
        ),
        ("ood_auroc_conv_ae", "AUROC for clothes among digits, conv AE (baseline: PCA-32)"),
    ],
    "09_feature_learning": [
        (
            "probe100_AE-128",
            "linear-probe accuracy with 100 labels on frozen AE-128 codes (baseline: raw pixels)",
        ),
        (
            "finetune100_pretrained",
            "fine-tuned pretrained encoder, 100 labels (baseline: same network from scratch)",
        ),
    ],
    "10_generative_modelling": [
        (
            "cvae_recognised_rate_fashion-mnist",
            "conditional VAE: requested class recognised by a judge",
        ),
        ("cvae_conditional_nll_mnist_nats", "conditional VAE's NLL in nats on MNIST"),
    ],
    "11_sequence_autoencoders": [
        ("abp_conv1d_ae_auroc", "blood pressure: Conv1D AE's AUROC (baseline: matrix profile)"),
        ("ecg_conv1d_ae_auroc", "ECG: Conv1D AE's AUROC (baseline: matrix profile)"),
    ],
    "12_training_at_scale": [
        (
            "data_parallel_loss_gap",
            "relative loss gap, 1 vs several devices (baseline: another seed)",
        ),
        (
            "resume_max_weight_difference",
            "largest weight difference after resuming (baseline: carrying on in memory)",
        ),
    ],
    "13_sparse_autoencoders_interpretability": [
        (
            "topk_recovered_share",
            "TopK SAE: share of 256 known features recovered at L0 = 5 (baseline: random directions)",
        ),
        (
            "topk_recovered_resampled",
            "the same with dead latents resampled (baseline: no resampling)",
        ),
    ],
}


# ---------------------------------------------------------------- reading


def lesson_stems():
    return sorted(p.stem for p in LESSONS.glob("*.ipynb"))


def by_lesson(rows):
    """{lesson: [rows in recorded order]}, lessons sorted by name."""
    out = {}
    for row in rows:
        out.setdefault(row["lesson"], []).append(row)
    return dict(sorted(out.items()))


def timings(rows):
    """{lesson stem: wall seconds} from the lesson_wall_s rows (the last one wins)."""
    return {
        row["lesson"]: row["value"]
        for row in sorted(rows, key=lambda r: r["lesson"])
        if row["name"] == WALL
    }


def machines(rows):
    """The distinct machines of the lesson_wall_s notes ('<cpu>, <n> cores', without keras/backend)."""
    found = []
    for row in rows:
        if row["name"] == WALL and row["note"]:
            machine = row["note"].split(", keras")[0].strip()
            if machine not in found:
                found.append(machine)
    return found or ["machine not recorded"]


def mode(rows):
    fast = sum(bool(row["fast_mode"]) for row in rows)
    return (
        "fast"
        if fast == len(rows)
        else "full"
        if fast == 0
        else f"mixed ({fast} of {len(rows)} rows in fast mode)"
    )


def run_date(path):
    """The date of the run: the last commit of a tracked, unmodified file, else the file's mtime (UTC)."""
    path = Path(path).resolve()
    try:
        rel = path.relative_to(ROOT)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", str(rel)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        date = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", str(rel)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if date.strip() and not dirty.strip():
            return date.strip()
    except (ValueError, OSError, subprocess.CalledProcessError):
        pass
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")


# ---------------------------------------------------------------- formatting


def fmt(value):
    """4 significant digits for floats; ints as they are; lists and dicts compact; None as 'null'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        text = f"{value:.4g}"
        return text
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {fmt(v)}" for k, v in value.items()) + "}"
    return str(value)


def cell(text):
    """Text made safe for a Markdown table cell (pipes, dollar signs, newlines)."""
    return (
        str(text).replace("\\", "\\\\").replace("|", "\\|").replace("$", "\\$").replace("\n", " ")
    )


def baseline_text(row):
    return "" if row["baseline"] is None else fmt(row["baseline"])


def minutes(seconds):
    return f"{seconds / 60:.1f}"


# ---------------------------------------------------------------- page


def spread_file(source, rows):
    """The spread file that goes with a results file: ``results/spread-<mode>-cpu.jsonl`` for a results
    file of this checkout (``tools/spread.py`` writes it), None for one elsewhere or when there is none."""
    try:
        Path(source).resolve().relative_to(ROOT)
    except ValueError:
        return None
    path = ROOT / "results" / f"spread-{mode(rows)}-cpu.jsonl"
    return path if path.is_file() else None


def load_spreads(path):
    """{(lesson, name): spread row} of the claims measured more than once (``tools/spread.py``'s rows)."""
    if path is None:
        return {}
    out = {}
    for row in read_rows(path):
        if not isinstance(row, dict):
            print(
                f"results: skipped a spread row of {path} that is not a JSON object: {row!r}"[:300],
                file=sys.stderr,
            )
            continue
        if row.get("n", 0) > 1 and "min" in row:
            out[row["lesson"], row["name"]] = row
    return out


def with_spread(row, spreads):
    """The value as the page shows it: ``0.544 (0.531-0.562 over 3 seeds)`` where a spread was measured."""
    text = fmt(row["value"])
    found = spreads.get((row["lesson"], row["name"]))
    if found is None or row["name"] == WALL or isinstance(row["value"], (dict, list)):
        return text  # no spread measured; or a wall time, which measures the machine's load, not the claim
    what = f"{len(found['seeds'])} seeds" + (
        f" x {len(found['backends'])} backends" if len(found["backends"]) > 1 else ""
    )
    return f"{text} ({fmt(found['min'])}-{fmt(found['max'])} over {what})"


def page(rows, source, spreads=None):
    """A MyST Markdown page: a header (mode, machine, date) and one table of every record.

    ``spreads``: {(lesson, name): spread row} (:func:`load_spreads`); a claim with one shows the
    min-max of its runs beside its value. None: the spread file of :func:`spread_file`.
    """
    if spreads is None:
        spreads = load_spreads(spread_file(source, rows))
    groups = by_lesson(rows)
    walls = timings(rows)
    lines = [
        "# Results",
        "",
        f"Every number the lessons record with `ae.record(...)`, from one run: **{mode(rows)} mode**, "
        f"on {'; '.join(cell(m) for m in machines(rows))}, {run_date(source)}. "
        f"{len(groups)} lessons, {sum(r['name'] != WALL for r in rows)} records"
        + (f", {minutes(sum(walls.values()))} minutes of lessons in all." if walls else "."),
        "Each lesson asserts its claims in the notebook; the baseline is the same run's number "
        "(or, for a ratio, what equals 1). Seconds: since the lesson's set-up. One table per lesson "
        "(the lesson is the table's heading), so that each fits a page.",
    ]
    if spreads:
        seeds = sorted({s for r in spreads.values() for s in r["seeds"]})
        lines[-1] += (
            f" Where a claim was also measured under other seeds ({', '.join(map(str, seeds))}: "
            "`./course spread`, `results/spread-*-cpu.jsonl`), its value is followed by the lowest and highest over "
            "those runs; the lesson's asserted bound for it sits outside that range, and the comment "
            "beside the assert says by how much."
        )
    for lesson, group in groups.items():
        group = [r for r in group if r["name"] != WALL] + [r for r in group if r["name"] == WALL]
        lines += [
            "",
            f"## {cell(lesson)}",
            "",
            "| claim | value | baseline | mode | seconds | note |",
            "|---|---|---|---|---|---|",
        ]
        for row in group:
            name = "lesson wall time (s)" if row["name"] == WALL else f"`{cell(row['name'])}`"
            lines.append(
                f"| {name} | {cell(with_spread(row, spreads))} | {cell(baseline_text(row))} "
                f"| {'fast' if row['fast_mode'] else 'full'} | {row['elapsed_s']:.1f} | {cell(row['note'])} |"
            )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- README


PLACEHOLDER = (
    "No full run is recorded yet (`results/full-cpu.jsonl` is missing): `./course results` runs every lesson in "
    "full mode and writes this table."
)
HEADER = [
    "| lesson | what it shows | measured | same-run baseline | full run, min |",
    "|---|---|---|---|---|",
]


def headline_rows(rows):
    """{lesson: [(name, what, row)]} for HEADLINES; raises ResultsError naming every missing record."""
    index = {(r["lesson"], r["name"]): r for r in rows}
    missing = [
        f"{lesson}: {name}"
        for lesson, items in HEADLINES.items()
        for name, _ in items
        if (lesson, name) not in index
    ]
    if missing:
        raise ResultsError(
            "headline records missing from the results file (rename them in HEADLINES in "
            "tools/results.py, or rerun the lesson):\n  " + "\n  ".join(missing)
        )
    extra = sorted(set(HEADLINES) - set(lesson_stems()))
    if extra:
        raise ResultsError(f"HEADLINES names lessons that do not exist: {extra}")
    return {
        lesson: [(name, what, index[lesson, name]) for name, what in items]
        for lesson, items in HEADLINES.items()
    }


def readme_block(rows):
    """The text between the README markers, generated from a full run's rows (None: no run yet)."""
    if rows is None:
        return "\n".join(["", *HEADER, "", PLACEHOLDER, ""])
    if mode(rows) != "full":
        raise ResultsError(f"the README quotes a full run only; this file is {mode(rows)} mode")
    walls = timings(rows)
    chosen = headline_rows(rows)
    lines = [
        "",
        f"Headline numbers of the last full run (`results/full-cpu.jsonl`, on {'; '.join(cell(m) for m in machines(rows))}), "
        "each beside its same-run baseline (for a ratio: what equals 1); every number here is generated "
        "by `./course results`, and the lesson asserts the claim.",
        "",
        *HEADER,
    ]
    for lesson in sorted(set(walls) | set(chosen)):
        stem = lesson.split("_", 1)
        link = f"[{stem[0]} {stem[1] if len(stem) > 1 else ''}](lessons/{lesson}.ipynb)"
        wall = minutes(walls[lesson]) if lesson in walls else ""
        items = chosen.get(lesson, [])
        if not items:
            lines.append(f"| {link} | | | | {wall} |")
        for i, (_, what, row) in enumerate(items):
            lines.append(
                f"| {link if i == 0 else ''} | {cell(what)} | {cell(fmt(row['value']))} "
                f"| {cell(baseline_text(row))} | {wall if i == 0 else ''} |"
            )
    if walls:
        lines += [
            "",
            f"All lessons: {minutes(sum(walls.values()))} minutes in full mode on that machine.",
        ]
    return "\n".join(lines) + "\n"


def split_readme(text):
    """(before, block, after) around the markers; ResultsError unless each marker appears once, in order."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise ResultsError(f"README.md must hold {BEGIN} and then {END}, once each")
    before, rest = text.split(BEGIN)
    block, after = rest.split(END)
    return before + BEGIN, block, END + after


def readme(rows, check=False, path=README):
    """Write the generated block into README.md, or with check=True return the diff (empty: agrees)."""
    text = Path(path).read_text(encoding="utf-8")
    before, block, after = split_readme(text)
    wanted = readme_block(rows)
    if check:
        if block == wanted:
            return ""
        return "".join(
            difflib.unified_diff(
                block.splitlines(True), wanted.splitlines(True), "README.md (now)", "generated"
            )
        )
    if block != wanted:
        Path(path).write_text(before + wanted + after, encoding="utf-8")
    return ""


# ---------------------------------------------------------------- commit


def validate_full_run(rows, stems=None):
    """Errors (a list of str) that keep a run from being committed: empty when it is complete."""
    stems = lesson_stems() if stems is None else stems
    errors = []
    fast = sorted({r["lesson"] for r in rows if r["fast_mode"]})
    if fast:
        errors.append(f"fast-mode rows (a committed run is a full run): {fast}")
    seen = {}
    for row in rows:
        seen[row["lesson"], row["name"]] = seen.get((row["lesson"], row["name"]), 0) + 1
    dupes = sorted(f"{lesson}: {name} x{n}" for (lesson, name), n in seen.items() if n > 1)
    if dupes:
        errors.append(f"duplicate rows (one run, each record once): {dupes}")
    walls = {lesson for lesson, name in seen if name == WALL}
    lessons = {lesson for lesson, _ in seen}
    if sorted(set(stems) - walls):
        errors.append(
            f"lessons without a lesson_wall_s row (not run?): {sorted(set(stems) - walls)}"
        )
    if sorted(lessons - set(stems)):
        errors.append(f"rows of lessons that are not in lessons/: {sorted(lessons - set(stems))}")

    def bad_number(v):
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            return True
        if isinstance(v, list):
            return any(bad_number(x) for x in v)
        if isinstance(v, dict):
            return any(bad_number(x) for x in v.values())
        return False

    nans = [f"{r['lesson']}: {r['name']}" for r in rows if bad_number(r["value"])]
    nans += [
        f"{r['lesson']}: {r['name']} (baseline)"
        for r in rows
        if isinstance(r["baseline"], (int, float))
        and not isinstance(r["baseline"], bool)
        and bad_number(float(r["baseline"]))
    ]
    if nans:
        errors.append(f"NaN, infinite or missing values: {nans}")
    return errors


def sorted_rows(rows):
    """By lesson, each lesson's records in recorded order, its lesson_wall_s last: stable across runs."""
    order = {lesson: i for i, lesson in enumerate(sorted({r["lesson"] for r in rows}))}
    return sorted(rows, key=lambda r: (order[r["lesson"]], r["name"] == WALL))


def dumps(rows):
    return "".join(
        json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False, allow_nan=False) + "\n"
        for r in sorted_rows(rows)
    )


def committed_path(env=None):
    """results/full-cpu.jsonl, or results/full-cpu-<env>.jsonl for another environment's full run."""
    return COMMITTED if env is None else COMMITTED.with_name(f"full-cpu-{env}.jsonl")


def with_committed(rows, target=COMMITTED):
    """``rows`` plus ``target``'s rows of every current lesson that ``rows`` has none of, and the names
    of those lessons: a run of some lessons (``./course results --lessons 04``) replaces only theirs."""
    ran = {r["lesson"] for r in rows}
    old = load(target) if Path(target).is_file() else []
    kept = [r for r in old if r["lesson"] not in ran and r["lesson"] in set(lesson_stems())]
    return kept + list(rows), sorted({r["lesson"] for r in kept})


def commit(rows, target=COMMITTED, readme_path=README):
    """Validate a full run, write it to ``target`` and regenerate the README block (``readme_path=None``: not).
    Lessons the run did not execute keep their committed rows (``with_committed``)."""
    rows, kept = with_committed(rows, target)
    if kept:
        print(
            f"kept the committed rows of {len(kept)} lessons this run did not execute: {', '.join(kept)}"
        )
    errors = validate_full_run(rows)
    if errors:
        raise ResultsError("not committed:\n  " + "\n  ".join(errors))
    readme_block(rows)  # every headline present, before anything is written
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(dumps(rows), encoding="utf-8")
    tmp.replace(target)
    if readme_path is not None:
        readme(load(target), path=readme_path)


# ---------------------------------------------------------------- CLI


USAGE = __doc__.split("Commands::")[1].split("The README")[0]


def main(argv):
    if len(argv) < 2 or argv[0] not in ("page", "timings", "readme", "commit"):
        print("usage:" + USAGE, file=sys.stderr)
        return 2
    command, source, rest = argv[0], argv[1], argv[2:]
    try:
        rows = load(source)
        if command == "page":
            if len(rest) != 1:
                raise ResultsError("page needs RESULTS.jsonl OUT.md")
            Path(rest[0]).parent.mkdir(parents=True, exist_ok=True)
            Path(rest[0]).write_text(page(rows, source), encoding="utf-8")
            print(f"wrote {rest[0]}: {len(rows)} rows, {len(by_lesson(rows))} lessons")
        elif command == "timings":
            print(json.dumps(timings(rows), indent=1))
        elif command == "readme":
            if rest not in ([], ["--check"]):
                raise ResultsError(f"readme takes only --check, got {rest}")
            diff = readme(rows, check=bool(rest))
            if diff:
                print(
                    f"README.md's results block disagrees with {source}; run `python -m tools.results readme {source}`:\n{diff}"
                )
                return 1
            print(
                "README.md's results block "
                + ("agrees with " if rest else "written from ")
                + str(source)
            )
        else:
            if rest not in ([], ["--env", "colab"]):
                raise ResultsError(f"commit takes only --env colab, got {rest}")
            if rest:  # another environment's run: its own file beside full-cpu.jsonl; the README keeps the main run
                target = committed_path(rest[1])
                commit(rows, target=target, readme_path=None)
                print(f"wrote {target.relative_to(ROOT)} ({len(rows)} rows)")
            else:
                commit(rows)
                print(
                    f"wrote {COMMITTED.relative_to(ROOT)} ({len(rows)} rows) and README.md's results block"
                )
    except ResultsError as err:
        print(f"results.py {command}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
