"""Time to quality: the course's GANs against two reference DCGANs, on this machine's CPU.

Each model trains on load_mnist('train') for fixed wall-clock budgets (training time only;
scoring pauses the clock) and is scored with gan_course.metrics.classifier_scores on
--samples generated digits at each budget. All models run in one process, one after another,
on the same data. Prints a markdown table (commit it to benchmarks/RESULTS.md).

    python benchmarks/time_to_quality.py [--budgets 60 120 240 480] [--samples 1000] [--models ...]
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

from gan_course import data, metrics, models, training  # noqa: E402


def course_vanilla(rng):
    G, D = models.build_mlp_gan((28, 28, 1), 64)
    gan = training.GAN(G, D, 64)
    return lambda x: gan.train_step([x]), lambda n: gan.sample(n, seed=1), 64


def course_dcgan(rng):
    G, D = models.build_dcgan((28, 28, 1), 64)
    gan = training.GAN(G, D, 64)
    return lambda x: gan.train_step([x]), lambda n: gan.sample(n, seed=1), 64


def _sampler(G, latent_dim):
    z = np.random.default_rng(1).standard_normal((4096, latent_dim)).astype("float32")
    return lambda n: np.concatenate([G.predict_on_batch(z[i:i + 500]) for i in range(0, n, 500)])[:n]


def tf_tutorial(rng):
    G, D = tf_tutorial_dcgan()
    trainer = FusedTrainer(G, D, LATENT_DIM, learning_rate=1e-4)
    return trainer.train_step, _sampler(G, LATENT_DIM), 256


def keras_gan(rng):
    G, D = keras_gan_dcgan()
    trainer = KerasGanTrainer(G, D, LATENT_DIM, rng)
    return trainer.train_step, _sampler(G, LATENT_DIM), 32


MODELS = {
    "course vanilla GAN (MLP)": course_vanilla,
    "course DCGAN": course_dcgan,
    "TF tutorial DCGAN": tf_tutorial,
    "Keras-GAN DCGAN": keras_gan,
}


def run(name, images, budgets, n_samples):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    train_step, sample, batch = MODELS[name](rng)
    trained, steps = 0.0, 0
    for budget in budgets:
        while trained < budget:
            x = images[rng.integers(0, len(images), batch)]
            start = time.perf_counter()
            train_step(x)
            trained += time.perf_counter() - start
            steps += 1
        s = metrics.classifier_scores(np.clip(sample(n_samples), -1, 1))
        share = np.array(s["class_counts"]) / n_samples
        print(f"| {name} | {budget} | {steps} | {s['fid']:.1f} | {s['inception_score']:.2f} | "
              f"{s['confident']:.0%} | {share.min():.0%}-{share.max():.0%} | {int(np.sum(share >= 0.05))} |",
              flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=int, nargs="+", default=[60, 120, 240, 480])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    args = parser.parse_args()
    images, _ = data.load_mnist("train")
    metrics.classifier()  # train or load it before any clock starts
    print(f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, keras {keras.__version__}, "
          f"{len(images)} training digits, {args.samples} samples scored per row\n")
    print("| model | seconds | steps | FID | IS | confident | class shares | digits >= 5% |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for name in args.models:
        run(name, images, sorted(args.budgets), args.samples)


if __name__ == "__main__":
    main()
