"""Helpers the freezing tests share: snapshot a model's weights, and ask whether they moved.

The coding exercises' checkers need the same two, so they live in the package."""
from gan_course.coding_exercises.checks_steps import _moved as changed  # noqa: F401
from gan_course.coding_exercises.checks_steps import _weights as weights  # noqa: F401
