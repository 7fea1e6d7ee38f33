"""Exercises of lesson 09: feature learning with few labels."""

import numpy as np

from . import Exercise, FunctionExercise, Mistake, set_levels


def _check_q1(head_on_frozen, encoder):
    import keras

    encoder, pretrained = keras.models.clone_model(encoder), encoder.get_weights()
    encoder.set_weights(pretrained)  # a copy: the check must not freeze the lesson's encoder
    model = head_on_frozen(encoder)
    if not isinstance(model, keras.Model):
        return f"expected a keras.Model, got {type(model).__name__}"
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", True):
        return "compile the model (optimizer and loss) before returning it"
    x = np.random.default_rng(0).random((8, *encoder.input_shape[1:])).astype("float32")
    out = keras.ops.convert_to_numpy(model(x, training=False))
    if out.shape != (8, 10):
        return f"the model's output has shape {out.shape[1:]} per image; expected 10 class probabilities"
    if not np.allclose(out.sum(axis=1), 1.0, atol=1e-4) or out.min() < 0:
        return "the outputs are not probabilities: the head needs a softmax"
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    head = int(encoder.output_shape[-1]) * 10 + 10
    if trainable != head:
        return f"{trainable:,} weights are trainable; only the head's {head:,} should be (freeze the encoder)"
    used = [w for layer in model.layers for w in layer.get_weights()]
    if not all(any(w.shape == p.shape and np.array_equal(w, p) for w in used) for p in pretrained):
        return "the model does not contain the pretrained encoder's weights: use the encoder you were given"
    loss = getattr(model, "loss", None)
    name = loss if isinstance(loss, str) else getattr(loss, "name", type(loss).__name__)
    if "sparsecategorical" not in str(name).lower().replace("_", ""):
        return f"the loss is {name!r}; integer labels 0-9 with softmax outputs need the sparse categorical cross-entropy"
    return None


def _solve_q1(encoder):
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

    keras.utils.set_random_seed(0)
    dense = [keras.layers.Dense(16, activation="relu"), keras.layers.Dense(8)]
    return {"encoder": keras.Sequential([keras.Input((784,)), *dense])}


def _head_with(encoder, frozen=True, fresh=False, activation="softmax"):
    """A wrong head_on_frozen: the encoder left trainable, or a fresh clone, or no softmax."""
    import keras
    from keras import layers

    def head_on_frozen(encoder):
        if fresh:
            encoder = keras.models.clone_model(encoder)  # same layers, new random weights
        encoder.trainable = not frozen
        model = keras.Sequential([encoder, layers.Dense(10, activation=activation)])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model

    return head_on_frozen


q1 = FunctionExercise(
    title="q1: a head on a frozen encoder",
    signature="head_on_frozen(encoder)",
    hint="Set the encoder's `trainable` attribute before you compile; stack it and a new Dense "
    "layer with 10 units in a keras.Sequential; the labels are integers, which picks the loss.",
    solution=_solve_q1,
    checker=_check_q1,
    make_inputs=_toy_encoder,
    wrong_answers=[
        Mistake("the encoder is left trainable: fit would change it", _head_with, frozen=False),
        Mistake("clone_model gives new random weights, not the pretrained", _head_with, fresh=True),
        Mistake("the head has no softmax: no class probabilities", _head_with, activation=None),
    ],
)


def _solve_q2(acc_a, acc_b):
    from scipy import stats

    return stats.ttest_rel(acc_a, acc_b, alternative="greater").pvalue  # pairs: the same label draw


def _ttest(acc_a, acc_b, test="ttest_rel", **how):
    from scipy import stats

    return getattr(stats, test)(acc_a, acc_b, **how)


q2 = Exercise(
    title="q2: a paired t-test",
    hint="scipy.stats has one t-test for two independent samples and one for related (paired) "
    "samples; the `alternative` argument makes a test one-sided.",
    solution=_solve_q2,
    make_inputs=lambda: {
        "acc_a": np.array([0.712, 0.695, 0.731, 0.702, 0.689, 0.720]),
        "acc_b": np.array([0.705, 0.690, 0.721, 0.703, 0.680, 0.712]),
    },
    wrong_answers={
        "you used an unpaired t-test: both accuracies come from the same label draws, so pair "
        "them (ttest_rel)": lambda acc_a, acc_b: (
            _ttest(acc_a, acc_b, "ttest_ind", alternative="greater").pvalue
        ),
        "you asked a two-sided question: the claim is that A is better, so "
        'alternative="greater"': lambda acc_a, acc_b: _ttest(acc_a, acc_b).pvalue,
        "you returned the t statistic: the question asks for the test's p-value (a probability "
        "between 0 and 1)": lambda acc_a, acc_b: (
            _ttest(acc_a, acc_b, alternative="greater").statistic
        ),
        "you returned the mean difference: the question asks for the test's p-value": (
            lambda acc_a, acc_b: float(np.mean(np.asarray(acc_a) - np.asarray(acc_b)))
        ),
    },
)

# difficulty (1-3) and expected minutes of each exercise, shown in its messages
set_levels(globals(), q1=(2, 15, "new code"), q2=(2, 10, "decision"))
