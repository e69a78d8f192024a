"""Differentiable augmentation (DiffAugment, Zhao et al. 2020): D sees T(x), never x itself.

With few training images D learns them by heart, and then its verdicts stop telling G
anything useful. DiffAugment shows D every image, real or fake, through a random
transformation T, in D's steps and in G's: there T sits between G and D in the combined
model, so G's gradient passes through it (T must be differentiable). Sampling G never
applies it. Zhao et al. use T = translation, cutout (and colour); ADA (Karras et al. 2020)
is the same idea with more transformations and an adaptive strength. Here:

    translation  shift by (dy, dx), each uniform on the integers in [-r H, r H]
                 ([-r W, r W]), filling with 0; r = 1/8 as in the paper
    cutout       zero one square of side H/2 (W/2) centred uniformly at random,
                 clipped at the borders, as in the paper

Each image in a batch gets its own draws. Used by `training.GAN(..., augment=DiffAugment())`.
"""
import keras
from keras import ops


class DiffAugment(keras.layers.Layer):
    """Random translation then cutout of images (batch, H, W, C), in training calls only."""

    def __init__(self, translation=1 / 8, cutout=1 / 2, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.translation, self.cutout = translation, cutout
        self.seeds = keras.random.SeedGenerator(seed)

    def call(self, images, training=False):
        if not training:
            return images
        return self._cut_out(self._translate(images))

    def _translate(self, x):
        """out[b, i, j] = x[b, i - dy_b, j - dx_b], 0 where that falls outside the image."""
        batch, height, width = ops.shape(x)[0], x.shape[1], x.shape[2]
        shifts = []
        for size in (height, width):
            most = int(size * self.translation + 0.5)
            shift = keras.random.randint((batch,), -most, most + 1, seed=self.seeds)
            index = ops.arange(size)
            # one shift matrix per image: S[b, i, j] = 1 where j = i - shift_b
            shifts.append(ops.cast(index[None, None, :] == index[None, :, None] - shift[:, None, None], x.dtype))
        rows, columns = shifts
        return ops.einsum("bij,bjkc,blk->bilc", rows, x, columns)

    def _cut_out(self, x):
        batch, height, width = ops.shape(x)[0], x.shape[1], x.shape[2]
        inside = []
        for size in (height, width):
            side = int(size * self.cutout + 0.5)
            centre = keras.random.randint((batch,), 0, size + (1 - side % 2), seed=self.seeds)
            first = centre - side // 2
            index = ops.arange(size)[None, :]
            inside.append(ops.cast((index >= first[:, None]) & (index < first[:, None] + side), x.dtype))
        hole = inside[0][:, :, None] * inside[1][:, None, :]  # (batch, H, W): 1 inside the square
        return x * (1.0 - hole)[..., None]
