"""Exercises of lesson 01: the linear autoencoder and PCA."""

import numpy as np

from . import Exercise


def _toy_data(n=400, d=12, seed=0):
    rng = np.random.default_rng(seed)
    scales = np.linspace(3.0, 0.2, d)
    return (rng.normal(size=(n, d)) * scales) @ np.linalg.qr(rng.normal(size=(d, d)))[0]


# q1 -------------------------------------------------------------------------


def _check_spectrum_mse(answer):
    if not callable(answer):
        return "expected a function pca_mse_from_spectrum(eigenvalues, k)"
    from sklearn.decomposition import PCA

    x = _toy_data()
    eig = PCA().fit(x).explained_variance_ * (len(x) - 1) / len(x)  # biased variance, like MSE
    for k in (1, 4, 9):
        pca = PCA(n_components=k).fit(x)
        want = np.mean((x - pca.inverse_transform(pca.transform(x))) ** 2)
        got = float(answer(eig, k))
        if not np.isclose(got, want, rtol=1e-3):
            return f"for k={k} your function gives {got:.5f} but PCA's reconstruction MSE is {want:.5f}"
    return None


def _solve_spectrum_mse():
    def pca_mse_from_spectrum(eigenvalues, k):
        # PCA keeps the k largest variances; the MSE per feature is what is left over.
        return np.sum(eigenvalues[k:]) / len(eigenvalues)

    return pca_mse_from_spectrum


q1 = Exercise(
    "q1: PCA's error from its spectrum",
    _check_spectrum_mse,
    "The eigenvalues are the variances along the principal directions. Keeping k of them "
    "loses the rest; divide the lost variance by the number of features.",
    _solve_spectrum_mse,
)

# q2 -------------------------------------------------------------------------


def _check_orthonormal(answer):
    if not callable(answer):
        return "expected a function orthonormal_basis(w2) returning a (d, k) matrix"
    rng = np.random.default_rng(1)
    w2 = rng.normal(size=(20, 5))
    q = np.asarray(answer(w2), dtype=np.float64)
    if q.shape != (20, 5):
        return f"for w2 of shape (20, 5) you returned shape {q.shape}; expected (20, 5)"
    if not np.allclose(q.T @ q, np.eye(5), atol=1e-6):
        return "the columns are not orthonormal: q.T @ q should be the identity"
    from scipy.linalg import subspace_angles

    if np.degrees(subspace_angles(q, w2)).max() > 1e-3:
        return "the columns do not span the same space as w2's columns"
    return None


def _solve_orthonormal():
    def orthonormal_basis(w2):
        q, _ = np.linalg.qr(w2)  # Gram-Schmidt, done stably
        return q

    return orthonormal_basis


q2 = Exercise(
    "q2: an orthonormal basis of the decoder's columns",
    _check_orthonormal,
    "np.linalg.qr(w2) returns q, r with w2 = q @ r and q's columns orthonormal.",
    _solve_orthonormal,
)

# q3 -------------------------------------------------------------------------


def _check_ordered(answer):
    if not callable(answer):
        return "expected a function pca_from_decoder(w2, x) returning (k, d) ordered directions"
    from sklearn.decomposition import PCA

    x = _toy_data()
    k = 4
    pca = PCA(n_components=k).fit(x)
    rng = np.random.default_rng(2)
    mixing = rng.normal(size=(k, k))  # any invertible mix of the top-k directions
    w2 = pca.components_.T @ mixing
    got = np.asarray(answer(w2, x), dtype=np.float64)
    if got.shape != (k, x.shape[1]):
        return f"you returned shape {got.shape}; expected ({k}, {x.shape[1]}), one direction per row"
    cosines = np.abs(np.sum(got * pca.components_, axis=1)) / np.linalg.norm(got, axis=1)
    if not np.all(cosines > 0.999):
        return (f"|cosine| with PCA's components in order: {np.round(cosines, 3)}; expected all 1 "
                "(sort by variance, largest first)")
    return None


def _solve_ordered():
    def pca_from_decoder(w2, x):
        q, _ = np.linalg.qr(w2)  # orthonormal basis of the decoder's subspace (d, k)
        codes = (x - x.mean(axis=0)) @ q  # coordinates of the centred data in it
        variances, rotation = np.linalg.eigh(np.cov(codes, rowvar=False))
        order = np.argsort(variances)[::-1]  # largest variance first
        return (q @ rotation[:, order]).T

    return pca_from_decoder


q3 = Exercise(
    "q3: PCA's ordered components from a linear autoencoder",
    _check_ordered,
    "Take an orthonormal basis q of the decoder's columns, project the centred data on it, "
    "and diagonalise the covariance of those k coordinates (np.linalg.eigh). Rotate q by "
    "the eigenvectors, sorted by eigenvalue, largest first.",
    _solve_ordered,
)
