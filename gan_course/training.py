"""The course's GAN engine: Algorithm 1 of Goodfellow et al. (2014) with `train_on_batch`.

    for each training iteration:
        for k steps:                                   # the discriminator: GAN.d_step
            sample z_1..z_m from the noise prior and x_1..x_m from the data
            ascend  1/m sum [log D(x_i) + log(1 - D(G(z_i)))]
        sample z_1..z_m from the noise prior          # the generator: GAN.g_step
        descend 1/m sum log(1 - D(G(z_i)))     (saturating, as in the paper)
        or      1/m sum -log D(G(z_i))         (non-saturating, the paper's advice; default)

Other games keep the loop and change only the losses (taught in 08): least squares
(Mao et al. 2017) and hinge (Lim & Ye 2017), both with a D that ends in a linear score.

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


def least_squares_loss(y_true, y_pred):
    """D's least-squares loss (D - y)^2 (Mao et al. 2017, with a = 0 for fakes, b = 1 for reals).

    Over D's 2m samples (y = 1 real, 0 fake) its mean is 1/2 E(D(x) - 1)^2 + 1/2 E D(G(z))^2,
    the paper's D loss. D ends in a linear score, not a sigmoid.
    """
    return keras.ops.mean(keras.ops.square(y_pred - y_true), axis=-1)


def least_squares_generator_loss(y_true, y_pred):
    """G's least-squares loss 1/2 (D(G(z)) - 1)^2 (Mao et al. 2017, c = 1; y_true unused)."""
    return 0.5 * keras.ops.mean(keras.ops.square(y_pred - 1.0), axis=-1)


def hinge_loss(y_true, y_pred):
    """D's hinge loss (Lim & Ye 2017; Miyato et al. 2018): max(0, 1 - D(x)) on a real sample
    (y = 1), max(0, 1 + D(G(z))) on a fake (y = 0).

    Over D's 2m samples its mean is half the paper's E max(0, 1 - D(x)) + E max(0, 1 + D(G(z))),
    a constant factor that Adam divides out. D ends in a linear score.
    """
    sign = 2.0 * y_true - 1.0  # +1 real, -1 fake
    return keras.ops.mean(keras.ops.relu(1.0 - sign * y_pred), axis=-1)


def hinge_generator_loss(y_true, y_pred):
    """G's hinge-game loss -D(G(z)) (y_true unused): raise D's score of the fakes, as WGAN's G does."""
    return -keras.ops.mean(y_pred, axis=-1)


def one_sided_smoothing(smoothing):
    """D's cross-entropy with one-sided label smoothing (Salimans et al. 2016): a real sample's
    target 1 becomes 1 - smoothing, a fake's stays 0."""
    def smoothed_cross_entropy(y_true, y_pred):
        return keras.losses.binary_crossentropy(y_true * (1.0 - smoothing), y_pred)
    return smoothed_cross_entropy


# D's loss for each game (targets 1 real, 0 fake), and G's losses; a game's D and G go together.
D_LOSSES = {"cross-entropy": "binary_crossentropy", "least-squares": least_squares_loss, "hinge": hinge_loss}
GENERATOR_LOSSES = {"non-saturating": non_saturating_loss, "saturating": saturating_loss,
                    "least-squares": least_squares_generator_loss, "hinge": hinge_generator_loss}
_GAMES = {"cross-entropy": ("non-saturating", "saturating"), "least-squares": ("least-squares",),
          "hinge": ("hinge",)}


def mean_on_real(y_true, y_pred):
    """Mean D(x) over the real half of a D batch (label 1)."""
    return keras.ops.sum(y_pred * y_true) / keras.ops.maximum(keras.ops.sum(y_true), 1.0)


def mean_on_fake(y_true, y_pred):
    """Mean D(G(z)) over the fake half of a D batch (label 0)."""
    return keras.ops.sum(y_pred * (1 - y_true)) / keras.ops.maximum(keras.ops.sum(1 - y_true), 1.0)


def _output_range(model):
    """(low, high) of a model's outputs from its last activation, or None if unbounded."""
    for layer in reversed(model.layers):
        activation = getattr(layer, "activation", None) or getattr(getattr(layer, "layer", None), "activation", None)
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
        (for the least-squares and hinge games: a linear score, built with critic=True)
    k: discriminator steps per generator step (the paper's k).
    loss: the game: 'cross-entropy' (default, the paper's), 'least-squares' or 'hinge'
        (D_LOSSES; the logged d_real and d_fake are then mean scores, not probabilities).
    generator_loss: for cross-entropy, 'non-saturating' (default) or 'saturating'; the other
        games have one G loss each, of their own name.
    label_smoothing: s in [0, 1): one-sided label smoothing, real targets 1 - s (cross-entropy only).
    d_optimizer, g_optimizer: default Adam(2e-4, beta_1=0.5), as in DCGAN.
    augment: None, or a Keras layer T active in training calls only (augment.DiffAugment):
        D then sees T(x) and T(G(z)) in both steps, and G learns through T. Taught in 05.
    seed: seeds the engine's own random streams (noise, minibatches); by default
        they derive from the global seed set by `keras.utils.set_random_seed`.
    train, save and load come from loop.TrainingLoop.
    """

    generator_losses = GENERATOR_LOSSES

    def __init__(self, generator, discriminator, latent_dim, k=1, generator_loss=None, loss="cross-entropy",
                 label_smoothing=0.0, d_optimizer=None, g_optimizer=None, seed=None, augment=None):
        generator_loss = _check_game(loss, generator_loss, label_smoothing, discriminator)
        self._adopt(generator, discriminator, latent_dim, k, augment)
        self.loss, self.generator_loss, self.label_smoothing = loss, generator_loss, float(label_smoothing)
        self.d_optimizer, self.g_optimizer = d_optimizer or _adam(), g_optimizer or _adam()
        d_loss = one_sided_smoothing(label_smoothing) if label_smoothing else D_LOSSES[loss]
        self.D.trainable = True
        self.D.compile(optimizer=self.d_optimizer, loss=d_loss, metrics=[mean_on_real, mean_on_fake])
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
        made = tuple(generator.outputs[0].shape[1:])
        if self.judged_shape(made) != tuple(discriminator.inputs[0].shape[1:]):
            raise ValueError(f"the generator makes {made}, so the discriminator must read {self.judged_shape(made)}; "
                             f"it reads {tuple(discriminator.inputs[0].shape[1:])}")
        if augment is not None and not isinstance(augment, keras.layers.Layer):
            raise ValueError(f"augment must be a Keras layer such as augment.DiffAugment(), got {augment!r}")
        self.G, self.D, self.latent_dim, self.k, self.augment = generator, discriminator, latent_dim, k, augment
        self._augmenter = None  # T in a model of its own, built at D's first step (augmented)
        self.data_shape = made
        self.data_range = _output_range(generator)
        self._gradient_fns = {}  # generator_gradient_norm's traced functions, one per loss

    def judged_shape(self, data_shape):
        """The shape of what D reads, for samples of data_shape: the samples themselves."""
        return data_shape

    def _combined_model(self):
        z = keras.Input((self.latent_dim,), name="z")
        fake = self.G(z) if self.augment is None else self.augment(self.G(z))  # G learns through T
        return keras.Model(z, self.D(fake), name="combined")

    # ------------------------------------------------------------ one iteration of Algorithm 1
    def noise(self, m):
        """m draws of z ~ N(0, I) from the engine's stream -> float32 (m, latent_dim)."""
        return self.rng.standard_normal((m, self.latent_dim)).astype("float32")

    def augmented(self, images):
        """T(images) with fresh random draws, or the images themselves when there is no augmentation.

        T runs in a model of its own, so each call is one traced function, not a dozen eager ops.
        """
        if self.augment is None:
            return images
        if self._augmenter is None:
            x = keras.Input(images.shape[1:])
            self._augmenter = keras.Model(x, _Training(self.augment)(x))
        return self._augmenter.predict_on_batch(images)

    def d_step(self, x):
        """One discriminator update on m real samples x and m fakes G(z).

        Returns {'d_loss', 'd_real', 'd_fake'}: binary cross-entropy over the 2m
        samples (it equals -V(D, G) / 2 on the batch), and the mean D(x) and
        D(G(z)) before the update.
        """
        m = len(x)
        fake = self.G.predict_on_batch(self.noise(m))  # G does not change in D's step
        targets = np.concatenate([np.ones((m, 1), "float32"), np.zeros((m, 1), "float32")])  # 1 real, 0 fake
        seen = self.augmented(np.concatenate([x, fake]))
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
                    scores = self.combined(z, training=False)  # D(G(z)), as G's step sees it
                    value = tf.reduce_mean(loss_fn(-tf.ones_like(scores), scores))  # G's target -1 (WGAN)
                gradients = tape.gradient(value, self.G.trainable_variables)
                return tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(tf.cast(g, tf.float64))) for g in gradients]))

            self._gradient_fns[loss] = norm
        z = np.random.default_rng(seed).standard_normal((n, self.latent_dim)).astype("float32")
        return float(self._gradient_fns[loss](tf.constant(z)))


def _check_game(loss, generator_loss, label_smoothing, discriminator):
    """Check that the game, G's loss, the smoothing and D's output fit together -> G's loss's name."""
    if loss not in _GAMES:
        raise ValueError(f"loss must be one of {tuple(_GAMES)}, got {loss!r}")
    generator_loss = generator_loss or _GAMES[loss][0]
    if generator_loss not in _GAMES[loss]:
        raise ValueError(f"with loss={loss!r}, generator_loss must be one of {_GAMES[loss]}, got {generator_loss!r}")
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, (int, float)) or not 0 <= label_smoothing < 1:
        raise ValueError(f"label_smoothing must be a number in [0, 1), got {label_smoothing!r}")
    if label_smoothing and loss != "cross-entropy":
        raise ValueError(f"label_smoothing smooths cross-entropy targets; loss={loss!r} has none to smooth")
    if loss == "cross-entropy" and _output_range(discriminator) != (0.0, 1.0):
        raise ValueError("the discriminator must end in a sigmoid (D(x) is a probability); a linear output "
                         "is a score: use loss='least-squares' or 'hinge', or wasserstein.WGAN / WGANGP")
    if loss != "cross-entropy" and _output_range(discriminator) is not None:
        raise ValueError(f"loss={loss!r} needs a discriminator with a linear output (a score); build it with critic=True")
    return generator_loss


class _Training(keras.layers.Layer):
    """Calls a layer in training mode whatever the call it sits in (a predict call included)."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def call(self, x):
        return self.layer(x, training=True)


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
        seen = self.augmented(np.concatenate([x, fake]))  # images only: y is never augmented
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
