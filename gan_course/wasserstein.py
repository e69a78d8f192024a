"""WGAN (Arjovsky et al. 2017) and WGAN-GP (Gulrajani et al. 2017) with `train_on_batch`.

Both replace D by a critic f with a linear output and train it n_critic times
per generator step to maximise E f(x) - E f(G(z)), which estimates W1 when f is
1-Lipschitz; G then minimises -E f(G(z)). They differ in how f is kept Lipschitz:

    WGAN:     after every critic step, clip each critic weight to [-c, c]
    WGAN-GP:  add lambda * E (||grad f(x_hat)||_2 - 1)^2 to the critic's loss,
              at random points x_hat between real and fake samples

The loop, freezing and checkpoints are the GAN engine's (training.GAN). Taught in 07.
"""
import keras
import numpy as np

from gan_course.training import GAN, _output_range


def wasserstein_loss(y_true, y_pred):
    """mean(y * f(x)). With y = -1 on real and +1 on fake samples, minimising it
    maximises E[f(x)] - E[f(G(z))], the critic's estimate of W1; with y = -1 on
    fakes it is G's loss -E[f(G(z))]."""
    return keras.ops.mean(y_true * y_pred, axis=-1)


GENERATOR_LOSSES = {"wasserstein": wasserstein_loss}  # G's loss for both WGANs: -E f(G(z))


def _check_critic(critic, n_critic):
    if not isinstance(n_critic, int) or isinstance(n_critic, bool) or n_critic < 1:
        raise ValueError(f"n_critic (critic steps per generator step) must be an integer >= 1, got {n_critic!r}")
    if _output_range(critic) is not None:
        raise ValueError("a WGAN critic must have a linear output (a score, not a probability); "
                         "build it with critic=True")


# ---------------------------------------------------------------------- WGAN
class WGAN(GAN):
    """Wasserstein GAN with weight clipping (Arjovsky et al. 2017, Algorithm 1).

    critic: x -> f(x), shape (batch, 1), a linear output (build with critic=True).
    n_critic: critic steps per generator step; clip_value: after every critic
    step each critic weight is clipped to [-c, c], a crude way to keep f Lipschitz.
    Both networks use RMSProp with learning rate 5e-5, as in the paper.
    Departure from the paper: the critic's Keras loss is wasserstein_loss over its
    2m samples, which is half the paper's E f(G(z)) - E f(x); RMSProp divides out
    the scale. Logs: d_loss (that loss), wasserstein (its estimate of
    E f(x) - E f(G(z)) on the batch, before the update), g_loss.
    """

    generator_losses = GENERATOR_LOSSES

    def __init__(self, generator, critic, latent_dim, n_critic=5, clip_value=0.01, d_optimizer=None,
                 g_optimizer=None, seed=None):
        if isinstance(clip_value, bool) or not (isinstance(clip_value, (int, float)) and clip_value > 0):
            raise ValueError(f"clip_value must be a positive number (WGAN clips every critic weight to "
                             f"[-c, c]; for no clipping use WGANGP), got {clip_value!r}")
        _check_critic(critic, n_critic)
        self._adopt(generator, critic, latent_dim, k=n_critic)
        self.n_critic, self.clip_value, self.generator_loss = n_critic, float(clip_value), "wasserstein"
        self.d_optimizer = d_optimizer or keras.optimizers.RMSprop(learning_rate=5e-5)  # Arjovsky et al. 2017
        self.g_optimizer = g_optimizer or keras.optimizers.RMSprop(learning_rate=5e-5)
        self.D.trainable = True
        self.D.compile(optimizer=self.d_optimizer, loss=wasserstein_loss)
        self.combined = self._combined_model()  # z -> f(G(z))
        self.combined.compile(optimizer=self.g_optimizer, loss=wasserstein_loss)
        self._start(seed)

    def d_step(self, x):
        """One critic update on m real samples and m fakes, then clipping -> {'d_loss', 'wasserstein'}."""
        m = len(x)
        fake = self.G.predict_on_batch(self.noise(m))
        labels = np.concatenate([-np.ones((m, 1), "float32"), np.ones((m, 1), "float32")])  # -1 real, +1 fake
        self.D.trainable = True
        loss = float(self.D.train_on_batch(np.concatenate([x, fake]), labels))  # (mean f(fake) - mean f(real)) / 2
        self.clip_weights()
        return {"d_loss": loss, "wasserstein": -2.0 * loss}

    def g_step(self, m):
        """One generator update: minimise -mean f(G(z)) through the frozen critic -> G's loss."""
        self.D.trainable = False
        return float(self.combined.train_on_batch(self.noise(m), -np.ones((m, 1), "float32")))  # y = -1

    def clip_weights(self):
        """Clip every trainable critic weight to [-clip_value, clip_value]."""
        for weight in self.D.trainable_weights:
            weight.assign(keras.ops.clip(weight, -self.clip_value, self.clip_value))


# ---------------------------------------------------------------------- WGAN-GP
def gradient_penalty(critic, real, fake, alpha):
    """WGAN-GP's penalty: mean over the batch of (||grad f(x_hat)||_2 - 1)^2.

    real, fake: (m, *data_shape); alpha: (m, 1, ..., 1) in [0, 1], one draw of
    U[0, 1] per sample; x_hat = alpha * real + (1 - alpha) * fake lies on the
    segment between them. Returns a scalar tensor (TensorFlow backend).
    """
    import tensorflow as tf

    real, fake, alpha = (tf.convert_to_tensor(a, tf.float32) for a in (real, fake, alpha))
    x_hat = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat, training=True)
    gradients = tape.gradient(scores, x_hat)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=list(range(1, len(x_hat.shape)))) + 1e-12)
    return tf.reduce_mean(tf.square(norms - 1.0))


class PenalisedCritic(keras.Model):
    """Wraps a critic so that `train_on_batch([x, alpha])` minimises WGAN-GP's critic loss.

    The penalty needs the gradient of f with respect to its input, which a Keras
    loss(y_true, y_pred) cannot see; a model's own train_step can. x holds m real
    then m fake samples, alpha is as in gradient_penalty; there are no targets.
    Holds no weights of its own.
    """

    def __init__(self, critic, gp_weight):
        super().__init__(name="penalised_critic")
        self.critic, self.gp_weight = critic, gp_weight

    def call(self, x, training=False):
        return self.critic(x, training=training)

    def train_step(self, data):
        import tensorflow as tf

        x, alpha = data[0]
        m = tf.shape(alpha)[0]
        real, fake = x[:m], x[m:]
        with tf.GradientTape() as tape:
            # Gulrajani et al., Algorithm 1: L = f(x_fake) - f(x_real) + lambda (||grad f(x_hat)|| - 1)^2,
            # averaged over the m pairs; both means and the penalty carry their full weight.
            critic_loss = (tf.reduce_mean(self.critic(fake, training=True))
                           - tf.reduce_mean(self.critic(real, training=True)))
            penalty = gradient_penalty(self.critic, real, fake, alpha)
            loss = critic_loss + self.gp_weight * penalty
        variables = self.critic.trainable_variables
        self.optimizer.apply(tape.gradient(loss, variables), variables)
        return {"loss": loss, "critic_loss": critic_loss, "gradient_penalty": penalty}


class WGANGP(GAN):
    """WGAN with a gradient penalty instead of clipping (Gulrajani et al. 2017, Algorithm 1).

    The critic's loss is E f(G(z)) - E f(x) + gp_weight * E (||grad f(x_hat)||_2 - 1)^2
    on interpolates x_hat (see gradient_penalty); no clipping. Adam 1e-4 with
    betas (0, 0.9), n_critic 5, as in the paper. The critic must not use
    BatchNorm (the penalty is per sample). Logs d_loss (the whole loss),
    wasserstein (E f(x) - E f(G(z)) on the batch) and gradient_penalty.
    """

    generator_losses = GENERATOR_LOSSES

    def __init__(self, generator, critic, latent_dim, n_critic=5, gp_weight=10.0, d_optimizer=None,
                 g_optimizer=None, seed=None):
        if not isinstance(gp_weight, (int, float)) or gp_weight < 0:
            raise ValueError(f"gp_weight must be a number >= 0, got {gp_weight!r}")
        if any(isinstance(layer, keras.layers.BatchNormalization) for layer in critic.layers):
            raise ValueError("the WGAN-GP critic must not use BatchNormalization: the penalty is per sample "
                             "and BatchNorm mixes the samples of a batch (leave it out, or use LayerNormalization)")
        _check_critic(critic, n_critic)
        self._adopt(generator, critic, latent_dim, k=n_critic)
        self.n_critic, self.gp_weight, self.generator_loss = n_critic, float(gp_weight), "wasserstein"
        self.d_optimizer = d_optimizer or keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9)  # Gulrajani et al.
        self.g_optimizer = g_optimizer or keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9)
        self.D.trainable = True
        self.penalised = PenalisedCritic(self.D, self.gp_weight)
        self.penalised.compile(optimizer=self.d_optimizer)
        self.combined = self._combined_model()  # z -> f(G(z))
        self.combined.compile(optimizer=self.g_optimizer, loss=wasserstein_loss)
        self._start(seed)

    def d_step(self, x):
        """One critic update on m real samples, m fakes and m interpolates
        -> {'d_loss', 'wasserstein', 'gradient_penalty'}."""
        m = len(x)
        fake = self.G.predict_on_batch(self.noise(m))
        alpha = self.rng.uniform(0.0, 1.0, (m,) + (1,) * len(self.data_shape)).astype("float32")  # U[0, 1] per pair
        self.D.trainable = True
        logs = self.penalised.train_on_batch([np.concatenate([x, fake]), alpha], return_dict=True)
        return {"d_loss": float(logs["loss"]), "wasserstein": -float(logs["critic_loss"]),
                "gradient_penalty": float(logs["gradient_penalty"])}

    def g_step(self, m):
        """One generator update: minimise -mean f(G(z)) through the frozen critic -> G's loss."""
        self.D.trainable = False
        return float(self.combined.train_on_batch(self.noise(m), -np.ones((m, 1), "float32")))  # y = -1


# ---------------------------------------------------------------------- measuring a critic
def input_gradient_norms(model, x):
    """||d model(x) / dx||_2 for each of m inputs x (m, ...) -> (m,) numpy; the model
    runs in inference mode and must have one output per sample (D or a critic)."""
    import tensorflow as tf

    x = tf.constant(np.asarray(x, "float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = model(x, training=False)
    gradients = tape.gradient(scores, x).numpy()
    return np.sqrt(np.sum(np.square(gradients), axis=tuple(range(1, gradients.ndim))))


def critic_gradient_norms(critic, real, fake, seed=0):
    """||grad f(x_hat)||_2 at interpolates of real and fake (m, *data_shape) -> (m,) numpy.

    alpha ~ U[0, 1] per pair, from `seed` (not a training stream). WGAN-GP
    pushes these towards 1; plotted in 07."""
    alpha = np.random.default_rng(seed).uniform(0, 1, (len(real),) + (1,) * (np.ndim(real) - 1))
    return input_gradient_norms(critic, alpha * real + (1 - alpha) * fake)
