"""Latent explorers (aehelpers.explorer): live decoding, fallbacks, and argument checks."""

import builtins

import keras
import numpy as np
import pytest
from keras import layers

import aehelpers as ae
from aehelpers import explorer


def _decoder(dim=2):
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [keras.Input((dim,)), layers.Dense(16 * 16, activation="sigmoid"), layers.Reshape((16, 16))]
    )


def test_moving_a_slider_redraws_a_different_image():
    pad = ae.latent_pad(
        _decoder(), ranges=((-3, 3), (-3, 3))
    )  # a Keras model as the decoder, any backend
    before = pad.png
    pad.set(z1=2.5)
    assert pad.png != before
    assert not np.allclose(pad.output(), pad.output(z1=-2.5))
    if pad.widget is not None:  # ipywidgets installed: the widget's image follows the slider
        assert pad._image.value == pad.png
        pad._controls["z2"].value = -2.0
        assert pad.values["z2"] == -2.0 and pad._image.value == pad.png


def test_interpolation_ends_are_the_two_codes():
    a, b = np.array([1.0, -1.0, 0.5]), np.array([-2.0, 0.0, 1.0])
    seen = []

    def decode(z):
        seen.append(np.array(z))
        return np.tile(z[:, :1], (1, 64))  # a "sequence" output

    walk = ae.interpolation_slider(decode, a, b, kind="sequence", vmin=-3, vmax=3)
    np.testing.assert_allclose(walk.code(t=0.0), a)
    np.testing.assert_allclose(walk.code(t=1.0), b)
    np.testing.assert_allclose(walk.code(t=0.5), (a + b) / 2)
    assert walk.output(t=1.0).shape == (64,)


def test_direction_slider_adds_alpha_times_the_direction():
    z, d = np.zeros(4), np.array([1.0, 0.0, 2.0, 0.0])
    edit = ae.direction_slider(lambda c: np.ones((len(c), 8, 8)) * 0.5, z, d, alphas=(-1, 2))
    np.testing.assert_allclose(edit.code(alpha=1.5), 1.5 * d)
    assert edit.values["alpha"] == 0.0


def test_static_figure_has_one_row_per_slider():
    import matplotlib.pyplot as plt

    fig = ae.latent_pad(_decoder()).static_figure(positions=4)
    assert len(fig.axes) == 2 * 4
    plt.close(fig)


def test_display_bundle_carries_a_static_png_and_the_widget(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw=False: shown.append(data))
    pad = ae.latent_pad(_decoder())
    pad._ipython_display_()
    assert "image/png" in shown[0]
    assert ("application/vnd.jupyter.widget-view+json" in shown[0]) == (pad.widget is not None)


def test_without_ipywidgets_it_degrades_to_the_figure(monkeypatch):
    real_import = builtins.__import__

    def no_widgets(name, *args, **kwargs):
        if name == "ipywidgets":
            raise ImportError("no ipywidgets here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_widgets)
    assert explorer._widgets() is None
    pad = ae.latent_pad(_decoder())
    assert pad.widget is None
    before = pad.png
    assert pad.set(z2=1.0).png != before  # still usable from code


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ae.latent_pad("not a decoder"), "decode must be"),
        (lambda: ae.latent_pad(_decoder(), ranges=((1, -1), (-3, 3))), "high"),
        (lambda: ae.interpolation_slider(_decoder(3), np.zeros(3), np.zeros(4)), "z_end has 4"),
        (
            lambda: ae.direction_slider(_decoder(), np.zeros(2), np.array([np.nan, 1.0])),
            "direction",
        ),
        (lambda: ae.latent_pad(_decoder()).set(z3=1.0), "no slider 'z3'"),
        (lambda: ae.latent_pad(_decoder()).set(z1=9.0), "z1"),
        (lambda: ae.latent_pad(lambda z: np.zeros(5)), "expected a batch"),
    ],
)
def test_bad_arguments_get_clear_errors(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
