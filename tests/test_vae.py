"""Unit tests for aehelpers.vae, plus checks that the course's models train on this backend.

`./course test` runs this file under TensorFlow, JAX and PyTorch (KERAS_BACKEND), one
pytest process per backend, so everything here must hold on all three.
"""

import math

import keras
import numpy as np
import pytest
from keras import ops

import aehelpers as ae
from aehelpers.vae import bernoulli_nll, gaussian_kl

SHAPE = (8, 8)


def prototypes_data(n=256, flip=0.05, seed=0):
    """Binary 8x8 images: one of four bar patterns with a few flipped pixels."""
    rng = np.random.default_rng(seed)
    protos = np.zeros((4, *SHAPE), "float32")
    protos[0, :4], protos[1, 4:], protos[2, :, :4], protos[3, :, 4:] = 1, 1, 1, 1
    x = protos[rng.integers(0, 4, n)]
    flips = rng.random(x.shape) < flip
    return np.where(flips, 1 - x, x).astype("float32")


def small_vae(latent_dim=2, beta=1.0, conv=False, seed=0, encoder=None):
    keras.utils.set_random_seed(seed)  # same initial weights on every run
    if conv:
        enc = ae.conv_vae_encoder(SHAPE, latent_dim, filters=(8, 16), dense=32)
        dec = ae.conv_vae_decoder(SHAPE, latent_dim, filters=(16, 8), dense=32)
    else:
        enc = encoder or ae.dense_vae_encoder(SHAPE, latent_dim, hidden=(32,))
        dec = ae.dense_vae_decoder(SHAPE, latent_dim, hidden=(32,))
    vae = ae.VAE(enc, dec, beta=beta, seed=seed)
    vae.compile(optimizer=keras.optimizers.Adam(1e-2))
    return vae


# ----------------------------------------------------------------------------- closed forms


def test_gaussian_kl_matches_closed_form_and_is_zero_for_the_prior():
    rng = np.random.default_rng(0)
    mu, log_var = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    expected = 0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, axis=1)
    got = ops.convert_to_numpy(gaussian_kl(mu.astype("float32"), log_var.astype("float32")))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    zeros = np.zeros((2, 3), "float32")
    np.testing.assert_allclose(ops.convert_to_numpy(gaussian_kl(zeros, zeros)), 0.0, atol=1e-7)


def test_bernoulli_nll_sums_cross_entropy_over_pixels_per_image():
    rng = np.random.default_rng(1)
    x = (rng.random((3, 4, 4)) < 0.5).astype("float32")
    logits = rng.normal(size=(3, 4, 4)).astype("float32")
    p = 1 / (1 + np.exp(-logits.astype("float64")))
    expected = -np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=(1, 2))
    np.testing.assert_allclose(ops.convert_to_numpy(bernoulli_nll(x, logits)), expected, rtol=1e-5)


def test_bernoulli_nll_stays_finite_for_extreme_logits():
    x = np.array([[1.0, 0.0]], "float32")
    logits = np.array([[-200.0, 200.0]], "float32")
    np.testing.assert_allclose(ops.convert_to_numpy(bernoulli_nll(x, logits)), [400.0], rtol=1e-5)


# ----------------------------------------------------------------------------- sampling


def test_sampling_draws_fresh_noise_with_the_right_mean_and_std():
    layer = ae.Sampling(seed=3)
    mean = np.ones((20000, 2), "float32")
    log_var = np.full((20000, 2), math.log(4.0), "float32")
    first = ops.convert_to_numpy(layer([mean, log_var]))
    second = ops.convert_to_numpy(layer([mean, log_var]))
    assert not np.allclose(first, second)
    np.testing.assert_allclose(first.mean(axis=0), 1.0, atol=0.05)
    np.testing.assert_allclose(first.std(axis=0), 2.0, atol=0.05)


def test_vae_samples_fresh_noise_inside_compiled_predict():
    vae = small_vae()
    x = prototypes_data(64)
    z1 = vae.predict(x, verbose=0)["z"]
    z2 = vae.predict(x, verbose=0)["z"]
    assert not np.allclose(z1, z2), "the sampling noise is frozen between calls"


# ----------------------------------------------------------------------------- the model


def test_vae_trains_and_logs_reconstruction_and_kl_with_validation():
    x = prototypes_data(256)
    vae = small_vae()
    hist = vae.fit(x, epochs=25, batch_size=32, validation_data=(x[:64],), verbose=0).history
    for key in ("loss", "reconstruction", "kl", "val_loss", "val_reconstruction", "val_kl"):
        assert key in hist and np.all(np.isfinite(hist[key])), key
    assert hist["kl"][-1] > 0.1, "the KL tracker stayed at 0: trackers are not updated"
    assert hist["loss"][-1] < 0.6 * hist["loss"][0]
    baseline = ae.pixel_bernoulli_nll(x, x).mean()
    assert hist["val_loss"][-1] < 0.8 * baseline, (hist["val_loss"][-1], baseline)


def test_conv_vae_trains():
    x = prototypes_data(128)
    vae = small_vae(conv=True)
    hist = vae.fit(x, epochs=20, batch_size=16, verbose=0).history
    baseline = ae.pixel_bernoulli_nll(x, x).mean()  # about 44 nats: 64 pixels at p = 0.5
    assert hist["loss"][-1] < 0.75 * baseline, (hist["loss"], baseline)
    assert hist["kl"][-1] > 0.1


@pytest.mark.parametrize("beta", [0.0, 1.0, 2.5])
def test_evaluate_reports_loss_as_reconstruction_plus_beta_times_kl(beta):
    x = prototypes_data(64)
    vae = small_vae(beta=beta)
    vae.fit(x, epochs=2, batch_size=32, verbose=0)
    logs = vae.evaluate(x, batch_size=64, verbose=0, return_dict=True)
    assert set(logs) >= {"loss", "reconstruction", "kl"}
    np.testing.assert_allclose(logs["loss"], logs["reconstruction"] + beta * logs["kl"], rtol=1e-4)


class ActivityPenalty(keras.layers.Layer):
    """Identity layer that calls add_loss, like the course's sparsity penalties."""

    def call(self, h):
        self.add_loss(10.0 * ops.mean(ops.square(h)))
        return h


def test_compute_loss_keeps_add_loss_terms_from_layers():
    x = prototypes_data(64)
    inputs = keras.Input(SHAPE)
    h = ActivityPenalty()(keras.layers.Dense(32, activation="relu")(keras.layers.Flatten()(inputs)))
    heads = [keras.layers.Dense(2)(h), keras.layers.Dense(2)(h)]
    vae = small_vae(encoder=keras.Model(inputs, heads))
    vae.fit(x, epochs=1, batch_size=64, verbose=0)
    logs = vae.evaluate(x, batch_size=64, verbose=0, return_dict=True)
    penalty = logs["loss"] - (logs["reconstruction"] + logs["kl"])
    assert penalty > 1e-3, f"add_loss terms were dropped (loss - ELBO terms = {penalty})"


def test_predict_returns_codes_and_reconstructions_with_documented_shapes():
    vae = small_vae(latent_dim=3)
    out = vae.predict(prototypes_data(10), verbose=0)
    assert {k: v.shape for k, v in out.items()} == {
        "z_mean": (10, 3),
        "z_log_var": (10, 3),
        "z": (10, 3),
        "logits": (10, *SHAPE),
        "reconstruction": (10, *SHAPE),
    }
    assert out["reconstruction"].min() >= 0 and out["reconstruction"].max() <= 1


def test_encode_decode_sample_and_reconstruct_have_documented_shapes():
    vae = small_vae(latent_dim=3)
    x = prototypes_data(7)
    mean, log_var = vae.encode(x, batch_size=4)
    assert mean.shape == log_var.shape == (7, 3)
    assert vae.decode(mean).shape == (7, *SHAPE)
    assert vae.reconstruct(x).shape == (7, *SHAPE)
    samples = vae.sample(5, seed=1)
    assert samples.shape == (5, *SHAPE) and 0 <= samples.min() and samples.max() <= 1
    np.testing.assert_allclose(samples, vae.sample(5, seed=1))
    assert (vae.latent_dim, vae.image_shape) == (3, SHAPE)


def test_vae_round_trips_through_keras_save_and_load(tmp_path):
    vae = small_vae(latent_dim=2, beta=2.0)
    x = prototypes_data(16)
    vae.fit(x, epochs=1, batch_size=16, verbose=0)
    path = tmp_path / "vae.keras"
    vae.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.beta == 2.0
    np.testing.assert_allclose(loaded.encode(x)[0], vae.encode(x)[0], rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------------- metrics


def constant_vae(bias):
    """A VAE whose encoder returns the prior and whose decoder ignores z: p(x) is exact."""
    vae = small_vae(latent_dim=2)
    for var in vae.encoder.weights + vae.decoder.weights:
        var.assign(np.zeros(var.shape, "float32"))
    vae.decoder.get_layer("logits").bias.assign(bias.reshape(-1))
    return vae


def test_elbo_and_iwae_equal_the_exact_nll_when_q_is_the_posterior():
    rng = np.random.default_rng(2)
    bias = rng.normal(size=SHAPE).astype("float32")
    x = prototypes_data(12, seed=3)
    vae = constant_vae(bias)
    p = 1 / (1 + np.exp(-bias.astype("float64")))
    exact = -np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=(1, 2))
    # batch_size 8 for 12 images: also checks the rows stay matched across a short last batch
    np.testing.assert_allclose(-ae.elbo_per_image(vae, x, batch_size=8), exact, rtol=1e-4)
    np.testing.assert_allclose(ae.iwae_nll(vae, x, k=7, batch_size=8), exact, rtol=1e-4)


def test_iwae_is_tighter_than_elbo_and_k1_matches_elbo_on_average():
    x = prototypes_data(256)
    vae = small_vae()
    vae.fit(x, epochs=10, batch_size=32, verbose=0)
    test = x[:50]  # one batch: few shapes to compile on JAX
    neg_elbo = -ae.elbo_per_image(vae, test, n_samples=30).mean()
    iwae_1 = ae.iwae_nll(vae, test, k=1, seed=1).mean()
    iwae_30 = ae.iwae_nll(vae, test, k=30, seed=1).mean()
    assert iwae_30 < neg_elbo, (iwae_30, neg_elbo)
    assert abs(iwae_1 - neg_elbo) < 0.1 * neg_elbo + 1.0, (iwae_1, neg_elbo)


def test_pixel_bernoulli_nll_matches_numpy():
    x_train = np.array([[1, 0], [1, 1], [0, 0]], "float32")
    x_test = np.array([[1, 0]], "float32")
    p = (x_train.sum(0) + 1) / (3 + 2)
    expected = -(np.log(p[0]) + np.log(1 - p[1]))
    np.testing.assert_allclose(ae.pixel_bernoulli_nll(x_train, x_test), [expected], rtol=1e-6)


def test_metrics_reject_grey_images_and_say_how_to_binarise():
    vae = small_vae()
    grey = np.full((4, *SHAPE), 0.5, "float32")
    for fn in (ae.elbo_per_image, ae.iwae_nll):
        with pytest.raises(ValueError, match="binary images .*ae.binarize"):
            fn(vae, grey)
    with pytest.raises(ValueError, match="binarize"):
        ae.pixel_bernoulli_nll(grey, grey)


def test_metrics_reject_images_of_the_wrong_shape():
    vae = small_vae()
    with pytest.raises(ValueError, match=r"expected \(n, 8, 8\)"):
        ae.iwae_nll(vae, np.zeros((3, 28, 28), "float32"))


# ----------------------------------------------------------------------------- data


def test_binarize_draws_pixels_with_their_grey_level_as_probability():
    grey = np.full((200, 28, 28), 0.3, "float32")
    binary = ae.binarize(grey, seed=5)
    assert set(np.unique(binary)) <= {0.0, 1.0}
    assert abs(binary.mean() - 0.3) < 0.01
    np.testing.assert_array_equal(binary, ae.binarize(grey, seed=5))


def test_binarize_rejects_unscaled_images_with_a_hint():
    with pytest.raises(ValueError, match="divide by 255"):
        ae.binarize(np.full((2, 4, 4), 255.0))


def test_dynamic_binarization_redraws_pixels_every_epoch():
    grey = np.full((10, 4, 4), 0.5, "float32")
    data = ae.DynamicBinarization(grey, batch_size=4, seed=0, shuffle=False)
    assert len(data) == 3 and data[2].shape == (2, 4, 4)
    first = data[0]
    data.on_epoch_end()
    assert set(np.unique(first)) <= {0.0, 1.0}
    assert not np.array_equal(first, data[0])


# ----------------------------------------------------------------------------- bad input


def test_vae_rejects_encoders_that_are_not_models_or_have_one_output():
    dec = ae.dense_vae_decoder(SHAPE, 2)
    with pytest.raises(TypeError, match="keras.Model"):
        ae.VAE(lambda x: x, dec)
    one_output = keras.Sequential(
        [keras.Input(SHAPE), keras.layers.Flatten(), keras.layers.Dense(2)]
    )
    with pytest.raises(ValueError, match=r"two outputs \[z_mean, z_log_var\]"):
        ae.VAE(one_output, dec)


def test_vae_rejects_negative_beta():
    with pytest.raises(ValueError, match="beta"):
        ae.VAE(ae.dense_vae_encoder(SHAPE, 2), ae.dense_vae_decoder(SHAPE, 2), beta=-1.0)


def test_decode_rejects_codes_of_the_wrong_size():
    with pytest.raises(ValueError, match=r"expected \(n, 2\)"):
        small_vae(latent_dim=2).decode(np.zeros((3, 5), "float32"))


def test_conv_builders_reject_sizes_the_strides_cannot_halve():
    with pytest.raises(ValueError, match="divisible by 4"):
        ae.conv_vae_encoder((10, 10), 2, filters=(4, 8))


# ----------------------------------------------------------------------------- other models on this backend


def test_dense_autoencoder_trains_on_this_backend():
    x = prototypes_data(256).reshape(256, 64)
    model, _, _ = ae.dense_autoencoder(input_dim=64, code_dim=4, hidden=(32,))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy")
    hist = model.fit(x, x, epochs=15, batch_size=32, verbose=0).history
    assert hist["loss"][-1] < 0.6 * hist["loss"][0]


def test_conv_autoencoder_trains_on_this_backend():
    x = prototypes_data(128)[..., None]
    model, _, _ = ae.conv_autoencoder(input_shape=(8, 8, 1), code_dim=4, filters=(4, 8))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy")
    hist = model.fit(x, x, epochs=15, batch_size=32, verbose=0).history
    assert hist["loss"][-1] < 0.8 * hist["loss"][0]


# ----------------------------------------------------------------------------- issue 9/11 checks


def test_vae_with_different_encoder_and_decoder_latent_sizes_is_refused():
    with pytest.raises(
        ValueError, match="encoder latent size is 3 but decoder takes codes of size 2"
    ):
        ae.VAE(ae.dense_vae_encoder(SHAPE, 3), ae.dense_vae_decoder(SHAPE, 2))


def test_vae_with_heads_of_different_sizes_is_refused():
    inputs = keras.Input(SHAPE)
    h = keras.layers.Flatten()(inputs)
    enc = keras.Model(inputs, [keras.layers.Dense(2)(h), keras.layers.Dense(3)(h)])
    with pytest.raises(ValueError, match="z_mean with 2 and z_log_var with 3"):
        ae.VAE(enc, ae.dense_vae_decoder(SHAPE, 2))


@pytest.mark.parametrize("where", ["x", "validation_data"])
def test_fit_refuses_0_255_images_and_says_divide_by_255(where):
    vae = small_vae()
    good = prototypes_data(16)
    raw = good * 255.0
    kwargs = {"x": raw} if where == "x" else {"x": good, "validation_data": (raw,)}
    with pytest.raises(ValueError, match=r"divide by 255.*ae.binarize"):
        vae.fit(epochs=1, batch_size=16, verbose=0, **kwargs)


def test_fit_refuses_0_255_images_given_with_labels():
    vae = small_vae()
    with pytest.raises(ValueError, match="divide by 255"):
        vae.fit([prototypes_data(8) * 255.0, np.zeros((8, 4), "float32")], epochs=1, verbose=0)


def test_kl_warmup_trains_without_kl_first_then_reaches_beta():
    x = prototypes_data(64)
    vae = small_vae(beta=2.0)
    seen = []

    class Spy(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(
                (
                    float(ops.convert_to_numpy(self.model.kl_weight)),
                    logs["loss"],
                    logs["reconstruction"],
                    logs["kl"],
                )
            )

    vae.fit(x, epochs=3, batch_size=64, verbose=0, callbacks=[ae.KLWarmup(epochs=2), Spy()])
    assert [w for w, *_ in seen] == [0.0, 1.0, 2.0]
    # epoch 0: the loss is the reconstruction alone although the KL is positive
    w0, loss0, rec0, kl0 = seen[0]
    assert kl0 > 0.01 and abs(loss0 - rec0) < 1e-3 * rec0, seen[0]
    _, loss2, rec2, kl2 = seen[2]
    np.testing.assert_allclose(loss2, rec2 + 2.0 * kl2, rtol=1e-4)
    assert float(ops.convert_to_numpy(vae.kl_weight)) == 2.0


class SquaredErrorVAE(ae.VAE):
    """A subclass that changes only the reconstruction term (sum of squared errors)."""

    def loss_terms(self, x, y_pred):
        _, kl = super().loss_terms(x, y_pred)
        error = ops.subtract(
            x, ops.sigmoid(y_pred["logits"])
        )  # x may be NumPy (torch: no ndarray - Tensor)
        sse = ops.sum(ops.reshape(ops.square(error), (ops.shape(x)[0], -1)), axis=1)
        return sse, kl


def squared_error_vae(beta=2.0):
    keras.utils.set_random_seed(0)
    vae = SquaredErrorVAE(
        ae.dense_vae_encoder(SHAPE, 2, hidden=(32,)),
        ae.dense_vae_decoder(SHAPE, 2, hidden=(32,)),
        beta=beta,
        seed=0,
    )
    vae.compile(optimizer=keras.optimizers.Adam(1e-2))
    return vae


def test_loss_terms_are_per_image_reconstruction_and_kl_in_nats():
    x = prototypes_data(6)
    vae = small_vae(latent_dim=3)
    y_pred = vae(x)
    recon, kl = (ops.convert_to_numpy(t) for t in vae.loss_terms(x, y_pred))
    assert recon.shape == (6,) and kl.shape == (6,)
    np.testing.assert_allclose(
        recon, ops.convert_to_numpy(bernoulli_nll(x, y_pred["logits"])), rtol=1e-6
    )
    np.testing.assert_allclose(
        kl, ops.convert_to_numpy(gaussian_kl(y_pred["z_mean"], y_pred["z_log_var"])), rtol=1e-6
    )


def test_a_subclass_overriding_the_reconstruction_term_keeps_kl_weight_and_sample_weight():
    x = prototypes_data(8)
    vae = squared_error_vae(beta=2.0)
    y_pred = vae(x)
    recon, kl = (ops.convert_to_numpy(t).astype("float64") for t in vae.loss_terms(x, y_pred))
    sse = np.sum(np.square(x - ops.convert_to_numpy(y_pred["reconstruction"])), axis=(1, 2))
    np.testing.assert_allclose(recon, sse, rtol=1e-5)  # the subclass's term, not the Bernoulli one
    assert np.all(kl > 0)
    weights = np.array([0, 1, 2, 3, 0, 1, 2, 3], "float32")
    for kl_weight in (2.0, 0.0, 0.5):  # beta, then what a KLWarmup would set
        vae.kl_weight.assign(kl_weight)
        loss = float(ops.convert_to_numpy(vae.compute_loss(x, y_pred=y_pred)))
        np.testing.assert_allclose(loss, np.mean(recon + kl_weight * kl), rtol=1e-5)
        weighted = float(
            ops.convert_to_numpy(vae.compute_loss(x, y_pred=y_pred, sample_weight=weights))
        )
        expected = np.sum(weights * (recon + kl_weight * kl)) / np.sum(weights)
        np.testing.assert_allclose(weighted, expected, rtol=1e-5)


def test_kl_warmup_ramps_a_subclass_that_overrides_the_loss_terms():
    x = prototypes_data(64)
    seen = []

    class Spy(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append((logs["loss"], logs["reconstruction"], logs["kl"]))

    vae = squared_error_vae(beta=2.0)
    vae.fit(x, epochs=3, batch_size=64, verbose=0, callbacks=[ae.KLWarmup(epochs=2), Spy()])
    (loss0, rec0, kl0), _, (loss2, rec2, kl2) = seen
    assert kl0 > 0.01 and abs(loss0 - rec0) < 1e-3 * rec0, seen[0]  # weight 0 in epoch 0
    np.testing.assert_allclose(loss2, rec2 + 2.0 * kl2, rtol=1e-4)  # weight beta from epoch 2


def test_kl_warmup_refuses_a_model_that_is_not_a_vae():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(TypeError, match="aehelpers VAE"):
        model.fit(np.zeros((4, 2)), np.zeros((4, 1)), verbose=0, callbacks=[ae.KLWarmup(2)])


def test_dynamic_binarization_passes_labels_along_as_a_second_input():
    grey = np.full((10, 4, 4), 0.5, "float32")
    labels = np.eye(10, dtype="float32")
    data = ae.DynamicBinarization(grey, batch_size=4, shuffle=False, labels=labels)
    ((images, batch_labels),) = data[1]
    assert images.shape == (4, 4, 4) and set(np.unique(images)) <= {0.0, 1.0}
    np.testing.assert_array_equal(batch_labels, labels[4:8])
    with pytest.raises(ValueError, match="labels has 3 rows but x has 10"):
        ae.DynamicBinarization(grey, labels=labels[:3])


@pytest.mark.parametrize("builder", [ae.dense_vae_encoder, ae.dense_vae_decoder])
def test_dense_vae_builders_read_an_int_hidden_as_one_layer(builder):
    import keras

    model = builder(latent_dim=2, hidden=8)
    widths = [layer.units for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert widths[0] == 8 and 8 not in widths[1:]
