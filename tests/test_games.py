"""The other games and remedies of lesson 08: least-squares and hinge losses, one-sided label
smoothing, and packing (PacGAN). Each loss is checked against the paper's formula on a known batch;
freezing and resuming are checked as for the cross-entropy GAN (test_training.py)."""
import keras
import numpy as np
import pytest
from keras import layers

from gan_course import models, pacgan, training
from test_training import LATENT, linear_pair, ring
from weight_checks import changed, weights

REAL = np.array([[0.5], [2.0], [-1.0], [1.5]], "float32")


def fixed_gan(loss="cross-entropy", **kwargs):
    """G(z) = sum(z); D(x) = 0.8 x - 0.3, squashed by a sigmoid for cross-entropy."""
    G, D = linear_pair(LATENT, 0.8, -0.3, critic=loss != "cross-entropy")
    return training.GAN(G, D, LATENT, loss=loss, d_optimizer=keras.optimizers.SGD(0.0), seed=0, **kwargs)


def scores_of_fakes(gan, m):
    """D's scores (pre-sigmoid) of the m fakes gan.d_step will draw next, without drawing them."""
    state = gan.rng.bit_generator.state
    z = gan.noise(m)
    gan.rng.bit_generator.state = state
    return 0.8 * z.sum(1).astype("float64") - 0.3


def d_loss_on_a_known_batch(gan):
    fake_scores = scores_of_fakes(gan, len(REAL))
    return gan.d_step(REAL)["d_loss"], 0.8 * REAL[:, 0].astype("float64") - 0.3, fake_scores


def test_least_squares_d_loss_is_the_papers():
    logged, real, fake = d_loss_on_a_known_batch(fixed_gan("least-squares"))
    assert logged == pytest.approx(0.5 * np.mean((real - 1) ** 2) + 0.5 * np.mean(fake ** 2), rel=1e-5)


def test_hinge_d_loss_is_half_the_papers():
    logged, real, fake = d_loss_on_a_known_batch(fixed_gan("hinge"))
    paper = np.mean(np.maximum(0, 1 - real)) + np.mean(np.maximum(0, 1 + fake))
    assert logged == pytest.approx(paper / 2, rel=1e-5)


def test_one_sided_label_smoothing_changes_only_the_real_targets():
    sigmoid = lambda a: 1 / (1 + np.exp(-a))
    logged, real, fake = d_loss_on_a_known_batch(fixed_gan(label_smoothing=0.1))
    on_real = -(0.9 * np.log(sigmoid(real)) + 0.1 * np.log(1 - sigmoid(real)))
    on_fake = -np.log(1 - sigmoid(fake))
    assert logged == pytest.approx((on_real.sum() + on_fake.sum()) / 8, rel=1e-4)


@pytest.mark.parametrize("loss, expected", [("least-squares", lambda s: 0.5 * np.mean((s - 1) ** 2)),
                                            ("hinge", lambda s: -np.mean(s))])
def test_generator_losses_are_the_papers(loss, expected):
    gan = fixed_gan(loss, g_optimizer=keras.optimizers.SGD(0.0))
    fake = scores_of_fakes(gan, 16)
    assert gan.g_step(16) == pytest.approx(expected(fake), rel=1e-5)


# ------------------------------------------------------------------ freezing and resuming
def bn_toy(loss="cross-entropy", pack=1, seed=0, **kwargs):
    """A toy GAN whose D has BatchNorm (the hard case for freezing), D reading packs of `pack` points."""
    keras.utils.set_random_seed(seed)
    G, _ = models.build_mlp_gan((2,), LATENT, hidden=(16, 16))
    D = keras.Sequential([keras.Input((2 * pack,)), layers.Dense(16), layers.BatchNormalization(),
                          layers.LeakyReLU(0.2), layers.Dense(1, activation="sigmoid" if loss == "cross-entropy" else None)])
    if pack == 1:
        return training.GAN(G, D, LATENT, loss=loss, **kwargs)
    return pacgan.PackedGAN(G, D, LATENT, pack=pack, loss=loss, **kwargs)


GAMES = [dict(loss="least-squares"), dict(loss="hinge"), dict(label_smoothing=0.1), dict(pack=2),
         dict(pack=4, loss="hinge")]


@pytest.mark.parametrize("options", GAMES)
def test_each_step_moves_only_its_own_network(options):
    gan = bn_toy(**options)
    x = ring(16)
    for m in (16, 8):  # a second batch size forces a retrace
        d0, g0 = weights(gan.D), weights(gan.G)
        gan.d_step(x[:m])
        assert changed(d0, gan.D) and not changed(g0, gan.G)
        d0, g0 = weights(gan.D), weights(gan.G)
        gan.g_step(m)
        assert changed(g0, gan.G) and not changed(d0, gan.D)  # BatchNorm's statistics too


@pytest.mark.parametrize("options", [dict(loss="hinge"), dict(pack=2)])
def test_resume_matches_uninterrupted_training(options, tmp_path):
    straight = bn_toy(seed=5, **options)
    straight.train(ring(), 12, batch_size=32, progress=False)
    stopped = bn_toy(seed=5, **options)
    stopped.train(ring(), 6, batch_size=32, checkpoint_dir=tmp_path, checkpoint_every=5, progress=False)
    resumed = bn_toy(seed=99, **options)
    resumed.train(ring(), 12, batch_size=32, checkpoint_dir=tmp_path, progress=False)
    assert resumed.history == straight.history
    for a, b in zip(straight.G.get_weights() + straight.D.get_weights(),
                    resumed.G.get_weights() + resumed.D.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_a_checkpoint_of_another_game_is_refused(tmp_path):
    bn_toy(loss="hinge").train(ring(), 3, batch_size=32, checkpoint_dir=tmp_path, progress=False)
    with pytest.raises(ValueError, match="generator_loss='hinge'"):
        bn_toy(loss="least-squares").train(ring(), 6, batch_size=32, checkpoint_dir=tmp_path, progress=False)


# ------------------------------------------------------------------ packing
def test_packed_lays_consecutive_samples_side_by_side():
    vectors = np.arange(12, dtype="float32").reshape(6, 2)
    np.testing.assert_array_equal(pacgan.packed(vectors, 3), [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]])
    images = np.arange(2 * 2 * 2 * 1, dtype="float32").reshape(2, 2, 2, 1)
    packed = np.asarray(pacgan.packed(images, 2))
    assert packed.shape == (1, 2, 2, 2)
    np.testing.assert_array_equal(packed[0, ..., 0], images[0, ..., 0])
    np.testing.assert_array_equal(packed[0, ..., 1], images[1, ..., 0])


def test_reals_are_packed_with_reals_and_fakes_with_fakes():
    # G makes -1 whatever z is, the reals are +1; D(pack) = sigmoid(sum of the pack): a pure real
    # pack of 2 scores sigmoid(2), a pure fake pack sigmoid(-2); a mixed pack would score 1/2.
    G = keras.Sequential([keras.Input((LATENT,)), layers.Dense(1, kernel_initializer="zeros",
                                                                bias_initializer=keras.initializers.Constant(-1.0))])
    D = keras.Sequential([keras.Input((2,)), layers.Dense(1, activation="sigmoid", kernel_initializer="ones",
                                                          bias_initializer="zeros")])
    gan = pacgan.PackedGAN(G, D, LATENT, pack=2, d_optimizer=keras.optimizers.SGD(0.0))
    logs = gan.d_step(np.ones((8, 1), "float32"))
    assert logs["d_real"] == pytest.approx(1 / (1 + np.exp(-2)), rel=1e-6)
    assert logs["d_fake"] == pytest.approx(1 / (1 + np.exp(2)), rel=1e-6)


def test_packed_gans_generator_gradient_norm_goes_through_the_packs():
    # D(pack) = sigmoid(a) with a = 3 (x1 + x2) + 1 over a pack of two G(z) = sum(z): the
    # non-saturating loss -log D has dL/da = -(1 - sigmoid(a)); G's weights get it through both members.
    G, _ = linear_pair(LATENT, 1.0, 0.0)
    D = keras.Sequential([keras.Input((2,)), layers.Dense(1, activation="sigmoid")])
    D.layers[-1].set_weights([np.full((2, 1), 3.0, "float32"), np.ones(1, "float32")])
    gan = pacgan.PackedGAN(G, D, LATENT, pack=2)
    z = np.random.default_rng(0).standard_normal((256, LATENT)).astype("float32").astype("float64")
    pairs = z.reshape(128, 2, LATENT)
    a = 3 * pairs.sum((1, 2)) + 1
    dl_da = -(1 - 1 / (1 + np.exp(-a)))
    grad_w = (dl_da[:, None] * 3 * pairs.sum(1)).mean(0)
    grad_b = (dl_da * 3 * 2).mean()
    assert gan.generator_gradient_norm(n=256) == pytest.approx(np.sqrt(np.sum(grad_w ** 2) + grad_b ** 2), rel=1e-4)


# ------------------------------------------------------------------ bad values
def test_bad_games_are_refused():
    G, D = linear_pair(LATENT, 1.0, 0.0)  # D ends in a sigmoid
    G2, critic = linear_pair(LATENT, 1.0, 0.0, critic=True)
    with pytest.raises(ValueError, match="loss must be one of"):
        training.GAN(G, D, LATENT, loss="wasserstein")
    with pytest.raises(ValueError, match="linear output"):
        training.GAN(G, D, LATENT, loss="least-squares")
    with pytest.raises(ValueError, match="must end in a sigmoid"):
        training.GAN(G2, critic, LATENT)
    with pytest.raises(ValueError, match="generator_loss must be one of"):
        training.GAN(G2, critic, LATENT, loss="hinge", generator_loss="non-saturating")
    with pytest.raises(ValueError, match="nothing to smooth|none to smooth"):
        training.GAN(G2, critic, LATENT, loss="hinge", label_smoothing=0.1)
    for bad in (1.0, -0.1, True, "0.1"):
        with pytest.raises(ValueError, match="label_smoothing"):
            training.GAN(G, D, LATENT, label_smoothing=bad)


def test_bad_packs_are_refused():
    G, _ = models.build_mlp_gan((2,), LATENT, hidden=(8,))
    _, D2 = models.build_mlp_gan((4,), LATENT, hidden=(8,))  # reads 4 numbers: two packed 2-d points
    for bad in (0, 1.5, True):
        with pytest.raises(ValueError, match="pack"):
            pacgan.PackedGAN(G, D2, LATENT, pack=bad)
    with pytest.raises(ValueError, match=r"must read \(6,\)"):
        pacgan.PackedGAN(G, D2, LATENT, pack=3)
    gan = pacgan.PackedGAN(G, D2, LATENT, pack=2)
    with pytest.raises(ValueError, match="multiple of pack=2"):
        gan.train(ring(), 2, batch_size=33, progress=False)


# ------------------------------------------------------------------ a prior in pieces
def mixture_toy(seed=0, prior_seed=0):
    """bn_toy's GAN with G reading a MixturePrior of 5 components (latent_dim 1 + LATENT)."""
    gan = bn_toy(seed=seed)
    G = keras.Sequential([keras.Input((LATENT + 1,)), models.MixturePrior(5, LATENT, seed=prior_seed), gan.G])
    return training.GAN(G, gan.D, LATENT + 1)


def test_the_mixture_priors_means_never_train():
    gan = mixture_toy()
    means = np.asarray(gan.G.layers[0].means).copy()
    d0, g0 = weights(gan.D), weights(gan.G)
    gan.train(ring(), 4, batch_size=16, progress=False)
    assert changed(d0, gan.D) and changed(g0, gan.G)
    np.testing.assert_array_equal(np.asarray(gan.G.layers[0].means), means)


def test_resume_restores_the_mixture_priors_means(tmp_path):
    straight = mixture_toy(seed=5)
    straight.train(ring(), 12, batch_size=32, progress=False)
    stopped = mixture_toy(seed=5)
    stopped.train(ring(), 6, batch_size=32, checkpoint_dir=tmp_path, checkpoint_every=5, progress=False)
    resumed = mixture_toy(seed=99, prior_seed=1)  # other weights, other means: the checkpoint restores both
    resumed.train(ring(), 12, batch_size=32, checkpoint_dir=tmp_path, progress=False)
    assert resumed.history == straight.history
    for a, b in zip(straight.G.get_weights() + straight.D.get_weights(),
                    resumed.G.get_weights() + resumed.D.get_weights()):
        np.testing.assert_array_equal(a, b)
