"""ConditionalGAN, WGAN and WGAN-GP: they share GAN's loop, freezing, checkpoints and errors."""
import keras
import numpy as np
import pytest

from gan_course import models, training, wasserstein
from weight_checks import changed, weights

LATENT = 4


def digits(n=32, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (n, 8, 8, 1)).astype("float32"), rng.integers(0, 3, n)


def assert_resumes_exactly(make, fit, tmp_path, n):
    """Train 2n steps straight; train n, checkpoint, and resume in fresh models to 2n.

    Loading must restore weights, optimizer state, history and random stream bit for bit, and
    the resumed run must draw exactly what the straight run drew. The losses and weights after
    resuming are compared loosely: convolutions on a CPU (oneDNN), and even dense layers in a
    process's first run, are not bitwise repeatable, and Adam turns that noise into visible
    (~1e-4) differences within a few steps.
    """
    straight = make(5)
    fit(straight, 2 * n, None)
    stopped = make(5)
    fit(stopped, n, tmp_path)
    resumed = make(9)  # other seed: everything must come from the checkpoint
    resumed._maybe_resume(tmp_path)
    assert resumed.step == n and resumed.history == stopped.history
    assert resumed.rng.bit_generator.state == stopped.rng.bit_generator.state
    for a, b in zip(stopped.G.get_weights() + stopped.D.get_weights(), resumed.G.get_weights() + resumed.D.get_weights()):
        np.testing.assert_array_equal(a, b)
    for name, optimizer in stopped._optimizers().items():
        for a, b in zip(optimizer.variables, resumed._optimizers()[name].variables):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    fit(resumed, 2 * n, tmp_path)
    assert resumed.rng.bit_generator.state == straight.rng.bit_generator.state  # the same draws
    assert resumed.step == straight.step and resumed.history.keys() == straight.history.keys()
    for name in straight.history:
        np.testing.assert_allclose(resumed.history[name], straight.history[name], rtol=0.05, atol=1e-3, err_msg=name)


def cgan(seed=0):
    keras.utils.set_random_seed(seed)
    G, D = models.build_cgan((8, 8, 1), 3, LATENT, width=4)
    return training.ConditionalGAN(G, D, LATENT, 3)


def wgan(kind="clip", seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    G, C = models.build_dcgan((8, 8, 1), LATENT, width=4, critic=True)
    cls = wasserstein.WGAN if kind == "clip" else wasserstein.WGANGP
    return cls(G, C, LATENT, **kwargs)


# ------------------------------------------------------------------ conditional GAN
def test_conditional_steps_freeze_the_right_network():
    gan, (x, y) = cgan(), digits(16)
    d0, g0 = weights(gan.D), weights(gan.G)
    gan.d_step((x, y.astype("int32")))
    assert changed(d0, gan.D) and not changed(g0, gan.G)
    d0, g0 = weights(gan.D), weights(gan.G)
    gan.g_step(16)
    assert changed(g0, gan.G) and not changed(d0, gan.D)


def test_conditional_combined_model_feeds_the_label_to_both():
    gan = cgan()
    assert [t.name for t in gan.combined.inputs] == ["z", "y"]
    assert gan.D in gan.combined.layers and gan.G in gan.combined.layers


def test_conditional_sample_shapes_and_labels():
    gan = cgan()
    assert gan.sample(4, 2, seed=0).shape == (4, 8, 8, 1)
    np.testing.assert_array_equal(gan.sample(3, [0, 1, 2], seed=1), gan.sample(3, [0, 1, 2], seed=1))


def test_conditional_resume_matches_uninterrupted_training(tmp_path):
    x, y = digits()
    assert_resumes_exactly(cgan, lambda gan, steps, folder: gan.train(x, y, steps, batch_size=8, checkpoint_dir=folder,
                                                                      progress=False), tmp_path, 6)


@pytest.mark.parametrize("labels, message", [
    (np.full(32, 3), r"in \[0, 3\)"),
    (np.full(32, -1), r"in \[0, 3\)"),
    (np.zeros(31, int), r"shape \(32,\)"),
    (np.zeros(32, "float32"), "integers"),
])
def test_conditional_rejects_bad_labels(labels, message):
    x, _ = digits()
    with pytest.raises(ValueError, match=message):
        cgan().train(x, labels, 1, batch_size=8)


def test_conditional_sample_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"in \[0, 3\)"):
        cgan().sample(2, 7)


def test_conditional_gan_needs_conditional_models():
    G, D = models.build_dcgan((8, 8, 1), LATENT, width=4)
    with pytest.raises(ValueError, match="build_cgan"):
        training.ConditionalGAN(G, D, LATENT, 3)


# ------------------------------------------------------------------ WGAN
def test_critic_weights_stay_within_the_clip_after_a_step():
    gan, (x, _) = wgan(clip_value=0.01), digits(16)
    before = weights(gan.D)
    gan.d_step(x)
    assert changed(before, gan.D)
    assert max(np.abs(w).max() for w in gan.D.get_weights()) <= 0.01
    assert np.abs(gan.D.get_weights()[0]).max() == pytest.approx(0.01)  # N(0, 0.02) start: clipping acted


def test_wgan_steps_freeze_the_right_network():
    for kind in ("clip", "gp"):
        gan, (x, _) = wgan(kind), digits(16)
        d0, g0 = weights(gan.D), weights(gan.G)
        gan.d_step(x)
        assert changed(d0, gan.D) and not changed(g0, gan.G)
        d0, g0 = weights(gan.D), weights(gan.G)
        gan.g_step(16)
        assert changed(g0, gan.G) and not changed(d0, gan.D)


def test_wasserstein_estimate_is_the_mean_score_gap():
    gan, (x, _) = wgan(), digits(16)
    fake_z = np.random.default_rng(gan.seed)  # replay the engine's noise draw
    fake = gan.G.predict_on_batch(fake_z.standard_normal((16, LATENT)).astype("float32"))
    gap = float(np.mean(gan.D.predict_on_batch(x)) - np.mean(gan.D.predict_on_batch(fake)))
    assert gan.d_step(x)["wasserstein"] == pytest.approx(gap, rel=1e-4, abs=1e-7)


def linear_wgan_gp(w, b, gp_weight, learning_rate):
    """WGAN-GP on 2-D points with a linear critic f(x) = w . x + b and plain SGD."""
    keras.utils.set_random_seed(0)
    G, _ = models.build_mlp_gan((2,), LATENT, hidden=(8,))
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    critic.layers[-1].set_weights([np.array(w, "float32").reshape(2, 1), np.array([b], "float32")])
    return wasserstein.WGANGP(G, critic, LATENT, gp_weight=gp_weight,
                           d_optimizer=keras.optimizers.SGD(learning_rate))


def test_wgan_gp_critic_loss_is_the_papers_in_value_and_gradient():
    # Gulrajani et al., Algorithm 1: L = mean f(fake) - mean f(real) + lambda mean (||grad f(x_hat)|| - 1)^2.
    # A linear critic has grad f = w everywhere, so the penalty is (||w|| - 1)^2 and
    # dL/dw = mean(fake) - mean(real) + 2 lambda (||w|| - 1) w / ||w||, dL/db = 0.
    w, b, lam, lr = np.array([1.5, 2.0]), 0.3, 10.0, 0.01
    gan = linear_wgan_gp(w, b, lam, lr)
    rng = np.random.default_rng(0)
    real, fake = rng.normal(1.0, 1.0, (32, 2)), rng.normal(-1.0, 0.5, (32, 2))
    alpha = rng.uniform(0, 1, (32, 1))
    x = np.concatenate([real, fake]).astype("float32")
    logs = gan.penalised.train_on_batch([x, alpha.astype("float32")], return_dict=True)
    gap = (fake @ w).mean() - (real @ w).mean()  # the biases cancel
    penalty = (np.linalg.norm(w) - 1) ** 2
    assert logs["critic_loss"] == pytest.approx(gap, rel=1e-5)
    assert logs["loss"] == pytest.approx(gap + lam * penalty, rel=1e-5)
    gradient = fake.mean(0) - real.mean(0) + 2 * lam * (np.linalg.norm(w) - 1) * w / np.linalg.norm(w)
    kernel, bias = gan.D.get_weights()
    np.testing.assert_allclose(kernel[:, 0], w - lr * gradient, rtol=1e-5)
    assert bias[0] == pytest.approx(b, abs=1e-6)


def test_wgan_gp_logs_the_critics_estimate_as_the_mean_score_gap():
    gan, (x, _) = wgan("gp"), digits(16)
    fake_z = np.random.default_rng(gan.seed)  # replay the engine's noise draw
    fake = gan.G.predict_on_batch(fake_z.standard_normal((16, LATENT)).astype("float32"))
    gap = float(np.mean(gan.D.predict_on_batch(x)) - np.mean(gan.D.predict_on_batch(fake)))
    logs = gan.d_step(x)
    assert logs["wasserstein"] == pytest.approx(gap, rel=1e-4, abs=1e-7)
    assert logs["d_loss"] == pytest.approx(-gap + gan.gp_weight * logs["gradient_penalty"], rel=1e-4, abs=1e-6)


def test_n_critic_steps_per_generator_step():
    gan, (x, _) = wgan(n_critic=3), digits()
    calls = []
    original = gan.d_step
    gan.d_step = lambda batch: calls.append(len(batch)) or original(batch)
    gan.train(x, 2, batch_size=8, progress=False)
    assert calls == [8] * 6 and gan.step == 2


def test_gradient_penalty_of_a_linear_critic_is_analytic():
    """f(x) = w . x + b has gradient w everywhere, so the penalty is (||w|| - 1)^2."""
    critic = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    w = np.random.default_rng(0).normal(0, 0.3, (64, 1)).astype("float32")
    critic.layers[-1].set_weights([w, np.array([0.5], "float32")])
    x, _ = digits(16)
    alpha = np.random.default_rng(1).uniform(0, 1, (8, 1, 1, 1)).astype("float32")
    penalty = float(wasserstein.gradient_penalty(critic, x[:8], x[8:], alpha))
    assert penalty == pytest.approx((np.linalg.norm(w) - 1) ** 2, rel=1e-5)


def test_wgan_gp_interpolation_weights_are_uniform():
    gan, (x, _) = wgan("gp"), digits(16)
    seen = []
    original = gan.penalised.train_on_batch
    gan.penalised.train_on_batch = lambda inputs, *a, **k: seen.append(inputs[1]) or original(inputs, *a, **k)
    for _ in range(40):
        gan.d_step(x)
    alpha = np.concatenate(seen).ravel()
    assert alpha.shape == (40 * 16,) and alpha.min() >= 0 and alpha.max() <= 1
    assert abs(alpha.mean() - 0.5) < 0.05 and abs(alpha.std() - 12 ** -0.5) < 0.03  # U[0, 1], not N(0, 1)


def test_wgan_gp_resume_matches_uninterrupted_training(tmp_path):
    x, _ = digits()
    assert_resumes_exactly(lambda seed: wgan("gp", seed=seed, n_critic=2),
                           lambda gan, steps, folder: gan.train(x, steps, batch_size=8, checkpoint_dir=folder,
                                                                progress=False), tmp_path, 4)


def test_critic_must_be_linear_and_discriminator_a_sigmoid():
    G, D = models.build_dcgan((8, 8, 1), LATENT, width=4)
    with pytest.raises(ValueError, match="critic=True"):
        wasserstein.WGAN(G, D, LATENT)
    G, C = models.build_dcgan((8, 8, 1), LATENT, width=4, critic=True)
    with pytest.raises(ValueError, match="sigmoid"):
        training.GAN(G, C, LATENT)


def test_wgan_gp_rejects_a_batchnorm_critic():
    G, _ = models.build_dcgan((8, 8, 1), LATENT, width=4)
    C = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3), keras.layers.BatchNormalization(),
                          keras.layers.Flatten(), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="BatchNormalization"):
        wasserstein.WGANGP(G, C, LATENT)


@pytest.mark.parametrize("kwargs, message", [
    ({"clip_value": 0}, "clip_value"), ({"clip_value": -0.1}, "clip_value"), ({"clip_value": None}, "clip_value"),
    ({"n_critic": 0}, "n_critic")])
def test_wgan_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        wgan(**kwargs)


def test_wgan_gp_rejects_a_negative_weight():
    with pytest.raises(ValueError, match="gp_weight"):
        wgan("gp", gp_weight=-1)


def test_input_gradient_norms_of_a_linear_critic_are_its_weight_norm():
    critic = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    critic.layers[-1].set_weights([np.array([[3.0], [0.0], [4.0]], "float32"), np.zeros(1, "float32")])
    x = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_allclose(wasserstein.input_gradient_norms(critic, x), np.full(5, 5.0), rtol=1e-6)
