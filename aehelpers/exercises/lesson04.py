"""Exercises of lesson 04: the overcomplete autoencoder.

q1: weights of a perfect copy machine.
q2: the squared Frobenius norm of a sigmoid encoder's Jacobian, in NumPy.
q3: an overcomplete autoencoder of your own that does not copy (the check measures it).
"""

import numpy as np

from . import Exercise, FunctionExercise, set_levels


def _check_q1(fn):  # any w1 of full rank will do: the check multiplies, it does not compare
    for d, k in ((6, 9), (5, 5)):
        w1, w2 = (np.asarray(w, dtype=np.float64) for w in fn(d, k))
        if w1.shape != (d, k) or w2.shape != (k, d):
            return (
                f"for input_dim={d}, code_dim={k} expected shapes ({d}, {k}) and ({k}, {d}); "
                f"got {w1.shape}, {w2.shape}"
            )
        x = np.random.default_rng(0).uniform(size=(4, d))
        if not np.allclose(x @ w1 @ w2, x, atol=1e-6):
            return f"x @ w1 @ w2 does not give x back (input_dim={d}, code_dim={k})"
    return None


def _solve_q1():
    def copy_weights(input_dim, code_dim):
        # any w1 of full row rank works; w2 is its pseudo-inverse, so w1 @ w2 = identity
        w1 = np.random.default_rng(0).normal(size=(input_dim, code_dim))
        return w1, np.linalg.pinv(w1)

    return copy_weights


def _gaussian(d, k):
    return np.random.default_rng(0).normal(size=(d, k))


q1 = FunctionExercise(
    title="q1: weights that copy any input",
    signature="copy_weights(input_dim, code_dim)",
    hint="You need w1 @ w2 to be the identity matrix of size input_dim. Start from any w1 you "
    "like: which matrix undoes it? (It exists exactly when w1 has rank input_dim.)",
    solution=_solve_q1,
    checker=_check_q1,
    wrong_answers={  # functions of (input_dim, code_dim)
        "the transpose undoes w1 only when its rows are orthonormal (a random w1's are not): "
        "another matrix undoes any w1": lambda: lambda d, k: (_gaussian(d, k), _gaussian(d, k).T),
        "your w1 has shape (code_dim, input_dim): w1 takes an input of input_dim values to a code "
        "of code_dim": lambda: lambda d, k: (np.eye(k, d), np.eye(d, k)),
    },
)


def _check_q2(fn, want):
    rng = np.random.default_rng(1)
    x, w, b = rng.normal(size=(2, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    got, numerical = np.asarray(fn(x, w, b), dtype=np.float64), want(x, w, b)
    if got.shape != (2,):
        return f"for 2 samples expected an array of shape (2,), got shape {got.shape}"
    if not np.allclose(got, numerical, rtol=1e-4):
        return f"you give {np.round(got, 5)}, a numerical Jacobian gives {np.round(numerical, 5)}"
    return None


def _solve_q2():
    def jacobian_norm_sq(x, w, b):
        # build the Jacobian of each row by central differences, then sum its squares
        def encode(v):
            return 1 / (1 + np.exp(-(v @ w + b)))

        eps = 1e-6
        norms = []
        for row in np.asarray(x, dtype=np.float64):
            columns = [
                (encode(row + e) - encode(row - e)) / (2 * eps) for e in np.eye(len(row)) * eps
            ]
            norms.append(np.sum(np.square(columns)))
        return np.array(norms)

    return jacobian_norm_sq


def _slope(x, w, b):
    """h(1 - h), the sigmoid's slope at each code unit."""
    h = 1 / (1 + np.exp(-(x @ w + b)))
    return h * (1 - h)


q2 = FunctionExercise(
    title="q2: the contractive penalty from the Jacobian itself",
    signature="jacobian_norm_sq(x, w, b)",
    hint="Column i of the Jacobian is how h changes when input i moves a tiny bit: nudge x[i] up "
    "and down by a small eps and divide the change in h by the step. Then add up the squares of "
    "all entries, one total per row of x.",
    solution=_solve_q2,
    checker=_check_q2,
    wrong_answers={
        "you squared w but not the sigmoid's slope h(1 - h): each entry of the Jacobian is a "
        "product of both": lambda: lambda x, w, b: np.sum(_slope(x, w, b) * np.sum(w**2, 0), 1),
        "you summed over the whole batch: one total per row of x": lambda: (
            lambda x, w, b: np.full(len(x), np.sum(_slope(x, w, b) ** 2 * np.sum(w**2, axis=0)))
        ),
    },
)

Q3_COPY_CEILING = 32 / 784  # copy score at most a 32-direction PCA's: lesson 02's code passed it
Q3_CLOTHES_CEILING = 0.25  # clothes MSE at most this times the grey image's on the same images


def _reconstruct(model, x):
    import keras

    x = np.asarray(x, dtype="float32")
    return np.clip(keras.ops.convert_to_numpy(model(x, training=False)), 0, 1).reshape(len(x), -1)


def _check_q3(answer, clothes, noise, lesson_models=()):
    import keras

    if not isinstance(answer, keras.Model):
        return f"expected your trained Keras model (the autoencoder), got {type(answer).__name__}"
    if any(answer is model for model in lesson_models):
        return "that is one of the lesson's own models: build and train one of your own"
    widths = [  # of every layer with a 2-d output
        layer.output.shape[-1]
        for layer in answer._flatten_layers(include_self=False, recursive=True)
        if len(getattr(getattr(layer, "output", None), "shape", ())) == 2
    ]
    if widths and max(widths) <= 784:
        return (
            f"the widest layer of your model has {max(widths)} units: make the code wider than "
            "the 784 pixels (overcomplete)"
        )
    # the lesson's copy score: (MSE(u, r(u')) - MSE(u, r(u))) / (2/12), u' another noise image
    u = np.asarray(noise, dtype="float32").reshape(len(noise), -1)
    r = _reconstruct(answer, u)
    copy = float((np.mean((u - np.roll(r, 1, axis=0)) ** 2) - np.mean((u - r) ** 2)) / (2 / 12))
    if copy > Q3_COPY_CEILING:
        return (
            f"your model's copy score is {copy:.3f}: it passes more of a noise image through than "
            f"a 32-direction PCA would ({Q3_COPY_CEILING:.3f}), so it still copies"
        )
    clothes = np.asarray(clothes, dtype="float32").reshape(len(clothes), -1)
    ratio = np.mean((_reconstruct(answer, clothes) - clothes) ** 2) / np.mean((clothes - 0.5) ** 2)
    if ratio > Q3_CLOTHES_CEILING:
        return (
            f"your model's error on clothes is {ratio:.2f}x the grey image's: it does not "
            "reconstruct them well yet"
        )
    return None


def _solve_q3(clothes, noise, lesson_models=()):
    import keras

    import aehelpers as ae

    x_train = clothes  # in the lesson: the training images x_train
    model = keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(
                1024, activation="sigmoid", activity_regularizer=ae.KLSparsity(rho=0.05, beta=1e-3)
            ),
            keras.layers.Dense(784, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    model.fit(x_train, x_train, epochs=30, batch_size=64, verbose=0)
    return model


def _q3_inputs():
    """400 "clothes" (soft blobs of random brightness) and 200 uniform noise images."""
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:28, 0:28]
    centres, radii = rng.uniform(8, 20, size=(400, 2)), rng.uniform(4, 8, size=(400, 1))
    d2 = (yy.ravel() - centres[:, :1]) ** 2 + (xx.ravel() - centres[:, 1:]) ** 2
    clothes = np.exp(-d2 / (2 * radii**2)) * rng.uniform(0.5, 1.0, size=(400, 1))
    noise = rng.uniform(0, 1, size=(200, 784))
    return {"clothes": clothes.astype("float32"), "noise": noise.astype("float32")}


def _linear_model(w1, w2, b2):
    """A linear autoencoder 784 -> w1.shape[1] -> 784 with these weights (for the mistakes)."""
    import keras

    model = keras.Sequential(
        [keras.Input((784,)), keras.layers.Dense(w1.shape[1]), keras.layers.Dense(784)]
    )
    model.layers[0].set_weights([w1.astype("float32"), np.zeros(w1.shape[1], "float32")])
    model.layers[1].set_weights([w2.astype("float32"), np.asarray(b2, "float32")])
    return model


q3 = Exercise(
    title="q3: an overcomplete autoencoder that does not copy",
    hint="Keep a code wider than 784 and give the model a reason to discard: a sigmoid code with "
    "a KL or contractive penalty copied least in the lesson. Train it on x_train with the "
    "lesson's train() function (or longer), then pass the whole model.",
    solution=_solve_q3,
    checker=_check_q3,
    make_inputs=_q3_inputs,
    wrong_answers={
        "a wide code with nothing to stop it copies: q1's weights give any input back, noise "
        "included": lambda **_: _linear_model(*_solve_q1()(784, 1024), np.zeros(784)),
        "a model that answers the same grey image to everything copies nothing but reconstructs "
        "nothing either": lambda **_: _linear_model(
            np.zeros((784, 1024)), np.zeros((1024, 784)), np.full(784, 0.5)
        ),
        "a 32-unit code is undercomplete: this exercise asks for a code wider than the 784 "
        "pixels": lambda clothes, **_: _linear_model(
            np.zeros((784, 32)), np.zeros((32, 784)), np.mean(clothes, axis=0)
        ),
    },
    slow_reference=True,  # its solution fits a model
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 10, "other"), q2=(3, 20, "other"), q3=(2, 20, "new code"))
