"""Coding exercises for lessons 01-07: the student writes a function, a checker runs it.

    check_code("04.d_step", d_step)   prints "right" or precisely what is wrong; returns True/False
    solution("04.d_step")             prints a reference answer, source that runs as printed
    stub("04.d_step")                 the unanswered function a notebook holds
    hint("04.d_step")                 one line towards the answer

A stub (its body `raise NotImplementedError`) or None is "not yet", never wrong, so
notebooks can hold unanswered exercises and still pass their tests. Whatever the
student's code raises is reported in a line, not a traceback.

Each checker runs the function on fixed inputs and compares with an answer computed
independently (gan_course.theory, scipy, the engine's recipe); where the result is
wrong, it is compared with the results of known mistakes (a sign, a swapped label,
a forgotten `trainable` toggle) to say which one was made. The reference answers
below are the code `solution` prints.
"""
import ast
import inspect
import re
import textwrap
import traceback
import warnings
from dataclasses import dataclass

import keras
import numpy as np
from keras import layers

from gan_course import theory


# ====================================================================== reference answers
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

    The label enters as num_classes constant channels beside the image's.
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


# ====================================================================== checking machinery
class _NotYet(Exception):
    """The student's function is still the stub."""


class _Wrong(Exception):
    """The student's function ran and is wrong; the message says how."""


class _Raised(Exception):
    """The student's function raised; the message is one line about it."""


def _run(fn, *args):
    """fn(*args) with warnings hushed; what the student's code raises becomes one line."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*args)
    except NotImplementedError as error:
        raise _NotYet() from error
    except Exception as error:  # the student's bug, reported in a line, not a traceback
        where = ""
        code = getattr(fn, "__code__", None)
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if code and f.filename == code.co_filename != __file__]  # a line of the student's code
        if frames and frames[-1].line:
            where = f" at `{frames[-1].line.strip()}`"
        raise _Raised(f"{type(error).__name__}{where}: {_first_line(error)}") from None


def _first_line(error):
    """The error's first informative line (Keras opens with a generic one), at most 200 characters."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # Keras colours its messages
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("Exception encountered when calling")] or [""]
    return lines[0][:200]


def _number(x, what):
    """x as a float, or _Wrong saying it is not one number."""
    try:
        array = np.asarray(x, dtype="float64")
    except (TypeError, ValueError):
        raise _Wrong(f"{what} should be a number, got {type(x).__name__}") from None
    if array.size != 1:
        raise _Wrong(f"{what} should be one number (a mean over the batch), got an array of shape {array.shape}")
    return float(array.reshape(()))


def _array(x, shape, what):
    """x as a float64 array of `shape`, or _Wrong saying why not."""
    try:
        array = np.asarray(x, dtype="float64")
    except (TypeError, ValueError):
        raise _Wrong(f"{what} should be a numpy array, got {type(x).__name__}") from None
    if array.shape != shape:
        raise _Wrong(f"{what} should have shape {shape}, got {array.shape}")
    return array


def _close(a, b, rtol=1e-6, atol=1e-9):
    return bool(np.allclose(np.asarray(a, "float64"), np.asarray(b, "float64"), rtol=rtol, atol=atol))


def _show(x):
    return np.array2string(np.asarray(x, "float64"), precision=4, separator=", ", threshold=8)


def _numeric(fn, cases, reference, mistakes, convert, rtol=1e-6):
    """Run fn on each case; None when it matches `reference`, else _Wrong with a diagnosis.

    cases: (args, description) pairs; reference and each mistake: args -> value;
    mistakes: (function, message) pairs, a message given when fn matches that
    mistake on every case; convert: (value, args) -> comparable value (may raise _Wrong).
    """
    got = [convert(_run(fn, *(a.copy() if isinstance(a, np.ndarray) else a for a in args)), args)
           for args, _ in cases]
    want = [reference(*args) for args, _ in cases]
    if all(_close(g, w, rtol) for g, w in zip(got, want)):
        return
    with np.errstate(all="ignore"):
        for mistake, message in mistakes:
            if all(_close(g, mistake(*args), rtol) for g, (args, _) in zip(got, cases)):
                raise _Wrong(message)
    (g, w, (_, description)) = next((g, w, c) for g, w, c in zip(got, want, cases) if not _close(g, w, rtol))
    raise _Wrong(f"for {description} expected {_show(w)}, got {_show(g)}")


# ---------------------------------------------------------------------- 01
def _check_value(fn):
    cases = [((np.array([0.9, 0.8, 0.7]), np.array([0.1, 0.3])), "d_real = [0.9, 0.8, 0.7], d_fake = [0.1, 0.3]"),
             ((np.full(4, 0.5), np.full(4, 0.5)), "D = 1/2 everywhere"),
             ((np.array([1.0, 0.99]), np.array([0.0, 0.2, 1e-9])), "d_real = [1, 0.99], d_fake = [0, 0.2, 1e-9]")]

    def log_d(d_real, d_fake):
        return np.log(d_real), np.log1p(-d_fake)

    mistakes = [
        (lambda r, f: -theory.value_function(r, f),
         "you returned -V (D's loss: its cross-entropies on the two batches, summed); "
         "V itself is mean log D(x) + mean log(1 - D(G(z)))"),
        (lambda r, f: np.mean(np.log(r)) + np.mean(np.log(f)),
         "your second term is log D(G(z)); V's is log(1 - D(G(z))), the log of D's probability that a fake is fake"),
        (lambda r, f: np.mean(np.log1p(-r)) + np.mean(np.log(f)),
         "real and fake are swapped: log D goes with the real batch, log(1 - D) with the fake one"),
        (lambda r, f: np.mean(np.concatenate(log_d(r, f))),
         "you averaged over both batches at once; V averages each batch on its own (sizes 3 and 2 in the first case)"),
        (lambda r, f: np.sum(np.log(r)) + np.sum(np.log1p(-f)),
         "you summed; V takes a mean over each batch (an estimate of an expectation)"),
        (lambda r, f: theory.value_function(r, f) / np.log(2),
         "your logs are base 2; the course works in nats, with the natural log np.log"),
    ]
    _numeric(fn, cases, theory.value_function, mistakes, lambda v, _: _number(v, "V"))


def _check_generator_losses(fn):
    batches = [np.array([0.1, 0.3, 0.5]), np.array([1e-3, 0.9]), np.array([0.5])]
    cases = [((d,), f"d_fake = {_show(d)}") for d in batches]

    def losses(d):  # (saturating, non-saturating), written apart from the reference answer
        return np.array([np.mean(np.log1p(-d)), -np.mean(np.log(d))])

    mistakes = [
        (lambda d: losses(d)[::-1], "the two are swapped: return (saturating, non_saturating), "
                                    "the saturating loss log(1 - D(G(z))) first"),
        (lambda d: losses(d) * [-1, 1], "your saturating loss has the wrong sign: G minimises V's own term, "
                                        "log(1 - D(G(z))), as written"),
        (lambda d: losses(d) * [1, -1], "your non-saturating loss has the wrong sign: G minimises -log D(G(z)) "
                                        "(binary cross-entropy against the label 1)"),
        (lambda d: -losses(d), "both signs are flipped: G minimises log(1 - D(G(z))) (saturating) "
                               "and -log D(G(z)) (non-saturating)"),
        (lambda d: [np.mean(np.log(d)), losses(d)[1]],
         "your saturating loss uses log D(G(z)); it is V's term log(1 - D(G(z)))"),
        (lambda d: [losses(d)[0], -np.mean(np.log1p(-d))],
         "your non-saturating loss uses log(1 - D(G(z))); it is -log D(G(z))"),
    ]

    def pair(v, _):
        if not isinstance(v, (tuple, list)) or len(v) != 2:
            raise _Wrong(f"return two numbers, (saturating, non_saturating); got {type(v).__name__}")
        return np.array([_number(v[0], "the saturating loss"), _number(v[1], "the non-saturating loss")])
    _numeric(fn, cases, losses, mistakes, pair)


# ---------------------------------------------------------------------- 02
def _check_optimal_d(fn):
    grid = np.linspace(-3, 5, 9)
    gauss = lambda mu: np.exp(-(grid - mu) ** 2 / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    cases = [((gauss(0.0), gauss(2.0)), "p_data = N(0, 1), p_g = N(2, 1) on a grid from -3 to 5"),
             ((np.array([0.4, 0.3, 0.2, 0.1, 0.0]), np.array([0.0, 0.1, 0.2, 0.3, 0.4])),
              "p_data = [0.4, 0.3, 0.2, 0.1, 0], p_g = [0, 0.1, 0.2, 0.3, 0.4]")]
    mistakes = [
        (lambda p, q: q / (p + q), "you returned 1 - D*: the data density goes on top, p_data / (p_data + p_g)"),
        (lambda p, q: p / q, "that is the density ratio p_data / p_g = D* / (1 - D*); D* = p_data / (p_data + p_g)"),
        (lambda p, q: np.full_like(p, 0.5),
         "D* = 1/2 only where p_data = p_g; in general D* = p_data / (p_data + p_g)"),
    ]
    _numeric(fn, cases, theory.optimal_discriminator, mistakes,
             lambda v, args: _array(v, args[0].shape, "D*"))


def _check_density_ratio(fn):
    d = np.array([0.5, 0.8, 0.2, 0.999, 1e-6])
    cases = [((d,), f"d = {_show(d)}"), ((np.array([0.25]),), "d = [0.25]")]
    mistakes = [
        (lambda d: (1 - d) / d, "you returned p_g / p_data, the inverse: D / (1 - D) = p_data / p_g"),
        (lambda d: np.log(d / (1 - d)), "that is the log of the ratio (D's logit); return D / (1 - D) itself"),
        (lambda d: d, "D alone is p_data / (p_data + p_g); the ratio p_data / p_g is D / (1 - D)"),
        (lambda d: d / (1 + d), "D / (1 + D) is not the ratio; solve D = r / (r + 1) for r = p_data / p_g"),
    ]
    _numeric(fn, cases, lambda d: d / (1 - d), mistakes, lambda v, args: _array(v, args[0].shape, "the ratio"))


# ---------------------------------------------------------------------- 03
def _check_jsd(fn):
    cases = [((np.full(4, 0.25), np.full(4, 0.25)), "p = q"),
             ((np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.4, 0.3, 0.2, 0.1])), "p = [0.1, 0.2, 0.3, 0.4], q reversed"),
             ((np.array([0.5, 0.5, 0, 0]), np.array([0, 0.5, 0.5, 0])), "p = [0.5, 0.5, 0, 0], q = [0, 0.5, 0.5, 0]"),
             ((np.array([0.5, 0.5, 0, 0]), np.array([0, 0, 0.5, 0.5])),
              "disjoint p = [0.5, 0.5, 0, 0], q = [0, 0, 0.5, 0.5]")]
    tiny = (np.array([5e-324, 0.5, 0.5, 0]), np.array([0, 0, 0.5, 0.5]))  # 5e-324: the smallest float64 above 0
    got = [_number(_run(fn, p.copy(), q.copy()), "JSD") for (p, q), _ in cases]
    if np.isnan(got[2]) or np.isnan(got[3]):
        raise _Wrong("nan where p or q is 0: a term 0 * log(0 / m) must count 0; sum only where the mass is > 0")
    if np.isinf(got[3]):
        raise _Wrong("infinite on disjoint supports: that is KL(p || q); JSD compares each with m = (p + q) / 2")
    mistakes = [
        (lambda p, q: 2 * theory.js_divergence(p, q), "twice JSD: each KL term is weighted 1/2 (JSD <= log 2)"),
        (lambda p, q: theory.js_divergence(p, q) / np.log(2), "in bits (log base 2); the course works in nats, np.log"),
        (lambda p, q: np.sqrt(theory.js_divergence(p, q)),
         "that is the Jensen-Shannon distance, sqrt(JSD) (scipy's jensenshannon); return JSD itself"),
    ]
    _numeric(fn, cases, theory.js_divergence, mistakes, lambda v, _: _number(v, "JSD"))
    got = _number(_run(fn, *(a.copy() for a in tiny)), "JSD")
    if np.isinf(got) or np.isnan(got):
        raise _Wrong(f"{got} where p has a mass of 5e-324: m = (p + q) / 2 rounds to 0 there (5e-324 / 2 == 0.0); "
                     "take the log of 2 p / (p + q) instead of p / m")
    if not _close(got, theory.js_divergence(*tiny)):
        raise _Wrong(f"for p = [5e-324, 0.5, 0.5, 0], q = [0, 0, 0.5, 0.5] expected "
                     f"{theory.js_divergence(*tiny):.6g}, got {got:.6g}")


def _check_w1(fn):
    from scipy.stats import wasserstein_distance

    rng = np.random.default_rng(3)
    cases = [((np.array([0.0, 3.0, 1.0]), np.array([5.0, 1.0, 2.0])), "x = [0, 3, 1], y = [5, 1, 2]"),
             ((rng.normal(0, 1, 50), rng.normal(1, 2, 50)), "50 draws of N(0, 1) and of N(1, 2^2)"),
             ((rng.uniform(0, 1, 20), rng.uniform(0, 3, 20)), "20 draws of U[0, 1] and of U[0, 3]")]
    mistakes = [
        (lambda x, y: np.mean(np.abs(x - y)), "you matched the samples in the order given; "
                                             "the optimal transport in 1-D matches them sorted"),
        (lambda x, y: abs(np.mean(x) - np.mean(y)), "|mean x - mean y| is only a lower bound on W1 "
                                                   "(equal when one sample is a shift of the other)"),
        (lambda x, y: np.sqrt(np.mean((np.sort(x) - np.sort(y)) ** 2)), "that is W2 (squared distances); "
                                                                        "W1 averages |x_(i) - y_(i)|"),
        (lambda x, y: np.mean((np.sort(x) - np.sort(y)) ** 2),
         "you squared the distances; W1 averages |x_(i) - y_(i)|"),
        (lambda x, y: np.sum(np.abs(np.sort(x) - np.sort(y))),
         "you summed; each sample carries mass 1/n, so take the mean"),
    ]
    _numeric(fn, cases, wasserstein_distance, mistakes, lambda v, _: _number(v, "W1"))


# ---------------------------------------------------------------------- 04
def _weights(model):
    """Every weight of a model, trainable or not (BatchNorm moving statistics included)."""
    return [w.copy() for w in model.get_weights()]


def _moved(before, model):
    """True when any weight of `model` differs from the snapshot `before`."""
    return any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def _toy_gan(seed=0):
    """Small fixed G (2 -> 2) and D (2 -> (0, 1)), D compiled, and combined z -> D(G(z)) compiled,
    as the engine does: D trainable at both compiles (Keras 3 reads the flag at tracing)."""
    init = [keras.initializers.GlorotUniform(seed=seed + i) for i in range(4)]  # seeded here, not globally
    G = keras.Sequential([keras.Input((2,)), layers.Dense(8, activation="relu", kernel_initializer=init[0]),
                          layers.Dense(2, kernel_initializer=init[1])], name="G")
    D = keras.Sequential([keras.Input((2,)), layers.Dense(8, activation="relu", kernel_initializer=init[2]),
                          layers.Dense(1, activation="sigmoid", kernel_initializer=init[3])], name="D")
    D.trainable = True
    D.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy")
    z = keras.Input((2,))
    combined = keras.Model(z, D(G(z)), name="combined")
    combined.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy")
    rng = np.random.default_rng(seed)
    real = rng.normal(2.0, 0.5, (8, 2)).astype("float32")
    noise = [rng.standard_normal((8, 2)).astype("float32") for _ in range(3)]
    return G, D, combined, real, noise


def _record(model):
    """Make model.train_on_batch note its (x, y) before it trains; returns the list of notes."""
    calls, train = [], model.train_on_batch

    def recorded(x, y=None, *args, **kwargs):
        calls.append((np.asarray(x), None if y is None else np.asarray(y, "float64").reshape(-1)))
        return train(x, y, *args, **kwargs)

    model.train_on_batch = recorded
    return calls


def _engine_d_step(G, D, real, noise):
    D.trainable = True
    x = np.concatenate([real, _eager(G, noise)])
    D.train_on_batch(x, np.concatenate([np.ones((len(real), 1)), np.zeros((len(noise), 1))]))


def _eager(model, x):
    """model(x) in inference mode, as float64 numpy (called directly: no predict function to trace)."""
    return np.asarray(model(x, training=False), "float64")


def _outputs(D, real, fake):
    """D(x) on the real batch and D(G(z)) on the fakes, as float64 numpy."""
    return _eager(D, real), _eager(D, fake)


def _rows_in(x, rows):
    """For each row of x, whether it is (close to) one of `rows`."""
    x = np.asarray(x, "float64").reshape(len(x), -1)
    rows = np.asarray(rows, "float64").reshape(len(rows), -1)
    return np.array([np.any(np.all(np.abs(rows - r) < 1e-4, axis=1)) for r in x])


def _check_d_step(fn):
    G, D, combined, real, noise = _toy_gan()
    # As in training, a G step (D frozen) came before, and D's train function is not traced yet:
    # a step that forgets D.trainable = True traces it frozen.
    g_step(combined, D, noise[0])
    calls = _record(D)
    for turn in range(2):
        calls.clear()
        g_before, d_before = _weights(G), _weights(D)
        fake = _eager(G, noise[1 + turn]).astype("float32")
        outputs_before = _outputs(D, real, fake)
        _run(fn, G, D, real.copy(), noise[1 + turn].copy())
        if _moved(g_before, G):
            raise _Wrong("your D step also moved G: make the fakes with G.predict_on_batch(noise) and train D alone")
        if calls:
            x = np.concatenate([c[0] for c in calls])
            labels = np.concatenate([c[1] if c[1] is not None else np.full(len(c[0]), np.nan) for c in calls])
            is_real, is_fake = _rows_in(x, real), _rows_in(x, fake)
            if not is_real.any():
                raise _Wrong("D was not shown the real batch: train it on real and fake samples together")
            if not is_fake.any():
                raise _Wrong("D was not shown the fakes G(noise)" + (
                    ": the other samples it saw were not G of the noise you were given"
                    if (~is_real).any() else ": join G.predict_on_batch(noise) to the real batch"))
            real_labels, fake_labels = labels[is_real], labels[is_fake]
            if np.all(real_labels == 0) and np.all(fake_labels == 1):
                raise _Wrong("labels swapped: real samples need label 1 and fakes 0 (with 0 on the real batch, "
                             "D learns to call real data fake)")
            if not np.all(real_labels == 1):
                raise _Wrong(f"the real samples need label 1, got {_show(np.unique(real_labels))}")
            if not np.all(fake_labels == 0):
                raise _Wrong(f"the fakes need label 0 (D learns to reject them), got {_show(np.unique(fake_labels))}")
        elif not _moved(d_before, D):
            raise _Wrong("D was not trained: call D.train_on_batch once on the real and fake samples, labels 1 and 0")
        if not _moved(d_before, D):
            raise _Wrong("D never changed: was it trainable when its train function was traced? Set "
                         "D.trainable = True right before D.train_on_batch (Keras 3 reads the flag when it traces "
                         "the function, at the first train_on_batch, not at compile())")
        outputs_after = _outputs(D, real, fake)
        if theory.value_function(*outputs_after) <= theory.value_function(*outputs_before):  # D ascends V
            (real_before, fake_before), (real_after, fake_after) = (map(np.mean, outputs)
                                                                    for outputs in (outputs_before, outputs_after))
            raise _Wrong(f"D got worse, V(D, G) on the batch went down: mean D(x) went from {real_before:.4f} to "
                         f"{real_after:.4f}, mean D(G(z)) from {fake_before:.4f} to {fake_after:.4f}; check the labels")
        g_step(combined, D, noise[0])


def _check_g_step(fn):
    G, D, combined, real, noise = _toy_gan()
    _engine_d_step(G, D, real, noise[0])  # as in training: a D step (D trainable) came before
    combined_calls, d_calls = _record(combined), _record(D)
    for turn in range(2):
        combined_calls.clear()
        d_calls.clear()
        g_before, d_before = _weights(G), _weights(D)
        before = float(np.mean(_eager(combined, noise[1 + turn])))
        _run(fn, combined, D, noise[1 + turn].copy())
        if d_calls:
            raise _Wrong("your G step called D.train_on_batch: train only the combined model z -> D(G(z))")
        if _moved(d_before, D):
            raise _Wrong("G's step moved D: set D.trainable = False before combined.train_on_batch (Keras 3 reads "
                         "the flag when it traces the combined model's train function)")
        if not _moved(g_before, G):
            raise _Wrong("G never changed: call combined.train_on_batch(noise, labels)")
        for x, labels in combined_calls:
            if not np.array_equal(x, noise[1 + turn]):
                raise _Wrong("train the combined model on the noise you were given")
            if labels is not None and np.all(labels == 0):
                raise _Wrong("labels 0 make G help D (it descends -log(1 - D(G(z)))): "
                             "G's fakes get label 1, 'real', the non-saturating loss -log D(G(z))")
            if labels is None or not np.all(labels == 1):
                given = "no labels" if labels is None else _show(np.unique(labels))
                raise _Wrong(f"G's fakes need label 1 ('real'), got {given}")
        after = float(np.mean(_eager(combined, noise[1 + turn])))
        if after <= before:
            raise _Wrong(f"D(G(z)) went down, from {before:.4f} to {after:.4f}: G should make D call its fakes real")
        _engine_d_step(G, D, real, noise[0])


# ---------------------------------------------------------------------- 05 and 06: models
POOLING = ("MaxPooling", "AveragePooling", "GlobalMaxPooling", "GlobalAveragePooling")


def _all_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)
        else:
            yield layer


def _activation(layer):
    """The nonlinearity a layer applies, by name ('relu', 'tanh', ...), or None."""
    if isinstance(layer, layers.LeakyReLU):
        return "leaky_relu"
    if isinstance(layer, layers.ReLU):
        return "relu"
    activation = getattr(layer, "activation", None)
    if activation is None:
        return None
    name = getattr(activation, "__name__", type(activation).__name__).lower()
    name = {"leakyrelu": "leaky_relu"}.get(name, name)
    return None if name == "linear" else name


def _output_and_hidden(model):
    """(the output's activation, the set of hidden activations): the output's is that of
    the last layer that has weights or an activation ('linear' when it has none)."""
    found = list(_all_layers(model))
    last = next((i for i in reversed(range(len(found)))
                 if found[i].weights or hasattr(found[i], "activation")
                 or isinstance(found[i], (layers.ReLU, layers.LeakyReLU))), len(found) - 1)
    hidden = {a for a in map(_activation, found[:last]) if a}
    return _activation(found[last]) or "linear", hidden


def _model(fn, args, what):
    model = _run(fn, *args)
    if not isinstance(model, keras.Model):
        raise _Wrong(f"{what} should return a keras.Model (Sequential or functional), got {type(model).__name__}")
    return model


def _call(model, inputs, what):
    """model(inputs) in inference mode as numpy; a failure is the student's model's, said so."""
    try:
        return np.asarray(model(inputs, training=False))
    except Exception as error:
        given = ", ".join(f"{a.shape} {a.dtype}" for a in (inputs if isinstance(inputs, list) else [inputs]))
        raise _Wrong(f"{what} failed on inputs of shape and type {given}: "
                     f"{type(error).__name__}: {_first_line(error)}") from None


def _output(model, inputs, shape, what):
    out = _call(model, inputs, what)
    if out.shape != shape:
        raise _Wrong(f"{what} gives outputs of shape {out.shape[1:]} per sample; expected {shape[1:]}")
    return out


def _check_dcgan_rules(model, who):
    """Pooling, and each activation's place; `who` is 'G' or 'D'."""
    found = list(_all_layers(model))
    pooling = [layer.name for layer in found if type(layer).__name__.startswith(POOLING)]
    if pooling:
        step = "Conv2DTranspose(strides=2) to upsample" if who == "G" else "Conv2D(strides=2) to downsample"
        raise _Wrong(f"{who} has pooling ({', '.join(pooling)}); DCGAN has none: use {step}")
    final, hidden = _output_and_hidden(model)
    if who == "G":
        if any(isinstance(layer, layers.UpSampling2D) for layer in found):
            raise _Wrong("G upsamples with UpSampling2D; DCGAN's G learns its upsampling "
                         "with Conv2DTranspose(strides=2)")
        if not any(isinstance(layer, layers.Conv2DTranspose) and max(layer.strides) >= 2 for layer in found):
            raise _Wrong("G has no strided Conv2DTranspose: DCGAN upsamples with Conv2DTranspose(..., strides=2)")
        if not any(isinstance(layer, layers.BatchNormalization) for layer in found):
            raise _Wrong("G has no BatchNormalization: DCGAN's G normalises after each hidden layer")
        if final != "tanh":
            raise _Wrong(f"G's output activation is {final}; it must be tanh, so images lie in [-1, 1] like the data")
        if hidden - {"relu"}:
            raise _Wrong(f"G's hidden layers use {', '.join(sorted(hidden - {'relu'}))}; DCGAN's G uses ReLU "
                         "(LeakyReLU belongs in D)")
    else:
        if not any(isinstance(layer, layers.Conv2D) and max(layer.strides) >= 2 for layer in found):
            raise _Wrong("D has no strided Conv2D: DCGAN downsamples with Conv2D(..., strides=2)")
        if final != "sigmoid":
            raise _Wrong(f"D's output activation is {final}; it must be sigmoid, so D(x) is a probability "
                         "(a linear output is a WGAN critic)")
        if "relu" in hidden or "leaky_relu" not in hidden:
            raise _Wrong(f"D's hidden layers use {', '.join(sorted(hidden)) or 'no activation'}; "
                         "DCGAN's D uses LeakyReLU (slope 0.2)")


def _check_generator(fn):
    latent_dim = 24
    G = _model(fn, (latent_dim,), "make_generator(24)")
    if tuple(G.inputs[0].shape[1:]) != (latent_dim,):
        raise _Wrong(f"make_generator(24) takes z of shape {tuple(G.inputs[0].shape[1:])}; it should be (24,)")
    _output(G, np.zeros((2, latent_dim), "float32"), (2, 32, 32, 3), "G")
    _check_dcgan_rules(G, "G")


def _check_discriminator(fn):
    D = _model(fn, (), "make_discriminator()")
    if tuple(D.inputs[0].shape[1:]) != (32, 32, 3):
        raise _Wrong(f"D reads images of shape {tuple(D.inputs[0].shape[1:])}; it should read (32, 32, 3)")
    _output(D, np.zeros((2, 32, 32, 3), "float32"), (2, 1), "D")
    _check_dcgan_rules(D, "D")


def _differs(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) > 1e-6


def _check_conditional(model, first, who, other):
    """model([first, y]) must change when only y changes, and when only `first` changes."""
    if len(model.inputs) != 2:
        raise _Wrong(f"{who} should take two inputs, [{other}, y]; yours takes {len(model.inputs)}")
    labels = np.arange(4, dtype="int32")
    same = np.repeat(first[:1], 4, axis=0)
    out = _call(model, [same, labels], who)
    if not all(_differs(out[0], out[i]) for i in range(1, 4)):
        raise _Wrong(f"{who} ignores the label: with the same {other}, labels 0, 1, 2, 3 gave the same output; "
                     f"join y (one-hot or embedded) to {other}")
    out = _call(model, [first, np.zeros(4, "int32")], who)
    if not all(_differs(out[0], out[i]) for i in range(1, 4)):
        raise _Wrong(f"{who} ignores {other}: with label 0, four different {other} gave the same output")


def _check_conditional_generator(fn):
    G = _model(fn, (8, 10), "make_conditional_generator(8, 10)")
    z = np.random.default_rng(0).standard_normal((4, 8)).astype("float32")
    _check_conditional(G, z, "G", "z")
    _output(G, [z, np.arange(4, dtype="int32")], (4, 28, 28, 1), "G")
    final = _output_and_hidden(G)[0]
    if final != "tanh":
        raise _Wrong(f"G's output activation is {final}; it must be tanh (images in [-1, 1])")


def _check_conditional_discriminator(fn):
    D = _model(fn, (10,), "make_conditional_discriminator(10)")
    x = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    _check_conditional(D, x, "D", "x")
    _output(D, [x, np.arange(4, dtype="int32")], (4, 1), "D")
    final = _output_and_hidden(D)[0]
    if final != "sigmoid":
        raise _Wrong(f"D's output activation is {final}; it must be sigmoid (a probability)")


# ---------------------------------------------------------------------- 07
def _critics():
    """A small nonlinear critic on 3-D inputs, and a linear one f(x) = 3 x_1 + 4 x_2 - 1 (||grad f|| = 5)."""
    init = [keras.initializers.GlorotUniform(seed=7 + i) for i in range(2)]  # seeded here, not globally
    curved = keras.Sequential([keras.Input((3,)), layers.Dense(8, activation="tanh", kernel_initializer=init[0]),
                               layers.Dense(1, kernel_initializer=init[1])], name="critic")
    linear = keras.Sequential([keras.Input((3,)), layers.Dense(1)], name="linear_critic")
    linear.set_weights([np.array([[3.0], [4.0], [0.0]], "float32"), np.array([-1.0], "float32")])
    rng = np.random.default_rng(7)
    real, fake = rng.normal(1, 1, (4, 3)).astype("float32"), rng.normal(-1, 1, (4, 3)).astype("float32")
    alpha = np.array([[0.1], [0.5], [0.7], [0.95]], "float32")
    return curved, linear, real, fake, alpha


def _input_gradients(critic, x, reduce_scores=None):
    import tensorflow as tf

    x = tf.convert_to_tensor(x, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = critic(x)
        if reduce_scores is not None:
            scores = reduce_scores(scores)
    return tape.gradient(scores, x).numpy().astype("float64")


def _penalty_from(gradients, form="right"):
    norms = np.sqrt(np.sum(gradients**2, axis=1))
    return {"right": np.mean((norms - 1) ** 2), "squared": np.mean((norms**2 - 1) ** 2),
            "no -1": np.mean(norms**2), "norm": np.mean(norms), "unsquared": np.mean(norms - 1),
            "abs": np.mean(np.abs(norms - 1)),
            "batch": (np.sqrt(np.sum(gradients**2)) - 1) ** 2}[form]


def _penalty(critic, real, fake, alpha, form="right", mix=None, reduce_scores=None):
    """The penalty computed in numpy from autodiff gradients, right or in one of the known wrong forms."""
    x_hat = alpha * real + (1 - alpha) * fake if mix is None else mix(real, fake, alpha)
    return _penalty_from(_input_gradients(critic, x_hat, reduce_scores), form)


def _check_gradient_penalty(fn):
    import tensorflow as tf

    curved, linear, real, fake, alpha = _critics()
    cases = [((curved, real, fake, alpha), "a small tanh critic on a fixed batch of 4"),
             ((linear, real, fake, alpha),
              "the linear critic f(x) = 3 x_1 + 4 x_2 - 1, whose penalty is (5 - 1)^2 = 16")]
    mistakes = [
        (lambda c, r, f, a: _penalty(c, r, f, a, "squared"), "you penalise (||grad||^2 - 1)^2; the penalty is "
                                                             "(||grad||_2 - 1)^2, the norm itself (a square root)"),
        (lambda c, r, f, a: _penalty(c, r, f, a, "no -1"), "you penalise ||grad||^2: the penalty pulls the norm "
                                                           "towards 1, (||grad|| - 1)^2"),
        (lambda c, r, f, a: _penalty(c, r, f, a, "norm"), "you return the mean norm; the penalty is (||grad|| - 1)^2"),
        (lambda c, r, f, a: _penalty(c, r, f, a, "unsquared"), "you forgot to square: (||grad|| - 1)^2"),
        (lambda c, r, f, a: _penalty(c, r, f, a, "abs"), "you take |.| of ||grad|| - 1; the penalty squares it"),
        (lambda c, r, f, a: _penalty(c, r, f, a, "batch"), "one norm over the whole batch; the penalty takes one "
                                                           "norm per sample (sum over axis 1), then the mean"),
        (lambda c, r, f, a: _penalty(c, r, f, a, reduce_scores=tf.reduce_mean),
         "you took the gradient of the mean score, which divides each sample's gradient by m: "
         "take the gradient of the scores themselves"),
        (lambda c, r, f, a: _penalty(c, r, f, a, mix=lambda r, f, a: a * f + (1 - a) * r),
         "x_hat is interpolated the other way: x_hat = alpha * real + (1 - alpha) * fake"),
        (lambda c, r, f, a: _penalty(c, r, f, a, mix=lambda r, f, a: r), "x_hat is the real batch: "
                                                                         "x_hat = alpha * real + (1 - alpha) * fake"),
        (lambda c, r, f, a: _penalty(c, r, f, a, mix=lambda r, f, a: f), "x_hat is the fake batch: "
                                                                         "x_hat = alpha * real + (1 - alpha) * fake"),
        (lambda c, r, f, a: _penalty(c, r, f, a, mix=lambda r, f, a: (r + f) / 2),
         "alpha is not used: x_hat = alpha * real + (1 - alpha) * fake, not the midpoint"),
    ]
    _numeric(fn, cases, _penalty, mistakes, lambda v, _: _number(v, "the penalty"), rtol=1e-4)


def _check_critic_loss(fn):
    curved, linear, real, fake, alpha = _critics()
    cases = [((curved, real, fake, alpha, 10.0), "a small tanh critic, gp_weight = 10"),
             ((curved, real, fake, alpha, 2.5), "a small tanh critic, gp_weight = 2.5"),
             ((linear, real, fake, alpha, 10.0), "the linear critic f(x) = 3 x_1 + 4 x_2 - 1, gp_weight = 10")]

    def parts(c, r, f, a, gp_weight):  # (mean f(fake) - mean f(real), gp_weight * penalty)
        scores = lambda x: np.asarray(c(x), "float64")  # noqa: E731
        return np.mean(scores(f)) - np.mean(scores(r)), gp_weight * _penalty(c, r, f, a)

    def form(combine):
        return lambda *args: combine(*parts(*args), args[-1])

    mistakes = [
        (form(lambda w, p, g: -w + p), "the Wasserstein term's sign is flipped: the critic minimises "
                                       "mean f(fake) - mean f(real), raising f on real data"),
        (form(lambda w, p, g: w / 2 + p), "the Wasserstein term is halved (a Keras loss averaged over all 2m "
                                          "samples gives half): use mean f(fake) - mean f(real)"),
        (form(lambda w, p, g: w + p / g), "the penalty is not multiplied by gp_weight"),
        (form(lambda w, p, g: w), "the gradient penalty is missing: add gp_weight * gradient_penalty(...)"),
        (form(lambda w, p, g: w - p), "the penalty is subtracted; the critic adds it to its loss"),
    ]
    _numeric(fn, cases, form(lambda w, p, g: w + p), mistakes, lambda v, _: _number(v, "the loss"), rtol=1e-4)


# ====================================================================== the catalogue
@dataclass(frozen=True)
class Exercise:
    name: str        # "NN.word"
    answer: object   # the reference function, whose source `solution` prints
    checker: object  # student's function -> None, or raises _Wrong / _NotYet / _Raised
    hint: str
    imports: str     # what the printed solution needs above it


_NUMPY, _KERAS = "import numpy as np", "import keras\nfrom keras import layers"  # 07's answers import tf inside
EXERCISES = {e.name: e for e in [
    Exercise("01.value", value, _check_value,
             "two means: np.mean(np.log(d_real)) and np.mean(np.log(1 - d_fake))", _NUMPY),
    Exercise("01.losses", generator_losses, _check_generator_losses,
             "saturating: the mean of log(1 - D(G(z))); non-saturating: the mean of -log D(G(z))", _NUMPY),
    Exercise("02.d_star", optimal_d, _check_optimal_d, "D*(x) = p_data(x) / (p_data(x) + p_g(x)), elementwise", _NUMPY),
    Exercise("02.ratio", density_ratio, _check_density_ratio,
             "solve D = p_data / (p_data + p_g) for p_data / p_g", _NUMPY),
    Exercise("03.jsd", jsd, _check_jsd,
             "sum a * log(2a / (p + q)) over a > 0, for a = p and a = q, each halved", _NUMPY),
    Exercise("03.w1", w1, _check_w1, "sort both samples, then average |x_(i) - y_(i)|", _NUMPY),
    Exercise("04.d_step", d_step, _check_d_step, "fakes from G.predict_on_batch(noise); labels 1 then 0; "
             "D.trainable = True right before D.train_on_batch", _NUMPY),
    Exercise("04.g_step", g_step, _check_g_step,
             "D.trainable = False, then combined.train_on_batch(noise, ones)", _NUMPY),
    Exercise("05.generator", make_generator, _check_generator, "Dense to (4, 4, C), then three Conv2DTranspose "
             "(strides=2) with BatchNorm and ReLU, the last to 3 channels with tanh", _KERAS),
    Exercise("05.discriminator", make_discriminator, _check_discriminator, "Conv2D(strides=2) with LeakyReLU(0.2), "
             "twice or more, then Flatten and Dense(1, sigmoid)", _KERAS),
    Exercise("06.conditional", make_conditional_generator, _check_conditional_generator,
             "a second keras.Input((), dtype='int32') for y; CategoryEncoding(num_classes), "
             "then Concatenate with z", _KERAS),
    Exercise("06.conditional_d", make_conditional_discriminator, _check_conditional_discriminator,
             "one-hot y, spread over the image as extra channels (or projected), joined to x", _KERAS),
    Exercise("07.penalty", gradient_penalty, _check_gradient_penalty, "x_hat = alpha * real + (1 - alpha) * fake; "
             "tf.GradientTape on critic(x_hat); one norm per row; mean of (norm - 1)^2", ""),
    Exercise("07.critic_loss", critic_loss, _check_critic_loss,
             "mean f(fake) - mean f(real) + gp_weight * your gradient_penalty",
             "from gan_course.coding_exercises import gradient_penalty  # the answer to 07.penalty, or yours"),
]}


def _lookup(name):
    if name not in EXERCISES:
        raise ValueError(f"no coding exercise {name!r}; known: {', '.join(EXERCISES)}")
    return EXERCISES[name]


def hint(name):
    """One line towards exercise `name`'s answer."""
    return _lookup(name).hint


def solution_source(name):
    """The reference answer to `name` as source text that runs as it stands (its imports first)."""
    exercise = _lookup(name)
    source = textwrap.dedent(inspect.getsource(exercise.answer))
    return f"{exercise.imports}\n\n\n{source}" if exercise.imports else source


def stub(name):
    """The unanswered function for a notebook: the answer's signature and docstring, then
    `raise NotImplementedError`."""
    source = textwrap.dedent(inspect.getsource(_lookup(name).answer))
    function = ast.parse(source).body[0]
    docstring_end = function.body[0].end_lineno  # the docstring is the body's first statement
    return "\n".join(source.splitlines()[:docstring_end] + ["    raise NotImplementedError"]) + "\n"


def solution(name):
    """Print a reference answer to exercise `name` (on demand: the notebooks never do)."""
    print(solution_source(name))


def _is_stub(fn):
    """True when fn's body (after any docstring) is only `raise NotImplementedError`: seen
    without running it, so an unanswered notebook builds no models."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.FunctionDef) else []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    raised = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def check_code(name, fn):
    """Run the student's function `fn` for exercise `name`; print right, not yet, or what is wrong.

    Returns True only when right. None or a stub raising NotImplementedError is
    "not yet" (False); whatever fn raises is reported in a line.
    """
    exercise = _lookup(name)
    label = f"Exercise {name}"
    if fn is None:
        print(f"{label}: not yet answered. Hint: {exercise.hint}.")
        return False
    if not callable(fn):
        print(f"{label}: pass your function itself, check_code({name!r}, {exercise.answer.__name__}); "
              f"got {fn!r:.60} (a {type(fn).__name__}).")
        return False
    try:
        if _is_stub(fn):
            raise _NotYet()
        exercise.checker(fn)
    except _NotYet:
        print(f"{label}: not yet written ({getattr(fn, '__name__', 'it')} raises NotImplementedError). "
              f"Hint: {exercise.hint}.")
        return False
    except _Raised as error:
        print(f"{label}: your {getattr(fn, '__name__', 'function')} raised {error}")
        return False
    except _Wrong as wrong:
        print(f"{label}: wrong. {wrong}")
        return False
    print(f"{label}: right.")
    return True
