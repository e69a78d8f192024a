"""Offline slide export: every asset local, MathJax renders, one slide per slide cell."""
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from gan_course import slides

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_value_function.ipynb"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_npm = pytest.mark.skipif(shutil.which("npm") is None and not slides.asset_cache().exists(),
                               reason="npm is needed once to fetch reveal.js and MathJax")


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    return slides.export([NOTEBOOK], tmp_path_factory.mktemp("slides"))[0]


def _script_and_style_urls(html):
    return re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html) + re.findall(r"import \w+ from '([^']+)'", html)


@needs_npm
def test_deck_loads_nothing_from_the_network(deck):
    urls = _script_and_style_urls(deck.read_text())
    assert urls and not [u for u in urls if u.startswith(("http:", "https:", "//"))]
    for url in urls:
        assert (deck.parent / url.split("?")[0]).exists(), url


@needs_npm
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it when it can)")
def test_chromium_renders_the_math_and_counts_the_slides(deck, tmp_path):
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=30000", "--window-size=1280,800"]
    formula_slide = deck.as_uri() + "#/1"  # "The value function", a display formula
    shot = tmp_path / "slide.png"
    subprocess.run(flags + [f"--screenshot={shot}", formula_slide], capture_output=True, timeout=180)
    assert shot.exists() and shot.stat().st_size > 10_000
    dom = subprocess.run(flags + ["--dump-dom", formula_slide], capture_output=True, text=True, timeout=180).stdout
    formulas = len(re.findall(r'<script type="math/tex', dom))
    rendered = len(re.findall(r'id="MathJax-Element-\d+-Frame"', dom))
    assert formulas > 20 and rendered == formulas  # MathJax typeset every formula of the deck
    inline_slide = deck.as_uri() + "#/2"  # "Each player's wish", inline formulas
    dom_inline = subprocess.run(flags + ["--dump-dom", inline_slide], capture_output=True, text=True, timeout=180).stdout
    frames = len(re.findall(r'id="MathJax-Element-\d+-Frame"', dom_inline))
    drawn = len(re.findall(r'class="mjx-math"', dom_inline))  # the visible rendering, once per formula
    assert frames > 20 and drawn == frames, f"{drawn} renderings of {frames} formulas: some are drawn twice"
    visible = re.sub(r"<script.*?</script>", "", dom, flags=re.S)
    assert "$$" not in visible and "\\min_G" not in visible  # no raw TeX left on the page
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    expected = sum(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in cells)
    slides_div = visible[visible.index('class="slides"'):]
    top_level, depth = 0, 0
    for tag in re.findall(r"</?section\b", slides_div):
        if tag == "<section":
            top_level += depth == 0
            depth += 1
        else:
            depth -= 1
    assert top_level == expected


@needs_npm
def test_deck_does_not_rerender_math_on_slide_change(deck):
    """nbconvert's template calls MathJax.Hub.Rerender on every slide change, and MathJax 2's
    CommonHTML output then shows each formula of the slide twice (seen in headless Chromium
    screenshots: "D(x) -> 1 D(x) -> 1"). The math is typeset once at load; export drops the call."""
    assert "MathJax.Hub.Rerender(" not in deck.read_text()
