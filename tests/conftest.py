import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def pytest_collection_modifyitems(items):
    """The 60,000-digit notebook runs first: with the README's `pytest -n 2 --dist loadfile
    --no-loadscope-reorder`, the longest test file (a third of the suite's time) starts on one
    worker while the other works through the rest, instead of starting last."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/test_notebooks_full_mnist.py"))
