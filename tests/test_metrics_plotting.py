import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import aehelpers as ae  # noqa: E402


def test_mse_per_sample_is_one_number_per_image():
    x = np.zeros((3, 28, 28), np.float32)
    r = np.full((3, 28, 28), 0.5, np.float32)
    assert np.allclose(ae.mse_per_sample(x, r), [0.25] * 3)


@pytest.mark.parametrize(
    "x, r, message",
    [
        (np.zeros((3, 4)), np.zeros((3, 5)), "expected the same shape"),
        (np.full((2, 4), np.nan), np.zeros((2, 4)), "NaN"),
        (np.array([["a", "b"]]), np.zeros((1, 2)), "real numbers"),
    ],
)
def test_mse_per_sample_rejects_bad_input(x, r, message):
    with pytest.raises((ValueError, TypeError), match=message):
        ae.mse_per_sample(x, r)


def test_pca_baseline_is_exact_on_data_of_low_rank():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3)) @ rng.normal(size=(3, 16))
    result = ae.pca_baseline(x[:150], x[150:], code_dim=3)
    assert result.mse < 1e-10 and result.reconstruction.shape == (50, 16)
    assert ae.pca_baseline(x[:150], x[150:], code_dim=1).mse > 0.01


def test_pca_baseline_rejects_too_many_components():
    with pytest.raises(ValueError, match="code_dim must be <= 10"):
        ae.pca_baseline(np.zeros((10, 20)), np.zeros((2, 20)), code_dim=11)


def test_principal_angles_see_shared_and_orthogonal_directions():
    eye = np.eye(4)
    assert np.allclose(ae.principal_angles(eye[:, :2], eye[:, :2] @ [[1, 1], [0, 1]]), 0, atol=1e-6)
    assert np.allclose(ae.principal_angles(eye[:, :2], eye[:, 2:]), 90)
    with pytest.raises(ValueError, match="dimensional columns"):
        ae.principal_angles(np.eye(4), np.eye(3))


def test_show_images_accepts_flat_images_and_checks_range():
    fig = ae.show_images(np.random.default_rng(0).random((12, 784)), labels=list("abcdefghijkl"), ncols=6)
    assert len(fig.axes) == 12
    plt.close(fig)
    with pytest.raises(ValueError, match="divide by 255"):
        ae.show_images(np.full((2, 28, 28), 255.0))
    with pytest.raises(ValueError, match="looks like ONE image without the batch axis"):
        ae.show_images(np.zeros((2, 10)))


def test_show_reconstructions_one_row_per_model():
    x = np.random.default_rng(0).random((5, 28, 28))
    fig = ae.show_reconstructions(x, {"a": x, "b": x.reshape(5, 784)}, n=4)
    assert len(fig.axes) == 3 * 4
    plt.close(fig)
    with pytest.raises(ValueError, match="expected the originals' shape"):
        ae.show_reconstructions(x, {"a": x[:3]})


def test_plot_history_names_missing_curves():
    fig = ae.plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]})
    plt.close(fig)
    with pytest.raises(ValueError, match="it holds"):
        ae.plot_history({"loss": [1.0]}, keys=["val_loss"])
