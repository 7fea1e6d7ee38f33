"""aehelpers: the small Keras 3 package behind the *Autoencoders in Keras* course.

Import it before Keras (``import aehelpers as ae``) so TensorFlow's start-up logs stay
quiet. ``ae.<TAB>`` lists everything the lessons use.
"""

from .config import budget, elapsed, fit_verbosity, in_colab, is_fast, record, setup, workdir  # noqa: I001  (first: quiets TF)
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
    "activation_stats",
    "ActivationStats",
    "adaptive_threshold",
    "add_noise",
    "background_subtraction",
    "binarize",
    "budget",
    "CompactLogger",
    "ContractiveDense",
    "conv_autoencoder",
    "conv_vae_decoder",
    "conv_vae_encoder",
    "DAMAGES",
    "data_dir",
    "DataError",
    "DENOISERS",
    "dense_autoencoder",
    "dense_vae_decoder",
    "dense_vae_encoder",
    "DocumentSet",
    "DynamicBinarization",
    "elapsed",
    "elbo_per_image",
    "exercises",
    "extract_patches",
    "fit_verbosity",
    "FASHION_MNIST_CLASSES",
    "gaussian_noise",
    "ImageDataset",
    "in_colab",
    "is_fast",
    "iwae_nll",
    "KLSparsity",
    "label_draws",
    "linear_autoencoder",
    "linear_probe",
    "load_breast_cancer_table",
    "load_fashion_mnist",
    "load_mnist",
    "load_shuttle",
    "make_documents",
    "masking_noise",
    "MNIST_CLASSES",
    "mse_per_sample",
    "NOISE_TYPES",
    "page_rmse",
    "pca_baseline",
    "PCABaseline",
    "pixel_bernoulli_nll",
    "plot_history",
    "prefetch",
    "principal_angles",
    "ProbeResult",
    "psnr",
    "psnr_per_image",
    "random_patches",
    "reconstruct_pages",
    "record",
    "salt_and_pepper",
    "Sampling",
    "setup",
    "show_images",
    "show_reconstructions",
    "ssim",
    "ssim_per_image",
    "TableDataset",
    "tune_denoisers",
    "TunedDenoiser",
    "VAE",
    "workdir",
]
