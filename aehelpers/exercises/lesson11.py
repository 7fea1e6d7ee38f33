"""Exercises of lesson 11: autoencoders for sequences."""

import numpy as np

from . import Exercise, Mistake, as_number, set_levels, short


def _series_problem(**arrays):
    """A message naming the lesson input that cannot be what the lesson passes, else None."""
    for name, value in arrays.items():
        if np.ndim(value) != 1:
            return (
                f"`{name}` looks wrong (shape {np.shape(value)}): pass the 1-D array your run built"
            )
    return None


# -- q1: a per-beat threshold and the interval on its false-alarm rate -----------------------
def _per_beat(values, period, reduce=np.max):
    """One number per beat: ``reduce`` over the windows starting at j*period ... (j+1)*period - 1."""
    values = np.asarray(values, dtype=np.float64)
    return reduce(values[: len(values) // period * period].reshape(-1, period), axis=1)


def _clopper_pearson(alarms, n):
    from scipy.stats import binomtest

    ci = binomtest(int(alarms), int(n)).proportion_ci(0.95)
    return (float(ci.low), float(ci.high))


def _beat_counts(val_errors, test_errors, y_test, period):
    """(threshold, alarms among the normal test beats, normal test beats), as the solution counts."""
    t = _per_beat(val_errors, period).max()
    normal = _per_beat(test_errors, period)[_per_beat(y_test, period) == 0]
    return t, int(np.sum(normal > t)), len(normal)


def _check_q1(answer, val_errors, test_errors, y_test, period, prediction=None):
    problem = _series_problem(val_errors=val_errors, test_errors=test_errors, y_test=y_test)
    if problem:
        return problem
    period = int(period)
    if len(val_errors) < period:
        return (
            f"`val_errors` looks wrong: {len(val_errors)} windows, fewer than one beat of "
            f"`period`={period}; pass the validation window errors your run computed"
        )
    if len(y_test) != len(test_errors) or len(test_errors) < period:
        return (
            f"`y_test` ({len(y_test)} labels) and `test_errors` ({len(test_errors)} errors) look "
            "wrong: pass one label per test window, as in the lesson"
        )
    if prediction is not None and prediction is not Ellipsis:
        try:
            guess = as_number(prediction)
        except TypeError:
            guess = float("nan")
        if not 0 <= guess <= 1:
            return (
                "prediction should be your guess of the per-beat false-alarm rate, a number "
                f"from 0 to 1; got {short(prediction)}"
            )
    if np.shape(answer) != (2,) or np.asarray(answer).dtype.kind not in "iuf":
        return f"answer should be two numbers (low, high), the ends of the interval; got {short(answer)}"
    want = _solve_q1(val_errors, test_errors, y_test, period)  # after the inputs are checked
    low, high = (float(v) for v in answer)
    if not (np.isfinite(low) and np.isfinite(high)):
        return f"the interval ({low}, {high}) has an end that is not a finite number"
    if low < 0 or high > 1:
        return (
            f"({low:.3g}, {high:.3g}) reaches outside 0..1, where no rate can lie: that is what "
            "the normal approximation does with few trials; use an exact binomial interval"
        )
    if not np.allclose([low, high], want, rtol=1e-3, atol=1e-4):
        return (
            f"({low:.3g}, {high:.3g}) is not the 95% interval of the per-beat false-alarm rate "
            "of this threshold on the test's normal beats"
        )
    t, alarms, beats = _beat_counts(val_errors, test_errors, y_test, period)
    per_window = float(np.mean(np.asarray(test_errors)[np.asarray(y_test) == 0] > t))
    said = (
        "no guess written in my_guess"
        if prediction is None or prediction is Ellipsis
        else f"you guessed {float(prediction):.1%}"
    )
    print(
        f"{alarms} of {beats} normal test beats raise an alarm: {alarms / beats:.1%} per beat, "
        f"95% interval {want[0]:.1%} to {want[1]:.1%} ({said}). The same threshold flags "
        f"{per_window:.1%} of the normal test windows: a window rate says little about how "
        "often a beat alarms, and a handful of beats pins the rate down to a wide interval."
    )
    return None


def _solve_q1(val_errors, test_errors, y_test, period, prediction=None):
    from scipy.stats import binomtest

    def per_beat(values):  # beat j: the largest of the windows starting in it
        values = np.asarray(values, dtype=np.float64)
        return values[: len(values) // period * period].reshape(-1, period).max(axis=1)

    # beat j's windows start at j*period ... (j+1)*period - 1; an incomplete last beat is dropped
    threshold = per_beat(val_errors).max()  # no validation beat scores above it
    normal = per_beat(test_errors)[per_beat(y_test) == 0]  # beats none of whose windows touch it
    alarms = int(np.sum(normal > threshold))
    ci = binomtest(alarms, len(normal)).proportion_ci(0.95)  # exact (Clopper-Pearson)
    return (float(ci.low), float(ci.high))


def _q1_inputs():
    """Window errors with a beat of 20 windows: the error depends on where a window cuts the beat."""
    rng = np.random.default_rng(1)
    period = 20

    def errors(n):
        phase = 1.0 + 0.8 * np.sin(2 * np.pi * np.arange(n) / period)  # the cut's place in the beat
        return 0.01 * phase * rng.lognormal(0.0, 0.25, n)

    val = errors(110)  # 5 whole beats and a part
    test = errors(360) * 1.1  # 18 beats; the test's normal beats differ a little from validation
    y = np.zeros(360, dtype="int64")
    y[200:240] = 1  # the windows touching the anomaly
    test[200:240] *= 3.0
    return {"val_errors": val, "test_errors": test, "y_test": y, "period": period}


def _wrong_q1(val_errors, test_errors, y_test, period, mistake, prediction=None):
    val, test, y = (np.asarray(a) for a in (val_errors, test_errors, y_test))
    t = _per_beat(val, period).max()
    if mistake == "windows":  # every overlapping window counted as a trial
        normal = test[y == 0]
        return _clopper_pearson(np.sum(normal > t), len(normal))
    if mistake == "one window":  # every period-th window: one cut per beat
        t1, normal = val[::period].max(), test[::period][y[::period] == 0]
        return _clopper_pearson(np.sum(normal > t1), len(normal))
    if mistake == "validation":  # the beats the threshold was set on
        return _clopper_pearson(0, len(_per_beat(val, period)))
    beats, labels = _per_beat(test, period), _per_beat(y, period)
    if mistake == "all beats":  # the anomalous beats counted as false alarms too
        return _clopper_pearson(np.sum(beats > t), len(beats))
    normal = beats[labels == 0]  # "wald": the normal approximation, clipped to 0..1
    p, n = np.mean(normal > t), len(normal)
    half = 1.96 * np.sqrt(p * (1 - p) / n)
    return (float(max(p - half, 0.0)), float(min(p + half, 1.0)))


q1 = Exercise(
    title="q1: a per-beat threshold and its interval",
    checker=_check_q1,
    hint="Neighbouring windows share almost all their samples, so they are not independent "
    "trials: count beats. A beat's score is the largest error among the windows that start in it "
    "(reshape the first whole beats' worth of errors to (beats, period)). How many of the test's "
    "normal beats score above the threshold, out of how many? For k of n, scipy.stats.binomtest "
    "gives an exact interval that stays inside 0..1.",
    solution=_solve_q1,
    make_inputs=_q1_inputs,
    # True although it trains nothing: its checker prints the measured numbers, which a rerun of
    # the reference on a refused answer would print too (giving the answer away)
    slow_reference=True,
    wrong_answers=[
        Mistake(
            "you counted overlapping windows as independent trials: neighbours share almost all "
            "their samples, so the interval comes out far too narrow; count beats",
            _wrong_q1,
            mistake="windows",
        ),
        Mistake(
            "you kept one window per beat (every period-th): where that window cuts the beat "
            "changes its error; score a beat by the largest error of the windows starting in it",
            _wrong_q1,
            mistake="one window",
        ),
        Mistake(
            "you measured on the validation beats, which the threshold was set on (none can score "
            "above it): measure on the test's normal beats",
            _wrong_q1,
            mistake="validation",
        ),
        Mistake(
            "you counted the beats touching the anomaly as false alarms: a false alarm is an "
            "alarm on a normal beat",
            _wrong_q1,
            mistake="all beats",
        ),
        Mistake(
            "the normal approximation (rate +- 1.96 standard errors) is wrong with so few beats: "
            "use an exact binomial interval",
            _wrong_q1,
            mistake="wald",
        ),
    ],
)


# -- q2: alarm only on m consecutive windows, m chosen on validation -------------------------
def _runs(flags):
    """Lengths and starts of the runs of True in a 1-D boolean array."""
    edges = np.diff(np.r_[0, np.asarray(flags, dtype=np.int8), 0])
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return starts, stops - starts


def _solve_q2(val_errors, test_errors, y_test):
    t = np.percentile(val_errors, 99.0)  # the lesson's label-free threshold
    above = np.r_[0, (val_errors > t).astype(int), 0]
    edges = np.diff(above)  # +1 where a run of windows above t starts, -1 where it ends
    longest = int((np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)).max(initial=0))
    return longest + 1  # the smallest m that this validation part never reaches


def _alarms(errors, y, t, m):
    """(false alarms, first alarm on the event (window) or None) when m windows in a row alarm."""
    starts, lengths = _runs(np.asarray(errors) > t)
    fires = [s + m - 1 for s, n in zip(starts, lengths, strict=True) if n >= m]  # where each fires
    on_event = [f for f in fires if y[f]]
    return len(fires) - len(on_event), (on_event[0] if on_event else None)


def _check_q2(answer, val_errors, test_errors, y_test):
    problem = _series_problem(val_errors=val_errors, test_errors=test_errors, y_test=y_test)
    if problem:
        return problem
    if len(val_errors) < 100:
        return (
            f"`val_errors` looks wrong: {len(val_errors)} windows, too few for a 99th percentile; "
            "pass the validation window errors your run computed"
        )
    if len(y_test) != len(test_errors):
        return (
            f"`y_test` ({len(y_test)} labels) and `test_errors` ({len(test_errors)} errors) look "
            "wrong: pass one label per test window, as in the lesson"
        )
    m = as_number(answer)
    if not m.is_integer() or m < 1:
        return f"m is a number of consecutive windows, a whole number from 1; got {short(answer)}"
    m, want = int(m), _solve_q2(val_errors, test_errors, y_test)
    t = np.percentile(val_errors, 99.0)
    val_false, _ = _alarms(val_errors, np.zeros(len(val_errors), dtype=bool), t, m)
    if val_false:
        return (
            f"with m={m} the validation part, all normal, still raises {val_false} alarm"
            f"{'s' if val_false > 1 else ''}: look at its longest run of windows above the threshold"
        )
    if m != want:
        return f"m={m} raises no alarm on validation, but a smaller m does not either: alarms come later than they need to"
    y = np.asarray(y_test).astype(bool)
    start = int(np.argmax(y))  # the first window touching the event

    def said(m):
        false, first = _alarms(test_errors, y, t, m)
        event = (
            "the event missed"
            if first is None
            else f"the event alarmed {first - start} sample{'s' if first - start != 1 else ''} "
            "after its first window"
        )
        return f"{false} false alarm{'s' if false != 1 else ''}, {event}"

    print(
        f"test part, threshold {t:.4g}: any window above it -> {said(1)} | {m} windows in a row -> "
        f"{said(m)}. One event and one split: this shows the trade (fewer false alarms, later "
        "alarms), not its size in general."
    )
    return None


def _q2_inputs():
    """Window errors whose normal bumps come as runs of neighbouring windows."""
    rng = np.random.default_rng(2)
    val = 0.01 * rng.lognormal(0.0, 0.2, 400)
    val[50:54] *= 4.0  # one odd beat lifts 4 neighbouring windows
    val[300] *= 4.0  # and a single window elsewhere: 5 windows above the 99th percentile
    test = 0.01 * rng.lognormal(0.0, 0.2, 600)
    for start, n in ((100, 2), (250, 5), (400, 7)):  # normal bumps; the last outlasts validation's
        test[start : start + n] *= 4.0
    y = np.zeros(600, dtype="int64")
    y[500:540] = 1
    test[505:530] *= 6.0  # the event
    return {"val_errors": val, "test_errors": test, "y_test": y}


def _wrong_q2(val_errors, test_errors, y_test, mistake):
    t = np.percentile(val_errors, 99.0)
    if mistake == "longest":
        return int(_runs(val_errors > t)[1].max(initial=0))
    if mistake == "count":
        return int(np.sum(val_errors > t)) + 1
    if mistake == "one":
        return 1
    y = np.asarray(y_test).astype(bool)  # "test": the smallest m quiet on the test's normal windows
    return next(m for m in range(1, len(y) + 1) if _alarms(test_errors, y, t, m)[0] == 0)


q2 = Exercise(
    title="q2: how many windows in a row before an alarm?",
    checker=_check_q2,
    hint="Mark the validation windows above the threshold, then find the runs of consecutive "
    "marked windows (np.diff of the marks, padded with a 0 at each end, shows where runs start "
    "and stop). A rule that needs m windows in a row stays silent on a run shorter than m.",
    solution=_solve_q2,
    make_inputs=_q2_inputs,
    # True although it trains nothing: its checker prints the measured numbers, which a rerun of
    # the reference on a refused answer would print too (giving the answer away)
    slow_reference=True,
    wrong_answers=[
        Mistake(
            "the longest validation run itself: a run of m windows still reaches m; take one more",
            _wrong_q2,
            mistake="longest",
        ),
        Mistake(
            "you counted every validation window above the threshold: only consecutive ones make "
            "an alarm; look at the longest run",
            _wrong_q2,
            mistake="count",
        ),
        Mistake(
            "m=1 is the lesson's rule (any window above the threshold): on validation it alarms "
            "once per run above it",
            _wrong_q2,
            mistake="one",
        ),
        Mistake(
            "you chose m on the test windows: choose it on validation, the test part only reports",
            _wrong_q2,
            mistake="test",
        ),
    ],
)


# -- q3: a Conv1D autoencoder with the GRU's 16-number code, predict then measure ------------
def _layer_sizes(model):
    """Numbers in each layer's output (nested models opened), the final output layer left out."""
    import keras

    sizes = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            sizes.extend(_layer_sizes(layer))
            sizes.append(int(np.prod(layer.output.shape[1:])))
        elif not isinstance(layer, keras.layers.InputLayer):
            sizes.append(int(np.prod(layer.output.shape[1:])))
    return sizes


def _has_conv1d(model):
    import keras

    return any(
        isinstance(layer, keras.layers.Conv1D)
        or (isinstance(layer, keras.Model) and _has_conv1d(layer))
        for layer in model.layers
    )


def _check_q3(answer, train, test, y_test, gru, scores, prediction=None):
    import keras
    from sklearn.metrics import roc_auc_score

    if np.ndim(train) != 2 or np.ndim(test) != 2 or np.shape(train)[1] != np.shape(test)[1]:
        return "`train`, `test` look wrong: pass the windows your run cut, (windows, length) each"
    if np.ndim(y_test) != 1 or len(y_test) != len(test) or len(set(np.asarray(y_test))) != 2:
        return f"`y_test` looks wrong ({short(y_test)}): pass one 0/1 label per test window"
    lesson = {label: scores.get(label) for label in ("GRU AE", "Conv1D AE, GRU budget")}
    if any(np.shape(v) != (len(test),) for v in lesson.values()):
        return (
            "`scores` looks wrong: pass the ECG's dict of test scores, scores['ecg'], with one "
            "score per test window for 'GRU AE' and 'Conv1D AE, GRU budget'"
        )
    guessed = prediction is not None and prediction is not Ellipsis
    if guessed and not isinstance(prediction, (bool, np.bool_)):
        return (
            "prediction should be True (the Conv1D model still beats the GRU at an equal code) "
            f"or False; got {short(prediction)}"
        )
    if not isinstance(answer, keras.Model):
        return f"answer should be a trained keras.Model, got {type(answer).__name__}"
    if answer is gru:
        return "that is the lesson's GRU autoencoder: build a Conv1D model and train it"
    length = np.shape(train)[1]
    shape = (None, length, 1)
    if tuple(answer.input_shape) != shape or tuple(answer.output_shape) != shape:
        return (
            f"the model should map windows {shape} to reconstructions {shape}; yours maps "
            f"{answer.input_shape} to {answer.output_shape}"
        )
    if not _has_conv1d(answer):
        return "the model has no Conv1D layer: the question is about the Conv1D model"
    code, narrowest = min(_layer_sizes(gru)), min(_layer_sizes(answer))
    if narrowest != code:
        return (
            f"the narrowest layer holds {narrowest} numbers, the GRU's code {code}: at an equal "
            f"code some layer (a Dense after a Flatten, say) outputs exactly {code} numbers"
        )
    steps, gru_steps = (
        int(m.optimizer.iterations) if getattr(m, "optimizer", None) else 0 for m in (answer, gru)
    )
    if steps != gru_steps:
        return (
            f"your model took {steps} training steps, the GRU {gru_steps}: train it like the "
            "GRU (its number of epochs, batch size 32) so that only the architecture differs"
            + (" (0 steps: it has not been trained)" if steps == 0 else "")
        )
    recon = keras.ops.convert_to_numpy(answer.predict(test[..., None], verbose=0, batch_size=1024))
    mine = roc_auc_score(y_test, np.mean((test - recon.reshape(test.shape)) ** 2, axis=1))
    theirs, wide = (roc_auc_score(y_test, v) for v in lesson.values())
    said = (
        f"you predicted it {'would' if prediction else 'would not'}"
        if guessed
        else "no prediction written"
    )
    print(
        f"test AUROC at the GRU's budget: your Conv1D AE, a {code}-number code {mine:.3f} | the "
        f"GRU AE, a {code}-number state {theirs:.3f} | the lesson's Conv1D AE, a wider code, "
        f"{wide:.3f}. At an equal code the Conv1D model "
        f"{'still beats' if mine > theirs else 'does not beat'} the GRU ({said}). One model each "
        "and one event: another seed moves these numbers."
    )
    return None


def _solve_q3(train, test, y_test, gru, scores, prediction=None):
    import keras
    from keras import layers

    length, code = train.shape[1], gru.layers[0].units  # the GRU's state: its code
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((length, 1)),
            layers.Conv1D(16, 7, strides=2, padding="same", activation="relu"),  # (L/2, 16)
            layers.Conv1D(8, 7, strides=2, padding="same", activation="relu"),  # (L/4, 8)
            layers.Flatten(),
            layers.Dense(code),  # the code: as many numbers as the GRU's state
            layers.Dense(length // 4 * 8, activation="relu"),
            layers.Reshape((length // 4, 8)),
            layers.Conv1DTranspose(16, 7, strides=2, padding="same", activation="relu"),
            layers.Conv1DTranspose(16, 7, strides=2, padding="same", activation="relu"),
            layers.Conv1D(1, 7, padding="same"),  # (L, 1), linear
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    epochs = int(gru.optimizer.iterations) // -(-len(train) // 32)  # the GRU's epochs, batch 32
    model.fit(train[..., None], train[..., None], epochs=epochs, batch_size=32, verbose=0)
    return model


def _q3_inputs():
    """Windows (length 16) of a noisy periodic series, a stand-in GRU trained 1 epoch, and scores."""
    import keras
    from keras import layers

    rng = np.random.default_rng(3)
    t = np.arange(300)
    x = np.sin(2 * np.pi * t / 8) + 0.05 * rng.normal(size=300)
    x[250:256] += rng.normal(0, 1.0, 6)  # the anomaly, in the test part
    windows = np.lib.stride_tricks.sliding_window_view(x.astype("float32"), 16)
    y = np.zeros(len(windows), dtype="int64")
    y[250 - 15 : 256] = 1  # the windows touching the anomaly
    train, test, y_test = windows[:96].copy(), windows[200:].copy(), y[200:]
    keras.utils.set_random_seed(0)
    gru = keras.Sequential(
        [
            keras.Input((16, 1)),
            layers.GRU(2),
            layers.RepeatVector(16),
            layers.GRU(2, return_sequences=True),
            layers.TimeDistributed(layers.Dense(1)),
        ]
    )
    gru.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    gru.fit(train[..., None], train[..., None], epochs=1, batch_size=32, verbose=0)  # 3 steps
    scores = {  # stand-ins for the lesson's test scores: noisy, a little higher on the anomaly
        label: rng.normal(size=len(test)) + shift * y_test
        for label, shift in (("GRU AE", 0.5), ("Conv1D AE, GRU budget", 1.0), ("Conv1D AE", 1.5))
    }
    return {"train": train, "test": test, "y_test": y_test, "gru": gru, "scores": scores}


def _conv(length, dense_code=None):
    """The lesson's Conv1D architecture, or (dense_code=n) Dense layers only around an n-number code."""
    import keras
    from keras import layers

    if dense_code:
        return keras.Sequential(
            [
                keras.Input((length, 1)),
                layers.Flatten(),
                layers.Dense(dense_code),
                layers.Dense(length),
                layers.Reshape((length, 1)),
            ]
        )
    same = {"strides": 2, "padding": "same", "activation": "relu"}
    return keras.Sequential(
        [
            keras.Input((length, 1)),
            layers.Conv1D(16, 7, **same),
            layers.Conv1D(8, 7, **same),
            layers.Conv1D(4, 7, **same),
            layers.Conv1DTranspose(8, 7, **same),
            layers.Conv1DTranspose(16, 7, **same),
            layers.Conv1DTranspose(16, 7, **same),
            layers.Conv1D(1, 7, padding="same"),
        ]
    )


def _equal_code(length, code):
    """The reference architecture: Conv1D layers around a Dense code of ``code`` numbers."""
    import keras
    from keras import layers

    same = {"strides": 2, "padding": "same", "activation": "relu"}
    return keras.Sequential(
        [
            keras.Input((length, 1)),
            layers.Conv1D(16, 7, **same),
            layers.Conv1D(8, 7, **same),
            layers.Flatten(),
            layers.Dense(code),
            layers.Dense(length // 4 * 8, activation="relu"),
            layers.Reshape((length // 4, 8)),
            layers.Conv1DTranspose(16, 7, **same),
            layers.Conv1DTranspose(16, 7, **same),
            layers.Conv1D(1, 7, padding="same"),
        ]
    )


def _wrong_q3(train, test, y_test, gru, scores, mistake, prediction=None):
    """A model with one thing wrong: its code size, its training, its layers."""
    import keras

    length, code = train.shape[1], gru.layers[0].units
    epochs = int(gru.optimizer.iterations) // -(-len(train) // 32)  # the GRU's
    if mistake == "wide code":
        model = _conv(length)
    elif mistake == "no conv":
        model = _conv(length, dense_code=code)
    else:
        model = _equal_code(length, code)
    if mistake == "untrained":
        return model  # built, not compiled, not trained
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    epochs = 2 * epochs if mistake == "more epochs" else epochs
    model.fit(train[..., None], train[..., None], epochs=epochs, batch_size=32, verbose=0)
    return model


q3 = Exercise(
    title="q3: a Conv1D autoencoder with the GRU's code size, predict then measure",
    checker=_check_q3,
    hint="Strided Conv1D layers (padding='same') shrink the time axis but keep several channels; "
    "to reach an exact number of code values, flatten what they give and let a Dense layer make "
    "the code. The decoder has to undo that flattening before Conv1DTranspose layers can grow the "
    "time axis back (keras.layers.Reshape). Train it with the lesson's train(...) and the GRU's "
    "epochs, so that only the architecture differs.",
    solution=_solve_q3,
    make_inputs=_q3_inputs,
    wrong_answers=[
        Mistake(
            "the lesson's Conv1D architecture: its narrowest layer is wider than the GRU's code",
            _wrong_q3,
            mistake="wide code",
        ),
        Mistake(
            "trained for more steps than the GRU: compare at the GRU's budget",
            _wrong_q3,
            mistake="more epochs",
        ),
        Mistake("built but not trained", _wrong_q3, mistake="untrained"),
        Mistake("Dense layers only: no Conv1D", _wrong_q3, mistake="no conv"),
    ],
    slow_reference=True,  # its solution fits a model
)

# difficulty (1-3), expected minutes and kind of each exercise, shown in its messages
set_levels(globals(), q1=(2, 15, "decision"), q2=(2, 10, "decision"), q3=(3, 20, "new code"))
