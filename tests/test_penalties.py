"""Unit tests for aehelpers.penalties: KL sparsity, contractive penalty, code statistics."""

import keras
import numpy as np
import pytest
from keras import ops

import aehelpers as ae
from aehelpers.penalties import contractive_penalty, hoyer_sparsity, kl_sparsity


def numpy_kl(rho, rho_hat):
    return np.sum(rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat)))


def test_kl_penalty_is_zero_when_mean_activation_equals_rho():
    codes = np.full((64, 10), 0.05, dtype="float32")
    penalty = float(ae.KLSparsity(rho=0.05, beta=1.0).penalty(codes))
    assert abs(penalty) < 1e-5


@pytest.mark.parametrize("rho", [0.05, 0.2, 0.5])
def test_kl_penalty_grows_as_mean_activation_moves_away_from_rho(rho):
    reg = ae.KLSparsity(rho=rho, beta=1.0)
    below = [float(reg.penalty(np.full((8, 4), m, "float32"))) for m in (rho, rho / 2, rho / 4)]
    above = [float(reg.penalty(np.full((8, 4), m, "float32"))) for m in (rho, 0.7, 0.95)]
    assert below == sorted(below) and below[-1] > below[0] + 1e-3
    assert above == sorted(above) and above[-1] > above[0] + 1e-3


def test_kl_penalty_matches_numpy_reference():
    rng = np.random.default_rng(1)
    codes = rng.uniform(0, 1, size=(32, 16)).astype("float32") ** 3
    reg = ae.KLSparsity(rho=0.1, beta=0.5)
    expected = 0.5 * numpy_kl(0.1, codes.astype("float64").mean(axis=0))
    np.testing.assert_allclose(float(reg.penalty(codes)), expected, rtol=1e-4)
    np.testing.assert_allclose(
        float(kl_sparsity(0.1, codes.mean(axis=0))), expected / 0.5, rtol=1e-4
    )


def test_kl_penalty_stays_finite_for_dead_and_saturated_units():
    codes = np.concatenate([np.zeros((4, 3)), np.ones((4, 3))], axis=1).astype("float32")
    assert np.isfinite(float(ae.KLSparsity(rho=0.05, beta=1.0).penalty(codes)))


def keras_version():
    return tuple(int(part) for part in keras.version().split(".")[:2])


def test_probe_finds_the_batch_division_that_this_keras_version_documents():
    """Keras 3.14 started dividing activity penalties by the batch size (keras-team/keras #22021).

    If a future Keras changes this again, this test says so (and the regularizers below
    keep their strength because they measure the behaviour, not the version)."""
    assert ae.keras_divides_activity_penalty() == (keras_version() >= (3, 14))


@pytest.mark.parametrize("batch", [8, 50])
def test_kl_activity_regularizer_adds_exactly_beta_times_kl_on_every_keras_version(batch):
    x = np.random.default_rng(2).normal(size=(batch, 6)).astype("float32")
    layer = keras.layers.Dense(
        5, activation="sigmoid", activity_regularizer=ae.KLSparsity(rho=0.05, beta=0.3)
    )
    codes = ops.convert_to_numpy(layer(x))
    (added,) = layer.losses
    expected = 0.3 * numpy_kl(0.05, codes.astype("float64").mean(axis=0))
    np.testing.assert_allclose(float(ops.convert_to_numpy(added)), expected, rtol=1e-4)


@pytest.mark.parametrize("batch", [8, 50])
def test_l1_activity_adds_the_penalty_of_the_average_image_on_every_keras_version(batch):
    x = np.random.default_rng(3).normal(size=(batch, 6)).astype("float32")
    layer = keras.layers.Dense(5, activation="sigmoid", activity_regularizer=ae.L1Activity(1e-2))
    codes = ops.convert_to_numpy(layer(x)).astype("float64")
    (added,) = layer.losses
    np.testing.assert_allclose(
        float(ops.convert_to_numpy(added)), 1e-2 * np.abs(codes).sum(axis=1).mean(), rtol=1e-4
    )


def test_l1_activity_means_what_keras_l1_means_from_keras_3_14_on():
    """On the newest Keras the lesson's L1Activity(s) and keras.regularizers.L1(s) add the same loss;
    on 3.8-3.13 keras.regularizers.L1 adds batch-size times more."""
    x = np.random.default_rng(4).normal(size=(16, 6)).astype("float32")
    layer = keras.layers.Dense(5, activation="sigmoid")
    layer.build((None, 6))
    ours = keras.layers.Activation("linear", activity_regularizer=ae.L1Activity(1e-2))
    theirs = keras.layers.Activation("linear", activity_regularizer=keras.regularizers.L1(1e-2))
    codes = layer(x)
    ours(codes), theirs(codes)
    ratio = float(ops.convert_to_numpy(theirs.losses[0])) / float(
        ops.convert_to_numpy(ours.losses[0])
    )
    assert ratio == pytest.approx(1.0 if keras_version() >= (3, 14) else 16.0, rel=1e-4)


def test_penalty_in_the_training_loss_does_not_depend_on_batch_size():
    """The loss a model trains on: reconstruction + penalty, whatever the batch size."""
    rng = np.random.default_rng(5)
    x = rng.uniform(size=(64, 6)).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(
                4, activation="sigmoid", activity_regularizer=ae.KLSparsity(0.05, 1.0)
            ),
            keras.layers.Dense(6),
        ]
    )
    model.compile(loss="mse")
    codes = ops.convert_to_numpy(model.layers[0](x)).astype("float64")
    mse = float(np.mean((ops.convert_to_numpy(model(x)) - x) ** 2))
    loss = model.evaluate(x, x, batch_size=64, verbose=0)
    assert loss == pytest.approx(mse + numpy_kl(0.05, codes.mean(axis=0)), rel=1e-3)


def test_kl_sparsity_round_trips_through_get_config():
    reg = ae.KLSparsity(rho=0.1, beta=2.0)
    clone = ae.KLSparsity.from_config(reg.get_config())
    assert (clone.rho, clone.beta) == (0.1, 2.0)


@pytest.mark.parametrize("rho", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_kl_sparsity_rejects_rho_outside_open_unit_interval(rho):
    with pytest.raises(ValueError, match="rho .* must be strictly between 0 and 1"):
        ae.KLSparsity(rho=rho)


@pytest.mark.parametrize("beta", [-1.0, float("inf")])
def test_kl_sparsity_rejects_negative_or_infinite_beta(beta):
    with pytest.raises(ValueError, match="beta must be a finite number >= 0"):
        ae.KLSparsity(rho=0.05, beta=beta)


def numerical_jacobian(f, x, eps=1e-5):
    base = f(x)
    jac = np.zeros((base.size, x.size))
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = eps
        jac[:, i] = (f(x + step) - f(x - step)) / (2 * eps)
    return jac


def test_contractive_penalty_matches_numerical_jacobian():
    rng = np.random.default_rng(3)
    w = rng.normal(size=(5, 4))
    b = rng.normal(size=4)
    x = rng.normal(size=(3, 5))

    def encode(v):
        return 1 / (1 + np.exp(-(v @ w + b)))

    expected = [np.sum(numerical_jacobian(encode, row) ** 2) for row in x]
    got = ops.convert_to_numpy(
        contractive_penalty(encode(x).astype("float32"), w.astype("float32"))
    )
    np.testing.assert_allclose(got, expected, rtol=1e-4)


def test_contractive_dense_adds_its_penalty_only_while_training():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(8, 5)).astype("float32")
    layer = ae.ContractiveDense(4, contraction=0.5)
    codes = ops.convert_to_numpy(layer(x, training=True))
    (added,) = layer.losses
    w = ops.convert_to_numpy(layer.kernel).astype("float64")
    expected = 0.5 * np.mean(
        [
            np.sum(numerical_jacobian(lambda v: 1 / (1 + np.exp(-(v @ w))), row) ** 2)
            for row in x.astype("float64")
        ]
    )
    np.testing.assert_allclose(float(ops.convert_to_numpy(added)), expected, rtol=1e-3)
    assert codes.shape == (8, 4) and codes.min() > 0 and codes.max() < 1
    layer(x, training=False)
    assert not layer.losses


def test_contractive_dense_trains_and_round_trips_through_get_config():
    x = np.random.default_rng(5).uniform(size=(32, 6)).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((6,)),
            ae.ContractiveDense(8, 0.1),
            keras.layers.Dense(6, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, x, epochs=2, batch_size=16, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    clone = ae.ContractiveDense.from_config(model.layers[0].get_config())
    assert (clone.units, clone.contraction) == (8, 0.1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"units": 0}, "units must be a positive int"),
        ({"units": 4, "contraction": -0.1}, "contraction must be a finite number >= 0"),
        ({"units": 4, "contraction": "big"}, "contraction must be a number"),
    ],
)
def test_contractive_dense_rejects_bad_arguments_with_clear_message(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        ae.ContractiveDense(**kwargs)


def test_activation_stats_counts_near_zero_and_dead_units():
    codes = np.array([[0.0, 0.5, 0.05], [0.0, 0.9, 0.2], [0.05, 0.7, 0.0], [0.0, 0.1, 0.0]])
    stats = ae.activation_stats(codes, threshold=0.1)
    assert stats.near_zero == pytest.approx(7 / 12)
    assert stats.dead_units == pytest.approx(1 / 3)
    assert stats.mean == pytest.approx(codes.mean())
    np.testing.assert_allclose(stats.unit_means, codes.mean(axis=0), rtol=1e-6)
    assert stats.units_on == pytest.approx(
        2 / 4
    )  # units > 0.5 per row: 0 (0.5 is not above), 1, 1, 0
    assert "mean activation" in str(stats)


def test_hoyer_sparsity_is_zero_for_equal_units_one_for_a_single_unit_and_ignores_scale():
    rng = np.random.default_rng(6)
    dense = rng.uniform(0.2, 1.0, size=(5, 16))
    one_hot = np.eye(16)[:5] * 0.7
    np.testing.assert_allclose(hoyer_sparsity(np.full((2, 16), 0.3)), 0.0, atol=1e-12)
    np.testing.assert_allclose(hoyer_sparsity(one_hot), 1.0)
    np.testing.assert_allclose(hoyer_sparsity(dense / 10), hoyer_sparsity(dense))
    assert hoyer_sparsity(dense).max() < 0.3 < 0.9 < ae.activation_stats(one_hot).hoyer


def test_hoyer_sparsity_rejects_a_single_unit():
    with pytest.raises(ValueError, match="at least 2 units"):
        hoyer_sparsity(np.ones((3, 1)))


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (np.zeros(5), "expected 2-D"),
        (np.array([[0.1, np.nan]]), "NaN"),
        (np.array([[-0.5, 0.2]]), "expected values >= 0"),
    ],
)
def test_activation_stats_rejects_bad_codes(codes, message):
    with pytest.raises(ValueError, match=message):
        ae.activation_stats(codes)
