"""Numbers for GANs: MNIST classifier scores, label accuracy, and 2-D mode coverage.

The MNIST scores use a small CNN the course trains itself on `load_mnist('train')`
(seconds on a CPU, cached as weights in the data folder), not Inception:
    fid               Frechet distance between the classifier's penultimate features
                      (128-d) of the images and of real training digits. 0 is a
                      perfect match; it is an "FID" in form only, not comparable
                      with Inception-based FIDs in papers. Like FID it is biased
                      upwards for few images: compare scores at equal sample counts.
    inception_score   exp(E_x KL(p(y|x) || p(y))) with this classifier: 1 (worst)
                      to 10 (confident and balanced over the ten digits).
    confident         share of images whose top class probability exceeds 0.9. Alone it
                      proves little: the classifier is also sure about pure noise.
    class_counts      how many images the classifier puts in each digit class.
    class_entropy     entropy of that histogram in nats; log(10) = 2.303 is uniform.
Taught in 04-07; reference values for real, noise and blank images are in the README.
"""
import os

import numpy as np

from gan_course import config
from gan_course.data import load_mnist, mnist_source

NUM_CLASSES = 10
CONFIDENCE = 0.9
_cache = {}


# ------------------------------------------------------------------ input checks
def _check_images(images, min_count=1):
    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[1:] != (28, 28, 1):
        raise ValueError(f"images must have shape (N, 28, 28, 1) (or (N, 28, 28)), got {images.shape}")
    if len(images) < min_count:
        raise ValueError(f"need at least {min_count} images, got {len(images)}")
    if not np.isfinite(images).all():
        raise ValueError("images contain NaN or infinite values")
    low, high = float(images.min()), float(images.max())
    if low < -1 - 1e-3 or high > 1 + 1e-3:
        raise ValueError(f"images must lie in [-1, 1] (as load_mnist and tanh generators give), "
                         f"got values in [{low:g}, {high:g}]")
    return images


# ------------------------------------------------------------------ the classifier
def build_classifier():
    """A small CNN: image (N, 28, 28, 1) in [-1, 1] -> 10 class probabilities.

    The layer named 'features' (128 units) is the embedding for the Frechet distance.
    """
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu", kernel_initializer=keras.initializers.HeNormal(seed=1)),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu", kernel_initializer=keras.initializers.HeNormal(seed=2)),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dropout(0.3, seed=3),
        layers.Dense(128, activation="relu", name="features", kernel_initializer=keras.initializers.HeNormal(seed=4)),
        layers.Dense(NUM_CLASSES, activation="softmax", kernel_initializer=keras.initializers.GlorotUniform(seed=5)),
    ], name="mnist_classifier")


def _shift(images, rng, pixels=2):
    """Each image moved by up to `pixels` in x and y (background -1 fills in): cheap augmentation."""
    out = np.full_like(images, -1.0)
    for i, (dy, dx) in enumerate(rng.integers(-pixels, pixels + 1, size=(len(images), 2))):
        src = images[i, max(0, -dy):28 - max(0, dy), max(0, -dx):28 - max(0, dx)]
        out[i, max(0, dy):max(0, dy) + src.shape[0], max(0, dx):max(0, dx) + src.shape[1]] = src
    return out


def _training_digits():
    """load_mnist('train') and its source, read once per process (each load may probe the network)."""
    if "train" not in _cache:
        _cache["train"] = (*load_mnist("train", verbose=False), mnist_source())
    return _cache["train"]


def train_classifier(epochs=None, verbose=0):
    """Train the classifier on load_mnist('train') -> (model, held-out accuracy on 'test').

    Small data (the 4,500 offline digits) gets more epochs and shifted copies.
    """
    import keras

    x, y, _ = _training_digits()
    x_test, y_test = load_mnist("test", verbose=False)
    epochs = epochs or (3 if len(x) > 20_000 else 12)
    batch_size = 64
    rng = np.random.default_rng(0)
    model = build_classifier()
    schedule = keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=epochs * -(-len(x) // batch_size))
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy")
    for _ in range(epochs):
        order = rng.permutation(len(x))
        model.fit(_shift(x[order], rng), y[order], batch_size=batch_size, epochs=1, shuffle=False, verbose=verbose)
    accuracy = float(np.mean(np.argmax(model.predict(x_test, batch_size=500, verbose=0), 1) == y_test))
    return model, accuracy


def classifier():
    """The course's MNIST classifier, trained once and cached in the data folder."""
    if "model" in _cache:
        return _cache["model"]
    _, labels, source = _training_digits()
    path = config.data_dir() / f"mnist_classifier_{source}_{len(labels)}.weights.h5"
    if path.exists():
        model = build_classifier()
        model.load_weights(path)
    else:
        model, accuracy = train_classifier()
        partial = path.with_name(f"{path.stem}.{os.getpid()}.partial.weights.h5")
        model.save_weights(partial)
        os.replace(partial, path)  # whole or absent: the tests run in parallel and may load it meanwhile
        print(f"Trained the MNIST classifier for the metrics: {accuracy:.1%} held-out accuracy; cached in {path.name}")
    _cache["model"] = model
    return model


def _features_and_probs(images):
    import keras

    model = classifier()
    if "embed" not in _cache:
        _cache["embed"] = keras.Model(model.inputs, [model.get_layer("features").output, model.outputs[0]])
    features, probs = [], []
    for start in range(0, len(images), 500):
        f, p = _cache["embed"].predict_on_batch(images[start:start + 500])
        features.append(f)
        probs.append(p)
    return np.concatenate(features).astype("float64"), np.concatenate(probs).astype("float64")


def _real_statistics():
    if "real_stats" not in _cache:
        features, _ = _features_and_probs(_training_digits()[0])
        _cache["real_stats"] = features.mean(0), np.cov(features, rowvar=False)
    return _cache["real_stats"]


# ------------------------------------------------------------------ the scores
def frechet_distance(mu1, cov1, mu2, cov2):
    """||mu1 - mu2||^2 + Tr(C1 + C2 - 2 (C1 C2)^(1/2)) between two Gaussians.

    Tr((C1 C2)^(1/2)) is computed as the sum of square roots of the eigenvalues
    of C1^(1/2) C2 C1^(1/2), which is symmetric and so numerically stable.
    """
    values, vectors = np.linalg.eigh(cov1)
    root1 = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    middle = np.linalg.eigvalsh(root1 @ cov2 @ root1)
    trace_root = np.sqrt(np.clip(middle, 0, None)).sum()
    distance = np.sum((mu1 - mu2) ** 2) + np.trace(cov1) + np.trace(cov2) - 2 * trace_root
    return max(0.0, float(distance))  # >= 0 in exact arithmetic; rounding can dip below


def classifier_scores(images):
    """Scores of images (N >= 2, 28, 28, 1) in [-1, 1] -> dict (see the module docstring)."""
    images = _check_images(images, min_count=2)
    features, probs = _features_and_probs(images)
    mu, cov = _real_statistics()
    marginal = probs.mean(0)
    kl = np.sum(probs * (np.log(probs + 1e-12) - np.log(marginal + 1e-12)), axis=1)
    counts = np.bincount(probs.argmax(1), minlength=NUM_CLASSES)
    share = counts / counts.sum()
    return {
        "fid": frechet_distance(features.mean(0), np.cov(features, rowvar=False), mu, cov),
        "inception_score": float(np.exp(kl.mean())),
        "confident": float(np.mean(probs.max(1) > CONFIDENCE)),
        "class_counts": counts.tolist(),
        "class_entropy": float(-np.sum(share[share > 0] * np.log(share[share > 0]))) + 0.0,  # no -0.0
    }


def label_accuracy(images, labels):
    """Share of images (N, 28, 28, 1) the classifier puts in the requested class labels (N,) in 0..9."""
    images = _check_images(images)
    labels = np.asarray(labels)
    if labels.shape != (len(images),):
        raise ValueError(f"labels must have shape ({len(images)},), one per image; got {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers, got dtype {labels.dtype}")
    if labels.min() < 0 or labels.max() >= NUM_CLASSES:
        raise ValueError(f"labels must lie in 0..{NUM_CLASSES - 1}, got {labels.min()}..{labels.max()}")
    _, probs = _features_and_probs(images)
    return float(np.mean(probs.argmax(1) == labels))


def mode_coverage(samples, centers, std):
    """Modes covered and the share of high-quality samples, as VEEGAN and PacGAN count them.

    samples (N, D), centers (M, D), std: the standard deviation of each mode.
    A sample is high quality when it lies within 3 std of its nearest centre; a
    mode is covered when at least one high-quality sample has it as nearest
    centre (Srivastava et al. 2017, VEEGAN; Lin et al. 2018, PacGAN).
    Returns {'modes': covered count, 'high_quality': share in [0, 1],
    'per_mode': high-quality samples per mode (M,)}.
    """
    samples, centers = np.asarray(samples, "float64"), np.asarray(centers, "float64")
    if samples.ndim != 2 or centers.ndim != 2 or samples.shape[1] != centers.shape[1]:
        raise ValueError(f"samples (N, D) and centers (M, D) must share D; got {samples.shape} and {centers.shape}")
    if len(samples) == 0 or len(centers) == 0:
        raise ValueError("samples and centers must not be empty")
    if not std > 0:
        raise ValueError(f"std must be > 0, got {std}")
    distances = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)
    nearest = distances.argmin(1)
    good = distances.min(1) < 3 * std
    per_mode = np.bincount(nearest[good], minlength=len(centers))
    return {"modes": int(np.sum(per_mode > 0)), "high_quality": float(good.mean()), "per_mode": per_mode.tolist()}


# ------------------------------------------------------------------ fidelity, diversity, copying
def _distances(a, b):
    """Euclidean distances (len(a), len(b)) between rows, in float64."""
    a, b = np.asarray(a, "float64"), np.asarray(b, "float64")
    squared = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.clip(squared, 0, None))


def _knn_radii(points, k):
    """Distance from each point to its k-th nearest neighbour among the others."""
    return np.sort(_distances(points, points), axis=1)[:, k]  # column 0 is the point itself


def precision_recall_features(fake, real, k=3):
    """Improved precision and recall (Kynkaanniemi et al. 2019) between feature sets (N, F).

    Each set's manifold is the union of balls around its points, each ball reaching
    the point's k-th nearest neighbour in the same set. precision: share of fake
    points inside the real manifold (how many samples look real); recall: share of
    real points inside the fake manifold (how much of the data the samples cover).
    """
    fake, real = np.asarray(fake, "float64"), np.asarray(real, "float64")
    if fake.ndim != 2 or real.ndim != 2 or fake.shape[1] != real.shape[1]:
        raise ValueError(f"fake and real must be (N, F) with the same F, got {fake.shape} and {real.shape}")
    if not isinstance(k, int) or k < 1 or k >= min(len(fake), len(real)):
        raise ValueError(f"k must be an integer in [1, {min(len(fake), len(real)) - 1}], got {k!r}")
    between = _distances(fake, real)
    precision = np.mean((between <= _knn_radii(real, k)[None, :]).any(1))
    recall = np.mean((between <= _knn_radii(fake, k)[:, None]).any(0))
    return {"precision": float(precision), "recall": float(recall)}


def precision_recall(samples, real, k=3):
    """Improved precision and recall of images (N, 28, 28, 1) against real digits, in the
    classifier's feature space (see precision_recall_features). Use equal counts; the
    paper uses k = 3."""
    fake_features, _ = _features_and_probs(_check_images(samples, min_count=k + 1))
    real_features, _ = _features_and_probs(_check_images(real, min_count=k + 1))
    return precision_recall_features(fake_features, real_features, k)


def nearest_training(samples, training, held_out, k=1, quantile=0.05):
    """Each sample's k nearest training images, and how often samples sit closer to the
    training set than real held-out digits do.

    samples, training, held_out: images (N, 28, 28, 1) in [-1, 1]; distances are taken
    in pixels and in the classifier's features. The memorisation figure: the share of
    samples whose feature distance to their nearest training image is below the
    `quantile` of the same distance for held-out digits. Held-out digits give
    `quantile` by construction; a generator that copies its training set gives ~1.
    Returns {'pixel_index', 'pixel_distance', 'feature_index', 'feature_distance'}
    (each (N, k), nearest first) and 'memorised' (a share in [0, 1]).
    """
    samples, training, held_out = (_check_images(x) for x in (samples, training, held_out))
    if not isinstance(k, int) or not 1 <= k <= len(training):
        raise ValueError(f"k must be an integer in [1, {len(training)}], got {k!r}")
    if not 0 < quantile < 1:
        raise ValueError(f"quantile must lie in (0, 1), got {quantile}")
    out = {}
    flat = lambda x: x.reshape(len(x), -1)
    train_features, _ = _features_and_probs(training)
    for name, a, b in (("pixel", flat(samples), flat(training)),
                       ("feature", _features_and_probs(samples)[0], train_features)):
        d = _distances(a, b)
        index = np.argsort(d, axis=1)[:, :k]
        out[f"{name}_index"], out[f"{name}_distance"] = index, np.take_along_axis(d, index, 1)
    held_nearest = _distances(_features_and_probs(held_out)[0], train_features).min(1)
    out["memorised"] = float(np.mean(out["feature_distance"][:, 0] < np.quantile(held_nearest, quantile)))
    return out
