"""Time series, windows and the baselines of lesson 11 (aehelpers.sequences)."""

import keras  # noqa: F401  (imported so ./course runs this file on every backend)
import numpy as np
import pytest

import aehelpers as ae


@pytest.mark.parametrize("name", ["abp", "ecg"])
def test_shipped_series_load_offline_with_the_anomaly_in_the_test_part(name, capsys):
    s = ae.load_series(name, downsample=2)
    assert "source:" in capsys.readouterr().out
    start, stop = ae.anomaly_span(s.labels)
    assert s.train_end < s.val_end <= start < stop <= len(s.values)
    assert s.labels[: s.val_end].sum() == 0
    assert (
        abs(float(s.train.mean())) < 1e-3 and abs(float(s.train.std()) - 1) < 1e-3
    )  # standardised on training


def test_downsampling_keeps_a_short_anomaly():
    full, thin = (
        ae.load_series("abp", verbose=False),
        ae.load_series("abp", downsample=8, verbose=False),
    )
    assert thin.labels.sum() >= 1 and full.labels.sum() == 12
    assert len(thin.values) == len(full.values) // 8


def test_split_that_leaks_the_anomaly_into_training_is_refused():
    with pytest.raises(ValueError, match="anomaly"):
        ae.load_series("ecg", train_fraction=0.9, val_fraction=0.04, verbose=False)


@pytest.mark.parametrize(
    "bad, match", [({"name": "nab"}, "name="), ({"name": "abp", "downsample": 0}, "downsample")]
)
def test_load_series_names_the_bad_argument(bad, match):
    with pytest.raises((ValueError, TypeError), match=match):
        ae.load_series(**bad)


def test_windows_and_their_labels_line_up():
    x = np.arange(10, dtype="float32")
    w = ae.sliding_windows(x, 4, stride=2)
    assert w.shape == (4, 4) and w[1].tolist() == [2, 3, 4, 5]
    labels = np.zeros(10)
    labels[5] = 1
    assert ae.window_labels(labels, 4).tolist() == [0, 0, 1, 1, 1, 1, 0]
    with pytest.raises(ValueError, match="length"):
        ae.sliding_windows(x, 11)


def test_rolling_zscore_flags_a_spike_and_uses_only_the_past():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(500)
    x[400] += 12
    scores = ae.rolling_zscore_scores(x, 20, start=300)
    assert len(scores) == 500 - 300 - 20 + 1
    assert scores.argmax() in range(400 - 300 - 19, 400 - 300 + 1)  # a window holding the spike
    before = ae.rolling_zscore_scores(x[:400], 20, start=300)  # the future must not change the past
    np.testing.assert_allclose(scores[: len(before)], before)


def test_matrix_profile_equals_brute_force_and_stumpy():
    rng = np.random.default_rng(1)
    ref, x, m = rng.standard_normal(120), rng.standard_normal(60), 16
    got = ae.matrix_profile_scores(x, ref, m)

    def z(w):
        return (w - w.mean()) / w.std()

    brute = [
        min(np.linalg.norm(z(x[i : i + m]) - z(ref[j : j + m])) for j in range(len(ref) - m + 1))
        for i in range(len(x) - m + 1)
    ]
    np.testing.assert_allclose(got, brute, rtol=1e-6, atol=1e-6)
    pytest.importorskip("stumpy")
    np.testing.assert_allclose(
        ae.matrix_profile_scores(x[:20], ref, m, method="stumpy"), got[:5], rtol=1e-6, atol=1e-6
    )


def test_matrix_profile_finds_a_window_unlike_the_reference():
    t = np.arange(600)
    ref = np.sin(2 * np.pi * t / 50)
    x = np.sin(2 * np.pi * t[:300] / 50)
    x[150:160] = 0.0  # a flat stretch inside a beat
    scores = ae.matrix_profile_scores(x, ref, 40)
    assert 150 - 39 <= scores.argmax() <= 160


def test_window_features_see_high_frequency_noise():
    smooth = np.sin(np.linspace(0, 2 * np.pi, 64))[None]
    noisy = smooth + 0.5 * np.random.default_rng(0).standard_normal((1, 64))
    f = ae.window_features(np.concatenate([smooth, noisy]))
    assert f.shape == (2, 8) and f[1, -1] > f[0, -1] and f[1, 5] > f[0, 5]


def test_alarm_rates_count_recall_and_false_alarms():
    y = np.array([0, 0, 0, 0, 1, 1])
    r = ae.alarm_rates(y, np.array([0.1, 0.2, 0.9, 0.3, 0.8, 0.05]), 0.5)
    assert r == {"recall": 0.5, "false_alarm_rate": 0.25, "precision": 0.5, "alarms": 2}
    with pytest.raises(ValueError, match="one score per label"):
        ae.alarm_rates(y, np.zeros(5), 0.5)
    with pytest.raises(ValueError, match="only one class"):
        ae.alarm_rates(np.zeros(6), np.zeros(6), 0.5)
