"""aehelpers: the small Keras 3 package behind the *Autoencoders in Keras* course.

Import it before Keras (``import aehelpers as ae``) so TensorFlow's start-up logs stay
quiet. ``ae.__all__`` holds what the lessons call, grouped by topic below, and three kinds
of learner-facing names that no lesson spells out:

- the types that lesson calls return or raise: ``ImageDataset``, ``TableDataset``,
  ``SeriesDataset``, ``DocumentSet``, ``PCABaseline``, ``TunedDenoiser``,
  ``ProbeResult``, ``ActivationStats``, ``Explorer`` and the loaders' ``DataError``;
- tools: ``ae.prefetch()`` fills the data cache for offline work, ``ae.settings()`` shows
  versions, devices, seed and folders, ``ae.compare(name)`` places a recorded number in the
  course's measured range;
- builders and noises a lesson names for later use: ``conv_autoencoder`` (lesson 02),
  ``salt_and_pepper`` and ``masking_noise`` (lesson 05).

The exercises live in ``aehelpers.exercises`` (``from aehelpers.exercises import lesson01 as ex``).
"""

# first: stops with "RESTART NEEDED" if an install replaced a loaded package; second: quiets TF
from . import _restart  # noqa: F401, I001
from .session import setup

# settings, results and timing
from .environment import budget, elapsed, fit_verbosity, is_fast, seed, settings, workdir
from .results import record
from .spread import compare

# data, noise and documents
from .datasets import DataError, ImageDataset, load_fashion_mnist, load_mnist, prefetch
from .documents import (
    DocumentSet,
    extract_patches,
    make_documents,
    page_rmse,
    random_patches,
    reconstruct_pages,
)
from .noise import add_noise, gaussian_noise, masking_noise, salt_and_pepper
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

# models, penalties and training
from .models import conv_autoencoder, dense_autoencoder, linear_autoencoder
from .penalties import (
    ActivationStats,
    ContractiveDense,
    KLSparsity,
    L1Activity,
    activation_stats,
    keras_divides_activity_penalty,
)
from .saving import load_saved_model, save_model
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

# metrics and baselines
from .baselines import (
    DENOISERS,
    PCABaseline,
    ProbeResult,
    TunedDenoiser,
    adaptive_threshold,
    background_subtraction,
    label_draws,
    pca_baseline,
    tune_denoisers,
)
from .metrics import mse_per_sample, principal_angles, psnr, ssim

# plotting and latent-space explorers
from .explorer import Explorer, direction_slider, interpolation_slider, latent_pad
from .plotting import plot_history, show_images, show_reconstructions

__version__ = "0.1.0"

__all__ = [
    # settings, results and timing
    "budget",
    "compare",
    "elapsed",
    "fit_verbosity",
    "is_fast",
    "record",
    "seed",
    "settings",
    "setup",
    "workdir",
    # data, noise and documents
    "add_noise",
    "alarm_rates",
    "anomaly_span",
    "DataError",
    "DocumentSet",
    "extract_patches",
    "gaussian_noise",
    "ImageDataset",
    "load_breast_cancer_table",
    "load_fashion_mnist",
    "load_mnist",
    "load_series",
    "load_shuttle",
    "make_documents",
    "masking_noise",
    "matrix_profile_scores",
    "page_rmse",
    "prefetch",
    "random_patches",
    "reconstruct_pages",
    "rolling_zscore_scores",
    "salt_and_pepper",
    "SeriesDataset",
    "sliding_windows",
    "TableDataset",
    "window_features",
    "window_labels",
    # models, penalties and training
    "activation_stats",
    "ActivationStats",
    "binarize",
    "ContractiveDense",
    "conv_autoencoder",
    "conv_vae_decoder",
    "conv_vae_encoder",
    "dense_autoencoder",
    "dense_vae_decoder",
    "dense_vae_encoder",
    "DynamicBinarization",
    "elbo_per_image",
    "iwae_nll",
    "keras_divides_activity_penalty",
    "KLSparsity",
    "KLWarmup",
    "L1Activity",
    "linear_autoencoder",
    "load_saved_model",
    "pixel_bernoulli_nll",
    "Sampling",
    "save_model",
    "VAE",
    # metrics and baselines
    "adaptive_threshold",
    "background_subtraction",
    "DENOISERS",
    "label_draws",
    "mse_per_sample",
    "pca_baseline",
    "PCABaseline",
    "principal_angles",
    "ProbeResult",
    "psnr",
    "ssim",
    "tune_denoisers",
    "TunedDenoiser",
    # plotting and latent-space explorers
    "direction_slider",
    "Explorer",
    "interpolation_slider",
    "latent_pad",
    "plot_history",
    "show_images",
    "show_reconstructions",
]
