"""Checkers for lesson 04: one D step and one G step of Algorithm 1 on a small fixed GAN.

They watch what the student's step trains, on which samples and labels, and whether
the `trainable` toggle let the right network move.
"""
import keras
import numpy as np
from keras import layers

from gan_course import theory
from gan_course.coding_exercises._checking import _Wrong, _run, _show
from gan_course.coding_exercises.answers import g_step


def _weights(model):
    """Every weight of a model, trainable or not (BatchNorm moving statistics included)."""
    return [w.copy() for w in model.get_weights()]


def _moved(before, model):
    """True when any weight of `model` differs from the snapshot `before`."""
    return any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def _toy_gan(seed=0):
    """Small fixed G (2 -> 2) and D (2 -> (0, 1)), D compiled, and combined z -> D(G(z)) compiled,
    as the engine does: D trainable at both compiles (Keras 3 reads the flag at tracing)."""
    init = [keras.initializers.GlorotUniform(seed=seed + i) for i in range(4)]  # seeded here, not globally
    G = keras.Sequential([keras.Input((2,)), layers.Dense(8, activation="relu", kernel_initializer=init[0]),
                          layers.Dense(2, kernel_initializer=init[1])], name="G")
    D = keras.Sequential([keras.Input((2,)), layers.Dense(8, activation="relu", kernel_initializer=init[2]),
                          layers.Dense(1, activation="sigmoid", kernel_initializer=init[3])], name="D")
    D.trainable = True
    D.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy")
    z = keras.Input((2,))
    combined = keras.Model(z, D(G(z)), name="combined")
    combined.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy")
    rng = np.random.default_rng(seed)
    real = rng.normal(2.0, 0.5, (8, 2)).astype("float32")
    noise = [rng.standard_normal((8, 2)).astype("float32") for _ in range(3)]
    return G, D, combined, real, noise


def _record(model):
    """Make model.train_on_batch note its (x, y) before it trains; returns the list of notes."""
    calls, train = [], model.train_on_batch

    def recorded(x, y=None, *args, **kwargs):
        calls.append((np.asarray(x), None if y is None else np.asarray(y, "float64").reshape(-1)))
        return train(x, y, *args, **kwargs)

    model.train_on_batch = recorded
    return calls


def _engine_d_step(G, D, real, noise):
    D.trainable = True
    x = np.concatenate([real, _eager(G, noise)])
    D.train_on_batch(x, np.concatenate([np.ones((len(real), 1)), np.zeros((len(noise), 1))]))


def _eager(model, x):
    """model(x) in inference mode, as float64 numpy (called directly: no predict function to trace)."""
    return np.asarray(model(x, training=False), "float64")


def _outputs(D, real, fake):
    """D(x) on the real batch and D(G(z)) on the fakes, as float64 numpy."""
    return _eager(D, real), _eager(D, fake)


def _rows_in(x, rows):
    """For each row of x, whether it is (close to) one of `rows`."""
    x = np.asarray(x, "float64").reshape(len(x), -1)
    rows = np.asarray(rows, "float64").reshape(len(rows), -1)
    return np.array([np.any(np.all(np.abs(rows - r) < 1e-4, axis=1)) for r in x])


def _check_d_step(fn):
    G, D, combined, real, noise = _toy_gan()
    # As in training, a G step (D frozen) came before, and D's train function is not traced yet:
    # a step that forgets D.trainable = True traces it frozen.
    g_step(combined, D, noise[0])
    calls = _record(D)
    for turn in range(2):
        calls.clear()
        g_before, d_before = _weights(G), _weights(D)
        fake = _eager(G, noise[1 + turn]).astype("float32")
        outputs_before = _outputs(D, real, fake)
        optimizer = D.optimizer
        returned = _run(fn, G, D, real.copy(), noise[1 + turn].copy())
        _not_recompiled(D, optimizer, "D")
        if _moved(g_before, G):
            raise _Wrong("your D step also moved G: make the fakes with G.predict_on_batch(noise) and train D alone")
        if calls:
            x = np.concatenate([c[0] for c in calls])
            labels = np.concatenate([c[1] if c[1] is not None else np.full(len(c[0]), np.nan) for c in calls])
            is_real, is_fake = _rows_in(x, real), _rows_in(x, fake)
            if not is_real.any():
                raise _Wrong("D was not shown the real batch: train it on real and fake samples together")
            if not is_fake.any():
                raise _Wrong("D was not shown the fakes G(noise)" + (
                    ": the other samples it saw were not G of the noise you were given"
                    if (~is_real).any() else ": join G.predict_on_batch(noise) to the real batch"))
            real_labels, fake_labels = labels[is_real], labels[is_fake]
            if np.all(real_labels == 0) and np.all(fake_labels == 1):
                raise _Wrong("labels swapped: real samples need label 1 and fakes 0 (with 0 on the real batch, "
                             "D learns to call real data fake)")
            if not np.all(real_labels == 1):
                raise _Wrong(f"the real samples need label 1, got {_show(np.unique(real_labels))}")
            if not np.all(fake_labels == 0):
                raise _Wrong(f"the fakes need label 0 (D learns to reject them), got {_show(np.unique(fake_labels))}")
        elif not _moved(d_before, D):
            raise _Wrong("D was not trained: call D.train_on_batch once on the real and fake samples, labels 1 and 0")
        if not _moved(d_before, D):
            raise _Wrong("D never changed: was it trainable when its train function was traced? Set "
                         "D.trainable = True right before D.train_on_batch (Keras 3 reads the flag when it traces "
                         "the function, at the first train_on_batch, not at compile())")
        outputs_after = _outputs(D, real, fake)
        if theory.value_function(*outputs_after) <= theory.value_function(*outputs_before):  # D ascends V
            (real_before, fake_before), (real_after, fake_after) = (map(np.mean, outputs)
                                                                    for outputs in (outputs_before, outputs_after))
            raise _Wrong(f"D got worse, V(D, G) on the batch went down: mean D(x) went from {real_before:.4f} to "
                         f"{real_after:.4f}, mean D(G(z)) from {fake_before:.4f} to {fake_after:.4f}; check the labels")
        _returned_a_loss(returned, "D.train_on_batch")
        g_step(combined, D, noise[0])


def _not_recompiled(model, optimizer, name):
    if model.optimizer is not optimizer:
        raise _Wrong(f"your step compiled {name} again: compile() builds a fresh optimizer (Adam's step count and "
                     "moments start from zero) and drops the traced train function; compile once, before training")


def _returned_a_loss(returned, call):
    if returned is None:
        raise _Wrong(f"your step returns nothing: return the loss that {call} gives back")


def _check_g_step(fn):
    G, D, combined, real, noise = _toy_gan()
    _engine_d_step(G, D, real, noise[0])  # as in training: a D step (D trainable) came before
    combined_calls, d_calls = _record(combined), _record(D)
    for turn in range(2):
        combined_calls.clear()
        d_calls.clear()
        g_before, d_before = _weights(G), _weights(D)
        before = float(np.mean(_eager(combined, noise[1 + turn])))
        optimizer = combined.optimizer
        returned = _run(fn, combined, D, noise[1 + turn].copy())
        _not_recompiled(combined, optimizer, "the combined model")
        if d_calls:
            raise _Wrong("your G step called D.train_on_batch: train only the combined model z -> D(G(z))")
        if _moved(d_before, D):
            raise _Wrong("G's step moved D: set D.trainable = False before combined.train_on_batch (Keras 3 reads "
                         "the flag when it traces the combined model's train function)")
        if not _moved(g_before, G):
            raise _Wrong("G never changed: call combined.train_on_batch(noise, labels)")
        for x, labels in combined_calls:
            if not np.array_equal(x, noise[1 + turn]):
                raise _Wrong("train the combined model on the noise you were given")
            if labels is not None and np.all(labels == 0):
                raise _Wrong("labels 0 make G help D (it descends -log(1 - D(G(z)))): "
                             "G's fakes get label 1, 'real', the non-saturating loss -log D(G(z))")
            if labels is None or not np.all(labels == 1):
                given = "no labels" if labels is None else _show(np.unique(labels))
                raise _Wrong(f"G's fakes need label 1 ('real'), got {given}")
        after = float(np.mean(_eager(combined, noise[1 + turn])))
        if after <= before:
            raise _Wrong(f"D(G(z)) went down, from {before:.4f} to {after:.4f}: G should make D call its fakes real")
        _returned_a_loss(returned, "combined.train_on_batch")
        _engine_d_step(G, D, real, noise[0])
