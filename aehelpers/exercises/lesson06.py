"""Exercises for lesson 06, the variational autoencoder: the KL to a shifted prior, a cyclical
KL schedule, a stable IWAE estimate, choosing beta, and the KL weight of "mean MSE + KL".

In the notebook: ``from aehelpers.exercises import lesson06 as ex``, then ``ex.q4.check(answer,
sweep=sweep)``.
"""

from types import SimpleNamespace

import numpy as np

from . import Exercise, FunctionExercise, as_number, set_levels, short

_rng = np.random.default_rng(6)
_mu, _log_var, _m = _rng.normal(size=(6, 4)), _rng.normal(size=(6, 4)), 3 * _rng.normal(size=(6, 4))


def _solve_kl():
    def kl_to_shifted_prior(mu, log_var, prior_mean):
        # only the squared mean term changes: the distance is now to the prior's mean
        return 0.5 * np.sum(np.exp(log_var) + (mu - prior_mean) ** 2 - 1.0 - log_var, axis=1)

    return kl_to_shifted_prior


def _kl_variant(shift=1.0, half=0.5, reduce=np.sum):
    return lambda mu, log_var, prior_mean: (
        half * reduce(np.exp(log_var) + (mu - shift * prior_mean) ** 2 - 1.0 - log_var, axis=1)
    )


q1 = FunctionExercise(
    title="q1: the KL to a shifted prior",
    signature="kl_to_shifted_prior(mu, log_var, prior_mean)",
    hint="Per dimension, KL(N(mu, s^2) || N(m, 1)) = 1/2 (s^2 + (..)^2 - 1 - log s^2). Shifting "
    "both distributions by -m changes no KL: which term still sees the shift? Sum over dimensions.",
    solution=_solve_kl,
    cases=[(_m[:2], np.zeros((2, 4)), _m[:2]), (_mu, _log_var, _m)],  # q = prior first: KL 0
    rtol=1e-4,
    wrong_answers={
        "you kept the standard-normal KL: with a shifted prior the squared term is "
        "(mu - prior_mean)^2": lambda: _kl_variant(shift=0.0),
        "you added the prior's mean: the squared term is the distance to it": (
            lambda: _kl_variant(shift=-1.0)
        ),
        "you left out the factor 1/2 in front of the sum": lambda: _kl_variant(half=1.0),
        "you averaged over the latent dimensions: the KL of independent dimensions is their "
        "sum": lambda: _kl_variant(reduce=np.mean),
    },
)


def _weights_of(callback_class, cycle, beta):
    """The kl_weight after each of 13 epoch starts, on a stand-in model; or a str saying why not."""
    import keras

    variable = keras.Variable(beta, trainable=False, dtype="float32", name="kl_weight")
    model = SimpleNamespace(beta=beta, kl_weight=variable)
    callback = callback_class(cycle)
    if not isinstance(callback, keras.callbacks.Callback):
        return (
            f"CyclicalKL({cycle}) made a {type(callback).__name__}; subclass "
            "keras.callbacks.Callback so fit can call it"
        )
    callback.set_model(model)
    weights = []
    for epoch in range(13):
        callback.on_epoch_begin(epoch, {})
        if model.kl_weight is not variable:
            return (
                "you replaced the model's kl_weight variable; change its value with "
                "self.model.kl_weight.assign(...) so the compiled training step sees it"
            )
        weights.append(float(keras.ops.convert_to_numpy(variable)))
    return np.array(weights)


def _check_q2(fn, want):
    for cycle, beta in ((4, 2.0), (6, 1.0)):
        got, expected = _weights_of(fn, cycle, beta), _weights_of(want, cycle, beta)
        if isinstance(got, str):  # not a callback, or the variable replaced
            return got
        if np.allclose(got, expected, atol=1e-5):
            continue
        if beta != 1.0 and np.allclose(got, expected / beta, atol=1e-5):
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


def _schedule(
    rule,
):  # a wrong CyclicalKL: the weight at each epoch start is rule(epoch, cycle, beta)
    class Schedule(_solve_cyclical()):
        def on_epoch_begin(self, epoch, logs=None):
            self.model.kl_weight.assign(rule(epoch, self.cycle, self.model.beta))

    return Schedule


q2 = FunctionExercise(
    title="q2: a cyclical KL schedule",
    signature="CyclicalKL(cycle)",
    checker=_check_q2,
    hint="Subclass keras.callbacks.Callback, keep `cycle` in __init__, and override "
    "on_epoch_begin(self, epoch, logs=None). The position inside the cycle is epoch % cycle; "
    "change the variable's value in place.",
    solution=_solve_cyclical,
    wrong_answers={
        "your schedule never restarts: the position inside the cycle is epoch % cycle": (
            lambda: _schedule(lambda e, c, beta: beta * min(1.0, 2.0 * e / c))
        ),
        "your schedule forgets beta: the weight rises to model.beta, not to 1": (
            lambda: _schedule(lambda e, c, beta: min(1.0, 2.0 * (e % c) / c))
        ),
        "your ramp spans the whole cycle: it rises over the first half, then stays at beta": (
            lambda: _schedule(lambda e, c, beta: beta * (e % c) / c)
        ),
    },
)


def _solve_iwae():
    def iwae_from_log_weights(log_w):
        top = log_w.max(axis=1, keepdims=True)  # subtract the largest before exp()
        mean_w = np.mean(np.exp(log_w - top), axis=1)
        return -(top[:, 0] + np.log(mean_w))

    return iwae_from_log_weights


def _iwae_naive():
    def iwae(log_w):
        with np.errstate(divide="ignore"):  # np.exp underflows to 0, log(0) = -inf
            return -np.log(np.mean(np.exp(log_w), axis=1))

    return iwae


q3 = FunctionExercise(
    title="q3: a stable IWAE estimate",
    signature="iwae_from_log_weights(log_w)",
    hint="log mean_i exp(a_i) = m + log mean_i exp(a_i - m) for any constant m. Which m makes the "
    "largest term exactly exp(0) = 1?",
    solution=_solve_iwae,
    # small log-weights, then realistic ones near -900, where float64 np.exp returns 0
    cases=[_rng.normal(size=(4, 5)), -900.0 + 5.0 * _rng.normal(size=(4, 50))],
    rtol=1e-4,
    wrong_answers={
        "np.exp of large negative log-weights underflows to 0: subtract the largest log-weight "
        "before exp (log-sum-exp)": _iwae_naive,
        "you averaged the log-weights (that is the ELBO's estimate): average the weights, then "
        "take the log": lambda: lambda log_w: -np.mean(log_w, axis=1),
        "you summed the weights: IWAE averages them (the log of their mean, i.e. subtract log K)": (
            lambda: lambda log_w: _solve_iwae()(log_w) - np.log(log_w.shape[1])
        ),
    },
)


def _solve_best_beta(sweep):
    return min(sweep, key=lambda b: sweep[b]["rec"] + sweep[b]["kl"])


q4 = Exercise(
    title="q4: choose beta on validation data",
    hint="The ELBO does not depend on beta: it is always -(reconstruction + KL), with weight 1 on "
    "the KL. beta only changes what the training optimised.",
    solution=_solve_best_beta,
    make_inputs=lambda: {
        "sweep": {
            0.5: {"rec": 80.0, "kl": 35.0},
            1.0: {"rec": 86.0, "kl": 26.0},
            4.0: {"rec": 120.0, "kl": 12.0},
        }
    },
    choices=lambda sweep: list(sweep),
    wrong_answers={
        "you chose the best reconstruction alone: the ELBO adds the KL with weight 1": (
            lambda sweep: min(sweep, key=lambda b: sweep[b]["rec"])
        ),
        "you compared the training losses, rec + beta * KL: the ELBO weighs the KL by 1, "
        "whatever beta the model trained with": (
            lambda sweep: min(sweep, key=lambda b: sweep[b]["rec"] + b * sweep[b]["kl"])
        ),
        "you took the largest -ELBO: the best model has the lowest -(reconstruction + KL)": (
            lambda sweep: max(sweep, key=lambda b: sweep[b]["rec"] + sweep[b]["kl"])
        ),
    },
)


def _check_q5(answer, want, sigma2, n_pixels):
    try:
        value = as_number(answer)
    except (TypeError, OverflowError):
        return f"expected a number (the weight on the KL term), got {short(answer)}"
    if not (np.isfinite(value) and value > 0):
        return f"a weight on the KL term is a positive number, got {value!r}"
    if np.isclose(value, want, rtol=0.02):
        return None
    return (
        f"with the KL weighted by {value:.4g}, mean MSE + weight * KL is proportional to a "
        f"Gaussian -ELBO with beta = {value * n_pixels / (2 * sigma2):.3g}, not 1"
    )


def _solve_kl_weight(sigma2, n_pixels):
    # mean MSE + w KL = (1 / D) SSE + w KL; the ELBO at sigma2 is SSE / (2 sigma2) + KL.
    # Multiply the ELBO by 2 sigma2 / D: SSE / D + (2 sigma2 / D) KL, so w = 2 sigma2 / D.
    return 2 * sigma2 / n_pixels


_FACTORS = "write both losses with the squared errors summed over the pixels and compare the factor"
q5 = Exercise(
    title="q5: undo the implicit beta of mean MSE + KL",
    hint="Write both losses with the squared errors summed over the pixels: the ELBO at the "
    "learned noise level and mean MSE + w * KL. Losses that are constant multiples of each other "
    "train the same model: scale one until the factors in front of the sum of squared errors "
    "agree, then read off w.",
    solution=_solve_kl_weight,
    checker=_check_q5,
    make_inputs=lambda: {"sigma2": 0.015, "n_pixels": 784},
    wrong_answers={
        "you returned the implicit beta itself (D / 2 sigma^2): you want the weight that undoes "
        "it": lambda sigma2, n_pixels: n_pixels / (2 * sigma2),
        f"you forgot the mean over the pixels: {_FACTORS}": lambda sigma2, n_pixels: 2 * sigma2,
        f"you forgot the 2 of the Gaussian: {_FACTORS}": lambda sigma2, n_pixels: sigma2 / n_pixels,
        "a weight of 1 is the ELBO's only with the summed squared error over 2 sigma^2, not with "
        "the mean MSE": lambda sigma2, n_pixels: 1.0,
    },
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(
    globals(),
    q1=(2, 15, "other"),
    q2=(2, 15, "new code"),
    q3=(3, 20, "other"),
    q4=(1, 10, "decision"),
    q5=(3, 20, "other"),
)
