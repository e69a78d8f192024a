"""Command line of the course.

    python -m gan_course stamp [NOTEBOOK ...] [--check] [--repo OWNER/NAME]
                                  write (or, with --check, only report) the Colab badge and setup cell;
                                  --repo points them at a fork and keeps it as the setting
    python -m gan_course run-all [NOTEBOOK ...] [--output DIR] [--fresh] [--timeout S]
                                  execute notebooks in order, in place or into DIR
    python -m gan_course slides [NOTEBOOK ...] [--output DIR] [--pdf]
                                  reveal.js decks that work offline (default build/slides)
    python -m gan_course translate LANG [NOTEBOOK ...] [--check]
                                  merge the English lessons into translations/LANG/*.po and build
                                  notebooks/LANG/ from them; --check only reports what is missing,
                                  stale or out of date

NOTEBOOK may be a path, a folder of notebooks, or a lesson's short name: `03` or `03_divergences`.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

from gan_course import colab

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _lessons(folder=NOTEBOOKS):
    return sorted(folder.glob("[0-9]*.ipynb"))


def _notebooks(named):
    """Paths for the named notebooks (all lessons if none); one-line SystemExit for an unknown name."""
    if not named:
        return _lessons()
    paths = []
    for name in named:
        path = Path(name)
        if path.is_dir():
            paths += _lessons(path)
        elif path.is_file():
            paths.append(path)
        else:
            stem = path.name.removesuffix(".ipynb")
            matches = [p for p in _lessons() if p.stem == stem or p.stem.split("_")[0] == stem]
            if len(matches) != 1:
                valid = ", ".join(p.stem for p in _lessons())
                raise SystemExit(f"unknown notebook {name!r}; valid names: {valid} (or their numbers, or a path)")
            paths += matches
    return paths


def run_all(paths, output=None, timeout=1800, fresh=False):
    """Execute each notebook top to bottom; print progress per cell, a line each and a table of times.

    The kernel runs in the notebook's folder, or with fresh=True in a new empty folder
    (no checkpoints or figures from an earlier run are reused). Results go back in place,
    or into `output`.
    """
    import nbformat
    from nbclient import NotebookClient

    times = []
    for i, path in enumerate(paths, 1):
        notebook = nbformat.read(path, as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        print(f"[{i}/{len(paths)}] {path.name}: {len(code)} code cells", flush=True)
        start = time.perf_counter()

        def progress(cell, cell_index, **_):
            if cell.cell_type == "code":
                done = sum(1 for c in notebook.cells[:cell_index + 1] if c.cell_type == "code")
                print(f"    cell {done}/{len(code)} done, {time.perf_counter() - start:.0f} s", flush=True)

        with tempfile.TemporaryDirectory(prefix="gan-course-run-") as scratch:
            folder = scratch if fresh else str(path.parent)
            NotebookClient(notebook, timeout=timeout, kernel_name="python3", on_cell_executed=progress,
                           resources={"metadata": {"path": folder}}).execute()
        seconds = time.perf_counter() - start
        target = path if output is None else Path(output) / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)
        times.append((path.name, seconds))
        print(f"[{i}/{len(paths)}] {path.name} done in {seconds:.0f} s -> {target}", flush=True)
    print("\n| notebook | run time |\n|---|---:|")
    for name, seconds in times:
        print(f"| {name} | {seconds / 60:.1f} min |")
    print(f"| total | {sum(s for _, s in times) / 60:.1f} min |")
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m gan_course", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    names = "notebook paths, folders or short names (03, 03_divergences); all lessons if none"
    stamp = commands.add_parser("stamp", help="write the Colab badge and setup cell into notebooks")
    stamp.add_argument("notebooks", nargs="*", help=names)
    stamp.add_argument("--check", action="store_true",
                       help="only report notebooks whose badge or setup cell differ; exit 1 if any do")
    stamp.add_argument("--repo", metavar="OWNER/NAME",
                       help=f"GitHub repository the badge and setup cell use (now {colab.REPO}); without "
                            f"--check it becomes the setting in gan_course/colab.py, so commit that file too")
    run = commands.add_parser("run-all", help="execute notebooks in order (all lessons by default)")
    run.add_argument("notebooks", nargs="*", help=names)
    run.add_argument("--output", help="write executed notebooks here instead of in place")
    run.add_argument("--fresh", action="store_true",
                     help="run each notebook in an empty scratch folder, reusing no checkpoints")
    run.add_argument("--timeout", type=int, default=1800, help="seconds a single cell may run")
    default_output = NOTEBOOKS.parent / "build" / "slides"
    slides = commands.add_parser(
        "slides", help="export notebooks to offline reveal.js decks",
        description=f"Export notebooks to reveal.js decks that open with no network, one "
                    f"<name>.slides.html each, into --output (default {default_output}). The first "
                    f"export needs npm (Node.js) and the npm registry, to fetch reveal.js and MathJax "
                    f"once into the course's data folder.")
    slides.add_argument("notebooks", nargs="*", help=names)
    slides.add_argument("--output", default=str(default_output), help="folder for the decks")
    slides.add_argument("--pdf", action="store_true", help="also print a PDF handout per deck (needs Chromium)")
    translate = commands.add_parser(
        "translate", help="build a translated edition (notebooks/LANG) from gettext catalogues",
        description="Merge the English lessons into translations/LANG/<lesson>.po (a new cell gets an "
                    "empty entry, a changed one is flagged fuzzy) and build notebooks/LANG/ from them: "
                    "the English notebooks, outputs included, with every markdown cell translated. Exits 1, "
                    "naming lesson and cell, while a translation is missing or stale.")
    translate.add_argument("lang", help="language code with a folder in translations/, e.g. ja")
    translate.add_argument("notebooks", nargs="*", help=names)
    translate.add_argument("--check", action="store_true",
                           help="write nothing; exit 1 if a translation is missing or stale or a built "
                                "notebook differs from what would be built")
    args = parser.parse_args(argv)
    paths = _notebooks(args.notebooks)
    if args.command == "translate":
        from gan_course import translate as translation

        if args.lang not in translation.languages():
            known = ", ".join(translation.languages()) or "none"
            raise SystemExit(f"translate: no catalogues for {args.lang!r} in {translation.TRANSLATIONS} "
                             f"(languages: {known})")
        found = translation.translate(args.lang, paths, write=not args.check)
        for problem in found:
            print(problem)
        built = "checked" if args.check else "built"
        print(f"{args.lang}: {len(paths)} lessons {built}, {len(found)} problems")
        return 1 if found else 0
    if args.command == "stamp":
        try:
            repo = colab.REPO if args.repo is None else colab.check_repo(args.repo)
            if args.repo is not None and not args.check:
                colab.set_repo(repo)
        except (ValueError, RuntimeError, OSError) as error:
            raise SystemExit(f"stamp: {error}")
        drifted = []
        for path in paths:
            changed = colab.stamp(path, write=not args.check, repo=repo)
            drifted += [path] if changed else []
            print(("drifted   " if args.check else "stamped   ") if changed else "unchanged ", path, sep="")
        return 1 if args.check and drifted else 0
    if args.command == "slides":
        from gan_course import slides as slide_export

        try:
            slide_export.export(paths, args.output, pdf=args.pdf)
        except (RuntimeError, OSError) as error:
            raise SystemExit(f"slides: {error}")
        return 0
    run_all(paths, args.output, args.timeout, args.fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
