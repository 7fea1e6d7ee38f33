"""Bad-input sweep: many wrong calls to the public API, each must be refused clearly.

A call counts as

- **clear** when it raises an ``aehelpers`` error (the exception is raised inside the
  ``aehelpers`` package) whose message names the argument (or file) that was wrong;
- **cryptic** when it fails deep inside NumPy, Keras or scikit-learn, or with a message
  that does not name the argument;
- **silent** when it returns a result (always a defect: the input is wrong).

Every case must be clear. ``python tests/test_bad_input.py`` prints the three counts
(the closing note of issue 9 reports them before and after the fixes).
"""

import gzip
import os
import sys
import tempfile
import traceback
from pathlib import Path

import numpy as np
import pytest

import aehelpers as ae
from aehelpers import metrics

PACKAGE_DIR = str(Path(ae.__file__).resolve().parent)
RNG = np.random.default_rng(0)
IMGS = RNG.random((4, 28, 28)).astype(np.float32)
FLAT = IMGS.reshape(4, 784)
ONE_IMAGE = RNG.random((64, 64)).astype(np.float32)  # one image, no batch axis
PAGES = RNG.random((2, 64, 96)).astype(np.float32)


class _Tensorish:
    """An object that is neither an array nor a number."""


def _bad_arrays(name):
    """Wrong values for an image-batch argument called ``name``: (id, value)."""
    return [
        (f"{name}=None", None),
        (f"{name}=str", "images"),
        (f"{name}=object", _Tensorish()),
        (f"{name}=nan", np.where(IMGS > 0.5, np.nan, IMGS)),
        (f"{name}=inf", np.where(IMGS > 0.5, np.inf, IMGS)),
        (f"{name}=0..255", IMGS * 255),
        (f"{name}=negative", IMGS - 0.5),
        (f"{name}=1-D", IMGS[0, 0]),
        (f"{name}=5-D", IMGS[None, ..., None]),
        (f"{name}=rgb", np.repeat(IMGS[..., None], 3, axis=-1)),
        (f"{name}=empty", IMGS[:0]),
        (f"{name}=complex", IMGS.astype(np.complex64)),
    ]


CASES = []  # (id, call, token expected in the message)


def case(case_id, token):
    def register(call):
        CASES.append((case_id, call, token))
        return call

    return register


def add(case_id, call, token):
    CASES.append((case_id, call, token))


# ----------------------------------------------------------------------------- metrics
for fname in ("psnr", "psnr_per_image", "ssim", "ssim_per_image"):
    f = getattr(metrics, fname)
    for bid, bad in _bad_arrays("x"):
        add(f"{fname}:{bid}", lambda f=f, bad=bad: f(bad, IMGS), "x")
    for bid, bad in _bad_arrays("x_hat")[:7]:
        add(f"{fname}:{bid}", lambda f=f, bad=bad: f(IMGS, bad), "x_hat")
    add(f"{fname}:one-image-no-batch", lambda f=f: f(ONE_IMAGE, ONE_IMAGE), "batch")
    add(f"{fname}:shape-mismatch", lambda f=f: f(IMGS, IMGS[:3]), "x_hat")
    add(f"{fname}:flat-vs-square", lambda f=f: f(IMGS, FLAT), "x_hat")
    add(f"{fname}:flat-not-square", lambda f=f: f(FLAT[:, :780], FLAT[:, :780]), "x")

for bid, bad in _bad_arrays("x")[:5]:
    add(f"mse_per_sample:{bid}", lambda bad=bad: ae.mse_per_sample(bad, IMGS), "x")
add("mse_per_sample:shape-mismatch", lambda: ae.mse_per_sample(IMGS, IMGS[:2]), "x_hat")
add("mse_per_sample:flat-vs-square", lambda: ae.mse_per_sample(FLAT, IMGS), "x_hat")
add("mse_per_sample:scalar", lambda: ae.mse_per_sample(1.0, 1.0), "x")
add("mse_per_sample:one-vector-no-batch", lambda: ae.mse_per_sample(FLAT[0], FLAT[1]), "x")

add("pca_baseline:code_dim=0", lambda: ae.pca_baseline(FLAT, FLAT, 0), "code_dim")
add("pca_baseline:code_dim=2.5", lambda: ae.pca_baseline(FLAT, FLAT, 2.5), "code_dim")
add("pca_baseline:code_dim=str", lambda: ae.pca_baseline(FLAT, FLAT, "2"), "code_dim")
add("pca_baseline:code_dim>n", lambda: ae.pca_baseline(FLAT, FLAT, 10), "code_dim")
add("pca_baseline:feature-mismatch", lambda: ae.pca_baseline(FLAT, FLAT[:, :100], 2), "x_test")
add("pca_baseline:x_train=nan", lambda: ae.pca_baseline(FLAT * np.nan, FLAT, 2), "x_train")
add("pca_baseline:x_test=None", lambda: ae.pca_baseline(FLAT, None, 2), "x_test")
add("pca_baseline:x_train=1-D", lambda: ae.pca_baseline(FLAT[0], FLAT, 2), "x_train")
add("pca_baseline:seed=-1", lambda: ae.pca_baseline(FLAT, FLAT, 2, seed=-1), "seed")
add("pca_baseline:seed=str", lambda: ae.pca_baseline(FLAT, FLAT, 2, seed="0"), "seed")

add("principal_angles:row-mismatch", lambda: ae.principal_angles(np.eye(4), np.eye(3)), "b")
add("principal_angles:a=1-D", lambda: ae.principal_angles(np.ones(4), np.eye(4)), "a")
add("principal_angles:b=nan", lambda: ae.principal_angles(np.eye(4), np.eye(4) * np.nan), "b")
add("principal_angles:a=None", lambda: ae.principal_angles(None, np.eye(4)), "a")

# ----------------------------------------------------------------------------- plotting
for bid, bad in _bad_arrays("images"):
    add(f"show_images:{bid}", lambda bad=bad: ae.show_images(bad), "images")
add("show_images:one-image-no-batch", lambda: ae.show_images(ONE_IMAGE), "batch")
add("show_images:flat-not-square", lambda: ae.show_images(FLAT[:, :780]), "images")
add("show_images:labels-count", lambda: ae.show_images(IMGS, labels=["a"]), "labels")
add("show_images:labels=str", lambda: ae.show_images(IMGS, labels="abcd"), "labels")
add("show_images:ncols=0", lambda: ae.show_images(IMGS, ncols=0), "ncols")
add("show_images:ncols=float", lambda: ae.show_images(IMGS, ncols=2.5), "ncols")
add("show_images:vmin>=vmax", lambda: ae.show_images(IMGS, vmin=1.0, vmax=0.0), "vmin")
add("show_images:size=0", lambda: ae.show_images(IMGS, size=0), "size")
for bid, bad in _bad_arrays("originals")[:8]:
    add(
        f"show_reconstructions:{bid}",
        lambda bad=bad: ae.show_reconstructions(bad, IMGS),
        "originals",
    )
add(
    "show_reconstructions:row-shape", lambda: ae.show_reconstructions(IMGS, {"a": IMGS[:2]}), "rows"
)
add(
    "show_reconstructions:row-nan",
    lambda: ae.show_reconstructions(IMGS, {"a": IMGS * np.nan}),
    "rows",
)
add(
    "show_reconstructions:row-255", lambda: ae.show_reconstructions(IMGS, {"a": IMGS * 255}), "rows"
)
add("show_reconstructions:rows=list", lambda: ae.show_reconstructions(IMGS, [IMGS, IMGS]), "rows")
add("show_reconstructions:rows-empty", lambda: ae.show_reconstructions(IMGS, {}), "rows")
add("show_reconstructions:n=0", lambda: ae.show_reconstructions(IMGS, IMGS, n=0), "n")
add(
    "show_reconstructions:one-image", lambda: ae.show_reconstructions(ONE_IMAGE, ONE_IMAGE), "batch"
)
add("plot_history:None", lambda: ae.plot_history(None), "history")
add("plot_history:empty", lambda: ae.plot_history({}), "history")
add(
    "plot_history:missing-key",
    lambda: ae.plot_history({"loss": [1.0]}, keys=["val_loss"]),
    "val_loss",
)
add("plot_history:keys=str", lambda: ae.plot_history({"loss": [1.0]}, keys="loss"), "keys")
add("plot_history:values-not-numbers", lambda: ae.plot_history({"loss": ["a", "b"]}), "loss")
add("plot_history:scalar-values", lambda: ae.plot_history({"loss": 0.5}), "loss")

# ----------------------------------------------------------------------------- noise
for fname, arg in (
    ("gaussian_noise", "sigma"),
    ("salt_and_pepper", "amount"),
    ("masking_noise", "fraction"),
):
    f = getattr(ae, fname)
    for bid, bad in _bad_arrays("x")[:8]:
        add(f"{fname}:{bid}", lambda f=f, bad=bad: f(bad, 0.1), "x")
    add(f"{fname}:{arg}=-0.1", lambda f=f: f(IMGS, -0.1), arg)
    add(f"{fname}:{arg}=nan", lambda f=f: f(IMGS, float("nan")), arg)
    add(f"{fname}:{arg}=str", lambda f=f: f(IMGS, "0.1"), arg)
    add(f"{fname}:{arg}=array", lambda f=f: f(IMGS, np.array([0.1, 0.2])), arg)
    add(f"{fname}:seed=-1", lambda f=f: f(IMGS, 0.1, seed=-1), "seed")
    add(f"{fname}:seed=float", lambda f=f: f(IMGS, 0.1, seed=1.5), "seed")
add("salt_and_pepper:amount=1.5", lambda: ae.salt_and_pepper(IMGS, 1.5), "amount")
add("masking_noise:fraction=2", lambda: ae.masking_noise(IMGS, 2), "fraction")
add("gaussian_noise:sigma=inf", lambda: ae.gaussian_noise(IMGS, float("inf")), "sigma")
add("add_noise:kind", lambda: ae.add_noise(IMGS, "poisson", 0.1), "kind")
add("add_noise:kind=None", lambda: ae.add_noise(IMGS, None, 0.1), "kind")
add("add_noise:kind=list", lambda: ae.add_noise(IMGS, ["gaussian"], 0.1), "kind")
add("add_noise:level=-1", lambda: ae.add_noise(IMGS, "gaussian", -1), "sigma")

# ----------------------------------------------------------------------------- denoisers
for bid, bad in _bad_arrays("noisy")[:8]:
    add(
        f"tune_denoisers:{bid}",
        lambda bad=bad: ae.tune_denoisers(bad, IMGS, names=["median"]),
        "noisy",
    )
add(
    "tune_denoisers:clean-shape",
    lambda: ae.tune_denoisers(IMGS, IMGS[:2], names=["median"]),
    "clean",
)
add("tune_denoisers:flat", lambda: ae.tune_denoisers(FLAT, FLAT, names=["median"]), "noisy")
add(
    "tune_denoisers:one-image",
    lambda: ae.tune_denoisers(ONE_IMAGE, ONE_IMAGE, names=["median"]),
    "batch",
)
add(
    "tune_denoisers:names-unknown", lambda: ae.tune_denoisers(IMGS, IMGS, names=["wiener"]), "names"
)
add("tune_denoisers:names=str", lambda: ae.tune_denoisers(IMGS, IMGS, names="median"), "names")
add("tune_denoisers:names-empty", lambda: ae.tune_denoisers(IMGS, IMGS, names=[]), "names")
add(
    "tune_denoisers:grid-empty",
    lambda: ae.tune_denoisers(IMGS, IMGS, names=["median"], grids={"median": ()}),
    "grid",
)
add(
    "tune_denoisers:grid-negative",
    lambda: ae.tune_denoisers(
        IMGS, IMGS, names=["gaussian_blur"], grids={"gaussian_blur": (-1.0,)}
    ),
    "gaussian_blur",
)
add(
    "tune_denoisers:grid-str",
    lambda: ae.tune_denoisers(IMGS, IMGS, names=["median"], grids={"median": ("3",)}),
    "median",
)
add(
    "tune_denoisers:grid-scalar",
    lambda: ae.tune_denoisers(IMGS, IMGS, names=["median"], grids={"median": 3}),
    "median",
)
add(
    "tune_denoisers:grids-unknown",
    lambda: ae.tune_denoisers(IMGS, IMGS, names=["median"], grids={"wiener": (1,)}),
    "grids",
)
add(
    "tune_denoisers:grids=list",
    lambda: ae.tune_denoisers(IMGS, IMGS, names=["median"], grids=[3]),
    "grids",
)
add(
    "TunedDenoiser.apply:255",
    lambda: ae.TunedDenoiser("median", "size", 3, 20.0).apply(IMGS * 255),
    "x",
)
add(
    "TunedDenoiser.apply:flat", lambda: ae.TunedDenoiser("median", "size", 3, 20.0).apply(FLAT), "x"
)
add(
    "TunedDenoiser.apply:one-image",
    lambda: ae.TunedDenoiser("median", "size", 3, 20.0).apply(ONE_IMAGE),
    "batch",
)
add(
    "TunedDenoiser:unknown-name",
    lambda: ae.TunedDenoiser("wiener", "size", 3, 20.0).apply(IMGS),
    "name",
)

# ----------------------------------------------------------------------------- documents
add("make_documents:n_pages=0", lambda: ae.make_documents(0), "n_pages")
add("make_documents:n_pages=float", lambda: ae.make_documents(1.5), "n_pages")
add("make_documents:height=10", lambda: ae.make_documents(1, height=10), "height")
add("make_documents:seed=-1", lambda: ae.make_documents(1, seed=-1), "seed")
add("make_documents:damages-unknown", lambda: ae.make_documents(1, damages=("ink",)), "damages")
add(
    "make_documents:damages=str",
    lambda: ae.make_documents(1, height=32, width=32, damages="fold"),
    "damages",
)
add("make_documents:damages-empty", lambda: ae.make_documents(1, damages=()), "damages")
add(
    "make_documents:damages-repeated",
    lambda: ae.make_documents(8, height=32, width=32, damages=("fold", "fold")),
    "damages",
)
for bid, bad in _bad_arrays("pages")[:8]:
    add(f"extract_patches:{bid}", lambda bad=bad: ae.extract_patches(bad, 16, 8), "pages")
add("extract_patches:size>page", lambda: ae.extract_patches(PAGES, 100, 8), "size")
add("extract_patches:size=1", lambda: ae.extract_patches(PAGES, 1, 1), "size")
add("extract_patches:stride=0", lambda: ae.extract_patches(PAGES, 16, 0), "stride")
add("extract_patches:stride>size", lambda: ae.extract_patches(PAGES, 16, 20), "stride")
add("extract_patches:size=float", lambda: ae.extract_patches(PAGES, 16.0, 8), "size")
_PATCHES = ae.extract_patches(PAGES, 16, 8)
add(
    "reconstruct_pages:wrong-stride",
    lambda: ae.reconstruct_pages(ae.extract_patches(PAGES, 16, 8), PAGES.shape, stride=12),
    "stride",
)
add(
    "reconstruct_pages:wrong-stride-same-count",
    lambda: ae.reconstruct_pages(ae.extract_patches(PAGES, 32, 32), PAGES.shape, stride=31),
    "stride",
)
add(
    "reconstruct_pages:wrong-shape",
    lambda: ae.reconstruct_pages(_PATCHES, (2, 64, 64), stride=8),
    "shape",
)
add(
    "reconstruct_pages:swapped-shape",
    lambda: ae.reconstruct_pages(
        ae.extract_patches(PAGES[:, :64, :64][:, :, :48], 16, 16), (2, 48, 64), stride=16
    ),
    "shape",
)
add("reconstruct_pages:shape=int", lambda: ae.reconstruct_pages(_PATCHES, 64, stride=8), "shape")
add(
    "reconstruct_pages:shape=4-D",
    lambda: ae.reconstruct_pages(_PATCHES, (1, 2, 64, 96), stride=8),
    "shape",
)
add(
    "reconstruct_pages:shape-str",
    lambda: ae.reconstruct_pages(_PATCHES, ("a", 64, 96), stride=8),
    "shape",
)
add(
    "reconstruct_pages:patches-not-square",
    lambda: ae.reconstruct_pages(_PATCHES[:, :, :8], PAGES.shape, stride=8),
    "patches",
)
add(
    "reconstruct_pages:patches-nan",
    lambda: ae.reconstruct_pages(_PATCHES * np.nan, PAGES.shape, stride=8),
    "patches",
)
add(
    "reconstruct_pages:patches-2-D",
    lambda: ae.reconstruct_pages(_PATCHES[0], PAGES.shape, stride=8),
    "patches",
)
add(
    "reconstruct_pages:stride=0",
    lambda: ae.reconstruct_pages(_PATCHES, PAGES.shape, stride=0),
    "stride",
)
add(
    "reconstruct_pages:patches-255",
    lambda: ae.reconstruct_pages(_PATCHES * 255, PAGES.shape, stride=8),
    "patches",
)
add("random_patches:shape-mismatch", lambda: ae.random_patches(PAGES, PAGES[:1], 16, 10), "dirty")
add("random_patches:n=0", lambda: ae.random_patches(PAGES, PAGES, 16, 0), "n")
add("random_patches:size>page", lambda: ae.random_patches(PAGES, PAGES, 80, 10), "size")
add("random_patches:seed=-1", lambda: ae.random_patches(PAGES, PAGES, 16, 10, seed=-1), "seed")
add("random_patches:clean=255", lambda: ae.random_patches(PAGES * 255, PAGES, 16, 10), "clean")
add("page_rmse:shape-mismatch", lambda: ae.page_rmse(PAGES, PAGES[:1]), "pages")
add("page_rmse:nan", lambda: ae.page_rmse(PAGES, PAGES * np.nan), "pages")
add("page_rmse:255", lambda: ae.page_rmse(PAGES * 255, PAGES), "clean")
add("page_rmse:None", lambda: ae.page_rmse(None, PAGES), "clean")
add("background_subtraction:size=2", lambda: ae.background_subtraction(PAGES, 2), "size")
add("background_subtraction:size=float", lambda: ae.background_subtraction(PAGES, 15.5), "size")
add("background_subtraction:255", lambda: ae.background_subtraction(PAGES * 255), "pages")
add("background_subtraction:flat-4-D", lambda: ae.background_subtraction(PAGES[None]), "pages")
add("adaptive_threshold:even-block", lambda: ae.adaptive_threshold(PAGES, 24), "block_size")
add("adaptive_threshold:offset=str", lambda: ae.adaptive_threshold(PAGES, 25, "0.1"), "offset")
add(
    "adaptive_threshold:offset=nan",
    lambda: ae.adaptive_threshold(PAGES, 25, float("nan")),
    "offset",
)
add("adaptive_threshold:block>page", lambda: ae.adaptive_threshold(PAGES, 201), "block_size")
add("adaptive_threshold:nan", lambda: ae.adaptive_threshold(PAGES * np.nan), "pages")

# ----------------------------------------------------------------------------- features
Y = np.arange(40) % 4
add("label_draws:n_labels<classes", lambda: ae.label_draws(Y, 2), "n_labels")
add("label_draws:n_labels>pool", lambda: ae.label_draws(Y, 100), "n_labels")
add("label_draws:y=float", lambda: ae.label_draws(Y + 0.5, 8), "y")
add("label_draws:y=2-D", lambda: ae.label_draws(Y.reshape(20, 2), 8), "y")
add("label_draws:y=None", lambda: ae.label_draws(None, 8), "y")
add("label_draws:n_draws=0", lambda: ae.label_draws(Y, 8, n_draws=0), "n_draws")
add("label_draws:seed=-1", lambda: ae.label_draws(Y, 8, seed=-1), "seed")
add("label_draws:one-sample-class", lambda: ae.label_draws(np.r_[Y, 9], 8), "y")

# ----------------------------------------------------------------------------- models
for fname in ("linear_autoencoder", "dense_autoencoder"):
    f = getattr(ae, fname)
    add(f"{fname}:input_dim=0", lambda f=f: f(input_dim=0), "input_dim")
    add(f"{fname}:input_dim=float", lambda f=f: f(input_dim=784.0), "input_dim")
    add(f"{fname}:input_dim=tuple", lambda f=f: f(input_dim=(28, 28)), "input_dim")
    add(f"{fname}:code_dim=0", lambda f=f: f(code_dim=0), "code_dim")
    add(f"{fname}:code_dim=None", lambda f=f: f(code_dim=None), "code_dim")
    add(f"{fname}:code_dim=str", lambda f=f: f(code_dim="32"), "code_dim")
add("dense_autoencoder:hidden=str", lambda: ae.dense_autoencoder(hidden="256"), "hidden")
add("dense_autoencoder:hidden=0", lambda: ae.dense_autoencoder(hidden=0), "hidden")
add("dense_autoencoder:hidden-float", lambda: ae.dense_autoencoder(hidden=(256.5,)), "hidden")
add("dense_autoencoder:hidden=None", lambda: ae.dense_autoencoder(hidden=None), "hidden")
add("dense_autoencoder:dropout=1", lambda: ae.dense_autoencoder(dropout=1.0), "dropout")
add("dense_autoencoder:dropout=-0.1", lambda: ae.dense_autoencoder(dropout=-0.1), "dropout")
add("dense_autoencoder:activation", lambda: ae.dense_autoencoder(activation="relux"), "activation")
add(
    "dense_autoencoder:output_activation",
    lambda: ae.dense_autoencoder(output_activation="sigmod"),
    "output_activation",
)
add(
    "dense_autoencoder:code_activation",
    lambda: ae.dense_autoencoder(code_activation=3),
    "code_activation",
)
add(
    "dense_autoencoder:kernel_regularizer",
    lambda: ae.dense_autoencoder(kernel_regularizer="l3"),
    "kernel_regularizer",
)
add(
    "conv_autoencoder:input_shape-2",
    lambda: ae.conv_autoencoder(input_shape=(28, 28)),
    "input_shape",
)
add("conv_autoencoder:input_shape-int", lambda: ae.conv_autoencoder(input_shape=28), "input_shape")
add(
    "conv_autoencoder:input_shape-odd",
    lambda: ae.conv_autoencoder(input_shape=(30, 30, 1)),
    "input_shape",
)
add(
    "conv_autoencoder:input_shape-0",
    lambda: ae.conv_autoencoder(input_shape=(0, 28, 1)),
    "input_shape",
)
add("conv_autoencoder:filters-empty", lambda: ae.conv_autoencoder(filters=()), "filters")
add("conv_autoencoder:filters=str", lambda: ae.conv_autoencoder(filters="16"), "filters")
add("conv_autoencoder:kernel_size=0", lambda: ae.conv_autoencoder(kernel_size=0), "kernel_size")
add("conv_autoencoder:code_dim=0", lambda: ae.conv_autoencoder(code_dim=0), "code_dim")
add("conv_autoencoder:code_dim=float", lambda: ae.conv_autoencoder(code_dim=8.5), "code_dim")

# ----------------------------------------------------------------------------- config
add("record:name=None", lambda: ae.record(None, 1.0), "name")
add("record:name=int", lambda: ae.record(3, 1.0), "name")
add("record:value=object", lambda: ae.record("x", _Tensorish()), "value")
add("record:value=array", lambda: ae.record("x", np.ones((100, 100))), "value")
add("record:note=int", lambda: ae.record("x", 1.0, note=3), "note")
add("workdir:name=int", lambda: ae.workdir(3), "name")
add("workdir:name-absolute", lambda: ae.workdir("/etc"), "name")
add("workdir:name-parent", lambda: ae.workdir("../escape"), "name")


def _with_env(var, value, call):
    def run():
        old = os.environ.get(var)
        os.environ[var] = value
        try:
            return call()
        finally:
            if old is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = old

    return run


add(
    "AEHELPERS_FAST=maybe:budget",
    _with_env("AEHELPERS_FAST", "maybe", lambda: ae.budget(full=30, fast=2)),
    "AEHELPERS_FAST",
)
add("AEHELPERS_FAST=2:is_fast", _with_env("AEHELPERS_FAST", "2", ae.is_fast), "AEHELPERS_FAST")
add(
    "AEHELPERS_FAST=fast:fit_verbosity",
    _with_env("AEHELPERS_FAST", "fast", ae.fit_verbosity),
    "AEHELPERS_FAST",
)

# ----------------------------------------------------------------------------- loaders: arguments
for fname in ("load_fashion_mnist", "load_mnist"):
    f = getattr(ae, fname)
    add(f"{fname}:n_train=0", lambda f=f: f(n_train=0, download=False), "n_train")
    add(f"{fname}:n_train=float", lambda f=f: f(n_train=10.5, download=False), "n_train")
    add(f"{fname}:n_test=str", lambda f=f: f(n_test="10", download=False), "n_test")
    add(f"{fname}:seed=-1", lambda f=f: f(seed=-1, download=False), "seed")
    add(f"{fname}:download=str", lambda f=f: f(n_train=10, download="no"), "download")
    add(
        f"{fname}:flatten=str",
        lambda f=f: f(n_train=10, n_test=10, flatten="yes", download=False),
        "flatten",
    )
add("load_shuttle:n_rows=10", lambda: ae.load_shuttle(n_rows=10), "n_rows")
add("load_shuttle:val_fraction=0", lambda: ae.load_shuttle(val_fraction=0), "val_fraction")
add("load_shuttle:test_fraction=1", lambda: ae.load_shuttle(test_fraction=1.0), "test_fraction")
add(
    "load_shuttle:sum-too-big",
    lambda: ae.load_shuttle(val_fraction=0.5, test_fraction=0.5),
    "test_fraction",
)
add("load_breast_cancer_table:seed=-1", lambda: ae.load_breast_cancer_table(seed=-1), "seed")
add(
    "load_breast_cancer_table:val_fraction=str",
    lambda: ae.load_breast_cancer_table(val_fraction="0.2"),
    "val_fraction",
)
add(
    "load_breast_cancer_table:normal_only=str",
    lambda: ae.load_breast_cancer_table(normal_only="no"),
    "normal_only",
)
add(
    "load_breast_cancer_table:standardize=str",
    lambda: ae.load_breast_cancer_table(standardize="no"),
    "standardize",
)

# ----------------------------------------------------------------------------- loaders: data faults
# Well-formed files with the wrong content, in a private course cache.


def _idx_bytes(array, type_code=8):
    return (
        bytes([0, 0, type_code, array.ndim])
        + b"".join(d.to_bytes(4, "big") for d in array.shape)
        + array.tobytes()
    )


def _fashion_files(**override):
    """The four Fashion-MNIST files (50 / 20 samples); ``override`` replaces some by role."""
    rng = np.random.default_rng(0)
    files = {
        "x_train": _idx_bytes(rng.integers(0, 256, (50, 28, 28), dtype=np.uint8)),
        "y_train": _idx_bytes((np.arange(50) % 10).astype(np.uint8)),
        "x_test": _idx_bytes(rng.integers(0, 256, (20, 28, 28), dtype=np.uint8)),
        "y_test": _idx_bytes((np.arange(20) % 10).astype(np.uint8)),
    }
    files.update(override)
    return files


def _load_fashion_from(files):
    from aehelpers import datasets

    with tempfile.TemporaryDirectory(prefix="aehelpers-sweep-") as tmp:
        folder = Path(tmp) / "fashion-mnist"
        folder.mkdir()
        for role, raw in files.items():
            with gzip.open(folder / datasets.FASHION_FILES[role], "wb") as f:
                f.write(raw)
        return _with_env(
            "AEHELPERS_DATA",
            tmp,
            _with_env("KERAS_HOME", tmp, lambda: ae.load_fashion_mnist(download=False)),
        )()


def _load_mnist_npz(write):
    with tempfile.TemporaryDirectory(prefix="aehelpers-sweep-") as tmp:
        write(Path(tmp) / "mnist.npz")
        return _with_env(
            "AEHELPERS_DATA",
            tmp,
            _with_env("KERAS_HOME", tmp, lambda: ae.load_mnist(download=False)),
        )()


def _npz(**override):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (30, 28, 28), dtype=np.uint8),
        "y_train": np.arange(30) % 10,
        "x_test": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        "y_test": np.arange(10) % 10,
    }
    arrays.update(override)
    return lambda path: np.savez(path, **arrays)


_R = np.random.default_rng(1)
add(
    "fashion-file:images-27x27",
    lambda: _load_fashion_from(
        _fashion_files(x_train=_idx_bytes(_R.integers(0, 256, (50, 27, 27), dtype=np.uint8)))
    ),
    "train-images",
)
add(
    "fashion-file:labels-out-of-range",
    lambda: _load_fashion_from(
        _fashion_files(y_train=_idx_bytes((np.arange(50) % 12).astype(np.uint8)))
    ),
    "train-labels",
)
add(
    "fashion-file:count-mismatch",
    lambda: _load_fashion_from(
        _fashion_files(y_test=_idx_bytes((np.arange(19) % 10).astype(np.uint8)))
    ),
    "t10k-labels",
)
add(
    "fashion-file:labels-in-images-role",
    lambda: _load_fashion_from(
        _fashion_files(x_test=_idx_bytes((np.arange(20) % 10).astype(np.uint8)))
    ),
    "t10k-images",
)
add(
    "fashion-file:images-in-labels-role",
    lambda: _load_fashion_from(
        _fashion_files(y_train=_idx_bytes(_R.integers(0, 10, (50, 28, 28), dtype=np.uint8)))
    ),
    "train-labels",
)
add(
    "fashion-file:int32-idx",
    lambda: _load_fashion_from(
        _fashion_files(y_test=_idx_bytes((np.arange(20) % 10).astype(">i4"), type_code=0x0C))
    ),
    "t10k-labels",
)
add(
    "mnist-npz:float-images",
    lambda: _load_mnist_npz(_npz(x_train=_R.random((30, 28, 28)))),
    "x_train",
)
add(
    "mnist-npz:labels-out-of-range",
    lambda: _load_mnist_npz(_npz(y_test=np.arange(10) + 5)),
    "y_test",
)
add(
    "mnist-npz:count-mismatch", lambda: _load_mnist_npz(_npz(y_train=np.arange(29) % 10)), "y_train"
)
add(
    "mnist-npz:images-3-D-wrong",
    lambda: _load_mnist_npz(_npz(x_test=_R.integers(0, 256, (10, 28, 27), dtype=np.uint8))),
    "x_test",
)
add(
    "mnist-npz:missing-key",
    lambda: _load_mnist_npz(lambda p: np.savez(p, x_train=np.zeros((3, 28, 28), np.uint8))),
    "y_train",
)
add(
    "mnist-npz:not-an-npz",
    lambda: _load_mnist_npz(lambda p: p.write_text("<html>Rate limit exceeded</html>")),
    "mnist.npz",
)
add(
    "mnist-npz:a-plain-npy",
    lambda: _load_mnist_npz(lambda p: np.save(open(p, "wb"), np.zeros((3, 28, 28), np.uint8))),
    "mnist.npz",
)
add(
    "mnist-npz:labels-2-D",
    lambda: _load_mnist_npz(_npz(y_train=(np.arange(30) % 10).reshape(30, 1))),
    "y_train",
)


# ----------------------------------------------------------------------------- kinds (issue 20)
# Each kind of silent wrong result, over every public function it applies to.
WIDE_IMAGE = RNG.random((48, 64)).astype(np.float32)  # one image: not 48 images of 8x8
RGB_IMAGE = RNG.random((32, 32, 3)).astype(np.float32)  # one colour image: not 32 images 3 wide
PIXELS = (IMGS * 255).astype(np.uint8)  # raw pixels where scaled floats belong
_IMAGE_BATCH_FUNCTIONS = {
    **{
        f"{n}:x": (lambda bad, n=n: getattr(metrics, n)(bad, bad), "one")
        for n in ("psnr", "psnr_per_image", "ssim", "ssim_per_image")
    },
    "show_images:images": (lambda bad: ae.show_images(bad), "one"),
    "show_reconstructions:x": (lambda bad: ae.show_reconstructions(bad, bad), "one"),
}
for fid, (call, token) in _IMAGE_BATCH_FUNCTIONS.items():  # kind: one image read as a batch
    add(f"kind-one-image:{fid}:wide", lambda call=call: call(WIDE_IMAGE), token)
    add(f"kind-one-image:{fid}:rgb", lambda call=call: call(RGB_IMAGE), token)

_FLOAT_FUNCTIONS = {  # kind: uint8 pixels where floats are expected
    "mse_per_sample:x": (lambda: ae.mse_per_sample(PIXELS, IMGS), "x"),
    "mse_per_sample:x_hat": (lambda: ae.mse_per_sample(IMGS, PIXELS), "x_hat"),
    "pca_baseline:x_train": (lambda: ae.pca_baseline(PIXELS, IMGS, 2), "x_train"),
    "pca_baseline:x_test": (lambda: ae.pca_baseline(IMGS, PIXELS, 2), "x_test"),
}
for fid, (call, token) in _FLOAT_FUNCTIONS.items():
    add(f"kind-uint8:{fid}", call, token)

_Y01 = np.array([0, 1] * 10)
_SCORES = RNG.random(20)
_LABEL_FUNCTIONS = {  # kind: labels that are not 0/1, or labels and scores swapped
    "alarm_rates:y": lambda bad: ae.alarm_rates(bad, _SCORES, 0.5),
    "window_labels:labels": lambda bad: ae.window_labels(bad, 4),
    "anomaly_span:labels": lambda bad: ae.anomaly_span(bad),
}
for fid, call in _LABEL_FUNCTIONS.items():
    add(f"kind-labels:{fid}:scores-as-labels", lambda call=call: call(_SCORES), "0/1")
    add(f"kind-labels:{fid}:class-ids", lambda call=call: call(np.arange(20) % 3), "0/1")
add("kind-labels:alarm_rates:swapped", lambda: ae.alarm_rates(_SCORES, _Y01, 0.5), "0/1")


def _decode_2d(z):
    return np.tile(np.clip(np.asarray(z)[:, :1, None], 0, 1), (1, 28, 28))


_EXPLORER_CASES = {  # kind: NaN, inf and out-of-range values in the explorer
    "latent_pad:ranges-nan": (
        lambda: ae.latent_pad(_decode_2d, ranges=((-3, np.nan), (-3, 3))),
        "z1 high",
    ),
    "latent_pad:ranges-inf": (
        lambda: ae.latent_pad(_decode_2d, ranges=((-np.inf, 3), (-3, 3))),
        "z1 low",
    ),
    "latent_pad:ranges-flat": (lambda: ae.latent_pad(_decode_2d, ranges=(-3, 3)), "ranges"),
    "latent_pad:start-outside": (lambda: ae.latent_pad(_decode_2d, start=(5.0, 0.0)), "z1 start"),
    "latent_pad:decode-nan": (
        lambda: ae.latent_pad(lambda z: np.full((len(z), 28, 28), np.nan)),
        "decode",
    ),
    "latent_pad:decode-rgb": (
        lambda: ae.latent_pad(lambda z: np.zeros((len(z), 8, 8, 3))),
        "decode",
    ),
    "latent_pad:output-outside": (lambda: ae.latent_pad(_decode_2d).output(z1=99.0), "z1"),
    "latent_pad:code-unknown-slider": (lambda: ae.latent_pad(_decode_2d).code(z3=0.0), "z3"),
    "direction_slider:alphas-str": (
        lambda: ae.direction_slider(_decode_2d, np.zeros(2), np.ones(2), alphas="ab"),
        "alphas",
    ),
    "direction_slider:alphas-nan": (
        lambda: ae.direction_slider(_decode_2d, np.zeros(2), np.ones(2), alphas=(np.nan, 1.0)),
        "alphas",
    ),
    "direction_slider:z-nan": (
        lambda: ae.direction_slider(_decode_2d, np.array([np.nan, 0]), np.ones(2)),
        "z",
    ),
    "interpolation_slider:z_end-inf": (
        lambda: ae.interpolation_slider(_decode_2d, np.zeros(2), np.array([np.inf, 0])),
        "z_end",
    ),
    "Explorer:make_code-nan": (
        lambda: ae.Explorer(_decode_2d, lambda a: np.array([np.nan, a]), [("a", 0, 1, 0)], "t"),
        "make_code",
    ),
}
for fid, (call, token) in _EXPLORER_CASES.items():
    add(f"kind-explorer:{fid}", call, token)

_BUILDER_CASES = {  # kind: builder keyword arguments ignored or misread
    "dense_vae_encoder:activation": (
        lambda: ae.dense_vae_encoder(activation="relux"),
        "activation",
    ),
    "dense_vae_decoder:activation": (
        lambda: ae.dense_vae_decoder(activation="relux"),
        "activation",
    ),
    "dense_vae_encoder:image_shape-str": (
        lambda: ae.dense_vae_encoder(image_shape="28x28"),
        "image_shape",
    ),
    "conv_vae_encoder:image_shape-int": (
        lambda: ae.conv_vae_encoder(image_shape=784),
        "image_shape",
    ),
    "conv_vae_decoder:image_shape-int": (
        lambda: ae.conv_vae_decoder(image_shape=784),
        "image_shape",
    ),
    "conv_vae_encoder:filters-str": (lambda: ae.conv_vae_encoder(filters="32"), "filters"),
    "conv_vae_decoder:filters-empty": (lambda: ae.conv_vae_decoder(filters=()), "filters"),
    "conv_vae_encoder:filters-zero": (lambda: ae.conv_vae_encoder(filters=(32, 0)), "filters"),
}
for fid, (call, token) in _BUILDER_CASES.items():
    add(f"kind-builder:{fid}", call, token)

for fid, bad in {
    "2**32": 2**32,
    "np-negative": np.int64(-1),
    "np-float": np.float64(3.0),
    "np-bool": np.bool_(True),
}.items():
    add(
        f"kind-seed:setup:{fid}", lambda bad=bad: ae.setup(seed=bad), "seed"
    )  # kind: seeds NumPy cannot take


# ----------------------------------------------------------------------------- classification


def classify(call, token):
    """Run one wrong call; return ("clear" | "cryptic" | "silent", detail)."""
    import matplotlib.pyplot as plt

    try:
        call()
    except Exception as err:  # noqa: BLE001 - the point is to see every failure
        tb = traceback.extract_tb(err.__traceback__)
        origin = tb[-1].filename if tb else ""
        ours = str(Path(origin).resolve()).startswith(PACKAGE_DIR)
        message = str(err)
        named = token.lower() in message.lower()
        kind = (
            "clear"
            if ours and named and isinstance(err, (ValueError, TypeError, ae.DataError))
            else "cryptic"
        )
        where = "aehelpers" if ours else Path(origin).name
        return kind, f"{type(err).__name__} in {where}: {message[:160]}"
    finally:
        plt.close("all")
    return "silent", "returned a result"


@pytest.mark.parametrize("call, token", [(c, t) for _, c, t in CASES], ids=[i for i, _, _ in CASES])
def test_wrong_call_is_refused_with_a_message_naming_the_argument(call, token):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kind, detail = classify(call, token)
    assert kind == "clear", f"{kind}: {detail} (expected a message naming {token!r})"


def test_sweep_is_large_and_case_ids_are_unique():
    ids = [i for i, _, _ in CASES]
    assert len(ids) >= 250 and len(set(ids)) == len(ids)


def main():
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    counts = {"clear": 0, "cryptic": 0, "silent": 0}
    for case_id, call, token in CASES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import contextlib
            import io

            with contextlib.redirect_stdout(io.StringIO()):
                kind, detail = classify(call, token)
        counts[kind] += 1
        if kind != "clear" or "-v" in sys.argv:
            print(f"{kind:8s} {case_id}: {detail}")
    total = sum(counts.values())
    print(
        f"\n{total} wrong calls: "
        + ", ".join(f"{k} {v} ({v / total:.0%})" for k, v in counts.items())
    )
    return counts


if __name__ == "__main__":
    main()


# ----------------------------------------------------------------------------- legitimate calls by kind
# The kinds above must never refuse a right call.
_RIGHT_CALLS = {
    "numpy-int seed: setup": lambda: ae.setup(seed=np.int64(3)),
    "numpy-int seed: seed(k)": lambda: ae.seed(np.int64(2)),
    "numpy-int seed: gaussian_noise": lambda: ae.gaussian_noise(IMGS, 0.1, seed=np.int64(1)),
    "largest seed: setup": lambda: ae.setup(seed=2**32 - 1),
    "bool labels: alarm_rates": lambda: ae.alarm_rates(_Y01.astype(bool), _SCORES, 0.5),
    "float 0/1 labels: window_labels": lambda: ae.window_labels(_Y01.astype(np.float32), 4),
    "int labels: anomaly_span": lambda: ae.anomaly_span(_Y01),
    "binary int images: mse_per_sample": lambda: ae.mse_per_sample(
        (IMGS > 0.5).astype(np.uint8), IMGS
    ),
    "flattened 28x28 batch: psnr": lambda: ae.psnr(FLAT, FLAT),
    "flattened 16x16 batch of 3: show_images": lambda: ae.show_images(RNG.random((3, 256))),
    "one image with its batch axis: psnr": lambda: ae.psnr(WIDE_IMAGE[None], WIDE_IMAGE[None]),
    "int filters: conv_vae_encoder": lambda: ae.conv_vae_encoder(filters=32),
    "int image_shape: dense_vae_encoder": lambda: ae.dense_vae_encoder(image_shape=784),
    "explorer in range: output": lambda: ae.latent_pad(_decode_2d).output(z1=2.5),
}


@pytest.mark.parametrize("call", list(_RIGHT_CALLS.values()), ids=list(_RIGHT_CALLS))
def test_right_calls_of_each_kind_are_accepted(call):
    import matplotlib.pyplot as plt

    try:
        call()
    finally:
        plt.close("all")


# ----------------------------------------------------------------------------- kind: raw pixels next to scaled ones
# A forgotten `/ 255` on ONE argument of mse_per_sample or pca_baseline: whole numbers 0..255 beside
# images scaled to [0, 1]. (A hard [0, 1] range would refuse the standardised rows of lessons 08 and 11.)
RAW_PIXELS = (IMGS * 255).round()  # float32 copy of uint8 pixels: astype("float32") without / 255
_SCALE_CASES = {
    "kind-scale:mse_per_sample:x": (lambda: ae.mse_per_sample(RAW_PIXELS, IMGS), "x"),
    "kind-scale:mse_per_sample:x_hat": (lambda: ae.mse_per_sample(IMGS, RAW_PIXELS), "x_hat"),
    "kind-scale:pca_baseline:x_train": (lambda: ae.pca_baseline(RAW_PIXELS, IMGS, 2), "x_train"),
    "kind-scale:pca_baseline:x_test": (
        lambda: ae.pca_baseline(FLAT, RAW_PIXELS.reshape(4, 784), 2),
        "x_test",
    ),
}


@pytest.mark.parametrize("call, token", list(_SCALE_CASES.values()), ids=list(_SCALE_CASES))
def test_raw_pixels_beside_scaled_images_are_refused_naming_the_argument(call, token):
    kind, detail = classify(call, token)
    assert kind == "clear", f"{kind}: {detail} (expected a message naming {token!r})"


_Z = RNG.standard_normal((50, 9)).astype(np.float32)
_SCALE_RIGHT_CALLS = {
    "both raw pixels: mse_per_sample": lambda: ae.mse_per_sample(RAW_PIXELS, RAW_PIXELS),
    "standardised rows vs a sigmoid output: mse_per_sample": lambda: ae.mse_per_sample(
        _Z * 5, 1 / (1 + np.exp(-_Z))
    ),
    "binary image vs probabilities: mse_per_sample": lambda: ae.mse_per_sample(
        (IMGS > 0.5).astype(np.float32), IMGS
    ),
    "both raw pixels: pca_baseline": lambda: ae.pca_baseline(RAW_PIXELS, RAW_PIXELS, 2),
}


@pytest.mark.parametrize("call", list(_SCALE_RIGHT_CALLS.values()), ids=list(_SCALE_RIGHT_CALLS))
def test_same_scale_calls_are_accepted(call):
    call()


# ----------------------------------------------------------------------------- kinds found by tools/wrong_calls.py
# The independent sweep (python -m tools.wrong_calls) found these kinds still silent or cryptic (issue 20).
_SERIES = RNG.standard_normal(200).astype(np.float32)
_CODE = lambda a: np.array([a, 0.0], "float32")  # noqa: E731
_SWEEP_CASES = {
    # kind: a True/False flag given as a string ("no" is truthy, so it meant yes)
    "flag-str:DynamicBinarization:shuffle": (
        lambda: ae.DynamicBinarization(IMGS, shuffle="no"),
        "shuffle",
    ),
    "flag-str:plot_history:logy": (
        lambda: ae.plot_history({"loss": [1.0, 0.5]}, logy="no"),
        "logy",
    ),
    "flag-str:load_series:verbose": (lambda: ae.load_series("abp", verbose="no"), "verbose"),
    # kind: an option that is not one of the choices and cannot be looked up (a list)
    "choice:load_series:name-list": (lambda: ae.load_series(["abp"]), "name"),
    # kind: a title that is not text
    "title:show_images": (lambda: ae.show_images(IMGS, title=3), "title"),
    "title:show_reconstructions": (lambda: ae.show_reconstructions(IMGS, IMGS, title=3), "title"),
    "title:plot_history": (lambda: ae.plot_history({"loss": [1.0]}, title=["a"]), "title"),
    # kind: a Sampling seed refused by Keras in its own words, or a negative one taken
    "seed:Sampling:str": (lambda: ae.Sampling(seed="1"), "seed"),
    "seed:Sampling:negative": (lambda: ae.Sampling(seed=-1), "seed"),
    # kind: values a log axis drops without a word
    "logy:plot_history:negative-loss": (lambda: ae.plot_history({"loss": [-1.0, 0.5]}), "logy"),
    # kind: the error blames the wrong argument (a reference shorter than one window)
    "blame:matrix_profile_scores:reference": (
        lambda: ae.matrix_profile_scores(_SERIES, _SERIES[:5], 10),
        "reference",
    ),
    # kind: explorer sliders that are not (name, low, high, start); decoded images off the scale
    "explorer:Explorer:sliders-str": (lambda: ae.Explorer(_decode_2d, _CODE, "a", "t"), "sliders"),
    "explorer:Explorer:slider-3-values": (
        lambda: ae.Explorer(_decode_2d, _CODE, [("a", 0, 1)], "t"),
        "sliders",
    ),
    "explorer:latent_pad:decode-0..255": (
        lambda: ae.latent_pad(lambda z: np.tile(IMGS[:1] * 255, (len(z), 1, 1))),
        "decode",
    ),
    "explorer:Explorer:make_code-None": (
        lambda: ae.Explorer(_decode_2d, None, [("a", 0, 1, 0)], "t"),
        "make_code",
    ),
    "title:interpolation_slider": (
        lambda: ae.interpolation_slider(_decode_2d, np.zeros(2), np.ones(2), title=3),
        "title",
    ),
    # kind: a batch argument given as one row (28 numbers read as 28 one-pixel images)
    "shape:DynamicBinarization:x-1-D": (lambda: ae.DynamicBinarization(IMGS[0, 0]), "x"),
    # kind: other arguments of the plots and tools that were not checked
    "type:show_reconstructions:size-str": (
        lambda: ae.show_reconstructions(IMGS, IMGS, size="1"),
        "size",
    ),
    "type:plot_history:ylabel-int": (
        lambda: ae.plot_history({"loss": [1.0]}, ylabel=3),
        "ylabel",
    ),
    "type:plot_history:keys-int": (lambda: ae.plot_history({"loss": [1.0]}, keys=3), "keys"),
    "type:make_documents:damages-None": (
        lambda: ae.make_documents(1, 64, 64, damages=None),
        "damages",
    ),
    "type:compare:lesson-int": (lambda: ae.compare("x", 1.0, lesson=3), "lesson"),
}


@pytest.mark.parametrize("call, token", list(_SWEEP_CASES.values()), ids=list(_SWEEP_CASES))
def test_kinds_found_by_the_independent_sweep_are_refused_clearly(call, token):
    kind, detail = classify(call, token)
    assert kind == "clear", f"{kind}: {detail} (expected a message naming {token!r})"


_SWEEP_RIGHT_CALLS = {
    "flag: DynamicBinarization shuffle=False": lambda: ae.DynamicBinarization(IMGS, shuffle=False),
    "numpy-int seed: Sampling": lambda: ae.Sampling(seed=np.int64(3)),
    "no seed: Sampling": lambda: ae.Sampling(),
    "negative loss on a linear axis: plot_history": lambda: ae.plot_history(
        {"loss": [-1.0, 0.5]}, logy=False, title="ELBO"
    ),
    "reference of one window: matrix_profile_scores": lambda: ae.matrix_profile_scores(
        _SERIES, _SERIES[:10], 10
    ),
    "overshooting image: latent_pad": lambda: ae.latent_pad(lambda z: _decode_2d(z) * 1.2 - 0.1),
    "standardised sequence: Explorer": lambda: ae.Explorer(
        lambda z: np.tile(_SERIES[None, :50] * 3, (len(z), 1)), _CODE, [("a", 0, 1, 0)], "t"
    ),
    "sliders as a generator: Explorer": lambda: ae.Explorer(
        _decode_2d, _CODE, (s for s in [("a", 0, 1, 0)]), "t"
    ),
    "keys as a tuple: plot_history": lambda: ae.plot_history({"loss": [1.0]}, keys=("loss",)),
    "damages as a list: make_documents": lambda: ae.make_documents(1, 64, 64, damages=["fold"]),
    "numpy-int seed: VAE": lambda: ae.VAE(
        ae.dense_vae_encoder((28, 28), 2, hidden=8),
        ae.dense_vae_decoder((28, 28), 2, hidden=8),
        seed=np.int64(2),
    ),
}


@pytest.mark.parametrize("call", list(_SWEEP_RIGHT_CALLS.values()), ids=list(_SWEEP_RIGHT_CALLS))
def test_right_calls_of_the_sweep_kinds_are_accepted(call):
    import matplotlib.pyplot as plt

    try:
        call()
    finally:
        plt.close("all")
