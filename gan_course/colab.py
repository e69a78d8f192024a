"""The Colab badge and setup cell every notebook starts with, stamped from one place.

`python -m gan_course stamp` rewrites the first two cells of every notebook in
notebooks/ from `badge_cell` and `setup_cell`, so the links never drift.

The repository they point at is the one setting `REPO` below. A fork runs
`python -m gan_course stamp --repo OWNER/NAME`, which rewrites that line of
this file and every notebook, so `stamp --check` and the tests read back what
was stamped. It lives here, not in pyproject.toml, because this file is what
`stamp` imports, from a checkout or an installed package alike, and Python 3.10
has no TOML reader.
"""
import re
from pathlib import Path

from gan_course import __version__

REPO = "gan-course/gan-course"  # GitHub OWNER/NAME; `stamp --repo OWNER/NAME` rewrites this line

SETTING_FILE = Path(__file__)  # the file whose REPO line `set_repo` rewrites
SETUP_TAG = "gan-course-setup"
BADGE_TAG = "gan-course-badge"
_REPO_PATTERN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_SETTING_LINE = re.compile(r'^REPO = "[^"\n]*"', re.MULTILINE)


def check_repo(repo):
    """Return `repo` if it is a GitHub OWNER/NAME; ValueError naming it otherwise."""
    if not isinstance(repo, str) or not _REPO_PATTERN.fullmatch(repo) or repo.split("/")[1] in (".", ".."):
        raise ValueError(f"--repo must be OWNER/NAME as on GitHub (e.g. {REPO}), got {repo!r}")
    return repo


def install_ref():
    """The git tag the setup cell installs: v<gan_course.__version__>, e.g. v0.1.0.

    A notebook stamped at version 0.1.0 keeps installing the package of tag
    v0.1.0 after the repository moves on, so the tag must exist on GitHub.
    """
    return f"v{__version__}"


def colab_url(notebook_name, repo=None):
    """The Colab address that opens notebooks/<notebook_name> from `repo` (default REPO).

    `notebook_name` may name a subfolder: `ja/05_dcgan.ipynb` for the Japanese edition.
    """
    return f"https://colab.research.google.com/github/{repo or REPO}/blob/main/notebooks/{notebook_name}"


def badge_cell(notebook_name, title, repo=None):
    """A markdown cell: the lesson's title and an 'Open in Colab' badge."""
    badge = f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(notebook_name, repo)})"
    return {"cell_type": "markdown", "id": "colab-badge", "metadata": {"slideshow": {"slide_type": "slide"}, "tags": [BADGE_TAG]},
            "source": f"# {title}\n\n{badge}"}


def badge_title(cell):
    """The lesson's title from a badge cell: its first line without the heading's '#'."""
    return cell.source.splitlines()[0].lstrip("# ").strip()


def setup_cell(repo=None):
    """A code cell that installs gan_course on Colab, pinned to `install_ref()`, and does nothing elsewhere.

    `%pip` is IPython syntax: Jupyter, nbval and nbconvert turn it into a
    `get_ipython()` call, which only runs under the `if`, so elsewhere the cell
    runs and prints nothing.
    """
    requirement = f"gan-course @ git+https://github.com/{repo or REPO}@{install_ref()}"
    source = (
        "# Setup: on Colab, install the helper package at this notebook's version; elsewhere this does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install -q "{requirement}"'
    )
    return {"cell_type": "code", "id": "colab-setup", "execution_count": None, "metadata": {"slideshow": {"slide_type": "skip"},
            "tags": [SETUP_TAG]}, "outputs": [], "source": source}


def set_repo(repo):
    """Make `repo` (OWNER/NAME) the setting: rewrite REPO's line in SETTING_FILE and the running module.

    Returns True if the file changed. ValueError, writing nothing, if `repo` is not OWNER/NAME.
    """
    global REPO
    check_repo(repo)
    text = SETTING_FILE.read_text()
    new_text, count = _SETTING_LINE.subn(f'REPO = "{repo}"', text, count=1)
    if count != 1:
        raise RuntimeError(f"no line 'REPO = \"...\"' in {SETTING_FILE} to rewrite")
    REPO = repo
    if new_text == text:
        return False
    SETTING_FILE.write_text(new_text)
    return True


def stamp(path, write=True, repo=None):
    """Make the first two cells of the notebook at `path` the badge and the setup cell for `repo` (default REPO).

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
        title = badge_title(cells[0])
        cells.pop(0)
    old_setup = cells.pop(0) if cells and SETUP_TAG in cells[0].get("metadata", {}).get("tags", []) else None
    setup = nbformat.from_dict(setup_cell(repo))
    if old_setup is not None and old_setup.source == setup.source:
        setup = old_setup  # keep its stored execution count and outputs
    notebook.cells = [nbformat.from_dict(badge_cell(path.name, title, repo)), setup] + cells
    text = nbformat.writes(notebook) + "\n"
    if text == original:
        return False
    if write:
        path.write_text(text)
    return True
