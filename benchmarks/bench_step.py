"""Steps per second: the course's train_on_batch engine against a fused tf.function step.

Same models, same batch, measured side by side in one run (rounds alternate between the
methods so that load on the machine hits all alike). Two fused steps: the TensorFlow tutorial's
("fused": one forward pass, D and G updated together from it) and Algorithm 1 as the engine runs
it ("fused Alg. 1": fresh fakes for D, D updated, then fresh z through the updated D for G). Prints
milliseconds per step and the ratios engine / fused (issue 19's target: at most 1.25 at batch 64)
and engine / fused Alg. 1 (what the engine's Keras calls cost over the same work). A second table:
the engine with DiffAugment (`augment=`) against the engine without, and against T run op by op
in D's step (eagerly, as the engine first did) instead of as one traced call.

    python benchmarks/bench_step.py [--rounds 5] [--steps 20]
"""
import argparse
import os
import platform
import statistics
import sys
import time

import gan_course  # noqa: F401  (quiet TensorFlow import)
import keras
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from references import FusedAlgorithm1, FusedTrainer, tf_tutorial_dcgan  # noqa: E402

from gan_course import augment, data, models, training  # noqa: E402


class PredictGAN(training.GAN):
    """The engine, but making fakes with G.predict, as many older tutorials do."""

    def d_step(self, x):
        self.G.predict_on_batch = lambda z: self.G.predict(z, verbose=0)
        return super().d_step(x)


class EagerAugmentGAN(training.GAN):
    """The engine with T applied op by op in D's step (eagerly), as it first did."""

    def augmented(self, images):
        return self.augment(images, training=True)


def seconds_per_step(trainer, images, batch, steps, rng):
    batches = [images[rng.integers(0, len(images), batch)] for _ in range(steps)]
    if isinstance(trainer, training.GAN):  # the engine's train_step takes a list of k batches
        batches = [[x] for x in batches]
    start = time.perf_counter()
    for x in batches:
        trainer.train_step(x)
    return (time.perf_counter() - start) / steps


def median_seconds(trainers, images, batch, rounds, steps):
    """{name: median seconds per step}, rounds alternating between the trainers."""
    rng = np.random.default_rng(0)
    times = {key: [] for key in trainers}
    for key, trainer in trainers.items():  # warm-up: tracing and first-call costs
        seconds_per_step(trainer, images, batch, 3, rng)
    for _ in range(rounds):
        for key, trainer in trainers.items():
            times[key].append(seconds_per_step(trainer, images, batch, steps, rng))
    return {key: statistics.median(v) for key, v in times.items()}


def case(name, build, latent_dim, images, batch, rounds, steps, with_predict):
    keras.utils.set_random_seed(0)
    trainers = {}
    G, D = build()
    trainers["engine"] = training.GAN(G, D, latent_dim)
    G, D = build()
    trainers["fused"] = FusedTrainer(G, D, latent_dim, learning_rate=2e-4, beta_1=0.5, from_logits=False)
    G, D = build()
    trainers["fused Alg. 1"] = FusedAlgorithm1(G, D, latent_dim)
    if with_predict:
        G, D = build()
        trainers["G.predict"] = PredictGAN(G, D, latent_dim)
    med = median_seconds(trainers, images, batch, rounds, steps)
    row = (f"{name:<28} {batch:>5} {med['fused'] * 1e3:>9.1f} {med['fused Alg. 1'] * 1e3:>9.1f} "
           f"{med['engine'] * 1e3:>10.1f} {med['engine'] / med['fused']:>8.2f} {med['engine'] / med['fused Alg. 1']:>8.2f}")
    if with_predict:
        row += f" {med['G.predict'] * 1e3:>12.1f} {med['G.predict'] / med['engine']:>8.2f}"
    print(row, flush=True)


def augment_case(name, build, latent_dim, images, batch, rounds, steps):
    keras.utils.set_random_seed(0)
    trainers = {"engine": training.GAN(*build(), latent_dim),
                "DiffAugment": training.GAN(*build(), latent_dim, augment=augment.DiffAugment()),
                "eager T": EagerAugmentGAN(*build(), latent_dim, augment=augment.DiffAugment())}
    med = median_seconds(trainers, images, batch, rounds, steps)
    print(f"{name:<28} {batch:>5} {med['engine'] * 1e3:>10.1f} {med['DiffAugment'] * 1e3:>9.1f} "
          f"{med['eager T'] * 1e3:>9.1f} {med['DiffAugment'] / med['engine']:>8.2f} "
          f"{med['eager T'] / med['engine']:>8.2f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    images, _ = data.load_mnist()
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, keras {keras.__version__}; "
          f"median of {args.rounds} rounds x {args.steps} steps")
    print(f"{'models':<28} {'batch':>5} {'fused ms':>9} {'Alg.1 ms':>9} {'engine ms':>10} {'eng/fus':>8} "
          f"{'eng/Alg.1':>8} {'G.predict ms':>12} {'pred/eng':>8}")
    latent = 64
    for batch in (64, 128):
        case("course MLP GAN", lambda: models.build_mlp_gan((28, 28, 1), latent), latent, images, batch,
             args.rounds, args.steps, with_predict=True)
        case("course DCGAN (width 32)", lambda: models.build_dcgan((28, 28, 1), latent), latent, images, batch,
             args.rounds, args.steps, with_predict=True)
        case("TF tutorial DCGAN (sigmoid)", lambda: _tutorial_with_sigmoid(), 100, images, batch,
             args.rounds, args.steps, with_predict=False)
    print(f"\n{'models':<28} {'batch':>5} {'engine ms':>10} {'+T ms':>9} {'eager ms':>9} {'+T/eng':>8} {'eager/eng':>8}")
    for batch in (64, 128):
        augment_case("course DCGAN (width 32)", lambda: models.build_dcgan((28, 28, 1), latent), latent, images,
                     batch, args.rounds, args.steps)


def _tutorial_with_sigmoid():
    """The tutorial's models with a sigmoid on D, so both methods can train them."""
    G, D = tf_tutorial_dcgan()
    D = keras.Sequential([D, keras.layers.Activation("sigmoid")], name="discriminator")
    return G, D


if __name__ == "__main__":
    main()
