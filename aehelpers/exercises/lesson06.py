"""Exercises for lesson 06, the variational autoencoder.

q1: the KL to a shifted prior N(m, I) (lesson 10's class prior); q2: a cyclical KL schedule as
a Keras callback; q3: a numerically stable importance-weighted NLL from log-weights; q4:
choosing beta on the validation images of the lesson's sweep; q5: the KL weight that turns the
"mean-over-pixels MSE + KL" recipe back into the ELBO of a Gaussian decoder at the learned noise level.
"""

from types import SimpleNamespace

import numpy as np

from . import Exercise, FunctionExercise, as_number, set_levels, short

_RNG_SEED = 6


def _compare(got, expected, what):
    got = np.asarray(got, dtype=np.float64)
    if got.shape != expected.shape:
        return f"{what} returned shape {got.shape}; expected {expected.shape} (one value per row)"
    if not np.all(np.isfinite(got)):
        return f"{what} returned NaN or infinite values"
    if not np.allclose(got, expected, rtol=1e-4, atol=1e-4):
        i = int(np.argmax(np.abs(got - expected)))
        return f"{what} returned {got[i]:.5g} for row {i}; expected {expected[i]:.5g}"
    return None


# ----------------------------------------------------------------------------- q1


def _kl_shifted_reference(mu, log_var, prior_mean):
    return 0.5 * np.sum(np.exp(log_var) + (mu - prior_mean) ** 2 - 1.0 - log_var, axis=1)


def _check_kl(fn):
    rng = np.random.default_rng(_RNG_SEED)
    mu, log_var, m = rng.normal(size=(6, 4)), rng.normal(size=(6, 4)), 3.0 * rng.normal(size=(6, 4))
    zeros = np.zeros((2, 4))
    if not np.allclose(np.asarray(fn(m[:2], zeros, m[:2]), dtype=float), 0.0, atol=1e-6):
        return "when q(z|x) equals the prior (mu = prior_mean, log_var = 0) the KL must be 0"
    got = np.asarray(fn(mu, log_var, m), dtype=float)
    want = _kl_shifted_reference(mu, log_var, m)
    if got.shape == (6,) and np.allclose(got, _kl_shifted_reference(mu, log_var, 0 * m), rtol=1e-4):
        return "your values ignore prior_mean: that is the KL to N(0, I)"
    if got.shape == (6,) and np.allclose(got, 2 * want, rtol=1e-4):
        return "your values are twice the KL: check the factor in front of the sum"
    if got.shape == (6,) and np.allclose(got, want / 4, rtol=1e-4):
        return "you averaged over the latent dimensions; the KL of independent dimensions adds up"
    return _compare(got, want, "kl_to_shifted_prior")


def _solve_kl():
    def kl_to_shifted_prior(mu, log_var, prior_mean):
        # only the squared mean term changes: the distance is now to the prior's mean
        return 0.5 * np.sum(np.exp(log_var) + (mu - prior_mean) ** 2 - 1.0 - log_var, axis=1)

    return kl_to_shifted_prior


def _wrong_kl_ignores_prior_mean():
    """You kept the standard-normal KL: with a shifted prior the squared term is (mu - prior_mean)^2."""
    return lambda mu, log_var, prior_mean: (
        0.5 * np.sum(np.exp(log_var) + mu**2 - 1.0 - log_var, axis=1)
    )


def _wrong_kl_adds_prior_mean():
    """You added the prior's mean: the squared term is the distance to it, (mu - prior_mean)^2."""
    return lambda mu, log_var, prior_mean: (
        0.5 * np.sum(np.exp(log_var) + (mu + prior_mean) ** 2 - 1.0 - log_var, axis=1)
    )


def _wrong_kl_missing_half():
    """You left out the factor 1/2 in front of the sum."""
    return lambda mu, log_var, prior_mean: np.sum(
        np.exp(log_var) + (mu - prior_mean) ** 2 - 1.0 - log_var, axis=1
    )


def _wrong_kl_mean_over_dims():
    """You averaged over the latent dimensions: the KL of independent dimensions is their sum."""
    return lambda mu, log_var, prior_mean: (
        0.5 * np.mean(np.exp(log_var) + (mu - prior_mean) ** 2 - 1.0 - log_var, axis=1)
    )


q1 = FunctionExercise(
    "Q1 the KL to a shifted prior",
    "kl_to_shifted_prior(mu, log_var, prior_mean)",
    _check_kl,
    "Per dimension, KL(N(mu, s^2) || N(m, 1)) = 1/2 (s^2 + (..)^2 - 1 - log s^2). Shifting both "
    "distributions by -m changes no KL: which term still sees the shift? Sum over dimensions.",
    _solve_kl,
    wrong_answers=[
        _wrong_kl_ignores_prior_mean,
        _wrong_kl_adds_prior_mean,
        _wrong_kl_missing_half,
        _wrong_kl_mean_over_dims,
    ],
)


# ----------------------------------------------------------------------------- q2


def _weights_of(callback_class, cycle, beta, epochs):
    """Run a callback's on_epoch_begin on a stand-in model; the kl_weight after each epoch start."""
    import keras

    variable = keras.Variable(beta, trainable=False, dtype="float32", name="kl_weight")
    model = SimpleNamespace(beta=beta, kl_weight=variable)
    callback = callback_class(cycle)
    if not isinstance(callback, keras.callbacks.Callback):
        return None, (
            f"CyclicalKL({cycle}) made a {type(callback).__name__}; subclass "
            "keras.callbacks.Callback so fit can call it"
        )
    callback.set_model(model)
    weights = []
    for epoch in range(epochs):
        callback.on_epoch_begin(epoch, {})
        if model.kl_weight is not variable:
            return None, (
                "you replaced the model's kl_weight variable; change its value with "
                "self.model.kl_weight.assign(...) so the compiled training step sees it"
            )
        weights.append(float(keras.ops.convert_to_numpy(variable)))
    return np.array(weights), None


def _cyclical_reference(cycle, beta, epochs):
    return np.array([beta * min(1.0, 2.0 * (e % cycle) / cycle) for e in range(epochs)])


def _check_cyclical(fn):
    for cycle, beta in ((4, 2.0), (6, 1.0)):
        got, problem = _weights_of(fn, cycle, beta, 13)
        if problem:
            return problem
        want = _cyclical_reference(cycle, beta, 13)
        if np.allclose(got, want, atol=1e-5):
            continue
        if np.allclose(got, want / beta, atol=1e-5) and beta != 1.0:
            return f"with model.beta = {beta:g} the weight should reach {beta:g}; it stops at 1"
        if got[cycle] > 0.5 * beta:
            return (
                f"with cycle={cycle}, epoch {cycle} starts a new cycle: the weight should be back "
                f"at 0, got {got[cycle]:.3g}"
            )
        return (
            f"with cycle={cycle}, beta={beta:g} the weights at epochs 0..12 were "
            f"{np.round(got, 3).tolist()}; they should rise linearly over the first half "
            "of each cycle, then stay at beta"
        )
    return None


def _solve_cyclical():
    import keras

    class CyclicalKL(keras.callbacks.Callback):
        def __init__(self, cycle):
            super().__init__()
            self.cycle = cycle

        def on_epoch_begin(self, epoch, logs=None):
            ramp = min(1.0, 2.0 * (epoch % self.cycle) / self.cycle)
            self.model.kl_weight.assign(self.model.beta * ramp)

    return CyclicalKL


def _make_schedule(rule):
    import keras

    class Schedule(keras.callbacks.Callback):
        def __init__(self, cycle):
            super().__init__()
            self.cycle = cycle

        def on_epoch_begin(self, epoch, logs=None):
            self.model.kl_weight.assign(rule(epoch, self.cycle, self.model.beta))

    return Schedule


def _wrong_cyclical_never_restarts():
    return _make_schedule(lambda e, c, beta: beta * min(1.0, 2.0 * e / c))


def _wrong_cyclical_forgets_beta():
    return _make_schedule(lambda e, c, beta: min(1.0, 2.0 * (e % c) / c))


def _wrong_cyclical_ramps_over_whole_cycle():
    return _make_schedule(lambda e, c, beta: beta * (e % c) / c)


q2 = FunctionExercise(
    "Q2 a cyclical KL schedule",
    "CyclicalKL(cycle)",
    _check_cyclical,
    "Subclass keras.callbacks.Callback, keep `cycle` in __init__, and override "
    "on_epoch_begin(self, epoch, logs=None). The position inside the cycle is epoch % cycle; "
    "change the variable's value in place.",
    _solve_cyclical,
    wrong_answers=[
        _wrong_cyclical_never_restarts,
        _wrong_cyclical_forgets_beta,
        _wrong_cyclical_ramps_over_whole_cycle,
    ],
)


# ----------------------------------------------------------------------------- q3


def _iwae_reference(log_w):
    top = log_w.max(axis=1, keepdims=True)
    return -(top[:, 0] + np.log(np.mean(np.exp(log_w - top), axis=1)))


def _check_iwae(fn):
    rng = np.random.default_rng(_RNG_SEED + 2)
    small = rng.normal(size=(4, 5))
    problem = _compare(fn(small), _iwae_reference(small), "iwae_from_log_weights")
    if problem:
        return problem
    realistic = -900.0 + 5.0 * rng.normal(size=(4, 50))  # float64 exp() of these is 0
    return _compare(
        fn(realistic),
        _iwae_reference(realistic),
        "iwae_from_log_weights on log-weights near -900 (where np.exp returns 0)",
    )


def _solve_iwae():
    def iwae_from_log_weights(log_w):
        top = log_w.max(axis=1, keepdims=True)  # subtract the largest before exp()
        mean_w = np.mean(np.exp(log_w - top), axis=1)
        return -(top[:, 0] + np.log(mean_w))

    return iwae_from_log_weights


def _wrong_iwae_naive_exp():
    """Np.exp of large negative log-weights underflows to 0: subtract the largest log-weight before exp (log-sum-exp)."""

    def iwae(log_w):
        with np.errstate(divide="ignore"):  # np.exp underflows to 0, log(0) = -inf
            return -np.log(np.mean(np.exp(log_w), axis=1))

    return iwae


def _wrong_iwae_mean_of_logs():
    """You averaged the log-weights (that is the ELBO's estimate): average the weights, then take the log."""
    return lambda log_w: -np.mean(log_w, axis=1)  # that is -ELBO's estimate, not the IWAE one


def _wrong_iwae_sum_instead_of_mean():
    """You summed the weights: IWAE averages them (the log of their mean, i.e. subtract log K)."""

    def iwae(log_w):
        top = log_w.max(axis=1, keepdims=True)
        return -(top[:, 0] + np.log(np.sum(np.exp(log_w - top), axis=1)))

    return iwae


q3 = FunctionExercise(
    "Q3 a stable IWAE estimate",
    "iwae_from_log_weights(log_w)",
    _check_iwae,
    "log mean_i exp(a_i) = m + log mean_i exp(a_i - m) for any constant m. Which m makes the "
    "largest term exactly exp(0) = 1?",
    _solve_iwae,
    wrong_answers=[
        _wrong_iwae_naive_exp,
        _wrong_iwae_mean_of_logs,
        _wrong_iwae_sum_instead_of_mean,
    ],
)


# ----------------------------------------------------------------------------- q4


def _neg_elbo(entry):
    return entry["rec"] + entry["kl"]


def _check_best_beta(answer, sweep):
    if not isinstance(sweep, dict) or not sweep:
        return "pass the sweep results: ex.q4.check(answer, sweep=sweep)"
    best = min(sweep, key=lambda b: _neg_elbo(sweep[b]))
    try:
        value = as_number(answer)
    except (TypeError, ValueError):
        return f"expected a number (one of {sorted(sweep)}), got {short(answer)}"
    if value not in sweep:
        return f"{value:g} is not one of the betas in the sweep, {sorted(sweep)}"
    if value != best:
        return (
            f"beta={value:g} has a validation -ELBO of {_neg_elbo(sweep[value]):.1f} nats; another "
            "beta has a lower one. The ELBO weighs the KL by 1, whatever beta the model trained with"
        )
    return None


def _solve_best_beta(sweep):
    return min(sweep, key=lambda b: sweep[b]["rec"] + sweep[b]["kl"])


def _wrong_best_reconstruction(sweep):
    return min(sweep, key=lambda b: sweep[b]["rec"])


def _wrong_trained_loss_with_beta(sweep):
    return min(sweep, key=lambda b: sweep[b]["rec"] + b * sweep[b]["kl"])


def _wrong_lowest_elbo(sweep):
    return max(sweep, key=lambda b: sweep[b]["rec"] + sweep[b]["kl"])


def _sweep_inputs():
    return {
        "sweep": {
            0.5: {"rec": 80.0, "kl": 35.0},
            1.0: {"rec": 86.0, "kl": 26.0},
            4.0: {"rec": 120.0, "kl": 12.0},
        }
    }


q4 = Exercise(
    "Q4 choose beta on validation data",
    _check_best_beta,
    "The ELBO does not depend on beta: it is always -(reconstruction + KL), with weight 1 on "
    "the KL. beta only changes what the training optimised.",
    _solve_best_beta,
    make_inputs=_sweep_inputs,
    wrong_answers=[_wrong_best_reconstruction, _wrong_trained_loss_with_beta, _wrong_lowest_elbo],
)


# ----------------------------------------------------------------------------- q5


def _kl_weight_reference(sigma2, n_pixels):
    return 2.0 * sigma2 / n_pixels


def _check_kl_weight(answer, sigma2, n_pixels):
    try:
        sigma2, n_pixels = float(sigma2), int(n_pixels)
    except (TypeError, ValueError):
        return "pass the run's numbers: ex.q5.check(answer, sigma2=sigma2_star, n_pixels=D_PIXELS)"
    if not (sigma2 > 0 and n_pixels > 0):
        return f"sigma2 and n_pixels must be positive, got sigma2={sigma2!r}, n_pixels={n_pixels!r}"
    try:
        value = as_number(answer)
    except (TypeError, ValueError):
        return f"expected a number (the weight on the KL term), got {short(answer)}"
    want = _kl_weight_reference(sigma2, n_pixels)
    if not np.isfinite(value) or value <= 0:
        return f"a weight on the KL term is a positive number, got {value!r}"
    if np.isclose(value, n_pixels / (2 * sigma2), rtol=0.02):
        return (
            "that is the implicit beta of the recipe as it stands; you want the weight that undoes it: "
            "should it be larger or smaller than 1?"
        )
    if np.isclose(value, 2 * sigma2, rtol=0.02) or np.isclose(value, sigma2 / n_pixels, rtol=0.02):
        return (
            "close, but check the factors: write both losses with the squared errors summed over the pixels "
            "and compare the factor in front of the sum"
        )
    if not np.isclose(value, want, rtol=0.02):
        return (
            f"with the KL weighted by {value:.4g}, mean MSE + weight * KL is proportional to a Gaussian -ELBO "
            f"with beta = {value * n_pixels / (2 * sigma2):.3g}, not 1"
        )
    return None


def _solve_kl_weight(sigma2, n_pixels):
    # mean MSE + w KL = (1 / D) SSE + w KL; the ELBO at sigma2 is SSE / (2 sigma2) + KL.
    # Multiply the ELBO by 2 sigma2 / D: SSE / D + (2 sigma2 / D) KL, so w = 2 sigma2 / D.
    return 2 * sigma2 / n_pixels


def _wrong_implicit_beta_itself(sigma2, n_pixels):
    """You returned the implicit beta itself (D / 2 sigma^2): the weight that undoes it is its inverse, 2 sigma^2 / D."""
    return n_pixels / (2 * sigma2)


def _wrong_forgot_the_mean_over_pixels(sigma2, n_pixels):
    return 2 * sigma2


def _wrong_forgot_the_two(sigma2, n_pixels):
    return sigma2 / n_pixels


def _wrong_plain_elbo_weight(sigma2, n_pixels):
    return 1.0


q5 = Exercise(
    "Q5 undo the implicit beta of mean MSE + KL",
    _check_kl_weight,
    "Write both losses with the squared errors summed over the pixels: the ELBO at the learned noise "
    "level and mean MSE + w * KL. Losses that are constant multiples of each other train the same model: "
    "scale one until the factors in front of the sum of squared errors agree, then read off w.",
    _solve_kl_weight,
    make_inputs=lambda: {"sigma2": 0.015, "n_pixels": 784},
    wrong_answers=[
        _wrong_implicit_beta_itself,
        _wrong_forgot_the_mean_over_pixels,
        _wrong_forgot_the_two,
        _wrong_plain_elbo_weight,
    ],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 15), q2=(2, 15), q3=(3, 20), q4=(1, 10), q5=(3, 20))
