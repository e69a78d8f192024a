"""Model builders: shapes, ranges, and clear errors."""
import numpy as np
import pytest

from gan_course import models


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3), (64, 64, 3), (12, 20, 2)])
def test_dcgan_builds_for_any_shape_divisible_by_4(shape):
    G, D = models.build_dcgan(shape, 16, width=8)
    z = np.random.default_rng(0).standard_normal((2, 16)).astype("float32")
    x = G.predict_on_batch(z)
    assert x.shape == (2, *shape) and x.min() >= -1 and x.max() <= 1
    p = D.predict_on_batch(x)
    assert p.shape == (2, 1) and np.all((p > 0) & (p < 1))


@pytest.mark.parametrize("shape", [(30, 30, 1), (28, 30, 3), (28, 28), (0, 4, 1)])
def test_dcgan_rejects_shapes_it_cannot_build(shape):
    with pytest.raises(ValueError, match=r"image_shape|data_shape"):
        models.build_dcgan(shape, 16)


def test_dcgan_error_names_the_shape_and_a_fix():
    with pytest.raises(ValueError, match=r"\(30, 30, 3\).*\(32, 32, 3\)"):
        models.build_dcgan((30, 30, 3), 16)


def test_critic_has_unbounded_output():
    _, D = models.build_mlp_gan((2,), 4, critic=True)
    big = D.predict_on_batch(np.full((1, 2), 1e3, "float32"))
    assert D.layers[-1].activation.__name__ == "linear" and D.name == "critic"
    assert np.isfinite(big).all()


def test_mlp_gan_for_vectors_is_linear_and_for_images_tanh():
    G, _ = models.build_mlp_gan((1,), 3)
    assert G.output_shape == (None, 1) and G.layers[-2].activation.__name__ == "linear"
    G, D = models.build_mlp_gan((28, 28, 1), 3)
    assert G.output_shape == (None, 28, 28, 1) and D.input_shape == (None, 28, 28, 1)
    assert G.layers[-2].activation.__name__ == "tanh"


@pytest.mark.parametrize("latent_dim", [0, -1, 2.0])
def test_bad_latent_dim_is_rejected(latent_dim):
    with pytest.raises(ValueError, match="latent_dim"):
        models.build_mlp_gan((2,), latent_dim)


def test_plot_1d_gan_draws_data_generator_d_and_d_star():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gan_course import plotting
    from gan_course.data import Mixture1D

    grid = np.linspace(-4, 4, 101)
    mix = Mixture1D((0,), (1,))
    _, ax = plt.subplots()
    p_g = plotting.plot_1d_gan(ax, grid, mix.pdf(grid), mix.sample(2000, seed=0), np.full(101, 0.5))
    assert len(ax.lines) == 5  # p_data, p_g, D, D*, the 1/2 line
    assert np.abs(p_g - mix.pdf(grid)).max() < 0.05  # the KDE finds the density
    plt.close("all")


def test_a_few_d_steps_reduce_d_loss_on_a_fixed_batch():
    import keras

    from gan_course import training

    keras.utils.set_random_seed(0)
    G, D = models.build_dcgan((28, 28, 1), 8, width=8)
    gan = training.GAN(G, D, 8)
    x = np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1)).astype("float32")
    first = gan.d_step(x)["d_loss"]
    for _ in range(10):
        last = gan.d_step(x)["d_loss"]
    assert last < first


def test_dcgan_samples_for_d_match_what_g_trains_on():
    """predict_on_batch (BatchNorm on moving averages) stays close to G in training mode."""
    import keras

    from gan_course import training

    keras.utils.set_random_seed(0)
    G, D = models.build_dcgan((28, 28, 1), 8, width=8)
    gan = training.GAN(G, D, 8)
    x = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)).astype("float32")
    for _ in range(30):
        gan.train_step([x])
    z = np.random.default_rng(1).standard_normal((64, 8)).astype("float32")
    inference, training_mode = G.predict_on_batch(z), keras.ops.convert_to_numpy(G(z, training=True))
    assert np.abs(inference - training_mode).mean() < 0.05


# ------------------------------------------------------------------ conditional
def test_cgan_shapes_and_ranges():
    G, D = models.build_cgan((28, 28, 1), 10, 16, width=8)
    z = np.random.default_rng(0).standard_normal((3, 16)).astype("float32")
    x = G.predict_on_batch([z, np.array([0, 5, 9], "int32")])
    assert x.shape == (3, 28, 28, 1) and x.min() >= -1 and x.max() <= 1
    p = D.predict_on_batch([x, np.array([0, 5, 9], "int32")])
    assert p.shape == (3, 1) and np.all((p > 0) & (p < 1))


def test_cgan_outputs_depend_on_the_label():
    G, D = models.build_cgan((28, 28, 1), 10, 16, width=8)
    z = np.zeros((2, 16), "float32")
    x = G.predict_on_batch([z, np.array([1, 7], "int32")])
    assert not np.allclose(x[0], x[1])  # same z, different digit
    p = D.predict_on_batch([np.repeat(x[:1], 2, axis=0), np.array([1, 7], "int32")])
    assert p[0, 0] != p[1, 0]  # same image, different label


@pytest.mark.parametrize("num_classes", [1, 2.5, "10"])
def test_cgan_rejects_bad_class_counts(num_classes):
    with pytest.raises(ValueError, match="num_classes"):
        models.build_cgan((28, 28, 1), num_classes, 16)


# ------------------------------------------------------------------ MixturePrior
def test_mixture_prior_is_its_formula():
    from math import erf, sqrt
    prior = models.MixturePrior(7, 3, std=0.3, seed=1)
    z = np.random.default_rng(0).standard_normal((2000, 4)).astype("float32")
    phi = 0.5 * (1 + np.vectorize(erf)(z[:, 0].astype("float64") / sqrt(2)))
    i = np.minimum(np.floor(7 * phi).astype(int), 6)
    means = np.asarray(prior.means)
    np.testing.assert_allclose(np.asarray(prior(z)), means[i] + 0.3 * z[:, 1:], atol=1e-6)


def test_mixture_prior_picks_each_component_equally_often():
    prior = models.MixturePrior(10, 2, std=1e-3, seed=0)
    z = np.random.default_rng(1).standard_normal((50_000, 3)).astype("float32")
    out, means = np.asarray(prior(z)), np.asarray(prior.means)
    picked = np.linalg.norm(out[:, None, :] - means[None], axis=2).argmin(1)
    counts = np.bincount(picked, minlength=10)
    assert np.all(np.abs(counts - 5000) < 5 * np.sqrt(50_000 * 0.1 * 0.9)), counts  # binomial, 5 sd


def test_mixture_prior_means_come_from_its_seed_and_survive_saving(tmp_path):
    import keras
    a, b, c = (models.MixturePrior(4, 2, seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(np.asarray(a.means), np.asarray(b.means))
    assert not np.allclose(np.asarray(a.means), np.asarray(c.means))
    G = keras.Sequential([keras.Input((3,)), a, keras.layers.Dense(2)])
    G.save(tmp_path / "g.keras")
    z = np.random.default_rng(0).standard_normal((8, 3)).astype("float32")
    np.testing.assert_array_equal(keras.models.load_model(tmp_path / "g.keras").predict(z, verbose=0),
                                  G.predict(z, verbose=0))


@pytest.mark.parametrize("kwargs", [dict(components=0, dim=2), dict(components=2.5, dim=2),
                                    dict(components=3, dim=0), dict(components=3, dim=2, std=0.0),
                                    dict(components=3, dim=2, std=-1.0)])
def test_mixture_prior_rejects_bad_values(kwargs):
    with pytest.raises(ValueError, match="components|dim|std"):
        models.MixturePrior(**kwargs)
