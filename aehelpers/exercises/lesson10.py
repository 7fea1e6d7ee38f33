"""Exercises of lesson 10: generative modelling with a (conditional) VAE."""

from types import SimpleNamespace

import numpy as np

from . import Exercise

# q1 -------------------------------------------------------------------------


def _check_rate(answer):
    if not callable(answer):
        return "expected a function recognised_rate(probabilities, requested)"
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(10), size=200)
    requested = rng.integers(0, 10, size=200)
    requested[:80] = probabilities[:80].argmax(axis=1)  # some samples are recognised
    want = np.mean(probabilities.argmax(axis=1) == requested)
    got = float(answer(probabilities, requested))
    if np.isclose(got, 100 * want):
        return f"you return {got:.1f}, a percentage; expected a fraction ({want:.3f})"
    if not np.isclose(got, want):
        return f"you return {got:.4f}; expected {want:.4f}, the fraction of rows whose argmax is the requested class"
    return None


def _solve_rate():
    def recognised_rate(probabilities, requested):
        predicted = np.asarray(probabilities).argmax(axis=1)  # the judge's verdict per sample
        return np.mean(predicted == np.asarray(requested))

    return recognised_rate


q1 = Exercise(
    "q1: the recognised rate",
    _check_rate,
    "probabilities.argmax(axis=1) is the judge's class for each sample; compare it with "
    "requested and take the mean of the booleans.",
    _solve_rate,
)

# q2 -------------------------------------------------------------------------


def _check_direction(answer):
    if not callable(answer):
        return "expected a function attribute_direction(codes, labels, source, target)"
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 4, size=300)
    codes = rng.normal(size=(300, 5)) + 2.0 * np.eye(4, 5)[labels]
    want = codes[labels == 3].mean(axis=0) - codes[labels == 1].mean(axis=0)
    got = np.asarray(answer(codes, labels, 1, 3), dtype=np.float64)
    if got.shape != (5,):
        return f"for codes of shape (300, 5) you return shape {got.shape}; expected (5,)"
    if np.allclose(got, -want):
        return "the sign is flipped: target mean minus source mean points from source to target"
    if not np.allclose(got, want):
        return "that is not the mean code of the target class minus the mean code of the source class"
    return None


def _solve_direction():
    def attribute_direction(codes, labels, source, target):
        codes, labels = np.asarray(codes), np.asarray(labels)
        return codes[labels == target].mean(axis=0) - codes[labels == source].mean(axis=0)

    return attribute_direction


q2 = Exercise(
    "q2: an attribute direction",
    _check_direction,
    "codes[labels == target].mean(axis=0) - codes[labels == source].mean(axis=0)",
    _solve_direction,
)

# q3 -------------------------------------------------------------------------


def _tiny_cvae(latent_dim=12, seed=0):
    """An untrained stand-in with the lesson's two-input encoder and decoder."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    image, label = keras.Input((28, 28)), keras.Input((10,))
    h = layers.Dense(8, activation="relu")(layers.Concatenate()([layers.Flatten()(image), label]))
    encoder = keras.Model([image, label], [layers.Dense(latent_dim)(h), layers.Dense(latent_dim)(h)])
    z, label2 = keras.Input((latent_dim,)), keras.Input((10,))
    logits = layers.Dense(784)(layers.Concatenate()([z, label2]))
    decoder = keras.Model([z, label2], layers.Reshape((28, 28))(logits))
    image_in = np.random.default_rng(seed).random((28, 28)).astype(np.float32)

    def prior_mean(y):  # like the lesson's ConditionalVAE.prior_mean with prior_scale 5
        y = np.asarray(y, np.float32)
        return 5.0 * np.pad(y, [(0, 0), (0, latent_dim - 10)]) if latent_dim > 10 else 5.0 * y[:, :latent_dim]

    cvae = SimpleNamespace(encoder=encoder, decoder=decoder, prior_mean=prior_mean)
    return {"cvae": cvae, "image": image_in, "label": 7}


def _reference_restyle(cvae, image, label):
    import keras

    own = keras.utils.to_categorical([label], 10).astype(np.float32)
    every = keras.utils.to_categorical(np.arange(10), 10).astype(np.float32)
    z_mean, _ = cvae.encoder([np.asarray(image, np.float32)[None], own], training=False)
    style = keras.ops.convert_to_numpy(z_mean) - keras.ops.convert_to_numpy(cvae.prior_mean(own))
    z = (style + keras.ops.convert_to_numpy(cvae.prior_mean(every))).astype(np.float32)
    logits = cvae.decoder([z, every], training=False)
    return keras.ops.convert_to_numpy(keras.ops.sigmoid(logits))


def _check_restyle(answer, cvae, image, label):
    if not callable(answer):
        return "expected a function restyle(cvae, image, label) returning (10, 28, 28) images"
    got = np.asarray(answer(cvae, image, label), dtype=np.float64)
    if got.shape != (10, 28, 28):
        return f"you return shape {got.shape}; expected (10, 28, 28), one image per digit"
    if got.min() < 0 or got.max() > 1:
        return "values outside [0, 1]: apply a sigmoid to the decoder's logits"
    want = _reference_restyle(cvae, image, label)
    if not np.allclose(got, want, atol=1e-4):
        return ("not z_mean - prior_mean(own label) + prior_mean(label c), decoded with label c, "
                "for c = 0..9 in order")  # fmt: skip
    return None


def _solve_restyle(cvae, image, label):
    def restyle(cvae, image, label):
        import keras

        own = keras.utils.to_categorical([label], 10).astype("float32")
        every = keras.utils.to_categorical(np.arange(10), 10).astype("float32")
        z_mean, _ = cvae.encoder([np.asarray(image, "float32")[None], own], training=False)
        # the style: where the image sits relative to its own class centre
        style = keras.ops.convert_to_numpy(z_mean) - keras.ops.convert_to_numpy(cvae.prior_mean(own))
        z = style + keras.ops.convert_to_numpy(cvae.prior_mean(every))  # same style, every centre
        logits = cvae.decoder([z.astype("float32"), every], training=False)
        return keras.ops.convert_to_numpy(keras.ops.sigmoid(logits))

    return restyle


q3 = Exercise(
    "q3: one style, ten digits",
    _check_restyle,
    "z_mean, _ = cvae.encoder([image[None], one_hot_of_label]); style = z_mean - "
    "cvae.prior_mean(one_hot_of_label); z = style + cvae.prior_mean(all ten one-hots); decode "
    "[z, all ten one-hots] and apply a sigmoid.",
    _solve_restyle,
    _tiny_cvae,
)
