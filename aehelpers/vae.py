"""A variational autoencoder (VAE) that trains on every Keras 3 backend, measured in nats.

The model (Kingma & Welling 2014) for binary images x (pixels in {0, 1}):

- prior p(z) = N(0, I), z has ``latent_dim`` dimensions;
- decoder p(x|z) = prod_j Bernoulli(x_j; sigmoid(l_j)), the decoder outputs the logits l;
- encoder q(z|x) = N(mu(x), diag(exp(log_var(x)))).

Training maximises the evidence lower bound, per image, in nats::

    ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || p(z))  <=  log p(x)

The loss is ``reconstruction + beta * kl`` with ``reconstruction = -log p(x|z)`` summed over
pixels and ``kl`` summed over latent dimensions (both per image), averaged over the batch.
With ``beta = 1`` the loss is -ELBO.

Everything is ``keras.ops`` / ``keras.random`` / ``keras.layers``, so the same code runs on
TensorFlow, JAX and PyTorch. Typical use::

    encoder = dense_vae_encoder(latent_dim=20)        # (n, 28, 28) -> [(n, 20), (n, 20)]
    decoder = dense_vae_decoder(latent_dim=20)        # (n, 20) -> logits (n, 28, 28)
    vae = VAE(encoder, decoder)
    vae.compile(optimizer="adam")
    vae.fit(DynamicBinarization(x_train, batch_size=100), epochs=10,
            validation_data=(binarize(x_val, seed=1),), verbose=0)  # held out of training, not test
    elbo = elbo_per_image(vae, binarize(x_test, seed=0))   # (n,), nats, higher is better
    nll = iwae_nll(vae, binarize(x_test, seed=0), k=100)  # (n,), nats, lower is better
"""

import math
import numbers

import keras
import numpy as np
from keras import layers, ops

from .models import _check_activation
from .validation import check_array, check_bool, check_fraction, check_int, check_widths

LOG_2PI = math.log(2.0 * math.pi)


# ----------------------------------------------------------------------------- data


def binarize(x, seed=0):
    """Draw binary images: each pixel is 1 with probability equal to its grey level.

    Args:
        x: float array (n, ...) with values in [0, 1] (grey images).
        seed: int, seeds the draw (the same seed gives the same binary images).

    Returns:
        float32 array with the shape of ``x`` and values in {0, 1}.
    """
    x = check_array(x, "x", min_value=0.0, max_value=1.0)
    seed = check_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    return (rng.random(x.shape, dtype=np.float32) < x).astype(np.float32)


class DynamicBinarization(keras.utils.PyDataset):
    """Training batches of grey images, binarised afresh every time they are drawn.

    Dynamic binarisation (a new Bernoulli draw of every pixel each epoch) is the standard
    way to train Bernoulli VAEs on MNIST; it acts as data augmentation. Use it as the
    ``x`` of ``fit`` (it yields inputs only: a VAE needs no targets)::

        vae.fit(DynamicBinarization(x_train, batch_size=100), epochs=20)

    A conditional model that also takes the class (``fit`` on ``[images, labels]``) gets
    its labels along with each batch: ``DynamicBinarization(x_train, labels=one_hot)``
    yields ``[binary_images, labels]``.

    Args:
        x: float array (n, ...) with values in [0, 1].
        batch_size: int, images per batch (the last batch may be smaller).
        seed: int, seeds the shuffling and the binarisation.
        shuffle: reshuffle the images every epoch.
        labels: optional array (n, ...) passed along unchanged as a second input
            (e.g. one-hot classes (n, 10)); None: batches are images only.
    """

    def __init__(self, x, batch_size=100, seed=0, shuffle=True, labels=None):
        super().__init__()
        self.x = check_array(x, "x", ndim=(2, 3, 4), min_value=0.0, max_value=1.0)
        self.labels = None
        if labels is not None:
            self.labels = check_array(labels, "labels")
            if len(self.labels) != len(self.x):
                raise ValueError(
                    f"labels has {len(self.labels)} rows but x has {len(self.x)}; expected one "
                    "label row per image"
                )
        self.batch_size = check_int(batch_size, "batch_size", minimum=1)
        self.shuffle = check_bool(shuffle, "shuffle")
        self._rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
        self._order = self._rng.permutation(len(self.x)) if self.shuffle else np.arange(len(self.x))

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        idx = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        grey = self.x[idx]
        binary = (self._rng.random(grey.shape, dtype=np.float32) < grey).astype(np.float32)
        if self.labels is None:
            return binary
        return ((binary, self.labels[idx]),)  # one input: the pair [images, labels]

    def on_epoch_end(self):
        if self.shuffle:
            self._order = self._rng.permutation(len(self.x))


def _check_binary(x, name="x"):
    x = check_array(x, name, ndim=(2, 3, 4), min_value=0.0, max_value=1.0)
    if not np.all((x == 0) | (x == 1)):
        raise ValueError(
            f"{name} has grey values; a Bernoulli likelihood in nats needs binary images "
            "(values 0 or 1): draw them with ae.binarize(x, seed=0)"
        )
    return x


def _check_unit_range(x, name):
    """Refuse arrays (or the image part of [images, labels]) outside [0, 1]; pass datasets."""
    images = x[0] if isinstance(x, (tuple, list)) and x else x
    if not isinstance(images, np.ndarray) and not hasattr(images, "shape"):
        return  # a keras.utils.PyDataset, a backend dataset or a generator: it checks its own data
    arr = ops.convert_to_numpy(images) if not isinstance(images, np.ndarray) else images
    if arr.size and (float(np.min(arr)) < 0.0 or float(np.max(arr)) > 1.0):
        hint = " (divide by 255)" if float(np.max(arr)) > 1.5 else ""
        raise ValueError(
            f"{name} has values in [{float(np.min(arr)):.4g}, {float(np.max(arr)):.4g}]; the VAE's "
            f"Bernoulli decoder models images in [0, 1]{hint}, binarised with "
            "ae.binarize(x) or ae.DynamicBinarization(x)"
        )


def _latent_size(shape):
    """Last axis of a model's (first) input or output shape."""
    if isinstance(shape, list):
        shape = shape[0]
    return int(shape[-1])


def _check_latent_sizes(encoder, decoder):
    """The encoder's two heads and the decoder's (first) input must have one latent size."""
    enc_out = encoder.output_shape if encoder.built else None
    if enc_out is None:
        return
    if not isinstance(enc_out, list) or len(enc_out) != 2:
        raise ValueError(
            f"encoder outputs {enc_out}; expected two outputs [z_mean, z_log_var], "
            "each (n, latent_dim)"
        )
    mean_dim, log_var_dim = _latent_size([enc_out[0]]), _latent_size([enc_out[1]])
    if mean_dim != log_var_dim:
        raise ValueError(
            f"encoder outputs z_mean with {mean_dim} and z_log_var with {log_var_dim} "
            "dimensions; expected the same latent size for both"
        )
    if decoder.built:
        dec_dim = _latent_size(decoder.input_shape)
        if dec_dim != mean_dim:
            raise ValueError(
                f"encoder latent size is {mean_dim} but decoder takes codes of size {dec_dim}; "
                "build both with the same latent_dim"
            )


# ----------------------------------------------------------------------------- layers


@keras.saving.register_keras_serializable(package="aehelpers")
class Sampling(layers.Layer):
    """The reparameterisation trick: z = mu + sigma * eps with eps ~ N(0, I).

    The noise comes from ``keras.random`` with a ``SeedGenerator`` owned by the layer,
    so it is fresh at every call (also inside a compiled training step) on every backend.

    Call args: ``[z_mean, z_log_var]``, two float tensors (n, latent_dim).
    Returns: z, float tensor (n, latent_dim).

    Args:
        seed: int or None (None: drawn from the global seed set by ``keras.utils.set_random_seed``).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = None if seed is None else check_int(seed, "seed", minimum=0)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * eps

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


# ----------------------------------------------------------------------------- the model


def bernoulli_nll(x, logits):
    """-log p(x|z) of binary images under independent Bernoulli pixels, per image, in nats.

    Args:
        x: tensor (n, ...) with values in {0, 1}.
        logits: tensor with the shape of ``x``, decoder logits (sigmoid(logits) = P(pixel = 1)).

    Returns:
        tensor (n,): the cross-entropy summed over all pixels of each image.
    """
    per_pixel = ops.binary_crossentropy(x, logits, from_logits=True)
    return ops.sum(ops.reshape(per_pixel, (ops.shape(per_pixel)[0], -1)), axis=-1)


def gaussian_kl(z_mean, z_log_var):
    """KL(N(mu, diag(exp(log_var))) || N(0, I)) per image, summed over latent dims, in nats.

    Args:
        z_mean, z_log_var: tensors (n, latent_dim).

    Returns:
        tensor (n,).
    """
    return 0.5 * ops.sum(ops.exp(z_log_var) + ops.square(z_mean) - 1.0 - z_log_var, axis=-1)


@keras.saving.register_keras_serializable(package="aehelpers")
class VAE(keras.Model):
    """Variational autoencoder with a Bernoulli decoder, trained on -ELBO (+ beta weighting).

    ``call(x)`` returns a dict of tensors (so ``predict`` returns the same keys as arrays):

    - ``"z_mean"``, ``"z_log_var"``: (n, latent_dim), the encoder's q(z|x);
    - ``"z"``: (n, latent_dim), one sample from q(z|x) (reparameterised);
    - ``"logits"``: decoder logits for that z, shape of x;
    - ``"reconstruction"``: sigmoid(logits), pixel probabilities in [0, 1], shape of x.

    ``loss_terms(x, y_pred)`` gives the two terms per image, ``(reconstruction, kl)``, each
    (n,) in nats; ``compute_loss`` returns the mean over the batch of
    ``reconstruction + kl_weight * kl`` (weighted by ``sample_weight`` when ``fit`` gets one)
    plus any ``add_loss`` / regulariser terms (``self.losses``). ``kl_weight`` is ``beta``
    unless a :class:`KLWarmup` is ramping it. For another likelihood or prior, a subclass
    overrides ``loss_terms`` only and keeps the weighting, ``self.losses`` and the metrics.
    Metrics (``fit`` / ``evaluate`` logs, also ``val_*``): ``loss`` (Keras's own tracker of
    what ``compute_loss`` returns), ``reconstruction`` (-log p(x|z), nats per image) and
    ``kl`` (nats per image). With ``beta=1``, ``-(reconstruction + kl)`` is the ELBO estimate.

    Args:
        encoder: keras.Model x (n, *image_shape) -> [z_mean, z_log_var], each (n, latent_dim),
            e.g. from :func:`dense_vae_encoder` or :func:`conv_vae_encoder`.
        decoder: keras.Model z (n, latent_dim) -> logits (n, *image_shape),
            e.g. from :func:`dense_vae_decoder` or :func:`conv_vae_decoder`.
        beta: float >= 0, weight of the KL term (1: the true ELBO; >1: a beta-VAE). Fixed
            once the model is compiled (build a new model to change it).
        seed: int or None, seeds the sampling layer.

    Example:
        >>> vae = VAE(dense_vae_encoder(latent_dim=2), dense_vae_decoder(latent_dim=2))
        >>> vae.compile(optimizer="adam")
        >>> history = vae.fit(x_binary, epochs=5, batch_size=100, verbose=0)  # doctest: +SKIP
    """

    def __init__(self, encoder, decoder, beta=1.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(encoder, keras.Model) or not isinstance(decoder, keras.Model):
            raise TypeError(
                f"encoder and decoder must be keras.Model objects, got "
                f"{type(encoder).__name__} and {type(decoder).__name__}"
            )
        _check_latent_sizes(encoder, decoder)
        self.encoder = encoder
        self.decoder = decoder
        self.beta = check_fraction(beta, "beta", 0.0, 1e6)
        self.seed = seed
        self.sampling = Sampling(seed=seed, name="sampling")
        # The weight of the KL term in the loss: beta, unless a KLWarmup callback ramps it.
        # A variable (not a float) so a compiled training step sees changes on every backend.
        self.kl_weight = keras.Variable(
            self.beta, trainable=False, dtype="float32", name="kl_weight"
        )
        # Trackers are attributes created here, so Keras tracks their state on every
        # backend (held anywhere else they silently stay at 0 under JAX).
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")

    @property
    def latent_dim(self):
        """Number of latent dimensions (int): the size of the decoder's (first) input."""
        return _latent_size(self.decoder.input_shape)

    @property
    def image_shape(self):
        """Shape of one image, as the encoder takes it and the decoder returns it (tuple)."""
        return tuple(self.decoder.output_shape[1:])

    def call(self, x, training=False):
        z_mean, z_log_var = self.encoder(x, training=training)
        z = self.sampling([z_mean, z_log_var])
        logits = self.decoder(z, training=training)
        return {
            "z_mean": z_mean,
            "z_log_var": z_log_var,
            "z": z,
            "logits": logits,
            "reconstruction": ops.sigmoid(logits),
        }

    def loss_terms(self, x, y_pred):
        """The two terms of the loss, per image: override this for another likelihood or prior.

        Args:
            x: the model's input, as ``call`` takes it: images (n, *image_shape) here (a
                subclass may take e.g. ``[images, labels]``).
            y_pred: the dict ``call(x)`` returns (``"z_mean"``, ``"z_log_var"``, ``"logits"``...).

        Returns:
            (reconstruction, kl): two tensors (n,), nats per image. ``reconstruction`` is
            -log p(x|z) summed over pixels, ``kl`` is KL(q(z|x) || p(z)) summed over latent
            dimensions. :meth:`compute_loss` weighs, averages and logs them.

        :func:`elbo_per_image` and :func:`iwae_nll` do not call this: they measure the
        Bernoulli decoder and N(0, I) prior written here, whatever a subclass overrides.
        """
        recon = bernoulli_nll(ops.cast(x, y_pred["logits"].dtype), y_pred["logits"])
        return recon, gaussian_kl(y_pred["z_mean"], y_pred["z_log_var"])

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Mean over the batch of reconstruction + kl_weight * kl (nats per image), + self.losses.

        The terms come from :meth:`loss_terms`. ``kl_weight`` is ``beta`` unless a
        :class:`KLWarmup` callback is ramping it up; ``sample_weight`` (n,) weighs the images.
        """
        if y_pred is None:
            y_pred = self(x, training=training)
        recon, kl = self.loss_terms(x, y_pred)  # (n,), (n,)
        per_image = recon + ops.cast(self.kl_weight, recon.dtype) * kl
        if sample_weight is not None:
            w = ops.cast(ops.reshape(sample_weight, (-1,)), per_image.dtype)
            loss = ops.sum(per_image * w) / ops.maximum(ops.sum(w), 1e-12)
        else:
            loss = ops.mean(per_image)
        # Overriding compute_loss bypasses Keras's handling of add_loss terms and
        # regularisers: add them here, or they are silently dropped.
        for extra in self.losses:
            loss = loss + ops.cast(ops.sum(extra), loss.dtype)
        self.reconstruction_tracker.update_state(recon, sample_weight=sample_weight)
        self.kl_tracker.update_state(kl, sample_weight=sample_weight)
        return loss

    def fit(self, x=None, *args, validation_data=None, **kwargs):
        """``keras.Model.fit``, refusing images that are not scaled to [0, 1] first.

        A Bernoulli decoder models pixels in {0, 1}: 0-255 images would give a loss that
        is meaningless (and large), so they are refused with a message instead.

        ``kl_weight`` is back at ``beta`` when ``fit`` returns or stops, also on an interrupt
        or an error: a :class:`KLWarmup` (or any callback that ramps it) changes it for the
        length of the call only, so a later ``fit`` or ``evaluate`` never uses a warm-up value.
        """
        _check_unit_range(x, "x")
        if isinstance(validation_data, (tuple, list)) and validation_data:
            _check_unit_range(validation_data[0], "validation_data[0]")
        try:
            return super().fit(x, *args, validation_data=validation_data, **kwargs)
        finally:
            self.kl_weight.assign(self.beta)

    # -- NumPy conveniences for lessons (batched, eager, any backend) -------------------

    def encode(self, x, batch_size=256):
        """Parameters of q(z|x).

        Args:
            x: float array (n, *image_shape), values in [0, 1].

        Returns:
            (z_mean, z_log_var): float32 NumPy arrays (n, latent_dim).
        """
        x = check_array(x, "x", min_value=0.0, max_value=1.0)
        self._check_image_shape(x)
        means, log_vars = [], []
        for start in range(0, len(x), check_int(batch_size, "batch_size", minimum=1)):
            m, lv = self.encoder(x[start : start + batch_size], training=False)
            means.append(ops.convert_to_numpy(m))
            log_vars.append(ops.convert_to_numpy(lv))
        return np.concatenate(means), np.concatenate(log_vars)

    def decode(self, z, batch_size=256):
        """Pixel probabilities sigmoid(decoder(z)).

        Args:
            z: float array (n, latent_dim).

        Returns:
            float32 NumPy array (n, *image_shape) in [0, 1].
        """
        z = check_array(z, "z", ndim=2)
        if z.shape[1] != self.latent_dim:
            raise ValueError(f"z has shape {z.shape}; expected (n, {self.latent_dim})")
        out = []
        for start in range(0, len(z), check_int(batch_size, "batch_size", minimum=1)):
            logits = self.decoder(z[start : start + batch_size], training=False)
            out.append(ops.convert_to_numpy(ops.sigmoid(logits)))
        return np.concatenate(out)

    def reconstruct(self, x, batch_size=256):
        """Decode the posterior means: (n, *image_shape) probabilities in [0, 1]."""
        return self.decode(self.encode(x, batch_size)[0], batch_size)

    def sample(self, n, seed=0):
        """Generate images: z ~ N(0, I), returns pixel probabilities (n, *image_shape)."""
        n = check_int(n, "n", minimum=1)
        z = np.random.default_rng(check_int(seed, "seed", minimum=0)).standard_normal(
            (n, self.latent_dim)
        )
        return self.decode(z.astype(np.float32))

    def _check_image_shape(self, x):
        if tuple(x.shape[1:]) != self.image_shape:
            raise ValueError(
                f"x has shape {x.shape}; expected (n, {', '.join(map(str, self.image_shape))})"
            )

    def get_config(self):
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "beta": self.beta,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("encoder", "decoder"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


class KLWarmup(keras.callbacks.Callback):
    """KL warm-up (Bowman et al. 2016; Sonderby et al. 2016): ramp the KL weight from 0.

    In epoch e (counted from 0) the loss is reconstruction + w * KL with
    w = beta * min(1, e / epochs): the first epoch trains a plain autoencoder, and the KL
    term reaches its full weight ``beta`` after ``epochs`` epochs. Early in training this
    keeps the KL term from switching latent units off before the decoder learned to use
    them (posterior collapse).

    Args:
        epochs: int >= 1, epochs until the KL weight reaches ``beta``.

    Example:
        >>> vae.fit(data, epochs=30, callbacks=[KLWarmup(epochs=10)])  # doctest: +SKIP
    """

    def __init__(self, epochs):
        super().__init__()
        self.epochs = check_int(epochs, "epochs", minimum=1)

    def on_train_begin(self, logs=None):
        if not isinstance(self.model, VAE):
            raise TypeError(
                f"KLWarmup works with an aehelpers VAE, got {type(self.model).__name__}"
            )

    def on_epoch_begin(self, epoch, logs=None):
        self.model.kl_weight.assign(self.model.beta * min(1.0, epoch / self.epochs))

    def on_train_end(self, logs=None):
        self.model.kl_weight.assign(self.model.beta)


# ----------------------------------------------------------------------------- builders


def _image_shape(image_shape):
    if isinstance(image_shape, numbers.Integral) and not isinstance(image_shape, bool):
        image_shape = (image_shape,)  # 784 is (784,), as an int hidden width is one layer
    if isinstance(image_shape, (str, bytes)) or not hasattr(image_shape, "__iter__"):
        raise TypeError(f"image_shape must be a tuple of ints, e.g. (28, 28); got {image_shape!r}")
    shape = tuple(check_int(v, "image_shape entry", minimum=1) for v in image_shape)
    if not shape:
        raise ValueError("image_shape is empty; expected e.g. (28, 28)")
    return shape


def _heads(h, latent_dim):
    z_mean = layers.Dense(latent_dim, name="z_mean")(h)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
    return z_mean, z_log_var


def dense_vae_encoder(image_shape=(28, 28), latent_dim=20, hidden=(512, 256), activation="relu"):
    """MLP encoder x -> [z_mean, z_log_var] (the 784-512-256-z network of the lesson).

    Args:
        image_shape: shape of one image, e.g. (28, 28) or (784,).
        latent_dim: int, size of z.
        hidden: widths of the hidden Dense layers (an int is one layer: ``8`` == ``(8,)``).
        activation: activation of the hidden layers.

    Returns:
        keras.Model (n, *image_shape) -> [(n, latent_dim), (n, latent_dim)].
    """
    image_shape = _image_shape(image_shape)
    latent_dim = check_int(latent_dim, "latent_dim", minimum=1)
    activation = _check_activation(activation, "activation")
    inputs = keras.Input(image_shape)
    h = layers.Flatten()(inputs)
    for width in check_widths(hidden, "hidden"):
        h = layers.Dense(width, activation=activation)(h)
    return keras.Model(inputs, list(_heads(h, latent_dim)), name="encoder")


def dense_vae_decoder(image_shape=(28, 28), latent_dim=20, hidden=(256, 512), activation="relu"):
    """MLP decoder z -> Bernoulli logits.

    Args:
        image_shape: shape of one image, e.g. (28, 28) or (784,).
        latent_dim: int, size of z.
        hidden: widths of the hidden Dense layers (mirror of the encoder).
        activation: activation of the hidden layers.

    Returns:
        keras.Model (n, latent_dim) -> logits (n, *image_shape) (no sigmoid: the loss
        works on logits, for numerical stability).
    """
    image_shape = _image_shape(image_shape)
    latent_dim = check_int(latent_dim, "latent_dim", minimum=1)
    activation = _check_activation(activation, "activation")
    inputs = keras.Input((latent_dim,))
    h = inputs
    for width in check_widths(hidden, "hidden"):
        h = layers.Dense(width, activation=activation)(h)
    logits = layers.Dense(int(np.prod(image_shape)), name="logits")(h)
    return keras.Model(inputs, layers.Reshape(image_shape)(logits), name="decoder")


def conv_vae_encoder(image_shape=(28, 28), latent_dim=20, filters=(32, 64), dense=256):
    """Convolutional encoder: stride-2 Conv2D layers, a Dense layer, then the two heads.

    Args:
        image_shape: (h, w) grey images or (h, w, channels); h and w divisible by
            2 ** len(filters).
        latent_dim: int, size of z.
        filters: filter counts, one stride-2 3x3 convolution each.
        dense: width of the Dense layer before the heads.

    Returns:
        keras.Model (n, *image_shape) -> [(n, latent_dim), (n, latent_dim)].
    """
    filters = check_widths(filters, "filters", allow_empty=False)  # 32 is (32,), as for hidden
    image_shape = _conv_shape(image_shape, filters)
    latent_dim = check_int(latent_dim, "latent_dim", minimum=1)
    inputs = keras.Input(image_shape)
    h = layers.Reshape((*image_shape[:2], image_shape[2] if len(image_shape) == 3 else 1))(inputs)
    for f in filters:
        h = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(h)
    h = layers.Dense(check_int(dense, "dense", minimum=1), activation="relu")(layers.Flatten()(h))
    return keras.Model(inputs, list(_heads(h, latent_dim)), name="conv_encoder")


def conv_vae_decoder(image_shape=(28, 28), latent_dim=20, filters=(64, 32), dense=256):
    """Convolutional decoder: Dense, reshape, stride-2 Conv2DTranspose layers, logits.

    Args:
        image_shape: (h, w) or (h, w, channels) of the images to produce.
        latent_dim: int, size of z.
        filters: filter counts, one stride-2 3x3 transposed convolution each.
        dense: width of the first Dense layer.

    Returns:
        keras.Model (n, latent_dim) -> logits (n, *image_shape).
    """
    filters = check_widths(filters, "filters", allow_empty=False)
    image_shape = _conv_shape(image_shape, filters)
    latent_dim = check_int(latent_dim, "latent_dim", minimum=1)
    step = 2 ** len(filters)
    fh, fw = image_shape[0] // step, image_shape[1] // step
    channels = image_shape[2] if len(image_shape) == 3 else 1
    inputs = keras.Input((latent_dim,))
    h = layers.Dense(check_int(dense, "dense", minimum=1), activation="relu")(inputs)
    h = layers.Dense(fh * fw * filters[0], activation="relu")(h)
    h = layers.Reshape((fh, fw, filters[0]))(h)
    for f in filters:
        h = layers.Conv2DTranspose(f, 3, strides=2, padding="same", activation="relu")(h)
    logits = layers.Conv2D(channels, 3, padding="same", name="logits")(h)
    return keras.Model(inputs, layers.Reshape(image_shape)(logits), name="conv_decoder")


def _conv_shape(image_shape, filters):
    image_shape = _image_shape(image_shape)
    if len(image_shape) not in (2, 3):
        raise ValueError(f"image_shape {image_shape}: expected (h, w) or (h, w, channels)")
    filters = tuple(check_int(f, "filters entry", minimum=1) for f in filters)
    step = 2 ** len(filters)
    if image_shape[0] % step or image_shape[1] % step:
        raise ValueError(
            f"image_shape {image_shape} must have height and width divisible by {step} "
            f"for {len(filters)} stride-2 layers"
        )
    return image_shape


# ----------------------------------------------------------------------------- metrics


def _posterior_samples(vae, xb, n_samples, gen):
    """Draw ``n_samples`` codes z ~ q(z|x) per image and score them under the decoder.

    Returns:
        z_mean, z_log_var: (b, d); z, eps: (b, n_samples, d) with z = mean + std * eps;
        log_px_z: (b, n_samples), log p(x|z) in nats. All samples go through the decoder
        in one call (b * n_samples rows; row i * n_samples + j belongs to image i).
    """
    b, d = ops.shape(xb)[0], vae.latent_dim
    z_mean, z_log_var = vae.encoder(xb, training=False)
    eps = keras.random.normal((b, n_samples, d), seed=gen)
    z = ops.expand_dims(z_mean, 1) + ops.expand_dims(ops.exp(0.5 * z_log_var), 1) * eps
    logits = vae.decoder(ops.reshape(z, (b * n_samples, d)), training=False)
    x_rep = ops.repeat(xb, n_samples, axis=0)
    log_px_z = -ops.reshape(bernoulli_nll(x_rep, logits), (b, n_samples))
    return z_mean, z_log_var, z, eps, log_px_z


def _check_vae(vae, x):
    if not isinstance(vae, VAE):
        raise TypeError(f"vae must be an aehelpers VAE, got {type(vae).__name__}")
    x = _check_binary(x)
    vae._check_image_shape(x)
    return x


def elbo_per_image(vae, x, n_samples=1, batch_size=500, seed=0):
    """ELBO of each binary image, in nats (a lower bound on log p(x); higher is better).

    ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || N(0, I)), the expectation estimated with
    ``n_samples`` reparameterised samples of z per image, the KL term in closed form.

    Args:
        vae: a trained :class:`VAE`.
        x: float array (n, *image_shape) with values in {0, 1} (see :func:`binarize`).
        n_samples: int, samples of z per image (all go through the decoder in one call).
        batch_size: int, images per forward pass (batch_size * n_samples decoder rows).
        seed: int, seeds the samples of z.

    Returns:
        float64 NumPy array (n,): the ELBO of each image in nats (negative numbers).
    """
    x = _check_vae(vae, x)
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    gen = keras.random.SeedGenerator(check_int(seed, "seed", minimum=0))
    out = []
    for start in range(0, len(x), batch_size):
        xb = ops.convert_to_tensor(x[start : start + batch_size])
        z_mean, z_log_var, _, _, log_px_z = _posterior_samples(vae, xb, n_samples, gen)
        elbo = ops.mean(log_px_z, axis=1) - gaussian_kl(z_mean, z_log_var)
        out.append(ops.convert_to_numpy(elbo).astype(np.float64))
    return np.concatenate(out)


def iwae_nll(vae, x, k=100, batch_size=50, seed=0):
    """Importance-weighted estimate of -log p(x) per image, in nats (Burda et al. 2015).

    -log p(x) ~= -log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x),  z_i ~ q(z|x), i = 1..k.

    Its expectation is an upper bound on -log p(x) that tightens as k grows (k = 1 gives
    -ELBO), so for k > 1 it is lower than -ELBO. All k samples of a batch go through the
    decoder in one call (batch_size * k rows).

    Args:
        vae: a trained :class:`VAE`.
        x: float array (n, *image_shape) with values in {0, 1}.
        k: int, importance samples per image (5000 in the paper; >= 100 is a good estimate).
        batch_size: int, images per forward pass.
        seed: int, seeds the samples.

    Returns:
        float64 NumPy array (n,): the NLL estimate of each image in nats (positive).
    """
    x = _check_vae(vae, x)
    k = check_int(k, "k", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    gen = keras.random.SeedGenerator(check_int(seed, "seed", minimum=0))
    out = []
    for start in range(0, len(x), batch_size):
        xb = ops.convert_to_tensor(x[start : start + batch_size])
        _, z_log_var, z, eps, log_px_z = _posterior_samples(vae, xb, k, gen)
        log_pz = -0.5 * ops.sum(ops.square(z) + LOG_2PI, axis=-1)
        log_qz_x = -0.5 * ops.sum(
            ops.square(eps) + LOG_2PI + ops.expand_dims(z_log_var, 1), axis=-1
        )
        log_w = log_px_z + log_pz - log_qz_x  # (b, k)
        nll = -(ops.logsumexp(log_w, axis=1) - math.log(k))
        out.append(ops.convert_to_numpy(nll).astype(np.float64))
    return np.concatenate(out)


def pixel_bernoulli_nll(x_train, x_test):
    """Baseline: -log p(x) per test image under independent Bernoulli pixels, in nats.

    The simplest density model of binary images: pixel j is 1 with probability p_j, the
    (Laplace-smoothed) mean of pixel j over the training images; no pixel knows about any
    other. Any model that learns structure should beat it.

    Args:
        x_train: float array (n, ...) in [0, 1] (grey levels or binary: the mean is the same
            in expectation).
        x_test: float array (m, ...) with values in {0, 1}, same image shape.

    Returns:
        float64 NumPy array (m,): exact NLL of each test image in nats.
    """
    x_train = check_array(x_train, "x_train", ndim=(2, 3, 4), min_value=0.0, max_value=1.0)
    x_test = _check_binary(x_test, "x_test")
    if x_train.shape[1:] != x_test.shape[1:]:
        raise ValueError(
            f"x_train images have shape {x_train.shape[1:]} but x_test images "
            f"{x_test.shape[1:]}; expected the same"
        )
    n = len(x_train)
    p = (x_train.reshape(n, -1).astype(np.float64).sum(axis=0) + 1.0) / (n + 2.0)
    flat = x_test.reshape(len(x_test), -1).astype(np.float64)
    return -(flat @ np.log(p) + (1.0 - flat) @ np.log1p(-p))
