"""Exercises of lesson 07: dimensionality reduction with autoencoders, PCA and t-SNE."""

import numpy as np

from . import Exercise


def _blobs(n=300, d=20, seed=0):
    """Three noisy clusters in d dimensions with labels, split into train and test."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = rng.normal(0, 3, (3, d))
    x = centres[y] + rng.normal(0, 1.0, (n, d))
    return x[:200], y[:200], x[200:], y[200:]


# q1 -------------------------------------------------------------------------


def _check_knn(answer):
    if not callable(answer):
        return "expected a function knn_score(codes_train, y_train, codes_test, y_test)"
    from sklearn.neighbors import KNeighborsClassifier

    x_tr, y_tr, x_te, y_te = _blobs(seed=1)
    x_tr, x_te = x_tr[:, :2], x_te[:, :2]  # a 2-D "code" where classes overlap
    want = KNeighborsClassifier(n_neighbors=5).fit(x_tr, y_tr).score(x_te, y_te)
    got = float(answer(x_tr, y_tr, x_te, y_te))
    if not np.isclose(got, want, atol=1e-6):
        return f"your function gives {got:.3f}, a 5-NN classifier gives {want:.3f} on the same codes"
    return None


def _solve_knn():
    from sklearn.neighbors import KNeighborsClassifier

    def knn_score(codes_train, y_train, codes_test, y_test):
        knn = KNeighborsClassifier(n_neighbors=5).fit(codes_train, y_train)
        return knn.score(codes_test, y_test)  # share of test codes classified correctly

    return knn_score


q1 = Exercise(
    "q1: k-NN accuracy in a reduced space",
    _check_knn,
    "sklearn.neighbors.KNeighborsClassifier(n_neighbors=5).fit(codes_train, y_train) learns; "
    ".score(codes_test, y_test) returns the accuracy.",
    _solve_knn,
)

# q2 -------------------------------------------------------------------------


def _pca_mse(x_train, x_test, k):
    from sklearn.decomposition import PCA

    pca = PCA(k, random_state=0).fit(x_train)
    return np.mean((x_test - pca.inverse_transform(pca.transform(x_test))) ** 2)


def _check_components(answer):
    if not callable(answer):
        return "expected a function components_needed(x_train, x_test, target_mse)"
    x_tr, _, x_te, _ = _blobs(seed=2)
    for k_true in (2, 5):
        target = _pca_mse(x_tr, x_te, k_true)
        want = next(k for k in range(1, x_tr.shape[1] + 1) if _pca_mse(x_tr, x_te, k) <= target)
        got = answer(x_tr, x_te, target)
        if int(got) != want:
            return f"for target MSE {target:.4f} you answered {got}; the smallest k that reaches it is {want}"
    return None


def _solve_components():
    from sklearn.decomposition import PCA

    def components_needed(x_train, x_test, target_mse):
        for k in range(1, min(x_train.shape) + 1):
            pca = PCA(k, random_state=0).fit(x_train)
            mse = np.mean((x_test - pca.inverse_transform(pca.transform(x_test))) ** 2)
            if mse <= target_mse:
                return k
        return None  # even all components do not reach it

    return components_needed


q2 = Exercise(
    "q2: components to match the autoencoder",
    _check_components,
    "Loop k = 1, 2, ...: fit PCA(k) on x_train, reconstruct x_test with "
    "pca.inverse_transform(pca.transform(x_test)), stop at the first k whose MSE <= target.",
    _solve_components,
)

# q3 -------------------------------------------------------------------------


def _check_trust(answer, x_eval, codes):
    from sklearn.manifold import trustworthiness

    want = trustworthiness(x_eval, codes, n_neighbors=10)
    got = float(answer)
    if not np.isclose(got, want, atol=1e-4):
        return f"you answered {got:.4f}; with 10 neighbours the trustworthiness is different"
    return None


def _solve_trust(x_eval, codes):
    from sklearn.manifold import trustworthiness

    return trustworthiness(x_eval, codes, n_neighbors=10)


def _trust_inputs():
    x_tr, _, _, _ = _blobs(n=300, seed=3)
    return {"x_eval": x_tr[:100], "codes": x_tr[:100, :2]}


q3 = Exercise(
    "q3: trustworthiness of the PCA map",
    _check_trust,
    "from sklearn.manifold import trustworthiness; trustworthiness(x_eval, codes, n_neighbors=10)",
    _solve_trust,
    _trust_inputs,
)
