"""Reconstruction metrics and the PCA baseline every lesson compares against."""

from dataclasses import dataclass

import numpy as np

from .validation import check_array, check_int, check_same_shape


def mse_per_sample(x, x_hat):
    """Mean squared error of each sample.

    Args:
        x, x_hat: float arrays of the same shape (n, ...), e.g. (n, 28, 28) or (n, 784).

    Returns:
        float64 array (n,): mean over all but the first axis of (x - x_hat)**2.
    """
    x = check_array(x, "x", ndim=(1, 2, 3, 4))
    x_hat = check_array(x_hat, "x_hat", ndim=(1, 2, 3, 4))
    check_same_shape(x, x_hat)
    diff = (x.astype(np.float64) - x_hat.astype(np.float64)).reshape(len(x), -1)
    return np.mean(diff**2, axis=1)


@dataclass
class PCABaseline:
    """PCA fitted on training data, evaluated on test data.

    Attributes:
        pca: the fitted ``sklearn.decomposition.PCA``.
        reconstruction: float32 array like ``x_test``: PCA's reconstruction of it.
        mse: float, mean test MSE per pixel.
    """

    pca: object
    reconstruction: np.ndarray
    mse: float


def pca_baseline(x_train, x_test, code_dim, seed=0):
    """Fit PCA with ``code_dim`` components on ``x_train`` and reconstruct ``x_test``.

    Args:
        x_train: float array (n_train, ...) with n_train > code_dim.
        x_test: float array (n_test, ...) with the same per-sample shape.
        code_dim: int, number of principal components (the code size).
        seed: random state for scikit-learn's randomized solver.

    Returns:
        PCABaseline(pca, reconstruction, mse).
    """
    from sklearn.decomposition import PCA

    x_train = check_array(x_train, "x_train", ndim=(2, 3, 4))
    x_test = check_array(x_test, "x_test", ndim=(2, 3, 4))
    if x_train.shape[1:] != x_test.shape[1:]:
        raise ValueError(
            f"x_train samples have shape {x_train.shape[1:]} but x_test samples "
            f"{x_test.shape[1:]}; expected the same"
        )
    n, d = len(x_train), int(np.prod(x_train.shape[1:]))
    code_dim = check_int(code_dim, "code_dim", minimum=1, maximum=min(n, d))
    pca = PCA(n_components=code_dim, random_state=seed).fit(x_train.reshape(n, d))
    flat_test = x_test.reshape(len(x_test), d)
    recon = pca.inverse_transform(pca.transform(flat_test)).astype(np.float32)
    recon = recon.reshape(x_test.shape)
    return PCABaseline(pca, recon, float(mse_per_sample(x_test, recon).mean()))


def principal_angles(a, b):
    """Principal angles, in degrees, between the column spaces of ``a`` and ``b``.

    Args:
        a: float array (d, k1), b: float array (d, k2): k vectors of dimension d as columns.

    Returns:
        float64 array (min(k1, k2),), ascending: 0 means a shared direction,
        90 means orthogonal.
    """
    from scipy.linalg import subspace_angles

    a = check_array(a, "a", ndim=2)
    b = check_array(b, "b", ndim=2)
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"a has {a.shape[0]}-dimensional columns but b {b.shape[0]}-dimensional; "
            "expected the same dimension (pass vectors as columns)"
        )
    return np.sort(np.degrees(subspace_angles(a.astype(np.float64), b.astype(np.float64))))


# ----------------------------------------------------------------------------- image quality


def _image_pairs(x, x_hat):
    """Validate two batches of grey images in [0, 1]; return them as (n, h, w) float64."""
    from .validation import check_images

    x = check_images(x, "x")
    x_hat = check_images(x_hat, "x_hat")
    check_same_shape(x, x_hat)
    if x.ndim == 2:
        side = int(round(np.sqrt(x.shape[1])))
        if side * side != x.shape[1]:
            raise ValueError(f"x has {x.shape[1]} values per sample; expected square images")
        x, x_hat = x.reshape(-1, side, side), x_hat.reshape(-1, side, side)
    if x.ndim == 4:
        x, x_hat = x[..., 0], x_hat[..., 0]
    return x.astype(np.float64), x_hat.astype(np.float64)


def psnr_per_image(x, x_hat):
    """Peak signal-to-noise ratio of each image, in dB (scikit-image's, data_range=1).

    Args:
        x: clean images (n, h, w), (n, h, w, 1) or (n, h*w), values in [0, 1].
        x_hat: noisy or denoised images, same shape and range.

    Returns:
        float64 array (n,): 10 * log10(1 / MSE) per image (inf where identical).
    """
    from skimage.metrics import peak_signal_noise_ratio

    x, x_hat = _image_pairs(x, x_hat)
    with np.errstate(divide="ignore"):
        return np.array([peak_signal_noise_ratio(a, b, data_range=1.0) for a, b in zip(x, x_hat, strict=True)])


def psnr(x, x_hat):
    """Mean PSNR over a batch of images, in dB (see :func:`psnr_per_image`)."""
    return float(np.mean(psnr_per_image(x, x_hat)))


def ssim_per_image(x, x_hat):
    """Structural similarity of each image (scikit-image's, data_range=1, 7x7 window).

    Args:
        x: clean images (n, h, w), (n, h, w, 1) or (n, h*w), values in [0, 1],
            at least 7 pixels high and wide.
        x_hat: noisy or denoised images, same shape and range.

    Returns:
        float64 array (n,), 1.0 for identical images.
    """
    from skimage.metrics import structural_similarity

    x, x_hat = _image_pairs(x, x_hat)
    if min(x.shape[1:]) < 7:
        raise ValueError(f"images of shape {x.shape[1:]} are too small for SSIM; expected >= 7x7")
    return np.array([structural_similarity(a, b, data_range=1.0) for a, b in zip(x, x_hat, strict=True)])


def ssim(x, x_hat):
    """Mean SSIM over a batch of images (see :func:`ssim_per_image`)."""
    return float(np.mean(ssim_per_image(x, x_hat)))
