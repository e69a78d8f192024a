"""The GAN engine: freezing, determinism, resume, bad input."""
import keras
import numpy as np
import pytest
from keras import layers

from gan_course import models, training, wasserstein
from weight_checks import changed, weights
from gan_course.data import ring_of_gaussians

LATENT = 4


def small_image_gan(seed=0, **kwargs):
    """A tiny DCGAN for 8x8x1 images whose D has BatchNorm, the hard case for freezing; kwargs go to GAN."""
    keras.utils.set_random_seed(seed)
    G, _ = models.build_dcgan((8, 8, 1), LATENT, width=4)
    D = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(4, 3, strides=2, padding="same"),
                          layers.BatchNormalization(), layers.LeakyReLU(0.2), layers.Flatten(),
                          layers.Dense(1, activation="sigmoid")], name="discriminator")
    return training.GAN(G, D, LATENT, **kwargs)


def images(n=64, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, 8, 8, 1)).astype("float32")


def toy_gan(seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    G, D = models.build_mlp_gan((2,), LATENT, hidden=(16, 16))
    return training.GAN(G, D, LATENT, **kwargs)


def ring(n=256):
    return ring_of_gaussians(n, seed=0)[0]


# ------------------------------------------------------------------ freezing
@pytest.mark.parametrize("batch_sizes", [(16,), (16, 8)])
def test_d_step_changes_d_and_leaves_g_unchanged(batch_sizes):
    gan = small_image_gan()
    for m in batch_sizes:  # a second size forces a retrace
        d0, g0 = weights(gan.D), weights(gan.G)
        gan.d_step(images(m))
        assert changed(d0, gan.D)
        assert not changed(g0, gan.G)


@pytest.mark.parametrize("batch_sizes", [(16,), (16, 8)])
def test_g_step_changes_g_and_leaves_d_unchanged(batch_sizes):
    gan = small_image_gan()
    gan.d_step(images(16))  # D's function traced first, as in training
    for m in batch_sizes:
        d0, g0 = weights(gan.D), weights(gan.G)
        gan.g_step(m)
        assert changed(g0, gan.G)
        assert not changed(d0, gan.D)  # its BatchNorm moving statistics too


def test_alternating_steps_keep_training_both_networks():
    gan = small_image_gan()
    for m in (16, 8, 16):
        d0 = weights(gan.D)
        gan.train_step([images(m)])
        assert changed(d0, gan.D)


def test_keras2_freeze_once_recipe_never_trains_d():
    """The recipe of Keras 2 tutorials: compile D, set D.trainable = False once, build the combined model."""
    keras.utils.set_random_seed(0)
    G, D = models.build_mlp_gan((2,), LATENT, hidden=(16, 16))
    D.compile(optimizer="adam", loss="binary_crossentropy")
    D.trainable = False
    z = keras.Input((LATENT,))
    combined = keras.Model(z, D(G(z)))
    combined.compile(optimizer="adam", loss="binary_crossentropy")
    x = ring(32)
    d0 = weights(D)
    with pytest.warns(UserWarning, match="does not have any trainable weights"):
        for _ in range(3):
            fake = G.predict_on_batch(np.random.normal(size=(32, LATENT)).astype("float32"))
            D.train_on_batch(np.concatenate([x, fake]), np.r_[np.ones(32), np.zeros(32)][:, None])
            combined.train_on_batch(np.random.normal(size=(32, LATENT)).astype("float32"), np.ones((32, 1)))
    assert not changed(d0, D)


# ------------------------------------------------------------------ determinism and resume
def test_same_global_seed_gives_identical_histories():
    first = toy_gan(seed=3).train(ring(), 20, batch_size=32, progress=False)
    second = toy_gan(seed=3).train(ring(), 20, batch_size=32, progress=False)
    assert first == second
    third = toy_gan(seed=4).train(ring(), 20, batch_size=32, progress=False)
    assert third != first


def test_explicit_seed_overrides_global_seed():
    keras.utils.set_random_seed(0)
    G, D = models.build_mlp_gan((2,), LATENT, hidden=(16, 16))
    gan = training.GAN(G, D, LATENT, seed=123)
    assert gan.seed == 123
    np.testing.assert_array_equal(gan.noise(3), np.random.default_rng(123).standard_normal((3, LATENT)).astype("float32"))


def test_resume_matches_uninterrupted_training(tmp_path):
    x, n = ring(), 12
    straight = toy_gan(seed=5)
    straight.train(x, 2 * n, batch_size=32, progress=False)

    stopped = toy_gan(seed=5)
    stopped.train(x, n, batch_size=32, checkpoint_dir=tmp_path, checkpoint_every=5, progress=False)
    resumed = toy_gan(seed=99)  # fresh models and streams: everything must come from the checkpoint
    resumed.train(x, 2 * n, batch_size=32, checkpoint_dir=tmp_path, progress=False)

    assert resumed.step == straight.step == 2 * n
    assert resumed.history == straight.history
    for a, b in zip(straight.G.get_weights() + straight.D.get_weights(),
                    resumed.G.get_weights() + resumed.D.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_rerunning_a_finished_training_does_nothing(tmp_path):
    gan = toy_gan()
    gan.train(ring(), 5, batch_size=32, checkpoint_dir=tmp_path, progress=False)
    again = toy_gan(seed=8)
    history = again.train(ring(), 5, batch_size=32, checkpoint_dir=tmp_path, progress=False)
    assert again.step == 5 and len(history["d_loss"]) == 5


def test_checkpoint_is_weights_only(tmp_path):
    toy_gan().train(ring(), 3, batch_size=32, checkpoint_dir=tmp_path, progress=False)
    folder = tmp_path / (tmp_path / "latest").read_text()
    assert sorted(p.name for p in folder.iterdir()) == [
        "discriminator.weights.h5", "generator.weights.h5", "optimizers.npz", "state.json"]
    with np.load(folder / "optimizers.npz", allow_pickle=False) as saved:
        assert saved.files  # loads without pickle


def test_snapshots_use_one_fixed_z():
    gan = toy_gan()
    gan.train(ring(), 6, batch_size=32, snapshot_every=3, progress=False)
    assert [step for step, _ in gan.snapshots] == [3, 6]
    assert gan.snapshots[0][1].shape == (64, 2)


def test_saturating_loss_is_log_one_minus_d():
    p = np.array([[0.1], [0.5], [0.9]], "float32")
    np.testing.assert_allclose(training.saturating_loss(None, p), np.log(1 - p[:, 0]), rtol=1e-5)
    np.testing.assert_allclose(training.non_saturating_loss(None, p), -np.log(p[:, 0]), rtol=1e-5)


def test_sample_is_in_range_and_seeded():
    gan = small_image_gan()
    a, b = gan.sample(5, seed=1), gan.sample(5, seed=1)
    assert a.shape == (5, 8, 8, 1) and a.min() >= -1 and a.max() <= 1
    np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ bad input
def test_images_of_wrong_shape_are_rejected():
    with pytest.raises(ValueError, match=r"\(9, 9, 1\).*expect \(8, 8, 1\)"):
        small_image_gan().train(np.zeros((32, 9, 9, 1), "float32"), 1, batch_size=8)


def test_images_out_of_range_are_rejected():
    with pytest.raises(ValueError, match=r"\[0, 255\].*\[-1, 1\]"):
        small_image_gan().train(np.full((32, 8, 8, 1), 255.0, "float32") * np.r_[0, 1].repeat(16)[:, None, None, None],
                                1, batch_size=8)


def test_latent_dim_mismatch_is_rejected():
    G, D = models.build_mlp_gan((2,), LATENT)
    with pytest.raises(ValueError, match="latent_dim=7"):
        training.GAN(G, D, 7)


def test_batch_larger_than_data_is_rejected():
    with pytest.raises(ValueError, match="batch_size"):
        toy_gan().train(ring(10), 1, batch_size=11)


@pytest.mark.parametrize("k", [0, -1, 1.5])
def test_k_below_one_is_rejected(k):
    G, D = models.build_mlp_gan((2,), LATENT)
    with pytest.raises(ValueError, match="k "):
        training.GAN(G, D, LATENT, k=k)


def test_unknown_generator_loss_is_rejected():
    G, D = models.build_mlp_gan((2,), LATENT)
    with pytest.raises(ValueError, match="generator_loss"):
        training.GAN(G, D, LATENT, generator_loss="minimax")


def test_k_discriminator_steps_per_generator_step():
    gan = toy_gan(k=3)
    iterations = []
    original = gan.d_step
    gan.d_step = lambda x: iterations.append(len(x)) or original(x)
    gan.train(ring(), 2, batch_size=16, progress=False)
    assert iterations == [16] * 6


def test_generator_gradient_norm_vanishes_only_for_the_saturating_loss_when_d_wins():
    keras.utils.set_random_seed(0)
    G, D = models.build_mlp_gan((1,), LATENT, hidden=(16, 16))
    gan = training.GAN(G, D, LATENT, d_optimizer=keras.optimizers.Adam(1e-2))
    x = np.random.default_rng(0).normal(4.0, 0.5, (64, 1)).astype("float32")  # far from G's start near 0
    for _ in range(200):  # D alone: it learns to reject G's samples
        gan.d_step(x)
    assert gan.d_step(x)["d_fake"] < 0.01
    g0 = weights(gan.G)
    saturating = gan.generator_gradient_norm(loss="saturating")
    non_saturating = gan.generator_gradient_norm(loss="non-saturating")
    assert not changed(g0, gan.G)  # measuring does not train
    assert non_saturating > 10 * saturating


def linear_pair(latent, d_kernel, d_bias, critic=False):
    """G(z) = sum(z) (one output); D(x) = sigmoid(d_kernel x + d_bias), or the same score unsquashed."""
    G = keras.Sequential([keras.Input((latent,)), keras.layers.Dense(1)])
    G.layers[-1].set_weights([np.ones((latent, 1), "float32"), np.zeros(1, "float32")])
    D = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation=None if critic else "sigmoid")])
    D.layers[-1].set_weights([np.array([[d_kernel]], "float32"), np.array([d_bias], "float32")])
    return G, D


def test_generator_gradient_norm_keeps_tiny_norms():
    # D's logit a = z1 + ... + z4 - 60: D(G(z)) ~ 1e-26, and the saturating loss's gradient
    # dL/dW_G = mean(-sigmoid(a) z), about 1e-26: its square underflows float32 to 0.
    G, D = linear_pair(LATENT, 1.0, -60.0)
    gan = training.GAN(G, D, LATENT)
    z = np.random.default_rng(0).standard_normal((256, LATENT)).astype("float32").astype("float64")
    s = 1 / (1 + np.exp(-(z.sum(1) - 60)))
    expected = np.sqrt(np.sum((-(s[:, None] * z).mean(0)) ** 2) + (-s.mean()) ** 2)
    assert 1e-30 < expected < 1e-20
    assert gan.generator_gradient_norm(loss="saturating") == pytest.approx(expected, rel=1e-3, abs=0)


def test_generator_gradient_norm_of_a_wgan_is_that_of_minus_the_mean_score():
    # -mean f(G(z)) with f(x) = 3x + 1 and G(z) = sum(z): dL/dW_G = -3 mean(z), dL/db_G = -3
    G, critic = linear_pair(LATENT, 3.0, 1.0, critic=True)
    gan = wasserstein.WGAN(G, critic, LATENT)
    z = np.random.default_rng(0).standard_normal((256, LATENT)).astype("float32").astype("float64")
    expected = np.sqrt(np.sum((3 * z.mean(0)) ** 2) + 9)
    assert gan.generator_gradient_norm() == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="wasserstein"):
        gan.generator_gradient_norm(loss="saturating")


def test_generator_gradient_norm_does_not_touch_the_training_stream():
    a, b = toy_gan(seed=2), toy_gan(seed=2)
    a.generator_gradient_norm()
    assert a.noise(3).tolist() == b.noise(3).tolist()
