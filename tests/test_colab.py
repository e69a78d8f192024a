"""The Colab badge and setup cell: one repository setting, a pinned install, Colab only."""
import importlib.util
import shutil
import sys

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

import gan_course
from gan_course import __main__ as cli
from gan_course import colab

FORK = "someone/their-gan-course"


@pytest.fixture
def setting_copy(tmp_path, monkeypatch):
    """A copy of colab.py for `stamp --repo` to rewrite; the module's REPO is restored afterwards."""
    copy = tmp_path / "colab.py"
    shutil.copy(colab.SETTING_FILE, copy)
    monkeypatch.setattr(colab, "SETTING_FILE", copy)
    monkeypatch.setattr(colab, "REPO", colab.REPO)
    return copy


def test_stamp_repo_changes_every_badge_and_setup_cell_and_check_then_reports_clean(tmp_path, setting_copy):
    lessons = tmp_path / "notebooks"
    lessons.mkdir()
    for path in cli._lessons():
        shutil.copy(path, lessons / path.name)
    assert cli.main(["stamp", "--repo", FORK, str(lessons)]) == 0
    for path in sorted(lessons.glob("*.ipynb")):
        badge, setup = nbformat.read(path, as_version=4).cells[:2]
        assert f"colab.research.google.com/github/{FORK}/blob/main/notebooks/{path.name}" in badge.source, path.name
        assert f"git+https://github.com/{FORK}@" in setup.source, path.name
        assert "gan-course/gan-course" not in badge.source + setup.source, path.name
    spec = importlib.util.spec_from_file_location("stamped_colab", setting_copy)
    stamped = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stamped)
    assert stamped.REPO == FORK  # kept for the next run, not only in this process
    assert cli.main(["stamp", "--check", str(lessons)]) == 0


def test_setup_cell_pins_the_install_to_this_version_tag():
    source = colab.setup_cell()["source"]
    expected = f'%pip install -q "gan-course @ git+https://github.com/{colab.REPO}@v{gan_course.__version__}"'
    assert expected in source


def test_setup_cell_runs_pip_on_colab_and_nothing_elsewhere(monkeypatch, capsys):
    code = TransformerManager().transform_cell(colab.setup_cell()["source"])  # as Jupyter and nbval run it
    magics = []

    class Shell:
        def run_line_magic(self, name, line):
            magics.append((name, line))

    monkeypatch.setattr("subprocess.run", lambda *args, **kwargs: magics.append(("subprocess", args)))
    exec(code, {"get_ipython": Shell})
    assert magics == [] and capsys.readouterr().out == ""
    monkeypatch.setitem(sys.modules, "google.colab", object())
    exec(code, {"get_ipython": Shell})
    assert magics == [("pip", f'install -q "gan-course @ git+https://github.com/{colab.REPO}@{colab.install_ref()}"')]


@pytest.mark.parametrize("bad", ["gan-course", "a/b/c", "https://github.com/a/b", "owner/na me", ""])
def test_a_repo_not_owner_slash_name_is_a_one_line_error_that_writes_nothing(bad, tmp_path, setting_copy):
    path = tmp_path / "03_divergences.ipynb"
    shutil.copy(cli.NOTEBOOKS / path.name, path)
    before = setting_copy.read_text(), path.read_text()
    with pytest.raises(SystemExit) as error:
        cli.main(["stamp", "--repo", bad, str(path)])
    message = str(error.value)
    assert message.startswith("stamp: ") and "\n" not in message and "OWNER/NAME" in message and repr(bad) in message
    assert (setting_copy.read_text(), path.read_text()) == before


def test_stamp_repo_with_check_only_reports_and_writes_nothing(tmp_path, setting_copy):
    path = tmp_path / "03_divergences.ipynb"
    shutil.copy(cli.NOTEBOOKS / path.name, path)
    before = setting_copy.read_text(), path.read_text()
    assert cli.main(["stamp", "--check", "--repo", FORK, str(path)]) == 1
    assert (setting_copy.read_text(), path.read_text()) == before and colab.REPO != FORK
