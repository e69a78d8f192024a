"""What every checker shares: the three verdicts a check can raise, running the
student's function so that what it raises is one line, and comparing numbers
with a diagnosis of known mistakes (`_numeric`).
"""
import os
import re
import traceback
import warnings

import numpy as np

_HERE = os.path.dirname(os.path.abspath(__file__))  # the package: frames here are ours, not the student's


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
                  if code and f.filename == code.co_filename
                  and os.path.dirname(os.path.abspath(code.co_filename)) != _HERE]  # a line of the student's code
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
    if x is None:
        raise _Wrong(f"your function returned None where {what} should be: did you forget `return`?")
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
    if _show(g) == _show(w):  # equal to 4 digits: say how far apart they are
        off = float(np.max(np.abs(np.asarray(g, "float64") - np.asarray(w, "float64"))))
        raise _Wrong(f"for {description} expected {_show(w)}, got a value {off:.1e} away: close, but "
                     "not the formula's value (clipping D's outputs, float32, or an added epsilon?)")
    raise _Wrong(f"for {description} expected {_show(w)}, got {_show(g)}")
