"""Exercises for lesson 06, the variational autoencoder.

q1: the closed-form KL term; q2: the reparameterisation trick; q3: a numerically stable
importance-weighted NLL from log-weights; q4: reading the beta sweep.
"""

import numpy as np

from . import Exercise

_RNG_SEED = 6


def _kl_reference(mu, log_var):
    return 0.5 * np.sum(np.exp(log_var) + mu**2 - 1.0 - log_var, axis=1)


def _as_function(answer):
    if not callable(answer):
        return f"expected a function, got {type(answer).__name__}; set answer = your_function"
    return None


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


def _check_kl(answer):
    problem = _as_function(answer)
    if problem:
        return problem
    rng = np.random.default_rng(_RNG_SEED)
    mu, log_var = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    zeros = np.zeros((2, 4))
    if not np.allclose(np.asarray(answer(zeros, zeros), dtype=float), 0.0, atol=1e-6):
        return "for q(z|x) = N(0, I) (mu = 0, log_var = 0) the KL to the prior must be 0"
    got = np.asarray(answer(mu, log_var), dtype=float)
    if got.shape == (6,) and np.allclose(got, 2 * _kl_reference(mu, log_var), rtol=1e-4):
        return "your values are twice the KL: did you forget the factor 1/2?"
    if got.shape == (6,) and np.allclose(got, _kl_reference(mu, log_var) / 4, rtol=1e-4):
        return "you averaged over the latent dimensions; the KL is a sum over them"
    return _compare(got, _kl_reference(mu, log_var), "kl_to_prior")


def _solve_kl():
    def kl_to_prior(mu, log_var):
        return 0.5 * np.sum(np.exp(log_var) + mu**2 - 1.0 - log_var, axis=1)

    return kl_to_prior


q1 = Exercise(
    "Q1 the KL term",
    _check_kl,
    "KL(N(mu, sigma^2) || N(0, 1)) = 1/2 (sigma^2 + mu^2 - 1 - log sigma^2) per dimension, and "
    "sigma^2 = exp(log_var). Sum over the latent dimensions (axis=1), do not average.",
    _solve_kl,
)


# ----------------------------------------------------------------------------- q2


def _check_reparam(answer):
    problem = _as_function(answer)
    if problem:
        return problem
    rng = np.random.default_rng(_RNG_SEED + 1)
    mu, log_var, eps = rng.normal(size=(5, 3)), rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    got = np.asarray(answer(mu, log_var, eps), dtype=float)
    expected = mu + np.exp(0.5 * log_var) * eps
    if got.shape == expected.shape and np.allclose(got, mu + np.exp(log_var) * eps):
        return "you multiplied eps by the variance exp(log_var); use the standard deviation exp(log_var / 2)"
    if got.shape != expected.shape:
        return f"returned shape {got.shape}; expected {expected.shape}, the shape of mu"
    if not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
        return "z should be mu + sigma * eps with sigma = exp(log_var / 2)"
    return None


def _solve_reparam():
    def reparameterise(mu, log_var, eps):
        return mu + np.exp(0.5 * log_var) * eps

    return reparameterise


q2 = Exercise(
    "Q2 the reparameterisation trick",
    _check_reparam,
    "z = mu + sigma * eps, and log_var is log sigma^2, so sigma = exp(log_var / 2).",
    _solve_reparam,
)


# ----------------------------------------------------------------------------- q3


def _iwae_reference(log_w):
    top = log_w.max(axis=1, keepdims=True)
    return -(top[:, 0] + np.log(np.mean(np.exp(log_w - top), axis=1)))


def _check_iwae(answer):
    problem = _as_function(answer)
    if problem:
        return problem
    rng = np.random.default_rng(_RNG_SEED + 2)
    small = rng.normal(size=(4, 5))
    got_small = np.asarray(answer(small), dtype=float)
    problem = _compare(got_small, _iwae_reference(small), "iwae_from_log_weights")
    if problem:
        return problem
    realistic = -900.0 + 5.0 * rng.normal(size=(4, 50))  # exp() of these underflows to 0
    return _compare(
        np.asarray(answer(realistic), dtype=float),
        _iwae_reference(realistic),
        "iwae_from_log_weights on log-weights near -900 (use the log-sum-exp trick)",
    )


def _solve_iwae():
    def iwae_from_log_weights(log_w):
        top = log_w.max(axis=1, keepdims=True)  # subtract the largest before exp()
        mean_w = np.mean(np.exp(log_w - top), axis=1)
        return -(top[:, 0] + np.log(mean_w))

    return iwae_from_log_weights


q3 = Exercise(
    "Q3 a stable IWAE estimate",
    _check_iwae,
    "log mean_i exp(a_i) = m + log mean_i exp(a_i - m) with m = max_i a_i: after subtracting "
    "the maximum, the largest term is exp(0) = 1 and nothing underflows.",
    _solve_iwae,
)


# ----------------------------------------------------------------------------- q4


def _check_best_beta(answer, sweep):
    if not isinstance(sweep, dict) or not sweep:
        return "pass the sweep results: ex.q4.check(answer, sweep=sweep)"
    best = max(sweep, key=lambda b: -(sweep[b]["rec"] + sweep[b]["kl"]))
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return f"expected a number (one of {sorted(sweep)}), got {answer!r}"
    if value not in sweep:
        return f"{value:g} is not one of the betas in the sweep, {sorted(sweep)}"
    if value != best:
        elbo = -(sweep[value]["rec"] + sweep[value]["kl"])
        return (
            f"beta={value:g} has a test ELBO of {elbo:.1f} nats; another beta scores higher. "
            "Compute -(rec + kl) for each"
        )
    return None


def _solve_best_beta(sweep):
    return max(sweep, key=lambda b: -(sweep[b]["rec"] + sweep[b]["kl"]))


def _sweep_inputs():
    return {
        "sweep": {
            0.5: {"rec": 80.0, "kl": 35.0},
            1.0: {"rec": 86.0, "kl": 26.0},
            4.0: {"rec": 120.0, "kl": 12.0},
        }
    }


q4 = Exercise(
    "Q4 read the beta trade-off",
    _check_best_beta,
    "The ELBO does not depend on beta: it is always -(reconstruction + KL), with weight 1 on "
    "the KL. beta only changes what the training optimised.",
    _solve_best_beta,
    make_inputs=_sweep_inputs,
)
