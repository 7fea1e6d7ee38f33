"""Exercises of lesson 09: feature learning with few labels."""

import numpy as np

from . import Exercise, FunctionExercise, set_levels

# q1 -------------------------------------------------------------------------


def _copy_of(encoder):
    """A fresh copy of the encoder with the same weights (the check must not freeze the lesson's)."""
    import keras

    copy = keras.models.clone_model(encoder)
    copy.set_weights(encoder.get_weights())
    return copy


def _check_head(head_on_frozen, encoder):
    import keras

    encoder = _copy_of(encoder)
    pretrained = [np.array(w) for w in encoder.get_weights()]
    model = head_on_frozen(encoder)
    if not isinstance(model, keras.Model):
        return f"expected a keras.Model, got {type(model).__name__}"
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", True):
        return "compile the model (optimizer and loss) before returning it"
    code_dim = int(encoder.output_shape[-1])
    x = np.random.default_rng(0).random((8, *encoder.input_shape[1:])).astype("float32")
    out = keras.ops.convert_to_numpy(model(x, training=False))
    if out.shape != (8, 10):
        return f"the model's output has shape {out.shape[1:]} per image; expected 10 class probabilities"
    if not np.allclose(out.sum(axis=1), 1.0, atol=1e-4) or out.min() < 0:
        return "the outputs are not probabilities: the head needs a softmax"
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    if trainable != code_dim * 10 + 10:
        return (
            f"{trainable:,} weights are trainable; only the head's {code_dim * 10 + 10:,} should be "
            "(freeze the encoder)"
        )
    used = [w for layer in model.layers for w in layer.get_weights()]
    if not all(any(w.shape == p.shape and np.array_equal(w, p) for w in used) for p in pretrained):
        return "the model does not contain the pretrained encoder's weights: use the encoder you were given"
    loss = getattr(model, "loss", None)
    name = loss if isinstance(loss, str) else getattr(loss, "name", type(loss).__name__)
    if (
        "sparse_categorical" not in str(name).lower()
        and "sparsecategorical" not in str(name).lower()
    ):
        return f"the loss is {name!r}; integer labels 0-9 with softmax outputs need the sparse categorical cross-entropy"
    return None


def _solve_head(encoder):
    import keras
    from keras import layers

    def head_on_frozen(encoder):
        encoder.trainable = False  # the pretrained weights stay as they are
        model = keras.Sequential([encoder, layers.Dense(10, activation="softmax")])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
        return model

    return head_on_frozen


def _toy_encoder():
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    encoder = keras.Sequential(
        [keras.Input((784,)), layers.Dense(16, activation="relu"), layers.Dense(8)]
    )
    return {"encoder": encoder}


def _wrong_not_frozen(encoder):
    import keras
    from keras import layers

    def head_on_frozen(encoder):
        model = keras.Sequential([encoder, layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model

    return head_on_frozen


def _wrong_fresh_encoder(encoder):
    import keras
    from keras import layers

    def head_on_frozen(encoder):
        fresh = keras.models.clone_model(encoder)  # same layers, new random weights
        fresh.trainable = False
        model = keras.Sequential([fresh, layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model

    return head_on_frozen


def _wrong_no_softmax(encoder):
    import keras
    from keras import layers

    def head_on_frozen(encoder):
        encoder.trainable = False
        model = keras.Sequential([encoder, layers.Dense(10)])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model

    return head_on_frozen


q1 = FunctionExercise(
    "q1: a head on a frozen encoder",
    "head_on_frozen(encoder)",
    _check_head,
    "Set the encoder's `trainable` attribute before you compile; stack it and a new Dense "
    "layer with 10 units in a keras.Sequential; the labels are integers, which picks the loss.",
    _solve_head,
    _toy_encoder,
    wrong_answers=[_wrong_not_frozen, _wrong_fresh_encoder, _wrong_no_softmax],
)

# q2 -------------------------------------------------------------------------


def _check_paired_p(answer, acc_a, acc_b):
    from scipy import stats

    if isinstance(answer, (bool, np.bool_)) or np.ndim(answer) != 0:
        return f"expected one number (a p-value), got {type(answer).__name__}"
    got = float(answer)
    want = stats.ttest_rel(acc_a, acc_b, alternative="greater").pvalue
    if np.isclose(got, want, rtol=1e-6, atol=1e-12):
        return None
    if np.isclose(got, stats.ttest_ind(acc_a, acc_b, alternative="greater").pvalue, rtol=1e-6):
        return "that test treats the two lists as unrelated samples; the accuracies come in pairs (same draw)"
    if np.isclose(got, stats.ttest_rel(acc_a, acc_b).pvalue, rtol=1e-6):
        return "that is the two-sided p-value; the question is one-sided (does A beat B?)"
    if not 0 <= got <= 1:
        return f"{got:.4g} is not a p-value (a probability between 0 and 1)"
    return "not the p-value of a one-sided paired t-test of acc_a > acc_b"


def _solve_paired_p(acc_a, acc_b):
    from scipy import stats

    return stats.ttest_rel(acc_a, acc_b, alternative="greater").pvalue  # pairs: the same label draw


def _toy_accuracies():
    return {
        "acc_a": np.array([0.712, 0.695, 0.731, 0.702, 0.689, 0.720]),
        "acc_b": np.array([0.705, 0.690, 0.721, 0.703, 0.680, 0.712]),
    }


def _wrong_unpaired(acc_a, acc_b):
    """You used an unpaired t-test: both accuracies come from the same label draws, so pair them (ttest_rel)."""
    from scipy import stats

    return stats.ttest_ind(acc_a, acc_b, alternative="greater").pvalue


def _wrong_two_sided(acc_a, acc_b):
    """You asked a two-sided question: the claim is that A is better, so alternative="greater"."""
    from scipy import stats

    return stats.ttest_rel(acc_a, acc_b).pvalue


def _wrong_mean_difference(acc_a, acc_b):
    """You returned the mean difference: the question asks for the test's p-value."""
    return float(np.mean(np.asarray(acc_a) - np.asarray(acc_b)))


q2 = Exercise(
    "q2: a paired t-test",
    _check_paired_p,
    "scipy.stats has one t-test for two independent samples and one for related (paired) "
    "samples; the `alternative` argument makes a test one-sided.",
    _solve_paired_p,
    _toy_accuracies,
    wrong_answers=[_wrong_unpaired, _wrong_two_sided, _wrong_mean_difference],
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 15), q2=(2, 10))
