"""Pictures the lessons share: image grids and training curves."""
import math

import matplotlib.pyplot as plt
import numpy as np


def tile(images, ncols=None, pad=1):
    """Images (N, H, W, C) in [-1, 1] -> one tiled array (rows*(H+pad), ncols*(W+pad), C) in [0, 1]."""
    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or len(images) == 0:
        raise ValueError(f"images must be a non-empty array (N, H, W, C), got shape {images.shape}")
    n, h, w, c = images.shape
    ncols = ncols or math.ceil(math.sqrt(n))
    nrows = math.ceil(n / ncols)
    canvas = np.ones((nrows * (h + pad) - pad, ncols * (w + pad) - pad, c), "float32")
    for i, image in enumerate(np.clip((images + 1) / 2, 0, 1)):
        r, col = divmod(i, ncols)
        canvas[r * (h + pad):r * (h + pad) + h, col * (w + pad):col * (w + pad) + w] = image
    return canvas


def image_grid(images, ncols=None, title=None, ax=None, size=4.0):
    """Show images (N, H, W, C) in [-1, 1] as one grid; returns the matplotlib Axes."""
    canvas = tile(images, ncols)
    if ax is None:
        _, ax = plt.subplots(figsize=(size, size * canvas.shape[0] / canvas.shape[1]))
    ax.imshow(canvas[..., 0] if canvas.shape[-1] == 1 else canvas, cmap="gray", vmin=0, vmax=1)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def _smooth(values, window):
    values = np.asarray(values, dtype="float64")
    if window <= 1 or len(values) < window:
        return values
    return np.convolve(values, np.ones(window) / window, mode="valid")


def plot_history(history, window=20, axes=None):
    """Loss curves and the means of D(x) and D(G(z)) from `GAN.train`'s history.

    Curves are moving averages over `window` steps; the D plot marks 1/2, where
    D sits when it cannot tell real from fake. Returns the two Axes.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.2))
    loss_ax, d_ax = axes
    for name in ("d_loss", "g_loss"):
        if history.get(name):
            loss_ax.plot(_smooth(history[name], window), label=name)
    loss_ax.set(xlabel="step", title="losses")
    loss_ax.legend()
    for name, label in (("d_real", "D(x)"), ("d_fake", "D(G(z))")):
        if history.get(name):
            d_ax.plot(_smooth(history[name], window), label=label)
    d_ax.axhline(0.5, color="gray", linestyle=":", linewidth=1)
    d_ax.set(xlabel="step", ylim=(0, 1), title="discriminator outputs")
    d_ax.legend()
    return axes
