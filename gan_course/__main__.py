"""Command line: `python -m gan_course stamp [NOTEBOOK ...]`."""
import argparse
import sys
from pathlib import Path

from gan_course import colab

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m gan_course")
    commands = parser.add_subparsers(dest="command", required=True)
    stamp = commands.add_parser("stamp", help="write the Colab badge and setup cell into notebooks")
    stamp.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.command == "stamp":
        paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
        for path in paths:
            print(("stamped   " if colab.stamp(path) else "unchanged ") + str(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
