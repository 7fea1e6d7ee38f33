"""Label draws and the linear probe (aehelpers.features): tiny arrays, seconds."""

import numpy as np
import pytest

import aehelpers as ae


def _blobs(n=200, d=5, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 4
    x = rng.normal(size=(n, d)) + 3.0 * np.eye(4, d)[y]
    return x.astype(np.float32), y


def test_label_draws_are_stratified_distinct_and_differ_between_draws():
    _, y = _blobs()
    draws = ae.label_draws(y, n_labels=20, n_draws=3, seed=0)
    assert len(draws) == 3
    for draw in draws:
        assert len(np.unique(draw)) == 20
        assert np.bincount(y[draw], minlength=4).tolist() == [5, 5, 5, 5]
    assert not np.array_equal(np.sort(draws[0]), np.sort(draws[1]))


def test_label_draws_are_reproducible_from_the_seed():
    _, y = _blobs()
    a = ae.label_draws(y, 20, 2, seed=3)
    b = ae.label_draws(y, 20, 2, seed=3)
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))


def test_label_draws_need_at_least_one_label_per_class():
    _, y = _blobs()
    with pytest.raises(ValueError, match="n_labels must be >= 4"):
        ae.label_draws(y, n_labels=3)


def test_linear_probe_separates_blobs_and_reports_mean_and_spread():
    x, y = _blobs()
    draws = ae.label_draws(y, 20, n_draws=3)
    result = ae.linear_probe(x, y, x, y, draws)
    assert result.accuracies.shape == (3,)
    assert result.mean > 0.9
    assert result.std == pytest.approx(np.std(result.accuracies))
    assert str(result).startswith(f"{result.mean:.3f} ± ")


def test_linear_probe_on_noise_is_near_chance():
    x, y = _blobs()
    noise = np.random.default_rng(1).normal(size=x.shape)
    result = ae.linear_probe(noise, y, noise, y, ae.label_draws(y, 20, 3))
    assert result.mean < 0.5


def test_linear_probe_flattens_images():
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 4, 4)), np.arange(40) % 2
    assert ae.linear_probe(x, y, x, y, [np.arange(10)]).accuracies.shape == (1,)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda x, y, xt, d: (x, y, xt[:, :3], d), "expected the same"),
        (lambda x, y, xt, d: (np.where(x > 2, np.nan, x), y, xt, d), "NaN"),
        (lambda x, y, xt, d: (x, y[:-1], xt, d), r"expected \(200,\) labels"),
        (lambda x, y, xt, d: (x, y, xt, [np.array([0, 500])]), r"outside \[0, 199\]"),
        (lambda x, y, xt, d: (x, y, xt, []), "draws is empty"),
    ],
    ids=["feature-count", "nan", "label-count", "index-range", "no-draws"],
)
def test_linear_probe_rejects_bad_input_with_a_message(change, message):
    x, y = _blobs()
    x, y2, xt, draws = change(x, y, x, ae.label_draws(y, 20, 1))
    with pytest.raises(ValueError, match=message):
        ae.linear_probe(x, y2, xt, y, draws)


def test_global_scaling_keeps_geometry_so_a_rotation_changes_nothing():
    x, y = _blobs()
    rotation = np.linalg.qr(np.random.default_rng(2).normal(size=(5, 5)))[0]
    draws = ae.label_draws(y, 20, 2)
    plain = ae.linear_probe(x, y, x, y, draws, scaling="global")
    rotated = ae.linear_probe(x @ rotation, y, x @ rotation, y, draws, scaling="global")
    assert np.allclose(plain.accuracies, rotated.accuracies)


def test_per_feature_scaling_blows_up_a_tiny_noise_feature():
    rng = np.random.default_rng(0)
    y = np.arange(200) % 2
    signal = (2.0 * y - 1.0 + 0.5 * rng.normal(size=200))[:, None]
    x = np.hstack([signal, 1e-3 * rng.normal(size=(200, 40))])  # 40 tiny noise features
    draws = ae.label_draws(y, 10, 3)
    kept = ae.linear_probe(x, y, x, y, draws, scaling="global").mean
    whitened = ae.linear_probe(x, y, x, y, draws, scaling="per_feature").mean
    assert kept > whitened + 0.1


def test_linear_probe_rejects_an_unknown_scaling():
    x, y = _blobs()
    with pytest.raises(
        ValueError, match="scaling='minmax'; expected one of 'global', 'per_feature', None"
    ):
        ae.linear_probe(x, y, x, y, ae.label_draws(y, 20, 1), scaling="minmax")
