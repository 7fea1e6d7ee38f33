"""Exercises of lesson 07: dimensionality reduction with autoencoders, PCA and t-SNE.

In the notebook: ``from aehelpers.exercises import lesson07 as ex``, then ``ex.q2.check(answer,
small_train=small_train, small_test=small_test, big_train=big_train)``.
"""

import numpy as np

from . import Exercise, FunctionExercise, Mistake, set_levels, short


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

_DIAGNOSES = ("overfitting", "undertraining")


def _check_q2(answer, want, small_train, small_test, big_train):
    if type(answer) is not str or answer.strip().lower() not in _DIAGNOSES:  # no lying str subclass
        return f"answer with one of the strings {_DIAGNOSES}, got {short(answer)}"
    if answer.strip().lower() != want:
        return (
            f"compare the small model's training error ({small_train:.4f}) with its test error "
            f"({small_test:.4f}) and with the big model's training error ({big_train:.4f})"
        )
    return None


def _solve_diagnosis(small_train, small_test, big_train):
    fits_its_images = small_train <= big_train  # it fits its own images at least as well
    generalises = small_test <= 1.5 * small_train  # the test error is close to the training error
    return "overfitting" if fits_its_images and not generalises else "undertraining"


q2 = Exercise(
    title="q2: overfitting or undertraining?",
    hint="An undertrained model has not even fitted the images it trained on; an overfitted one "
    "fits them well and new images badly. Which of the two does the training error say?",
    solution=_solve_diagnosis,
    checker=_check_q2,
    make_inputs=lambda: {"small_train": 0.006, "small_test": 0.031, "big_train": 0.012},
    wrong_answers={
        "compare the small model's training error with its test error: a large gap means it "
        "memorised its few images": lambda **inputs: "undertraining",
        'answer with one of the two diagnoses, "overfitting" or "undertraining"': (
            lambda **inputs: "the test error is high"
        ),
    },
)


class _WatchedModel:
    """Wraps a Keras model; records the batch sizes and modes it is called with."""

    def __init__(self, model):
        self.model, self.calls, self.used_predict = model, [], False

    def __call__(self, x, training=None, **kwargs):
        self.calls.append((len(x), bool(training)))
        return self.model(x, training=training, **kwargs)

    def predict(self, x, *args, **kwargs):
        self.used_predict = True
        return self.model.predict(x, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.model, name)


def _check_q3(encode_batches, encoder, x):
    import keras

    x, batch_size = np.asarray(x)[:300], 64
    watched = _WatchedModel(encoder)
    got = encode_batches(watched, x, batch_size=batch_size)
    if watched.used_predict:
        return "call the model itself, model(x_batch, training=False), not model.predict"
    if not isinstance(got, np.ndarray):
        got = type(got).__name__
        return f"expected one NumPy array, got {got}: convert with keras.ops.convert_to_numpy"
    want = keras.ops.convert_to_numpy(encoder(x, training=False))
    if got.shape != want.shape:
        return f"expected shape {want.shape} (one code per row of x), got {got.shape}"
    if not watched.calls or max(size for size, _ in watched.calls) > batch_size:
        return f"with batch_size={batch_size} no call may see more than {batch_size} rows"
    if any(training for _, training in watched.calls):
        return (
            "run the model in inference mode (training=False): dropout and noise layers must be off"
        )
    if not np.allclose(got, want, atol=1e-5):
        return "the codes differ from encoder(x, training=False); are the batches in order?"
    return None


def _solve_encode(encoder, x):
    import keras

    def encode_batches(encoder, x, batch_size=256):
        codes = []
        for start in range(0, len(x), batch_size):
            batch = encoder(x[start : start + batch_size], training=False)  # a backend tensor
            codes.append(keras.ops.convert_to_numpy(batch))
        return np.concatenate(codes)

    return encode_batches


def _toy_encoder():
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    encoder = keras.Sequential(
        [keras.Input((20,)), layers.Dense(16, "relu"), layers.Dropout(0.5), layers.Dense(3)]
    )
    return {"encoder": encoder, "x": np.random.default_rng(0).random((150, 20)).astype("float32")}


def _encode_variant(encoder, x, training=False, batched=True, numpy=True):
    """A wrong encode_batches: in training mode, in one batch, or returning a backend tensor."""
    import keras

    def encode_batches(encoder, x, batch_size=256):
        size = batch_size if batched else len(x)
        parts = [encoder(x[i : i + size], training=training) for i in range(0, len(x), size)]
        codes = keras.ops.concatenate(parts)
        return keras.ops.convert_to_numpy(codes) if numpy else codes

    return encode_batches


q3 = FunctionExercise(
    title="q3: encode in batches",
    signature="encode_batches(encoder, x, batch_size=256)",
    checker=_check_q3,
    hint="Loop over start = 0, batch_size, 2*batch_size, ...; call the model on each slice in "
    "inference mode; turn each result into NumPy and join them along the first axis.",
    solution=_solve_encode,
    make_inputs=_toy_encoder,
    wrong_answers=[
        Mistake(
            "you ran the model in training mode: dropout stays on", _encode_variant, training=True
        ),
        Mistake(
            "you encoded all rows in one call: slice x into batches", _encode_variant, batched=False
        ),
        Mistake("you returned a backend tensor: convert it to NumPy", _encode_variant, numpy=False),
    ],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(1, 10, "decision"), q2=(1, 5, "decision"), q3=(1, 10, "new code"))
