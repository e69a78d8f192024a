"""Reference answers to the coding exercises of lessons 01-08, one section per lesson.

Each is the code `solution` prints and the source of the stub a notebook holds
(`stub` keeps the signature and docstring): edit one and both change.
"""
import keras
import numpy as np
from keras import layers


# ---------------------------------------------------------------------- 01 the value function
def value(d_real, d_fake):
    """V(D, G) estimated from D's outputs: mean log D(x) + mean log(1 - D(G(z))).

    d_real: D(x) on a real batch, d_fake: D(G(z)) on a fake batch; numpy arrays
    of probabilities in [0, 1], not necessarily of the same length. Returns a float.
    """
    return float(np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake)))


def generator_losses(d_fake):
    """G's two losses, each averaged over the batch, each to be minimised by G.

    d_fake: D(G(z)) on a fake batch, numpy probabilities in (0, 1).
    Returns (saturating, non_saturating): the saturating loss is V's own term
    log(1 - D(G(z))); the non-saturating loss is -log D(G(z)).
    """
    saturating = np.mean(np.log(1 - d_fake))
    non_saturating = np.mean(-np.log(d_fake))
    return float(saturating), float(non_saturating)


# ---------------------------------------------------------------------- 02 the optimal discriminator
def optimal_d(p_data, p_g):
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)) at each grid point.

    p_data, p_g: numpy densities on the same grid, never both 0 at a point.
    Returns a numpy array of the grid's shape.
    """
    return p_data / (p_data + p_g)


def density_ratio(d):
    """p_data(x) / p_g(x) read from an optimal D's outputs d = D(x), numpy in (0, 1).

    D = p_data / (p_data + p_g), so D / (1 - D) = p_data / p_g. Returns numpy.
    """
    return d / (1 - d)


# ---------------------------------------------------------------------- 03 divergences
def jsd(p, q):
    """JSD(p || q) in nats between two pmfs (numpy, each summing to 1, zeros allowed).

    JSD = KL(p || m) / 2 + KL(q || m) / 2 with m = (p + q) / 2. Terms where a mass
    is 0 count 0; each log is of 2a / (p + q), since m itself can round to 0.
    """
    total = p + q
    result = 0.0
    for a in (p, q):
        here = a > 0
        result += 0.5 * np.sum(a[here] * np.log(2 * a[here] / total[here]))
    return float(result)


def w1(x, y):
    """Wasserstein-1 distance between two 1-D samples of the same size n (numpy).

    The optimal transport in 1-D matches the sorted samples in order;
    W1 = mean |x_(i) - y_(i)|. Returns a float.
    """
    return float(np.mean(np.abs(np.sort(x) - np.sort(y))))


# ---------------------------------------------------------------------- 04 the training steps
def d_step(G, D, real, noise):
    """One discriminator step of Algorithm 1: D.train_on_batch on m real and m fake samples.

    G, D: Keras models, D compiled with binary cross-entropy; real: (m, ...) data;
    noise: (m, latent_dim) z. Labels 1 for real, 0 for fake. Returns D's loss.
    """
    fake = G.predict_on_batch(noise)  # G does not learn here
    x = np.concatenate([real, fake])
    labels = np.concatenate([np.ones((len(real), 1)), np.zeros((len(fake), 1))])
    D.trainable = True  # Keras 3 reads this when it traces D's train function
    return D.train_on_batch(x, labels)


def g_step(combined, D, noise):
    """One generator step: combined.train_on_batch(noise, label 1), with D frozen.

    combined: the model z -> D(G(z)), compiled with binary cross-entropy; D: the
    discriminator inside it; noise: (m, latent_dim) z. Label 1 ("real") makes the
    loss -log D(G(z)), the non-saturating one. Returns the combined model's loss.
    """
    D.trainable = False  # read when the combined model's train function is traced: D must not move
    return combined.train_on_batch(noise, np.ones((len(noise), 1)))


# ---------------------------------------------------------------------- 05 DCGAN
def make_generator(latent_dim):
    """A DCGAN generator z (latent_dim,) -> image (32, 32, 3) in [-1, 1] (Radford et al. 2016).

    No pooling; strided transposed convolutions upsample; BatchNorm and ReLU in
    the hidden layers; tanh at the output.
    """
    return keras.Sequential([
        keras.Input((latent_dim,)),
        layers.Dense(4 * 4 * 64, use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.Reshape((4, 4, 64)),                                     # (4, 4, 64)
        layers.Conv2DTranspose(32, 4, strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),                                                  # (8, 8, 32)
        layers.Conv2DTranspose(16, 4, strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),                                                  # (16, 16, 16)
        layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh"),  # (32, 32, 3)
    ], name="generator")


def make_discriminator():
    """A DCGAN discriminator image (32, 32, 3) -> D(x) in (0, 1), shape (batch, 1).

    No pooling; strided convolutions downsample; LeakyReLU(0.2); sigmoid output.
    """
    return keras.Sequential([
        keras.Input((32, 32, 3)),
        layers.Conv2D(16, 4, strides=2, padding="same"),
        layers.LeakyReLU(0.2),                                          # (16, 16, 16)
        layers.Conv2D(32, 4, strides=2, padding="same"),
        layers.LeakyReLU(0.2),                                          # (8, 8, 32)
        layers.Flatten(),
        layers.Dense(1, activation="sigmoid"),
    ], name="discriminator")


# ---------------------------------------------------------------------- 06 conditional GAN
def make_conditional_generator(latent_dim, num_classes):
    """G([z, y]) -> image (28, 28, 1) in [-1, 1]; z (batch, latent_dim), y int (batch,).

    The label enters as a one-hot vector joined to z, so every output can depend on it.
    """
    z = keras.Input((latent_dim,))
    y = keras.Input((), dtype="int32")
    h = layers.Concatenate()([z, layers.CategoryEncoding(num_classes, output_mode="one_hot")(y)])
    h = layers.Dense(7 * 7 * 32, activation="relu")(h)
    h = layers.Reshape((7, 7, 32))(h)
    h = layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu")(h)  # (14, 14, 16)
    image = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(h)  # (28, 28, 1)
    return keras.Model([z, y], image, name="conditional_generator")


def make_conditional_discriminator(num_classes):
    """D([x, y]) -> D(x | y) in (0, 1), shape (batch, 1); x (batch, 28, 28, 1), y int (batch,).

    The label enters as extra channels beside the image's: one-hot maps here (a learned
    embedding spread over the image works too).
    """
    x = keras.Input((28, 28, 1))
    y = keras.Input((), dtype="int32")
    one_hot = layers.CategoryEncoding(num_classes, output_mode="one_hot")(y)
    label_maps = layers.UpSampling2D((28, 28))(layers.Reshape((1, 1, num_classes))(one_hot))
    h = layers.Concatenate()([x, label_maps])                                # (28, 28, 1 + classes)
    h = layers.LeakyReLU(0.2)(layers.Conv2D(16, 4, strides=2, padding="same")(h))  # (14, 14, 16)
    h = layers.LeakyReLU(0.2)(layers.Conv2D(32, 4, strides=2, padding="same")(h))  # (7, 7, 32)
    score = layers.Dense(1, activation="sigmoid")(layers.Flatten()(h))
    return keras.Model([x, y], score, name="conditional_discriminator")


# ---------------------------------------------------------------------- 07 WGAN-GP
def gradient_penalty(critic, real, fake, alpha):
    """WGAN-GP's penalty, mean over the batch of (||grad f(x_hat)||_2 - 1)^2.

    critic: x -> f(x), shape (m, 1); real, fake: (m, d) float32; alpha: (m, 1) in
    [0, 1]; x_hat = alpha * real + (1 - alpha) * fake. Returns a scalar tensor.
    """
    import tensorflow as tf

    x_hat = alpha * real + (1 - alpha) * fake
    x_hat = tf.convert_to_tensor(x_hat, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat)
    gradients = tape.gradient(scores, x_hat)                 # one row per sample: d f(x_hat_i) / d x_hat_i
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=1))
    return tf.reduce_mean(tf.square(norms - 1))


def critic_loss(critic, real, fake, alpha, gp_weight):
    """The WGAN-GP critic's loss (Gulrajani et al. 2017, Algorithm 1), to be minimised:

    mean f(fake) - mean f(real) + gp_weight * gradient_penalty(critic, real, fake, alpha).
    Arguments as in gradient_penalty; returns a scalar tensor.
    """
    import tensorflow as tf

    wasserstein = tf.reduce_mean(critic(real)) - tf.reduce_mean(critic(fake))  # the critic's estimate of W1
    return -wasserstein + gp_weight * gradient_penalty(critic, real, fake, alpha)


# ---------------------------------------------------------------------- 08 the loss zoo, PacGAN
def zoo_losses(d_real, d_fake):
    """D's and G's losses in the least-squares and hinge games, each a mean over the batch.

    d_real, d_fake: D's linear scores (not probabilities) on m real and m fake samples, numpy.
    Least squares (Mao et al. 2017, a = 0, b = c = 1): D's loss 1/2 E(D(x) - 1)^2 + 1/2 E D(G(z))^2,
    G's 1/2 E(D(G(z)) - 1)^2. Hinge (Lim & Ye 2017; Miyato et al. 2018): D's loss
    E max(0, 1 - D(x)) + E max(0, 1 + D(G(z))), G's -E D(G(z)).
    Returns {"least-squares": (d_loss, g_loss), "hinge": (d_loss, g_loss)}, floats.
    """
    least_squares = (0.5 * np.mean((d_real - 1) ** 2) + 0.5 * np.mean(d_fake**2),
                     0.5 * np.mean((d_fake - 1) ** 2))
    hinge = (np.mean(np.maximum(0, 1 - d_real)) + np.mean(np.maximum(0, 1 + d_fake)),
             -np.mean(d_fake))
    return {"least-squares": tuple(map(float, least_squares)), "hinge": tuple(map(float, hinge))}


def pack(samples, m):
    """PacGAN's packs: consecutive groups of m samples side by side on the last axis.

    samples: numpy (N, d) or (N, H, W, C), N a multiple of m. Returns (N/m, m*d) or
    (N/m, H, W, m*C): pack j holds samples j*m to j*m + m - 1, each sample's channels together.
    """
    n, shape = len(samples) // m, samples.shape[1:]
    groups = samples.reshape(n, m, *shape)       # (N/m, m, ..., C): raises unless N is a multiple of m
    groups = np.moveaxis(groups, 1, -2)          # (N/m, ..., m, C): the pack axis beside the channels
    return groups.reshape(n, *shape[:-1], m * shape[-1])
