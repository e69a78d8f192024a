"""Checkers for lesson 08: the least-squares and hinge games' losses, and PacGAN's packing.

The losses are compared with the papers' formulas, written here in numpy apart from the
reference answers (Mao et al. 2017 with a = 0, b = c = 1; Lim & Ye 2017 and Miyato et al.
2018); the packs with the engine's pacgan.packed, on vectors and on images.
"""
import numpy as np

from gan_course.coding_exercises._checking import _Wrong, _array, _close, _number, _run, _show

_GAMES = ("least-squares", "hinge")


# ---------------------------------------------------------------------- 08 the losses
def _zoo(r, f):
    """[LSGAN D, LSGAN G, hinge D, hinge G] from D's linear scores r on reals and f on fakes."""
    return np.array([0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f**2), 0.5 * np.mean((f - 1) ** 2),
                     np.mean(np.maximum(0, 1 - r)) + np.mean(np.maximum(0, 1 + f)), -np.mean(f)])


def _four_losses(result):
    """The student's dict as [LSGAN D, LSGAN G, hinge D, hinge G], or _Wrong saying what is amiss in its shape."""
    wanted = '{"least-squares": (d_loss, g_loss), "hinge": (d_loss, g_loss)}'
    if result is None:
        raise _Wrong(f"your function returned None: did you forget `return`? Return {wanted}")
    if not isinstance(result, dict):
        raise _Wrong(f"return a dict {wanted}; got a {type(result).__name__}")
    missing = [key for key in _GAMES if key not in result]
    if missing:
        raise _Wrong(f"your dict has no key {missing[0]!r} (its keys: {', '.join(map(repr, result)) or 'none'}); "
                     f"return {wanted}")
    values = []
    for game in _GAMES:
        pair = result[game]
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise _Wrong(f"result[{game!r}] should be a pair (d_loss, g_loss), D's loss first; "
                         f"got {type(pair).__name__} {pair!r:.60}")
        values += [_number(pair[0], f"{game} D's loss"), _number(pair[1], f"{game} G's loss")]
    return np.array(values)


def _ls_d(r, f, real_target=1.0, fake_target=0.0, half=0.5):
    return half * np.mean((r - real_target) ** 2) + half * np.mean((f - fake_target) ** 2)


def _hinge_d(r, f):
    return np.mean(np.maximum(0, 1 - r)) + np.mean(np.maximum(0, 1 + f))


# (index in the four, what it is, known mistakes: (function of r, f, message))
_ZOO_PARTS = [
    (0, "the least-squares D loss", [
        (lambda r, f: _ls_d(r, f, half=1.0),
         "the least-squares D loss has lost its 1/2: Mao et al.'s D minimises "
         "1/2 E(D(x) - 1)^2 + 1/2 E D(G(z))^2"),
        (lambda r, f: _ls_d(r, f, real_target=0.0, fake_target=1.0),
         "the least-squares D loss has its targets swapped: reals go to b = 1, fakes to a = 0, "
         "1/2 E(D(x) - 1)^2 + 1/2 E D(G(z))^2"),
        (lambda r, f: _ls_d(r, f, real_target=0.0, fake_target=1.0, half=1.0),
         "the least-squares D loss has its targets swapped (reals go to 1, fakes to 0) and has lost its 1/2"),
        (lambda r, f: _ls_d(r, f, fake_target=1.0),
         "the least-squares D loss pulls the fakes to 1 too: D's target for a fake is a = 0, 1/2 E D(G(z))^2"),
    ]),
    (1, "the least-squares G loss", [
        (lambda r, f: 0.5 * np.mean(f**2),
         "the least-squares G loss pulls D(G(z)) toward 0, the fakes' target in D's loss; G wants its fakes "
         "scored as real, c = 1: 1/2 E(D(G(z)) - 1)^2"),
        (lambda r, f: np.mean((f - 1) ** 2), "the least-squares G loss has lost its 1/2: 1/2 E(D(G(z)) - 1)^2"),
        (lambda r, f: np.mean(f**2),
         "the least-squares G loss pulls D(G(z)) toward 0 and has lost its 1/2: 1/2 E(D(G(z)) - 1)^2"),
        (lambda r, f: -0.5 * np.mean(f**2),
         "the least-squares G loss is minus D's term on the fakes (the minimax form); "
         "G has its own target c = 1: 1/2 E(D(G(z)) - 1)^2"),
    ]),
    (2, "the hinge D loss", [
        (lambda r, f: np.mean(1 - r) + np.mean(1 + f),
         "the hinge D loss has no max: without it, E(1 - D(x)) + E(1 + D(G(z))) is a Wasserstein critic's "
         "loss plus 2. The hinge clips each sample's term at 0: E max(0, 1 - D(x)) + E max(0, 1 + D(G(z)))"),
        (lambda r, f: np.mean(f) - np.mean(r),
         "that is a Wasserstein critic's loss, E D(G(z)) - E D(x); the hinge D loss clips each sample's "
         "term at 0: E max(0, 1 - D(x)) + E max(0, 1 + D(G(z)))"),
        (lambda r, f: 0.5 * _hinge_d(r, f),
         "the hinge D loss is halved (the engine's hinge_loss averages over all 2m scores and says so); "
         "the papers add the two means: E max(0, 1 - D(x)) + E max(0, 1 + D(G(z)))"),
        (lambda r, f: _hinge_d(-r, -f),
         "the hinge D loss has its signs swapped: reals are pushed up, max(0, 1 - D(x)), "
         "fakes down, max(0, 1 + D(G(z)))"),
        (lambda r, f: max(0, 1 - np.mean(r)) + max(0, 1 + np.mean(f)),
         "the max is taken after the mean; the hinge clips each sample's term: E max(0, 1 - D(x)) + ..."),
    ]),
    (3, "the hinge G loss", [
        (lambda r, f: np.mean(f),
         "the hinge G loss has its sign flipped: G raises D's score of its fakes, so it minimises -E D(G(z))"),
        (lambda r, f: np.mean(np.maximum(0, 1 - f)),
         "the hinge G loss has no max: G minimises -E D(G(z)) (Lim & Ye 2017; Miyato et al. 2018)"),
        (lambda r, f: -np.mean(np.maximum(0, 1 + f)),
         "the hinge G loss is minus D's term on the fakes; G minimises -E D(G(z)), with no max"),
    ]),
]


def _check_zoo_losses(fn):
    rng = np.random.default_rng(8)
    cases = [((np.array([2.0, 0.5, -0.3, 1.2]), np.array([-1.5, 0.2, 1.1, -0.4])),
              "d_real = [2, 0.5, -0.3, 1.2], d_fake = [-1.5, 0.2, 1.1, -0.4]"),
             ((np.array([0.3, 0.9, -0.2]), np.array([-0.6, 0.4, 0.0])),
              "d_real = [0.3, 0.9, -0.2], d_fake = [-0.6, 0.4, 0]"),
             ((rng.normal(1, 2, 16), rng.normal(-1, 2, 16)), "16 scores each, drawn from N(1, 2^2) and N(-1, 2^2)"),
             ((np.array([3.0, 4.0]), np.array([-2.0, -5.0])), "d_real = [3, 4], d_fake = [-2, -5] (D is sure)")]
    got = [_four_losses(_run(fn, r.copy(), f.copy())) for (r, f), _ in cases]
    want = [_zoo(r, f) for (r, f), _ in cases]
    if all(_close(g, w) for g, w in zip(got, want)):
        return
    for i, game in enumerate(_GAMES):  # the pair the wrong way round: (g_loss, d_loss)
        pair = slice(2 * i, 2 * i + 2)
        if (all(_close(g[pair][::-1], w[pair]) for g, w in zip(got, want))
                and not all(_close(g[pair], w[pair]) for g, w in zip(got, want))):
            raise _Wrong(f"result[{game!r}] is (g_loss, d_loss); return (d_loss, g_loss), D's loss first")
    for index, what, mistakes in _ZOO_PARTS:
        if all(_close(g[index], w[index]) for g, w in zip(got, want)):
            continue
        for mistake, message in mistakes:
            if all(_close(g[index], mistake(*args)) for g, (args, _) in zip(got, cases)):
                raise _Wrong(message)
        g, w, description = next((g[index], w[index], d) for g, w, (_, d) in zip(got, want, cases)
                                 if not _close(g[index], w[index]))
        raise _Wrong(f"{what}: for {description} expected {_show(w)}, got {_show(g)}")


# ---------------------------------------------------------------------- 08 PacGAN's packs
def _packs_by_stride(x, m):
    """Pack j = x[j], x[j + N/m], ...: every (N/m)-th sample, not m consecutive ones."""
    return np.concatenate(np.split(x, m), axis=-1)


def _packs_interleaved(x, m):
    """The m samples' channels interleaved: channel 1 of each sample, then channel 2 of each, ..."""
    groups = x.reshape(len(x) // m, m, *x.shape[1:])
    return np.moveaxis(groups, 1, -1).reshape(len(x) // m, *x.shape[1:-1], m * x.shape[-1])


def _packs_reshaped(x, m):
    """A plain reshape to the packed shape: right for vectors, pixels of different samples mixed for images."""
    return x.reshape(len(x) // m, *x.shape[1:-1], m * x.shape[-1])


_PACK_MISTAKES = [
    (_packs_reshaped, "a plain reshape to (N/m, H, W, m*C) is right for vectors, but for images it interleaves "
                      "pixels: a pixel's m*C channels take the next m*C values in memory (its neighbours in the "
                      "same sample), and the pack's later samples fill the later pixels. Reshape to "
                      "(N/m, m, H, W, C), move the pack axis next to the channels (np.moveaxis(groups, 1, -2)), "
                      "then reshape to (N/m, H, W, m*C)"),
    (_packs_by_stride, "each pack takes every (N/m)-th sample (x[j], x[j + N/m], ...); a pack is m consecutive "
                       "samples, x[j*m] to x[j*m + m - 1], so that in D's step reals pack with reals and fakes "
                       "with fakes"),
    (_packs_interleaved, "the samples' channels are interleaved (channel 1 of each sample, then channel 2, ...); "
                         "lay the samples side by side whole: all of x[0]'s channels, then all of x[1]'s"),
]


def _pack_cases():
    shapes = [((6, 3), 2, "6 vectors of 3, m = 2"), ((12, 5), 4, "12 vectors of 5, m = 4"),
              ((4, 2), 1, "4 vectors of 2, m = 1"), ((4, 3, 2, 1), 2, "4 grey 3x2 images, m = 2"),
              ((6, 2, 3, 3), 3, "6 colour 2x3 images, m = 3"), ((8, 4, 4, 2), 4, "8 images 4x4x2, m = 4")]
    return [((np.arange(np.prod(shape), dtype="float32").reshape(shape), m), description)
            for shape, m, description in shapes]


def _packed_shape(shape, m):
    return (shape[0] // m, *shape[1:-1], m * shape[-1])


def _check_pack(fn):
    from gan_course.pacgan import packed

    cases = _pack_cases()
    got = []
    for (x, m), description in cases:
        result = _run(fn, x.copy(), m)
        if result is None:
            raise _Wrong("your function returned None: did you forget `return`?")
        shape, wanted = np.shape(result), _packed_shape(x.shape, m)
        if shape != wanted:
            if m > 1 and shape == x.shape:
                why = ("the input's own shape: were the samples joined on the batch axis (axis 0)? "
                       "A pack lays its m samples side by side on the last axis")
            elif shape == (len(x) // m, m, *x.shape[1:]):
                why = "the pack axis is still apart: merge it into the last axis, m*C channels"
            elif x.ndim > 2 and len(shape) == 2 and shape[0] == len(x) // m:
                why = "each pack is flattened; an image pack keeps (H, W) and stacks the samples' channels"
            elif len(shape) == x.ndim and shape[:-1] == wanted[:-1]:
                why = (f"the last axis has {shape[-1]} entries; a pack puts its m samples' channels side by "
                       f"side there: m*C = {wanted[-1]}")
            elif len(shape) == x.ndim and shape[0] == m:
                why = "m rows: there are N/m packs of m samples each"
            else:
                why = "a pack is (..., m*C): N/m packs, the samples side by side on the last axis"
            raise _Wrong(f"for {description} (shape {x.shape}) expected shape {wanted}, got {shape}: {why}")
        got.append(_array(result, wanted, "the packs"))
    want = [np.asarray(packed(x, m), "float64") for (x, m), _ in cases]
    if all(_close(g, w) for g, w in zip(got, want)):
        return
    for mistake, message in _PACK_MISTAKES:
        if all(_close(g, mistake(x, m)) for g, ((x, m), _) in zip(got, cases)):
            raise _Wrong(message)
    g, w, description = next((g, w, d) for g, w, (_, d) in zip(got, want, cases) if not _close(g, w))
    raise _Wrong(f"for {description} on np.arange values, expected {_show(w)}, got {_show(g)}")
