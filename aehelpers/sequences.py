"""Real time series with labelled anomalies, windows, and the baselines of lesson 11.

Two short physiological series ship inside ``aehelpers`` (``aehelpers/data``), each with
ONE labelled anomaly, so lesson 11 runs offline:

- ``"abp"``: arterial blood pressure, file 135 (``InternalBleeding16``) of the UCR Time
  Series Anomaly Archive (Wu & Keogh 2021, the KDD Cup 2021 set), as the ``aeon``
  package ships it (``aeon/datasets/data/KDD-TSAD_135``). 7,501 samples; a 12-sample
  burst of noise is the anomaly.
- ``"ecg"``: an electrocardiogram excerpt of the MIT-BIH Arrhythmia Database
  (PhysioNet, 360 Hz), as the ``sktime`` package ships it
  (``sktime/datasets/data/mitdb/mitdb.csv``). 7,500 samples; one abnormal stretch
  of 352 samples is labelled.

Example::

    abp = load_series("abp", downsample=2)
    train = sliding_windows(abp.train, 96)      # (n_windows, 96): normal data only
    test = sliding_windows(abp.test, 96)
    y = window_labels(abp.test_labels, 96)      # 1 where a window touches the anomaly
"""

import gzip
import hashlib
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .validation import (
    check_array,
    check_binary_labels,
    check_bool,
    check_choice,
    check_fraction,
    check_int,
    check_number,
)

SERIES = {
    "abp": {
        "file": "ucr_135_internal_bleeding16.csv.gz",
        "sha256": "43e57c1a7e5af481d7485514c265b166f2d1fa0a630428c533c0ef49f2ff9702",
        "title": "arterial blood pressure (UCR anomaly archive, 135_InternalBleeding16)",
        "source": "UCR Time Series Anomaly Archive (Wu & Keogh 2021), file 135, as shipped by "
        "aeon (aeon/datasets/data/KDD-TSAD_135); a copy ships in aehelpers/data",
        "licence": "UCR archive: free for research and teaching; aeon: BSD-3-Clause",
        "unit": "blood pressure (archive units)",
        "value_column": "value",
        "label_column": "is_anomaly",
    },
    "ecg": {
        "file": "mitdb_excerpt.csv.gz",
        "sha256": "b8f8b5845a29fab7b3e23ddfc9eda2f28095a33252a36d6393dac1f9974dd80e",
        "title": "electrocardiogram (MIT-BIH Arrhythmia Database excerpt)",
        "source": "MIT-BIH Arrhythmia Database (Moody & Mark 2001, PhysioNet), 360 Hz excerpt as "
        "shipped by sktime (sktime/datasets/data/mitdb/mitdb.csv); a copy ships in aehelpers/data",
        "licence": "Open Data Commons Attribution 1.0 (PhysioNet); sktime: BSD-3-Clause",
        "unit": "mV",
        "value_column": "data",
        "label_column": "label",
    },
}


@dataclass
class SeriesDataset:
    """One time series with point labels (1 = anomaly) and a chronological split.

    ``values[:train_end]`` is for training, ``values[train_end:val_end]`` for validation
    (both anomaly-free), ``values[val_end:]`` the test part, which holds the anomaly.
    Values are standardised with the mean and standard deviation of the training part.
    """

    name: str
    title: str
    values: np.ndarray  # float32 (n,), standardised with the training part's statistics
    labels: np.ndarray  # int64 (n,), 1 = anomaly
    train_end: int
    val_end: int
    downsample: int
    source: str
    licence: str

    @property
    def train(self):
        return self.values[: self.train_end]

    @property
    def val(self):
        return self.values[self.train_end : self.val_end]

    @property
    def test(self):
        return self.values[self.val_end :]

    @property
    def test_labels(self):
        return self.labels[self.val_end :]

    def summary(self):
        start, stop = anomaly_span(self.labels)
        return (
            f"{self.name}: {self.title}; {len(self.values):,} samples (every {self.downsample}. "
            f"of the original) | train {self.train_end:,} | validation {self.val_end - self.train_end:,} "
            f"| test {len(self.values) - self.val_end:,} with the anomaly at samples {start:,}-{stop - 1:,}"
        )


def anomaly_span(labels):
    """(first, last + 1) index of the labelled points; raises if there are none."""
    idx = np.flatnonzero(check_binary_labels(labels, "labels"))
    if idx.size == 0:
        raise ValueError("labels contain no anomaly (no 1s); expected at least one labelled point")
    return int(idx[0]), int(idx[-1]) + 1


def _read_csv_gz(info):
    from .datasets import DataError

    where = resources.files("aehelpers").joinpath("data", info["file"])
    fix = "reinstall aehelpers (`pip install --force-reinstall aehelpers`), which ships the file"
    try:
        raw = where.read_bytes()
    except OSError as err:
        raise DataError(f"{where} cannot be read ({type(err).__name__}: {err}); {fix}") from None
    if hashlib.sha256(raw).hexdigest() != info["sha256"]:
        raise DataError(
            f"{where} is damaged (its SHA-256 differs from the one data/README.md documents); {fix}"
        )
    lines = gzip.decompress(raw).decode().strip().splitlines()
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    v, y = header.index(info["value_column"]), header.index(info["label_column"])
    return np.array([float(r[v]) for r in rows]), np.array([int(float(r[y])) for r in rows])


def load_series(name, downsample=1, train_fraction=0.4, val_fraction=0.15, verbose=True):
    """Load a labelled real time series that ships with aehelpers (no download).

    Args:
        name: ``"abp"`` (arterial blood pressure, UCR anomaly archive) or ``"ecg"``
            (MIT-BIH excerpt). See the module docstring for sources and licences.
        downsample: keep every ``downsample``-th sample (1 = all); a point's label is 1
            when any sample it stands for was labelled, so a short anomaly is never lost.
        train_fraction, val_fraction: chronological split; the rest is the test part.
            The split must leave the whole labelled anomaly in the test part.
        verbose: print the source and the split sizes.

    Returns:
        :class:`SeriesDataset` with standardised float32 values.
    """
    check_choice(name, "name", tuple(SERIES))
    downsample = check_int(downsample, "downsample", minimum=1, maximum=16)
    verbose = check_bool(verbose, "verbose")
    train_fraction = check_fraction(train_fraction, "train_fraction", 0.05, 0.9)
    val_fraction = check_fraction(val_fraction, "val_fraction", 0.0, 0.9, inclusive_low=False)
    if train_fraction + val_fraction >= 0.95:
        raise ValueError(
            f"train_fraction + val_fraction = {train_fraction + val_fraction:.2f}; "
            "expected below 0.95 so a test part remains"
        )
    info = SERIES[name]
    raw, raw_labels = _read_csv_gz(info)
    n = len(raw) // downsample * downsample
    values = raw[:n:downsample]
    labels = raw_labels[:n].reshape(-1, downsample).max(axis=1)
    train_end = int(round(train_fraction * len(values)))
    val_end = int(round((train_fraction + val_fraction) * len(values)))
    start, _ = anomaly_span(labels)
    if start < val_end:
        raise ValueError(
            f"train_fraction + val_fraction = {train_fraction + val_fraction:.2f} puts part of "
            f"the anomaly (from sample {start} of {len(values)}) into training or validation; "
            f"expected at most {start / len(values):.2f}"
        )
    mean, std = values[:train_end].mean(), values[:train_end].std()
    data = SeriesDataset(
        name,
        info["title"],
        ((values - mean) / std).astype("float32"),
        labels.astype("int64"),
        train_end,
        val_end,
        downsample,
        info["source"],
        info["licence"],
    )
    if verbose:
        print(data.summary())
        print(f"  source: {info['source']}")
    return data


def sliding_windows(x, length, stride=1):
    """All windows ``x[i : i + length]`` for i = 0, stride, 2*stride, ...: float32 (n_windows, length).

    Args:
        x: 1-D array (n,), the series.
        length: window length, 2 <= length <= n.
        stride: step between window starts.
    """
    x = check_array(x, "x", ndim=1)
    length = check_int(length, "length", minimum=2, maximum=len(x))
    stride = check_int(stride, "stride", minimum=1)
    return np.lib.stride_tricks.sliding_window_view(x, length)[::stride].copy()


def window_labels(labels, length, stride=1):
    """1 for every window (as :func:`sliding_windows` cuts them) that holds a labelled point."""
    labels = check_binary_labels(labels, "labels").astype(np.float32)
    return (sliding_windows(labels, length, stride).max(axis=1) > 0).astype("int64")


def rolling_zscore_scores(x, length, start=0, history=None):
    """Rolling z-score baseline: one score per window of ``x[start:]`` (stride 1).

    Each point gets z_t = |x_t - mean| / std, mean and std taken over the ``history``
    points BEFORE it (default: ``length``); a window's score is the largest z_t inside it.
    Points before ``start`` only serve as history, so pass the whole series with
    ``start`` = the first test index to score the test windows.
    """
    x = check_array(x, "x", ndim=1).astype("float64")
    length = check_int(length, "length", minimum=2)
    history = length if history is None else check_int(history, "history", minimum=2)
    start = check_int(start, "start", minimum=0, maximum=len(x) - length)
    csum, csq = np.r_[0.0, np.cumsum(x)], np.r_[0.0, np.cumsum(x**2)]
    t = np.arange(len(x))
    lo = np.maximum(t - history, 0)
    count = np.maximum(t - lo, 1)
    mean = (csum[t] - csum[lo]) / count
    var = np.maximum((csq[t] - csq[lo]) / count - mean**2, 0)
    z = np.abs(x - mean) / np.sqrt(var + 1e-12)
    z[: min(2, len(z))] = 0.0  # no history yet
    return sliding_windows(z[start:], length).max(axis=1)


def window_features(windows):
    """Summary features of each window for IsolationForest: float32 (n, 8).

    Mean, standard deviation, minimum, maximum, mean and largest absolute step (first
    difference), position of the maximum, and the share of spectral power above a
    quarter of the Nyquist frequency (high-frequency content).
    """
    w = check_array(windows, "windows", ndim=2).astype("float64")
    if w.shape[1] < 3:
        raise ValueError(f"windows has shape {w.shape}; expected windows of at least 3 samples")
    step = np.abs(np.diff(w, axis=1))
    power = np.abs(np.fft.rfft(w - w.mean(axis=1, keepdims=True), axis=1)) ** 2
    high = power[:, power.shape[1] // 4 :].sum(axis=1) / (power.sum(axis=1) + 1e-12)
    return np.c_[
        w.mean(1),
        w.std(1),
        w.min(1),
        w.max(1),
        step.mean(1),
        step.max(1),
        w.argmax(1) / w.shape[1],
        high,
    ].astype("float32")


def matrix_profile_scores(x, reference, length, method="numpy"):
    """Matrix-profile discord score of every window of ``x`` against normal ``reference`` data.

    The score of the window starting at i is the z-normalised Euclidean distance to its
    nearest neighbour among all windows of ``reference`` (an AB-join matrix profile):
    a window unlike anything in the normal data is a discord. This is the distance that
    ``stumpy.stump(x, length, reference, ignore_trivial=False)[:, 0]`` reports.

    Args:
        x: 1-D array (n,), the series to score; returns n - length + 1 scores.
        reference: 1-D array (m,), normal data (the training part), m >= length.
        length: window length.
        method: ``"numpy"`` (one matrix product; fast for the short series of the
            course) or ``"stumpy"`` (``stumpy.mass`` per window: slower here, and its
            first call compiles for a while; used to check the NumPy result).
    """
    x = check_array(x, "x", ndim=1).astype("float64")
    reference = check_array(reference, "reference", ndim=1).astype("float64")
    length = check_int(length, "length", minimum=3, maximum=len(x))
    if len(reference) < length:
        raise ValueError(
            f"reference has {len(reference)} points; expected at least length={length} "
            "(one whole window of normal data)"
        )
    if method not in ("numpy", "stumpy"):
        raise ValueError(f"method={method!r}; expected 'numpy' or 'stumpy'")
    queries = np.lib.stride_tricks.sliding_window_view(x, length)
    if method == "stumpy":
        try:
            import stumpy
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError(
                "method='stumpy' needs the stumpy package: pip install stumpy"
            ) from None
        return np.array([stumpy.mass(q, reference).min() for q in queries], dtype="float64")

    def znorm(w):
        std = w.std(axis=1, keepdims=True)
        return (w - w.mean(axis=1, keepdims=True)) / np.where(std < 1e-8, 1.0, std)

    ref = znorm(np.lib.stride_tricks.sliding_window_view(reference, length))
    best = np.concatenate(
        [
            (znorm(queries[i : i + 2048]) @ ref.T).max(axis=1) / length
            for i in range(0, len(queries), 2048)
        ]
    )
    return np.sqrt(np.maximum(2 * length * (1 - best), 0.0))


def alarm_rates(y, scores, threshold):
    """Recall, false-alarm rate and precision of the rule ``score > threshold``.

    Args:
        y: 0/1 labels (1 = anomaly), (n,).
        scores: anomaly scores, higher = more anomalous, (n,).
        threshold: a number.

    Returns:
        dict with ``recall`` (share of anomalous windows flagged), ``false_alarm_rate``
        (share of normal windows flagged), ``precision`` and ``alarms`` (count).
    """
    y = check_binary_labels(y, "y")
    scores = check_array(scores, "scores", ndim=1)
    if len(y) != len(scores):
        raise ValueError(
            f"y has {len(y)} entries but scores has {len(scores)}; expected one score per label"
        )
    if y.min() == y.max():
        raise ValueError(
            "y holds only one class; expected both normal (0) and anomalous (1) windows"
        )
    threshold = check_number(threshold, "threshold")
    flagged = scores > threshold
    positive = y > 0.5
    return {
        "recall": float(np.mean(flagged[positive])),
        "false_alarm_rate": float(np.mean(flagged[~positive])),
        "precision": float(np.sum(flagged & positive) / max(int(flagged.sum()), 1)),
        "alarms": int(flagged.sum()),
    }
