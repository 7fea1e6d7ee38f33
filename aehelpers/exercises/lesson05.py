"""Exercises of lesson 05: denoising autoencoders.

q1: predict the PSNR of a *clipped* noisy image without drawing any noise; checked
    against the noisy-input curve the lesson measured.
q2: one "blind" DAE for a range of noise levels; the check measures it against the
    lesson's two specialists.
"""

import numpy as np

from . import Exercise, FunctionExercise, set_levels

Q1_TOLERANCE_DB = 0.2


def _check_q1(fn, clean, sigmas, measured):  # against the lesson's measurements, not the reference
    clean = np.asarray(clean, dtype=np.float64)
    for sigma, value in zip(sigmas, measured, strict=True):
        got = float(fn(clean, sigma))
        if not np.isfinite(got):
            return f"at sigma={sigma} your function returns {got}; expected a PSNR in dB"
        if abs(got - value) > Q1_TOLERANCE_DB:
            return (
                f"at sigma={sigma} you predict {got:.2f} dB, the lesson measured {value:.2f} dB on "
                "the noisy images; did you account for what clipping does to a black pixel and to "
                "a white one?"
            )
    return None


def _solve_q1(clean, sigmas, measured):
    def noisy_psnr(clean, sigma):
        from scipy.stats import norm

        # the error at a pixel of value c is clip(w, -c, 1 - c) with w ~ N(0, sigma^2)
        c = np.asarray(clean, dtype=np.float64)
        a, b = -c / sigma, (1 - c) / sigma  # the two limits, in units of sigma
        # E[(w/sigma)^2; a < w/sigma < b]
        inside = (norm.cdf(b) - norm.cdf(a)) - (b * norm.pdf(b) - a * norm.pdf(a))
        mse_per_pixel = sigma**2 * (inside + a**2 * norm.cdf(a) + b**2 * norm.sf(b))
        mse_per_image = mse_per_pixel.reshape(len(clean), -1).mean(axis=1)
        return np.mean(10 * np.log10(1 / mse_per_image))  # mean PSNR over the images, like ae.psnr

    return noisy_psnr


def _q1_inputs():
    """40 discs on a faintly noisy ground, and the PSNR of their noisy versions at three sigmas."""
    from ..metrics import psnr
    from ..noise import gaussian_noise

    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:28, 0:28]
    discs = [
        np.clip(
            ((yy - 14) ** 2 + (xx - 14) ** 2 < r**2) * v + rng.uniform(0, 0.05, (28, 28)) * (r > 8),
            0,
            1,
        )
        for r, v in zip(rng.uniform(5, 12, 40), rng.uniform(0.4, 1.0, 40), strict=True)
    ]
    clean, sigmas = np.stack(discs).astype("float32"), [0.05, 0.2, 0.5]
    measured = [psnr(clean, gaussian_noise(clean, s, seed=3)) for s in sigmas]
    return {"clean": clean, "sigmas": sigmas, "measured": measured}


def _clip_white_only(clean, sigma):
    from scipy.stats import norm

    b = (1 - np.asarray(clean, dtype=np.float64)) / sigma
    mse = sigma**2 * ((norm.cdf(b)) - b * norm.pdf(b) + b**2 * norm.sf(b))
    return np.mean(10 * np.log10(1 / mse.reshape(len(clean), -1).mean(axis=1)))


q1 = FunctionExercise(
    title="q1: the PSNR of clipped noise",
    signature="noisy_psnr(clean, sigma)",
    hint="Work pixel by pixel: a pixel of value c can only go down by c and up by 1 - c, so its "
    "error is the noise cut off at those two limits. scipy.stats.norm (cdf, sf, pdf) gives you "
    "the pieces of that expectation; then MSE per image, PSNR per image, and the mean over images.",
    solution=_solve_q1,
    checker=_check_q1,
    make_inputs=_q1_inputs,
    wrong_answers={
        "you left out the clipping: 20 log10(1 / sigma) is the PSNR of noise that is never cut "
        "off": lambda **_: lambda clean, sigma: 20 * np.log10(1 / sigma),
        "you clipped the noise only at white (1): a pixel cannot go below black (0) either": (
            lambda **_: _clip_white_only
        ),
    },
)

Q2_SIGMAS = (0.2, 0.5)
Q2_WITHIN_DB = 1.0  # the blind DAE may trail each specialist by at most this much
Q2_OVER_NOISY_DB = 2.0  # and must beat the noisy input by at least this much


def _psnr_of(model, clean, noisy):
    import keras

    from ..metrics import psnr

    out = model(np.asarray(noisy, dtype="float32")[..., None], training=False)
    return psnr(clean, np.clip(keras.ops.convert_to_numpy(out).reshape(np.shape(clean)), 0, 1))


def _check_q2(answer, clean, specialists):
    import keras

    from ..metrics import psnr
    from ..noise import gaussian_noise

    if not isinstance(answer, keras.Model):
        return f"expected your trained Keras model (input (28, 28, 1)), got {type(answer).__name__}"
    for sigma in Q2_SIGMAS:
        noisy = gaussian_noise(clean, sigma, seed=4)
        ours, floor = _psnr_of(answer, clean, noisy), psnr(clean, noisy)
        theirs = _psnr_of(specialists[sigma], clean, noisy)
        if ours < floor + Q2_OVER_NOISY_DB:
            return (
                f"at sigma={sigma} your model scores {ours:.2f} dB, the noisy input itself "
                f"{floor:.2f} dB: it hardly denoises"
            )
        if ours < theirs - Q2_WITHIN_DB:
            return (
                f"at sigma={sigma} your model scores {ours:.2f} dB, the specialist trained at "
                f"{sigma} {theirs:.2f} dB"
            )
    return None


def _tiny_dae():
    """A small all-convolutional denoiser for the tests' stand-ins (the lesson uses make_dae)."""
    import keras
    from keras import layers

    inputs = keras.Input((28, 28, 1))
    h = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
    model = keras.Model(inputs, layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h))
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse")
    return model


def _solve_q2(clean, specialists):
    import keras

    keras.utils.set_random_seed(0)  # a reproducible start: same weights, same noise draws
    x_train = clean  # in the lesson: x_train
    model = _tiny_dae()  # in the lesson: make_dae("blind")
    rng = np.random.default_rng(0)
    for epoch in range(15):
        sigma = rng.uniform(0.1, 0.5, size=(len(x_train), 1, 1))  # a random noise level per image
        noisy = np.clip(x_train + sigma * rng.standard_normal(x_train.shape), 0, 1).astype(
            "float32"
        )
        model.fit(
            noisy[..., None],
            x_train[..., None],
            initial_epoch=epoch,
            epochs=epoch + 1,
            batch_size=16,
            verbose=0,
        )
    return model


def _blur(size):
    """A box blur of size x size pixels as a Keras model (size 1: the identity)."""
    import keras

    pool = keras.layers.AveragePooling2D(size, strides=1, padding="same")
    return keras.Sequential([keras.Input((28, 28, 1)), pool])


def _q2_inputs():
    """600 discs of grey 0.8, and stand-ins for the lesson's specialists: a 3x3 box blur."""
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:28, 0:28]
    centres, radii = rng.uniform(9, 19, size=(600, 2)), rng.uniform(4, 9, size=600)
    clean = [
        ((yy - cy) ** 2 + (xx - cx) ** 2 < r**2) * 0.8
        for (cy, cx), r in zip(centres, radii, strict=True)
    ]
    return {
        "clean": np.stack(clean).astype("float32"),
        "specialists": {s: _blur(3) for s in Q2_SIGMAS},
    }


q2 = Exercise(
    title="q2: one blind DAE for every noise level",
    hint="Reuse make_dae and the fit_denoiser loop, but draw a different sigma for every image "
    "(between 0.1 and 0.5) each epoch; ae.gaussian_noise takes one sigma, so build the noise "
    "yourself with NumPy and clip to [0, 1].",
    solution=_solve_q2,
    checker=_check_q2,
    make_inputs=_q2_inputs,
    wrong_answers={
        "a model that passes its input through unchanged does not denoise": lambda **_: _blur(1),
        "a heavy 9x9 blur removes the noise and the image's detail with it: train a denoiser": (
            lambda **_: _blur(9)
        ),
    },
    slow_reference=True,  # its solution fits a model
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(3, 30, "other"), q2=(2, 25, "new code"))
