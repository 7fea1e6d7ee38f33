"""Noise functions: seeded, in range, the advertised amount, clear errors."""

import numpy as np
import pytest

from aehelpers import noise

X = np.random.default_rng(0).random((4, 28, 28)).astype(np.float32)
KINDS = [("gaussian", 0.3), ("salt_and_pepper", 0.2), ("masking", 0.5)]


@pytest.mark.parametrize(("kind", "level"), KINDS)
def test_noise_is_seeded_in_range_and_keeps_shape(kind, level):
    a = noise.add_noise(X, kind, level, seed=3)
    b = noise.add_noise(X, kind, level, seed=3)
    c = noise.add_noise(X, kind, level, seed=4)
    assert a.shape == X.shape and a.dtype == np.float32
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.min() >= 0 and a.max() <= 1


@pytest.mark.parametrize(
    ("kind", "level"), [("gaussian", 0.0), ("salt_and_pepper", 0.0), ("masking", 0.0)]
)
def test_zero_level_leaves_images_unchanged(kind, level):
    assert np.array_equal(noise.add_noise(X, kind, level), X)


def test_gaussian_noise_has_the_requested_std_before_clipping():
    grey = np.full((20, 28, 28), 0.5, np.float32)
    diff = noise.gaussian_noise(grey, 0.1, seed=0) - grey
    assert abs(diff.std() - 0.1) < 0.005 and abs(diff.mean()) < 0.005


def test_salt_and_pepper_replaces_the_fraction_with_black_and_white():
    grey = np.full((20, 28, 28), 0.5, np.float32)
    out = noise.salt_and_pepper(grey, 0.2, seed=0)
    hit = out != 0.5
    assert abs(hit.mean() - 0.2) < 0.01
    assert set(np.unique(out[hit])) == {0.0, 1.0}
    assert abs((out[hit] == 1).mean() - 0.5) < 0.05


def test_masking_noise_zeroes_the_fraction_and_keeps_the_rest():
    ones = np.ones((20, 28, 28), np.float32)
    out = noise.masking_noise(ones, 0.3, seed=0)
    assert abs((out == 0).mean() - 0.3) < 0.01
    assert np.all((out == 0) | (out == 1))


def test_noise_accepts_a_numpy_generator_and_flattened_or_channel_images():
    rng = np.random.default_rng(1)
    assert noise.gaussian_noise(X.reshape(4, 784), 0.1, seed=rng).shape == (4, 784)
    assert noise.masking_noise(X[..., None], 0.1).shape == (4, 28, 28, 1)


@pytest.mark.parametrize(
    ("func", "level", "match"),
    [
        (noise.gaussian_noise, -0.1, "sigma must be in"),
        (noise.salt_and_pepper, 1.5, "amount must be in"),
        (noise.masking_noise, -1, "fraction must be in"),
        (noise.masking_noise, float("nan"), "fraction must be in"),
    ],
)
def test_invalid_levels_are_rejected_with_the_allowed_range(func, level, match):
    with pytest.raises(ValueError, match=match):
        func(X, level)


def test_level_must_be_a_number():
    with pytest.raises(TypeError, match="sigma must be a number"):
        noise.gaussian_noise(X, "0.2")


@pytest.mark.parametrize(
    ("images", "match"),
    [
        (X * 255, r"scaled to \[0, 1\] \(divide by 255\)"),
        (np.full((2, 28, 28), np.nan), "NaN"),
        (np.zeros(5), "expected 2-D or 3-D or 4-D"),
        (np.zeros((2, 28, 28, 3)), "1 channel"),
    ],
)
def test_bad_images_get_a_message_saying_what_was_expected(images, match):
    with pytest.raises(ValueError, match=match):
        noise.gaussian_noise(images, 0.1)


def test_bad_seed_and_unknown_kind_are_rejected():
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        noise.gaussian_noise(X, 0.1, seed=-1)
    with pytest.raises(ValueError, match="unknown noise kind 'speckle'"):
        noise.add_noise(X, "speckle", 0.1)
