"""Checks for the notebooks' exercises: `check("01.2", answer)` says right or wrong, and why.

Expected values are computed from `gan_course.theory` where they can be, so a
check can never drift from the helper it teaches.
"""
import numpy as np

from gan_course import models, theory


def _close(answer, expected, tol=1e-3):
    try:
        return bool(np.isclose(float(answer), expected, rtol=tol, atol=tol))
    except (TypeError, ValueError):
        return False


# Each entry: (expected value, hint shown when the answer is wrong).
def _expected():
    return {
        "00.1": (theory.kl_gaussians(0.5, 0.5, 0.0, 1.0),
                 "KL(N(mu, s^2) || N(0, 1)) = (mu^2 + s^2 - 1 - log s^2) / 2, with log s^2 = log 0.25, about -1.386"),
        "00.2": ((3 * 1 + 1 * -1) / 4, "squared error is smallest at the mean of the targets"),
        "01.1": (-theory.LOG_4, "put D = 1/2 into both terms: log(1/2) + log(1 - 1/2)"),
        "01.2": ((1 - 0.1) / 0.1, "with D = sigmoid(a): d/da[-log D] = -(1 - D) and d/da[log(1 - D)] = -D"),
        "02.1": (float(theory.optimal_discriminator(np.array([0.2]), np.array([0.6]))[0]),
                 "D*(x) = p_data(x) / (p_data(x) + p_g(x)), data density on top"),
        "02.2": (0.8 / 0.2, "D* / (1 - D*) = p_data / p_g"),
        "03.1": (theory.LOG_2, "on disjoint supports m = (p + q)/2 is half of p where p lives, so each KL term is log 2"),
        "03.2": (theory.kl_gaussians(0, 1, 2, 1), "KL(N(m1, s^2) || N(m2, s^2)) = (m1 - m2)^2 / (2 s^2)"),
        "03.3": (theory.earth_mover([0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5])[0],
                 "each half unit of mass moves 2 bins: 0 -> 2 and 1 -> 3"),
        "04.1": (2 * 100, "each of the 100 iterations runs k D steps before its one G step"),
        "04.2": (float(np.sqrt(1 + 0.1**2)), "the new point is (x - 0.1 y, y + 0.1 x); compare its length with (x, y)'s"),
        "04.3": (1.0, "every sample is nearest to the same centre, and within 3 std of it"),
        "05.1": (14, "stride 2 with padding 'same' doubles the height: 7 * 2"),
        "05.2": (models._upsampling_stages(48, 48), "48 -> 24 -> 12 -> 6, and 6 // 2 = 3 is below 4"),
        "05.3": (4 * 4 * 1 * 32 + 32, "a 4x4 kernel per input channel per filter, plus one bias per filter"),
        "06.1": (1 + 10, "the image's channel plus one map per class"),
        "06.2": (0.1, "the digit drawn is independent of the one asked for, each with probability 1/10"),
        "06.3": (64 + 10, "z joined to the one-hot label"),
        "07.1": (0.5, "all of the mass moves from 0 to 0.5"),
        "07.2": ((np.hypot(3.0, 4.0) - 1) ** 2, "the gradient is (3, 4) everywhere; penalty (||w|| - 1)^2"),
        "07.3": (-2 * -0.25, "the loss is (-sum f(x) + sum f(G(z))) / 128 = -(estimate) / 2"),
        "08.1": (abs(-3.0 - 1.0), "d/da of 1/2 (a - 1)^2 is a - 1; put in a = -3 and take its size"),
        "08.2": (2 * 64 // 4, "each D step packs the m = 64 real samples into 64 / 4 packs, "
                              "and the 64 fakes into as many again"),
        "08.3": (10, "each of the 10 balls is connected, and continuous layers keep a connected set "
                     "connected: at most one piece of samples per ball"),
    }


# Answers students plausibly give that deserve their own message: exercise -> [(value, message)].
def _known_mistakes():
    return {"00.1": [(2 * theory.kl_gaussians(0.5, 0.5, 0.0, 1.0), "twice the answer: did you drop the 1/2?")],
            "00.2": [(1.0, "that is the majority's value, a sharp digit; squared error prefers the mean of the four")],
            "04.2": [(1 + 0.1**2, "that is the factor on x^2 + y^2, the squared distance; take its square root")],
            "08.1": [(-4.0, "that is the slope itself, a - 1 = -4; the question asks for its size"),
                     (8.0, "8 is the loss itself, 1/2 (-3 - 1)^2 (or the slope of (a - 1)^2 without the 1/2); "
                           "the slope of 1/2 (a - 1)^2 is a - 1"),
                     (1 - 1 / (1 + np.exp(3.0)), "that is the non-saturating cross-entropy loss's slope, "
                                                 "1 - sigmoid(a); the least-squares G loss is 1/2 (a - 1)^2")],
            "08.2": [(2 * 64, "that counts samples, 64 real and 64 fake; D sees packs of 4 samples"),
                     (64 // 4, "that is the real packs only; the 64 fakes are packed too, in the same "
                               "train_on_batch")],
            "08.3": [(25, "25 is the number of the grid's modes; the question is what the noise lets G make, "
                          "whatever the data"),
                     (1, "that holds for noise in one connected piece (untruncated Gaussians reach everywhere); "
                         "here the noise is 10 disjoint balls")]}


def is_right(exercise, answer):
    """True when `answer` to exercise 'NN.K' matches the expected value (relative tolerance 1e-3)."""
    table = _expected()
    if exercise not in table:
        raise ValueError(f"no exercise {exercise!r}; known: {', '.join(sorted(table))}")
    return answer is not None and _close(answer, table[exercise][0])


def check(exercise, answer):
    """Print whether `answer` to exercise 'NN.K' is right, with a hint if it is not."""
    right = is_right(exercise, answer)
    expected, hint = _expected()[exercise]
    if right:
        print(f"Exercise {exercise}: right, {float(answer):.4g}.")
        return
    if answer is None:
        print(f"Exercise {exercise}: no answer yet; replace None with your answer (a hint comes with a wrong one).")
        return
    try:
        value = float(answer)
    except (TypeError, ValueError):
        print(f"Exercise {exercise}: not yet ({answer!r} is not a number). Hint: {hint}.")
        return
    known = [message for wrong, message in _known_mistakes().get(exercise, []) if _close(value, wrong, 1e-4)]
    if known:
        print(f"Exercise {exercise}: not yet ({value:g}): {known[0]}.")
    elif float(expected) != round(float(expected)) and abs(value - expected) <= 2e-2 * abs(expected):
        print(f"Exercise {exercise}: close ({value:g}); give at least 3 significant digits.")
    else:
        print(f"Exercise {exercise}: not yet ({value:g}). Hint: {hint}.")


def check_code(exercise, fn):
    """Run your function `fn` for coding exercise 'NN.name'; print right, not yet, or what is wrong.

    Prints only (a notebook cell ending in this call shows no True/False); for the
    verdict as a value use gan_course.coding_exercises.check_code, which returns it.
    """
    from gan_course import coding_exercises  # the coding checkers, loaded on first use

    coding_exercises.check_code(exercise, fn)


def solution(exercise):
    """Print a reference answer to coding exercise 'NN.name' (reveal it only when you want it)."""
    from gan_course import coding_exercises

    coding_exercises.solution(exercise)
