"""Figures say the smallest text they draw, so that the slide tests can check it on the slide (issue 16)."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from gan_course import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _tag(png_bytes):
    return Image.open(io.BytesIO(png_bytes)).info.get(plotting.TEXT_PX_KEY)


def test_the_course_style_draws_text_at_13_points_or_more_at_100_dpi():
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([0, 1], [0, 1], label="line")
    ax.set(title="title", xlabel="x")
    ax.legend()
    assert fig.dpi == 100
    assert plotting.text_px(fig) == pytest.approx(13 * 100 / 72, abs=0.05)  # ticks, label and legend: 18.1 px


def test_text_px_is_the_smallest_text_drawn():
    fig, ax = plt.subplots(figsize=(6, 3), dpi=50)
    ax.plot([0, 1], [0, 1])
    ax.text(0.5, 0.5, "small", fontsize=6)
    ax.text(0.5, 0.2, "", fontsize=1)  # empty: draws nothing
    ax.text(0.5, 0.8, "hidden", fontsize=2, visible=False)
    assert plotting.text_px(fig) == pytest.approx(6 * 50 / 72)


def test_a_figure_without_text_says_so():
    fig, ax = plt.subplots()
    ax.imshow(np.zeros((4, 4)))
    ax.set_axis_off()
    assert plotting.text_px(fig) is None
    assert _tag(plotting.png(fig)) == "none"


def test_the_png_jupyter_shows_carries_the_tag_and_the_tight_box():
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([0, 1], [0, 1])
    ax.text(0.5, 0.5, "note", fontsize=9)
    image = Image.open(io.BytesIO(plotting.png(fig)))
    assert image.info[plotting.TEXT_PX_KEY] == f"{9 * 100 / 72:.2f}"
    assert image.size[0] < 600  # cropped to what is drawn, as matplotlib-inline does
    assert plotting.png(plt.figure()) is None  # an empty figure shows nothing


def test_ipython_shows_figures_through_the_tagging_formatter():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    plotting.show_in_notebook()
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([0, 1])
    data, _ = shell.display_formatter.format(fig)
    assert _tag(data["image/png"]) == f"{13 * 100 / 72:.2f}"


def test_animation_frames_are_tagged_with_their_smallest_text():
    import base64
    import re

    fig, ax = plt.subplots(figsize=(4, 2))

    def draw(i):
        ax.clear()
        ax.plot([0, i])
        ax.set_title(f"step {i}", fontsize=20)
        ax.tick_params(labelsize=10)

    page = plotting.animation_html(fig, draw, 3)
    frames = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)", page)
    assert len(frames) == 3
    for frame in frames:
        assert _tag(base64.b64decode(frame.replace("\\\n", ""))) == f"{10 * 100 / 72:.2f}"


def test_the_training_gif_says_it_has_no_text(tmp_path):
    snapshots = [(0, -np.ones((4, 8, 8, 1))), (100, np.ones((4, 8, 8, 1)))]
    path = plotting.save_gif(snapshots, tmp_path / "sub" / "training.gif")
    gif = Image.open(path)
    assert gif.n_frames == 2 and gif.size == (2 * 17, 2 * 17)  # 2x2 tiles of 8 px, 1 px between, doubled
    assert f"{plotting.TEXT_PX_KEY}\0none".encode() in path.read_bytes()
