"""Pictures the lessons share: image grids and training curves, in type that reads on a slide.

A figure is shown 1:1 in a notebook up to the width of its output area and scaled down to fit
the 960x700 slide in a deck (plots at most about 900 px wide and 620 px tall there), so its text
on a slide is its size in points x dpi / 72 x that scale. `STYLE` (applied on import) sets 100 dpi
and type of 13 points or more, 18 px at full size, which stays at or above `SLIDE_TEXT_PX` = 16 px
for figures up to 10 inches wide; a wider or taller figure needs larger type. In Jupyter,
`show_in_notebook` (run by `import gan_course`) makes every figure's PNG say the smallest text
drawn in it, in pixels, so that the slide tests can check it (`text_px`).
"""
import io
import math
import tempfile
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg

from gan_course.theory import optimal_discriminator

SLIDE_TEXT_PX = 16  # the least plot text on a 960x700 slide (issue 16), like body text 32 px and code 24 px
TEXT_PX_KEY = "gan-course text px"  # a PNG text chunk: the smallest text drawn, px at the PNG's size
STYLE = {"figure.dpi": 100, "savefig.dpi": "figure", "font.size": 13, "axes.titlesize": 14,
         "axes.labelsize": 13, "xtick.labelsize": 13, "ytick.labelsize": 13, "legend.fontsize": 13,
         "figure.titlesize": 15}
matplotlib.rcParams.update(STYLE)


def text_px(fig):
    """The smallest text drawn in `fig`, in pixels of its PNG at its dpi (None if it draws no text).

    Counts what is drawn, not what exists: tick labels outside the view and empty or
    invisible texts do not count; math counts at its text's size.
    """
    sizes, draw_text = [], RendererAgg.draw_text

    def recording(renderer, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if s.strip():
            sizes.append(prop.get_size_in_points() * renderer.dpi / 72)
        return draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext)

    RendererAgg.draw_text = recording
    try:
        fig.canvas.print_figure(io.BytesIO(), format="png", bbox_inches="tight")
    finally:
        RendererAgg.draw_text = draw_text
    return min(sizes) if sizes else None


def text_px_tag(fig):
    """{TEXT_PX_KEY: the smallest text in px, or "none"}: PNG metadata for `savefig(metadata=...)`."""
    px = text_px(fig)
    return {TEXT_PX_KEY: "none" if px is None else f"{px:.2f}"}


def png(fig):
    """The PNG Jupyter shows for `fig` (tight bounding box, as matplotlib-inline draws it), tagged with
    its smallest text (`text_px_tag`); None for a figure with nothing in it."""
    if not fig.axes and not fig.lines:
        return None
    buffer = io.BytesIO()
    fig.canvas.print_figure(buffer, format="png", bbox_inches="tight", metadata=text_px_tag(fig))
    return buffer.getvalue()


def animation_html(fig, draw, frames, interval=600):
    """`fig` animated as HTML with play controls (matplotlib's `to_jshtml`): draw(i) draws frame i,
    for i in range(frames), every `interval` ms. Each frame's PNG is tagged with frame 0's smallest text."""
    from matplotlib.animation import FuncAnimation, HTMLWriter

    draw(0)
    tag = text_px_tag(fig)
    animation = FuncAnimation(fig, draw, frames=frames, interval=interval)
    writer = HTMLWriter(fps=1000 / interval, embed_frames=True, default_mode="loop")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "animation.html"
        animation.save(page, writer=writer, savefig_kwargs={"metadata": tag})
        return page.read_text()


def save_gif(snapshots, path, scale=2):
    """One frame per (step, images) snapshot, images in [-1, 1] tiled as `tile` does -> a looping GIF at
    `path` (each pixel `scale` x `scale`), saying in its comment that it has no text; returns the path."""
    from PIL import Image

    frames = []
    for _, images in snapshots:
        pixels = np.uint8(np.clip(tile(images)[..., 0] * 255, 0, 255))  # white between the images
        size = (pixels.shape[1] * scale, pixels.shape[0] * scale)
        frames.append(Image.fromarray(pixels).resize(size, Image.NEAREST))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=300, loop=0,
                   comment=f"{TEXT_PX_KEY}\0none".encode())
    return path


def show_in_notebook():
    """In IPython, show figures as `png` makes them (the course's style is set on import); else nothing."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    if "inline" in (matplotlib.get_backend(auto_select=False) or ""):
        import matplotlib_inline.backend_inline  # noqa: F401  registers its own formatter first, once
    shell.display_formatter.formatters["image/png"].for_type(matplotlib.figure.Figure, png)


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


def moving_average(values, window):
    """(steps, moving averages over `window` values), each average placed at its window's last step."""
    values = np.asarray(values, dtype="float64")
    steps = np.arange(1, len(values) + 1)
    if window <= 1 or len(values) < window:
        return steps, values
    return steps[window - 1:], np.convolve(values, np.ones(window) / window, mode="valid")


def plot_history(history, window=20, axes=None):
    """Loss curves, and D's means or a critic's Wasserstein estimate, from a training history.

    history: `GAN.train`'s dict of per-step lists. The right panel shows the means
    of D(x) and D(G(z)) (with the 1/2 line, where D cannot tell real from fake),
    or, for a WGAN, the critic's estimate E f(x) - E f(G(z)). Curves are moving
    averages over `window` steps. Returns the two Axes.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.2))
    loss_ax, d_ax = axes
    for name in ("d_loss", "g_loss"):
        if history.get(name):
            loss_ax.plot(*moving_average(history[name], window), label=name)
    loss_ax.set(xlabel="step", title="losses")
    loss_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2)  # below, off the data
    if history.get("wasserstein"):
        d_ax.plot(*moving_average(history["wasserstein"], window), label="E f(x) - E f(G(z))")
        d_ax.set(xlabel="step", title="critic's Wasserstein estimate")
    else:
        for name, label in (("d_real", "D(x)"), ("d_fake", "D(G(z))")):
            if history.get(name):
                d_ax.plot(*moving_average(history[name], window), label=label)
        d_ax.axhline(0.5, color="gray", linestyle=":", linewidth=1)
        d_ax.set(xlabel="step", ylim=(0, 1), title="discriminator outputs")
    d_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2)
    for ax in axes:
        ax.locator_params(axis="x", nbins=5)  # step numbers like 16000 run together in narrow panels
    return axes


def transport_plan(plan, p, q, positions=None, title=None):
    """Heat map of a transport plan (K, K) with its marginals p (rows) and q (columns) as bars.

    plan[i, j] is the mass moved from bin i of p to bin j of q (see theory.earth_mover).
    Returns the figure.
    """
    plan = np.asarray(plan, "float64")
    k = len(plan)
    labels = np.arange(k) if positions is None else np.asarray(positions)
    fig = plt.figure(figsize=(5, 5))
    grid = fig.add_gridspec(2, 2, width_ratios=(4, 1), height_ratios=(1, 4), wspace=0.05, hspace=0.05)
    heat = fig.add_subplot(grid[1, 0])
    heat.imshow(plan, cmap="Blues", vmin=0)
    for (i, j), mass in np.ndenumerate(plan):
        if mass > 1e-9:
            heat.text(j, i, f"{mass:.2f}", ha="center", va="center", fontsize=12,
                      color="white" if mass > 0.6 * plan.max() else "black")  # legible on dark cells
    heat.set(xticks=range(k), yticks=range(k), xticklabels=labels, yticklabels=labels,
             xlabel="to bin of q", ylabel="from bin of p")
    top = fig.add_subplot(grid[0, 0], sharex=heat)
    top.bar(range(k), q, color="tab:orange")
    top.set_ylabel("q")
    top.tick_params(labelbottom=False)
    side = fig.add_subplot(grid[1, 1], sharey=heat)
    side.barh(range(k), p, color="tab:blue")
    side.set_xlabel("p")
    side.tick_params(labelleft=False)
    if title:
        top.set_title(title)
    return fig


def plot_1d_gan(ax, grid, p_data, generated, d_values, title=None):
    """One frame of Goodfellow et al. (2014), Figure 1, on `ax`.

    grid (K,): x positions; p_data (K,): the data density there; generated (N,) or
    (N, 1): samples of G, whose density is estimated with a Gaussian KDE; d_values
    (K,): D(x) on the grid. Draws p_data, p_g, D(x), and D* = p_data / (p_data + p_g)
    from the estimated p_g. Returns p_g on the grid.
    """
    from scipy.stats import gaussian_kde

    generated = np.asarray(generated, "float64").ravel()
    p_g = gaussian_kde(generated)(grid) if np.std(generated) > 0 else np.zeros_like(grid)
    ax.plot(grid, p_data, color="black", linestyle=":", label="p_data")
    ax.plot(grid, p_g, color="tab:green", label="p_g (KDE of G(z))")
    ax.plot(grid, d_values, color="tab:blue", label="D(x)")
    d_star = optimal_discriminator(p_data, p_g)
    d_star[(p_data + p_g) < 0.01 * np.max(p_data + p_g)] = np.nan  # too little mass to estimate a ratio
    ax.plot(grid, d_star, color="tab:blue", linestyle="--", alpha=0.5, label="D* from p_g")
    ax.axhline(0.5, color="gray", linewidth=0.5)
    ax.set(ylim=(0, max(1.05, 1.1 * float(np.max(p_data)))), xlabel="x")
    if title:
        ax.set_title(title)
    return p_g


def plot_2d_gan(ax, real, generated, model=None, lim=5.0, title=None):
    """2-D toy data: real samples (grey), G's samples (blue) and, if given, the
    contours of D or a critic (any Keras model (n, 2) -> (n, 1)) over [-lim, lim]^2."""
    if model is not None:
        ticks = np.linspace(-lim, lim, 101)
        xx, yy = np.meshgrid(ticks, ticks)
        scores = model.predict_on_batch(np.stack([xx.ravel(), yy.ravel()], 1).astype("float32"))
        filled = ax.contourf(xx, yy, np.asarray(scores).reshape(xx.shape), levels=20, cmap="RdBu_r", alpha=0.5)
        colorbar = plt.colorbar(filled, ax=ax, fraction=0.046, pad=0.04)
        colorbar.locator = plt.MaxNLocator(4)  # few ticks: they stay apart in a small panel
        colorbar.formatter = plt.ScalarFormatter()
        colorbar.formatter.set_powerlimits((-2, 3))  # a critic's tiny scores as short numbers x 1e-3
        colorbar.update_ticks()
    ax.scatter(*np.asarray(real).T, s=1, color="0.4", label="data")
    ax.scatter(*np.asarray(generated).T, s=1, color="tab:blue", label="G")
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", title=title)
    return ax
