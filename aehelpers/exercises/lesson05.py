"""Exercises of lesson 05: denoising autoencoders.

q1: predict the PSNR of a *clipped* noisy image without drawing any noise; checked
    against the noisy-input curve the lesson measured.
q2: one "blind" DAE for a range of noise levels; the check measures it against the
    lesson's two specialists.
"""

import numpy as np

from . import Exercise, FunctionExercise, set_levels

# ----------------------------------------------------------------------------- q1
Q1_TOLERANCE_DB = 0.2


def _q1_inputs():
    from ..metrics import psnr
    from ..noise import gaussian_noise

    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:28, 0:28]
    clean = np.stack(
        [
            np.clip(
                ((yy - 14) ** 2 + (xx - 14) ** 2 < r**2) * v
                + rng.uniform(0, 0.05, (28, 28)) * (r > 8),
                0,
                1,
            )
            for r, v in zip(rng.uniform(5, 12, 40), rng.uniform(0.4, 1.0, 40), strict=True)
        ]
    ).astype("float32")
    sigmas = [0.05, 0.2, 0.5]
    measured = [psnr(clean, gaussian_noise(clean, s, seed=3)) for s in sigmas]
    return {"clean": clean, "sigmas": sigmas, "measured": measured}


def _check_clipped_psnr(fn, clean, sigmas, measured):
    clean = np.asarray(clean, dtype=np.float64)
    for sigma, value in zip(sigmas, measured, strict=True):
        got = float(fn(clean, sigma))
        if not np.isfinite(got):
            return f"at sigma={sigma} your function returns {got}; expected a PSNR in dB"
        if abs(got - value) > Q1_TOLERANCE_DB:
            return (
                f"at sigma={sigma} you predict {got:.2f} dB, the lesson measured {value:.2f} dB on the noisy images; "
                "did you account for what clipping does to a black pixel and to a white one?"
            )
    return None


def _solve_clipped_psnr(clean, sigmas, measured):
    def noisy_psnr(clean, sigma):
        from scipy.stats import norm

        # the error at a pixel of value c is clip(w, -c, 1 - c) with w ~ N(0, sigma^2)
        a, b = (
            -np.asarray(clean, dtype=np.float64) / sigma,
            (1 - np.asarray(clean, dtype=np.float64)) / sigma,
        )
        inside = (norm.cdf(b) - norm.cdf(a)) - (
            b * norm.pdf(b) - a * norm.pdf(a)
        )  # E[(w/sigma)^2; a < w/sigma < b]
        mse_per_pixel = sigma**2 * (inside + a**2 * norm.cdf(a) + b**2 * norm.sf(b))
        mse_per_image = mse_per_pixel.reshape(len(clean), -1).mean(axis=1)
        return np.mean(10 * np.log10(1 / mse_per_image))  # mean PSNR over the images, like ae.psnr

    return noisy_psnr


def _wrong_ignores_clipping(**inputs):
    return lambda clean, sigma: 20 * np.log10(1 / sigma)


def _wrong_clips_only_white_pixels(**inputs):
    def noisy_psnr(clean, sigma):
        from scipy.stats import norm

        b = (1 - np.asarray(clean, dtype=np.float64)) / sigma
        mse = sigma**2 * ((norm.cdf(b)) - b * norm.pdf(b) + b**2 * norm.sf(b))
        return np.mean(10 * np.log10(1 / mse.reshape(len(clean), -1).mean(axis=1)))

    return noisy_psnr


q1 = FunctionExercise(
    "q1: the PSNR of clipped noise",
    "noisy_psnr(clean, sigma)",
    _check_clipped_psnr,
    "Work pixel by pixel: a pixel of value c can only go down by c and up by 1 - c, so its error is the noise cut off at "
    "those two limits. scipy.stats.norm (cdf, sf, pdf) gives you the pieces of that expectation; then MSE per image, "
    "PSNR per image, and the mean over images.",
    _solve_clipped_psnr,
    make_inputs=_q1_inputs,
    wrong_answers=[_wrong_ignores_clipping, _wrong_clips_only_white_pixels],
)

# ----------------------------------------------------------------------------- q2
Q2_SIGMAS = (0.2, 0.5)
Q2_WITHIN_DB = 1.0  # the blind DAE may trail each specialist by at most this much
Q2_OVER_NOISY_DB = 2.0  # and must beat the noisy input by at least this much


def _psnr_of(model, clean, noisy):
    import keras

    from ..metrics import psnr

    out = keras.ops.convert_to_numpy(
        model(np.asarray(noisy, dtype="float32")[..., None], training=False)
    )
    return psnr(clean, np.clip(out.reshape(np.shape(clean)), 0, 1))


def _check_blind(answer, clean, specialists):
    import keras

    from ..metrics import psnr
    from ..noise import gaussian_noise

    if not isinstance(answer, keras.Model):
        return f"expected your trained Keras model (input (28, 28, 1)), got {type(answer).__name__}"
    for sigma in Q2_SIGMAS:
        noisy = gaussian_noise(clean, sigma, seed=4)
        ours = _psnr_of(answer, clean, noisy)
        theirs = _psnr_of(specialists[sigma], clean, noisy)
        floor = psnr(clean, noisy)
        if ours < floor + Q2_OVER_NOISY_DB:
            return f"at sigma={sigma} your model scores {ours:.2f} dB, the noisy input itself {floor:.2f} dB: it hardly denoises"
        if ours < theirs - Q2_WITHIN_DB:
            return f"at sigma={sigma} your model scores {ours:.2f} dB, the specialist trained at {sigma} {theirs:.2f} dB"
    return None


def _tiny_dae():
    """A small all-convolutional denoiser for the tests' stand-in data (the lesson uses make_dae)."""
    import keras
    from keras import layers

    inputs = keras.Input((28, 28, 1))
    h = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
    model = keras.Model(inputs, layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h))
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse")
    return model


def _q2_inputs():
    import keras

    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:28, 0:28]
    centres, radii = rng.uniform(9, 19, size=(600, 2)), rng.uniform(4, 9, size=600)
    clean = np.stack(
        [
            ((yy - cy) ** 2 + (xx - cx) ** 2 < r**2) * 0.8
            for (cy, cx), r in zip(centres, radii, strict=True)
        ]
    ).astype("float32")
    # stand-ins for the lesson's specialists: a 3x3 box blur, a little better than nothing
    specialists = {}
    for sigma in Q2_SIGMAS:
        blur = keras.Sequential(
            [keras.Input((28, 28, 1)), keras.layers.AveragePooling2D(3, strides=1, padding="same")]
        )
        specialists[sigma] = blur
    return {"clean": clean, "specialists": specialists}


def _solve_blind(clean, specialists):
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


def _wrong_identity(clean, specialists):
    import keras

    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Identity()])


def _wrong_heavy_blur(clean, specialists):
    import keras

    return keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.AveragePooling2D(9, strides=1, padding="same")]
    )


q2 = Exercise(
    "q2: one blind DAE for every noise level",
    _check_blind,
    "Reuse make_dae and the fit_denoiser loop, but draw a different sigma for every image (between 0.1 and 0.5) each "
    "epoch; ae.gaussian_noise takes one sigma, so build the noise yourself with NumPy and clip to [0, 1].",
    _solve_blind,
    make_inputs=_q2_inputs,
    wrong_answers=[_wrong_identity, _wrong_heavy_blur],
    slow_reference=True,  # its solution fits a model
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(3, 30), q2=(2, 25))
