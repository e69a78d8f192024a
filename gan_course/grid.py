"""Lesson 08's GANs for the grid of 25 Gaussians: each lever against mode collapse as one recipe.

A recipe is a GAN (seeded, untrained) and how to train it: `recipe(name)` ->
(model, batch_size, chunk, decay_from), for `model.train_for(points, seconds, batch_size,
chunk, decay_from)`. "capacity" is PacGAN's grid setting (Lin et al. 2018, after VEEGAN):
G four 400-unit layers with BatchNorm and ReLU, D three 200-unit layers, latent
dimension 2, batch 100, Adam 1e-4; each "capacity + ..." recipe changes one thing more
(the decaying ones also start at 1e-3). Departure from PacGAN: D uses LeakyReLU where
PacGAN's uses maxout units. Lesson 07's two recipes keep lesson 07's settings.

The lesson's best GAN for the grid, BEST, changes four things of "capacity" together: G
reads a mixture of 100 Gaussians (models.MixturePrior, 16 dimensions, std 0.2, so
latent_dim 17), batch 500, Adam from 1e-3 (not 1e-4), decaying to 0. `trained(name)` loads the
G that `benchmarks/grid_five_minutes.py --save` trained for five minutes (2 CPU cores).
"""
import json
from pathlib import Path

import keras
from keras import layers

from gan_course import models, pacgan, training, wasserstein

BEST = "capacity + mixture prior + batch 500 + decaying"
LEVERS = ["lesson 07's small GAN", "capacity", "capacity + packing (2)", "capacity + label smoothing",
          "capacity + spectral norm", "capacity + decaying rate", "capacity + packing + decaying", "lesson 07's WGAN-GP"]
FIVE_MINUTES = ["lesson 07's small GAN", "lesson 07's WGAN-GP", BEST]  # trained by benchmarks/grid_five_minutes.py
TRAINED = Path(__file__).resolve().parent / "trained" / "grid_300s"  # G weights and runs.json


def networks(pack=1, spectral_norm=False, latent_dim=2, mixture=None):
    """PacGAN's grid networks: G four 400-unit layers (BatchNorm, ReLU); D three 200-unit layers
    (LeakyReLU 0.2) reading `pack` points, each layer wrapped in SpectralNormalization if asked.
    mixture: if given, G starts with a MixturePrior of that many components (latent_dim - 1 dims, std 0.2)."""
    G = keras.Sequential([keras.Input((latent_dim,))], name="generator")
    if mixture:
        G.add(models.MixturePrior(mixture, latent_dim - 1, std=0.2))
    for _ in range(4):
        G.add(layers.Dense(400))
        G.add(layers.BatchNormalization())
        G.add(layers.ReLU())
    G.add(layers.Dense(2))
    wrap = layers.SpectralNormalization if spectral_norm else (lambda layer: layer)
    D = keras.Sequential([keras.Input((2 * pack,))], name="discriminator")
    for _ in range(3):
        D.add(wrap(layers.Dense(200)))
        D.add(layers.LeakyReLU(0.2))
    D.add(wrap(layers.Dense(1)))
    D.add(layers.Activation("sigmoid"))
    return G, D


def adam(rate=1e-4):
    return keras.optimizers.Adam(rate, beta_1=0.5)


def recipe(name, seed=0):
    """The GAN called `name`, seeded, untrained -> (model, batch_size, chunk, decay_from)."""
    keras.utils.set_random_seed(seed)
    if name == "lesson 07's small GAN":
        G, D = models.build_mlp_gan((2,), 8)
        return training.GAN(G, D, 8), 256, 100, None
    if name == "lesson 07's WGAN-GP":
        G, D = models.build_mlp_gan((2,), 8, critic=True)
        model = wasserstein.WGANGP(G, D, 8, gp_weight=0.1, d_optimizer=keras.optimizers.Adam(1e-3, 0.5, 0.9),
                                   g_optimizer=keras.optimizers.Adam(1e-3, 0.5, 0.9))
        return model, 256, 20, 1e-3
    if name == BEST:
        G, D = networks(latent_dim=17, mixture=100)
        return training.GAN(G, D, 17, d_optimizer=adam(1e-3), g_optimizer=adam(1e-3)), 500, 25, 1e-3
    if name not in LEVERS:
        raise ValueError(f"no recipe called {name!r}; the recipes: {[*LEVERS, BEST]}")
    pack = 2 if "packing" in name else 1
    G, D = networks(pack=pack, spectral_norm=name == "capacity + spectral norm")
    smoothing = 0.1 if name == "capacity + label smoothing" else 0.0
    decay_from = 1e-3 if "decaying" in name else None
    if pack > 1:
        return pacgan.PackedGAN(G, D, 2, pack=pack, d_optimizer=adam(), g_optimizer=adam()), 100, 100, decay_from
    return training.GAN(G, D, 2, label_smoothing=smoothing, d_optimizer=adam(), g_optimizer=adam()), 100, 100, decay_from



def weights_file(name):
    return TRAINED / (name.replace("'", "").replace(" + ", "_").replace(" ", "_") + ".weights.h5")


def trained(name):
    """The five-minute G of recipe `name` (one of FIVE_MINUTES), loaded -> (model, run), where run
    says how it was trained: seconds, G steps, seed, machine, date."""
    if name not in FIVE_MINUTES:
        raise ValueError(f"no five-minute run of {name!r}; the runs: {FIVE_MINUTES}")
    model = recipe(name)[0]
    model.G.load_weights(weights_file(name))
    return model, json.loads((TRAINED / "runs.json").read_text())[name]
