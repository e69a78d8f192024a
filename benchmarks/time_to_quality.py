"""Time to quality: the course's GANs against two reference DCGANs, on this machine's CPU.

Each model trains on load_mnist('train') for fixed wall-clock budgets (training time only;
scoring pauses the clock) and is scored at each budget on --samples generated digits:
gan_course.metrics.classifier_scores (FID, IS, confident share, digit shares), and on the
first 500 of them improved precision and recall against 500 held-out digits
(metrics.precision_recall) and the memorisation share (metrics.nearest_training: samples
closer to a training digit than 95% of held-out digits are; held-out digits give 5%). The
conditional GAN is asked for each digit equally often and also reports label accuracy. All
models run in one process, one after another, on the same data. Prints a markdown table
(commit it to benchmarks/RESULTS.md).

    python benchmarks/time_to_quality.py [--budgets 120 240 480 960] [--samples 1000] [--models ...]
"""
import argparse
import datetime
import os
import platform
import sys
import time

import gan_course  # noqa: F401  (quiet TensorFlow import)
import keras
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from references import LATENT_DIM, FusedTrainer, KerasGanTrainer, keras_gan_dcgan, tf_tutorial_dcgan  # noqa: E402

from gan_course import augment, data, metrics, models, training  # noqa: E402

N_PR = 500  # samples and held-out digits for precision, recall and memorisation (lesson 05's count)


def unconditional(gan):
    """(train_step(x, y), sample(n) -> (images, None)) for a course engine without labels."""
    return lambda x, y: gan.train_step([x]), lambda n: (gan.sample(n, seed=1), None)


def course_vanilla(rng):
    G, D = models.build_mlp_gan((28, 28, 1), 64)
    return (*unconditional(training.GAN(G, D, 64)), 64)


def course_dcgan(rng):
    """Lesson 05's DCGAN: build_dcgan's and GAN's defaults, latent 64, batch 64."""
    G, D = models.build_dcgan((28, 28, 1), 64)
    return (*unconditional(training.GAN(G, D, 64)), 64)


def course_dcgan_augment(rng):
    """Lesson 05's DCGAN with DiffAugment (translation and cutout) in both steps."""
    G, D = models.build_dcgan((28, 28, 1), 64)
    return (*unconditional(training.GAN(G, D, 64, augment=augment.DiffAugment())), 64)


def course_cgan(rng):
    """Lesson 06's conditional GAN, asked for each digit equally often when sampled."""
    G, D = models.build_cgan((28, 28, 1), num_classes=10, latent_dim=64)
    gan = training.ConditionalGAN(G, D, latent_dim=64, num_classes=10)

    def sample(n):
        asked = np.arange(n) % 10
        return gan.sample(n, asked, seed=1), asked
    return lambda x, y: gan.train_step([(x, y)]), sample, 64


def _sampler(G, latent_dim):
    z = np.random.default_rng(1).standard_normal((4096, latent_dim)).astype("float32")
    return lambda n: (np.concatenate([G.predict_on_batch(z[i:i + 500]) for i in range(0, n, 500)])[:n], None)


def tf_tutorial(rng):
    G, D = tf_tutorial_dcgan()
    trainer = FusedTrainer(G, D, LATENT_DIM, learning_rate=1e-4)
    return lambda x, y: trainer.train_step(x), _sampler(G, LATENT_DIM), 256


def keras_gan(rng):
    G, D = keras_gan_dcgan()
    trainer = KerasGanTrainer(G, D, LATENT_DIM, rng)
    return lambda x, y: trainer.train_step(x), _sampler(G, LATENT_DIM), 32


MODELS = {
    "course vanilla GAN (MLP)": course_vanilla,
    "course DCGAN": course_dcgan,
    "course DCGAN, DiffAugment": course_dcgan_augment,
    "course conditional GAN": course_cgan,
    "TF tutorial DCGAN": tf_tutorial,
    "Keras-GAN DCGAN": keras_gan,
}


def score(name, budget, steps, samples, asked, images, held_out):
    """One table row for `samples` (and the labels they were asked for, or None)."""
    n = len(samples)
    s = metrics.classifier_scores(samples)
    pr = metrics.precision_recall(samples[:N_PR], held_out[:N_PR])
    memorised = metrics.nearest_training(samples[:N_PR], images, held_out[:N_PR])["memorised"]
    share = np.array(s["class_counts"]) / n
    accuracy = "" if asked is None else f"{metrics.label_accuracy(samples, asked):.1%}"
    return (f"| {name} | {budget} | {steps} | {s['fid']:.1f} | {s['inception_score']:.2f} | {s['confident']:.0%} | "
            f"{pr['precision']:.2f} | {pr['recall']:.2f} | {memorised:.1%} | {share.min():.0%}-{share.max():.0%} | "
            f"{int(np.sum(share >= 0.05))} | {accuracy} |")


def run(name, images, labels, held_out, budgets, n_samples):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    train_step, sample, batch = MODELS[name](rng)
    trained, steps = 0.0, 0
    for budget in budgets:
        while trained < budget:
            index = rng.integers(0, len(images), batch)
            start = time.perf_counter()
            train_step(images[index], labels[index])
            trained += time.perf_counter() - start
            steps += 1
        samples, asked = sample(n_samples)
        print(score(name, budget, steps, np.clip(samples, -1, 1), asked, images, held_out), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=int, nargs="+", default=[120, 240, 480, 960])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    args = parser.parse_args()
    images, labels = data.load_mnist("train")
    held_out, _ = data.load_mnist("test")
    metrics.classifier()  # train or load it before any clock starts
    print(f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, keras {keras.__version__}, "
          f"{len(images)} training digits, {args.samples} samples scored per row "
          f"(precision, recall, memorised: the first {N_PR}, against {N_PR} held-out digits)\n")
    print("| model | seconds | steps | FID | IS | confident | precision | recall | memorised | class shares "
          "| digits >= 5% | label accuracy |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for name in args.models:
        run(name, images, labels, held_out, sorted(args.budgets), args.samples)


if __name__ == "__main__":
    main()
