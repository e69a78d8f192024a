"""Two well-known MNIST DCGANs, rebuilt from their architectures, to measure the course's against.

tf_tutorial_dcgan: the TensorFlow DCGAN tutorial's models (Dense 7x7x256, three transposed
    convolutions with BatchNorm and LeakyReLU; D: Conv 64/128, stride 2, dropout 0.3, a logit),
    Adam 1e-4, batch 256, trained by one fused tf.function step with a GradientTape per network.
keras_gan_dcgan: the classic Keras-GAN DCGAN (G: Dense 7x7x128, UpSampling + Conv 128/64 with
    BatchNorm momentum 0.8; D: Conv 32/64/128/256 with dropout 0.25 and BatchNorm 0.8), Adam 2e-4
    with beta_1 0.5, batch 32, trained with train_on_batch (D on a real batch, then a fake batch,
    then the combined model), with the Keras 3 freezing fix.
Benchmarks only: the course's own models live in gan_course.models.
"""
import keras
import numpy as np
import tensorflow as tf
from keras import layers

LATENT_DIM = 100


def tf_tutorial_dcgan():
    G = keras.Sequential([
        keras.Input((LATENT_DIM,)),
        layers.Dense(7 * 7 * 256, use_bias=False), layers.BatchNormalization(), layers.LeakyReLU(),
        layers.Reshape((7, 7, 256)),
        layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
        layers.BatchNormalization(), layers.LeakyReLU(),
        layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(), layers.LeakyReLU(),
        layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, activation="tanh"),
    ], name="tf_tutorial_generator")
    D = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(64, 5, strides=2, padding="same"), layers.LeakyReLU(), layers.Dropout(0.3),
        layers.Conv2D(128, 5, strides=2, padding="same"), layers.LeakyReLU(), layers.Dropout(0.3),
        layers.Flatten(), layers.Dense(1),  # a logit
    ], name="tf_tutorial_discriminator")
    return G, D


def keras_gan_dcgan():
    G = keras.Sequential([
        keras.Input((LATENT_DIM,)),
        layers.Dense(128 * 7 * 7, activation="relu"), layers.Reshape((7, 7, 128)),
        layers.UpSampling2D(), layers.Conv2D(128, 3, padding="same"),
        layers.BatchNormalization(momentum=0.8), layers.ReLU(),
        layers.UpSampling2D(), layers.Conv2D(64, 3, padding="same"),
        layers.BatchNormalization(momentum=0.8), layers.ReLU(),
        layers.Conv2D(1, 3, padding="same", activation="tanh"),
    ], name="keras_gan_generator")
    D = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, strides=2, padding="same"), layers.LeakyReLU(0.2), layers.Dropout(0.25),
        layers.Conv2D(64, 3, strides=2, padding="same"), layers.ZeroPadding2D(((0, 1), (0, 1))),
        layers.BatchNormalization(momentum=0.8), layers.LeakyReLU(0.2), layers.Dropout(0.25),
        layers.Conv2D(128, 3, strides=2, padding="same"),
        layers.BatchNormalization(momentum=0.8), layers.LeakyReLU(0.2), layers.Dropout(0.25),
        layers.Conv2D(256, 3, strides=1, padding="same"),
        layers.BatchNormalization(momentum=0.8), layers.LeakyReLU(0.2), layers.Dropout(0.25),
        layers.Flatten(), layers.Dense(1, activation="sigmoid"),
    ], name="keras_gan_discriminator")
    return G, D


class FusedTrainer:
    """The TensorFlow tutorial's training step: one tf.function, one GradientTape per network.

    from_logits: True when D outputs a logit (the tutorial), False for a sigmoid D.
    """

    def __init__(self, G, D, latent_dim, learning_rate=1e-4, beta_1=0.9, from_logits=True):
        self.G, self.D, self.latent_dim = G, D, latent_dim
        self.bce = keras.losses.BinaryCrossentropy(from_logits=from_logits)
        self.g_opt = keras.optimizers.Adam(learning_rate, beta_1=beta_1)
        self.d_opt = keras.optimizers.Adam(learning_rate, beta_1=beta_1)
        self.step = tf.function(self._step)

    def _step(self, real):
        z = tf.random.normal((tf.shape(real)[0], self.latent_dim))
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = self.G(z, training=True)
            real_out, fake_out = self.D(real, training=True), self.D(fake, training=True)
            g_loss = self.bce(tf.ones_like(fake_out), fake_out)
            d_loss = self.bce(tf.ones_like(real_out), real_out) + self.bce(tf.zeros_like(fake_out), fake_out)
        self.g_opt.apply(g_tape.gradient(g_loss, self.G.trainable_variables), self.G.trainable_variables)
        self.d_opt.apply(d_tape.gradient(d_loss, self.D.trainable_variables), self.D.trainable_variables)
        return d_loss, g_loss

    def train_step(self, real):
        return self.step(tf.convert_to_tensor(real))


class FusedAlgorithm1:
    """Algorithm 1 as the course's engine runs it, fused into one tf.function: the work of the
    engine's step with none of its Keras calls.

    D's step: fakes from fresh z (G in inference mode, as G.predict_on_batch makes them), D trained
    on the 2m real and fake samples. G's step: fresh z, through the updated D, called in inference
    mode (the engine's frozen D runs BatchNorm so; the course's D has no BatchNorm and no dropout; the
    tutorial's D skips its dropout here), non-saturating loss. Sigmoid D, Adam(2e-4,
    0.5) for both, as the engine's defaults.
    """

    def __init__(self, G, D, latent_dim):
        self.G, self.D, self.latent_dim = G, D, latent_dim
        self.d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.g_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.step = tf.function(self._random_step)

    def _random_step(self, real):
        m = tf.shape(real)[0]
        return self._step(real, tf.random.normal((m, self.latent_dim)), tf.random.normal((m, self.latent_dim)))

    def _step(self, real, z_d, z_g):
        """One iteration on real samples, with z_d for D's fakes and z_g for G's step."""
        m = tf.shape(real)[0]
        fake = self.G(z_d, training=False)
        targets = tf.concat([tf.ones((m, 1)), tf.zeros((m, 1))], 0)
        with tf.GradientTape() as tape:
            d_loss = tf.reduce_mean(keras.losses.binary_crossentropy(
                targets, self.D(tf.concat([real, fake], 0), training=True)))
        self.d_opt.apply(tape.gradient(d_loss, self.D.trainable_variables), self.D.trainable_variables)
        with tf.GradientTape() as tape:
            scores = self.D(self.G(z_g, training=True), training=False)
            g_loss = tf.reduce_mean(keras.losses.binary_crossentropy(tf.ones_like(scores), scores))
        self.g_opt.apply(tape.gradient(g_loss, self.G.trainable_variables), self.G.trainable_variables)
        return d_loss, g_loss

    def train_step(self, real):
        return self.step(tf.convert_to_tensor(real))


class KerasGanTrainer:
    """Keras-GAN's loop: D on real, D on fake, then the combined model, by train_on_batch.

    With the Keras 3 fix: D.trainable is set right before each D and each combined step.
    """

    def __init__(self, G, D, latent_dim, rng):
        self.G, self.D, self.latent_dim, self.rng = G, D, latent_dim, rng
        D.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss="binary_crossentropy")
        z = keras.Input((latent_dim,))
        self.combined = keras.Model(z, D(G(z)))
        self.combined.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss="binary_crossentropy")

    def train_step(self, real):
        m = len(real)
        ones, zeros = np.ones((m, 1), "float32"), np.zeros((m, 1), "float32")
        fake = self.G.predict_on_batch(self.rng.standard_normal((m, self.latent_dim)).astype("float32"))
        self.D.trainable = True
        self.D.train_on_batch(real, ones)
        self.D.train_on_batch(fake, zeros)
        self.D.trainable = False
        self.combined.train_on_batch(self.rng.standard_normal((m, self.latent_dim)).astype("float32"), ones)
