"""Export notebooks to reveal.js slide decks that work with no network.

nbconvert's slides exporter loads reveal.js, MathJax, jQuery and RequireJS from CDNs when
the deck is opened. Here they come from the npm registry once (`npm install` into a cache
folder), are copied next to the decks as `_assets/`, and every deck points there.
`python -m gan_course slides [NOTEBOOK ...] --output DIR`.
"""
import shutil
import subprocess
from pathlib import Path

from gan_course import config

PACKAGES = ("reveal.js@4", "mathjax@2", "jquery@3", "requirejs@2")
ASSETS = "_assets"
# The course uses none of MathJax's other fonts and output processors, or its unpacked sources.
_MATHJAX_SKIP = {"unpacked", "test", "Asana-Math", "Gyre-Pagella", "Gyre-Termes", "Latin-Modern",
                 "Neo-Euler", "STIX-Web", "NativeMML", "PlainSource", "PreviewHTML", "SVG"}
_MATHJAX_SKIP_OUTPUT = {"HTML-CSS"}  # under jax/output only: CommonHTML uses the HTML-CSS TeX fonts
_MERMAID_STUB = "export default { initialize() {} };  // the course draws no mermaid diagrams\n"


def asset_cache():
    """Where the npm packages are installed: <data folder>/slides-assets/node_modules."""
    return config.data_dir() / "slides-assets" / "node_modules"


def install_assets(verbose=True):
    """Install reveal.js 4, MathJax 2, jQuery 3 and RequireJS 2 from npm unless already there."""
    modules = asset_cache()
    if all((modules / name.rsplit("@", 1)[0]).is_dir() for name in PACKAGES):
        return modules
    if shutil.which("npm") is None:
        raise RuntimeError("exporting offline slides needs npm once, to fetch reveal.js and MathJax; "
                           "install Node.js (https://nodejs.org) and run again")
    if verbose:
        print(f"Installing {', '.join(PACKAGES)} from npm into {modules.parent} (once)")
    result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix",
                             str(modules.parent), *PACKAGES], capture_output=True, text=True)
    if result.returncode != 0:
        errors = [line for line in (result.stderr or result.stdout).splitlines() if line.strip()]
        raise RuntimeError(f"npm install failed: {errors[-1] if errors else f'exit code {result.returncode}'}")
    return modules


def _copy_assets(modules, target):
    if (target / "mathjax" / "MathJax.js").exists():
        return
    target.mkdir(parents=True, exist_ok=True)
    for name in ("reveal.js", "jquery", "requirejs"):
        shutil.copytree(modules / name, target / name, dirs_exist_ok=True)
    def skip(folder, names):
        output_jax = Path(folder).parts[-2:] == ("jax", "output")
        return [n for n in names if n in _MATHJAX_SKIP or (output_jax and n in _MATHJAX_SKIP_OUTPUT)]

    shutil.copytree(modules / "mathjax", target / "mathjax", dirs_exist_ok=True, ignore=skip)
    (target / "mermaid-stub.mjs").write_text(_MERMAID_STUB)


_RERENDER = "MathJax.Hub.Rerender(Reveal.getCurrentSlide());"


def exporter():
    """An nbconvert SlidesExporter whose every script and style sheet is a relative path."""
    from nbconvert import SlidesExporter

    return SlidesExporter(
        reveal_url_prefix=f"{ASSETS}/reveal.js",
        mathjax_url=f"{ASSETS}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        jquery_url=f"{ASSETS}/jquery/dist/jquery.min.js",
        require_js_url=f"{ASSETS}/requirejs/require.js",
        mermaid_js_url=f"./{ASSETS}/mermaid-stub.mjs",
        font_awesome_url=f"{ASSETS}/none.css",
    )


def export(notebooks, output):
    """Write one `<name>.slides.html` deck per notebook into `output`; returns their paths."""
    import nbformat

    output = Path(output)
    _copy_assets(install_assets(), output / ASSETS)
    slides = exporter()
    written = []
    for path in map(Path, notebooks):
        notebook = nbformat.read(path, as_version=4)
        notebook.metadata.pop("widgets", None)  # live widgets would load their code from a CDN
        html, _ = slides.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
        # nbconvert's template re-renders a slide's math on every slide change; MathJax 2's
        # CommonHTML output then appends a second copy of each formula (it is typeset at load)
        html = html.replace(_RERENDER, "/* gan-course: math is typeset once, at load */")
        target = output / f"{path.stem}.slides.html"
        target.write_text(html)
        written.append(target)
        print(f"wrote {target}")
    return written
