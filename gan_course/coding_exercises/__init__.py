"""Coding exercises for lessons 01-08: the student writes a function, a checker runs it.

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
a forgotten `trainable` toggle) to say which one was made.

Here: the catalogue, EXERCISES, and the four functions above. Beside it, each named
for what it holds:
    answers         the reference answers: the code `solution` prints, cut to `stub`
    _checking       what every checker shares: its verdicts, `_run`, `_numeric`
    checks_theory   checkers for 01-03: the value function, D*, divergences
    checks_steps    checkers for 04: the D step and the G step
    checks_models   checkers for 05-06: the DCGAN and conditional GAN builders
    checks_wgan     checkers for 07: the gradient penalty and the critic's loss
    checks_zoo      checkers for 08: the least-squares and hinge losses, PacGAN's packs
"""
import ast
import inspect
import textwrap
from dataclasses import dataclass

from gan_course.coding_exercises._checking import _NotYet, _Raised, _Wrong
from gan_course.coding_exercises.answers import (critic_loss, d_step, density_ratio, g_step, generator_losses,
                                                 gradient_penalty, jsd, make_conditional_discriminator,
                                                 make_conditional_generator, make_discriminator, make_generator,
                                                 optimal_d, pack, value, w1, zoo_losses)
from gan_course.coding_exercises.checks_models import (_check_conditional_discriminator,
                                                       _check_conditional_generator, _check_discriminator,
                                                       _check_generator)
from gan_course.coding_exercises.checks_steps import _check_d_step, _check_g_step
from gan_course.coding_exercises.checks_theory import (_check_density_ratio, _check_generator_losses, _check_jsd,
                                                       _check_optimal_d, _check_value, _check_w1)
from gan_course.coding_exercises.checks_wgan import _check_critic_loss, _check_gradient_penalty
from gan_course.coding_exercises.checks_zoo import _check_pack, _check_zoo_losses


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
    Exercise("08.losses", zoo_losses, _check_zoo_losses,
             "least squares: halves of the means of (d_real - 1)**2 and d_fake**2 for D, of (d_fake - 1)**2 "
             "for G; hinge: the means of np.maximum(0, 1 - d_real) and np.maximum(0, 1 + d_fake) for D, "
             "-np.mean(d_fake) for G", _NUMPY),
    Exercise("08.pack", pack, _check_pack, "reshape to (N/m, m, ..., C), np.moveaxis the m axis to just before "
             "the channels, then reshape to (N/m, ..., m*C)", _NUMPY),
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
