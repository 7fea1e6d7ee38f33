"""Exercises of lesson 10: generative modelling with a (conditional) VAE.

q1: the label-swap test on the plain CVAE's prior samples, checked against the lesson's own
model and judge; q2: restyle a digit with the class-prior CVAE (Keras code).
"""

from types import SimpleNamespace

import numpy as np

from . import Exercise, FunctionExercise, as_number, set_levels, short

# q1 -------------------------------------------------------------------------


def _label_agreement(cvae, judge, n_codes=200, seed=123, decode_with=None):
    """Fraction of decoded images the judge assigns to the label they were decoded with.

    ``decode_with``: a class to decode every code with instead (a typical mistake).
    """
    import keras

    latent_dim = int(cvae.decoder.input_shape[0][-1])
    z = np.random.default_rng(seed).standard_normal((n_codes, latent_dim)).astype(np.float32)
    z_all = np.tile(z, (10, 1))
    labels = np.repeat(np.arange(10), n_codes)
    used = labels if decode_with is None else np.full_like(labels, decode_with)
    one_hot = keras.utils.to_categorical(used, 10).astype(np.float32)
    images = keras.ops.convert_to_numpy(
        keras.ops.sigmoid(cvae.decoder([z_all, one_hot], training=False))
    )
    verdict = np.asarray(judge.predict(images, verbose=0, batch_size=500)).argmax(axis=1)
    return float(np.mean(verdict == labels)), labels, verdict


def _check_swap(answer, cvae, judge):
    try:
        value = as_number(answer)
    except (TypeError, ValueError):
        return f"expected a number between 0 and 1 (a fraction), got {short(answer)}"
    if not np.isfinite(value):
        return "expected a finite number between 0 and 1"
    if 1.0 < value <= 100.0:
        return f"{value:g} looks like a percentage; give the fraction (between 0 and 1)"
    if not 0.0 <= value <= 1.0:
        return f"{value:g} is not a fraction between 0 and 1"
    want, _, _ = _label_agreement(cvae, judge)
    if abs(value - want) > 0.06:
        return (
            f"repeating the experiment with 200 other codes gives a fraction far from {value:.3f}; "
            "decode every code with each of the ten labels and compare the judge's class with the "
            "label used for decoding"
        )
    return None


def _solve_swap(cvae, judge):
    import keras

    z = (
        np.random.default_rng(0).standard_normal((200, cvae.latent_dim)).astype("float32")
    )  # z ~ N(0, I)
    z = np.tile(z, (10, 1))  # every code ...
    labels = np.repeat(np.arange(10), 200)  # ... with each of the ten labels
    one_hot = keras.utils.to_categorical(labels, 10).astype("float32")
    images = keras.ops.convert_to_numpy(
        keras.ops.sigmoid(cvae.decoder([z, one_hot], training=False))
    )
    verdict = judge.predict(images, verbose=0).argmax(axis=1)
    return float(np.mean(verdict == labels))


def _label_following_stand_ins(latent_dim=16, seed=0):
    """A decoder that draws its label into the first pixels and a judge that reads them: the answer is 1."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    z, label = keras.Input((latent_dim,)), keras.Input((10,))
    dense = layers.Dense(784, use_bias=True)
    logits = dense(layers.Concatenate()([z, label]))
    decoder = keras.Model([z, label], layers.Reshape((28, 28))(logits))
    kernel = np.zeros((latent_dim + 10, 784), np.float32)
    kernel[latent_dim:, :10] = 40.0 * np.eye(10, dtype=np.float32)  # pixel c lights up for label c
    dense.set_weights([kernel, np.full(784, -20.0, np.float32)])
    reader = layers.Dense(10, activation="softmax")
    judge = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), reader])
    read = np.zeros((784, 10), np.float32)
    read[:10] = 10.0 * np.eye(10, dtype=np.float32)
    reader.set_weights([read, np.zeros(10, np.float32)])
    return {"cvae": SimpleNamespace(decoder=decoder, latent_dim=latent_dim), "judge": judge}


def _wrong_swap_percentage(cvae, judge):
    return 100.0 * _label_agreement(cvae, judge)[0]


def _wrong_swap_decoded_with_label_0(cvae, judge):
    # every code decoded with label 0, compared with the label that was meant
    _, labels, verdict = _label_agreement(cvae, judge, decode_with=0)
    return float(np.mean(verdict == labels))


def _wrong_swap_chance(cvae, judge):
    return 0.1


q1 = Exercise(
    "q1: the label-swap test on the plain CVAE",
    _check_swap,
    "Draw z with np.random.default_rng(0).standard_normal((200, cvae.latent_dim)), repeat it ten times "
    "(np.tile), build one-hot labels with np.repeat(np.arange(10), 200) and "
    "keras.utils.to_categorical, decode [z, one_hot], apply a sigmoid, and compare "
    "judge.predict(...).argmax(axis=1) with the labels.",
    _solve_swap,
    make_inputs=_label_following_stand_ins,
    wrong_answers=[_wrong_swap_percentage, _wrong_swap_decoded_with_label_0, _wrong_swap_chance],
)

# q2 -------------------------------------------------------------------------


def _tiny_cvae(latent_dim=12, seed=0):
    """An untrained stand-in with the lesson's two-input encoder and decoder."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    image, label = keras.Input((28, 28)), keras.Input((10,))
    h = layers.Dense(8, activation="relu")(layers.Concatenate()([layers.Flatten()(image), label]))
    encoder = keras.Model(
        [image, label], [layers.Dense(latent_dim)(h), layers.Dense(latent_dim)(h)]
    )
    z, label2 = keras.Input((latent_dim,)), keras.Input((10,))
    logits = layers.Dense(784)(layers.Concatenate()([z, label2]))
    decoder = keras.Model([z, label2], layers.Reshape((28, 28))(logits))
    image_in = np.random.default_rng(seed).random((28, 28)).astype(np.float32)

    def prior_mean(y):  # like the lesson's ConditionalVAE.prior_mean with prior_scale 5
        y = np.asarray(y, np.float32)
        return (
            5.0 * np.pad(y, [(0, 0), (0, latent_dim - 10)])
            if latent_dim > 10
            else 5.0 * y[:, :latent_dim]
        )

    cvae = SimpleNamespace(encoder=encoder, decoder=decoder, prior_mean=prior_mean)
    return {"cvae": cvae, "image": image_in, "label": 7}


def _restyle_with(cvae, image, label, subtract_own=True, decode_labels="every", apply_sigmoid=True):
    import keras

    own = keras.utils.to_categorical([label], 10).astype(np.float32)
    every = keras.utils.to_categorical(np.arange(10), 10).astype(np.float32)
    z_mean, _ = cvae.encoder([np.asarray(image, np.float32)[None], own], training=False)
    style = keras.ops.convert_to_numpy(z_mean)
    if subtract_own:
        style = style - keras.ops.convert_to_numpy(cvae.prior_mean(own))
    z = (style + keras.ops.convert_to_numpy(cvae.prior_mean(every))).astype(np.float32)
    labels = every if decode_labels == "every" else np.repeat(own, 10, axis=0)
    logits = cvae.decoder([z, labels], training=False)
    out = keras.ops.sigmoid(logits) if apply_sigmoid else logits
    return keras.ops.convert_to_numpy(out)


def _check_restyle(fn, cvae, image, label):
    got = np.asarray(fn(cvae, image, label), dtype=np.float64)
    if got.shape != (10, 28, 28):
        return f"you return shape {got.shape}; expected (10, 28, 28), one image per digit"
    if got.min() < 0 or got.max() > 1:
        return "values outside [0, 1]: return pixel probabilities (the decoder gives logits)"
    want = _restyle_with(cvae, image, label)
    if np.allclose(got, _restyle_with(cvae, image, label, subtract_own=False), atol=1e-4):
        return "the style is z_mean relative to the image's own class centre: subtract that centre first"
    if np.allclose(got, _restyle_with(cvae, image, label, decode_labels="own"), atol=1e-4):
        return "each of the ten codes should be decoded with its own class label, not the image's"
    if not np.allclose(got, want, atol=1e-4):
        return (
            "not the image's style moved to each class centre c and decoded with label c, "
            "for c = 0..9 in order"
        )
    return None


def _solve_restyle(cvae, image, label):
    def restyle(cvae, image, label):
        import keras

        own = keras.utils.to_categorical([label], 10).astype("float32")
        every = keras.utils.to_categorical(np.arange(10), 10).astype("float32")
        z_mean, _ = cvae.encoder([np.asarray(image, "float32")[None], own], training=False)
        # the style: where the image sits relative to its own class centre
        style = keras.ops.convert_to_numpy(z_mean) - keras.ops.convert_to_numpy(
            cvae.prior_mean(own)
        )
        z = style + keras.ops.convert_to_numpy(cvae.prior_mean(every))  # same style, every centre
        logits = cvae.decoder([z.astype("float32"), every], training=False)
        return keras.ops.convert_to_numpy(keras.ops.sigmoid(logits))

    return restyle


def _wrong_restyle_keeps_own_centre(cvae, image, label):
    return lambda cvae, image, label: _restyle_with(cvae, image, label, subtract_own=False)


def _wrong_restyle_decodes_with_own_label(cvae, image, label):
    return lambda cvae, image, label: _restyle_with(cvae, image, label, decode_labels="own")


def _wrong_restyle_returns_logits(cvae, image, label):
    return lambda cvae, image, label: _restyle_with(cvae, image, label, apply_sigmoid=False)


q2 = FunctionExercise(
    "q2: one style, ten digits",
    "restyle(cvae, image, label)",
    _check_restyle,
    "Encode [image[None], one_hot_of_label]; the style is z_mean minus cvae.prior_mean of that "
    "one-hot. Add it to cvae.prior_mean of all ten one-hots, decode [z, the ten one-hots] and "
    "turn the logits into probabilities.",
    _solve_restyle,
    make_inputs=_tiny_cvae,
    wrong_answers=[
        _wrong_restyle_keeps_own_centre,
        _wrong_restyle_decodes_with_own_label,
        _wrong_restyle_returns_logits,
    ],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 20), q2=(3, 20))
