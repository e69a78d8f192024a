"""The translated editions: catalogues merged like msgmerge, notebooks built from them, nothing stale.

CI never runs notebooks/ja: its code cells and outputs are the English run's, which nbval
checks. These tests show that they are, and that every translation is there and current.
"""
import subprocess
import sys

import nbformat
import polib
import pytest

from gan_course import __main__ as cli
from gan_course import colab, translate

LESSONS = cli._lessons()


def _lesson(folder, cells):
    """A small English lesson: a badge, then `cells` (markdown text or ('code', source, output))."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.from_dict(colab.badge_cell("01_demo.ipynb", "01 · A demo"))]
    for i, cell in enumerate(cells):
        if isinstance(cell, tuple):
            code = nbformat.v4.new_code_cell(cell[1], id=f"code{i}", execution_count=i + 1)
            code.outputs = [nbformat.v4.new_output("stream", name="stdout", text=cell[2])]
            notebook.cells.append(code)
        else:
            notebook.cells.append(nbformat.v4.new_markdown_cell(cell, id=f"text{i}"))
    path = folder / "notebooks" / "01_demo.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def _run(folder, path, write=True):
    return translate.translate("ja", [path], write=write, notebooks=folder / "notebooks",
                               translations=folder / "translations")


def _translate_all(folder, path, translations):
    po_path = translate.catalogue_path("ja", path, folder / "translations")
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = translations[entry.msgctxt]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(po_path))


def _built(folder, path):
    return nbformat.read(translate.edition_path("ja", path, folder / "notebooks"), as_version=4)


JA = {"colab-badge": "01 · デモ", "text1": "生成器はノイズを画像に変えます。", "text3": "識別器は本物か偽物かを答えます。"}


def test_a_new_lesson_gets_an_empty_entry_per_text_cell_reported_missing_and_built_in_english(tmp_path):
    path = _lesson(tmp_path, [("code", "print(1)", "1\n"), "The generator turns noise into images.",
                              ("code", "print(2)", "2\n"), "The discriminator says real or fake."])
    found = _run(tmp_path, path)
    po = polib.pofile(str(translate.catalogue_path("ja", path, tmp_path / "translations")))
    assert [(e.msgctxt, e.msgstr) for e in po] == [("colab-badge", ""), ("text1", ""), ("text3", "")]
    assert po.find("text1", by="msgctxt").msgid == "The generator turns noise into images."
    assert len(found) == 3 and all("01_demo cell" in p and "missing" in p for p in found)
    built = _built(tmp_path, path)
    assert [c.source for c in built.cells[1:]] == [c.source for c in nbformat.read(path, as_version=4).cells[1:]]


def test_translations_replace_the_english_text_and_leave_code_and_outputs_alone(tmp_path):
    path = _lesson(tmp_path, [("code", "print(1)", "1\n"), "The generator turns noise into images.",
                              ("code", "print(2)", "2\n"), "The discriminator says real or fake."])
    _run(tmp_path, path)
    _translate_all(tmp_path, path, JA)
    assert _run(tmp_path, path) == []
    built, english = _built(tmp_path, path), nbformat.read(path, as_version=4)
    assert built.cells[0].source.startswith("# 01 · デモ\n")
    assert colab.colab_url("ja/01_demo.ipynb") in built.cells[0].source
    assert [built.cells[i].source for i in (2, 4)] == [JA["text1"], JA["text3"]]
    assert [built.cells[i] for i in (1, 3)] == [english.cells[i] for i in (1, 3)]
    assert _run(tmp_path, path, write=False) == []


def test_a_changed_english_cell_makes_its_translation_stale_not_silently_kept(tmp_path):
    path = _lesson(tmp_path, ["The generator turns noise into images.", "The discriminator says real or fake."])
    _run(tmp_path, path)
    _translate_all(tmp_path, path, {"colab-badge": JA["colab-badge"], "text0": JA["text1"], "text1": JA["text3"]})
    assert _run(tmp_path, path) == []
    english = nbformat.read(path, as_version=4)
    english.cells[1].source = "The generator turns noise z into images G(z)."
    nbformat.write(english, path)

    found = _run(tmp_path, path, write=False)
    assert any("01_demo cell text0" in p and "stale" in p for p in found), found
    assert any("differs" in p for p in found)  # the built notebook is out of date too

    found = _run(tmp_path, path)
    assert len(found) == 1 and "01_demo cell text0" in found[0] and "stale" in found[0]
    entry = polib.pofile(str(translate.catalogue_path("ja", path, tmp_path / "translations"))).find(
        "text0", by="msgctxt")
    assert "fuzzy" in entry.flags and entry.previous_msgid == "The generator turns noise into images."
    assert entry.msgstr == JA["text1"]  # kept as the translator's starting point...
    assert _built(tmp_path, path).cells[1].source == english.cells[1].source  # ...but not shown


def test_a_new_cell_is_missing_and_a_removed_cells_entry_becomes_obsolete(tmp_path):
    path = _lesson(tmp_path, ["The generator turns noise into images.", "The discriminator says real or fake."])
    _run(tmp_path, path)
    _translate_all(tmp_path, path, {"colab-badge": JA["colab-badge"], "text0": JA["text1"], "text1": JA["text3"]})
    english = nbformat.read(path, as_version=4)
    english.cells[2] = nbformat.v4.new_markdown_cell("A new idea.", id="new")
    nbformat.write(english, path)
    found = _run(tmp_path, path)
    assert len(found) == 1 and "01_demo cell new" in found[0] and "missing" in found[0]
    po = polib.pofile(str(translate.catalogue_path("ja", path, tmp_path / "translations")))
    assert [e.msgctxt for e in po.obsolete_entries()] == ["text1"]
    assert [e.msgctxt for e in po.untranslated_entries()] == ["new"]


def test_check_reports_a_built_notebook_that_differs_and_writes_nothing(tmp_path):
    path = _lesson(tmp_path, [("code", "print(1)", "1\n"), "The generator turns noise into images."])
    _run(tmp_path, path)
    _translate_all(tmp_path, path, {"colab-badge": JA["colab-badge"], "text1": JA["text1"]})
    _run(tmp_path, path)
    english = nbformat.read(path, as_version=4)
    english.cells[1].outputs[0].text = "2\n"  # a new English run
    nbformat.write(english, path)
    built = translate.edition_path("ja", path, tmp_path / "notebooks")
    before = built.read_text()
    found = _run(tmp_path, path, write=False)
    assert len(found) == 1 and "01_demo" in found[0] and "differs" in found[0]
    assert built.read_text() == before
    assert _run(tmp_path, path) == [] and '"2\\n"' in built.read_text()


def test_a_translation_that_drops_a_glossary_term_is_reported(tmp_path):
    path = _lesson(tmp_path, ["The generator turns noise into images.", "Two discriminators say real or fake.",
                              "`discriminator.summary()` prints D.",  # a name in code is not prose,
                              "Goodfellow 2016, *Generative Adversarial Networks*: a tutorial."])  # nor a title
    _run(tmp_path, path)
    _translate_all(tmp_path, path, {"colab-badge": JA["colab-badge"], "text0": JA["text1"],
                                    "text1": "二つのネットワークが本物か偽物かを答えます。",
                                    "text2": "`discriminator.summary()`がDを表示します。",
                                    "text3": "Goodfellow 2016, *Generative Adversarial Networks*：チュートリアル。"})
    found = _run(tmp_path, path)
    assert len(found) == 1 and "01_demo cell text1" in found[0] and "識別器" in found[0], found


def test_glossary_pairs_come_from_the_readme_table():
    pairs = translate.glossary()
    assert ("generator", "生成器") in pairs and ("discriminator", "識別器") in pairs
    assert ("value function", "価値関数") in pairs and ("non-saturating loss", "飽和しない損失") in pairs
    assert all(english and japanese and "(" not in english + japanese for english, japanese in pairs)


@pytest.mark.parametrize("term, text, found", [
    ("generator", "Two generators and a discriminator.", True),
    ("generator", "the generator_loss function", False),
    ("auto-encoder", "An autoencoder learns to copy.", True),
    ("reparameterisation trick", "the reparameterization trick", True),
    ("batch normalization", "batch normalisation in D", True),
    ("saturating loss", "the non-saturating loss", False),
    ("label", "labelled digits", False),
    ("conditional GAN", "a conditional-GAN step", True),
    ("conditional GAN", "the class ConditionalGAN", False),
])
def test_glossary_terms_match_running_english(term, text, found):
    assert bool(translate._english_pattern(term).search(text)) is found


def test_the_japanese_edition_is_complete_current_and_built():
    found = translate.translate("ja", LESSONS, write=False)
    assert found == [], "\n".join(found[:20]) + "\nrun: python -m gan_course translate ja"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_japanese_lessons_run_the_english_code_with_its_outputs(lesson):
    english = nbformat.read(lesson, as_version=4)
    japanese = nbformat.read(translate.edition_path("ja", lesson), as_version=4)
    assert [(c.cell_type, c.get("id")) for c in japanese.cells] == [(c.cell_type, c.get("id")) for c in english.cells]
    for en, ja in zip(english.cells, japanese.cells):
        if en.cell_type == "code":
            assert ja == en  # source byte for byte, outputs, metadata
        else:
            assert ja.metadata == en.metadata
    assert japanese.metadata["gan_course"] == {"language": "ja", "translated_from": f"../{lesson.name}"}


def test_nbval_does_not_run_the_japanese_notebooks():
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", str(cli.NOTEBOOKS)],
                            capture_output=True, text=True, cwd=cli.NOTEBOOKS.parent)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "01_value_function.ipynb" in result.stdout and "/ja/" not in result.stdout


def test_translate_an_unknown_language_is_a_one_line_error():
    result = subprocess.run([sys.executable, "-m", "gan_course", "translate", "xx", "--check"],
                            capture_output=True, text=True)
    assert result.returncode != 0 and result.stderr.strip().startswith("translate:")
    assert len(result.stderr.strip().splitlines()) == 1 and "ja" in result.stderr
