"""Lesson 08's grid recipes, the loop's time budget, and the five-minute G's the course ships."""
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from gan_course import data, grid, models, training

ROOT = Path(__file__).resolve().parent.parent


def test_train_for_stops_at_its_time_and_decays_both_rates_along_the_cosine():
    model, _, _, _ = grid.recipe("lesson 07's small GAN")
    points, _ = data.grid_of_gaussians(1000, seed=0)
    rates = []
    for optimizer in (model.d_optimizer, model.g_optimizer):  # record every rate the loop sets
        variable = optimizer.learning_rate
        assign = variable.assign
        variable.assign = lambda value, assign=assign: (rates.append(float(value)), assign(value))[1]
    seconds, steps = model.train_for(points, 2.0, batch_size=32, chunk=5, decay_from=1e-3)
    assert steps == model.step and steps % 5 == 0 and steps >= 5
    assert 2.0 <= seconds < 10
    assert len(rates) == 2 * steps // 5  # both optimizers, before every chunk
    assert rates[0] == pytest.approx(1e-3, rel=1e-3)
    assert all(0 < b <= a for a, b in zip(rates[::2], rates[2::2]))  # falling, never below 0
    assert rates[-1] < 1e-3


def test_train_for_refuses_a_budget_of_no_time():
    model, _, _, _ = grid.recipe("capacity")
    with pytest.raises(ValueError, match="seconds must be > 0"):
        model.train_for(np.zeros((10, 2), "float32"), 0)


def test_every_recipe_builds_and_an_unknown_one_is_refused():
    for name in grid.LEVERS + [grid.BEST]:
        model, batch_size, chunk, _ = grid.recipe(name)
        assert model.sample(4, seed=0).shape == (4, 2) and batch_size % getattr(model, "pack", 1) == 0
    with pytest.raises(ValueError, match=re.escape("no recipe called 'capacity + dropout'")):
        grid.recipe("capacity + dropout")


def test_the_best_recipes_g_reads_a_mixture_prior():
    model = grid.recipe(grid.BEST)[0]
    assert isinstance(model.G.layers[0], models.MixturePrior) and model.latent_dim == 17
    assert isinstance(model, training.GAN)


@pytest.mark.parametrize("name", grid.FIVE_MINUTES)
def test_the_five_minute_gs_load_and_say_how_they_were_trained(name):
    untrained = grid.recipe(name)[0].sample(100, seed=1)
    model, run = grid.trained(name)
    assert not np.allclose(model.sample(100, seed=1), untrained)
    assert run["seconds"] >= 300 and run["steps"] > 0 and run["seed"] == 0


def test_the_five_minute_gs_ship_with_the_package():
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["gan_course"]
    shipped = {p for pattern in globs for p in (ROOT / "gan_course").glob(pattern)}
    files = {grid.weights_file(name) for name in grid.FIVE_MINUTES} | {grid.TRAINED / "runs.json"}
    assert files <= shipped
