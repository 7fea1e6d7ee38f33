"""Unit tests for the autoencoder builders (tiny models, seconds)."""

import keras
import numpy as np
import pytest

import aehelpers as ae


def _layer_widths(model):
    return [layer.units for layer in model.layers if isinstance(layer, keras.layers.Dense)]


@pytest.mark.parametrize("builder", [ae.linear_autoencoder, ae.dense_autoencoder])
def test_dense_builders_map_input_to_code_and_back(builder):
    model, encoder, decoder = builder(input_dim=20, code_dim=3)
    x = np.random.default_rng(0).random((5, 20)).astype("float32")
    assert encoder(x).shape == (5, 3)
    assert decoder(encoder(x)).shape == (5, 20)
    assert model(x).shape == (5, 20)
    assert model.input_shape == (None, 20) and model.output_shape == (None, 20)


def test_dense_autoencoder_mirrors_hidden_layers_around_the_code():
    _, encoder, decoder = ae.dense_autoencoder(input_dim=30, code_dim=4, hidden=(16, 8))
    assert _layer_widths(encoder) == [16, 8, 4]
    assert _layer_widths(decoder) == [8, 16, 30]


def test_dense_autoencoder_accepts_one_int_or_no_hidden_layers():
    _, encoder, _ = ae.dense_autoencoder(input_dim=30, code_dim=4, hidden=12)
    assert _layer_widths(encoder) == [12, 4]
    _, encoder, decoder = ae.dense_autoencoder(input_dim=30, code_dim=4, hidden=())
    assert _layer_widths(encoder) == [4] and _layer_widths(decoder) == [30]


def test_dense_autoencoder_output_is_sigmoid_bounded_and_code_activation_applies():
    model, encoder, _ = ae.dense_autoencoder(input_dim=10, code_dim=2, code_activation="relu")
    x = np.random.default_rng(1).normal(size=(50, 10)).astype("float32") * 10
    out = keras.ops.convert_to_numpy(model(x))
    assert out.min() >= 0 and out.max() <= 1
    assert keras.ops.convert_to_numpy(encoder(x)).min() >= 0


def test_dense_autoencoder_adds_dropout_and_regularizers_when_asked():
    reg = keras.regularizers.L2(1e-3)
    model, encoder, _ = ae.dense_autoencoder(
        input_dim=10,
        code_dim=2,
        hidden=(6,),
        dropout=0.3,
        kernel_regularizer=reg,
        activity_regularizer=keras.regularizers.L1(1e-3),
    )
    assert any(isinstance(layer, keras.layers.Dropout) for layer in encoder.layers)
    x = np.ones((4, 10), "float32")
    model(x)
    assert len(model.losses) >= 4  # one weight penalty per Dense layer + the activity penalty


def test_linear_autoencoder_has_no_activations():
    _, encoder, decoder = ae.linear_autoencoder(input_dim=8, code_dim=2)
    for layer in encoder.layers + decoder.layers:
        assert layer.activation is keras.activations.linear


@pytest.mark.parametrize("code_dim", [16, None])
def test_conv_autoencoder_shapes(code_dim):
    model, encoder, decoder = ae.conv_autoencoder((28, 28, 1), code_dim=code_dim, filters=(4, 8))
    x = np.random.default_rng(2).random((3, 28, 28, 1)).astype("float32")
    code = encoder(x)
    assert code.shape == ((3, 16) if code_dim else (3, 7, 7, 8))
    assert decoder(code).shape == (3, 28, 28, 1)
    assert model(x).shape == (3, 28, 28, 1)


@pytest.mark.parametrize(
    ("kwargs", "error", "expected"),
    [
        (dict(code_dim=0), ValueError, "code_dim must be >= 1"),
        (dict(code_dim=2.5), TypeError, "code_dim must be an integer"),
        (dict(input_dim=-1), ValueError, "input_dim must be >= 1"),
        (dict(hidden=(0,)), ValueError, "hidden entry must be >= 1"),
        (dict(hidden="256"), TypeError, "hidden must be an int or a tuple of ints"),
        (dict(dropout=1.5), ValueError, "dropout must be in [0.0, 0.95]"),
    ],
)
def test_dense_autoencoder_rejects_bad_arguments_with_a_clear_message(kwargs, error, expected):
    with pytest.raises(error, match=expected.replace("[", r"\[").replace("]", r"\]")):
        ae.dense_autoencoder(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (dict(input_shape=(28, 28)), "input_shape must be (height, width, channels)"),
        (dict(input_shape=(30, 30, 1), filters=(4, 8)), "divisible by 4"),
        (dict(filters=()), "filters must name at least one convolution"),
        (dict(kernel_size=0), "kernel_size must be >= 1"),
    ],
)
def test_conv_autoencoder_rejects_bad_arguments_with_a_clear_message(kwargs, expected):
    with pytest.raises(ValueError) as info:
        ae.conv_autoencoder(**kwargs)
    assert expected in str(info.value)


def test_linear_autoencoder_rejects_a_zero_code():
    with pytest.raises(ValueError, match="code_dim must be >= 1"):
        ae.linear_autoencoder(input_dim=10, code_dim=0)
