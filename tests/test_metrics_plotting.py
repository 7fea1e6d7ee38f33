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
    fig = ae.show_images(
        np.random.default_rng(0).random((12, 784)), labels=list("abcdefghijkl"), ncols=6
    )
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


# Machado, Oliveira & Fernandes (2009), severity 1: linear-RGB matrices of the three dichromacies.
_CVD = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def _simulated(hex_colour, kind):
    srgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    out = np.clip(np.array(_CVD[kind]) @ linear, 0, 1)
    return np.where(out <= 0.0031308, 12.92 * out, 1.055 * out ** (1 / 2.4) - 0.055)  # back to sRGB


def _closest_pair(colours, kind):
    return min(
        np.linalg.norm(_simulated(a, kind) - _simulated(b, kind))
        for i, a in enumerate(colours)
        for b in colours[i + 1 :]
    )


def test_curve_colours_stay_apart_for_colour_blind_readers():
    from aehelpers.plotting import CURVE_COLOURS

    red_green = ("#2ca02c", "#d62728")  # matplotlib's default green and red (C2, C3)
    assert (
        _closest_pair(red_green, "deuteranopia") < 0.15
    )  # the simulation does catch a red/green pair
    for kind in _CVD:
        assert _closest_pair(CURVE_COLOURS, kind) > 0.15, kind


def test_plot_history_tells_validation_from_training_without_colour():
    fig = ae.plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]})
    train, val = fig.axes[0].get_lines()
    assert train.get_color() == val.get_color()  # one colour per metric ...
    assert (train.get_linestyle(), train.get_marker()) != (
        val.get_linestyle(),
        val.get_marker(),
    )  # ... told apart by style
    import matplotlib.pyplot as plt

    plt.close(fig)
