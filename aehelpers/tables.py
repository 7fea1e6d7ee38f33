"""Tables for anomaly detection, with the anomaly as the positive class (label 1).

- :func:`load_breast_cancer_table`: scikit-learn's Wisconsin diagnostic breast-cancer
  table (569 patients, 30 features); malignant tumours are the anomalies (37%).
- :func:`load_shuttle`: the ODDS Shuttle table (49,097 rows of 9 NASA shuttle sensor
  readings, 3,511 = 7.2% anomalies), shipped inside aehelpers as
  ``aehelpers/data/shuttle.csv.gz`` (CC BY 4.0; see data/README.md).

Both loaders split the rows into train / validation / test (stratified), keep only the
normal rows in the training split by default (an anomaly detector learns what "normal"
looks like), standardise every split with the mean and standard deviation of the training
rows only, and print where the data came from with counts and anomaly shares.

Resolution order for Shuttle: the course cache (``data_dir()/shuttle.csv.gz``), then the
copy shipped inside aehelpers (package data), then an error that says how to get it.
"""

import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .datasets import DataError, data_dir, file_sha256
from .validation import check_bool, check_fraction, check_int

SHUTTLE_FILE = "shuttle.csv.gz"
SHUTTLE_COLUMNS = tuple(f"f{i}" for i in range(1, 10)) + ("anomaly",)
SHUTTLE_ROWS, SHUTTLE_ANOMALIES = 49_097, 3_511
# The shipped file, as data/README.md documents it: SHA-256 of the .csv.gz, and of the CSV inside
# (a copy gzipped again has other .gz bytes but the same CSV).
SHUTTLE_SHA256 = "1ed4bfa77233d95bff2c8ab2482725d2d800410daedf5919ad80ec6faf60ff59"
SHUTTLE_CSV_SHA256 = "8bee3239f80b6549cbf0bc69c07bdcad8bb33fb968329c0678328a8ca971784b"


@dataclass
class TableDataset:
    """A table split for anomaly detection; label 1 marks an anomaly.

    Attributes:
        name: dataset name.
        x_train, x_val, x_test: float32 arrays (n, n_features), standardised with the
            training rows' mean and std (unless the loader was asked not to).
        y_train, y_val, y_test: int64 arrays (n,), 1 = anomaly, 0 = normal.
        feature_names: tuple of n_features column names.
        source: where the rows were read from.
        mean, std: float32 arrays (n_features,) used for standardisation (0 and 1 if off).
        positive: what label 1 means, e.g. ``"malignant"``.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    feature_names: tuple
    source: str
    mean: np.ndarray
    std: np.ndarray
    positive: str = "anomaly"

    def summary(self):
        """Counts and anomaly share of each split, one line each."""
        n = len(self.y_train) + len(self.y_val) + len(self.y_test)
        lines = [
            f"{self.name}: {n:,} rows in the splits, {len(self.feature_names)} features, "
            f"label 1 = {self.positive}, from {self.source}"
        ]
        for split in ("train", "val", "test"):
            y = getattr(self, f"y_{split}")
            share = y.mean() if len(y) else 0.0
            lines.append(
                f"  {split:5s} {len(y):6,} rows, {int(y.sum()):5,} anomalies ({share:.1%})"
            )
        return "\n".join(lines)


def _split(x, y, val_fraction, test_fraction, normal_only, standardize, seed):
    """Stratified train/val/test split, optional normal-only training rows, standardisation."""
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(y))
    rest, test = train_test_split(idx, test_size=test_fraction, stratify=y, random_state=seed)
    val_share = val_fraction / (1.0 - test_fraction)
    train, val = train_test_split(rest, test_size=val_share, stratify=y[rest], random_state=seed)
    dropped = 0
    if normal_only:
        dropped = int(y[train].sum())
        train = train[y[train] == 0]
    if standardize:
        mean = x[train].mean(axis=0)
        std = x[train].std(axis=0)
        std = np.where(std > 1e-12, std, 1.0)  # a constant column stays as it is
    else:
        mean, std = np.zeros(x.shape[1]), np.ones(x.shape[1])

    def part(rows):
        return ((x[rows] - mean) / std).astype(np.float32), y[rows].astype(np.int64)

    return (
        part(train),
        part(val),
        part(test),
        mean.astype(np.float32),
        std.astype(np.float32),
        dropped,
    )


def _check_split_args(val_fraction, test_fraction, seed):
    val_fraction = check_fraction(val_fraction, "val_fraction", 0.0, 0.9, inclusive_low=False)
    test_fraction = check_fraction(test_fraction, "test_fraction", 0.0, 0.9, inclusive_low=False)
    if val_fraction + test_fraction >= 0.95:
        raise ValueError(
            f"val_fraction + test_fraction = {val_fraction + test_fraction:.2f} leaves almost no "
            "training rows; expected a sum below 0.95"
        )
    check_int(seed, "seed", minimum=0)
    return val_fraction, test_fraction


def _finish(
    name,
    x,
    y,
    names,
    source,
    positive,
    val_fraction,
    test_fraction,
    normal_only,
    standardize,
    seed,
    note="",
):
    (xtr, ytr), (xva, yva), (xte, yte), mean, std, dropped = _split(
        x, y, val_fraction, test_fraction, normal_only, standardize, seed
    )
    data = TableDataset(
        name, xtr, ytr, xva, yva, xte, yte, tuple(names), source, mean, std, positive
    )
    print(data.summary())
    if normal_only:
        print(f"  (training split keeps normal rows only: {dropped:,} anomalous rows left out)")
    print(
        "  standardised with the training rows' mean and std"
        if standardize
        else "  not standardised"
    )
    if note:
        print(f"  {note}")
    return data


def load_breast_cancer_table(
    *, val_fraction=0.2, test_fraction=0.3, normal_only=True, standardize=True, seed=0
):
    """scikit-learn's Wisconsin diagnostic breast-cancer table; malignant = anomaly (1).

    569 patients, 30 features computed from images of a fine-needle aspirate (radius,
    texture, ... : mean, standard error and worst value of each); 212 malignant (37%),
    357 benign. scikit-learn ships the file, so it works offline.

    Args:
        val_fraction, test_fraction: shares of all rows for validation and test
            (stratified, so both keep the 37% malignant share).
        normal_only: keep only benign rows in the training split (train on healthy cases).
        standardize: subtract the training rows' mean and divide by their std.
        seed: int, seeds the split.

    Returns:
        TableDataset with float32 features and int64 labels, 1 = malignant.
    """
    val_fraction, test_fraction = _check_split_args(val_fraction, test_fraction, seed)
    normal_only, standardize = (
        check_bool(normal_only, "normal_only"),
        check_bool(standardize, "standardize"),
    )
    from sklearn.datasets import load_breast_cancer

    try:
        bunch = load_breast_cancer()
    except (OSError, ValueError, IndexError) as err:
        raise DataError(
            f"scikit-learn's breast_cancer.csv could not be read ({type(err).__name__}: {err}); "
            "reinstall scikit-learn (`pip install --force-reinstall scikit-learn`)"
        ) from None
    x = np.asarray(bunch.data, dtype=np.float64)
    if x.shape != (569, 30) or not np.all(np.isfinite(x)):
        raise DataError(
            f"scikit-learn's breast-cancer table has shape {x.shape} (or non-finite values); "
            "expected 569 finite rows of 30 features. Reinstall scikit-learn."
        )
    # scikit-learn codes 0 = malignant, 1 = benign; here the anomaly is the positive class.
    if tuple(bunch.target_names) != ("malignant", "benign"):
        raise DataError(
            f"unexpected target names {tuple(bunch.target_names)}; expected (malignant, benign)"
        )
    y = (np.asarray(bunch.target) == 0).astype(np.int64)
    source = "scikit-learn package (sklearn/datasets/data/breast_cancer.csv)"
    return _finish(
        "Breast cancer (Wisconsin diagnostic)",
        x,
        y,
        bunch.feature_names,
        source,
        "malignant",
        val_fraction,
        test_fraction,
        normal_only,
        standardize,
        seed,
    )


def _packaged_shuttle_path():
    """The copy of the ODDS Shuttle table shipped inside aehelpers (package data)."""
    return Path(__file__).resolve().parent / "data" / SHUTTLE_FILE


def read_shuttle_csv(path):
    """Read an ODDS Shuttle ``.csv.gz`` completely (header f1..f9,anomaly), or raise DataError.

    Returns:
        (x, y): float64 array (n, 9) and int64 array (n,) with 1 = anomaly.
    """
    path = Path(path)
    fix = (
        f"Delete {path} if it is a copy, or reinstall aehelpers (`pip install --force-reinstall "
        "aehelpers`), which ships the file as aehelpers/data/shuttle.csv.gz."
    )
    try:
        with gzip.open(path, "rt", encoding="ascii") as f:
            header = f.readline().strip()
            body = f.read()
    except (EOFError, OSError, zlib.error, UnicodeDecodeError) as err:
        raise DataError(
            f"{path} is truncated or corrupt ({type(err).__name__}: {err}). {fix}"
        ) from None
    if tuple(header.split(",")) != SHUTTLE_COLUMNS:
        raise DataError(
            f"{path} starts with the header {header[:80]!r}; expected "
            f"{','.join(SHUTTLE_COLUMNS)!r}. {fix}"
        )
    try:
        table = np.loadtxt(body.splitlines(), delimiter=",", dtype=np.float64, ndmin=2)
    except ValueError as err:
        raise DataError(f"{path} holds a row that is not 10 numbers ({err}). {fix}") from None
    if table.shape[1] != len(SHUTTLE_COLUMNS) or not np.all(np.isfinite(table)):
        raise DataError(
            f"{path} parsed to shape {table.shape}: rows are not 10 numbers (f1..f9, anomaly). {fix}"
        )
    labels = table[:, -1]
    if not np.all(np.isin(labels, (0, 1))):
        raise DataError(f"{path}: the anomaly column holds values other than 0 and 1. {fix}")
    return table[:, :-1], labels.astype(np.int64)


def _check_shuttle_file(path, packaged, n_rows):
    """The shipped copy, and any full-size copy, must be the documented file (data/README.md).

    A full-size table whose rows were shuffled against their labels, or edited, parses fine:
    only its hash tells. A smaller table of one's own in the course cache is used with a note.
    """
    if not packaged and n_rows != SHUTTLE_ROWS:
        return
    if file_sha256(path) == SHUTTLE_SHA256:
        return
    import hashlib

    with gzip.open(path, "rb") as f:
        if hashlib.file_digest(f, "sha256").hexdigest() == SHUTTLE_CSV_SHA256:
            return
    fix = (
        "Reinstall aehelpers (`pip install --force-reinstall aehelpers`), which ships the file."
        if packaged
        else f"Delete {path}: the copy aehelpers ships is then used."
    )
    raise DataError(
        f"{path} holds {n_rows:,} rows but is not the ODDS Shuttle file that data/README.md documents "
        f"(SHA-256 {file_sha256(path)[:16]}..., expected {SHUTTLE_SHA256[:16]}...): its rows or labels "
        f"differ. {fix}"
    )


def load_shuttle(
    n_rows=None, *, val_fraction=0.2, test_fraction=0.4, normal_only=True, standardize=True, seed=0
):
    """The ODDS Shuttle table: 49,097 rows of 9 sensor readings, 7.2% anomalies (label 1).

    From the UCI Statlog (Shuttle) data as the ODDS benchmark casts it: the majority
    "Rad Flow" class is normal, the rare classes are anomalies. Rare events among many
    normal ones, like fraud among card payments.

    Args:
        n_rows: use a stratified random sample of this many rows (None: all 49,097).
        val_fraction, test_fraction: shares of the rows for validation and test (stratified).
        normal_only: keep only normal rows in the training split.
        standardize: subtract the training rows' mean and divide by their std.
        seed: int, seeds the sampling and the split.

    Returns:
        TableDataset with float32 features and int64 labels, 1 = anomaly.
    """
    val_fraction, test_fraction = _check_split_args(val_fraction, test_fraction, seed)
    normal_only, standardize = (
        check_bool(normal_only, "normal_only"),
        check_bool(standardize, "standardize"),
    )
    if n_rows is not None:
        n_rows = check_int(n_rows, "n_rows", minimum=100, maximum=SHUTTLE_ROWS)
    tried = []
    for label, path in (
        ("course cache", data_dir() / SHUTTLE_FILE),
        ("aehelpers package data", _packaged_shuttle_path()),
    ):
        if not path.is_file():
            tried.append(f"{label}: {path} (not there)")
            continue
        x, y = read_shuttle_csv(path)
        _check_shuttle_file(path, label == "aehelpers package data", len(y))
        note = ""
        if len(y) != SHUTTLE_ROWS or int(y.sum()) != SHUTTLE_ANOMALIES:
            note = (
                f"NOTE: this file holds {len(y):,} rows / {int(y.sum()):,} anomalies; the ODDS "
                f"table has {SHUTTLE_ROWS:,} / {SHUTTLE_ANOMALIES:,}"
            )
        if n_rows is not None and n_rows < len(y):
            from sklearn.model_selection import train_test_split

            keep, _ = train_test_split(
                np.arange(len(y)), train_size=n_rows, stratify=y, random_state=seed
            )
            x, y = x[keep], y[keep]
            note = (note + "; " if note else "") + f"a stratified sample of {n_rows:,} rows"
        return _finish(
            "Shuttle (ODDS)",
            x,
            y,
            SHUTTLE_COLUMNS[:-1],
            f"{label} ({path})",
            "anomaly",
            val_fraction,
            test_fraction,
            normal_only,
            standardize,
            seed,
            note,
        )
    raise DataError(
        "The Shuttle table was not found. Tried:\n  - " + "\n  - ".join(tried) + "\n"
        f"Reinstall aehelpers (it ships aehelpers/data/shuttle.csv.gz) or copy shuttle.csv.gz "
        f"into {data_dir()}."
    )
