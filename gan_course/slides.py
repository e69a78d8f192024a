"""Export notebooks to reveal.js slide decks that an instructor can present with no network.

nbconvert's slides exporter loads reveal.js, MathJax, jQuery and RequireJS from CDNs when
the deck is opened. Here they come from the npm registry once (`npm install` into a cache
folder), are copied into one `_assets/` folder per output tree, and every deck points there.
`python -m gan_course slides [NOTEBOOK ...] --output DIR`.

A deck is the notebook as a student sees it, less what only matters when running it:
input prompts, `# NBVAL_...` test markers (and the `# (why)` comment under one), stale
progress bars, widget reprs, the offline-data line, the Colab badge, cells tagged
`slides-hide`, and the code of cells tagged `slides-hide-input` (their output stays; the
notebook keeps all of these). Long code lines wrap on the slide. Decks use reveal.js's white theme
(Source Sans Pro, shipped with reveal.js) in large type, with slide numbers; the output
folder gets an `index.html` listing the decks and, with `pdf=True`, a PDF handout per deck
printed by headless Chromium. `measure` and `overflowing_slides` check decks in Chromium.
"""
import contextlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from gan_course import colab, config

PACKAGES = ("reveal.js@4", "mathjax@2", "jquery@3", "requirejs@2", "font-awesome@4", "@fontsource/noto-sans-jp@5")
JAPANESE_FONT = "noto-sans-jp"  # under _assets: Noto Sans JP (SIL OFL), regular and bold, for notebooks/ja
ASSETS = "_assets"
HIDE_TAG = "slides-hide"  # a cell with this tag stays in the notebook, out of the decks
HIDE_INPUT_TAG = "slides-hide-input"  # ...its code stays out of the decks, its output is shown
SLIDE_NUMBER = "c/t"  # reveal.js slideNumber: current / total
MATHJAX_CONFIG = "TeX-AMS_CHTML-full"
# The course uses none of MathJax's other fonts and output processors, or its unpacked sources.
_MATHJAX_SKIP = {"unpacked", "test", "Asana-Math", "Gyre-Pagella", "Gyre-Termes", "Latin-Modern",
                 "Neo-Euler", "STIX-Web", "NativeMML", "PlainSource", "PreviewHTML", "SVG", "eot", "svg"}
_MATHJAX_SKIP_OUTPUT = {"HTML-CSS"}  # under jax/output only: CommonHTML uses the HTML-CSS TeX fonts

# Large type on the 960x700 slide: body text 32 px and code 24 px, the least that reads from the
# back row (issue 16); nbconvert's template sets 20 and 19. No prompt column. Source Sans Pro
# from the white theme's bundled fonts, Noto Sans JP for Japanese (its unicode ranges load only
# for a deck with Japanese text); code in the machine's own monospace font.
THEME_CSS = """\
/* gan-course slide theme: large type, local fonts only */
@import url("noto-sans-jp/400.css");
@import url("noto-sans-jp/700.css");
:root {
  --r-main-font: "Source Sans Pro", "Noto Sans JP", Helvetica, Arial, sans-serif;
  --r-main-font-size: 32px;
  --r-heading-font: "Source Sans Pro", "Noto Sans JP", Helvetica, Arial, sans-serif;
  --r-code-font: "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace;
  --jp-content-font-family: var(--r-main-font);
  --jp-ui-font-family: var(--r-main-font);
  --jp-code-font-family: var(--r-code-font);
  --jp-content-font-size1: 32px;
  --jp-ui-font-size1: 32px;
  --jp-code-font-size: 24px;
  --jp-cell-prompt-width: 0px;
}
.reveal { font-size: 32px; }
.reveal .slides section { font-size: 32px; }
.reveal h1 { font-size: 56px; }
.reveal h2 { font-size: 46px; }
.reveal h3 { font-size: 40px; }
.reveal h4, .reveal h5, .reveal h6 { font-size: 34px; }
.reveal h1, .reveal h2, .reveal h3, .reveal h4 { text-transform: none; line-height: 1.15; }
.reveal .jp-RenderedMarkdown p, .reveal .jp-RenderedMarkdown li,
.reveal .jp-RenderedMarkdown td, .reveal .jp-RenderedMarkdown th { font-size: 32px; line-height: 1.3; }
.reveal .jp-RenderedMarkdown table { font-size: 32px; }
.reveal pre, .reveal code, .reveal div.highlight > pre,
.reveal div.jp-OutputArea-output > pre, .reveal .jp-RenderedText pre {
  font-family: var(--r-code-font);
  font-size: 24px;
  line-height: 1.25;
  box-sizing: border-box;  /* padding inside the cell's width, not past the slide's edge */
  white-space: pre-wrap;  /* a long code line wraps on the slide instead of running off it */
  overflow-wrap: anywhere;
}
.reveal .jp-RenderedMarkdown code { font-size: 0.85em; }
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }
.reveal .jp-OutputArea-output img { max-height: 620px; width: auto; }  /* a plot fits its slide */
.reveal .jp-Cell { padding: 0; }
.reveal .slide-number { font-size: 20px; }
html:lang(ja) .reveal { font-feature-settings: "palt"; }  /* Japanese: proportional kana and punctuation */
"""

_NBVAL_MARKER = re.compile(r"^\s*#\s*NBVAL_[A-Z_]+\s*$")
_PROGRESS_BAR = re.compile(r"\d+%\|.*\|\s*\d+/\d+")  # tqdm: "training:   0%|          | 0/2000 [..."
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_WIDGET_REPR = re.compile(r"^\s*(interactive|[A-Z]\w*)\(children=\(|^\s*(HBox|VBox|IntProgress|FloatProgress)\(")
_OFFLINE_LINE = re.compile(r"^No network: using the [\d,]+ real MNIST digits.*(\n|$)", re.M)
_FONT_AWESOME_CDN = re.compile(r"https?://[^\"']*/font-awesome/[\d.]+/css/font-awesome(\.min)?\.css")
_GOALS_INTRO = re.compile(r"learning goals|you will be able to|by the end of this (lesson|notebook)|"
                          r"what you will learn|学習目標|できるようになります", re.I)
_RERENDER = "MathJax.Hub.Rerender(Reveal.getCurrentSlide());"
_MERMAID = re.compile(r"<script type=\"module\">\s*import mermaid from [^<]*</script>")
_LESSON_JSON = "gan-course-lesson"
# Runs first in the template's reveal.js callback. reveal.js's ?print-pdf layout measures each
# slide once, when the page has loaded; MathJax typesets later, so the math would be missing
# or cut off in the PDF. Printing, reveal.js starts once MathJax has typeset and fonts loaded
# (reveal.js queues the template's event listeners until then).
_PRINT_AFTER_MATH = """
        window.Reveal = Reveal;
        if (/print-pdf/i.test(window.location.search) && window.MathJax) {
          var initialize = Reveal.initialize;
          Reveal.initialize = function (options) {
            MathJax.Hub.Register.StartupHook("End", function () {
              document.fonts.ready.then(function () { initialize(options); });
            });
          };
        }"""


# --- Assets: fetched from npm once, copied once per output tree ----------------------------

def asset_cache():
    """Where the npm packages are installed: <data folder>/slides-assets/node_modules."""
    return config.data_dir() / "slides-assets" / "node_modules"


def assets_installed():
    """Whether every npm package the decks need is in `asset_cache()`."""
    return all((asset_cache() / name.rsplit("@", 1)[0]).is_dir() for name in PACKAGES)


def install_assets(verbose=True):
    """Install reveal.js 4, MathJax 2, jQuery 3, RequireJS 2, Font Awesome 4 and Noto Sans JP from npm
    unless there."""
    modules = asset_cache()
    if assets_installed():
        return modules
    if shutil.which("npm") is None:
        raise RuntimeError("exporting offline slides needs npm once, to fetch reveal.js and MathJax; "
                           "install Node.js (https://nodejs.org) and run again")
    modules.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(modules.parent / "install.lock"):  # parallel test workers: one installs, the others wait
        if assets_installed():
            return modules
        if verbose:
            print(f"Installing {', '.join(PACKAGES)} from npm into {modules.parent} (once)")
        result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix",
                                 str(modules.parent), *PACKAGES], capture_output=True, text=True)
    if result.returncode != 0:
        errors = [line for line in (result.stderr or result.stdout).splitlines() if line.strip()]
        raise RuntimeError(f"npm install failed: {errors[-1] if errors else f'exit code {result.returncode}'}")
    return modules


@contextlib.contextmanager
def _exclusive(path):
    """Hold an exclusive lock on the file `path` while the block runs (POSIX; no lock elsewhere)."""
    try:
        import fcntl
    except ImportError:  # Windows: one process at a time is the user's to ensure
        yield
        return
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _copy_assets(modules, target):
    """Copy what the decks load (about 17 MB, 6 of them Noto Sans JP) into `target`; the theme is
    rewritten every time."""
    target.mkdir(parents=True, exist_ok=True)
    if not (target / "font-awesome" / "css").is_dir():
        for part in ("dist", "plugin/notes", "LICENSE"):
            _copy(modules / "reveal.js" / part, target / "reveal.js" / part)
        for part in ("dist/jquery.min.js", "LICENSE.txt"):
            _copy(modules / "jquery" / part, target / "jquery" / part)
        _copy(modules / "requirejs" / "require.js", target / "requirejs" / "require.js")
        for part in ("css", "fonts", "README.md"):
            _copy(modules / "font-awesome" / part, target / "font-awesome" / part)

        def skip(folder, names):
            folder = Path(folder)
            output_jax = folder.parts[-2:] == ("jax", "output")
            if folder.name == "config":  # the configurations the decks ask for
                return [n for n in names if n not in (f"{MATHJAX_CONFIG}.js", "Safe.js")]
            if folder.name == "localization":
                return [n for n in names if n != "en"]
            return [n for n in names if n in _MATHJAX_SKIP or (output_jax and n in _MATHJAX_SKIP_OUTPUT)]

        shutil.copytree(modules / "mathjax", target / "mathjax", dirs_exist_ok=True, ignore=skip)
    if not (target / JAPANESE_FONT / "700.css").exists():
        font = modules / "@fontsource" / JAPANESE_FONT
        for weight in ("400", "700"):  # the files each weight's style sheet loads, woff2 only
            css = (font / f"{weight}.css").read_text()
            css = re.sub(r", url\(\./files/[^)]*\.woff\) format\('woff'\)", "", css)
            for name in re.findall(r"url\(\./files/([^)]+)\)", css):
                _copy(font / "files" / name, target / JAPANESE_FONT / "files" / name)
            (target / JAPANESE_FONT / f"{weight}.css").write_text(css)
        _copy(font / "LICENSE", target / JAPANESE_FONT / "LICENSE")
    (target / "gan-course.css").write_text(THEME_CSS)


def _copy(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    elif source.exists():
        shutil.copy2(source, target)


def assets_folder(output):
    """The `_assets` folder decks written into `output` use.

    The nearest one already exported at `output` or above it (so decks exported into
    subfolders of one output tree share the top-level copy), else `output/_assets`.
    """
    output = Path(output).resolve()
    for folder in (output, *output.parents):
        if (folder / ASSETS / "gan-course.css").exists():
            return folder / ASSETS
    return output / ASSETS


def exporter(assets=ASSETS):
    """An nbconvert SlidesExporter: every script and style sheet under the relative path `assets`,
    no input or output prompts, slide numbers, the white theme."""
    from nbconvert import SlidesExporter

    return SlidesExporter(
        reveal_url_prefix=f"{assets}/reveal.js",
        reveal_theme="white",
        reveal_number=SLIDE_NUMBER,
        mathjax_url=f"{assets}/mathjax/MathJax.js?config={MATHJAX_CONFIG},Safe",
        jquery_url=f"{assets}/jquery/dist/jquery.min.js",
        require_js_url=f"{assets}/requirejs/require.js",
        font_awesome_url=f"{assets}/font-awesome/css/font-awesome.min.css",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


# --- What a deck shows of a notebook --------------------------------------------------------

def strip_test_markers(source):
    """Drop `# NBVAL_...` lines and the `# (why ...)` comment right under one from code."""
    lines, kept, index = source.splitlines(), [], 0
    while index < len(lines):
        if _NBVAL_MARKER.match(lines[index]):
            index += 1
            if index < len(lines) and lines[index].lstrip().startswith("# ("):
                while index < len(lines) and lines[index].lstrip().startswith("#"):
                    index += 1
                    if lines[index - 1].rstrip().endswith(")"):
                        break
            continue
        kept.append(lines[index])
        index += 1
    return "\n".join(kept).strip("\n")


def _text(value):
    return "".join(value) if isinstance(value, list) else (value or "")


def _clean_text(text):
    shown = []
    for line in _OFFLINE_LINE.sub("", text).split("\n"):
        shown_part = [part for part in line.split("\r") if part]
        line = shown_part[-1] if shown_part else ""  # a terminal shows the last carriage return's text
        if not _PROGRESS_BAR.search(line):
            shown.append(line)
    return "\n".join(shown)


def clean_outputs(outputs):
    """The outputs worth showing on a slide: no widget reprs, progress bars or offline-data line."""
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream":
            text = _clean_text(_text(output.get("text")))
            if text.strip():
                kept.append({**output, "text": text})
            continue
        data = output.get("data", {})
        plain = _text(data.get("text/plain"))
        if _WIDGET_MIME in data or _WIDGET_REPR.search(plain) or _PROGRESS_BAR.search(plain):
            continue
        if "image/gif" in data and "text/html" not in data:  # nbconvert's templates draw no GIFs
            gif = _text(data["image/gif"]).replace("\n", "")
            data = {key: value for key, value in data.items() if key != "text/plain"}
            data["text/html"] = f'<img src="data:image/gif;base64,{gif}" alt="animation">'
        if "text/html" in data:
            page = _FONT_AWESOME_CDN.sub(f"{ASSETS}/font-awesome/css/font-awesome.min.css",
                                         _text(data["text/html"]))
            data = {**data, "text/html": page}
        kept.append({**output, "data": data} if data else output)
    return kept


def _slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def deck_notebook(notebook):
    """A copy of `notebook` as the deck shows it (see the module docstring); the original is untouched."""
    import nbformat

    deck = nbformat.from_dict(json.loads(json.dumps(notebook)))
    deck.metadata.pop("widgets", None)  # live widgets would load their code from a CDN
    cells, carried = [], None  # a hidden cell that starts a slide passes the start to the next cell
    for cell in deck.cells:
        slide_type = _slide_type(cell)
        if HIDE_TAG in cell.metadata.get("tags", []):
            if slide_type in ("slide", "subslide") and carried != "slide":
                carried = slide_type
            continue
        if carried and slide_type in ("-", "fragment", None):
            cell.metadata.setdefault("slideshow", {})["slide_type"] = carried
        if slide_type not in ("skip", "notes"):
            carried = None
        if cell.cell_type == "code":
            cell.source = strip_test_markers(cell.source)
            if HIDE_INPUT_TAG in cell.metadata.get("tags", []):
                cell.metadata["transient"] = {"remove_source": True}  # nbconvert's templates skip the code
            cell.outputs = [nbformat.from_dict(o) for o in clean_outputs(cell.outputs)]
        elif colab.BADGE_TAG in cell.metadata.get("tags", []):
            cell.source = cell.source.splitlines()[0]  # the title; the Colab badge is for notebooks
        cells.append(cell)
    deck.cells = cells
    return deck


def _plain(markdown):
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?<![\w\\])\*(?=\S)(.+?)(?<=\S)\*(?!\w)", r"\1", text.replace("**", "").replace("`", ""))
    return re.sub(r"\s+", " ", text).strip()


def lesson_summary(notebook):
    """{"title", "goals", "summary"} of a lesson, for the index of decks.

    title: the first heading of the first cell. goals: the list items under a line such as
    "By the end of this lesson you will be able to" in the title slide's markdown cells (empty
    if none). summary: the first sentence after the title (used when there are no goals).
    """
    markdown = [c for c in notebook.cells if c.cell_type == "markdown"]
    first = notebook.cells[0].source if notebook.cells else ""
    heading = re.search(r"^#+\s+(.+)$", first, re.M)
    title = _plain(heading.group(1)) if heading else notebook.metadata.get("title", "")
    opening = []  # markdown cells of the title slide
    for index, cell in enumerate(notebook.cells):
        if index and _slide_type(cell) == "slide":
            break
        if cell.cell_type == "markdown":
            opening.append(cell.source)
    goals, listing = [], False
    for line in "\n".join(opening).splitlines():
        if _GOALS_INTRO.search(line):
            listing = True
        elif listing and re.match(r"\s*([-*+]|\d+\.)\s+", line):
            goals.append(_plain(re.sub(r"^\s*([-*+]|\d+\.)\s+", "", line)))
        elif listing and goals and line.strip() and line.startswith((" ", "\t")):
            goals[-1] += " " + _plain(line)
        elif listing and goals and not line.strip():
            break
    summary = ""
    for cell in markdown:
        if colab.BADGE_TAG in cell.metadata.get("tags", []) or _slide_type(cell) == "notes":
            continue  # the title and the Colab badge; speaker notes are not the lesson's words
        body = re.sub(r"^#+\s+.*$", "", cell.source, flags=re.M).strip()
        if body:
            paragraph = _plain(body.split("\n\n")[0])
            sentence = re.match(r"(.+?(?:[.!?](?=\s|$)|。))", paragraph)
            summary = sentence.group(1) if sentence else paragraph
            break
    return {"title": title, "goals": goals, "summary": summary}


# --- Export ----------------------------------------------------------------------------------

def export(notebooks, output, pdf=False):
    """Write one `<name>.slides.html` deck per notebook into `output`; returns their paths.

    A translated notebook (notebooks/ja/..., its metadata naming its language) goes into
    `output/<language>/`, beside the English decks and sharing their assets. Also writes
    `output/index.html` (every deck in the folder and below, with its lesson's goals) and,
    with `pdf=True`, a `<name>.slides.pdf` handout beside each deck (needs Chromium).
    """
    import nbformat

    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    assets = assets_folder(output)
    _copy_assets(install_assets(), assets)
    written = []
    for path in map(Path, notebooks):
        notebook = nbformat.read(path, as_version=4)
        language = notebook.metadata.get("gan_course", {}).get("language")
        folder = output / language if language else output
        folder.mkdir(exist_ok=True)
        prefix = os.path.relpath(assets, folder.resolve()).replace(os.sep, "/")
        lesson = lesson_summary(notebook)
        deck = deck_notebook(notebook)
        deck.metadata["title"] = lesson["title"] or path.stem
        page, _ = exporter(prefix).from_notebook_node(deck, resources={"metadata": {"name": path.stem}})
        page = page.replace('<html lang="en">', f'<html lang="{language}">', 1) if language else page
        target = folder / f"{path.stem}.slides.html"
        target.write_text(_finish(page, prefix, lesson))
        written.append(target)
        print(f"wrote {target}")
        if pdf:
            print(f"wrote {print_pdf(target)}")
    write_index(output)
    if assets.parent != output.resolve():
        write_index(assets.parent)
    return written


def _finish(page, prefix, lesson):
    """The exported page, edited where nbconvert's template has no setting."""
    # nbconvert's template re-renders a slide's math on every slide change; MathJax 2's
    # CommonHTML output then appends a second copy of each formula (it is typeset at load)
    page = page.replace(_RERENDER, "/* gan-course: math is typeset once, at load */")
    page = _MERMAID.sub("", page)  # the course draws no mermaid diagrams
    page = page.replace(f"{ASSETS}/font-awesome/", f"{prefix}/font-awesome/")  # in 04's animation
    page = page.replace("function(Reveal, RevealNotes){", "function(Reveal, RevealNotes){" + _PRINT_AFTER_MATH, 1)
    page = page.replace(f'slideNumber: "{SLIDE_NUMBER}",',
                        f'slideNumber: "{SLIDE_NUMBER}",\n            pdfSeparateFragments: false,', 1)
    data = json.dumps(lesson).replace("<", "\\u003c")
    head = (f'<link rel="stylesheet" href="{prefix}/gan-course.css">\n'
            f'<script type="application/json" id="{_LESSON_JSON}">{data}</script>\n</head>')
    return page.replace("</head>", head, 1)


def _deck_lesson(deck):
    found = re.search(rf'<script type="application/json" id="{_LESSON_JSON}">(.*?)</script>',
                      deck.read_text(), re.S)
    return json.loads(found.group(1)) if found else {"title": deck.name, "goals": [], "summary": ""}


def write_index(folder):
    """Write `folder/index.html`: a link to every deck in `folder` and below, with its goals."""
    folder = Path(folder)
    items = []
    for deck in sorted(folder.rglob("*.slides.html")):
        if ASSETS in deck.relative_to(folder).parts:
            continue
        lesson = _deck_lesson(deck)
        link = deck.relative_to(folder).as_posix()
        pdf = deck.with_suffix(".pdf")
        extra = f' <a class="pdf" href="{html.escape(pdf.relative_to(folder).as_posix())}">PDF</a>' if pdf.exists() else ""
        goals = "".join(f"<li>{html.escape(g)}</li>" for g in lesson["goals"])
        about = f"<ul>{goals}</ul>" if goals else f"<p>{html.escape(lesson['summary'])}</p>"
        items.append(f'<li><a href="{html.escape(link)}">{html.escape(lesson["title"])}</a>{extra}{about}</li>')
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>GAN course: slides</title>
<style>
body {{ font-family: "Source Sans Pro", Helvetica, Arial, sans-serif; max-width: 52em; margin: 2em auto;
       font-size: 20px; line-height: 1.4; color: #222; padding: 0 1em; }}
ol > li {{ margin-bottom: 1em; }} ol > li > a {{ font-size: 1.2em; font-weight: bold; }}
a.pdf {{ font-size: 0.8em; margin-left: 0.5em; }} p, ul {{ margin: 0.3em 0; }}
</style></head>
<body>
<h1>GAN course: slides</h1>
<p>Open a deck; press <kbd>s</kbd> for speaker notes, <kbd>f</kbd> for full screen, <kbd>Esc</kbd> for an overview.</p>
<ol>
{chr(10).join(items)}
</ol>
</body></html>
"""
    (folder / "index.html").write_text(page)
    return folder / "index.html"


# --- Chromium: PDF handouts and measuring slides ---------------------------------------------

def chromium():
    """The path of a Chromium or Chrome executable, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def _run_chromium(arguments, timeout):
    browser = chromium()
    if browser is None:
        raise RuntimeError("this needs Chromium or Chrome (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="gan-course-chromium-") as profile:
        flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-extensions", f"--user-data-dir={profile}",
                 # network off: anything not file:// goes to a closed port and fails at once
                 "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
        return subprocess.run(flags + arguments, capture_output=True, text=True, timeout=timeout)


def print_pdf(deck, target=None, timeout=300):
    """Print `deck` to a PDF handout (reveal.js's ?print-pdf layout, one page per slide) with
    headless Chromium and the network off; returns the PDF's path (default: beside the deck)."""
    deck = Path(deck).resolve()
    target = Path(target) if target else deck.with_suffix(".pdf")
    result = _run_chromium(["--virtual-time-budget=60000", "--no-pdf-header-footer",
                            f"--print-to-pdf={target.resolve()}", deck.as_uri() + "?print-pdf"], timeout)
    if not target.exists() or target.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no PDF for {deck.name}: {result.stderr.strip()[-300:]}")
    return target


_MEASURE_JS = """
<script>
(function () {
  function smallestText(img) {  // plotting.TEXT_PX_KEY in the image's PNG text chunk or GIF comment
    var data = /^data:image\\/(png|gif);base64,([\\s\\S]*)$/.exec(img.getAttribute('src') || '');
    var found = data && /gan-course text px\\x00([0-9.]+|none)/.exec(atob(data[2].replace(/\\s/g, '')));
    return found ? found[1] : null;
  }
  function measure() {
    var config = Reveal.getConfig(), width = config.width, height = config.height, slides = [];
    Reveal.getHorizontalSlides().forEach(function (top, h) {
      var stack = Array.prototype.filter.call(top.children, function (e) { return e.tagName === 'SECTION'; });
      (stack.length ? stack : [top]).forEach(function (section, v) {
        Reveal.slide(h, v);
        var box = section.getBoundingClientRect(), scale = box.width / section.offsetWidth || 1;
        var widest = 0, body = [], code = [];
        section.querySelectorAll('pre, table, img, .MJXc-display, .jp-OutputArea-output').forEach(function (e) {
          var rect = e.getBoundingClientRect(), left = (rect.left - box.left) / scale;
          widest = Math.max(widest, left + Math.max(e.scrollWidth || 0, rect.width / scale));
        });
        section.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li, .jp-RenderedMarkdown td')
          .forEach(function (e) { if (e.textContent.trim()) body.push(parseFloat(getComputedStyle(e).fontSize)); });
        section.querySelectorAll('.jp-InputArea pre, .jp-OutputArea-output > pre, .jp-RenderedText pre')
          .forEach(function (e) { if (e.textContent.trim()) code.push(parseFloat(getComputedStyle(e).fontSize)); });
        var plot = [], untagged = 0;
        section.querySelectorAll('img').forEach(function (e) {
          var tag = smallestText(e);  // the figure's smallest text, px at its own size
          if (tag === null) { untagged += 1; return; }
          if (tag !== 'none' && e.naturalWidth) {
            plot.push(parseFloat(tag) * e.getBoundingClientRect().width / scale / e.naturalWidth);
          }
        });
        var heading = section.querySelector('h1, h2, h3, h4');
        slides.push({h: h, v: v, heading: heading ? heading.textContent.replace(/\\u00b6/g, '').trim() : '',
                     text: section.textContent.replace(/\\s+/g, ' ').trim().slice(0, 60),
                     height: section.scrollHeight, slide_height: height, width: Math.ceil(widest),
                     slide_width: width, body_px: body.length ? Math.min.apply(null, body) : null,
                     code_px: code.length ? Math.min.apply(null, code) : null,
                     plot_px: plot.length ? Math.min.apply(null, plot) : null, untagged_images: untagged});
      });
    });
    var out = document.createElement('script');
    out.type = 'application/json';
    out.id = 'gan-course-measurements';
    out.textContent = JSON.stringify(slides).replace(/</g, '\\\\u003c');
    document.body.appendChild(out);
  }
  var wait = setInterval(function () {
    if (window.Reveal && Reveal.isReady && Reveal.isReady() && window.MathJax && MathJax.Hub) {
      clearInterval(wait);
      MathJax.Hub.Register.StartupHook('End', function () { document.fonts.ready.then(measure); });
    }
  }, 100);
})();
</script>
"""


def measure(deck, timeout=300):
    """Lay out every slide of `deck` in headless Chromium at reveal.js's 960x700 slide size.

    Returns one dict per slide and sub-slide, in order: h, v (reveal.js indices), heading,
    text (its first 60 characters), height (content height, px) and slide_height, width (the
    right edge of the widest code or text block, px) and slide_width, body_px and code_px (the
    smallest computed font size of markdown text and of code on the slide; None if it has none),
    plot_px (the smallest text of its images as shown on the slide, from the size each image's
    PNG or GIF says it drew (plotting.TEXT_PX_KEY) scaled as the image is; None if they have no
    text) and untagged_images (images that do not say). The width counts code, text output,
    tables, images and display math.
    """
    deck = Path(deck).resolve()
    copy = deck.with_name(f".measure-{deck.name}")  # beside the deck, so its relative assets load
    copy.write_text(deck.read_text().replace("</body>", _MEASURE_JS + "</body>", 1))
    try:
        result = _run_chromium(["--virtual-time-budget=60000", "--window-size=960,700",
                                "--dump-dom", copy.as_uri()], timeout)
    finally:
        copy.unlink()
    found = re.search(r'<script type="application/json" id="gan-course-measurements">(.*?)</script>',
                      result.stdout, re.S)
    if not found:
        raise RuntimeError(f"Chromium measured no slides in {deck.name}: {result.stderr.strip()[-300:]}")
    return json.loads(found.group(1))


def overflowing_slides(deck, measurements=None):
    """The slides of `deck` whose content is taller than the slide or whose code (or text
    block) is wider than it, as `measure` describes them; empty when every slide fits."""
    measurements = measure(deck) if measurements is None else measurements
    return [m for m in measurements
            if m["height"] > m["slide_height"] + 1 or m["width"] > m["slide_width"] + 1]
