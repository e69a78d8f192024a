"""Metrics on cases with known answers."""
import numpy as np
import pytest

from gan_course import data, metrics


@pytest.fixture(scope="module")
def real():
    return data.load_mnist("train", verbose=False)


@pytest.fixture(scope="module")
def held_out():
    return data.load_mnist("test", verbose=False)


def test_classifier_is_accurate_on_held_out_digits(held_out):
    images, labels = held_out
    assert metrics.label_accuracy(images, labels) >= 0.97


def test_real_digits_score_like_real_digits(held_out):
    scores = metrics.classifier_scores(held_out[0])
    assert scores["fid"] < 10  # 500 images: the estimate is biased upwards by about 4.6
    assert scores["inception_score"] > 8.5
    assert scores["confident"] > 0.9
    assert scores["class_entropy"] > 0.99 * np.log(10)


def test_noise_and_blank_images_score_badly(held_out):
    real_fid = metrics.classifier_scores(held_out[0])["fid"]
    noise = np.random.default_rng(0).uniform(-1, 1, (500, 28, 28, 1)).astype("float32")
    blank = np.full((500, 28, 28, 1), -1.0, "float32")
    for images in (noise, blank):
        scores = metrics.classifier_scores(images)
        assert scores["fid"] > 50 * real_fid
        assert scores["inception_score"] < 2


def test_a_single_repeated_digit_covers_one_class(real):
    images, labels = real
    one_seven = np.repeat(images[labels == 7][:1], 200, axis=0)
    scores = metrics.classifier_scores(one_seven)
    assert scores["class_counts"][7] == 200 and sum(scores["class_counts"]) == 200
    assert scores["class_entropy"] == 0.0
    assert scores["inception_score"] == pytest.approx(1.0, abs=1e-6)


def test_label_accuracy_drops_to_chance_for_shuffled_labels(held_out):
    images, labels = held_out
    shuffled = np.random.default_rng(0).permutation(labels)
    assert metrics.label_accuracy(images, shuffled) < 0.2


def test_frechet_distance_matches_closed_form_for_diagonal_gaussians():
    mu1, mu2 = np.array([0.0, 1.0]), np.array([1.0, 1.0])
    var1, var2 = np.array([1.0, 4.0]), np.array([4.0, 9.0])
    expected = 1.0 + np.sum(var1 + var2 - 2 * np.sqrt(var1 * var2))
    assert metrics.frechet_distance(mu1, np.diag(var1), mu2, np.diag(var2)) == pytest.approx(expected)
    assert metrics.frechet_distance(mu1, np.diag(var1), mu1, np.diag(var1)) == pytest.approx(0, abs=1e-9)


def test_ring_samples_from_four_modes_cover_four():
    samples, centers = data.ring_of_gaussians(1000, seed=0)
    nearest = np.linalg.norm(samples[:, None] - centers[None], axis=2).argmin(1)
    result = metrics.mode_coverage(samples[nearest < 4], centers, std=0.02)
    assert result["modes"] == 4 and result["per_mode"][4:] == [0, 0, 0, 0]
    assert result["high_quality"] > 0.99


def test_far_samples_are_not_high_quality():
    _, centers = data.grid_of_gaussians(10, seed=0)
    result = metrics.mode_coverage(centers + 1.0, centers, std=0.05)  # halfway between modes
    assert result == {"modes": 0, "high_quality": 0.0, "per_mode": [0] * 25}


@pytest.mark.parametrize("images, message", [
    (np.zeros((0, 28, 28, 1)), "at least"),
    (np.zeros((4, 32, 32, 1)), "shape"),
    (np.full((4, 28, 28, 1), 255.0), r"\[-1, 1\]"),
    (np.full((4, 28, 28, 1), np.nan), "NaN"),
])
def test_bad_images_are_rejected(images, message):
    with pytest.raises(ValueError, match=message):
        metrics.classifier_scores(images)


@pytest.mark.parametrize("labels, message", [
    (np.zeros(3, int), "shape"), (np.full(4, 10), "0..9"), (np.zeros(4, float), "integers")])
def test_bad_labels_are_rejected(labels, message):
    with pytest.raises(ValueError, match=message):
        metrics.label_accuracy(np.zeros((4, 28, 28, 1), "float32"), labels)


@pytest.mark.parametrize("samples, centers, std", [
    (np.zeros((0, 2)), np.zeros((3, 2)), 0.1), (np.zeros((4, 3)), np.zeros((3, 2)), 0.1),
    (np.zeros((4, 2)), np.zeros((3, 2)), 0.0)])
def test_bad_mode_coverage_input_is_rejected(samples, centers, std):
    with pytest.raises(ValueError):
        metrics.mode_coverage(samples, centers, std)


# ------------------------------------------------------------------ precision, recall, copying
def test_precision_and_recall_of_two_samples_of_one_gaussian_are_high():
    rng = np.random.default_rng(0)
    scores = metrics.precision_recall_features(rng.normal(size=(1000, 16)), rng.normal(size=(1000, 16)))
    assert scores["precision"] > 0.7 and scores["recall"] > 0.7  # 0.80 / 0.78 measured


def test_real_digits_against_held_out_digits_score_high(real, held_out):
    scores = metrics.precision_recall(real[0][:500], held_out[0])
    assert scores["precision"] > 0.8 and scores["recall"] > 0.8  # 0.89 / 0.88 measured


def test_one_repeated_digit_has_full_precision_and_no_recall(real, held_out):
    scores = metrics.precision_recall(np.repeat(real[0][:1], 500, axis=0), held_out[0])
    assert scores["precision"] == 1.0 and scores["recall"] < 0.05


def test_noise_has_low_precision(held_out):
    noise = np.random.default_rng(0).uniform(-1, 1, (500, 28, 28, 1)).astype("float32")
    assert metrics.precision_recall(noise, held_out[0])["precision"] < 0.2  # 0.07 measured


def test_precision_recall_rejects_bad_k():
    with pytest.raises(ValueError, match="k must"):
        metrics.precision_recall_features(np.zeros((3, 2)), np.zeros((3, 2)), k=3)


def test_copies_of_training_digits_are_found_and_count_as_memorised(real, held_out):
    train = real[0]
    result = metrics.nearest_training(train[100:300], train, held_out[0], k=2)
    assert result["pixel_index"][:, 0].tolist() == list(range(100, 300))
    assert np.allclose(result["pixel_distance"][:, 0], 0, atol=1e-3)
    assert result["pixel_index"].shape == result["feature_index"].shape == (200, 2)
    assert result["memorised"] == 1.0


def test_held_out_digits_are_memorised_about_as_often_as_the_quantile(real, held_out):
    images = held_out[0]
    result = metrics.nearest_training(images[:250], real[0], images[250:], quantile=0.05)
    assert result["memorised"] < 0.15  # 0.05 by construction for the same population
