"""Exercises of lesson 01: the linear autoencoder and PCA."""

import numpy as np

from . import Exercise, FunctionExercise, Mistake, dense_layers, set_levels


def _toy_data(n=400, d=12, seed=0):
    rng = np.random.default_rng(seed)
    scales = np.linspace(3.0, 0.2, d)
    return (rng.normal(size=(n, d)) * scales) @ np.linalg.qr(rng.normal(size=(d, d)))[0]


def _spectrum(x):
    """Variances along the principal directions, largest first (biased, like an MSE)."""
    return np.linalg.eigvalsh(np.cov(x, rowvar=False, bias=True))[::-1]


def _q1_inputs():
    x, k = _toy_data(n=400, d=100), 6
    centred = x - x.mean(axis=0)
    top = np.linalg.svd(centred, full_matrices=False)[2][:k]
    train_mse = float(np.mean((centred - centred @ top.T @ top) ** 2))
    return {"eigenvalues": _spectrum(x), "k": k, "pca_train_mse": train_mse}


def _check_q1(fn, want, eigenvalues, k, pca_train_mse):
    toy = _spectrum(_toy_data())
    for toy_k in (1, 4, 9):
        got, pca_mse = float(fn(toy, toy_k)), want(toy, toy_k)
        if not np.isclose(got, pca_mse, rtol=1e-3):
            return (
                f"on a small test set (12 features), k={toy_k}: your function gives {got:.5f} "
                f"but PCA's reconstruction MSE is {pca_mse:.5f}"
            )
    got = float(fn(np.asarray(eigenvalues, dtype=np.float64), k))
    if not np.isclose(got, pca_train_mse, rtol=1e-2):
        return (
            f"on the lesson's {len(eigenvalues)} eigenvalues, k={k}: your function gives "
            f"{got:.5f} but PCA-{k}'s error on the training images is {pca_train_mse:.5f}"
        )
    return None


def _solve_q1(eigenvalues, k, pca_train_mse):
    def pca_mse_from_spectrum(eigenvalues, k):
        # PCA keeps the k largest variances; the MSE per feature is what is left over.
        return np.sum(eigenvalues[k:]) / len(eigenvalues)

    return pca_mse_from_spectrum


q1 = FunctionExercise(
    title="q1: PCA's error from its spectrum",
    signature="pca_mse_from_spectrum(eigenvalues, k)",
    checker=_check_q1,
    hint="The eigenvalues are the variances along the principal directions, and they add up to "
    "the total variance. Which of them does a k-component PCA lose, and how do you turn a total "
    "over all pixels into a per-pixel error?",
    solution=_solve_q1,
    make_inputs=_q1_inputs,
    wrong_answers={
        "you summed the k largest eigenvalues (the variance PCA keeps): its error is the variance "
        "it leaves out": lambda **_: (
            lambda eigenvalues, k: np.sum(eigenvalues[:k]) / len(eigenvalues)
        ),
        "you divided by the number of left-out eigenvalues: divide by the number of all of them "
        "(the pixels)": lambda **_: lambda eigenvalues, k: np.mean(eigenvalues[k:]),
        "you used only part of the spectrum: sum every left-out eigenvalue, divide by their full "
        "count": lambda **_: (
            lambda eigenvalues, k: np.sum(eigenvalues[k:64]) / len(eigenvalues[:64])
        ),
    },
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
    globals(), q1=(2, 15, "other"), q2=(1, 10, "other"), q3=(3, 25, "other"), q4=(2, 15, "new code")
)
