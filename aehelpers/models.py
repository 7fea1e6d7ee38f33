"""Autoencoder builders: plain Keras 3 models (``keras.layers`` / ``keras.ops`` only).

Every builder returns ``(autoencoder, encoder, decoder)``: the encoder maps x to the
code h = f(x), the decoder maps h to the reconstruction r = g(h), and the autoencoder
is their composition r = g(f(x)), ready to ``compile`` and ``fit(x, x)``.
"""

import keras
from keras import layers

from .validation import check_fraction, check_int, check_widths


def _check_dims(input_dim, code_dim):
    return check_int(input_dim, "input_dim", minimum=1), check_int(code_dim, "code_dim", minimum=1)


def _check_widths(values, name):
    """A tuple of positive ints from an int or a sequence: ``hidden=8`` is ONE layer of width 8."""
    return check_widths(values, name)


def _check_activation(value, name):
    """An activation Keras knows (a name, a callable or None), else a ValueError naming ``name``."""
    if value is None or callable(value):
        return value
    try:
        keras.activations.get(value)
    except (ValueError, TypeError):
        raise ValueError(
            f"{name}={value!r} is not an activation Keras knows; expected e.g. "
            '"relu", "sigmoid", "tanh" or None'
        ) from None
    return value


def _check_regularizer(value, name):
    if value is None:
        return None
    try:
        return keras.regularizers.get(value)
    except (ValueError, TypeError):
        raise ValueError(
            f"{name}={value!r} is not a Keras regularizer; expected e.g. "
            "keras.regularizers.L2(1e-5) or None"
        ) from None


def _compose(encoder, decoder, name):
    inputs = keras.Input(shape=encoder.input_shape[1:])
    return keras.Model(inputs, decoder(encoder(inputs)), name=name)


def linear_autoencoder(input_dim=784, code_dim=32):
    """Linear autoencoder: Z = W1·X + b1, X' = W2·Z + b2 (no activations).

    Args:
        input_dim: int, features per sample (784 for flattened 28x28 images).
        code_dim: int, size of the code Z.

    Returns:
        (autoencoder, encoder, decoder): inputs (n, input_dim) -> (n, input_dim).
    """
    input_dim, code_dim = _check_dims(input_dim, code_dim)
    encoder = keras.Sequential(
        [keras.Input((input_dim,)), layers.Dense(code_dim, name="W1_b1")], name="encoder"
    )
    decoder = keras.Sequential(
        [keras.Input((code_dim,)), layers.Dense(input_dim, name="W2_b2")], name="decoder"
    )
    return _compose(encoder, decoder, "linear_autoencoder"), encoder, decoder


def dense_autoencoder(
    input_dim=784,
    code_dim=32,
    hidden=(256,),
    activation="relu",
    code_activation=None,
    output_activation="sigmoid",
    dropout=0.0,
    kernel_regularizer=None,
    activity_regularizer=None,
):
    """Fully connected autoencoder input -> hidden... -> code -> ...hidden -> input.

    Args:
        input_dim: int, features per sample (784 for flattened 28x28 images).
        code_dim: int, size of the code.
        hidden: tuple of hidden layer widths on the encoder side (mirrored in the decoder);
            an int means ONE hidden layer (``hidden=8`` is ``(8,)``, as in every builder),
            ``()`` none.
        activation: activation of the hidden layers.
        code_activation: activation of the code layer (None: linear code).
        output_activation: "sigmoid" for images in [0, 1], None for unbounded data.
        dropout: dropout rate after each hidden layer (0 disables).
        kernel_regularizer: e.g. ``keras.regularizers.L2(1e-5)``, on every Dense layer.
        activity_regularizer: a penalty on the code activations (sparsity).

    Returns:
        (autoencoder, encoder, decoder): inputs (n, input_dim) -> (n, input_dim).
    """
    input_dim, code_dim = _check_dims(input_dim, code_dim)
    hidden = _check_widths(hidden, "hidden")
    dropout = check_fraction(dropout, "dropout", 0.0, 0.95)
    activation = _check_activation(activation, "activation")
    code_activation = _check_activation(code_activation, "code_activation")
    output_activation = _check_activation(output_activation, "output_activation")
    kernel_regularizer = _check_regularizer(kernel_regularizer, "kernel_regularizer")
    activity_regularizer = _check_regularizer(activity_regularizer, "activity_regularizer")

    def stack(widths):
        out = []
        for width in widths:
            out.append(
                layers.Dense(width, activation=activation, kernel_regularizer=kernel_regularizer)
            )
            if dropout:
                out.append(layers.Dropout(dropout))
        return out

    encoder = keras.Sequential(
        [
            keras.Input((input_dim,)),
            *stack(hidden),
            layers.Dense(
                code_dim,
                activation=code_activation,
                kernel_regularizer=kernel_regularizer,
                activity_regularizer=activity_regularizer,
                name="code",
            ),
        ],
        name="encoder",
    )
    decoder = keras.Sequential(
        [
            keras.Input((code_dim,)),
            *stack(hidden[::-1]),
            layers.Dense(
                input_dim,
                activation=output_activation,
                kernel_regularizer=kernel_regularizer,
                name="reconstruction",
            ),
        ],
        name="decoder",
    )
    return _compose(encoder, decoder, "dense_autoencoder"), encoder, decoder


def conv_autoencoder(input_shape=(28, 28, 1), code_dim=32, filters=(16, 32), kernel_size=3):
    """Convolutional autoencoder with a dense code in the middle.

    Each entry of ``filters`` adds a stride-2 Conv2D (so 28x28 -> 14x14 -> 7x7);
    the decoder mirrors them with Conv2DTranspose and ends in a sigmoid.

    Args:
        input_shape: (h, w, channels), h and w divisible by 2**len(filters).
        code_dim: int, size of the code (None keeps the last feature map as the code).
        filters: tuple of filter counts, one per down-sampling step.
        kernel_size: int, convolution kernel size.

    Returns:
        (autoencoder, encoder, decoder): inputs (n, h, w, c) -> (n, h, w, c).
    """
    if (
        isinstance(input_shape, (str, bytes))
        or not hasattr(input_shape, "__len__")
        or len(input_shape) != 3
    ):
        raise ValueError(
            f"input_shape must be (height, width, channels), e.g. (28, 28, 1), got {input_shape!r}"
        )
    h, w, c = (check_int(v, "input_shape entry", minimum=1) for v in input_shape)
    filters = _check_widths(filters, "filters")
    if not filters:
        raise ValueError("filters must name at least one convolution, e.g. (16, 32)")
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    step = 2 ** len(filters)
    if h % step or w % step:
        raise ValueError(
            f"input_shape {input_shape} must have height and width divisible by {step} "
            f"for {len(filters)} stride-2 layers"
        )
    fh, fw = h // step, w // step
    enc_layers = [keras.Input((h, w, c))]
    for f in filters:
        enc_layers.append(
            layers.Conv2D(f, kernel_size, strides=2, padding="same", activation="relu")
        )
    if code_dim is not None:
        code_dim = check_int(code_dim, "code_dim", minimum=1)
        enc_layers += [layers.Flatten(), layers.Dense(code_dim, name="code")]
    encoder = keras.Sequential(enc_layers, name="encoder")

    dec_layers = [keras.Input((code_dim,) if code_dim is not None else (fh, fw, filters[-1]))]
    if code_dim is not None:
        dec_layers += [
            layers.Dense(fh * fw * filters[-1], activation="relu"),
            layers.Reshape((fh, fw, filters[-1])),
        ]
    for f in filters[::-1]:
        dec_layers.append(
            layers.Conv2DTranspose(f, kernel_size, strides=2, padding="same", activation="relu")
        )
    dec_layers.append(layers.Conv2D(c, kernel_size, padding="same", activation="sigmoid"))
    decoder = keras.Sequential(dec_layers, name="decoder")
    return _compose(encoder, decoder, "conv_autoencoder"), encoder, decoder
