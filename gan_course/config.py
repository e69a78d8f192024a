"""Run-time switches, read in one place.

`GAN_COURSE_FAST=1` in the environment shrinks every training run to a few
steps so the whole course executes in seconds under the tests. Students never
need to set it.
"""
import os
from pathlib import Path

FAST = os.environ.get("GAN_COURSE_FAST", "") not in ("", "0")


def steps(full, fast=5):
    """Return `full` normally and `fast` under GAN_COURSE_FAST=1.

    Use it for anything whose cost grows with its value: training steps,
    sample counts for slow metrics, number of epochs.
    """
    return fast if FAST else full


def data_dir():
    """The folder where datasets and trained helper models are cached.

    `GAN_COURSE_DATA` if set; otherwise the repository's `data/` when the
    package runs from a checkout; otherwise `~/.gan_course/data`.
    """
    if os.environ.get("GAN_COURSE_DATA"):
        path = Path(os.environ["GAN_COURSE_DATA"])
    else:
        checkout = Path(__file__).resolve().parent.parent / "data"
        path = checkout if checkout.is_dir() else Path.home() / ".gan_course" / "data"
    path.mkdir(parents=True, exist_ok=True)
    return path
