"""Fairness of the baselines: fitted on training data only, tuned on validation data.

Each test names the unfair variant it catches; ``python tests/mutation_check.py`` plants
those variants one at a time and checks that this file fails on each.
"""

import numpy as np
import pytest

import aehelpers as ae
from aehelpers import baselines

RNG = np.random.default_rng(0)


def _shifted_sets(n_train=200, n_test=60, d=12, shift=2.0):
    """Training rows around 0 and test rows around ``shift``: a fit on the wrong rows shows."""
    basis = RNG.normal(size=(3, d))
    x_train = RNG.normal(size=(n_train, 3)) @ basis + 0.1 * RNG.normal(size=(n_train, d))
    x_test = RNG.normal(size=(n_test, 3)) @ (basis + 0.5 * RNG.normal(size=(3, d))) + shift
    return x_train.astype(np.float32), x_test.astype(np.float32)


# ----------------------------------------------------------------------------- PCA


def test_pca_baseline_is_fitted_on_the_training_rows_only():
    """Catches: PCA fitted on the test set (or on train + test)."""
    from sklearn.decomposition import PCA

    x_train, x_test = _shifted_sets()
    result = ae.pca_baseline(x_train, x_test, code_dim=3)
    reference = PCA(3, random_state=0).fit(x_train)
    assert np.allclose(result.pca.mean_, x_train.mean(axis=0), atol=1e-5)
    assert np.allclose(
        ae.principal_angles(result.pca.components_.T, reference.components_.T), 0, atol=1e-3
    )
    expected = reference.inverse_transform(reference.transform(x_test))
    assert np.allclose(result.reconstruction, expected, atol=1e-4)
    assert np.isclose(result.mse, np.mean((x_test - expected) ** 2), rtol=1e-4)


def test_pca_reconstruction_of_a_test_row_does_not_depend_on_the_other_test_rows():
    x_train, x_test = _shifted_sets()
    whole = ae.pca_baseline(x_train, x_test, code_dim=3).reconstruction
    alone = ae.pca_baseline(x_train, x_test[:5], code_dim=3).reconstruction
    assert np.allclose(whole[:5], alone, atol=1e-5)


def test_pca_anomaly_scores_fit_on_training_rows():
    x_train, x_test = _shifted_sets()
    scores = ae.pca_anomaly_scores(x_train, x_test, 3)
    assert np.allclose(
        scores, ae.mse_per_sample(x_test, ae.pca_baseline(x_train, x_test, 3).reconstruction)
    )
    assert (
        scores.mean() > 10 * ae.pca_anomaly_scores(x_train, x_train, 3).mean()
    )  # shifted rows look anomalous


# ----------------------------------------------------------------------------- IsolationForest


def test_isolation_forest_is_grown_on_the_training_rows_only():
    """Catches: trees grown on the rows being scored."""
    from sklearn.ensemble import IsolationForest

    x_train, x_test = _shifted_sets()
    scores = ae.isolation_forest_scores(x_train, x_test, n_estimators=50, seed=3)
    forest = IsolationForest(n_estimators=50, random_state=3).fit(x_train)
    assert np.allclose(scores, -forest.score_samples(x_test))
    assert np.allclose(
        scores[:4], ae.isolation_forest_scores(x_train, x_test[:4], n_estimators=50, seed=3)
    )
    assert (
        scores.mean()
        > ae.isolation_forest_scores(x_train, x_train[:60], n_estimators=50, seed=3).mean()
    )


# ----------------------------------------------------------------------------- denoisers

CLEAN = np.clip(
    np.stack(
        [
            np.outer(np.sin(np.linspace(0, k, 28)), np.cos(np.linspace(0, k, 28)))
            for k in range(1, 9)
        ]
    )
    / 2
    + 0.5,
    0,
    1,
).astype(np.float32)


def _independent_scores(noisy, clean, name, grid):
    func = baselines.DENOISERS[name][0]
    return [ae.psnr(clean, np.clip(func(noisy, v), 0, 1)) for v in grid]


@pytest.mark.parametrize("sigma", [0.05, 0.3])
def test_tune_denoisers_picks_the_setting_with_the_best_validation_psnr(sigma):
    """Catches: picking the worst (argmin), the first, or the last candidate."""
    noisy = ae.gaussian_noise(CLEAN, sigma, seed=1)
    grid = (0.3, 0.6, 1.0, 1.6, 2.5)
    scores = _independent_scores(noisy, CLEAN, "gaussian_blur", grid)
    tuned = ae.tune_denoisers(noisy, CLEAN, names=["gaussian_blur"], grids={"gaussian_blur": grid})[
        "gaussian_blur"
    ]
    assert tuned.value == grid[int(np.argmax(scores))]
    assert np.isclose(tuned.val_psnr, max(scores))
    assert max(scores) - min(scores) > 0.5  # the grid matters, so a wrong pick is visible


def test_tuning_follows_the_validation_noise_it_is_given():
    """Light noise wants a light blur, heavy noise a strong one: the choice comes from the data."""
    grid = (0.3, 0.6, 1.0, 1.6, 2.5)
    light, heavy = (
        ae.tune_denoisers(
            ae.gaussian_noise(CLEAN, s, seed=2),
            CLEAN,
            names=["gaussian_blur"],
            grids={"gaussian_blur": grid},
        )["gaussian_blur"].value
        for s in (0.02, 0.4)
    )
    assert light < heavy


@pytest.mark.parametrize(
    "name, value",
    [("median", 5), ("gaussian_blur", 1.5), ("total_variation", 0.3), ("nl_means", 0.3)],
)
def test_tuned_denoiser_applies_its_tuned_value(name, value):
    """Catches: TunedDenoiser.apply ignoring the tuned value (e.g. using the function's default)."""
    noisy = ae.gaussian_noise(CLEAN, 0.2, seed=3)
    func, param, grid = baselines.DENOISERS[name]
    tuned = ae.TunedDenoiser(name, param, value, 0.0)
    assert np.allclose(tuned.apply(noisy), np.clip(func(noisy, value), 0, 1))
    other = ae.TunedDenoiser(name, param, grid[0], 0.0)
    assert not np.allclose(tuned.apply(noisy), other.apply(noisy))


# ----------------------------------------------------------------------------- page clean-ups


def test_page_cleanups_are_tuned_by_rmse_on_the_pages_given():
    docs = ae.make_documents(2, height=64, width=96, seed=5)
    sizes, blocks, offsets = (5, 11, 21), (15, 25), (0.05, 0.15)
    tuned = ae.tune_page_cleanups(
        docs.dirty, docs.clean, sizes=sizes, blocks=blocks, offsets=offsets
    )
    bg = {s: ae.page_rmse(docs.clean, ae.background_subtraction(docs.dirty, s)) for s in sizes}
    th = {
        (b, o): ae.page_rmse(docs.clean, ae.adaptive_threshold(docs.dirty, b, o))
        for b in blocks
        for o in offsets
    }
    assert tuned.background_size == min(bg, key=bg.get)
    assert (tuned.block_size, tuned.offset) == min(th, key=th.get)
    assert np.isclose(tuned.rmse["background subtraction"], min(bg.values()))
    cleaned = tuned.apply(docs.dirty)
    assert np.array_equal(
        cleaned["background subtraction"],
        ae.background_subtraction(docs.dirty, tuned.background_size),
    )


# ----------------------------------------------------------------------------- per-pixel Bernoulli


def test_pixel_bernoulli_probabilities_come_from_the_training_images_only():
    x_train = (RNG.random((50, 4, 4)) < 0.2).astype(np.float32)
    x_test = (RNG.random((10, 4, 4)) < 0.8).astype(np.float32)
    nll = ae.pixel_bernoulli_nll(x_train, x_test)
    p = (x_train.reshape(50, -1).sum(0) + 1) / 52
    flat = x_test.reshape(10, -1)
    assert np.allclose(nll, -(flat @ np.log(p) + (1 - flat) @ np.log(1 - p)))
    assert np.allclose(nll[:3], ae.pixel_bernoulli_nll(x_train, x_test[:3]))


# ----------------------------------------------------------------------------- linear probe


def _probe_data(n=120, d=6, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    centres = rng.normal(scale=2.0, size=(3, d))
    x = centres[y] + rng.normal(size=(n, d))
    return x.astype(np.float32), y


@pytest.mark.parametrize("scaling", ["global", "per_feature", None])
def test_linear_probe_matches_a_reference_fitted_on_the_labelled_rows(scaling):
    """Catches: a scaler fitted on the test rows (or on labelled + test rows)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x, y = _probe_data()
    x_test, y_test = _probe_data(seed=1)
    x_test = x_test + 1.5  # a shift: statistics fitted on the test rows would undo it
    draws = ae.label_draws(y, 30, n_draws=3, seed=0)
    result = ae.linear_probe(x, y, x_test, y_test, draws, scaling=scaling)
    expected = []
    for draw in draws:
        f_lab, f_eval = x[draw], x_test
        if scaling == "global":
            mean = f_lab.mean(0)
            scale = np.sqrt(np.mean((f_lab - mean) ** 2))
            f_lab, f_eval = (f_lab - mean) / scale, (f_eval - mean) / scale
        elif scaling == "per_feature":
            scaler = StandardScaler().fit(f_lab)
            f_lab, f_eval = scaler.transform(f_lab), scaler.transform(f_eval)
        probe = LogisticRegression(C=0.1, max_iter=1000, tol=1e-3).fit(f_lab, y[draw])
        expected.append(probe.score(f_eval, y_test))
    assert np.allclose(result.accuracies, expected, atol=1e-9)


@pytest.mark.parametrize("scaling", ["global", "per_feature"])
def test_linear_probe_scores_each_test_row_on_its_own(scaling):
    """The accuracy on a test set is the weighted mean of the accuracies on its parts.

    True only when nothing is fitted on the test rows: a scaler fitted on them would
    centre each part differently from the whole.
    """
    x, y = _probe_data()
    x_test, y_test = _probe_data(seed=2)
    x_test[60:] += 3.0  # the second half differs from the first
    draws = ae.label_draws(y, 30, n_draws=2, seed=1)
    whole = ae.linear_probe(x, y, x_test, y_test, draws, scaling=scaling).accuracies
    first = ae.linear_probe(x, y, x_test[:60], y_test[:60], draws, scaling=scaling).accuracies
    second = ae.linear_probe(x, y, x_test[60:], y_test[60:], draws, scaling=scaling).accuracies
    assert np.allclose(whole, (first + second) / 2, atol=1e-9)


def test_linear_probe_uses_only_the_drawn_labels():
    """Changing the labels of rows outside the draws changes nothing."""
    x, y = _probe_data()
    x_test, y_test = _probe_data(seed=3)
    draws = ae.label_draws(y, 30, n_draws=2, seed=2)
    scrambled = y.copy()
    outside = np.setdiff1d(np.arange(len(y)), np.concatenate(draws))
    scrambled[outside] = np.random.default_rng(0).permutation(scrambled[outside])
    a = ae.linear_probe(x, y, x_test, y_test, draws).accuracies
    b = ae.linear_probe(x, scrambled, x_test, y_test, draws).accuracies
    assert np.array_equal(a, b)


# ----------------------------------------------------------------------------- label draws and the probe's results


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


def test_every_baseline_is_one_object_under_ae_and_baselines():
    """Lessons call ae.<name>; the one definition is in aehelpers.baselines."""
    from aehelpers import denoisers, documents, metrics

    assert ae.pca_baseline is baselines.pca_baseline and ae.PCABaseline is baselines.PCABaseline
    assert (
        ae.tune_denoisers is baselines.tune_denoisers
        and ae.TunedDenoiser is baselines.TunedDenoiser
    )
    assert ae.background_subtraction is baselines.background_subtraction
    assert ae.linear_probe is baselines.linear_probe and ae.label_draws is baselines.label_draws
    assert ae.DENOISERS is baselines.DENOISERS
    # no module forwards back into baselines (such forwards made import cycles)
    for module, name in (
        (metrics, "pca_baseline"),
        (denoisers, "tune_denoisers"),
        (documents, "adaptive_threshold"),
    ):
        assert not hasattr(module, name), f"{module.__name__}.{name}"
