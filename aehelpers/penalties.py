"""Penalties that regularise a code: KL sparsity, contractive, and code statistics.

- :class:`KLSparsity`: an activity regularizer that pulls the mean activation of each
  code unit toward a small target ``rho`` (UFLDL's sparse autoencoder).
- :class:`L1Activity`: the L1 activity penalty ``strength * sum_j |h_j|`` of the average
  image, the same strength on every Keras version (use it instead of
  ``keras.regularizers.L1`` as an ``activity_regularizer``).
- :class:`ContractiveDense`: a sigmoid dense encoder layer that adds the contractive
  penalty of Rifai et al. (2011), the squared Frobenius norm of its Jacobian dh/dx,
  computed in closed form.
- :func:`activation_stats`: how sparse a batch of codes is (mean activation, share of
  near-zero activations, units clearly on per image, Hoyer sparsity, per-unit means).

Keras 3.14 changed what an ``activity_regularizer`` means: from 3.14 on, Keras divides
the value it returns by the batch size (keras-team/keras #22018, #22021); 3.8-3.13 add
it as it is. :func:`keras_divides_activity_penalty` detects which behaviour the
installed Keras has (once, with a tiny probe layer), and the regularizers here undo it,
so ``KLSparsity(rho, beta)`` and ``L1Activity(strength)`` add the same loss on every
Keras the course allows.

Everything is written with ``keras.ops`` only, so it runs on every Keras 3 backend.
"""

from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

from .validation import check_array, check_fraction

_EPS = 1e-7


def _check_rho(rho):
    if isinstance(rho, bool) or not isinstance(rho, (int, float, np.floating, np.integer)):
        raise TypeError(f"rho must be a number in (0, 1), got {rho!r} ({type(rho).__name__})")
    rho = float(rho)
    if not 0.0 < rho < 1.0:  # also rejects NaN
        raise ValueError(
            f"rho (the target mean activation) must be strictly between 0 and 1, e.g. 0.05; "
            f"got {rho}"
        )
    return rho


def _check_strength(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number >= 0, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0 (0 switches it off), got {value}")
    return value


_DIVIDES = {}


def _add_one(activations):
    return ops.sum(activations) * 0.0 + 1.0


def keras_divides_activity_penalty():
    """True when the installed Keras divides an activity regularizer's value by the batch size.

    Keras 3.14 and later do (keras-team/keras #22021); 3.8-3.13 do not. The answer is
    measured, not read from the version number: a probe layer whose activity
    regularizer returns 1.0 is called on a batch of 4, and the loss it records is 0.25
    when Keras divides, 1.0 when it does not. Measured once per process.

    Returns:
        bool.
    """
    if "value" not in _DIVIDES:
        probe = keras.layers.Identity(activity_regularizer=_add_one)
        probe(np.zeros((4, 1), dtype="float32"))
        recorded = float(ops.convert_to_numpy(probe.losses[0]))
        if np.isclose(recorded, 0.25):
            _DIVIDES["value"] = True
        elif np.isclose(recorded, 1.0):
            _DIVIDES["value"] = False
        else:  # a third behaviour: refuse to guess a strength
            raise RuntimeError(
                f"Keras {keras.version()} recorded {recorded} for an activity penalty of 1.0 on a "
                "batch of 4; expected 1.0 (no scaling) or 0.25 (divided by the batch size)"
            )
    return _DIVIDES["value"]


class _BatchActivityRegularizer(keras.regularizers.Regularizer):
    """An activity regularizer whose ``penalty(h)`` is exactly what the loss gets.

    Subclasses define ``penalty(activations)``: the number to add to the loss for one
    batch. ``__call__`` multiplies it by the batch size where Keras will divide by it,
    so the strength does not depend on the Keras version.
    """

    def penalty(self, activations):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def __call__(self, activations):
        value = self.penalty(activations)
        if self._keras_divides:
            value = value * ops.cast(ops.shape(activations)[0], value.dtype)
        return value


def kl_sparsity(rho, rho_hat):
    """KL divergence between Bernoulli(rho) and Bernoulli(rho_hat), summed over units.

    .. math:: \\sum_j \\rho \\log\\frac{\\rho}{\\hat\\rho_j}
              + (1-\\rho) \\log\\frac{1-\\rho}{1-\\hat\\rho_j}

    Args:
        rho: float in (0, 1), the target mean activation.
        rho_hat: tensor (units,), the mean activation of each unit, values in [0, 1]
            (clipped to (1e-7, 1 - 1e-7) so the logarithms stay finite).

    Returns:
        scalar tensor >= 0; it is 0 exactly when every ``rho_hat`` equals ``rho``.
    """
    rho = _check_rho(rho)
    rho_hat = ops.clip(rho_hat, _EPS, 1.0 - _EPS)
    kl = rho * ops.log(rho / rho_hat) + (1.0 - rho) * ops.log((1.0 - rho) / (1.0 - rho_hat))
    return ops.sum(kl)


@keras.saving.register_keras_serializable(package="aehelpers")
class KLSparsity(_BatchActivityRegularizer):
    """KL-divergence sparsity penalty toward a target mean activation ``rho``.

    For a batch of codes h (batch, units) with values in [0, 1] (a sigmoid code), the
    mean activation of unit j over the batch is rho_hat_j = mean_i h_ij, and the
    penalty is ``beta * sum_j KL(rho || rho_hat_j)`` (UFLDL's formulation). It is 0
    when every unit is active on average exactly ``rho`` of the time, and grows as a
    unit's mean moves away from ``rho``.

    Use it as a layer's ``activity_regularizer``::

        code = keras.layers.Dense(256, activation="sigmoid",
                                  activity_regularizer=KLSparsity(rho=0.05, beta=1e-2))

    The loss Keras adds is exactly ``beta * sum_j KL`` on every Keras version: from
    3.14 on Keras divides an activity regularizer's output by the batch size (right for
    per-sample penalties such as L1); the KL penalty is already a statistic of the
    whole batch, so ``__call__`` multiplies by the batch size there (see
    :func:`keras_divides_activity_penalty`).

    Args:
        rho: float in (0, 1), target mean activation of every unit (e.g. 0.05).
        beta: float >= 0, weight of the penalty relative to the reconstruction loss.
    """

    def __init__(self, rho=0.05, beta=1e-2):
        self.rho = _check_rho(rho)
        self.beta = _check_strength(beta, "beta")
        self._keras_divides = keras_divides_activity_penalty()

    def penalty(self, activations):
        """``beta * sum_j KL(rho || rho_hat_j)`` for activations (batch, units) in [0, 1]."""
        rho_hat = ops.mean(activations, axis=0)
        return self.beta * kl_sparsity(self.rho, rho_hat)

    def get_config(self):
        return {"rho": self.rho, "beta": self.beta}


@keras.saving.register_keras_serializable(package="aehelpers")
class L1Activity(_BatchActivityRegularizer):
    """L1 activity penalty of the average image: ``strength * mean_i sum_j |h_ij|``.

    What ``keras.regularizers.L1(strength)`` means as an ``activity_regularizer`` on
    Keras 3.14 and later; on Keras 3.8-3.13 that same line adds the *sum* over the
    batch, batch-size times more. ``L1Activity`` adds the per-image value on every
    version (see :func:`keras_divides_activity_penalty`).

    Args:
        strength: float >= 0, lambda: the price of one unit of activation.

    Example:
        >>> code = keras.layers.Dense(256, activation="sigmoid",
        ...                           activity_regularizer=L1Activity(1e-4))
    """

    def __init__(self, strength=1e-4):
        self.strength = _check_strength(strength, "strength")
        self._keras_divides = keras_divides_activity_penalty()

    def penalty(self, activations):
        """``strength * mean over the batch of sum_j |h_j|`` for activations (batch, units)."""
        per_image = ops.sum(
            ops.abs(ops.reshape(activations, (ops.shape(activations)[0], -1))), axis=-1
        )
        return self.strength * ops.mean(per_image)

    def get_config(self):
        return {"strength": self.strength}


def contractive_penalty(code, kernel):
    """Squared Frobenius norm of the Jacobian of a sigmoid dense layer, per sample.

    For h = sigmoid(x W + b) the Jacobian is dh_j/dx_i = h_j (1 - h_j) W_ij, so

    .. math:: \\lVert J(x) \\rVert_F^2 = \\sum_j \\big(h_j (1 - h_j)\\big)^2 \\sum_i W_{ij}^2

    Args:
        code: tensor (batch, units), the layer's sigmoid outputs h.
        kernel: tensor (inputs, units), the layer's weight matrix W.

    Returns:
        tensor (batch,): ||dh/dx||_F^2 for each sample.
    """
    slope = code * (1.0 - code)  # sigmoid'(z) = h (1 - h)
    column_norms = ops.sum(ops.square(kernel), axis=0)  # sum_i W_ij^2, shape (units,)
    return ops.sum(ops.square(slope) * column_norms, axis=-1)


@keras.saving.register_keras_serializable(package="aehelpers")
class ContractiveDense(keras.layers.Layer):
    """A sigmoid dense encoder layer with the contractive penalty (Rifai et al., 2011).

    Computes h = sigmoid(x W + b) and, while training, adds
    ``contraction * mean over the batch of ||dh/dx||_F^2`` to the model's loss (see
    :func:`contractive_penalty`). The penalty rewards codes that change little when the
    input moves a little, so the encoder can only afford to be sensitive along the
    directions that the training data actually vary in.

    Args:
        units: int, size of the code.
        contraction: float >= 0, weight of the penalty (lambda in the paper).

    Shapes:
        input (batch, inputs) -> output (batch, units), values in (0, 1).

    Example:
        >>> encoder = keras.Sequential([keras.Input((784,)), ContractiveDense(1024, 1e-2)])
    """

    def __init__(self, units, contraction=1e-2, **kwargs):
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units < 1:
            raise ValueError(f"units must be a positive int (the code size), got {units!r}")
        self.units = int(units)
        self.contraction = _check_strength(contraction, "contraction")

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="glorot_uniform", name="kernel"
        )
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs, training=False):
        code = ops.sigmoid(ops.matmul(inputs, self.kernel) + self.bias)
        if training and self.contraction:
            penalty = ops.mean(contractive_penalty(code, self.kernel))
            self.add_loss(self.contraction * penalty)
        return code

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "contraction": self.contraction}


def hoyer_sparsity(codes):
    """Hoyer's sparsity of each code: 0 when all units are equal, 1 when one unit holds everything.

    .. math:: \\frac{\\sqrt{n} - \\lVert h \\rVert_1 / \\lVert h \\rVert_2}{\\sqrt{n} - 1}

    for a code h of n units (Hoyer, 2004). It depends only on the *shape* of the code,
    not on its scale: a dense code divided by ten (which a decoder can multiply back)
    is exactly as dense as before, where the mean activation and the share of small
    activations would call it sparse.

    Args:
        codes: float array (n_samples, units), values >= 0.

    Returns:
        float array (n_samples,), values in [0, 1]; an all-zero code counts as 1 (nothing on).
    """
    codes = check_array(codes, "codes", ndim=2, min_value=0.0).astype(np.float64)
    n = codes.shape[1]
    if n < 2:
        raise ValueError(
            f"codes must have at least 2 units to measure sparsity, got shape {codes.shape}"
        )
    l1 = codes.sum(axis=1)
    l2 = np.sqrt((codes**2).sum(axis=1))
    ratio = np.divide(l1, l2, out=np.ones_like(l1), where=l2 > 0)
    return (np.sqrt(n) - ratio) / (np.sqrt(n) - 1)


@dataclass
class ActivationStats:
    """How sparse a batch of codes is.

    Attributes:
        mean: mean activation over all samples and units.
        near_zero: share of activations below ``threshold``.
        threshold: the threshold used for ``near_zero``.
        unit_means: array (units,), mean activation of each unit over the samples.
        dead_units: share of units whose activation never exceeds ``threshold``.
        units_on: mean number of units above 0.5 per sample ("clearly on").
        hoyer: mean Hoyer sparsity per sample (:func:`hoyer_sparsity`), in [0, 1].
    """

    mean: float
    near_zero: float
    threshold: float
    unit_means: np.ndarray
    dead_units: float
    units_on: float = float("nan")
    hoyer: float = float("nan")

    def __str__(self):
        return (
            f"mean activation {self.mean:.3f} | {self.near_zero:.0%} of activations < "
            f"{self.threshold:g} | {self.dead_units:.0%} of units never above it | "
            f"{self.units_on:.1f} units > 0.5 per image | Hoyer {self.hoyer:.2f}"
        )


def activation_stats(codes, threshold=0.1):
    """Sparsity statistics of codes (samples, units) with non-negative values.

    Args:
        codes: float array (n, units), e.g. ``encoder.predict(x)`` of a sigmoid or relu code.
        threshold: float > 0, activations below it count as "near zero".

    Returns:
        :class:`ActivationStats`.
    """
    codes = check_array(codes, "codes", ndim=2, min_value=0.0)
    threshold = check_fraction(threshold, "threshold", 0.0, np.inf, inclusive_low=False)
    below = codes < threshold
    return ActivationStats(
        mean=float(codes.mean()),
        near_zero=float(below.mean()),
        threshold=threshold,
        unit_means=codes.mean(axis=0),
        dead_units=float(below.all(axis=0).mean()),
        units_on=float((codes > 0.5).sum(axis=1).mean()),
        hoyer=float(hoyer_sparsity(codes).mean()) if codes.shape[1] > 1 else float("nan"),
    )
