"""An independent sweep of wrong calls to aehelpers' public API (issue 20).

``python -m tools.wrong_calls`` tries, for each public function or class of ``aehelpers``
that takes arguments (leaving out the ones that train for long or need the network),
wrong calls of several kinds: wrong type, wrong shape or rank, wrong range, swapped
arguments, unknown keyword or option values. It also makes a few legitimate calls of each,
which must not be refused. Each outcome is one of

- **clear**: raised from inside ``aehelpers`` with a message naming the argument or what
  was expected (the case's token);
- **cryptic**: raised, but from deep inside NumPy / Keras / scikit-learn, or without naming it;
- **silent**: a wrong call that returned;
- **legit refused**: a legitimate call that raised.

It prints counts per kind and per function, then every case that is not clear.
``-v`` prints every case. The exit status is 1 when any case is silent or legit refused.
This sweep is written apart from ``tests/test_bad_input.py`` on purpose: its cases are
chosen afresh, so it measures what that test file does not already pin.
"""

import contextlib
import io
import os
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("AEHELPERS_OFFLINE", "1")
os.environ.setdefault("AEHELPERS_FAST", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import numpy as np  # noqa: E402

import aehelpers as ae  # noqa: E402
from aehelpers.noise import NOISE_TYPES  # noqa: E402

PACKAGE_DIR = str(Path(ae.__file__).resolve().parent)
RNG = np.random.default_rng(7)
IMGS = RNG.random((4, 28, 28)).astype(np.float32)
FLAT = IMGS.reshape(4, 784)
PIX = (IMGS * 255).astype(np.uint8)
ONE = RNG.random((28, 28)).astype(np.float32)
NONSQ = RNG.random((4, 28, 20)).astype(np.float32)
PAGES = RNG.random((2, 64, 64)).astype(np.float32)
CODES = RNG.random((30, 6)).astype(np.float32)
SERIES = RNG.standard_normal(200).astype(np.float32)
LAB01 = (np.arange(200) % 17 == 0).astype(np.int64)
SCORES = RNG.random(200)
TAB = RNG.standard_normal((40, 5)).astype(np.float32)
Y = np.arange(40) % 4
NAN_IMGS = np.where(IMGS > 0.9, np.nan, IMGS)
INF_IMGS = np.where(IMGS > 0.9, np.inf, IMGS)

CASES = []  # (function, kind, case id, call, token); kind "legit" must not raise


def wrong(function, kind, case_id, call, token):
    CASES.append((function, kind, case_id, call, token))


def legit(function, case_id, call):
    CASES.append((function, "legit", case_id, call, None))


# ----------------------------------------------------------------------------- image metrics
for fn in ("psnr", "psnr_per_image", "ssim", "ssim_per_image"):
    f = getattr(ae, fn, None)
    wrong(fn, "type", "x=list-of-str", lambda f=f: f(["a", "b"], IMGS), "x")
    wrong(fn, "type", "x_hat=None", lambda f=f: f(IMGS, None), "x_hat")
    wrong(fn, "shape", "single-image", lambda f=f: f(ONE, ONE), "batch")
    wrong(fn, "shape", "x=1-D", lambda f=f: f(FLAT[0], FLAT[0]), "x")
    wrong(fn, "shape", "x_hat-rows-differ", lambda f=f: f(FLAT, FLAT[:, :783]), "x_hat")
    wrong(fn, "range", "uint8-0..255", lambda f=f: f(PIX, PIX), "x")
    wrong(fn, "range", "x_hat=nan", lambda f=f: f(IMGS, NAN_IMGS), "x_hat")
    wrong(fn, "range", "x=inf", lambda f=f: f(INF_IMGS, IMGS), "x")
    legit(fn, "batch", lambda f=f: f(IMGS, IMGS * 0.9))
    legit(fn, "non-square-batch", lambda f=f: f(NONSQ, NONSQ))
    legit(fn, "channel-axis", lambda f=f: f(IMGS[..., None], IMGS[..., None]))

wrong("mse_per_sample", "type", "x=str", lambda: ae.mse_per_sample("abc", IMGS), "x")
wrong("mse_per_sample", "shape", "mismatch", lambda: ae.mse_per_sample(FLAT, FLAT[:3]), "x_hat")
wrong("mse_per_sample", "range", "x_hat=nan", lambda: ae.mse_per_sample(IMGS, NAN_IMGS), "x_hat")
wrong("mse_per_sample", "range", "x_hat-uint8", lambda: ae.mse_per_sample(IMGS, PIX), "x_hat")
wrong("mse_per_sample", "shape", "scalar", lambda: ae.mse_per_sample(0.5, 0.5), "x")
legit("mse_per_sample", "flat", lambda: ae.mse_per_sample(FLAT, FLAT * 0.5))
legit("mse_per_sample", "tabular", lambda: ae.mse_per_sample(TAB, TAB * 2))

wrong("principal_angles", "type", "a=str", lambda: ae.principal_angles("ab", np.eye(3)), "a")
wrong(
    "principal_angles",
    "shape",
    "rows-differ",
    lambda: ae.principal_angles(np.eye(5)[:, :2], np.eye(4)[:, :2]),
    "b",
)
wrong(
    "principal_angles",
    "range",
    "b=inf",
    lambda: ae.principal_angles(np.eye(4), np.full((4, 2), np.inf)),
    "b",
)
legit("principal_angles", "two-subspaces", lambda: ae.principal_angles(np.eye(5)[:, :2], np.eye(5)))

# ----------------------------------------------------------------------------- noise
for fn, arg in (
    ("gaussian_noise", "sigma"),
    ("salt_and_pepper", "amount"),
    ("masking_noise", "fraction"),
):
    f = getattr(ae, fn, None)
    wrong(fn, "type", f"{arg}=None", lambda f=f: f(IMGS, None), arg)
    wrong(fn, "type", f"{arg}=True", lambda f=f: f(IMGS, True), arg)
    wrong(fn, "type", "seed=str", lambda f=f: f(IMGS, 0.1, seed="1"), "seed")
    wrong(fn, "range", f"{arg}=-0.2", lambda f=f: f(IMGS, -0.2), arg)
    wrong(fn, "range", "x-uint8", lambda f=f: f(PIX, 0.1), "x")
    wrong(fn, "swap", "level-first", lambda f=f: f(0.1, IMGS), "x")
    legit(fn, "single-image", lambda f=f: f(ONE, 0.1))  # elementwise: right for one image too
    legit(fn, "batch", lambda f=f: f(IMGS, 0.2, seed=3))
    legit(fn, "flat-batch", lambda f=f: f(FLAT, 0.2))
    legit(fn, "numpy-seed", lambda f=f: f(IMGS, 0.2, seed=np.int32(4)))
wrong("salt_and_pepper", "range", "amount=1.2", lambda: ae.salt_and_pepper(IMGS, 1.2), "amount")
wrong("add_noise", "enum", "kind=Gauss", lambda: ae.add_noise(IMGS, "Gauss", 0.1), "kind")
wrong("add_noise", "swap", "kind-level", lambda: ae.add_noise(IMGS, 0.1, "gaussian"), "kind")
wrong("add_noise", "type", "level=str", lambda: ae.add_noise(IMGS, "masking", "0.3"), "fraction")
legit("add_noise", "each-kind", lambda: [ae.add_noise(IMGS, k, 0.1) for k in NOISE_TYPES])

# ----------------------------------------------------------------------------- binarize / VAE data
wrong("binarize", "range", "uint8", lambda: ae.binarize(PIX), "x")
wrong("binarize", "type", "x=None", lambda: ae.binarize(None), "x")
wrong("binarize", "range", "nan", lambda: ae.binarize(NAN_IMGS), "x")
wrong("binarize", "type", "seed=str", lambda: ae.binarize(IMGS, seed="a"), "seed")
wrong("binarize", "range", "seed=-3", lambda: ae.binarize(IMGS, seed=-3), "seed")
legit("binarize", "images", lambda: ae.binarize(IMGS, seed=1))
legit("binarize", "numpy-seed", lambda: ae.binarize(IMGS, seed=np.int64(1)))
DB = ae.DynamicBinarization
wrong("DynamicBinarization", "range", "uint8", lambda: DB(PIX), "x")
wrong("DynamicBinarization", "range", "batch_size=0", lambda: DB(IMGS, batch_size=0), "batch_size")
wrong(
    "DynamicBinarization", "type", "batch_size=2.5", lambda: DB(IMGS, batch_size=2.5), "batch_size"
)
wrong("DynamicBinarization", "type", "shuffle=str", lambda: DB(IMGS, shuffle="no"), "shuffle")
wrong("DynamicBinarization", "shape", "labels-count", lambda: DB(IMGS, labels=Y[:3]), "labels")
legit("DynamicBinarization", "batches", lambda: DB(IMGS, batch_size=3)[1])
legit("DynamicBinarization", "with-labels", lambda: DB(IMGS, batch_size=2, labels=Y[:4])[0])
PNLL = ae.pixel_bernoulli_nll
wrong("pixel_bernoulli_nll", "range", "x_test-uint8", lambda: PNLL(IMGS, PIX), "x_test")
wrong("pixel_bernoulli_nll", "shape", "pixels-differ", lambda: PNLL(IMGS, NONSQ), "x_test")
wrong("pixel_bernoulli_nll", "type", "x_train=str", lambda: PNLL("abc", IMGS), "x_train")
legit("pixel_bernoulli_nll", "binary", lambda: PNLL(IMGS, ae.binarize(IMGS)))

# ----------------------------------------------------------------------------- penalties
wrong("hoyer_sparsity", "shape", "1-D", lambda: ae.hoyer_sparsity(CODES[0]), "codes")
wrong("hoyer_sparsity", "range", "negative", lambda: ae.hoyer_sparsity(CODES - 0.5), "codes")
wrong("hoyer_sparsity", "type", "str", lambda: ae.hoyer_sparsity("codes"), "codes")
legit("hoyer_sparsity", "codes", lambda: ae.hoyer_sparsity(CODES))
wrong(
    "activation_stats", "range", "threshold=0", lambda: ae.activation_stats(CODES, 0), "threshold"
)
wrong(
    "activation_stats",
    "type",
    "threshold=str",
    lambda: ae.activation_stats(CODES, "0.1"),
    "threshold",
)
wrong(
    "activation_stats", "range", "codes=nan", lambda: ae.activation_stats(CODES * np.nan), "codes"
)
wrong(
    "activation_stats", "swap", "threshold-first", lambda: ae.activation_stats(0.1, CODES), "codes"
)
legit("activation_stats", "codes", lambda: ae.activation_stats(CODES, 0.2))
wrong("KLSparsity", "range", "rho=1.5", lambda: ae.KLSparsity(rho=1.5), "rho")
wrong("KLSparsity", "range", "rho=0", lambda: ae.KLSparsity(rho=0.0), "rho")
wrong("KLSparsity", "range", "beta=-1", lambda: ae.KLSparsity(beta=-1), "beta")
wrong("KLSparsity", "type", "beta=str", lambda: ae.KLSparsity(beta="0.1"), "beta")
wrong("KLSparsity", "range", "beta=nan", lambda: ae.KLSparsity(beta=float("nan")), "beta")
legit("KLSparsity", "defaults", lambda: ae.KLSparsity(0.1, 0.5))
wrong("L1Activity", "range", "strength=-1e-4", lambda: ae.L1Activity(-1e-4), "strength")
wrong("L1Activity", "type", "strength=None", lambda: ae.L1Activity(None), "strength")
wrong("L1Activity", "type", "strength=list", lambda: ae.L1Activity([1e-4]), "strength")
legit("L1Activity", "zero", lambda: ae.L1Activity(0.0))
wrong("ContractiveDense", "range", "units=0", lambda: ae.ContractiveDense(0), "units")
wrong("ContractiveDense", "type", "units=str", lambda: ae.ContractiveDense("8"), "units")
wrong(
    "ContractiveDense",
    "range",
    "contraction<0",
    lambda: ae.ContractiveDense(8, -1.0),
    "contraction",
)
legit("ContractiveDense", "layer", lambda: ae.ContractiveDense(8, 0.1)(FLAT))

# ----------------------------------------------------------------------------- models
wrong(
    "dense_autoencoder",
    "type",
    "code_dim=True",
    lambda: ae.dense_autoencoder(code_dim=True),
    "code_dim",
)
wrong(
    "dense_autoencoder",
    "range",
    "code_dim=-4",
    lambda: ae.dense_autoencoder(code_dim=-4),
    "code_dim",
)
wrong(
    "dense_autoencoder",
    "range",
    "dropout=1.5",
    lambda: ae.dense_autoencoder(dropout=1.5),
    "dropout",
)
wrong(
    "dense_autoencoder",
    "enum",
    "unknown-kwarg",
    lambda: ae.dense_autoencoder(latent_dim=8),
    "latent_dim",
)
legit("dense_autoencoder", "small", lambda: ae.dense_autoencoder(64, 4, hidden=8))
wrong(
    "linear_autoencoder",
    "swap",
    "shape-as-dim",
    lambda: ae.linear_autoencoder((28, 28), 8),
    "input_dim",
)
wrong("linear_autoencoder", "range", "code>input", lambda: ae.linear_autoencoder(8, 0), "code_dim")
legit("linear_autoencoder", "small", lambda: ae.linear_autoencoder(16, 2))
wrong(
    "conv_autoencoder",
    "shape",
    "rgb-odd",
    lambda: ae.conv_autoencoder(input_shape=(27, 27, 1)),
    "input_shape",
)
wrong(
    "conv_autoencoder", "type", "filters=None", lambda: ae.conv_autoencoder(filters=None), "filters"
)
wrong(
    "conv_autoencoder",
    "type",
    "kernel_size=str",
    lambda: ae.conv_autoencoder(kernel_size="3"),
    "kernel_size",
)
legit("conv_autoencoder", "small", lambda: ae.conv_autoencoder(code_dim=4, filters=(4, 4)))
for fn in ("dense_vae_encoder", "dense_vae_decoder", "conv_vae_encoder", "conv_vae_decoder"):
    f = getattr(ae, fn, None)
    wrong(fn, "range", "latent_dim=0", lambda f=f: f(latent_dim=0), "latent_dim")
    wrong(fn, "type", "latent_dim=str", lambda f=f: f(latent_dim="2"), "latent_dim")
    wrong(fn, "shape", "image_shape=(0,28)", lambda f=f: f(image_shape=(0, 28)), "image_shape")
    wrong(fn, "type", "image_shape=None", lambda f=f: f(image_shape=None), "image_shape")
wrong(
    "dense_vae_encoder", "type", "hidden=str", lambda: ae.dense_vae_encoder(hidden="64"), "hidden"
)
wrong("conv_vae_encoder", "range", "dense=0", lambda: ae.conv_vae_encoder(dense=0), "dense")
wrong("conv_vae_decoder", "type", "dense=str", lambda: ae.conv_vae_decoder(dense="8"), "dense")
legit("dense_vae_encoder", "flat", lambda: ae.dense_vae_encoder((784,), 2, hidden=8))
legit("dense_vae_decoder", "small", lambda: ae.dense_vae_decoder((28, 28), 2, hidden=(8,)))
legit(
    "conv_vae_encoder", "small", lambda: ae.conv_vae_encoder(latent_dim=2, filters=(4, 4), dense=8)
)
legit(
    "conv_vae_decoder", "small", lambda: ae.conv_vae_decoder(latent_dim=2, filters=(4, 4), dense=8)
)

_VAE = {}


def small_vae():
    if "vae" not in _VAE:
        enc = ae.dense_vae_encoder((28, 28), 2, hidden=(8,))
        dec = ae.dense_vae_decoder((28, 28), 2, hidden=(8,))
        _VAE["vae"] = ae.VAE(enc, dec, seed=0)
    return _VAE["vae"]


wrong(
    "VAE",
    "range",
    "beta=-1",
    lambda: ae.VAE(small_vae().encoder, small_vae().decoder, beta=-1),
    "beta",
)
wrong(
    "VAE",
    "type",
    "beta=str",
    lambda: ae.VAE(small_vae().encoder, small_vae().decoder, beta="1"),
    "beta",
)
wrong(
    "VAE",
    "swap",
    "decoder-encoder",
    lambda: ae.VAE(small_vae().decoder, small_vae().encoder),
    "encoder",
)
wrong("VAE", "type", "encoder=None", lambda: ae.VAE(None, small_vae().decoder), "encoder")
legit("VAE", "beta-4", lambda: ae.VAE(small_vae().encoder, small_vae().decoder, beta=4.0))
wrong("elbo_per_image", "range", "x-uint8", lambda: ae.elbo_per_image(small_vae(), PIX), "x")
wrong(
    "elbo_per_image",
    "range",
    "n_samples=0",
    lambda: ae.elbo_per_image(small_vae(), ae.binarize(IMGS), n_samples=0),
    "n_samples",
)
wrong("elbo_per_image", "swap", "x-vae", lambda: ae.elbo_per_image(IMGS, small_vae()), "vae")
wrong(
    "elbo_per_image",
    "shape",
    "wrong-image-size",
    lambda: ae.elbo_per_image(small_vae(), NONSQ > 0.5),
    "x",
)
legit("elbo_per_image", "binary", lambda: ae.elbo_per_image(small_vae(), ae.binarize(IMGS)))
wrong("iwae_nll", "range", "k=0", lambda: ae.iwae_nll(small_vae(), ae.binarize(IMGS), k=0), "k")
wrong("iwae_nll", "type", "k=2.5", lambda: ae.iwae_nll(small_vae(), ae.binarize(IMGS), k=2.5), "k")
wrong(
    "iwae_nll",
    "range",
    "batch_size=-1",
    lambda: ae.iwae_nll(small_vae(), ae.binarize(IMGS), batch_size=-1),
    "batch_size",
)
wrong("iwae_nll", "range", "x-not-binary", lambda: ae.iwae_nll(small_vae(), IMGS, k=2), "x")
legit("iwae_nll", "k=2", lambda: ae.iwae_nll(small_vae(), ae.binarize(IMGS), k=2))
wrong("KLWarmup", "range", "epochs=0", lambda: ae.KLWarmup(0), "epochs")
wrong("KLWarmup", "type", "epochs=str", lambda: ae.KLWarmup("5"), "epochs")
legit("KLWarmup", "epochs=3", lambda: ae.KLWarmup(3))
wrong("Sampling", "type", "seed=str", lambda: ae.Sampling(seed="1"), "seed")
wrong("Sampling", "range", "seed=-1", lambda: ae.Sampling(seed=-1), "seed")
legit("Sampling", "seed=None", lambda: ae.Sampling())

# ----------------------------------------------------------------------------- baselines
wrong("pca_baseline", "range", "code_dim=-1", lambda: ae.pca_baseline(FLAT, FLAT, -1), "code_dim")
wrong(
    "pca_baseline",
    "shape",
    "x_train=single-image",
    lambda: ae.pca_baseline(ONE, FLAT, 2),
    "x_train",
)
wrong("pca_baseline", "swap", "code_dim-first", lambda: ae.pca_baseline(2, FLAT, FLAT), "x_train")
legit("pca_baseline", "images", lambda: ae.pca_baseline(IMGS, IMGS, 2))
legit("pca_baseline", "flat", lambda: ae.pca_baseline(FLAT, FLAT, 3))
wrong("label_draws", "type", "n_labels=str", lambda: ae.label_draws(Y, "8"), "n_labels")
wrong("label_draws", "swap", "n-first", lambda: ae.label_draws(8, Y), "y")
wrong("label_draws", "type", "n_draws=1.5", lambda: ae.label_draws(Y, 8, n_draws=1.5), "n_draws")
legit("label_draws", "two-draws", lambda: ae.label_draws(Y, 8, n_draws=2))

TD = ae.tune_denoisers
wrong("tune_denoisers", "range", "uint8", lambda: TD(PIX, PIX, names=["median"]), "noisy")
wrong("tune_denoisers", "swap", "names-as-clean", lambda: TD(IMGS, ["median"]), "clean")
wrong("tune_denoisers", "enum", "names=Median", lambda: TD(IMGS, IMGS, names=["Median"]), "names")
legit("tune_denoisers", "median", lambda: TD(IMGS, IMGS, names=["median"], grids={"median": (3,)}))
legit(
    "tune_denoisers",
    "non-square",
    lambda: TD(NONSQ, NONSQ, names=["median"], grids={"median": (3,)}),
)
wrong(
    "background_subtraction",
    "type",
    "size=str",
    lambda: ae.background_subtraction(PAGES, "15"),
    "size",
)
legit(
    "background_subtraction", "single-page", lambda: ae.background_subtraction(PAGES[0])
)  # documented
legit("background_subtraction", "pages", lambda: ae.background_subtraction(PAGES, 7))
wrong(
    "adaptive_threshold",
    "type",
    "block_size=None",
    lambda: ae.adaptive_threshold(PAGES, None),
    "block_size",
)
wrong(
    "adaptive_threshold",
    "range",
    "uint8",
    lambda: ae.adaptive_threshold((PAGES * 255).astype(np.uint8)),
    "pages",
)
legit("adaptive_threshold", "pages", lambda: ae.adaptive_threshold(PAGES, 15, 0.1))

# ----------------------------------------------------------------------------- documents
wrong("make_documents", "type", "n_pages=str", lambda: ae.make_documents("2"), "n_pages")
wrong("make_documents", "range", "width=-5", lambda: ae.make_documents(1, width=-5), "width")
wrong(
    "make_documents",
    "enum",
    "damage-typo",
    lambda: ae.make_documents(1, 64, 64, damages=("coffee",)),
    "damages",
)
wrong(
    "make_documents", "type", "seed=None", lambda: ae.make_documents(1, 64, 64, seed=None), "seed"
)
legit("make_documents", "one-small", lambda: ae.make_documents(1, 64, 96))
wrong("extract_patches", "type", "stride=str", lambda: ae.extract_patches(PAGES, 16, "8"), "stride")
legit("extract_patches", "single-page", lambda: ae.extract_patches(PAGES[0], 16, 8))  # documented
wrong(
    "extract_patches",
    "range",
    "uint8",
    lambda: ae.extract_patches((PAGES * 255).astype(np.uint8), 16, 8),
    "pages",
)
legit("extract_patches", "pages", lambda: ae.extract_patches(PAGES, 16, 8))
_P = ae.extract_patches(PAGES, 16, 16)
wrong(
    "reconstruct_pages",
    "type",
    "stride=str",
    lambda: ae.reconstruct_pages(np.asarray(_P), PAGES.shape, stride="16"),
    "stride",
)
wrong(
    "reconstruct_pages",
    "shape",
    "patches-1-D",
    lambda: ae.reconstruct_pages(np.ones(5), PAGES.shape, stride=16),
    "patches",
)
legit("reconstruct_pages", "geometry", lambda: ae.reconstruct_pages(_P))
legit(
    "reconstruct_pages",
    "plain-array",
    lambda: ae.reconstruct_pages(np.asarray(_P), PAGES.shape, stride=16),
)
wrong("random_patches", "type", "n=str", lambda: ae.random_patches(PAGES, PAGES, 16, "5"), "n")
wrong("random_patches", "range", "size=0", lambda: ae.random_patches(PAGES, PAGES, 0, 5), "size")
legit("random_patches", "five", lambda: ae.random_patches(PAGES, PAGES, 16, 5))
legit("page_rmse", "single-page", lambda: ae.page_rmse(PAGES[0], PAGES[0]))  # documented
wrong("page_rmse", "type", "pages=str", lambda: ae.page_rmse(PAGES, "pages"), "pages")
legit("page_rmse", "pages", lambda: ae.page_rmse(PAGES, PAGES * 0.5))

# ----------------------------------------------------------------------------- sequences
wrong(
    "sliding_windows", "shape", "x-2-D", lambda: ae.sliding_windows(SERIES.reshape(20, 10), 5), "x"
)
wrong("sliding_windows", "range", "length>n", lambda: ae.sliding_windows(SERIES, 500), "length")
wrong("sliding_windows", "type", "length=str", lambda: ae.sliding_windows(SERIES, "5"), "length")
wrong("sliding_windows", "range", "stride=0", lambda: ae.sliding_windows(SERIES, 5, 0), "stride")
wrong("sliding_windows", "range", "x=nan", lambda: ae.sliding_windows(SERIES * np.nan, 5), "x")
wrong("sliding_windows", "swap", "length-first", lambda: ae.sliding_windows(5, SERIES), "x")
legit("sliding_windows", "series", lambda: ae.sliding_windows(SERIES, 10, 5))
wrong("window_labels", "range", "length=1", lambda: ae.window_labels(LAB01, 1), "length")
wrong("window_labels", "range", "labels=2", lambda: ae.window_labels(LAB01 * 2, 5), "0/1")
wrong("window_labels", "type", "stride=float", lambda: ae.window_labels(LAB01, 5, 1.5), "stride")
legit("window_labels", "labels", lambda: ae.window_labels(LAB01, 10, 5))
legit("window_labels", "bool", lambda: ae.window_labels(LAB01.astype(bool), 10))
WIN = ae.sliding_windows(SERIES, 10, 5)
wrong("window_features", "shape", "1-D", lambda: ae.window_features(SERIES), "windows")
wrong("window_features", "range", "inf", lambda: ae.window_features(WIN * np.inf), "windows")
legit("window_features", "windows", lambda: ae.window_features(WIN))
RZ = ae.rolling_zscore_scores
wrong("rolling_zscore_scores", "range", "length=0", lambda: RZ(SERIES, 0), "length")
wrong("rolling_zscore_scores", "range", "start=-1", lambda: RZ(SERIES, 10, start=-1), "start")
wrong("rolling_zscore_scores", "shape", "x-2-D", lambda: RZ(SERIES.reshape(20, 10), 5), "x")
wrong(
    "rolling_zscore_scores", "type", "history=str", lambda: RZ(SERIES, 10, history="ab"), "history"
)
legit("rolling_zscore_scores", "series", lambda: RZ(SERIES, 10))
legit("rolling_zscore_scores", "history", lambda: RZ(SERIES, 10, start=100, history=30))
MP = ae.matrix_profile_scores
wrong(
    "matrix_profile_scores", "enum", "method=fast", lambda: MP(SERIES, SERIES, 10, "fast"), "method"
)
wrong(
    "matrix_profile_scores",
    "range",
    "reference<length",
    lambda: MP(SERIES, SERIES[:5], 10),
    "reference",
)
wrong("matrix_profile_scores", "shape", "x-2-D", lambda: MP(SERIES.reshape(20, 10), SERIES, 5), "x")
wrong("matrix_profile_scores", "swap", "length-first", lambda: MP(10, SERIES, SERIES), "x")
legit("matrix_profile_scores", "numpy", lambda: MP(SERIES, SERIES[:100], 10))
wrong(
    "alarm_rates",
    "type",
    "threshold=str",
    lambda: ae.alarm_rates(LAB01, SCORES, "0.5"),
    "threshold",
)
wrong(
    "alarm_rates",
    "shape",
    "length-differs",
    lambda: ae.alarm_rates(LAB01, SCORES[:50], 0.5),
    "scores",
)
wrong(
    "alarm_rates",
    "range",
    "scores=nan",
    lambda: ae.alarm_rates(LAB01, SCORES * np.nan, 0.5),
    "scores",
)
wrong(
    "alarm_rates",
    "range",
    "threshold=nan",
    lambda: ae.alarm_rates(LAB01, SCORES, np.nan),
    "threshold",
)
legit("alarm_rates", "rates", lambda: ae.alarm_rates(LAB01, SCORES, 0.5))
wrong("anomaly_span", "type", "None", lambda: ae.anomaly_span(None), "labels")
wrong("anomaly_span", "shape", "2-D", lambda: ae.anomaly_span(LAB01.reshape(20, 10)), "labels")
legit("anomaly_span", "labels", lambda: ae.anomaly_span(LAB01))

# ----------------------------------------------------------------------------- plotting
wrong("show_images", "shape", "single-image", lambda: ae.show_images(ONE), "batch")
wrong("show_images", "range", "uint8", lambda: ae.show_images(PIX), "images")
wrong("show_images", "type", "ncols=str", lambda: ae.show_images(IMGS, ncols="2"), "ncols")
wrong("show_images", "type", "title=int", lambda: ae.show_images(IMGS, title=3), "title")
legit("show_images", "labels", lambda: ae.show_images(IMGS, labels=list("abcd"), ncols=2))
legit("show_images", "non-square", lambda: ae.show_images(NONSQ))
SR = ae.show_reconstructions
wrong("show_reconstructions", "swap", "rows-first", lambda: SR({"ae": IMGS}, IMGS), "originals")
wrong("show_reconstructions", "range", "rows-uint8", lambda: SR(IMGS, {"ae": PIX}), "rows")
wrong("show_reconstructions", "type", "n=str", lambda: SR(IMGS, IMGS, n="4"), "n")
legit("show_reconstructions", "dict", lambda: SR(IMGS, {"a": IMGS, "b": IMGS}, n=4))
wrong("plot_history", "type", "history=list", lambda: ae.plot_history([1.0, 0.5]), "history")
wrong(
    "plot_history",
    "type",
    "logy=str",
    lambda: ae.plot_history({"loss": [1.0, 0.5]}, logy="no"),
    "logy",
)
wrong(
    "plot_history",
    "range",
    "loss-negative-logy",
    lambda: ae.plot_history({"loss": [-1.0, 0.5]}),
    "loss",
)
legit("plot_history", "dict", lambda: ae.plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]}))

# ----------------------------------------------------------------------------- environment, saving, spread
wrong("budget", "type", "full=str", lambda: ae.budget("30", 2), "full")
legit(
    "budget", "fast=None", lambda: ae.budget(30, None)
)  # None: "all samples" / "no goal" (documented)
wrong("budget", "type", "int-tuple", lambda: ae.budget(30, (2,)), "full")
legit("budget", "ints", lambda: ae.budget(30, 2))
legit("budget", "floats", lambda: ae.budget(1.0, 0.1))
wrong("seed", "type", "k=str", lambda: ae.seed("1"), "k")
wrong("seed", "range", "k=-1", lambda: ae.seed(-1), "k")
legit("seed", "k=3", lambda: ae.seed(3))
wrong("setup", "type", "seed=1.5", lambda: ae.setup(seed=1.5), "seed")
wrong(
    "setup",
    "enum",
    "backends=str-unknown",
    lambda: ae.setup(seed=0, backends=("tensorflw",)),
    "backends",
)
wrong("setup", "type", "verbose=str", lambda: ae.setup(seed=0, verbose="yes"), "verbose")
legit("setup", "seed", lambda: ae.setup(seed=0))
wrong("compare", "type", "name=int", lambda: ae.compare(3), "name")
wrong("compare", "type", "value=str", lambda: ae.compare("dense_ae32_over_pca32", "0.5"), "value")
legit(
    "compare", "unknown-name", lambda: ae.compare("no_such_claim_xyz", 1.0)
)  # documented: "unknown"
wrong("record", "range", "value=nan", lambda: ae.record("x", float("nan")), "value")
wrong("save_model", "type", "model=str", lambda: ae.save_model("model", "x"), "model")
wrong(
    "save_model",
    "swap",
    "name-first",
    lambda: ae.save_model("x", ae.linear_autoencoder(4, 2)),
    "model",
)
wrong("load_saved_model", "type", "name=int", lambda: ae.load_saved_model(3), "name")
legit(
    "load_saved_model", "missing", lambda: ae.load_saved_model("no-such-model-xyz")
)  # documented: None
wrong("workdir", "type", "name=list", lambda: ae.workdir(["a"]), "name")
legit("workdir", "name", lambda: ae.workdir("wrong-calls-sweep"))
wrong("load_series", "enum", "name=ekg", lambda: ae.load_series("ekg"), "name")
wrong(
    "load_series",
    "range",
    "downsample=0",
    lambda: ae.load_series("abp", downsample=0),
    "downsample",
)
wrong(
    "load_series",
    "range",
    "train_fraction=1.5",
    lambda: ae.load_series("abp", train_fraction=1.5),
    "train_fraction",
)
wrong("load_series", "type", "verbose=str", lambda: ae.load_series("abp", verbose="no"), "verbose")
legit("load_series", "abp", lambda: ae.load_series("abp", downsample=4, verbose=False))
wrong("load_shuttle", "type", "n_rows=str", lambda: ae.load_shuttle(n_rows="500"), "n_rows")
wrong(
    "load_shuttle",
    "type",
    "normal_only=str",
    lambda: ae.load_shuttle(normal_only="yes"),
    "normal_only",
)
wrong(
    "load_breast_cancer_table",
    "range",
    "test_fraction=1.2",
    lambda: ae.load_breast_cancer_table(test_fraction=1.2),
    "test_fraction",
)
wrong(
    "load_breast_cancer_table",
    "enum",
    "positional",
    lambda: ae.load_breast_cancer_table(0.2),
    "positional",
)
legit("load_breast_cancer_table", "defaults", lambda: ae.load_breast_cancer_table())
wrong(
    "load_fashion_mnist",
    "range",
    "n_train=-5",
    lambda: ae.load_fashion_mnist(-5, download=False),
    "n_train",
)
wrong(
    "load_mnist",
    "type",
    "seed=str",
    lambda: ae.load_mnist(10, 10, seed="0", download=False),
    "seed",
)


def _decode(z):
    return np.tile(np.clip(np.asarray(z, dtype=np.float32)[:, :1, None], 0, 1), (1, 8, 8))


LP2 = ae.latent_pad
wrong("latent_pad", "type", "decode=None", lambda: LP2(None), "decode")
wrong(
    "latent_pad", "range", "ranges-reversed", lambda: LP2(_decode, ranges=((3, -3), (-3, 3))), "z1"
)
wrong("latent_pad", "type", "start=str", lambda: LP2(_decode, start="00"), "start")
wrong("latent_pad", "shape", "start-3", lambda: LP2(_decode, start=(0, 0, 0)), "start")
wrong(
    "latent_pad",
    "range",
    "decode-0..255",
    lambda: LP2(lambda z: np.tile(IMGS[:1, :8, :8] * 255, (len(z), 1, 1))),
    "decode",
)
legit("latent_pad", "defaults", lambda: LP2(_decode).output(z1=1.0, z2=-1.0))
DS = ae.direction_slider
wrong(
    "direction_slider",
    "shape",
    "direction-length",
    lambda: DS(_decode, np.zeros(2), np.ones(3)),
    "direction",
)
wrong(
    "direction_slider",
    "type",
    "decode=str",
    lambda: DS("decode", np.zeros(2), np.ones(2)),
    "decode",
)
wrong(
    "direction_slider",
    "range",
    "alphas-reversed",
    lambda: DS(_decode, np.zeros(2), np.ones(2), alphas=(2.0, -1.0)),
    "alpha",
)
legit("direction_slider", "defaults", lambda: DS(_decode, np.zeros(2), np.ones(2)))
IS = ae.interpolation_slider
wrong(
    "interpolation_slider",
    "shape",
    "ends-differ",
    lambda: IS(_decode, np.zeros(2), np.ones(3)),
    "z_end",
)
wrong(
    "interpolation_slider", "type", "z_start=str", lambda: IS(_decode, "ab", np.ones(2)), "z_start"
)
legit("interpolation_slider", "defaults", lambda: IS(_decode, np.zeros(2), np.ones(2)))
EX = ae.Explorer
wrong(
    "Explorer",
    "range",
    "steps=1",
    lambda: EX(_decode, lambda a: np.array([a, 0.0]), [("a", 0, 1, 0)], "t", steps=1),
    "steps",
)
wrong(
    "Explorer",
    "enum",
    "kind=slider",
    lambda: EX(_decode, lambda a: np.array([a, 0.0]), [("a", 0, 1, 0)], "t", kind="slider"),
    "kind",
)
wrong(
    "Explorer",
    "range",
    "vmin>vmax",
    lambda: EX(_decode, lambda a: np.array([a, 0.0]), [("a", 0, 1, 0)], "t", vmin=1, vmax=0),
    "vmin",
)
wrong(
    "Explorer",
    "type",
    "sliders=str",
    lambda: EX(_decode, lambda a: np.array([a, 0.0]), "a", "t"),
    "sliders",
)
legit(
    "Explorer",
    "one-slider",
    lambda: EX(_decode, lambda a: np.array([a, 0.0]), [("a", 0, 1, 0)], "t"),
)


# ----------------------------------------------------------------------------- second pass: more arguments
wrong(
    "VAE",
    "type",
    "seed=str",
    lambda: ae.VAE(small_vae().encoder, small_vae().decoder, seed="0"),
    "seed",
)
wrong("VAE", "type", "decoder=str", lambda: ae.VAE(small_vae().encoder, "decoder"), "decoder")
wrong(
    "elbo_per_image",
    "type",
    "batch_size=str",
    lambda: ae.elbo_per_image(small_vae(), ae.binarize(IMGS), batch_size="8"),
    "batch_size",
)
wrong(
    "elbo_per_image",
    "type",
    "seed=str",
    lambda: ae.elbo_per_image(small_vae(), ae.binarize(IMGS), seed="1"),
    "seed",
)
wrong("iwae_nll", "swap", "x-vae", lambda: ae.iwae_nll(ae.binarize(IMGS), small_vae()), "vae")
wrong("DynamicBinarization", "type", "seed=float", lambda: DB(IMGS, seed=0.5), "seed")
wrong("DynamicBinarization", "shape", "x=1-D", lambda: DB(IMGS[0, 0]), "x")
wrong("show_images", "type", "labels=int", lambda: ae.show_images(IMGS, labels=4), "labels")
wrong("show_images", "type", "vmin=str", lambda: ae.show_images(IMGS, vmin="0"), "vmin")
wrong("show_images", "range", "size=nan", lambda: ae.show_images(IMGS, size=float("nan")), "size")
wrong("show_reconstructions", "range", "n=-1", lambda: SR(IMGS, IMGS, n=-1), "n")
wrong("show_reconstructions", "type", "size=str", lambda: SR(IMGS, IMGS, size="1"), "size")
wrong(
    "plot_history",
    "type",
    "ylabel=int",
    lambda: ae.plot_history({"loss": [1.0]}, ylabel=3),
    "ylabel",
)
wrong("plot_history", "type", "keys=int", lambda: ae.plot_history({"loss": [1.0]}, keys=3), "keys")
wrong(
    "tune_denoisers",
    "type",
    "grids=str",
    lambda: TD(IMGS, IMGS, names=["median"], grids="median"),
    "grids",
)
wrong("tune_denoisers", "range", "noisy=nan", lambda: TD(NAN_IMGS, IMGS, names=["median"]), "noisy")
wrong(
    "random_patches",
    "type",
    "seed=str",
    lambda: ae.random_patches(PAGES, PAGES, 16, 5, seed="0"),
    "seed",
)
wrong("random_patches", "swap", "size-n", lambda: ae.random_patches(PAGES, PAGES, 500, 16), "size")
wrong("make_documents", "range", "n_pages=-1", lambda: ae.make_documents(-1), "n_pages")
wrong(
    "make_documents",
    "type",
    "damages=None",
    lambda: ae.make_documents(1, 64, 64, damages=None),
    "damages",
)
wrong(
    "extract_patches",
    "range",
    "pages=nan",
    lambda: ae.extract_patches(PAGES * np.nan, 16, 8),
    "pages",
)
wrong(
    "reconstruct_pages",
    "type",
    "geometry=str",
    lambda: ae.reconstruct_pages(np.asarray(_P), geometry="g"),
    "geometry",
)
wrong(
    "reconstruct_pages",
    "shape",
    "no-geometry",
    lambda: ae.reconstruct_pages(np.asarray(_P)),
    "shape",
)
wrong("label_draws", "range", "seed=-1.5", lambda: ae.label_draws(Y, 8, seed=-1.5), "seed")
wrong("label_draws", "type", "y=str", lambda: ae.label_draws("abcd", 2), "y")
wrong("alarm_rates", "swap", "threshold-first", lambda: ae.alarm_rates(0.5, LAB01, SCORES), "y")
wrong("anomaly_span", "range", "labels=-1", lambda: ae.anomaly_span(-LAB01), "labels")
wrong("window_features", "type", "str", lambda: ae.window_features("windows"), "windows")
wrong("rolling_zscore_scores", "range", "history=1", lambda: RZ(SERIES, 10, history=1), "history")
wrong("rolling_zscore_scores", "range", "start>n", lambda: RZ(SERIES, 10, start=500), "start")
wrong(
    "matrix_profile_scores", "type", "method=None", lambda: MP(SERIES, SERIES, 10, None), "method"
)
wrong("matrix_profile_scores", "type", "length=float", lambda: MP(SERIES, SERIES, 10.0), "length")
wrong("KLSparsity", "type", "rho=str", lambda: ae.KLSparsity(rho="0.05"), "rho")
wrong(
    "ContractiveDense",
    "type",
    "contraction=str",
    lambda: ae.ContractiveDense(8, "0.1"),
    "contraction",
)
wrong("activation_stats", "shape", "codes=3-D", lambda: ae.activation_stats(IMGS), "codes")
wrong(
    "conv_autoencoder", "range", "code_dim=-1", lambda: ae.conv_autoencoder(code_dim=-1), "code_dim"
)
wrong(
    "dense_autoencoder",
    "type",
    "dropout=str",
    lambda: ae.dense_autoencoder(dropout="0.1"),
    "dropout",
)
wrong(
    "dense_autoencoder",
    "type",
    "activity_regularizer=str",
    lambda: ae.dense_autoencoder(activity_regularizer="l9"),
    "activity_regularizer",
)
wrong(
    "linear_autoencoder",
    "type",
    "code_dim=float",
    lambda: ae.linear_autoencoder(16, 2.0),
    "code_dim",
)
wrong(
    "dense_vae_decoder",
    "type",
    "activation=int",
    lambda: ae.dense_vae_decoder(activation=3),
    "activation",
)
wrong(
    "conv_vae_decoder", "type", "filters=str", lambda: ae.conv_vae_decoder(filters="32"), "filters"
)
wrong(
    "interpolation_slider",
    "range",
    "z_start=nan",
    lambda: IS(_decode, np.array([np.nan, 0.0]), np.ones(2)),
    "z_start",
)
wrong(
    "interpolation_slider",
    "type",
    "title=int",
    lambda: IS(_decode, np.zeros(2), np.ones(2), title=3),
    "title",
)
wrong("latent_pad", "enum", "unknown-kwarg", lambda: LP2(_decode, colour="red"), "colour")
wrong(
    "Explorer",
    "type",
    "make_code=None",
    lambda: EX(_decode, None, [("a", 0, 1, 0)], "t"),
    "make_code",
)
wrong(
    "Explorer",
    "range",
    "size_px=0",
    lambda: EX(_decode, lambda a: np.array([a, 0.0]), [("a", 0, 1, 0)], "t", size_px=0),
    "size_px",
)
wrong(
    "Explorer",
    "range",
    "start-outside",
    lambda: EX(_decode, lambda a: np.array([a, 0.0]), [("a", 0, 1, 5)], "t"),
    "start",
)
wrong("setup", "type", "lesson=int", lambda: ae.setup(seed=0, lesson=3), "lesson")
legit("setup", "backends=str", lambda: ae.setup(seed=0, backends="tensorflow"))  # one backend
wrong("compare", "type", "lesson=int", lambda: ae.compare("x", 1.0, lesson=3), "lesson")
legit("record", "baseline=str", lambda: ae.record("x", 1.0, baseline="PCA = 1"))  # documented
wrong(
    "save_model",
    "type",
    "name=int",
    lambda: ae.save_model(ae.linear_autoencoder(4, 2)[0], 3),
    "name",
)
wrong(
    "load_saved_model",
    "type",
    "expect=str",
    lambda: ae.load_saved_model("m", expect="VAE"),
    "expect",
)
wrong(
    "load_shuttle",
    "range",
    "val_fraction=-0.1",
    lambda: ae.load_shuttle(val_fraction=-0.1),
    "val_fraction",
)
wrong(
    "load_mnist",
    "type",
    "flatten=int",
    lambda: ae.load_mnist(10, 10, flatten=1, download=False),
    "flatten",
)
wrong(
    "load_fashion_mnist",
    "type",
    "n_test=list",
    lambda: ae.load_fashion_mnist(10, [10], download=False),
    "n_test",
)
legit(
    "VAE", "numpy-seed", lambda: ae.VAE(small_vae().encoder, small_vae().decoder, seed=np.int64(2))
)
legit("show_images", "int-labels", lambda: ae.show_images(IMGS, labels=[0, 1, 2, 3]))
legit(
    "plot_history",
    "keys",
    lambda: ae.plot_history({"loss": [1.0], "val_loss": [2.0]}, keys=["loss"]),
)
legit("setup", "lesson", lambda: ae.setup(seed=0, lesson="00"))
legit("record", "baseline", lambda: ae.record("wrong_calls_sweep", 1.0, baseline=0.5))
wrong("anomaly_span", "range", "no-anomaly", lambda: ae.anomaly_span(np.zeros(10, int)), "labels")


# ----------------------------------------------------------------------------- running


def _origin_is_ours(err):
    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and str(Path(frames[-1].filename).resolve()).startswith(PACKAGE_DIR)


def _is_signature_error(err):
    """Python's own refusal of an unknown keyword or extra positional argument (names it)."""
    frames = traceback.extract_tb(err.__traceback__)
    return (
        isinstance(err, TypeError)
        and bool(frames)
        and frames[-1].filename == __file__
        and ("argument" in str(err))
    )


def classify(kind, call, token):
    """Run one case; return (outcome, detail)."""
    import matplotlib.pyplot as plt

    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            call()
    except Exception as err:  # noqa: BLE001 - the point is to see every failure
        message = f"{type(err).__name__}: {str(err)[:200]}"
        if kind == "legit":
            return "legit refused", message
        named = token.lower() in str(err).lower()
        ours = _origin_is_ours(err) or _is_signature_error(err)
        return ("clear" if named and ours else "cryptic"), message
    finally:
        plt.close("all")
    return ("legit ok" if kind == "legit" else "silent"), "returned"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    start = time.perf_counter()
    by_kind = defaultdict(Counter)
    by_function = defaultdict(Counter)
    problems = []
    with tempfile.TemporaryDirectory(prefix="wrong-calls-") as tmp:
        os.environ["AEHELPERS_WORKDIR"] = tmp
        os.environ["AEHELPERS_RESULTS"] = str(Path(tmp) / "results.jsonl")
        public = set(ae.__all__)
        skipped = sorted({c[0] for c in CASES if c[0] not in public})
        for function, kind, case_id, call, token in CASES:
            if function not in public:
                continue
            outcome, detail = classify(kind, call, token)
            by_kind[kind][outcome] += 1
            by_function[function][outcome] += 1
            if outcome in ("cryptic", "silent", "legit refused") or "-v" in argv:
                problems.append(f"{outcome:13s} {function}:{kind}:{case_id}: {detail}")
    columns = ("clear", "cryptic", "silent", "legit ok", "legit refused")
    header = f"{'':28s}" + "".join(f"{c:>14s}" for c in columns)
    print("per kind\n" + header)
    for kind in sorted(by_kind):
        print(f"{kind:28s}" + "".join(f"{by_kind[kind][c]:14d}" for c in columns))
    print("\nper function\n" + header)
    for function in sorted(by_function, key=str.lower):
        print(f"{function:28s}" + "".join(f"{by_function[function][c]:14d}" for c in columns))
    total = Counter()
    for counts in by_kind.values():
        total.update(counts)
    n_wrong = total["clear"] + total["cryptic"] + total["silent"]
    print(
        f"\n{n_wrong} wrong calls: clear {total['clear']} ({total['clear'] / n_wrong:.1%}), "
        f"cryptic {total['cryptic']}, silent {total['silent']}; "
        f"{total['legit ok'] + total['legit refused']} legitimate calls: "
        f"{total['legit refused']} refused; {time.perf_counter() - start:.0f} s"
    )
    if skipped:
        print(f"skipped (not in aehelpers.__all__): {', '.join(skipped)}")
    if problems:
        print("\n" + "\n".join(problems))
    return 1 if total["silent"] or total["legit refused"] else 0


if __name__ == "__main__":
    sys.exit(main())
