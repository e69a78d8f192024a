"""The Colab badge and setup cell every notebook starts with, stamped from one place.

`python -m gan_course stamp` rewrites the first two cells of every notebook in
notebooks/ from `badge_cell` and `setup_cell`, so the links never drift.
"""
from pathlib import Path

from gan_course.config import REPO_URL

SETUP_TAG = "gan-course-setup"
BADGE_TAG = "gan-course-badge"


def colab_url(notebook_name):
    """The Colab address that opens notebooks/<notebook_name> from the repository."""
    return f"https://colab.research.google.com/github/{REPO_URL.split('github.com/')[1]}/blob/main/notebooks/{notebook_name}"


def badge_cell(notebook_name, title):
    """A markdown cell: the lesson's title and an 'Open in Colab' badge."""
    badge = f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(notebook_name)})"
    return {"cell_type": "markdown", "id": "colab-badge", "metadata": {"slideshow": {"slide_type": "slide"}, "tags": [BADGE_TAG]},
            "source": f"# {title}\n\n{badge}"}


def setup_cell():
    """A code cell that installs gan_course on Colab and does nothing elsewhere."""
    source = (
        "# Setup: on Colab, install the course's helper package; elsewhere this does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n"
        "\n"
        f'    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+{REPO_URL}"], check=True)'
    )
    return {"cell_type": "code", "id": "colab-setup", "execution_count": None, "metadata": {"slideshow": {"slide_type": "skip"},
            "tags": [SETUP_TAG]}, "outputs": [], "source": source}


def stamp(path, write=True):
    """Make the first two cells of the notebook at `path` the badge and the setup cell.

    The title is kept from an existing badge cell (its first line). Returns True
    if the file changed (with write=False: would change, and it is left alone).
    Written with nbformat, so the file keeps Jupyter's layout.
    """
    import nbformat

    path = Path(path)
    original = path.read_text()
    notebook = nbformat.reads(original, as_version=4)
    cells = notebook.cells
    title = path.stem
    if cells and BADGE_TAG in cells[0].get("metadata", {}).get("tags", []):
        title = cells[0].source.splitlines()[0].lstrip("# ").strip()
        cells.pop(0)
    old_setup = cells.pop(0) if cells and SETUP_TAG in cells[0].get("metadata", {}).get("tags", []) else None
    setup = nbformat.from_dict(setup_cell())
    if old_setup is not None and old_setup.source == setup.source:
        setup = old_setup  # keep its stored execution count and outputs
    notebook.cells = [nbformat.from_dict(badge_cell(path.name, title)), setup] + cells
    text = nbformat.writes(notebook) + "\n"
    if text == original:
        return False
    if write:
        path.write_text(text)
    return True
