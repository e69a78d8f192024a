"""Checkers for lessons 01-03: the value function, the optimal discriminator, divergences.

Each compares with gan_course.theory or scipy, written apart from the reference answers.
"""
import numpy as np

from gan_course import theory
from gan_course.coding_exercises._checking import _Wrong, _array, _close, _number, _numeric, _run, _show


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
        (lambda r, f: -np.mean(np.concatenate(log_d(r, f))),
         "you returned D's binary cross-entropy over the joined batch (what D.train_on_batch reports, "
         "-V/2 when the batches are equal); V is mean log D(x) + mean log(1 - D(G(z)))"),
        (lambda r, f: -theory.value_function(r, f) / 2, "you returned -V/2 (D's loss on one batch of m real and "
                                                        "m fake samples); V is mean log D(x) + mean log(1 - D(G(z)))"),
    ]
    # rtol 1e-5: an answer that clips D's outputs to [1e-7, 1 - 1e-7], as Keras's losses do, is right
    _numeric(fn, cases, theory.value_function, mistakes, lambda v, _: _number(v, "V"), rtol=1e-5)


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
              "disjoint p = [0.5, 0.5, 0, 0], q = [0, 0, 0.5, 0.5]"),
             ((np.array([1.0, 0, 0, 0]), np.array([0.5, 0.5, 0, 0])), "p = [1, 0, 0, 0], q = [0.5, 0.5, 0, 0]")]

    def kl_to_m(a, b):  # KL(a || (a + b) / 2), 0 log 0 = 0
        inside = a > 0
        return float(np.sum(a[inside] * np.log(2 * a[inside] / (a[inside] + b[inside]))))
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
        (kl_to_m, "only KL(p || m): JSD averages both terms, (KL(p || m) + KL(q || m)) / 2"),
        (lambda p, q: kl_to_m(q, p), "only KL(q || m): JSD averages both terms, (KL(p || m) + KL(q || m)) / 2"),
        (lambda p, q: max(kl_to_m(p, q), kl_to_m(q, p)), "the larger of KL(p || m) and KL(q || m); JSD is their "
                                                         "average, (KL(p || m) + KL(q || m)) / 2"),
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
