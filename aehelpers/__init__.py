"""aehelpers: the small Keras 3 package behind the *Autoencoders in Keras* course.

Import it before Keras (``import aehelpers as ae``) so TensorFlow's start-up logs stay
quiet. ``ae.<TAB>`` lists everything the lessons use.
"""

from . import _restart  # noqa: F401, I001  (first: stops with "RESTART NEEDED" if an install replaced a loaded package)
from .session import setup  # (second: quiets TF)
from .environment import (
    budget,
    elapsed,
    fit_verbosity,
    in_colab,
    is_fast,
    is_offline,
    results_file,
    seed,
)
from .environment import settings, workdir
from .results import record
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
from .baselines import (
    DENOISERS,
    PCABaseline,
    ProbeResult,
    TunedCleanups,
    TunedDenoiser,
    adaptive_threshold,
    background_subtraction,
    isolation_forest_scores,
    label_draws,
    linear_probe,
    pca_anomaly_scores,
    pca_baseline,
    tune_denoisers,
    tune_page_cleanups,
)
from .documents import (
    DAMAGES,
    DocumentSet,
    extract_patches,
    make_documents,
    page_rmse,
    random_patches,
    reconstruct_pages,
)
from .explorer import Explorer, direction_slider, interpolation_slider, latent_pad
from .metrics import mse_per_sample, principal_angles
from .metrics import psnr, psnr_per_image, ssim, ssim_per_image
from .models import CompactLogger, conv_autoencoder, dense_autoencoder, linear_autoencoder
from .noise import NOISE_TYPES, add_noise, gaussian_noise, masking_noise, salt_and_pepper
from .penalties import ActivationStats, ContractiveDense, KLSparsity, L1Activity, activation_stats
from .penalties import hoyer_sparsity, keras_divides_activity_penalty
from .plotting import plot_history, show_images, show_reconstructions
from .saving import load_saved_model, save_model
from .spread import compare
from .sequences import (
    SeriesDataset,
    alarm_rates,
    anomaly_span,
    load_series,
    matrix_profile_scores,
    rolling_zscore_scores,
    sliding_windows,
    window_features,
    window_labels,
)
from .tables import TableDataset, load_breast_cancer_table, load_shuttle
from .vae import (
    VAE,
    DynamicBinarization,
    KLWarmup,
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
from . import baselines, exercises

__version__ = "0.1.0"

__all__ = [
    "latent_pad",
    "interpolation_slider",
    "Explorer",
    "direction_slider",
    "window_labels",
    "window_features",
    "sliding_windows",
    "SeriesDataset",
    "rolling_zscore_scores",
    "matrix_profile_scores",
    "load_series",
    "anomaly_span",
    "alarm_rates",
    "activation_stats",
    "ActivationStats",
    "adaptive_threshold",
    "add_noise",
    "background_subtraction",
    "baselines",
    "binarize",
    "budget",
    "seed",
    "compare",
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
    "is_offline",
    "isolation_forest_scores",
    "iwae_nll",
    "KLSparsity",
    "KLWarmup",
    "L1Activity",
    "hoyer_sparsity",
    "keras_divides_activity_penalty",
    "label_draws",
    "linear_autoencoder",
    "linear_probe",
    "load_breast_cancer_table",
    "load_fashion_mnist",
    "load_mnist",
    "load_saved_model",
    "load_shuttle",
    "make_documents",
    "masking_noise",
    "MNIST_CLASSES",
    "mse_per_sample",
    "NOISE_TYPES",
    "page_rmse",
    "pca_anomaly_scores",
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
    "results_file",
    "salt_and_pepper",
    "save_model",
    "Sampling",
    "settings",
    "setup",
    "show_images",
    "show_reconstructions",
    "ssim",
    "ssim_per_image",
    "TableDataset",
    "tune_denoisers",
    "tune_page_cleanups",
    "TunedCleanups",
    "TunedDenoiser",
    "VAE",
    "workdir",
]
