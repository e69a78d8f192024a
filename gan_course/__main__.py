"""Command line of the course.

    python -m gan_course stamp [NOTEBOOK ...]     write the Colab badge and setup cell into notebooks
    python -m gan_course run-all [NOTEBOOK ...] [--output DIR] [--timeout S]
                                                  execute notebooks in order, in place or into DIR
    python -m gan_course slides [NOTEBOOK ...] [--output DIR]
                                                  reveal.js decks that work offline (default build/slides)
"""
import argparse
import sys
import time
from pathlib import Path

from gan_course import colab

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _notebooks(named):
    paths = [Path(p) for p in named] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise SystemExit(f"no such notebook: {', '.join(missing)}")
    return paths


def run_all(paths, output=None, timeout=1800):
    """Execute each notebook top to bottom in its own folder; print a line each and a table of times."""
    import nbformat
    from nbclient import NotebookClient

    times = []
    for i, path in enumerate(paths, 1):
        print(f"[{i}/{len(paths)}] {path.name} ...", flush=True)
        notebook = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
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
    parser = argparse.ArgumentParser(prog="python -m gan_course")
    commands = parser.add_subparsers(dest="command", required=True)
    stamp = commands.add_parser("stamp", help="write the Colab badge and setup cell into notebooks")
    stamp.add_argument("notebooks", nargs="*")
    run = commands.add_parser("run-all", help="execute notebooks in order (all of notebooks/ by default)")
    run.add_argument("notebooks", nargs="*")
    run.add_argument("--output", help="write executed notebooks here instead of in place")
    run.add_argument("--timeout", type=int, default=1800, help="seconds a single cell may run")
    slides = commands.add_parser("slides", help="export notebooks to offline reveal.js decks")
    slides.add_argument("notebooks", nargs="*")
    slides.add_argument("--output", default=str(NOTEBOOKS.parent / "build" / "slides"))
    args = parser.parse_args(argv)
    if args.command == "stamp":
        for path in _notebooks(args.notebooks):
            print(("stamped   " if colab.stamp(path) else "unchanged ") + str(path))
    elif args.command == "slides":
        from gan_course import slides as slide_export

        slide_export.export(_notebooks(args.notebooks), args.output)
    else:
        run_all(_notebooks(args.notebooks), args.output, args.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
