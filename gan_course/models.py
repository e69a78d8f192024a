"""Keras builders for generators and discriminators.

Every builder returns `(generator, discriminator)`, two named `keras.Model`s:
    generator:     z float32 (batch, latent_dim)  ->  x (batch, *data_shape)
    discriminator: x (batch, *data_shape)         ->  D(x) in (0, 1), shape (batch, 1)
                   (with critic=True: an unbounded score, for WGAN)
Image generators end in tanh, so images live in [-1, 1], as `data.load_mnist` gives them.
"""
import math

import keras
from keras import layers


def _check_latent_dim(latent_dim):
    if not isinstance(latent_dim, int) or latent_dim < 1:
        raise ValueError(f"latent_dim must be a positive integer, got {latent_dim!r}")


def _check_shape(data_shape):
    shape = tuple(data_shape) if isinstance(data_shape, (tuple, list)) else (data_shape,)
    if not shape or not all(isinstance(s, int) and s > 0 for s in shape):
        raise ValueError(f"data_shape must be positive integers, e.g. (2,) or (28, 28, 1); got {data_shape!r}")
    return shape


# ------------------------------------------------------------------------------ MLP
def build_mlp_gan(data_shape, latent_dim, critic=False, hidden=None, output_activation=None):
    """Multilayer-perceptron G and D for vectors or flattened images.

    data_shape: (d,) for toy data, or (H, W, C) for images.
    hidden: widths of the hidden layers of G (D uses them reversed); default
        (128, 128) for vectors and (256, 512) for images, sized for a CPU.
    output_activation: G's last activation; default tanh for images (data in
        [-1, 1]) and linear for vectors (unbounded toy data).
    critic: give D a linear output (a WGAN critic) instead of a sigmoid.
    Hidden layers use LeakyReLU(0.2) in both networks (no batch normalisation,
    so the same D works inside the combined model and as a WGAN-GP critic).
    """
    shape = _check_shape(data_shape)
    _check_latent_dim(latent_dim)
    is_image = len(shape) == 3
    hidden = tuple(hidden or ((256, 512) if is_image else (128, 128)))
    if output_activation is None:
        output_activation = "tanh" if is_image else None

    generator = keras.Sequential(name="generator")
    generator.add(keras.Input((latent_dim,)))
    for width in hidden:
        generator.add(layers.Dense(width))
        generator.add(layers.LeakyReLU(0.2))
    generator.add(layers.Dense(math.prod(shape), activation=output_activation))
    generator.add(layers.Reshape(shape))

    discriminator = keras.Sequential(name="critic" if critic else "discriminator")
    discriminator.add(keras.Input(shape))
    discriminator.add(layers.Flatten())
    for width in reversed(hidden):
        discriminator.add(layers.Dense(width))
        discriminator.add(layers.LeakyReLU(0.2))
    discriminator.add(layers.Dense(1, activation=None if critic else "sigmoid"))
    return generator, discriminator


# ---------------------------------------------------------------------------- DCGAN
BATCHNORM_MOMENTUM = 0.8  # see build_dcgan's docstring
def _upsampling_stages(height, width):
    """How many times G doubles its feature maps: halve H and W together while
    both stay even and at least 4 pixels (28 -> 7: 2 stages; 32 -> 4: 3; 64 -> 4: 4)."""
    stages = 0
    while height % 2 == 0 and width % 2 == 0 and min(height, width) // 2 >= 4 and stages < 4:
        height, width, stages = height // 2, width // 2, stages + 1
    return max(stages, 2)


def build_dcgan(image_shape, latent_dim, width=32, critic=False):
    """DCGAN generator and discriminator for any (H, W, C) with H and W divisible by 4.

    G: Dense -> (h0, w0, width * 2^(s-1)) -> s transposed convolutions (stride 2,
       BatchNorm, ReLU), halving the channels each time, the last one to C
       channels with tanh. D mirrors it: s strided convolutions with LeakyReLU(0.2),
       doubling the channels, then a Dense score.
    Follows Radford et al. (2016) except: D has no BatchNorm, because a frozen
    D inside the combined model runs BatchNorm in inference mode (moving
    statistics), so the G step would see a different D from the one the D step
    trained; and G starts from a Dense layer on z, as the paper's own code does.
    Weights start from N(0, 0.02), as in the paper. `width` sets the size: 32
    trains quickly on a CPU.
    G's BatchNorm uses momentum 0.8 (Keras' default is 0.99): the engine makes D's
    fakes with `G.predict_on_batch`, which normalises with the moving averages, and
    with 0.99 those trail G's fast early changes by ~100 steps, so D trains on
    fakes G no longer makes. Measured in benchmarks/RESULTS.md: FID 88 instead of
    758 after 60 s on 2 CPU cores.
    """
    shape = _check_image_shape(image_shape)
    _check_latent_dim(latent_dim)
    generator = keras.Sequential([keras.Input((latent_dim,)), *dcgan_generator_layers(shape, width)],
                                 name="generator")
    discriminator = keras.Sequential([keras.Input(shape), *dcgan_discriminator_layers(shape, width, critic)],
                                     name="critic" if critic else "discriminator")
    return generator, discriminator


def _check_image_shape(image_shape):
    shape = _check_shape(image_shape)
    if len(shape) != 3 or shape[0] % 4 or shape[1] % 4:
        suggestion = tuple(4 * math.ceil(s / 4) for s in shape[:2]) + (shape[2] if len(shape) == 3 else 1,)
        raise ValueError(
            f"build_dcgan cannot build for image_shape={tuple(shape)}: it needs (height, width, channels) "
            f"with height and width divisible by 4, such as (28, 28, 1), (32, 32, 3) or (64, 64, 3); "
            f"pad or resize to {suggestion}"
        )
    return shape


def dcgan_generator_layers(image_shape, width=32):
    """G's layers after its input (a vector): Dense, then stride-2 transposed convolutions."""
    height, width_px, channels = image_shape
    stages = _upsampling_stages(height, width_px)
    h0, w0 = height // 2**stages, width_px // 2**stages
    init = keras.initializers.RandomNormal(stddev=0.02)  # N(0, 0.02), Radford et al.
    filters = width * 2 ** (stages - 1)
    stack = [layers.Dense(h0 * w0 * filters, use_bias=False, kernel_initializer=init),  # project z
             layers.BatchNormalization(momentum=BATCHNORM_MOMENTUM),
             layers.ReLU(),
             layers.Reshape((h0, w0, filters))]
    for _ in range(stages - 1):
        filters //= 2
        stack += [layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False,
                                         kernel_initializer=init),  # upsample x2, no pooling
                  layers.BatchNormalization(momentum=BATCHNORM_MOMENTUM),
                  layers.ReLU()]
    stack.append(layers.Conv2DTranspose(channels, 4, strides=2, padding="same", activation="tanh",
                                        kernel_initializer=init))  # to C channels in [-1, 1]
    return stack


def dcgan_discriminator_layers(image_shape, width=32, critic=False):
    """D's layers after its input (an image): stride-2 convolutions, then one Dense score."""
    stages = _upsampling_stages(*image_shape[:2])
    init = keras.initializers.RandomNormal(stddev=0.02)
    stack, filters = [], width
    for _ in range(stages):
        stack += [layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=init),  # downsample
                  layers.LeakyReLU(0.2)]  # no BatchNorm: see build_dcgan
        filters *= 2
    stack += [layers.Flatten(),
              layers.Dense(1, activation=None if critic else "sigmoid", kernel_initializer=init)]
    return stack


# ---------------------------------------------------------------------- conditional
def build_cgan(image_shape, num_classes, latent_dim, width=32):
    """Conditional DCGAN (Mirza & Osindero 2014): both networks read the label y.

    generator:     [z float32 (batch, latent_dim), y int (batch,)] -> x (batch, H, W, C) in [-1, 1]
    discriminator: [x, y] -> D(x | y) in (0, 1), shape (batch, 1)
    The label enters as a one-hot vector: G reads z joined to one_hot(y); D reads
    the image with one_hot(y) spread over every pixel as num_classes extra
    channels, so its first convolution sees the label next to each stroke. D's
    score also gets a projection term (Miyato & Koyama 2018): the inner product
    of D's last features with a learned embedding of y, so the label also decides
    how D reads what its convolutions found. The rest is build_dcgan's layers.
    """
    shape = _check_image_shape(image_shape)
    _check_latent_dim(latent_dim)
    if not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}")

    z = keras.Input((latent_dim,), name="z")
    y = keras.Input((), dtype="int32", name="y")
    one_hot = layers.CategoryEncoding(num_classes, output_mode="one_hot")(y)  # (batch, num_classes)
    h = layers.Concatenate()([z, one_hot])
    for layer in dcgan_generator_layers(shape, width):
        h = layer(h)
    generator = keras.Model([z, y], h, name="generator")

    x = keras.Input(shape, name="x")
    y = keras.Input((), dtype="int32", name="y")
    one_hot = layers.CategoryEncoding(num_classes, output_mode="one_hot")(y)
    label_maps = layers.UpSampling2D(shape[:2])(layers.Reshape((1, 1, num_classes))(one_hot))  # (H, W, classes)
    h = layers.Concatenate()([x, label_maps])
    for layer in dcgan_discriminator_layers(shape, width)[:-1]:  # up to the flattened features
        h = layer(h)
    score = layers.Dense(1, kernel_initializer=keras.initializers.RandomNormal(stddev=0.02))(h)
    class_direction = layers.Embedding(num_classes, h.shape[-1], name="label_embedding")(y)
    score = layers.Add()([score, layers.Dot(axes=1, name="projection")([class_direction, h])])
    discriminator = keras.Model([x, y], layers.Activation("sigmoid")(score), name="discriminator")
    return generator, discriminator


# --------------------------------------------------------------- a prior in pieces
@keras.saving.register_keras_serializable(package="gan_course")
class MixturePrior(layers.Layer):
    """G's first layer: z ~ N(0, I) with d + 1 entries in, a draw from a mixture of K Gaussians out.

        i   = min(floor(K * Phi(z_0)), K - 1)     Phi: the standard normal CDF, so P(i) = 1/K
        out = mu_i + std * (z_1, ..., z_d)        mu_1..mu_K ~ N(0, I_d), drawn once from `seed`

    A G that starts with this layer reads K separate blobs instead of one connected
    cloud, so G(z) need not be connected: it can send each blob to a mode and put
    nothing between them. The engine still draws z ~ N(0, I), with latent_dim = d + 1.
    Departure from DeLiGAN (Gurumurthy et al. 2017), which learns the means and the
    standard deviations: here they are fixed (the means are a non-trainable weight,
    saved with G).
    """

    def __init__(self, components, dim, std=0.2, seed=0, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(components, int) or components < 1:
            raise ValueError(f"components must be a positive integer, got {components!r}")
        if not isinstance(dim, int) or dim < 1:
            raise ValueError(f"dim must be a positive integer, got {dim!r}")
        if not std > 0:
            raise ValueError(f"std must be > 0, got {std!r}")
        self.components, self.dim, self.std, self.seed = components, dim, float(std), seed
        self.means = self.add_weight(shape=(components, dim), trainable=False, name="means",
                                     initializer=keras.initializers.RandomNormal(0.0, 1.0, seed=seed))

    def call(self, z):
        uniform = 0.5 * (1.0 + keras.ops.erf(z[:, 0] / math.sqrt(2.0)))  # Phi(z_0) ~ U(0, 1)
        i = keras.ops.minimum(keras.ops.cast(uniform * self.components, "int32"), self.components - 1)
        return keras.ops.take(self.means, i, axis=0) + self.std * z[:, 1:]

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.dim)

    def get_config(self):
        return {**super().get_config(), "components": self.components, "dim": self.dim, "std": self.std,
                "seed": self.seed}
