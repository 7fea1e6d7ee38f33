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
from .metrics import PCABaseline, mse_per_sample, pca_baseline, principal_angles
from .models import CompactLogger, conv_autoencoder, dense_autoencoder, linear_autoencoder
from .plotting import plot_history, show_images, show_reconstructions
from . import exercises

__version__ = "0.1.0"

__all__ = [
    "CompactLogger",
    "DataError",
    "FASHION_MNIST_CLASSES",
    "ImageDataset",
    "MNIST_CLASSES",
    "PCABaseline",
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
