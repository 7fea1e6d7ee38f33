"""aehelpers: the small Keras 3 package behind the *Autoencoders in Keras* course.

Import it before Keras (``import aehelpers as ae``) so TensorFlow's start-up logs stay
quiet. ``ae.<TAB>`` lists everything the lessons use.
"""

from .config import budget, elapsed, in_colab, is_fast, record, setup, workdir  # noqa: I001  (first: quiets TF)
from .datasets import (
    DataError,
    FASHION_MNIST_CLASSES,
    ImageDataset,
    MNIST_CLASSES,
    data_dir,
    load_fashion_mnist,
    load_mnist,
    prefetch,
)
from .denoisers import DENOISERS, TunedDenoiser, tune_denoisers
from .documents import (
    DAMAGES,
    DocumentSet,
    adaptive_threshold,
    background_subtraction,
    extract_patches,
    make_documents,
    page_rmse,
    random_patches,
    reconstruct_pages,
)
from .features import ProbeResult, label_draws, linear_probe
from .metrics import PCABaseline, mse_per_sample, pca_baseline, principal_angles
from .metrics import psnr, psnr_per_image, ssim, ssim_per_image
from .models import CompactLogger, conv_autoencoder, dense_autoencoder, linear_autoencoder
from .noise import NOISE_TYPES, add_noise, gaussian_noise, masking_noise, salt_and_pepper
from .penalties import ActivationStats, ContractiveDense, KLSparsity, activation_stats
from .plotting import plot_history, show_images, show_reconstructions
from .tables import TableDataset, load_breast_cancer_table, load_shuttle
from .vae import (
    VAE,
    DynamicBinarization,
    Sampling,
    binarize,
    conv_vae_decoder,
    conv_vae_encoder,
    dense_vae_decoder,
    dense_vae_encoder,
    elbo_per_image,
    iwae_nll,
    pixel_bernoulli_nll,
)
from . import exercises

__version__ = "0.1.0"

__all__ = [
    "VAE",
    "TableDataset",
    "load_breast_cancer_table",
    "load_shuttle",
    "DynamicBinarization",
    "Sampling",
    "binarize",
    "conv_vae_decoder",
    "conv_vae_encoder",
    "dense_vae_decoder",
    "dense_vae_encoder",
    "elbo_per_image",
    "iwae_nll",
    "pixel_bernoulli_nll",
    "ProbeResult",
    "label_draws",
    "linear_probe",
    "ActivationStats",
    "CompactLogger",
    "DAMAGES",
    "DENOISERS",
    "DocumentSet",
    "NOISE_TYPES",
    "TunedDenoiser",
    "adaptive_threshold",
    "add_noise",
    "background_subtraction",
    "extract_patches",
    "gaussian_noise",
    "make_documents",
    "masking_noise",
    "page_rmse",
    "psnr",
    "psnr_per_image",
    "random_patches",
    "reconstruct_pages",
    "salt_and_pepper",
    "ssim",
    "ssim_per_image",
    "tune_denoisers",
    "ContractiveDense",
    "DataError",
    "FASHION_MNIST_CLASSES",
    "ImageDataset",
    "KLSparsity",
    "MNIST_CLASSES",
    "PCABaseline",
    "activation_stats",
    "budget",
    "conv_autoencoder",
    "data_dir",
    "dense_autoencoder",
    "elapsed",
    "exercises",
    "in_colab",
    "is_fast",
    "linear_autoencoder",
    "load_fashion_mnist",
    "load_mnist",
    "mse_per_sample",
    "pca_baseline",
    "plot_history",
    "prefetch",
    "principal_angles",
    "record",
    "setup",
    "show_images",
    "show_reconstructions",
    "workdir",
]
