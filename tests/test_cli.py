"""python -m gan_course: names it accepts, one-line errors, and stamp --check."""
import shutil
import subprocess
import sys

import pytest

from gan_course import __main__ as cli
from gan_course import colab


def test_short_names_folders_and_paths_name_the_same_notebooks():
    by_path = cli._notebooks([str(cli.NOTEBOOKS / "03_divergences.ipynb")])
    assert cli._notebooks(["03"]) == cli._notebooks(["03_divergences"]) == by_path
    assert cli._notebooks([str(cli.NOTEBOOKS)]) == cli._notebooks([]) == cli._lessons()


def test_an_unknown_name_is_one_line_listing_the_valid_ones():
    with pytest.raises(SystemExit) as error:
        cli._notebooks(["99_nothing"])
    message = str(error.value)
    assert "\n" not in message and "99_nothing" in message and "03_divergences" in message


def test_stamp_check_reports_drift_without_writing(tmp_path, capsys):
    path = tmp_path / "03_divergences.ipynb"
    shutil.copy(cli.NOTEBOOKS / "03_divergences.ipynb", path)
    assert cli.main(["stamp", "--check", str(path)]) == 0
    text = path.read_text().replace(colab.colab_url(path.name), "https://example.invalid/old")
    path.write_text(text)
    assert cli.main(["stamp", "--check", str(path)]) == 1
    assert path.read_text() == text and "drifted" in capsys.readouterr().out
    assert cli.main(["stamp", str(path)]) == 0 and colab.colab_url(path.name) in path.read_text()


def test_slides_help_says_where_decks_go_and_that_npm_is_needed():
    result = subprocess.run([sys.executable, "-m", "gan_course", "slides", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "npm" in result.stdout and "build/slides" in result.stdout.replace("\n", "")


def test_slides_into_an_unwritable_folder_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run([sys.executable, "-m", "gan_course", "slides", "01", "--output", str(blocker / "decks")],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip().startswith("slides:") and len(result.stderr.strip().splitlines()) == 1
