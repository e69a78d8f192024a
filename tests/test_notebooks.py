"""Every notebook opens the same way: Colab badge, setup cell, slide metadata."""
import shutil
from pathlib import Path

import nbformat
import pytest

from gan_course import colab

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9]*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_starts_with_badge_and_setup_cell(path):
    cells = nbformat.read(path, as_version=4).cells
    assert colab.colab_url(path.name) in cells[0].source
    assert cells[1].cell_type == "code" and cells[1].source == colab.setup_cell()["source"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_already_stamped(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    assert colab.stamp(copy) is False, "run `python -m gan_course stamp`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_has_slide_metadata(path):
    cells = nbformat.read(path, as_version=4).cells
    missing = [i for i, c in enumerate(cells) if "slide_type" not in c.metadata.get("slideshow", {})]
    assert not missing, f"cells without slide_type: {missing}"


def test_stamp_adds_badge_and_setup_to_a_bare_notebook(tmp_path):
    path = tmp_path / "09_new.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("hello")])
    nbformat.write(notebook, path)
    assert colab.stamp(path) is True
    cells = nbformat.read(path, as_version=4).cells
    assert "09_new.ipynb" in cells[0].source and cells[1].source == colab.setup_cell()["source"]
    assert cells[2].source == "hello"
    assert colab.stamp(path) is False
