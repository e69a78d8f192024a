"""Translated editions of the lessons, built from gettext catalogues so they never drift.

`translations/<lang>/<lesson>.po` holds one entry per markdown cell (text and speaker
notes) of `notebooks/<lesson>.ipynb`: `msgctxt` is the cell's id, `msgid` its English
source, `msgstr` the translation. The Colab badge cell's entry is its title only. Any
gettext tool (Poedit, Lokalize, a text editor) reads and writes these files.

`python -m gan_course translate ja` does what `msgmerge` and a build step would:

1. merge: each English notebook into its catalogue. A new cell gets an empty entry; a
   cell whose English changed gets the new `msgid`, keeps its old translation as a hint
   and is flagged `fuzzy` (stale), with the old English kept as `#| msgid`; an entry
   whose cell is gone becomes obsolete (`#~`).
2. build: `notebooks/<lang>/<lesson>.ipynb` is the English notebook with each markdown
   cell's source replaced by its translation. Code cells, outputs and metadata are the
   English run's, untouched; the badge opens the translated file in Colab.

A cell whose translation is missing or stale keeps its English text in the built
notebook, never an old translation, and is reported. `--check` writes nothing and lists
every missing or stale translation and every built notebook that differs from what the
command would build.
"""
import copy
import re
from pathlib import Path

from gan_course import colab

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TRANSLATIONS = ROOT / "translations"
BADGE_ID = "colab-badge"  # colab.badge_cell's id; its entry is the lesson's title


def catalogue_path(lang, lesson, translations=TRANSLATIONS):
    """translations/<lang>/<lesson stem>.po"""
    return Path(translations) / lang / f"{Path(lesson).stem}.po"


def edition_path(lang, lesson, notebooks=NOTEBOOKS):
    """notebooks/<lang>/<lesson name>: where the translated notebook is built."""
    return Path(notebooks) / lang / Path(lesson).name


def units(notebook):
    """(cell id, English text, slide type) for every cell a translator translates, in order."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or not cell.source.strip():
            continue
        slide_type = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")
        text = colab.badge_title(cell) if cell.get("id") == BADGE_ID else cell.source
        found.append((cell["id"], text, slide_type))
    return found


def _read_notebook(path):
    import nbformat

    return nbformat.read(str(path), as_version=4)


def _empty_catalogue(lang, lesson):
    import polib

    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "gan-course",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Notebook": f"notebooks/{Path(lesson).name}",
    }
    return po


def merge(notebook, po, lesson):
    """Bring catalogue `po` up to date with the English `notebook`, as msgmerge would (see module doc).

    Returns the merged catalogue: entries in the notebook's order, then obsolete ones.
    """
    import polib

    old = {entry.msgctxt: entry for entry in po if not entry.obsolete}
    merged = polib.POFile(wrapwidth=0)
    merged.metadata = dict(po.metadata)
    for index, (cell_id, text, slide_type) in enumerate(units(notebook)):
        entry = old.pop(cell_id, None)
        if entry is None:
            entry = polib.POEntry(msgctxt=cell_id, msgid=text, msgstr="")
        elif entry.msgid != text:
            entry.previous_msgid = entry.msgid
            entry.msgid = text
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
        entry.comment = f"{'title' if cell_id == BADGE_ID else slide_type} cell"
        entry.occurrences = [(Path(lesson).name, str(index))]
        merged.append(entry)
    for entry in po:
        if entry.obsolete:
            merged.append(entry)
    for entry in old.values():  # cells the English lesson no longer has
        entry.obsolete = True
        merged.append(entry)
    return merged


def _is_current(entry, english):
    """Whether `entry` holds a translation of exactly this English text (not missing, not fuzzy)."""
    return bool(entry.msgstr.strip()) and "fuzzy" not in entry.flags and entry.msgid == english


def problems(notebook, po, lesson):
    """'<lesson> cell <id>: missing|stale ...' for each cell without a current translation."""
    entries = {entry.msgctxt: entry for entry in po if not entry.obsolete}
    found = []
    for cell_id, text, _ in units(notebook):
        entry = entries.get(cell_id)
        first_line = text.splitlines()[0][:60]
        if entry is None or not entry.msgstr.strip():
            found.append(f"{Path(lesson).stem} cell {cell_id}: translation missing ({first_line!r})")
        elif not _is_current(entry, text):
            found.append(f"{Path(lesson).stem} cell {cell_id}: translation stale, the English changed "
                         f"({first_line!r})")
    return found


def build(notebook, po, lang, lesson):
    """The translated notebook's text: `notebook` with each current translation in place of its cell's English."""
    import nbformat

    english = {cell_id: text for cell_id, text, _ in units(notebook)}
    entries = {entry.msgctxt: entry for entry in po if not entry.obsolete}
    edition = copy.deepcopy(notebook)
    for cell in edition.cells:
        cell_id = cell.get("id")
        entry = entries.get(cell_id)
        if cell_id not in english or entry is None or not _is_current(entry, english[cell_id]):
            continue  # not a text cell, or its translation is missing or stale: the English stays
        if cell_id == BADGE_ID:
            cell.source = colab.badge_cell(f"{lang}/{Path(lesson).name}", entry.msgstr)["source"]
        else:
            cell.source = entry.msgstr
    edition.metadata["gan_course"] = {"language": lang, "translated_from": f"../{Path(lesson).name}"}
    return nbformat.writes(edition) + "\n"


def translate(lang, lessons, write=True, notebooks=NOTEBOOKS, translations=TRANSLATIONS):
    """Merge and build (write=True), or only check (write=False), the `lang` edition of `lessons`.

    Returns the list of problems: missing or stale translations, translations that drop a
    glossary term their English uses, and, when checking, built notebooks that differ from
    what would be built. An empty list means the edition is complete.
    """
    import polib

    found = []
    pairs = glossary()
    for lesson in lessons:
        lesson = Path(lesson)
        notebook = _read_notebook(lesson)
        path = catalogue_path(lang, lesson, translations)
        po = polib.pofile(str(path), wrapwidth=0) if path.exists() else _empty_catalogue(lang, lesson)
        merged = merge(notebook, po, lesson)
        found += problems(notebook, merged, lesson) + glossary_problems(notebook, merged, lesson, pairs)
        text = build(notebook, merged, lang, lesson)
        target = edition_path(lang, lesson, notebooks)
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            merged.save(str(path))
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.read_text() != text:
                target.write_text(text)
        elif not target.exists() or target.read_text() != text:
            found.append(f"{lesson.stem}: {target.relative_to(Path(notebooks).parent)} differs from what "
                         f"`python -m gan_course translate {lang}` builds; run it")
    if not write:
        for extra in sorted((Path(notebooks) / lang).glob("[0-9]*.ipynb")):
            if not (Path(notebooks) / extra.name).exists():
                found.append(f"{extra.stem}: {extra} has no English lesson to be built from")
    return found


def languages(translations=TRANSLATIONS):
    """The language codes with a catalogue folder, e.g. ['ja']."""
    return sorted(p.name for p in Path(translations).iterdir() if p.is_dir()) if Path(translations).is_dir() else []


# --- The glossary: the README's table, one term per comma-separated entry -------------------

def glossary(readme=ROOT / "README.md"):
    """(English term, Japanese term) pairs from the README's glossary table.

    A row's English and Japanese cells hold the same number of comma-separated terms, paired
    in order; what stands in brackets is a gloss (`生成器 (Generator)` -> 生成器) and a
    trailing symbol is notation (`generator G` -> generator).
    """
    text = Path(readme).read_text()
    table = text.split("## Glossary", 1)[1].split("\n## ", 1)[0]
    pairs = []
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) < 2 or cells[0] in ("English", "") or set(cells[0]) <= set("-: "):
            continue
        english, japanese = (re.sub(r"\s*\([^)]*\)", "", c).split(", ") for c in cells[:2])
        english = [re.sub(r"\s+(?:[A-Z]\*?|[a-z](?:_[a-z])?)$", "", t.strip()) for t in english]
        japanese = [t.strip() for t in japanese]
        if len(english) != len(japanese):
            raise ValueError(f"glossary row {row!r}: {len(english)} English terms, {len(japanese)} Japanese")
        pairs += [(e, j) for e, j in zip(english, japanese)]
    return pairs


def _english_pattern(term):
    """A regex for `term` in running English: any case, plural, -ise/-ize, hyphen or space."""
    words = [r"[-\s]?".join(map(re.escape, word.split("-"))) for word in term.split()]  # auto-?encoder
    pattern = r"[-\s]+".join(words).replace("normalization", "normali[sz]ation").replace("isation", "i[sz]ation")
    return re.compile(rf"(?<![\w-]){pattern}(?:s|es)?(?![\w-])", re.IGNORECASE)


def glossary_problems(notebook, po, lesson, pairs):
    """'<lesson> cell <id>: the English says ..., the translation lacks ...' for each translated cell
    that drops a glossary term its English prose uses (inline code and *italic* titles are not prose)."""
    english = {cell_id: text for cell_id, text, _ in units(notebook)}
    found = []
    for entry in po:
        if entry.obsolete or not entry.msgstr.strip() or entry.msgctxt not in english:
            continue
        prose = re.sub(r"`[^`]*`", "", english[entry.msgctxt])  # not in code: `ConditionalGAN`,
        prose = re.sub(r"(?<![*\\])\*(?!\*)[^*\n]+(?<![*\\])\*(?!\*)", "", prose)  # nor in *italic titles*
        for term, japanese in pairs:
            if _english_pattern(term).search(prose) and japanese not in entry.msgstr:
                found.append(f"{Path(lesson).stem} cell {entry.msgctxt}: the English says {term!r}, "
                             f"the translation lacks the glossary's {japanese}")
    return found
