"""Exercises of lesson 01: the linear autoencoder and PCA."""

import numpy as np

from . import Exercise, FunctionExercise, Mistake, dense_layers, set_levels, short


def _toy_data(n=400, d=12, seed=0):
    rng = np.random.default_rng(seed)
    scales = np.linspace(3.0, 0.2, d)
    return (rng.normal(size=(n, d)) * scales) @ np.linalg.qr(rng.normal(size=(d, d)))[0]


Q1_SIZES = (8, 32, 256)  # code sizes at which the check measures the gap on the lesson's images


def _q1_inputs():
    x = _toy_data(n=300, d=100)
    return {"x_train": x[:200], "x_test": x[200:]}


def _pca_errors(x_fit, x_new, k):
    """(MSE per pixel on x_fit, on x_new) of scikit-learn's PCA(k) fitted on x_fit only."""
    from sklearn.decomposition import PCA

    pca = PCA(k).fit(x_fit)
    return tuple(
        float(np.mean((x - pca.inverse_transform(pca.transform(x))) ** 2)) for x in (x_fit, x_new)
    )


def _check_q1(fn, want, x_train, x_test, prediction=None):
    if prediction is not None and prediction is not Ellipsis and prediction not in Q1_SIZES[::2]:
        return f"prediction should be 8 or 256 (where the gap is larger); got {prediction!r}"
    toy = _toy_data(n=160, d=12)
    for k in (2, 6):
        got, exact = fn(toy[:100], toy[100:], k), _pca_errors(toy[:100], toy[100:], k)
        try:
            got = tuple(float(v) for v in got)
        except (TypeError, ValueError):
            return f"return a pair (error on x_fit, error on x_new); got {short(got)}"
        if len(got) != 2 or not np.allclose(got, exact, rtol=1e-3):
            return (
                f"on made-up data (100 + 60 rows, 12 features), k={k}: you return "
                f"{short(got)}, PCA fitted on x_fit gives (train, new) = ({exact[0]:.5f}, "
                f"{exact[1]:.5f})"
            )
    sizes = [k for k in Q1_SIZES if k < min(np.shape(x_train))]  # all three on the lesson's images
    gaps = {k: fn(x_train, x_test, k) for k in sizes}
    print(
        "PCA on the lesson's images, test MSE / training MSE: "
        + " | ".join(f"k={k}: {new / fit:.3f}" for k, (fit, new) in gaps.items())
        + (f" (you predicted the larger gap at k = {prediction})" if prediction in Q1_SIZES else "")
    )
    return None


def _solve_q1(x_train, x_test, prediction=None):
    from sklearn.decomposition import PCA

    def train_and_test_mse(x_fit, x_new, k):
        pca = PCA(k).fit(x_fit)  # the directions come from x_fit only
        errors = []
        for x in (x_fit, x_new):
            reconstruction = pca.inverse_transform(pca.transform(x))
            errors.append(float(np.mean((x - reconstruction) ** 2)))  # per pixel
        return errors[0], errors[1]

    return train_and_test_mse


def _wrong_q1(fit_on="fit", reduce=np.mean, swap=False):
    from sklearn.decomposition import PCA

    def errors(x_fit, x_new, k):
        data = {"fit": x_fit, "new": x_new, "both": np.concatenate([x_fit, x_new])}[fit_on]
        pca = PCA(k).fit(data)
        out = [
            float(reduce((x - pca.inverse_transform(pca.transform(x))) ** 2))
            for x in (x_fit, x_new)
        ]
        return tuple(out[::-1]) if swap else tuple(out)

    return errors


q1 = FunctionExercise(
    title="q1: PCA on new images: predict the gap, then measure it",
    signature="train_and_test_mse(x_fit, x_new, k)",
    checker=_check_q1,
    hint="Fit scikit-learn's PCA(k) on x_fit alone; reconstruct each set with transform and "
    "inverse_transform; the error is the mean over images and pixels of the squared difference.",
    solution=_solve_q1,
    make_inputs=_q1_inputs,
    wrong_answers={
        "PCA was fitted on the new images too: fit it on x_fit only, as a model is trained on "
        "training images only": lambda **_: _wrong_q1(fit_on="both"),
        "PCA was fitted on the new images: fit it on x_fit": lambda **_: _wrong_q1(fit_on="new"),
        "you summed the squared errors: the error is a mean over images and pixels": (
            lambda **_: _wrong_q1(reduce=np.sum)
        ),
        "the pair is the wrong way round: (error on x_fit, error on x_new)": (
            lambda **_: _wrong_q1(swap=True)
        ),
    },
    slow_reference=True,  # its check fits PCA-256 on the lesson's images (seconds)
)


def _check_q2(fn, w2):
    from scipy.linalg import subspace_angles

    for name, w in (
        ("a random (20, 5) matrix", np.random.default_rng(1).normal(size=(20, 5))),
        ("w2", np.asarray(w2, dtype=np.float64)),
    ):
        q = np.asarray(fn(w), dtype=np.float64)
        if q.shape != w.shape:
            return f"for {name} of shape {w.shape} you returned shape {q.shape}; expected {w.shape}"
        if not np.allclose(q.T @ q, np.eye(w.shape[1]), atol=1e-4):
            return f"for {name}: the columns are not orthonormal (q.T @ q should be the identity)"
        if np.degrees(subspace_angles(q, w)).max() > 1e-2:
            return f"for {name}: the columns do not span the same space as its columns"
    return None


def _solve_q2(w2):
    def orthonormal_basis(w2):
        q, _ = np.linalg.qr(w2)  # Gram-Schmidt, done stably
        return q

    return orthonormal_basis


q2 = FunctionExercise(
    title="q2: an orthonormal basis of the decoder's columns",
    signature="orthonormal_basis(w2)",
    checker=_check_q2,
    hint="Gram-Schmidt makes columns orthonormal one at a time without leaving their span; "
    "NumPy's linear-algebra module has a matrix factorisation that does exactly this, stably.",
    solution=_solve_q2,
    make_inputs=lambda: {"w2": np.random.default_rng(3).normal(size=(30, 6))},
    wrong_answers={
        "you only scaled each column to length 1: the columns must also be orthogonal to each "
        "other": lambda **_: lambda w2: w2 / np.linalg.norm(w2, axis=0),
        "your columns are orthonormal but span another space: orthonormalise the decoder's own "
        "columns": lambda **_: (
            lambda w2: np.linalg.qr(np.random.default_rng(9).normal(size=w2.shape))[0]
        ),
        "you returned the basis transposed: one basis vector per column, same shape as w2": (
            lambda **_: lambda w2: np.linalg.qr(w2)[0].T
        ),
    },
)


def _check_q3(fn):
    x, k = _toy_data(), 4
    top = np.linalg.svd(x - x.mean(axis=0), full_matrices=False)[2][:k]  # PCA's components
    mixing = np.random.default_rng(2).normal(size=(k, k))  # any invertible mix of the top-k
    got = np.asarray(fn(top.T @ mixing, x), dtype=np.float64)
    if got.shape != (k, x.shape[1]):
        return (
            f"you returned shape {got.shape}; expected ({k}, {x.shape[1]}), one direction per row"
        )
    cosines = np.abs(np.sum(got * top, axis=1)) / np.linalg.norm(got, axis=1)
    if not np.all(cosines > 0.999):
        return (
            f"|cosine| with PCA's components in order: {np.round(cosines, 3)}; expected all 1 "
            "(sort by variance, largest first)"
        )
    return None


def _solve_q3():
    def pca_from_decoder(w2, x):
        q, _ = np.linalg.qr(w2)  # orthonormal basis of the decoder's subspace (d, k)
        codes = (x - x.mean(axis=0)) @ q  # coordinates of the centred data in it
        variances, rotation = np.linalg.eigh(np.cov(codes, rowvar=False))
        order = np.argsort(variances)[::-1]  # largest variance first
        return (q @ rotation[:, order]).T

    return pca_from_decoder


def _wrong_q3(orthonormalise=True, largest_first=True):
    def pca_from_decoder(w2, x):
        q = np.linalg.qr(w2)[0] if orthonormalise else w2
        rotation = np.linalg.eigh(np.cov((x - x.mean(axis=0)) @ q, rowvar=False))[1]
        return (q @ (rotation[:, ::-1] if largest_first else rotation)).T

    return pca_from_decoder


q3 = FunctionExercise(
    title="q3: PCA's ordered components from a linear autoencoder",
    signature="pca_from_decoder(w2, x)",
    checker=_check_q3,
    hint="Work inside the decoder's subspace: give it an orthonormal basis first (exercise 2), "
    "express the centred data in that basis, and ask which directions *within* it carry the "
    "most variance (a k x k eigenproblem). Mind the order NumPy returns them in.",
    solution=_solve_q3,
    wrong_answers={
        "your directions come smallest variance first": lambda: _wrong_q3(largest_first=False),
        "you took the variances in the decoder's own columns, which are not orthonormal: the "
        "directions come out skewed": lambda: _wrong_q3(orthonormalise=False),
        "the decoder's columns span PCA's subspace but are not PCA's directions": (
            lambda: lambda w2, x: w2.T
        ),
    },
)


def _q4_inputs():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(700, 8)) @ rng.normal(size=(8, 784)) + 0.1 * rng.normal(size=(700, 784))
    x = (x - x.min()) / (x.max() - x.min())
    return {"x_train": x[:600].astype("float32"), "x_val": x[600:].astype("float32")}


def _check_q4(answer, x_train, x_val):
    import keras

    from ..baselines import pca_baseline

    if not isinstance(answer, keras.Model):
        return f"expected a trained keras model, got {type(answer).__name__}"
    dense = dense_layers(answer)
    tanh_codes = [layer for layer in dense if getattr(layer.activation, "__name__", "") == "tanh"]
    if not tanh_codes:
        acts = [layer.activation.__name__ for layer in dense]
        return f"no Dense layer with a tanh activation; activations are {acts}"
    k = min(layer.units for layer in tanh_codes)
    r = keras.ops.convert_to_numpy(answer(x_val, training=False)).reshape(x_val.shape)
    mse = float(np.mean((x_val - r) ** 2))
    mean_mse = float(np.mean((x_val - x_train.mean(axis=0)) ** 2))
    if mse >= 0.8 * mean_mse:
        return (
            f"validation MSE {mse:.4f}, hardly better than always answering the average image "
            f"({mean_mse:.4f}): train it on x_train first"
        )
    pca_mse = pca_baseline(x_train, x_val, k).mse
    print(
        f"validation MSE: tanh-code AE {mse:.5f} | PCA-{k} {pca_mse:.5f} | ratio {mse / pca_mse:.3f}"
    )
    return None


def _solve_q4(x_train, x_val):
    import keras
    from keras import layers

    k = 32
    tanh_ae = keras.Sequential(
        [
            keras.Input((x_train.shape[1],)),
            layers.Dense(k, activation="tanh"),
            layers.Dense(x_train.shape[1]),
        ]
    )
    tanh_ae.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    tanh_ae.fit(
        x_train, x_train, validation_data=(x_val, x_val), epochs=20, batch_size=64, verbose=0
    )
    return tanh_ae


def _wrong_q4(x_train, x_val, activation, epochs):
    import keras
    from keras import layers

    d = x_train.shape[1]
    model = keras.Sequential(
        [keras.Input((d,)), layers.Dense(32, activation=activation), layers.Dense(d)]
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    if epochs:
        model.fit(x_train, x_train, epochs=epochs, batch_size=64, verbose=0)
    return model


q4 = Exercise(
    title="q4: a tanh code",
    checker=_check_q4,
    hint="Build the encoder's Dense layer with an activation argument, compile with an Adam "
    "optimiser and fit it on (x_train, x_train); then compare the printed ratio with the linear "
    "AE's.",
    solution=_solve_q4,
    make_inputs=_q4_inputs,
    wrong_answers=[
        Mistake("the model is not trained: fit it", _wrong_q4, activation="tanh", epochs=0),
        Mistake(
            "the code layer has no activation: it is linear", _wrong_q4, activation=None, epochs=5
        ),
    ],
    slow_reference=True,  # its solution fits a model
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(
    globals(),
    q1=(2, 15, "decision"),
    q2=(1, 10, "other"),
    q3=(3, 25, "other"),
    q4=(2, 15, "new code"),
)
