"""Learned features with few labels: the linear probe (it lives in :mod:`aehelpers.baselines`).

A *linear probe* measures how useful a representation is for classification: a
logistic regression is fitted on the features of a few labelled images and scored on a
test set, repeated over several label draws. Use the *same* draws for every
representation, so the comparison is paired::

    draws = ae.label_draws(y_pool, n_labels=100, n_draws=5)
    raw = ae.linear_probe(x_pool, y_pool, x_test, y_test, draws)
    codes = ae.linear_probe(encoder.predict(x_pool), y_pool, encoder.predict(x_test), y_test, draws)
"""

from .baselines import ProbeResult, label_draws, linear_probe

__all__ = ["ProbeResult", "label_draws", "linear_probe"]
