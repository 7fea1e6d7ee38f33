"""Exercises of lesson 07: dimensionality reduction with autoencoders, PCA and t-SNE.

q1: a decision: the fewest principal components that match the 10-D autoencoder's test error.
q2: a decision on this run's data: is t-SNE's 5-NN lead over AE-2 clear, by a paired bootstrap?
q3: new Keras code, predict then measure: early stopping on held-out images for the 300-image
    autoencoder, compared on test with PCA.
"""

import numpy as np

from . import Exercise, as_number, dense_layers, describe_error, set_levels, short


def _pca_test_mse_per_k(x_train, x_test, k_max):
    """Test reconstruction MSE of PCA with k = 1..k_max components (one PCA fit)."""
    from sklearn.decomposition import PCA

    x_train = np.asarray(x_train, np.float64).reshape(len(x_train), -1)
    x_test = np.asarray(x_test, np.float64).reshape(len(x_test), -1)
    pca = PCA(k_max, random_state=0).fit(x_train)
    centred = x_test - pca.mean_
    proj = centred @ pca.components_.T  # (n, k_max); the components are orthonormal
    total = np.sum(centred**2, axis=1, keepdims=True)
    # error with k components = |x - mu|^2 - sum of the first k squared projections
    return np.mean(total - np.cumsum(proj**2, axis=1), axis=0) / x_test.shape[1]


def _check_q1(answer, want, x_train, x_test, target_mse):
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        return f"expected an int (a number of components), got {type(answer).__name__}"
    got, mse = int(answer), _pca_test_mse_per_k(x_train, x_test, want)
    if mse[-1] > target_mse * (1 + 1e-9):  # the lesson's input, not the answer, is wrong
        return "not even 100 components reach that MSE here; check target_mse"
    if got == want:
        return None
    if got > want:
        return (
            f"{short(got)} components reach the target, but fewer do too: find the smallest number"
        )
    if got < 1:
        return f"a number of components is at least 1, got {got}"
    mse_got = f"with {got} components PCA's test MSE is {mse[got - 1]:.4f}"
    return f"{mse_got}, above the target {target_mse:.4f}"


def _solve_components(x_train, x_test, target_mse):
    from sklearn.decomposition import PCA

    pca = PCA(100, random_state=0).fit(x_train)  # fit once with many components
    centred = x_test - pca.mean_
    proj = centred @ pca.components_.T  # the coordinates along the principal directions
    # error with k components = what the first k directions do not explain
    mse_per_k = (np.sum(centred**2) - np.cumsum(np.sum(proj**2, axis=0))) / centred.size
    return int(np.argmax(mse_per_k <= target_mse)) + 1


def _toy_images(seed=0):
    """Low-rank 'images' plus noise: a few directions explain most of the variance."""
    rng = np.random.default_rng(seed)
    basis = rng.normal(size=(12, 150)) * np.linspace(3, 0.5, 12)[:, None]
    x = rng.normal(size=(700, 12)) @ basis + 0.3 * rng.normal(size=(700, 150))
    x_train, x_test = x[:500], x[500:]
    target = _pca_test_mse_per_k(x_train, x_test, 20)[6] * 1.0001  # reached first with 7
    return {"x_train": x_train, "x_test": x_test, "target_mse": float(target)}


def _by_variance_share(x_train, x_test, target_mse):
    from sklearn.decomposition import PCA

    ratio = np.cumsum(PCA(100, random_state=0).fit(x_train).explained_variance_ratio_)
    return int(np.argmax(ratio >= 0.9)) + 1


q1 = Exercise(
    title="q1: components to match the autoencoder",
    hint="Fit one PCA with many components on x_train. The reconstruction error with k components "
    "is the part of (x_test - mean) that the first k directions do not explain; find the "
    "first k where the test MSE drops to target_mse or below (a loop over k works too, slower).",
    solution=_solve_components,
    checker=_check_q1,
    make_inputs=_toy_images,
    wrong_answers={
        "you matched the number of numbers (the code size): find the fewest components whose "
        "test MSE reaches the autoencoder's": lambda x_train, x_test, target_mse: 10,
        "one component too many: the smallest k whose test MSE is at or below the target": (
            lambda **inputs: _solve_components(**inputs) + 1
        ),
        "you used a 90%-variance rule: the target is the autoencoder's test MSE, not a share of "
        "variance": _by_variance_share,
    },
    slow_reference=True,  # the reference and the checker fit a PCA on x_train: not run twice
)

VERDICTS = ("t-SNE-2", "AE-2", "no clear winner")
Q2_TOL = 0.006  # an interval end may differ this much from the reference's (another resampling)


def _correct(codes, labels):
    """Per image: is its 5-fold 5-NN prediction right (the folds of the lesson's knn_cv)?"""
    from sklearn.model_selection import cross_val_predict
    from sklearn.neighbors import KNeighborsClassifier

    return cross_val_predict(KNeighborsClassifier(5), codes, labels, cv=5) == labels


def _verdict(low, high):
    return "t-SNE-2" if low > 0 else "AE-2" if high < 0 else "no clear winner"


def _interval(tsne_codes, ae_codes, labels, paired=True, sign=1):
    """90% bootstrap interval of sign * (t-SNE-2's minus AE-2's accuracy), 2,000 draws, seed 0."""
    a, b = _correct(tsne_codes, labels).astype(float), _correct(ae_codes, labels).astype(float)
    rng, n = np.random.default_rng(0), len(labels)
    draws = rng.integers(0, n, size=(2000, n))
    other = draws if paired else rng.integers(0, n, size=(2000, n))
    means = sign * (a[draws].mean(axis=1) - b[other].mean(axis=1))
    low, high = np.percentile(means, [5, 95])
    return float(low), float(high)


def _solve_q2(tsne_codes, ae_codes, labels):
    from sklearn.model_selection import cross_val_predict
    from sklearn.neighbors import KNeighborsClassifier

    def correct(codes):  # per image: is its 5-fold 5-NN prediction right? (knn_cv's folds)
        return cross_val_predict(KNeighborsClassifier(5), codes, labels, cv=5) == labels

    diff = correct(tsne_codes).astype(float) - correct(ae_codes)  # +1, 0 or -1 per image
    rng = np.random.default_rng(0)
    draws = rng.integers(0, len(diff), size=(2000, len(diff)))  # the same images for both methods
    low, high = np.percentile(diff[draws].mean(axis=1), [5, 95])  # a 90% interval
    if low > 0:
        verdict = "t-SNE-2"
    elif high < 0:
        verdict = "AE-2"
    else:
        verdict = "no clear winner"
    return float(low), float(high), verdict


def _check_q2(answer, want, tsne_codes, ae_codes, labels):
    labels = np.asarray(labels)
    if not len(tsne_codes) == len(ae_codes) == len(labels):
        return "tsne_codes, ae_codes and labels should hold one row per image: pass the lesson's"
    try:
        low, high, verdict = answer
        low, high = as_number(low), as_number(high)
    except Exception:  # not three items, or not numbers
        return f"answer with (low, high, verdict), two numbers and a str; got {short(answer)}"
    if type(verdict) is not str or verdict.strip().lower() not in [v.lower() for v in VERDICTS]:
        return f"the verdict should be one of the strings {VERDICTS}; got {short(verdict)}"
    verdict = VERDICTS[[v.lower() for v in VERDICTS].index(verdict.strip().lower())]
    if not (np.isfinite(low) and np.isfinite(high)) or low > high:
        return f"the interval should be two finite numbers, low <= high; got ({low}, {high})"
    ref_low, ref_high = want[0], want[1]
    if abs(low - ref_low) > Q2_TOL or abs(high - ref_high) > Q2_TOL:
        for (lo, hi), why in (
            (
                _interval(tsne_codes, ae_codes, labels, paired=False),
                "is about what resampling each method's images on its own gives; both accuracies "
                "come from the same images, so resample the images once for both",
            ),
            (
                _interval(tsne_codes, ae_codes, labels, sign=-1),
                "is about the interval of AE-2 minus t-SNE-2; the question is t-SNE-2 minus AE-2",
            ),
        ):
            if abs(low - lo) <= Q2_TOL and abs(high - hi) <= Q2_TOL:
                return f"({low:+.3f}, {high:+.3f}) {why}"
        mean = float(np.mean(_correct(tsne_codes, labels)) - np.mean(_correct(ae_codes, labels)))
        return (
            f"({low:+.3f}, {high:+.3f}) is not the 90% paired bootstrap interval of this run (its "
            f"mean difference is {mean:+.3f}): 5-fold predictions as knn_cv, one difference per "
            "image, the same resampled images for both methods, the 5th and 95th percentiles"
        )
    if verdict != _verdict(low, high) and 0 not in (low, high):
        return (
            f"your interval ({low:+.3f}, {high:+.3f}) is right, but it does not say {verdict!r}: "
            "on which side of 0 does the whole interval lie, if on one?"
        )
    print(
        f"t-SNE-2 minus AE-2, 5-fold 5-NN accuracy among {len(labels)} images: 90% interval "
        f"({low:+.3f}, {high:+.3f}), {verdict}. Remember that t-SNE saw these images: the lead, "
        "clear or not, says nothing about new images, which AE-2 can map and t-SNE cannot."
    )
    return None


def _q2_inputs():
    """2-D 'codes' of 200 images in 4 classes: t-SNE's a little ahead, within the noise."""
    rng = np.random.default_rng(4)
    labels = np.repeat(np.arange(4), 50)
    centres = np.array([[0, 0], [3, 0], [0, 3], [3, 3]], float)[labels]
    shared = centres + rng.normal(0, 1.2, (200, 2))  # both maps see the same hard images
    return {
        "tsne_codes": shared + rng.normal(0, 0.5, (200, 2)),
        "ae_codes": shared + rng.normal(0, 0.6, (200, 2)),
        "labels": labels,
    }


def _wrong_higher_mean(tsne_codes, ae_codes, labels):
    low, high = _interval(tsne_codes, ae_codes, labels)
    mean = np.mean(_correct(tsne_codes, labels)) - np.mean(_correct(ae_codes, labels))
    return low, high, "t-SNE-2" if mean > 0 else "AE-2"


def _wrong_interval(tsne_codes, ae_codes, labels, **how):
    low, high = _interval(tsne_codes, ae_codes, labels, **how)
    return low, high, _verdict(low, high)


q2 = Exercise(
    title="q2: is t-SNE's 5-NN lead over AE-2 clear in this run?",
    hint="Both methods are scored on the same images, so compare them image by image: for each "
    "image, did each method's 5-fold prediction get it right? Resample the images (with "
    "replacement) many times and look at how the mean difference varies. Where does 0 lie?",
    solution=_solve_q2,
    checker=_check_q2,
    make_inputs=_q2_inputs,
    slow_reference=True,  # its checker prints the interval: not run again on a refusal (a give-away)
    wrong_answers={
        "you went by the higher mean: a method wins clearly only when the whole 90% interval "
        "lies on its side of 0": _wrong_higher_mean,
        "you resampled the two methods' images separately: draw the images once and score both "
        "methods on the same draw (paired)": lambda **inputs: _wrong_interval(
            **inputs, paired=False
        ),
        "that is AE-2's accuracy minus t-SNE-2's: take t-SNE-2's minus AE-2's": (
            lambda **inputs: _wrong_interval(**inputs, sign=-1)
        ),
    },
)


def _check_q3(answer, x_small, x_test, overfitted, pca_test_mse, prediction=None):
    import keras

    if prediction is not None and prediction is not Ellipsis:
        if not isinstance(prediction, (bool, np.bool_)):
            return (
                "prediction should be True (the early-stopped autoencoder will reach a lower test "
                f"MSE than PCA-10) or False; got {short(prediction)}"
            )
    if not isinstance(answer, keras.Model):
        return f"answer should be a trained keras.Model, got {type(answer).__name__}"
    if answer is overfitted:
        return (
            "that is the lesson's small_ae, trained without early stopping: build a fresh one and "
            "train it with the EarlyStopping callback"
        )
    n_pixels = x_small.shape[1]
    try:
        shapes = tuple(answer.input_shape), tuple(answer.output_shape)
    except (AttributeError, ValueError):
        shapes = None
    if shapes != ((None, n_pixels), (None, n_pixels)):
        return (
            f"the model should read and return flattened images, (None, {n_pixels}) -> "
            f"(None, {n_pixels}): pass the whole autoencoder, not the encoder; got {shapes}"
        )
    widths = [layer.units for layer in dense_layers(answer)]
    if not widths or min(widths) != 10:
        return f"the code should hold 10 numbers, like AE-10's; your Dense widths are {widths}"
    optimizer = getattr(answer, "optimizer", None)
    if optimizer is None or int(optimizer.iterations) == 0:
        return "the model has not been trained: compile it and fit it on x_small's first 240 images"
    history = getattr(answer, "history", None)
    logs = getattr(history, "history", None)
    if not isinstance(logs, dict) or "val_loss" not in logs:
        return (
            "its last fit had no validation images, so EarlyStopping had no val_loss to watch: "
            "pass validation_data=(x_val, x_val) with the last 60 images"
        )
    epochs_run = len(getattr(history, "epoch", None) or [])
    epochs_asked = (getattr(history, "params", None) or {}).get("epochs")
    if epochs_asked is None or epochs_run >= epochs_asked:
        return (
            f"it ran all {epochs_run} epochs: early stopping never stopped it. Give it more epochs, "
            "and check that the validation images are not copies of training images "
            "(validation_split on a tiled array takes copies)"
        )

    def mse(x):
        r = keras.ops.convert_to_numpy(answer(x, training=False))
        return float(np.mean((np.asarray(x, np.float64) - r) ** 2))

    val_losses = [float(v) for v in logs["val_loss"]]
    try:
        now, stopped = mse(x_small[len(x_small) * 4 // 5 :]), mse(x_test)
    except Exception as err:
        return f"calling your model on the images raised {describe_error(err)}"
    best, last = min(val_losses), val_losses[-1]
    if not np.isclose(now, best, rtol=1e-4):  # the same weights give the same loss
        if np.isclose(now, last, rtol=1e-4):
            return (
                "the model kept the weights of its last epoch, not of its best one: "
                "EarlyStopping(..., restore_best_weights=True)"
            )
        return (
            "its error on the last 60 images matches no epoch's val_loss: validate on those, "
            f"x_small[{len(x_small) * 4 // 5}:], and train on the others"
        )
    overfit = float(
        np.mean((x_test - keras.ops.convert_to_numpy(overfitted(x_test, training=False))) ** 2)
    )
    said = {None: "no prediction written", Ellipsis: "no prediction written"}.get(
        prediction,
        f"you predicted it would {'beat' if prediction else 'not beat'} PCA",
    )
    print(
        f"test MSE: early-stopped AE {stopped:.4f} (stopped after {epochs_run} epochs, best "
        f"epoch {int(np.argmin(val_losses)) + 1}) | small_ae, no stopping {overfit:.4f} | PCA-10 "
        f"on the same {len(x_small)} images {pca_test_mse:.4f} ({said}). PCA needs no validation "
        "images: it used all of them."
    )
    return None


def _autoencoder_10(n_pixels):
    """The lesson's build_autoencoder(10) as one Sequential, compiled the same way."""
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input((n_pixels,)),
            layers.Dense(256, activation="relu"),
            layers.Dense(128, activation="relu"),
            layers.Dense(10),
            layers.Dense(128, activation="relu"),
            layers.Dense(256, activation="relu"),
            layers.Dense(n_pixels, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    return model


def _solve_q3(x_small, x_test, overfitted, pca_test_mse, prediction=None):
    import keras
    from keras import layers

    n_fit = len(x_small) * 4 // 5  # train on the first 240 of the 300 images, watch the last 60
    x_fit, x_val = x_small[:n_fit], x_small[n_fit:]
    model = keras.Sequential(  # in the lesson: model, _, _ = build_autoencoder(10)
        [
            keras.Input((x_small.shape[1],)),
            layers.Dense(256, activation="relu"),
            layers.Dense(128, activation="relu"),
            layers.Dense(10),
            layers.Dense(128, activation="relu"),
            layers.Dense(256, activation="relu"),
            layers.Dense(x_small.shape[1], activation="sigmoid"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True)
    model.fit(
        x_fit,
        x_fit,
        validation_data=(x_val, x_val),  # images it never trains on
        epochs=1000,  # an upper bound: the callback stops it
        batch_size=32,
        callbacks=[stop],
        verbose=0,
    )
    return model


def _q3_inputs():
    """120 'images' of 32 random pixels whose last 20% (the validation images) are brighter than
    the rest: what the model learns from the others fits them worse from the first epochs on, so
    early stopping stops it within a few seconds."""
    import keras
    from sklearn.decomposition import PCA

    rng = np.random.default_rng(0)
    x_small = 0.4 * rng.random((120, 32)).astype("float32")
    x_small[96:] += 0.5
    x_test = rng.random((200, 32)).astype("float32")
    keras.utils.set_random_seed(0)
    overfitted = _autoencoder_10(32)
    overfitted.fit(x_small, x_small, epochs=3, batch_size=32, verbose=0)
    pca = PCA(10, random_state=0).fit(x_small)
    pca_mse = float(np.mean((x_test - pca.inverse_transform(pca.transform(x_test))) ** 2))
    return {"x_small": x_small, "x_test": x_test, "overfitted": overfitted, "pca_test_mse": pca_mse}


def _early_stopped(x_small, restore=True, validate=True, copies=False):
    """A fresh 10-D autoencoder trained on x_small's first 80%, maybe with early stopping."""
    import keras

    n_fit = len(x_small) * 4 // 5
    x_fit, x_val = x_small[:n_fit], x_small[n_fit:]
    model = _autoencoder_10(x_small.shape[1])
    stop = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=restore)
    if not validate:
        model.fit(x_fit, x_fit, epochs=3, batch_size=32, verbose=0)
    elif copies:  # validation_split on a tiled array: the held-out half copies the other
        x_twice = np.tile(x_fit, (2, 1))
        model.fit(
            x_twice,
            x_twice,
            validation_split=0.5,
            epochs=12,
            batch_size=32,
            callbacks=[stop],
            verbose=0,
        )
    else:
        model.fit(
            x_fit,
            x_fit,
            validation_data=(x_val, x_val),
            epochs=1000,
            batch_size=32,
            callbacks=[stop],
            verbose=0,
        )
    return model


q3 = Exercise(
    title="q3: can early stopping rescue the 300-image autoencoder? Predict, then measure",
    checker=_check_q3,
    hint="keras.callbacks.EarlyStopping watches a number that fit() logs after each epoch; which "
    "number needs images the model does not train on, and how do you hand them to fit()? Think "
    "also about which weights you want to keep when it stops.",
    solution=_solve_q3,
    make_inputs=_q3_inputs,
    slow_reference=True,  # its solution fits a model
    wrong_answers={
        "that is the lesson's small_ae, trained without early stopping: build a fresh one": (
            lambda x_small, x_test, overfitted, pca_test_mse, prediction=None: overfitted
        ),
        "trained without validation images: EarlyStopping needs a val_loss to watch": (
            lambda x_small, x_test, overfitted, pca_test_mse, prediction=None: _early_stopped(
                x_small, validate=False
            )
        ),
        "the best weights were not restored: restore_best_weights=True": (
            lambda x_small, x_test, overfitted, pca_test_mse, prediction=None: _early_stopped(
                x_small, restore=False
            )
        ),
        "the validation images were copies of training images, so it never stopped": (
            lambda x_small, x_test, overfitted, pca_test_mse, prediction=None: _early_stopped(
                x_small, copies=True
            )
        ),
    },
)

# difficulty (1-3), expected minutes and kind of each exercise, shown in its messages
set_levels(globals(), q1=(1, 10, "decision"), q2=(3, 20, "decision"), q3=(2, 15, "new code"))
