"""Exercises of lesson 01: the linear autoencoder and PCA."""

import numpy as np

from . import Exercise, FunctionExercise, dense_layers, set_levels


def _toy_data(n=400, d=12, seed=0):
    rng = np.random.default_rng(seed)
    scales = np.linspace(3.0, 0.2, d)
    return (rng.normal(size=(n, d)) * scales) @ np.linalg.qr(rng.normal(size=(d, d)))[0]


# q1 -------------------------------------------------------------------------


def _q1_inputs():
    x = _toy_data(n=400, d=100)
    eig = np.linalg.eigvalsh(np.cov(x, rowvar=False, bias=True))[::-1]
    k = 6
    centred = x - x.mean(axis=0)
    top = np.linalg.svd(centred, full_matrices=False)[2][:k]
    train_mse = float(np.mean((centred - centred @ top.T @ top) ** 2))
    return {"eigenvalues": eig, "k": k, "pca_train_mse": train_mse}


def _check_spectrum_mse(fn, eigenvalues, k, pca_train_mse):
    from sklearn.decomposition import PCA

    x = _toy_data()
    toy_eig = PCA().fit(x).explained_variance_ * (len(x) - 1) / len(x)  # biased variance, like MSE
    for toy_k in (1, 4, 9):
        pca = PCA(n_components=toy_k).fit(x)
        want = np.mean((x - pca.inverse_transform(pca.transform(x))) ** 2)
        got = float(fn(toy_eig, toy_k))
        if not np.isclose(got, want, rtol=1e-3):
            return f"on a small test set (12 features), k={toy_k}: your function gives {got:.5f} but PCA's reconstruction MSE is {want:.5f}"
    eigenvalues = np.asarray(eigenvalues, dtype=np.float64)
    got = float(fn(eigenvalues, k))
    if not np.isclose(got, pca_train_mse, rtol=1e-2):
        return (
            f"on the lesson's {len(eigenvalues)} eigenvalues, k={k}: your function gives {got:.5f} but PCA-{k}'s "
            f"error on the training images is {pca_train_mse:.5f}"
        )
    return None


def _solve_spectrum_mse(eigenvalues, k, pca_train_mse):
    def pca_mse_from_spectrum(eigenvalues, k):
        # PCA keeps the k largest variances; the MSE per feature is what is left over.
        return np.sum(eigenvalues[k:]) / len(eigenvalues)

    return pca_mse_from_spectrum


def _wrong_kept_variance(eigenvalues, k, pca_train_mse):
    """You summed the k largest eigenvalues (the variance PCA keeps): its error is the variance it leaves out."""
    return lambda eigenvalues, k: np.sum(eigenvalues[:k]) / len(eigenvalues)


def _wrong_divided_by_left_out_count(eigenvalues, k, pca_train_mse):
    """You divided by the number of left-out eigenvalues: divide by the number of all of them (the pixels)."""
    return lambda eigenvalues, k: np.mean(eigenvalues[k:])


def _wrong_only_first_64_eigenvalues(eigenvalues, k, pca_train_mse):
    """You used only part of the spectrum: sum every left-out eigenvalue, divide by their full count."""
    return lambda eigenvalues, k: np.sum(eigenvalues[k:64]) / len(eigenvalues[:64])


q1 = FunctionExercise(
    "q1: PCA's error from its spectrum",
    "pca_mse_from_spectrum(eigenvalues, k)",
    _check_spectrum_mse,
    "The eigenvalues are the variances along the principal directions, and they add up to the total variance. "
    "Which of them does a k-component PCA lose, and how do you turn a total over all pixels into a per-pixel error?",
    _solve_spectrum_mse,
    make_inputs=_q1_inputs,
    wrong_answers=[
        _wrong_kept_variance,
        _wrong_divided_by_left_out_count,
        _wrong_only_first_64_eigenvalues,
    ],
)

# q2 -------------------------------------------------------------------------


def _q2_inputs():
    return {"w2": np.random.default_rng(3).normal(size=(30, 6))}


def _check_orthonormal(fn, w2):
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


def _solve_orthonormal(w2):
    def orthonormal_basis(w2):
        q, _ = np.linalg.qr(w2)  # Gram-Schmidt, done stably
        return q

    return orthonormal_basis


def _wrong_unit_length_only(w2):
    """You only scaled each column to length 1: the columns must also be orthogonal to each other (QR)."""
    return lambda w2: w2 / np.linalg.norm(w2, axis=0)


def _wrong_other_subspace(w2):
    """Your columns are orthonormal but span another space: orthonormalise the decoder's own columns."""
    return lambda w2: np.linalg.qr(np.random.default_rng(9).normal(size=w2.shape))[0]


def _wrong_transposed(w2):
    """You returned the basis transposed: one basis vector per column, same shape as w2."""
    return lambda w2: np.linalg.qr(w2)[0].T


q2 = FunctionExercise(
    "q2: an orthonormal basis of the decoder's columns",
    "orthonormal_basis(w2)",
    _check_orthonormal,
    "Gram-Schmidt makes columns orthonormal one at a time without leaving their span; NumPy's linear-algebra "
    "module has a matrix factorisation that does exactly this, stably.",
    _solve_orthonormal,
    make_inputs=_q2_inputs,
    wrong_answers=[_wrong_unit_length_only, _wrong_other_subspace, _wrong_transposed],
)

# q3 -------------------------------------------------------------------------


def _check_ordered(fn):
    from sklearn.decomposition import PCA

    x = _toy_data()
    k = 4
    pca = PCA(n_components=k).fit(x)
    rng = np.random.default_rng(2)
    mixing = rng.normal(size=(k, k))  # any invertible mix of the top-k directions
    w2 = pca.components_.T @ mixing
    got = np.asarray(fn(w2, x), dtype=np.float64)
    if got.shape != (k, x.shape[1]):
        return (
            f"you returned shape {got.shape}; expected ({k}, {x.shape[1]}), one direction per row"
        )
    cosines = np.abs(np.sum(got * pca.components_, axis=1)) / np.linalg.norm(got, axis=1)
    if not np.all(cosines > 0.999):
        return (
            f"|cosine| with PCA's components in order: {np.round(cosines, 3)}; expected all 1 "
            "(sort by variance, largest first)"
        )
    return None


def _solve_ordered():
    def pca_from_decoder(w2, x):
        q, _ = np.linalg.qr(w2)  # orthonormal basis of the decoder's subspace (d, k)
        codes = (x - x.mean(axis=0)) @ q  # coordinates of the centred data in it
        variances, rotation = np.linalg.eigh(np.cov(codes, rowvar=False))
        order = np.argsort(variances)[::-1]  # largest variance first
        return (q @ rotation[:, order]).T

    return pca_from_decoder


def _wrong_smallest_first():
    def pca_from_decoder(w2, x):
        q, _ = np.linalg.qr(w2)
        variances, rotation = np.linalg.eigh(np.cov((x - x.mean(axis=0)) @ q, rowvar=False))
        return (q @ rotation).T  # eigh sorts ascending

    return pca_from_decoder


def _wrong_no_orthonormal_basis():
    def pca_from_decoder(w2, x):
        variances, rotation = np.linalg.eigh(np.cov((x - x.mean(axis=0)) @ w2, rowvar=False))
        return (w2 @ rotation[:, ::-1]).T

    return pca_from_decoder


def _wrong_decoder_columns_as_they_are():
    return lambda w2, x: w2.T


q3 = FunctionExercise(
    "q3: PCA's ordered components from a linear autoencoder",
    "pca_from_decoder(w2, x)",
    _check_ordered,
    "Work inside the decoder's subspace: give it an orthonormal basis first (exercise 2), express the centred data "
    "in that basis, and ask which directions *within* it carry the most variance (a k x k eigenproblem). "
    "Mind the order NumPy returns them in.",
    _solve_ordered,
    wrong_answers=[
        _wrong_smallest_first,
        _wrong_no_orthonormal_basis,
        _wrong_decoder_columns_as_they_are,
    ],
)

# q4 -------------------------------------------------------------------------


def _q4_inputs():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(700, 8)) @ rng.normal(size=(8, 784)) + 0.1 * rng.normal(size=(700, 784))
    x = (x - x.min()) / (x.max() - x.min())
    return {"x_train": x[:600].astype("float32"), "x_val": x[600:].astype("float32")}


def _check_tanh_code(answer, x_train, x_val):
    import keras

    from ..baselines import pca_baseline

    if not isinstance(answer, keras.Model):
        return f"expected a trained keras model, got {type(answer).__name__}"
    dense = dense_layers(answer)
    tanh_codes = [layer for layer in dense if getattr(layer.activation, "__name__", "") == "tanh"]
    if not tanh_codes:
        return f"no Dense layer with a tanh activation; activations are {[layer.activation.__name__ for layer in dense]}"
    k = min(layer.units for layer in tanh_codes)
    r = keras.ops.convert_to_numpy(answer(x_val, training=False)).reshape(x_val.shape)
    mse = float(np.mean((x_val - r) ** 2))
    mean_mse = float(np.mean((x_val - x_train.mean(axis=0)) ** 2))
    if mse >= 0.8 * mean_mse:
        return (
            f"validation MSE {mse:.4f}, hardly better than always answering the average image ({mean_mse:.4f}): "
            "train it on x_train first"
        )
    pca_mse = pca_baseline(x_train, x_val, k).mse
    print(
        f"validation MSE: tanh-code AE {mse:.5f} | PCA-{k} {pca_mse:.5f} | ratio {mse / pca_mse:.3f}"
    )
    return None


def _solve_tanh_code(x_train, x_val):
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


def _wrong_untrained_tanh(x_train, x_val):
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((x_train.shape[1],)),
            layers.Dense(32, activation="tanh"),
            layers.Dense(x_train.shape[1]),
        ]
    )


def _wrong_linear_code(x_train, x_val):
    import keras
    from keras import layers

    model = keras.Sequential(
        [keras.Input((x_train.shape[1],)), layers.Dense(32), layers.Dense(x_train.shape[1])]
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    model.fit(x_train, x_train, epochs=5, batch_size=64, verbose=0)
    return model


q4 = Exercise(
    "q4: a tanh code",
    _check_tanh_code,
    "Build the encoder's Dense layer with an activation argument, compile with an Adam optimiser and fit it on "
    "(x_train, x_train); then compare the printed ratio with the linear AE's.",
    _solve_tanh_code,
    make_inputs=_q4_inputs,
    wrong_answers=[_wrong_untrained_tanh, _wrong_linear_code],
    slow_reference=True,  # its solution fits a model
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 15), q2=(1, 10), q3=(3, 25), q4=(2, 15))
