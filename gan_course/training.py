"""The course's GAN engine: Algorithm 1 of Goodfellow et al. (2014) with `train_on_batch`.

    for each training iteration:
        for k steps:                                   # the discriminator: GAN.d_step
            sample z_1..z_m from the noise prior and x_1..x_m from the data
            ascend  1/m sum [log D(x_i) + log(1 - D(G(z_i)))]
        sample z_1..z_m from the noise prior          # the generator: GAN.g_step
        descend 1/m sum log(1 - D(G(z_i)))     (saturating, as in the paper)
        or      1/m sum -log D(G(z_i))         (non-saturating, the paper's advice; default)

D is compiled on its own; G learns through a combined model z -> D(G(z)) whose
D is frozen. Keras 3 reads `trainable` when it traces a model's train function
(at its first `train_on_batch`, and again whenever a new batch shape forces a
retrace), not at `compile()`. So the engine sets `D.trainable = True` right
before every D step and `D.trainable = False` right before every G step; the
Keras 2 recipe of freezing D once after compiling it leaves D never training.
Taught in 04; the conditional GAN in 06. This file is the algorithms: the loop,
snapshots and checkpoints are in `loop.py`, WGAN and WGAN-GP in `wasserstein.py`.
"""
import keras
import numpy as np

from gan_course.loop import TrainingLoop


# ---------------------------------------------------------------------- losses
def non_saturating_loss(y_true, y_pred):
    """-log D(G(z)): binary cross-entropy against the label 1 ("real"), whatever y_true says.

    Gradient w.r.t. D's logit a: -(1 - D), near -1 when D rejects the fakes.
    """
    return keras.losses.binary_crossentropy(keras.ops.ones_like(y_pred), y_pred)


def saturating_loss(y_true, y_pred):
    """log(1 - D(G(z))), the generator's term of V(D, G), minimised as written (y_true unused).

    Gradient w.r.t. D's logit a: -D, near 0 when D rejects the fakes (it saturates).
    """
    return -keras.losses.binary_crossentropy(keras.ops.zeros_like(y_pred), y_pred)


GENERATOR_LOSSES = {"non-saturating": non_saturating_loss, "saturating": saturating_loss}


def mean_on_real(y_true, y_pred):
    """Mean D(x) over the real half of a D batch (label 1)."""
    return keras.ops.sum(y_pred * y_true) / keras.ops.maximum(keras.ops.sum(y_true), 1.0)


def mean_on_fake(y_true, y_pred):
    """Mean D(G(z)) over the fake half of a D batch (label 0)."""
    return keras.ops.sum(y_pred * (1 - y_true)) / keras.ops.maximum(keras.ops.sum(1 - y_true), 1.0)


def _output_range(model):
    """(low, high) of a model's outputs from its last activation, or None if unbounded."""
    for layer in reversed(model.layers):
        activation = getattr(layer, "activation", None)
        if activation is not None:
            name = getattr(activation, "__name__", "")
            return {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}.get(name)
    return None


def _adam():
    return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)  # Radford et al. 2016


# ---------------------------------------------------------------------- the GAN
class GAN(TrainingLoop):
    """Train a generator G and a discriminator D by Algorithm 1 with `train_on_batch`.

    generator:     z float32 (batch, latent_dim) -> x (batch, *data_shape)
    discriminator: x -> D(x) in (0, 1), shape (batch, 1), ending in a sigmoid
    k: discriminator steps per generator step (the paper's k).
    generator_loss: 'non-saturating' (default) or 'saturating'.
    d_optimizer, g_optimizer: default Adam(2e-4, beta_1=0.5), as in DCGAN.
    augment: None, or a Keras layer T active in training calls only (augment.DiffAugment):
        D then sees T(x) and T(G(z)) in both steps, and G learns through T. Taught in 05.
    seed: seeds the engine's own random streams (noise, minibatches); by default
        they derive from the global seed set by `keras.utils.set_random_seed`.
    train, save and load come from loop.TrainingLoop.
    """

    generator_losses = GENERATOR_LOSSES

    def __init__(self, generator, discriminator, latent_dim, k=1, generator_loss="non-saturating",
                 d_optimizer=None, g_optimizer=None, seed=None, augment=None):
        if generator_loss not in self.generator_losses:
            raise ValueError(f"generator_loss must be one of {tuple(self.generator_losses)}, got {generator_loss!r}")
        if _output_range(discriminator) != (0.0, 1.0):
            raise ValueError("the discriminator must end in a sigmoid (D(x) is a probability); "
                             "a linear output is a WGAN critic: use wasserstein.WGAN or WGANGP")
        self._adopt(generator, discriminator, latent_dim, k, augment)
        self.generator_loss = generator_loss
        self.d_optimizer, self.g_optimizer = d_optimizer or _adam(), g_optimizer or _adam()
        self.D.trainable = True
        self.D.compile(optimizer=self.d_optimizer, loss="binary_crossentropy", metrics=[mean_on_real, mean_on_fake])
        self.combined = self._combined_model()  # z -> D(G(z)): G's steps go through D
        self.combined.compile(optimizer=self.g_optimizer, loss=self.generator_losses[generator_loss])
        self._start(seed)

    def _adopt(self, generator, discriminator, latent_dim, k, augment=None):
        """Check that G, D, latent_dim and k fit together, and keep them (and the augmentation, if any)."""
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise ValueError(f"k (discriminator steps per generator step) must be an integer >= 1, got {k!r}")
        if tuple(generator.inputs[0].shape[1:]) != (latent_dim,):
            raise ValueError(f"latent_dim={latent_dim} does not match the generator, "
                             f"which takes z of shape {tuple(generator.inputs[0].shape[1:])}")
        if tuple(generator.outputs[0].shape[1:]) != tuple(discriminator.inputs[0].shape[1:]):
            raise ValueError(f"the generator makes {tuple(generator.outputs[0].shape[1:])} but the "
                             f"discriminator reads {tuple(discriminator.inputs[0].shape[1:])}")
        if augment is not None and not isinstance(augment, keras.layers.Layer):
            raise ValueError(f"augment must be a Keras layer such as augment.DiffAugment(), got {augment!r}")
        self.G, self.D, self.latent_dim, self.k, self.augment = generator, discriminator, latent_dim, k, augment
        self.data_shape = tuple(discriminator.inputs[0].shape[1:])
        self.data_range = _output_range(generator)
        self._gradient_fns = {}  # generator_gradient_norm's traced functions, one per loss

    def _combined_model(self):
        z = keras.Input((self.latent_dim,), name="z")
        fake = self.G(z) if self.augment is None else self.augment(self.G(z))  # G learns through T
        return keras.Model(z, self.D(fake), name="combined")

    # ------------------------------------------------------------ one iteration of Algorithm 1
    def noise(self, m):
        """m draws of z ~ N(0, I) from the engine's stream -> float32 (m, latent_dim)."""
        return self.rng.standard_normal((m, self.latent_dim)).astype("float32")

    def d_step(self, x):
        """One discriminator update on m real samples x and m fakes G(z).

        Returns {'d_loss', 'd_real', 'd_fake'}: binary cross-entropy over the 2m
        samples (it equals -V(D, G) / 2 on the batch), and the mean D(x) and
        D(G(z)) before the update.
        """
        m = len(x)
        fake = self.G.predict_on_batch(self.noise(m))  # G does not change in D's step
        targets = np.concatenate([np.ones((m, 1), "float32"), np.zeros((m, 1), "float32")])  # 1 real, 0 fake
        seen = _augmented(self.augment, np.concatenate([x, fake]))
        self.D.trainable = True  # Keras 3 reads this when it (re)traces D's train function
        logs = self.D.train_on_batch(seen, targets, return_dict=True)
        return _discriminator_logs(logs)

    def g_step(self, m):
        """One generator update through the combined model on m fresh z -> G's loss."""
        self.D.trainable = False  # ...and this when it traces the combined one: D must not move
        wanted = np.ones((m, 1), "float32")  # "real": cross-entropy against it is -log D(G(z)), non-saturating
        return float(self.combined.train_on_batch(self.noise(m), wanted))

    def train_step(self, batches):
        """One iteration of Algorithm 1: k discriminator steps, one per real batch, then one generator step.

        batches: a list of k real minibatches of m samples (for a conditional GAN,
        (x, labels) pairs). Returns D's logs from its last step and 'g_loss'.
        """
        if len(batches) != self.k:
            raise ValueError(f"train_step needs a list of {self.k} real batches (k={self.k}), got {len(batches)}")
        for batch in batches:
            logs = self.d_step(batch)
        m = len(batch[0]) if isinstance(batch, tuple) else len(batch)  # a batch is x, or (x, labels)
        logs["g_loss"] = self.g_step(m)
        self.step += 1
        return logs

    # ------------------------------------------------------------ using and probing G
    def sample(self, n, seed=None):
        """n generated samples -> (n, *data_shape), in [-1, 1] for image generators.

        seed: an int for the same samples every call; None draws from the
        global numpy stream (reproducible after keras.utils.set_random_seed).
        """
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        return self.G.predict_on_batch(_fixed_noise(n, self.latent_dim, seed))

    def generator_gradient_norm(self, n=256, loss=None, seed=0):
        """L2 norm of the generator loss's gradient w.r.t. all of G's weights (no update).

        n: how many z to average the loss over; loss: one of this GAN's
        `generator_losses` (default: the one it trains with); seed: for z, kept
        apart from the training stream so that measuring does not change training.
        G and D run in inference mode. The norm is summed in float64: squaring
        float32 gradients would round norms below ~1e-19 to exactly 0.
        Taught in 04 (vanishing gradients).
        """
        import tensorflow as tf

        loss = loss or self.generator_loss
        if loss not in self.generator_losses:
            raise ValueError(f"loss must be one of {tuple(self.generator_losses)}, got {loss!r}")
        if loss not in self._gradient_fns:
            loss_fn = self.generator_losses[loss]

            @tf.function(autograph=False)  # in a graph Keras recovers D's logit from the sigmoid: tiny D(G(z)) stay exact
            def norm(z):
                with tf.GradientTape() as tape:
                    scores = self.D(self.G(z, training=False), training=False)
                    value = tf.reduce_mean(loss_fn(-tf.ones_like(scores), scores))  # G's target -1 (WGAN)
                gradients = tape.gradient(value, self.G.trainable_variables)
                return tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(tf.cast(g, tf.float64))) for g in gradients]))

            self._gradient_fns[loss] = norm
        z = np.random.default_rng(seed).standard_normal((n, self.latent_dim)).astype("float32")
        return float(self._gradient_fns[loss](tf.constant(z)))


def _augmented(augment, images):
    """T(images) with fresh random draws, or the images themselves when there is no augmentation."""
    return images if augment is None else augment(images, training=True)


def _discriminator_logs(logs):
    """D.train_on_batch's logs as the engine reports them."""
    return {"d_loss": float(logs["loss"]), "d_real": float(logs["mean_on_real"]),
            "d_fake": float(logs["mean_on_fake"])}


def _fixed_noise(n, latent_dim, seed):
    """z for sampling, apart from the training stream: from `seed`, or from the global numpy stream."""
    if seed is None:
        seed = int(np.random.randint(0, 2**31 - 1))
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype("float32")


# ---------------------------------------------------------------------- conditional GAN
class ConditionalGAN(GAN):
    """A GAN whose G and D both read the class label y (Mirza & Osindero 2014).

    generator:     [z float32 (batch, latent_dim), y int (batch,)] -> x (batch, *data_shape)
    discriminator: [x, y] -> D(x | y) in (0, 1), shape (batch, 1)
    num_classes: labels are integers in [0, num_classes).
    Real batches bring their own labels; fakes get labels drawn uniformly, and G
    trains through [z, y] -> D(G(z, y), y). Taught in 06.
    """

    def __init__(self, generator, discriminator, latent_dim, num_classes, **kwargs):
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}")
        if len(generator.inputs) != 2 or len(discriminator.inputs) != 2:
            raise ValueError("a conditional GAN needs G([z, y]) and D([x, y]) (two inputs each); "
                             "build them with models.build_cgan")
        self.num_classes = num_classes
        super().__init__(generator, discriminator, latent_dim, **kwargs)

    def _combined_model(self):
        z = keras.Input((self.latent_dim,), name="z")
        y = keras.Input(self.G.inputs[1].shape[1:], dtype=self.G.inputs[1].dtype, name="y")
        fake = self.G([z, y]) if self.augment is None else self.augment(self.G([z, y]))
        return keras.Model([z, y], self.D([fake, y]), name="combined")

    def fake_labels(self, m):
        """m labels for fakes, uniform over the classes, from the engine's stream -> int32 (m,)."""
        return self.rng.integers(0, self.num_classes, m).astype("int32")

    def d_step(self, batch):
        """GAN.d_step with class labels: batch is (x, y), m real samples and their labels
        -> {'d_loss', 'd_real', 'd_fake'}."""
        x, y = batch
        m = len(x)
        y_fake = self.fake_labels(m)
        fake = self.G.predict_on_batch([self.noise(m), y_fake])
        targets = np.concatenate([np.ones((m, 1), "float32"), np.zeros((m, 1), "float32")])  # 1 real, 0 fake
        seen = _augmented(self.augment, np.concatenate([x, fake]))  # images only: y is never augmented
        self.D.trainable = True
        logs = self.D.train_on_batch([seen, np.concatenate([y, y_fake])], targets, return_dict=True)
        return _discriminator_logs(logs)

    def g_step(self, m):
        """GAN.g_step with labels: G makes m fakes of random classes, D judges each with its label."""
        self.D.trainable = False
        z, y = self.noise(m), self.fake_labels(m)
        return float(self.combined.train_on_batch([z, y], np.ones((m, 1), "float32")))

    def train(self, images, labels, steps, batch_size=64, checkpoint_dir=None, checkpoint_every=500,
              snapshot_every=None, progress=True):
        """GAN.train with labels: int array (N,) in [0, num_classes), one per image.

        Snapshots show the fixed snapshot_z with labels 0, 1, 2, ... in turn."""
        self._check_data(images, batch_size)
        labels = self._check_labels(labels, len(images))
        return self._fit([images, labels], steps, batch_size, checkpoint_dir, checkpoint_every,
                         snapshot_every, progress)

    def _snapshot(self):
        labels = (np.arange(len(self.snapshot_z)) % self.num_classes).astype("int32")
        return self.G.predict_on_batch([self.snapshot_z, labels])

    def sample(self, n, labels, seed=None):
        """n samples of the given class(es) -> (n, *data_shape).

        labels: one int for all n, or n ints; seed as in GAN.sample.
        """
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        labels = self._check_labels(np.full(n, labels) if np.ndim(labels) == 0 else labels, n)
        return self.G.predict_on_batch([_fixed_noise(n, self.latent_dim, seed), labels])

    def _check_labels(self, labels, n):
        labels = np.asarray(labels)
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"labels must be integers in [0, {self.num_classes}), got dtype {labels.dtype}")
        if labels.shape != (n,):
            raise ValueError(f"labels must have shape ({n},), one per image, got {labels.shape}")
        if n and (labels.min() < 0 or labels.max() >= self.num_classes):
            raise ValueError(f"labels must lie in [0, {self.num_classes}), got values from "
                             f"{labels.min()} to {labels.max()}")
        return labels.astype("int32")
