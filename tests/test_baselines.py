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


# ----------------------------------------------------------------------------- per-pixel Bernoulli


def test_pixel_bernoulli_probabilities_come_from_the_training_images_only():
    x_train = (RNG.random((50, 4, 4)) < 0.2).astype(np.float32)
    x_test = (RNG.random((10, 4, 4)) < 0.8).astype(np.float32)
    nll = ae.pixel_bernoulli_nll(x_train, x_test)
    p = (x_train.reshape(50, -1).sum(0) + 1) / 52
    flat = x_test.reshape(10, -1)
    assert np.allclose(nll, -(flat @ np.log(p) + (1 - flat) @ np.log(1 - p)))
    assert np.allclose(nll[:3], ae.pixel_bernoulli_nll(x_train, x_test[:3]))


# ----------------------------------------------------------------------------- label draws and the probe's results


def _labels(n=200):
    """Labels of a pool of n images, four classes in turn."""
    return np.arange(n) % 4


def test_label_draws_are_stratified_distinct_and_differ_between_draws():
    y = _labels()
    draws = ae.label_draws(y, n_labels=20, n_draws=3, seed=0)
    assert len(draws) == 3
    for draw in draws:
        assert len(np.unique(draw)) == 20
        assert np.bincount(y[draw], minlength=4).tolist() == [5, 5, 5, 5]
    assert not np.array_equal(np.sort(draws[0]), np.sort(draws[1]))


def test_label_draws_are_reproducible_from_the_seed():
    y = _labels()
    a = ae.label_draws(y, 20, 2, seed=3)
    b = ae.label_draws(y, 20, 2, seed=3)
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))


def test_label_draws_need_at_least_one_label_per_class():
    y = _labels()
    with pytest.raises(ValueError, match="n_labels must be >= 4"):
        ae.label_draws(y, n_labels=3)


def test_probe_result_reports_mean_and_spread_over_the_draws():
    result = ae.ProbeResult(np.array([0.5, 0.7, 0.9]))
    assert np.isclose(result.mean, 0.7) and np.isclose(result.std, np.std([0.5, 0.7, 0.9]))
    assert str(result) == "0.700 ± 0.163"


def test_every_baseline_is_one_object_under_ae_and_baselines():
    """Lessons call ae.<name>; the one definition is in aehelpers.baselines."""
    from aehelpers import denoisers, documents, metrics

    assert ae.pca_baseline is baselines.pca_baseline and ae.PCABaseline is baselines.PCABaseline
    assert (
        ae.tune_denoisers is baselines.tune_denoisers
        and ae.TunedDenoiser is baselines.TunedDenoiser
    )
    assert ae.background_subtraction is baselines.background_subtraction
    assert ae.label_draws is baselines.label_draws and ae.ProbeResult is baselines.ProbeResult
    assert ae.DENOISERS is baselines.DENOISERS
    # no module forwards back into baselines (such forwards made import cycles)
    for module, name in (
        (metrics, "pca_baseline"),
        (denoisers, "tune_denoisers"),
        (documents, "adaptive_threshold"),
    ):
        assert not hasattr(module, name), f"{module.__name__}.{name}"
