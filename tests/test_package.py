"""Importing gan_course: TensorFlow is loaded for the TensorFlow backend only."""
import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("backend, loads_tensorflow", [("tensorflow", True), ("jax", False)])
def test_import_loads_tensorflow_only_for_its_backend(backend, loads_tensorflow):
    # A fresh interpreter: this one has TensorFlow loaded already. Only `import gan_course`,
    # so the check needs no JAX installed.
    env = dict(os.environ, KERAS_BACKEND=backend)
    code = "import sys, gan_course; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(loads_tensorflow)
