"""Datasets: MNIST offline fallback and the toy distributions."""
import socket
import time

import numpy as np
import pytest

from gan_course import config, data


@pytest.fixture
def no_network(monkeypatch, tmp_path):
    """No route anywhere, an empty data folder and an empty keras cache."""
    def refuse(*args, **kwargs):
        raise OSError("network is unreachable (test)")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("GAN_COURSE_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))


def test_offline_mnist_falls_back_quickly_and_says_so(no_network, capsys):
    start = time.perf_counter()
    images, labels = data.load_mnist()
    assert time.perf_counter() - start < 10
    assert "No network" in capsys.readouterr().out
    assert images.shape == (4500, 28, 28, 1) and images.dtype == np.float32
    assert images.min() == -1.0 and images.max() == 1.0
    assert labels.dtype == np.int64 and np.array_equal(np.bincount(labels), [450] * 10)


def test_offline_test_split_is_disjoint_from_train(no_network):
    train, _ = data.load_mnist("train", verbose=False)
    test, test_labels = data.load_mnist("test", verbose=False)
    assert len(test) == 500 and np.array_equal(np.bincount(test_labels), [50] * 10)
    flat = {row.tobytes() for row in train.reshape(len(train), -1)}
    assert not any(row.tobytes() in flat for row in test.reshape(len(test), -1))


def test_mnist_npz_in_data_folder_is_used_first(no_network, capsys):
    rng = np.random.default_rng(0)
    fake = {"x_train": rng.integers(0, 256, (7, 28, 28), dtype=np.uint8), "y_train": np.arange(7),
            "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8), "y_test": np.arange(3)}
    np.savez(config.data_dir() / "mnist.npz", **fake)
    images, labels = data.load_mnist("all")
    assert capsys.readouterr().out == ""
    assert images.shape == (10, 28, 28, 1)
    np.testing.assert_allclose(images[0, ..., 0], fake["x_train"][0] / 127.5 - 1, atol=1e-6)


def test_unknown_split_is_rejected():
    with pytest.raises(ValueError, match="split"):
        data.load_mnist("validation")


def test_ring_centres_lie_on_the_circle_and_samples_near_them():
    x, centers = data.ring_of_gaussians(4000, seed=0)
    assert x.shape == (4000, 2) and centers.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 2.0, rtol=1e-6)
    nearest = np.linalg.norm(x[:, None] - centers[None], axis=2).min(axis=1)
    assert nearest.max() < 0.02 * 6  # 6 std: essentially never further
    assert abs(np.std(x - centers[np.argmin(np.linalg.norm(x[:, None] - centers[None], axis=2), 1)]) - 0.02) < 0.002


def test_grid_has_25_centres_at_even_coordinates():
    _, centers = data.grid_of_gaussians(10, seed=0)
    assert centers.shape == (25, 2)
    assert sorted(set(centers[:, 0].tolist())) == [-4, -2, 0, 2, 4]


def test_toy_samples_are_seeded():
    np.testing.assert_array_equal(data.ring_of_gaussians(5, seed=1)[0], data.ring_of_gaussians(5, seed=1)[0])
    assert not np.array_equal(data.grid_of_gaussians(5, seed=1)[0], data.grid_of_gaussians(5, seed=2)[0])


def test_mixture_pdf_integrates_to_one_and_sample_matches_moments():
    mix = data.Mixture1D(means=(-2, 3), stds=(0.5, 1.0), weights=(1, 3))
    grid = np.linspace(-10, 12, 20001)
    assert abs(np.trapezoid(mix.pdf(grid), grid) - 1) < 1e-6
    x = mix.sample(200_000, seed=0)
    assert x.shape == (200_000, 1)
    assert abs(x.mean() - (0.25 * -2 + 0.75 * 3)) < 0.02


@pytest.mark.parametrize("bad", [dict(means=(0,), stds=(0,)), dict(means=(0, 1), stds=(1,)),
                                 dict(means=(0,), stds=(1,), weights=(-1,))])
def test_bad_mixtures_are_rejected(bad):
    with pytest.raises(ValueError):
        data.Mixture1D(**bad)


@pytest.mark.parametrize("n", [0, -3, 2.5])
def test_bad_sample_counts_are_rejected(n):
    with pytest.raises(ValueError, match="n must"):
        data.ring_of_gaussians(n)
