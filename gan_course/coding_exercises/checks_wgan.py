"""Checkers for lesson 07: WGAN-GP's gradient penalty and the critic's loss.

Each is compared with an answer computed in numpy from autodiff gradients, on a
small tanh critic and on a linear one whose penalty is known, (5 - 1)^2 = 16.
"""
import keras
import numpy as np
from keras import layers

from gan_course.coding_exercises._checking import _number, _numeric, _Raised, _Wrong


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
            "batch": (np.sqrt(np.sum(gradients**2)) - 1) ** 2, "summed": np.sum((norms - 1) ** 2)}[form]


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
        (lambda c, r, f, a: _penalty(c, r, f, a, "summed"), "you summed over the batch; the penalty is the mean "
                                                            "of (||grad|| - 1)^2 over the m samples"),
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
    try:
        _numeric(fn, cases, _penalty, mistakes, lambda v, _: _number(v, "the penalty"), rtol=1e-4)
    except _Raised as error:
        if "None" in str(error):  # tape.gradient gave None: x_hat was never watched
            raise _Wrong("the tape returned no gradient (None) for x_hat: x_hat is a constant tensor, not a "
                         "Variable, so call tape.watch(x_hat) inside the `with tf.GradientTape()` block") from None
        raise


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
