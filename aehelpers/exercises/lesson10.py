"""Exercises of lesson 10: generative modelling with a (conditional) VAE.

q1: the label-swap test on the plain CVAE's prior samples, checked against the lesson's own
model and judge; q2: restyle a digit with the class-prior CVAE (Keras code).
"""

from types import SimpleNamespace

import numpy as np

from . import Exercise, FunctionExercise, Mistake, as_number, set_levels, short


def _label_agreement(cvae, judge, seed=123, decode_with=None):
    """The label-swap test on the check's own codes (``decode_with``: one class for all, a mistake)."""
    import keras

    z = np.random.default_rng(seed).standard_normal((200, cvae.latent_dim)).astype(np.float32)
    labels = np.repeat(np.arange(10), 200)
    used = labels if decode_with is None else np.full_like(labels, decode_with)
    one_hot = keras.utils.to_categorical(used, 10).astype(np.float32)
    logits = cvae.decoder([np.tile(z, (10, 1)), one_hot], training=False)
    images = keras.ops.convert_to_numpy(keras.ops.sigmoid(logits))
    verdict = np.asarray(judge.predict(images, verbose=0, batch_size=500)).argmax(axis=1)
    return float(np.mean(verdict == labels))


def _check_q1(answer, cvae, judge):
    try:
        value = as_number(answer)
    except TypeError:
        return f"expected a number between 0 and 1 (a fraction), got {short(answer)}"
    if 1.0 < value <= 100.0:
        return f"{value:g} looks like a percentage; give the fraction (between 0 and 1)"
    if not 0.0 <= value <= 1.0:  # NaN and inf too
        return f"{value:g} is not a fraction between 0 and 1"
    if abs(value - _label_agreement(cvae, judge)) > 0.06:
        return (
            f"repeating the experiment with 200 other codes gives a fraction far from {value:.3f}; "
            "decode every code with each of the ten labels and compare the judge's class with the "
            "label used for decoding"
        )
    return None


def _solve_q1(cvae, judge):
    import keras

    # z ~ N(0, I)
    z = np.random.default_rng(0).standard_normal((200, cvae.latent_dim)).astype("float32")
    z = np.tile(z, (10, 1))  # every code ...
    labels = np.repeat(np.arange(10), 200)  # ... with each of the ten labels
    one_hot = keras.utils.to_categorical(labels, 10).astype("float32")
    images = keras.ops.convert_to_numpy(
        keras.ops.sigmoid(cvae.decoder([z, one_hot], training=False))
    )
    verdict = judge.predict(images, verbose=0).argmax(axis=1)
    return float(np.mean(verdict == labels))


def _label_following_stand_ins():
    """A decoder that draws label c into pixel c and a judge that reads it: the answer is 1."""
    import keras
    from keras import layers

    z, label = keras.Input((16,)), keras.Input((10,))
    draw, read = layers.Dense(784), layers.Dense(10, activation="softmax")
    logits = layers.Reshape((28, 28))(draw(layers.Concatenate()([z, label])))
    judge = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), read])
    eye = np.eye(10, dtype=np.float32)
    draw.set_weights([np.pad(40 * eye, [(16, 0), (0, 774)]), np.full(784, -20.0, np.float32)])
    read.set_weights([np.pad(10 * eye, [(0, 774), (0, 0)]), np.zeros(10, np.float32)])
    cvae = SimpleNamespace(decoder=keras.Model([z, label], logits), latent_dim=16)
    return {"cvae": cvae, "judge": judge}


q1 = Exercise(
    title="q1: the label-swap test on the plain CVAE",
    hint="Draw z with np.random.default_rng(0).standard_normal((200, cvae.latent_dim)), repeat it "
    "ten times (np.tile), build one-hot labels with np.repeat(np.arange(10), 200) and "
    "keras.utils.to_categorical, decode [z, one_hot], apply a sigmoid, and compare "
    "judge.predict(...).argmax(axis=1) with the labels.",
    solution=_solve_q1,
    checker=_check_q1,
    make_inputs=_label_following_stand_ins,
    wrong_answers={
        "you gave a percentage, not a fraction": lambda cvae, judge: (
            100.0 * _label_agreement(cvae, judge)
        ),
        "you decoded every code with label 0, then compared with the label it was meant for": (
            lambda cvae, judge: _label_agreement(cvae, judge, decode_with=0)
        ),
        "0.1 is chance level, a guess: measure it": lambda cvae, judge: 0.1,
    },
)


def _tiny_cvae():
    """An untrained stand-in with the lesson's two-input encoder and decoder (latent_dim 12)."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    image, label, z = keras.Input((28, 28)), keras.Input((10,)), keras.Input((12,))
    h = layers.Dense(8, activation="relu")(layers.Concatenate()([layers.Flatten()(image), label]))
    logits = layers.Reshape((28, 28))(layers.Dense(784)(layers.Concatenate()([z, label])))
    cvae = SimpleNamespace(
        encoder=keras.Model([image, label], [layers.Dense(12)(h), layers.Dense(12)(h)]),
        decoder=keras.Model([z, label], logits),
        # like the lesson's ConditionalVAE.prior_mean with prior_scale 5
        prior_mean=lambda y: 5.0 * np.pad(np.asarray(y, np.float32), [(0, 0), (0, 2)]),
    )
    image = np.random.default_rng(0).random((28, 28)).astype(np.float32)
    return {"cvae": cvae, "image": image, "label": 7}


def _check_q2(restyle, want, cvae, image, label):
    got = np.asarray(restyle(cvae, image, label), dtype=np.float64)
    if got.shape != (10, 28, 28):
        return f"you return shape {got.shape}; expected (10, 28, 28), one image per digit"
    if got.min() < 0 or got.max() > 1:
        return "values outside [0, 1]: return pixel probabilities (the decoder gives logits)"
    if not np.allclose(got, want(cvae, image, label), atol=1e-4):
        return (
            "not the image's style moved to each class centre c and decoded with label c, "
            "for c = 0..9 in order"
        )
    return None


def _solve_q2(cvae, image, label):
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


def _restyle_with(cvae, image, label, subtract_own=True, own_labels=False, sigmoid=True):
    """A wrong restyle: the own centre kept, every code decoded with the own label, or logits."""
    import keras

    def restyle(cvae, image, label):
        own = keras.utils.to_categorical([label], 10).astype(np.float32)
        every = keras.utils.to_categorical(np.arange(10), 10).astype(np.float32)
        z_mean, _ = cvae.encoder([np.asarray(image, np.float32)[None], own], training=False)
        style = keras.ops.convert_to_numpy(z_mean)
        if subtract_own:
            style = style - keras.ops.convert_to_numpy(cvae.prior_mean(own))
        z = (style + keras.ops.convert_to_numpy(cvae.prior_mean(every))).astype(np.float32)
        logits = cvae.decoder([z, np.repeat(own, 10, axis=0) if own_labels else every])
        return keras.ops.convert_to_numpy(keras.ops.sigmoid(logits) if sigmoid else logits)

    return restyle


q2 = FunctionExercise(
    title="q2: one style, ten digits",
    signature="restyle(cvae, image, label)",
    hint="Encode [image[None], one_hot_of_label]; the style is z_mean minus cvae.prior_mean of "
    "that one-hot. Add it to cvae.prior_mean of all ten one-hots, decode [z, the ten one-hots] "
    "and turn the logits into probabilities.",
    solution=_solve_q2,
    checker=_check_q2,
    make_inputs=_tiny_cvae,
    wrong_answers=[
        Mistake("the style still holds its own class centre", _restyle_with, subtract_own=False),
        Mistake("you decoded every code with the image's label", _restyle_with, own_labels=True),
        Mistake("you returned logits, not pixel probabilities", _restyle_with, sigmoid=False),
    ],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 20, "other"), q2=(3, 20, "new code"))
