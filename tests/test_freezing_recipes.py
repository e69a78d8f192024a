"""Three ways to freeze D for G's step under Keras 3; each does what lesson 04 says it does.

Keras 3 reads `D.trainable` when it traces a model's train function (the first
`train_on_batch`), not at `compile()`. So two Keras 2 recipes fail, in opposite ways:
- the classic recipe (compile D; set D.trainable = False once; build and compile the
  combined model) traces both functions with D frozen: D never trains;
- seed 004's order (D.trainable = False; compile the combined model; D.trainable = True;
  compile D) traces both with D trainable: D also moves during G's step.
The engine sets the flag before every step, so D moves in its own step only.
"""
import functools
import warnings

import keras
import numpy as np
import pytest

from gan_course import models, training
from weight_checks import changed, weights

LATENT, M = 4, 16


def small_gan(seed=0):
    keras.utils.set_random_seed(seed)
    return models.build_mlp_gan((2,), LATENT, hidden=(8, 8))


def combined_model(G, D):
    z = keras.Input((LATENT,))
    return keras.Model(z, D(G(z)))


def classic_recipe():
    """Keras 2 tutorials: compile D, freeze it once, build and compile the combined model."""
    G, D = small_gan()
    D.compile(optimizer="adam", loss="binary_crossentropy")
    D.trainable = False
    combined = combined_model(G, D)
    combined.compile(optimizer="adam", loss="binary_crossentropy")
    return G, D, combined


def seed_004_recipe():
    """Seed 004's order: freeze D, compile the combined model, unfreeze D, compile D."""
    G, D = small_gan()
    combined = combined_model(G, D)
    D.trainable = False
    combined.compile(optimizer="adam", loss="binary_crossentropy")
    D.trainable = True
    D.compile(optimizer="adam", loss="binary_crossentropy")
    return G, D, combined


RECIPES = {"classic": classic_recipe, "seed 004": seed_004_recipe}


def real(seed):
    return np.random.default_rng(seed).normal(2.0, 0.5, (M, 2)).astype("float32")


def noise(seed):
    return np.random.default_rng(100 + seed).standard_normal((M, LATENT)).astype("float32")


def summary(flags):
    """True if it moved at every step, False if at none, 'sometimes' otherwise."""
    return True if all(flags) else False if not any(flags) else "sometimes"


@functools.cache  # the tests only read the facts
def moves(recipe, steps=3):
    """Train a recipe's models as the Keras 2 loop does; say who moved in which step.

    Returns {'D in D step', 'D in G step', 'G in G step'}: True when that network's
    weights changed in that step (see `summary`) over `steps` iterations.
    """
    G, D, combined = RECIPES[recipe]()
    seen = {"D in D step": [], "D in G step": [], "G in G step": []}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the classic recipe warns that D has nothing to train
        for step in range(steps):
            d0 = weights(D)
            fake = G.predict_on_batch(noise(step))
            D.train_on_batch(np.concatenate([real(step), fake]), np.r_[np.ones(M), np.zeros(M)][:, None])
            seen["D in D step"].append(changed(d0, D))
            d0, g0 = weights(D), weights(G)
            combined.train_on_batch(noise(50 + step), np.ones((M, 1)))
            seen["D in G step"].append(changed(d0, D))
            seen["G in G step"].append(changed(g0, G))
    return {name: summary(flags) for name, flags in seen.items()}


@functools.cache
def engine_moves(steps=3):
    """The same facts for the engine, which sets D.trainable before every step."""
    G, D = small_gan()
    gan = training.GAN(G, D, LATENT)
    seen = {"D in D step": [], "D in G step": [], "G in G step": []}
    for step in range(steps):
        d0 = weights(D)
        gan.d_step(real(step))
        seen["D in D step"].append(changed(d0, D))
        d0, g0 = weights(D), weights(G)
        gan.g_step(M)
        seen["D in G step"].append(changed(d0, D))
        seen["G in G step"].append(changed(g0, G))
    return {name: summary(flags) for name, flags in seen.items()}


# ------------------------------------------------------------------ the classic recipe
def test_classic_recipe_never_trains_d():
    assert moves("classic")["D in D step"] is False


def test_classic_recipe_keeps_d_still_in_g_step_and_trains_g():
    facts = moves("classic")
    assert facts["D in G step"] is False
    assert facts["G in G step"] is True


def test_classic_recipe_warns_that_d_has_nothing_to_train():
    G, D, _ = classic_recipe()
    with pytest.warns(UserWarning, match="does not have any trainable weights"):
        D.train_on_batch(np.concatenate([real(0), G.predict_on_batch(noise(0))]),
                         np.r_[np.ones(M), np.zeros(M)][:, None])


# ------------------------------------------------------------------ seed 004's order
def test_seed_004_recipe_trains_d_in_its_own_step():
    assert moves("seed 004")["D in D step"] is True


def test_seed_004_recipe_moves_d_during_g_step():
    assert moves("seed 004")["D in G step"] is True


def test_trainable_counts_at_first_train_call_not_at_compile():
    """The cause of both failures: the combined model compiled with D frozen still trains D
    when D is trainable at its first train_on_batch."""
    G, D, combined = classic_recipe()  # combined compiled while D.trainable is False
    D.trainable = True
    d0 = weights(D)
    combined.train_on_batch(noise(0), np.ones((M, 1)))
    assert changed(d0, D)


# ------------------------------------------------------------------ the engine
def test_engine_moves_d_only_in_d_step_and_g_only_in_g_step():
    assert engine_moves() == {"D in D step": True, "D in G step": False, "G in G step": True}


def test_the_three_recipes_are_told_apart():
    """Each recipe's facts differ from the others', so each test above can fail."""
    facts = {"classic": moves("classic"), "seed 004": moves("seed 004"), "engine": engine_moves()}
    assert facts["classic"] != facts["seed 004"] != facts["engine"] != facts["classic"]
