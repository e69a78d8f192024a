"""PacGAN (Lin et al. 2018): D judges `pack` samples at once, so a G that keeps repeating itself
is easy to catch: a pack of four near-copies looks nothing like four independent real samples.

    D's step:  m real samples -> m/pack packs, target 1;  m fakes G(z) -> m/pack packs, target 0
    G's step:  m z -> m fakes -> m/pack packs -> D, target 1 (non-saturating), D frozen

A pack lays its samples side by side on the last axis, (m, d) -> (m/pack, pack * d) for vectors
and (m, H, W, C) -> (m/pack, H, W, pack * C) for images, so D is an ordinary network with a wider
input. Everything else (losses, freezing, checkpoints) is training.GAN's. Taught in 08.
"""
import keras
import numpy as np

from gan_course.training import GAN, _discriminator_logs


def packed(samples, pack):
    """Consecutive groups of `pack` samples side by side on the last axis: (m, ..., c) -> (m/pack, ..., pack*c)."""
    shape = tuple(samples.shape[1:])
    groups = keras.ops.reshape(samples, (-1, pack, *shape))
    groups = keras.ops.moveaxis(groups, 1, -2)  # (m/pack, ..., pack, c)
    return keras.ops.reshape(groups, (-1, *shape[:-1], pack * shape[-1]))


class Pack(keras.layers.Layer):
    """`packed` as a layer, for the combined model z -> D(pack(G(z)))."""

    def __init__(self, pack, **kwargs):
        super().__init__(**kwargs)
        self.pack = pack

    def call(self, samples):
        return packed(samples, self.pack)


class PackedGAN(GAN):
    """A GAN whose D reads packs of `pack` samples (PacGAN); the other arguments are GAN's.

    discriminator: reads a pack, shape (batch, *judged_shape(data_shape)), e.g. (pack * d,);
    batch sizes must be multiples of pack. D's logs average over packs.
    """

    def __init__(self, generator, discriminator, latent_dim, pack=2, **kwargs):
        if not isinstance(pack, int) or isinstance(pack, bool) or pack < 1:
            raise ValueError(f"pack (samples per pack) must be an integer >= 1, got {pack!r}")
        self.pack = pack
        super().__init__(generator, discriminator, latent_dim, **kwargs)

    def judged_shape(self, data_shape):
        return (*data_shape[:-1], self.pack * data_shape[-1])

    def _combined_model(self):
        z = keras.Input((self.latent_dim,), name="z")
        fake = self.G(z) if self.augment is None else self.augment(self.G(z))
        return keras.Model(z, self.D(Pack(self.pack)(fake)), name="combined")

    def d_step(self, x):
        """GAN.d_step on packs: m real samples and m fakes become m/pack packs of each."""
        m, n = len(x), len(x) // self.pack
        fake = self.G.predict_on_batch(self.noise(m))
        targets = np.concatenate([np.ones((n, 1), "float32"), np.zeros((n, 1), "float32")])  # 1 real pack, 0 fake
        seen = packed(self.augmented(np.concatenate([x, fake])), self.pack)  # reals pack with reals
        self.D.trainable = True
        logs = self.D.train_on_batch(seen, targets, return_dict=True)
        return _discriminator_logs(logs)

    def g_step(self, m):
        """GAN.g_step on packs: m fresh fakes, m/pack packs, each wanted "real"."""
        self.D.trainable = False
        return float(self.combined.train_on_batch(self.noise(m), np.ones((m // self.pack, 1), "float32")))

    def _check_data(self, images, batch_size):
        super()._check_data(images, batch_size)
        if batch_size % self.pack:
            raise ValueError(f"batch_size must be a multiple of pack={self.pack}, got {batch_size}")
