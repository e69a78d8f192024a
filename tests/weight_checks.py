"""Helpers the freezing tests share: snapshot a model's weights, and ask whether they moved."""
import numpy as np


def weights(model):
    """Every weight of a model, trainable or not (BatchNorm moving statistics included)."""
    return [w.copy() for w in model.get_weights()]


def changed(before, model):
    """True when any weight of `model` differs from the snapshot `before`."""
    return any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
