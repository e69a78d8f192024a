"""DiffAugment and the engine's augment option: what D sees, what G learns through, what sampling gives."""
import keras
import numpy as np
import pytest

from gan_course import models, training
from gan_course.augment import DiffAugment
from test_training import images, small_image_gan
from weight_checks import changed, weights

LATENT = 4


def shifted(image, dy, dx):
    """image (H, W) moved down by dy and right by dx, filled with 0."""
    out = np.zeros_like(image)
    h, w = image.shape
    out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = image[max(-dy, 0):h - max(dy, 0),
                                                                        max(-dx, 0):w - max(dx, 0)]
    return out


def test_translation_moves_each_image_by_its_own_shift_within_an_eighth():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).uniform(0.5, 1, (64, 16, 16, 1)).astype("float32")
    out = np.asarray(DiffAugment(cutout=0)(x, training=True))
    found = set()
    for image, moved in zip(x[..., 0], out[..., 0]):
        shifts = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)  # 16 / 8 = 2 pixels at most
                  if np.array_equal(shifted(image, dy, dx), moved)]
        assert len(shifts) == 1
        found.add(shifts[0])
    assert len(found) > 10  # per-image draws, not one shift for the batch


def test_cutout_zeroes_one_square_of_half_the_side_clipped_at_the_border():
    keras.utils.set_random_seed(0)
    x = np.ones((64, 8, 8, 1), "float32")
    holes = np.asarray(DiffAugment(translation=0)(x, training=True))[..., 0] == 0
    for hole in holes:
        rows, cols = np.flatnonzero(hole.any(1)), np.flatnonzero(hole.any(0))
        assert hole.sum() == len(rows) * len(cols)  # one rectangle
        assert np.all(np.diff(rows) == 1) and np.all(np.diff(cols) == 1)
        assert 1 <= len(rows) <= 4 and 1 <= len(cols) <= 4  # side 8 / 2, less where clipped
    assert np.mean([h.sum() == 16 for h in holes]) > 0.3


def test_inference_calls_pass_images_through_unchanged():
    x = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
    np.testing.assert_array_equal(np.asarray(DiffAugment()(x)), x)


class CountingAugment(DiffAugment):
    """DiffAugment that counts its training calls in eager code and in traced train functions."""

    def __init__(self):
        super().__init__(seed=0)
        self.calls = keras.Variable(0.0, trainable=False, name="calls")
        self.python_runs = 0  # how often this Python runs: at every call if eager, when traced if not

    def call(self, images, training=False):
        if training:
            self.calls.assign_add(1.0)
            self.python_runs += 1
        return super().call(images, training=training)


def image_gan(augment, seed=0):
    return small_image_gan(seed, augment=augment)


def test_augmentation_runs_in_both_steps_and_never_when_sampling():
    augment = CountingAugment()
    gan = image_gan(augment)
    seen = []
    train_d = gan.D.train_on_batch
    gan.D.train_on_batch = lambda x, y, **kw: seen.append(np.asarray(x)) or train_d(x, y, **kw)
    gan.d_step(images(16))
    assert float(augment.calls) == 1
    assert np.mean(seen[0][:16] == 0) > 0.2  # the real batch D saw has holes; the batch given has none
    gan.g_step(16)
    assert float(augment.calls) == 2  # inside the combined model, between G and D
    z = np.random.default_rng(3).standard_normal((8, LATENT)).astype("float32")
    np.testing.assert_array_equal(gan.sample(8, seed=3), gan.G.predict_on_batch(z))
    assert float(augment.calls) == 2


def test_d_steps_augment_in_a_traced_call_not_op_by_op():
    """Run eagerly, T's dozen small ops made a DCGAN step 1.25-1.30x as long; traced, 1.05-1.09x (RESULTS.md)."""
    augment = CountingAugment()
    gan = image_gan(augment)
    for _ in range(5):
        gan.d_step(images(16))
    assert float(augment.calls) == 5  # T ran in every step...
    assert augment.python_runs <= 2  # ...from a traced function (eager: 5 runs)


def test_g_learns_through_the_augmentation_and_freezing_still_holds():
    gan = image_gan(DiffAugment(seed=0))
    assert any(isinstance(layer, DiffAugment) for layer in gan.combined.layers)
    for m in (16, 8):  # a second size forces a retrace
        d0, g0 = weights(gan.D), weights(gan.G)
        gan.d_step(images(m))
        assert changed(d0, gan.D) and not changed(g0, gan.G)
        d0, g0 = weights(gan.D), weights(gan.G)
        gan.g_step(m)
        assert changed(g0, gan.G) and not changed(d0, gan.D)  # BatchNorm's moving statistics too


def test_conditional_gan_augments_the_images_not_the_labels():
    keras.utils.set_random_seed(0)
    G, D = models.build_cgan((8, 8, 1), 3, LATENT, width=4)
    gan = training.ConditionalGAN(G, D, LATENT, 3, augment=DiffAugment(seed=0))
    seen = []
    train_d = gan.D.train_on_batch
    gan.D.train_on_batch = lambda x, y, **kw: seen.append(x) or train_d(x, y, **kw)
    labels = np.arange(16) % 3
    gan.d_step((images(16), labels.astype("int32")))
    x, y = seen[0]
    assert np.mean(np.asarray(x)[:16] == 0) > 0.2
    np.testing.assert_array_equal(np.asarray(y)[:16], labels)
    gan.g_step(16)


def test_resume_restores_the_augmentations_random_stream(tmp_path):
    x = images(64)
    straight = image_gan(DiffAugment(seed=1))
    straight.train(x, 6, batch_size=16, progress=False)
    stopped = image_gan(DiffAugment(seed=1))
    stopped.train(x, 3, batch_size=16, checkpoint_dir=tmp_path, progress=False)
    resumed = image_gan(DiffAugment(seed=7))
    resumed.train(x, 6, batch_size=16, checkpoint_dir=tmp_path, progress=False)
    for a, b in zip(straight.augment.variables, resumed.augment.variables):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_augment_must_be_a_layer():
    with pytest.raises(ValueError, match="Keras layer"):
        image_gan("translation")
