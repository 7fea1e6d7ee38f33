"""Damaged-document generator, patch helpers, page metric, classical baselines, denoisers, PSNR/SSIM."""

import numpy as np
import pytest

from aehelpers import baselines, denoisers, documents, metrics


@pytest.fixture(scope="module")
def docs():
    return documents.make_documents(4, height=64, width=96, seed=0)


def test_documents_are_deterministic_and_differ_by_seed(docs):
    again = documents.make_documents(4, height=64, width=96, seed=0)
    other = documents.make_documents(4, height=64, width=96, seed=1)
    assert np.array_equal(docs.clean, again.clean) and np.array_equal(docs.dirty, again.dirty)
    assert not np.array_equal(docs.dirty, other.dirty)


def test_documents_have_text_on_white_paper_and_every_damage_kind(docs):
    assert docs.clean.shape == docs.dirty.shape == (4, 64, 96)
    assert docs.clean.dtype == np.float32 and docs.dirty.dtype == np.float32
    for pages in (docs.clean, docs.dirty):
        assert pages.min() >= 0 and pages.max() <= 1
    assert np.median(docs.clean) > 0.99  # mostly paper
    assert (docs.clean < 0.5).mean() > 0.02  # but with ink
    assert {d[0] for d in docs.damages} == set(documents.DAMAGES)
    assert all(font in documents.FONTS for font, _ in docs.fonts)
    assert documents.page_rmse(docs.clean, docs.dirty) > 0.05  # the damage is visible


@pytest.mark.parametrize("damage", documents.DAMAGES)
def test_each_damage_darkens_the_paper(damage):
    blank = np.ones((64, 96), np.float32)
    assert documents.damage_page(blank, [damage], seed=0).mean() < 0.97


def test_patches_cover_every_pixel_and_reconstruct_pages_exactly(docs):
    patches = documents.extract_patches(docs.dirty, size=32, stride=24)
    assert patches.shape[1:] == (32, 32)
    back = documents.reconstruct_pages(patches, docs.dirty.shape, stride=24)
    np.testing.assert_allclose(back, docs.dirty, atol=1e-6)
    one = documents.extract_patches(docs.dirty[0], size=32, stride=32)
    np.testing.assert_allclose(
        documents.reconstruct_pages(one[..., None], (64, 96), 32), docs.dirty[0]
    )


def test_random_patches_match_between_clean_and_dirty(docs):
    clean, dirty = documents.random_patches(docs.clean, docs.dirty, size=16, n=20, seed=0)
    assert clean.shape == dirty.shape == (20, 16, 16)
    again, _ = documents.random_patches(docs.clean, docs.dirty, size=16, n=20, seed=0)
    assert np.array_equal(clean, again)


def test_classical_baselines_clean_pages_better_than_doing_nothing(docs):
    noisy = documents.page_rmse(docs.clean, docs.dirty)
    assert documents.page_rmse(docs.clean, baselines.background_subtraction(docs.dirty, 11)) < noisy
    binary = baselines.adaptive_threshold(docs.dirty[0], block_size=25, offset=0.05)
    assert binary.shape == (64, 96) and set(np.unique(binary)) <= {0.0, 1.0}


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda d: documents.extract_patches(d.dirty, size=80), "larger than the pages"),
        (lambda d: documents.extract_patches(d.dirty, size=16, stride=20), "stride must be <= 16"),
        (
            lambda d: documents.reconstruct_pages(np.zeros((3, 32, 32)), d.dirty.shape, 24),
            "got 3 patches",
        ),
        (lambda d: documents.page_rmse(d.clean, d.dirty[:2]), "expected the same shape"),
        (lambda d: documents.page_rmse(d.clean, d.dirty * 255), "expected values <= 1"),
        (lambda d: baselines.adaptive_threshold(d.dirty, block_size=24), "must be odd"),
        (lambda d: documents.damage_page(d.clean[0], ["ink_blot"]), "unknown damage"),
        (lambda d: documents.make_documents(2, damages=("mud",)), "non-empty subset"),
        (lambda d: documents.render_text_page(64, 64, font="Comic.ttf"), "not found"),
    ],
)
def test_bad_input_gets_a_message_saying_what_was_expected(docs, call, match):
    with pytest.raises(ValueError, match=match):
        call(docs)


# ----------------------------------------------------------------------------- PSNR / SSIM / denoisers

RNG = np.random.default_rng(0)
CLEAN = RNG.random((6, 28, 28)).astype(np.float32)
NOISY = np.clip(CLEAN + 0.1 * RNG.standard_normal(CLEAN.shape), 0, 1).astype(np.float32)


def test_psnr_and_ssim_match_scikit_image_per_image():
    from skimage.metrics import peak_signal_noise_ratio, structural_similarity

    per = metrics.psnr_per_image(CLEAN, NOISY)
    expected = [
        peak_signal_noise_ratio(a, b, data_range=1) for a, b in zip(CLEAN, NOISY, strict=True)
    ]
    np.testing.assert_allclose(per, expected, rtol=1e-5)
    assert metrics.psnr(CLEAN, NOISY) == pytest.approx(np.mean(expected), rel=1e-5)
    s = [
        structural_similarity(a.astype(float), b.astype(float), data_range=1)
        for a, b in zip(CLEAN, NOISY, strict=True)
    ]
    np.testing.assert_allclose(metrics.ssim_per_image(CLEAN, NOISY), s, rtol=1e-5)
    assert metrics.ssim(CLEAN, CLEAN) == pytest.approx(1.0)
    assert metrics.psnr(CLEAN.reshape(6, 784), NOISY.reshape(6, 784)) == pytest.approx(
        np.mean(expected), rel=1e-5
    )


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [
        (CLEAN, NOISY[:3], "expected the same shape"),
        (CLEAN * 255, NOISY, "divide by 255"),
        (CLEAN, np.full_like(NOISY, np.nan), "NaN"),
        (CLEAN[:, :5, :5], NOISY[:, :5, :5], "too small for SSIM"),
    ],
)
def test_quality_metrics_reject_bad_input(a, b, match):
    with pytest.raises(ValueError, match=match):
        metrics.ssim(a, b)


def test_tuned_denoisers_improve_psnr_and_report_their_parameter():
    tuned = baselines.tune_denoisers(NOISY[:3], CLEAN[:3], grids={"nl_means": (0.1,)})
    assert set(tuned) == set(baselines.DENOISERS)
    for t in tuned.values():
        out = t.apply(NOISY)
        assert out.shape == NOISY.shape and out.min() >= 0 and out.max() <= 1
        assert t.param in str(t) and np.isfinite(t.val_psnr)
    smooth = np.tile(np.linspace(0, 1, 28, dtype=np.float32), (6, 28, 1))
    noisy = np.clip(smooth + 0.2 * RNG.standard_normal(smooth.shape), 0, 1).astype(np.float32)
    best = baselines.tune_denoisers(noisy[:3], smooth[:3], names=["gaussian_blur"])["gaussian_blur"]
    assert metrics.psnr(smooth, best.apply(noisy)) > metrics.psnr(smooth, noisy) + 3


def test_tune_denoisers_rejects_unknown_names_and_mismatched_images():
    with pytest.raises(ValueError, match="unknown denoisers"):
        baselines.tune_denoisers(NOISY, CLEAN, names=["wiener"])
    with pytest.raises(ValueError, match="same shape"):
        baselines.tune_denoisers(NOISY, CLEAN[:2])
    with pytest.raises(ValueError, match=r"expected a batch of grey images \(n, h, w\) \(reshape"):
        denoisers.median(NOISY.reshape(6, 784))


def test_reconstruct_pages_blends_overlaps_towards_each_patch_centre():
    patches = np.stack([np.ones((32, 32)), np.zeros((32, 32))]).astype(np.float32)  # x = 0 and 24
    page = documents.reconstruct_pages(patches, (32, 56), stride=24)
    overlap = page[16, 24:32]
    assert overlap[0] > 0.8 and overlap[-1] < 0.2 and np.all(np.diff(overlap) < 0)
    assert np.all(page[:, :24] == 1) and np.all(page[:, 32:] == 0)
