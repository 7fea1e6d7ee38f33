"""Exercises of lesson 04: the overcomplete autoencoder.

q1: weights of a perfect copy machine.
q2: the squared Frobenius norm of a sigmoid encoder's Jacobian, in NumPy.
q3: an overcomplete autoencoder of your own that does not copy (the check measures it).
"""

import numpy as np

from . import Exercise, FunctionExercise, set_levels

# q1 -------------------------------------------------------------------------


def _check_copy_weights(fn):
    for d, k in ((6, 9), (5, 5)):
        w1, w2 = (np.asarray(w, dtype=np.float64) for w in fn(d, k))
        if w1.shape != (d, k) or w2.shape != (k, d):
            return f"for input_dim={d}, code_dim={k} expected shapes ({d}, {k}) and ({k}, {d}); got {w1.shape}, {w2.shape}"
        x = np.random.default_rng(0).uniform(size=(4, d))
        if not np.allclose(x @ w1 @ w2, x, atol=1e-6):
            return f"x @ w1 @ w2 does not give x back (input_dim={d}, code_dim={k})"
    return None


def _solve_copy_weights():
    def copy_weights(input_dim, code_dim):
        # any w1 of full row rank works; w2 is its pseudo-inverse, so w1 @ w2 = identity
        w1 = np.random.default_rng(0).normal(size=(input_dim, code_dim))
        return w1, np.linalg.pinv(w1)

    return copy_weights


def _wrong_transpose_instead_of_inverse():
    def copy_weights(input_dim, code_dim):
        w1 = np.random.default_rng(0).normal(size=(input_dim, code_dim))
        return w1, w1.T

    return copy_weights


def _wrong_shapes_swapped():
    def copy_weights(input_dim, code_dim):
        return np.eye(code_dim, input_dim), np.eye(input_dim, code_dim)

    return copy_weights


q1 = FunctionExercise(
    "q1: weights that copy any input",
    "copy_weights(input_dim, code_dim)",
    _check_copy_weights,
    "You need w1 @ w2 to be the identity matrix of size input_dim. Start from any w1 you like: which matrix undoes it? "
    "(It exists exactly when w1 has rank input_dim.)",
    _solve_copy_weights,
    wrong_answers=[_wrong_transpose_instead_of_inverse, _wrong_shapes_swapped],
)

# q2 -------------------------------------------------------------------------


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _check_jacobian(fn):
    rng = np.random.default_rng(1)
    w, b, x = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=(2, 4))
    got = np.asarray(fn(x, w, b), dtype=np.float64)
    if got.shape != (2,):
        return f"for 2 samples expected an array of shape (2,), got shape {got.shape}"
    want = np.empty(2)
    for n, row in enumerate(x):  # numerical Jacobian, central differences
        jac = np.stack(
            [
                (_sigmoid((row + e) @ w + b) - _sigmoid((row - e) @ w + b)) / 2e-6
                for e in np.eye(4) * 1e-6
            ],
            axis=1,
        )
        want[n] = np.sum(jac**2)
    if not np.allclose(got, want, rtol=1e-4):
        return f"you give {np.round(got, 5)}, a numerical Jacobian gives {np.round(want, 5)}"
    return None


def _solve_jacobian():
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


def _wrong_forgot_to_square_the_slope():
    def jacobian_norm_sq(x, w, b):
        h = _sigmoid(x @ w + b)
        return np.sum(h * (1 - h) * np.sum(w**2, axis=0), axis=1)

    return jacobian_norm_sq


def _wrong_summed_over_the_batch():
    def jacobian_norm_sq(x, w, b):
        h = _sigmoid(x @ w + b)
        return np.full(len(x), np.sum((h * (1 - h)) ** 2 * np.sum(w**2, axis=0)))

    return jacobian_norm_sq


q2 = FunctionExercise(
    "q2: the contractive penalty from the Jacobian itself",
    "jacobian_norm_sq(x, w, b)",
    _check_jacobian,
    "Column i of the Jacobian is how h changes when input i moves a tiny bit: nudge x[i] up and down by a small eps "
    "and divide the change in h by the step. Then add up the squares of all entries, one total per row of x.",
    _solve_jacobian,
    wrong_answers=[_wrong_forgot_to_square_the_slope, _wrong_summed_over_the_batch],
)

# q3 -------------------------------------------------------------------------
Q3_COPY_CEILING = (
    32 / 784
)  # copy score at most a 32-direction PCA's: no more than lesson 02's code could pass
Q3_CLOTHES_CEILING = 0.25  # clothes MSE at most this times the grey image's on the same images


def _q3_inputs():
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:28, 0:28]
    centres = rng.uniform(8, 20, size=(400, 2))
    radii = rng.uniform(4, 8, size=(400, 1))
    d2 = (yy.ravel() - centres[:, :1]) ** 2 + (xx.ravel() - centres[:, 1:]) ** 2
    clothes = (np.exp(-d2 / (2 * radii**2)) * rng.uniform(0.5, 1.0, size=(400, 1))).astype(
        "float32"
    )
    noise = rng.uniform(0, 1, size=(200, 784)).astype("float32")
    return {"clothes": clothes, "noise": noise}


def _widest_layer(model):
    import keras

    widths = [
        layer.output.shape[-1]
        for layer in getattr(model, "_flatten_layers", lambda **_: [])(
            include_self=False, recursive=True
        )
        if isinstance(layer, keras.layers.Layer)
        and getattr(layer, "output", None) is not None
        and hasattr(layer.output, "shape")
        and len(layer.output.shape) == 2
    ]
    return max(widths) if widths else None


def _reconstruct(model, x):
    import keras

    x = np.asarray(x, dtype="float32")
    return np.clip(keras.ops.convert_to_numpy(model(x, training=False)), 0, 1).reshape(len(x), -1)


def _copy_score(model, noise):
    """The lesson's copy score: (MSE(u, r(u')) - MSE(u, r(u))) / (2/12), u' another noise image; 1 = the identity."""
    u = np.asarray(noise, dtype="float32").reshape(len(noise), -1)
    r = _reconstruct(model, u)
    return float((np.mean((u - np.roll(r, 1, axis=0)) ** 2) - np.mean((u - r) ** 2)) / (2 / 12))


def _check_no_copy(answer, clothes, noise, lesson_models=()):
    import keras

    if not isinstance(answer, keras.Model):
        return f"expected your trained Keras model (the whole autoencoder), got {type(answer).__name__}"
    if any(answer is model for model in lesson_models):
        return "that is one of the lesson's own models: build and train one of your own"
    widest = _widest_layer(answer)
    if widest is not None and widest <= 784:
        return f"the widest layer of your model has {widest} units: make the code wider than the 784 pixels (overcomplete)"
    copy = _copy_score(answer, noise)
    clothes = np.asarray(clothes, dtype="float32").reshape(len(clothes), -1)
    clothes_ratio = float(
        np.mean((_reconstruct(answer, clothes) - clothes) ** 2) / np.mean((clothes - 0.5) ** 2)
    )
    if copy > Q3_COPY_CEILING:
        return (
            f"your model's copy score is {copy:.3f}: it passes more of a noise image through than a 32-direction PCA "
            f"would ({Q3_COPY_CEILING:.3f}), so it still copies"
        )
    if clothes_ratio > Q3_CLOTHES_CEILING:
        return f"your model's error on clothes is {clothes_ratio:.2f}x the grey image's: it does not reconstruct them well yet"
    return None


def _solve_no_copy(clothes, noise, lesson_models=()):
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


def _linear_model(w1, w2, b2):
    import keras

    model = keras.Sequential(
        [keras.Input((784,)), keras.layers.Dense(w1.shape[1]), keras.layers.Dense(784)]
    )
    model.layers[0].set_weights([w1.astype("float32"), np.zeros(w1.shape[1], "float32")])
    model.layers[1].set_weights([w2.astype("float32"), b2.astype("float32")])
    return model


def _wrong_copy_machine(clothes, noise, lesson_models=()):
    w1 = np.random.default_rng(0).normal(size=(784, 1024))
    return _linear_model(w1, np.linalg.pinv(w1), np.zeros(784))


def _wrong_grey_answer_to_everything(clothes, noise, lesson_models=()):
    return _linear_model(np.zeros((784, 1024)), np.zeros((1024, 784)), np.full(784, 0.5))


def _wrong_undercomplete(clothes, noise, lesson_models=()):
    w1 = np.zeros((784, 32))
    return _linear_model(w1, np.zeros((32, 784)), np.asarray(clothes).mean(axis=0))


q3 = Exercise(
    "q3: an overcomplete autoencoder that does not copy",
    _check_no_copy,
    "Keep a code wider than 784 and give the model a reason to discard: a sigmoid code with a KL or contractive penalty "
    "copied least in the lesson. Train it on x_train with the lesson's train() function (or longer), then pass the whole model.",
    _solve_no_copy,
    make_inputs=_q3_inputs,
    wrong_answers=[_wrong_copy_machine, _wrong_grey_answer_to_everything, _wrong_undercomplete],
    slow_reference=True,  # its solution fits a model
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 10), q2=(3, 20), q3=(2, 20))
