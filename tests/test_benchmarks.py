"""The benchmarks' yardsticks do what RESULTS.md says they do."""
import sys
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from gan_course import models, training

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from references import FusedAlgorithm1  # noqa: E402


def test_fused_algorithm_1_does_the_engines_step_in_one_function():
    """bench_step.py's "fused Alg. 1" is the engine's iteration without its Keras calls: from the same
    weights, real batch and z, one step of each leaves G and D with the same weights."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (16, 28, 28, 1)).astype("float32")
    z_d, z_g = (rng.standard_normal((16, 8)).astype("float32") for _ in range(2))
    keras.utils.set_random_seed(0)
    G, D = models.build_dcgan((28, 28, 1), 8, width=8)  # G has BatchNorm: the training flags matter
    G2, D2 = models.build_dcgan((28, 28, 1), 8, width=8)
    G2.set_weights(G.get_weights())
    D2.set_weights(D.get_weights())
    before = G.get_weights() + D.get_weights()
    engine = training.GAN(G, D, 8)
    noise = [z_d, z_g]
    engine.noise = lambda m: noise.pop(0)  # D's fakes first, then G's step
    engine.train_step([x])
    FusedAlgorithm1(G2, D2, 8)._step(tf.constant(x), tf.constant(z_d), tf.constant(z_g))
    after, fused = G.get_weights() + D.get_weights(), G2.get_weights() + D2.get_weights()
    assert min(np.abs(a - b).max() for a, b in zip(after, before) if a.size > 1) > 1e-5  # every layer moved
    for a, b in zip(after, fused):
        np.testing.assert_allclose(a, b, atol=1e-6)
