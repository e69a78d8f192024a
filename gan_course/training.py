"""The course's GAN engine: Algorithm 1 of Goodfellow et al. (2014) with `train_on_batch`.

    for each training iteration:
        for k steps:                                   # the discriminator
            sample z_1..z_m from the noise prior and x_1..x_m from the data
            ascend  1/m sum [log D(x_i) + log(1 - D(G(z_i)))]
        sample z_1..z_m from the noise prior          # the generator
        descend 1/m sum log(1 - D(G(z_i)))     (saturating, as in the paper)
        or      1/m sum -log D(G(z_i))         (non-saturating, the paper's advice; default)

D is compiled on its own; G learns through a combined model z -> D(G(z)) whose
D is frozen. Keras 3 reads `trainable` when it traces a model's train function
(at its first `train_on_batch`, and again whenever a new batch shape forces a
retrace), not at `compile()`. So the engine sets `D.trainable = True` right
before every D step and `D.trainable = False` right before every G step; the
Keras 2 recipe of freezing D once after compiling it leaves D never training.
Taught in 04.
"""
import json
import os
import shutil
import time
from pathlib import Path

import keras
import numpy as np
from tqdm.auto import tqdm

GENERATOR_LOSSES = ("non-saturating", "saturating")


# ---------------------------------------------------------------------- losses
def non_saturating_loss(y_true, y_pred):
    """-log D(G(z)): binary cross-entropy against the label 1 ("real").

    Gradient w.r.t. D's logit a: -(1 - D), near -1 when D rejects the fakes.
    """
    return keras.losses.binary_crossentropy(keras.ops.ones_like(y_pred), y_pred)


def saturating_loss(y_true, y_pred):
    """log(1 - D(G(z))), the generator's term of V(D, G), minimised as written.

    Gradient w.r.t. D's logit a: -D, near 0 when D rejects the fakes (it saturates).
    """
    return -keras.losses.binary_crossentropy(keras.ops.zeros_like(y_pred), y_pred)


def mean_on_real(y_true, y_pred):
    """Mean D(x) over the real half of a D batch (label 1)."""
    return keras.ops.sum(y_pred * y_true) / keras.ops.maximum(keras.ops.sum(y_true), 1.0)


def mean_on_fake(y_true, y_pred):
    """Mean D(G(z)) over the fake half of a D batch (label 0)."""
    return keras.ops.sum(y_pred * (1 - y_true)) / keras.ops.maximum(keras.ops.sum(1 - y_true), 1.0)


# ---------------------------------------------------------------------- helpers
def _output_range(model):
    """(low, high) of a model's outputs from its last activation, or None if unbounded."""
    for layer in reversed(model.layers):
        activation = getattr(layer, "activation", None)
        if activation is not None:
            name = getattr(activation, "__name__", "")
            return {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}.get(name)
    return None


def _default_optimizer():
    return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)  # Radford et al. 2016


# ---------------------------------------------------------------------- engine
class GAN:
    """Train a generator G and a discriminator D by Algorithm 1 with `train_on_batch`.

    generator:     z float32 (batch, latent_dim) -> x (batch, *data_shape)
    discriminator: x -> D(x) in (0, 1), shape (batch, 1), ending in a sigmoid
    k: discriminator steps per generator step (the paper's k).
    generator_loss: 'non-saturating' (default) or 'saturating'.
    seed: seeds the engine's own random streams (noise, minibatches); by default
        they derive from the global seed set by `keras.utils.set_random_seed`.
    """

    def __init__(self, generator, discriminator, latent_dim, k=1, generator_loss="non-saturating",
                 d_optimizer=None, g_optimizer=None, seed=None):
        if not isinstance(k, int) or k < 1:
            raise ValueError(f"k (discriminator steps per generator step) must be an integer >= 1, got {k!r}")
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f"generator_loss must be one of {GENERATOR_LOSSES}, got {generator_loss!r}")
        if generator.input_shape[1:] != (latent_dim,):
            raise ValueError(f"latent_dim={latent_dim} does not match the generator, "
                             f"which takes z of shape {generator.input_shape[1:]}")
        if generator.output_shape[1:] != discriminator.input_shape[1:]:
            raise ValueError(f"the generator makes {generator.output_shape[1:]} but the discriminator "
                             f"reads {discriminator.input_shape[1:]}")
        self.G, self.D = generator, discriminator
        self.latent_dim, self.k, self.generator_loss = latent_dim, k, generator_loss
        self.data_shape = tuple(discriminator.input_shape[1:])
        self.data_range = _output_range(generator)

        self.D.trainable = True
        self.D.compile(optimizer=d_optimizer or _default_optimizer(), loss="binary_crossentropy",
                       metrics=[mean_on_real, mean_on_fake])
        z = keras.Input((latent_dim,), name="z")
        self.combined = keras.Model(z, self.D(self.G(z)), name="combined")
        loss = non_saturating_loss if generator_loss == "non-saturating" else saturating_loss
        self.combined.compile(optimizer=g_optimizer or _default_optimizer(), loss=loss)

        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))  # follows keras.utils.set_random_seed
        self.seed = seed
        self.rng = np.random.default_rng(seed)  # noise and minibatch indices
        self.step = 0
        self.history = {"d_loss": [], "g_loss": [], "d_real": [], "d_fake": []}
        self.snapshots = []  # (step, images from the fixed snapshot_z)
        self._gradient_fns = {}
        self.snapshot_z = np.random.default_rng([seed, 1]).standard_normal((64, latent_dim)).astype("float32")

    # ------------------------------------------------------------ one iteration
    def noise(self, n):
        """n draws of z ~ N(0, I) from the engine's stream -> float32 (n, latent_dim)."""
        return self.rng.standard_normal((n, self.latent_dim)).astype("float32")

    def d_step(self, x):
        """One discriminator update on m real samples x and m fakes G(z).

        Returns {'d_loss', 'd_real', 'd_fake'}: binary cross-entropy over the 2m
        samples (labels 1 for real, 0 for fake; it equals -V(D, G) / 2 on the
        batch), and the mean D(x) and D(G(z)) before the update.
        """
        m = len(x)
        fake = self.G.predict_on_batch(self.noise(m))  # G in inference mode: G does not change
        labels = np.concatenate([np.ones((m, 1), "float32"), np.zeros((m, 1), "float32")])
        self.D.trainable = True  # Keras 3 reads this when it (re)traces D's train function
        logs = self.D.train_on_batch(np.concatenate([x, fake]), labels, return_dict=True)
        return {"d_loss": float(logs["loss"]), "d_real": float(logs["mean_on_real"]),
                "d_fake": float(logs["mean_on_fake"])}

    def g_step(self, m):
        """One generator update through the combined model on m fresh z -> G's loss."""
        self.D.trainable = False  # ...and this when it traces the combined one: D must not move
        return float(self.combined.train_on_batch(self.noise(m), np.ones((m, 1), "float32")))

    def train_step(self, real_batch):
        """One iteration of Algorithm 1: k D steps, then one G step.

        real_batch: one array (m, *data_shape) when k == 1, or a list of k of them.
        Returns {'d_loss', 'g_loss', 'd_real', 'd_fake'} (D's from its last step).
        """
        batches = [real_batch] if isinstance(real_batch, np.ndarray) else list(real_batch)
        if len(batches) != self.k:
            raise ValueError(f"train_step needs {self.k} real batches (k={self.k}), got {len(batches)}")
        for x in batches:
            logs = self.d_step(x)
        logs["g_loss"] = self.g_step(len(batches[-1]))
        self.step += 1
        return logs

    # ------------------------------------------------------------ the loop
    def _check_data(self, images, batch_size):
        if not isinstance(images, np.ndarray) or images.ndim < 2 or len(images) == 0:
            raise ValueError(f"images must be a non-empty numpy array (N, *{self.data_shape}), got {type(images)}")
        if images.shape[1:] != self.data_shape:
            raise ValueError(f"images have shape {images.shape[1:]} per sample, "
                             f"but the models expect {self.data_shape}")
        if not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= len(images):
            raise ValueError(f"batch_size must be an integer in [1, {len(images)}] (the number of "
                             f"images), got {batch_size!r}")
        if self.data_range is not None:
            low, high = self.data_range
            lo, hi = float(images.min()), float(images.max())
            if lo < low - 1e-6 or hi > high + 1e-6:
                raise ValueError(f"images range over [{lo:g}, {hi:g}] but the generator's outputs lie in "
                                 f"[{low:g}, {high:g}]; rescale them (e.g. x / 127.5 - 1 for uint8 pixels)")

    def train(self, images, steps, batch_size=64, checkpoint_dir=None, checkpoint_every=500,
              snapshot_every=None, progress=True):
        """Train until `self.step == steps` (a total, so a rerun resumes) -> history.

        images: float array (N, *data_shape), in the generator's output range.
        checkpoint_dir: if given, G, D, both optimizers, the step, the random
            stream and the history are saved there every `checkpoint_every` steps,
            at the end and on interruption (Ctrl-C, "interrupt kernel"); if it
            already holds a later checkpoint, training resumes from it.
        snapshot_every: every so many steps, append (step, G(snapshot_z)) to
            `self.snapshots`, 64 images from one fixed z to watch G learn.
        Returns self.history: a dict of lists, one entry a step.
        """
        self._check_data(images, batch_size)
        if not isinstance(steps, (int, np.integer)) or steps < 0:
            raise ValueError(f"steps must be an integer >= 0 (the total to reach), got {steps!r}")
        steps, batch_size = int(steps), int(batch_size)
        if checkpoint_dir is not None:
            self._maybe_resume(checkpoint_dir)
        first_step, started = self.step, time.perf_counter()
        bar = tqdm(total=steps, initial=min(self.step, steps), disable=not progress, desc="training")
        try:
            while self.step < steps:
                batches = [images[self.rng.integers(0, len(images), batch_size)] for _ in range(self.k)]
                logs = self.train_step(batches)
                for name, value in logs.items():
                    self.history[name].append(value)
                if snapshot_every and self.step % snapshot_every == 0:
                    self.snapshots.append((self.step, self.G.predict_on_batch(self.snapshot_z)))
                if checkpoint_dir is not None and self.step % checkpoint_every == 0:
                    self.save(checkpoint_dir)
                bar.update(1)
                if self.step % 10 == 0 or self.step == steps:
                    bar.set_postfix({name: f"{value:.3f}" for name, value in logs.items()}, refresh=False)
        except KeyboardInterrupt:
            print(f"Interrupted at step {self.step}" + (f"; saved to {checkpoint_dir}" if checkpoint_dir else ""))
        finally:
            bar.close()
            if checkpoint_dir is not None and self.step > 0:
                self.save(checkpoint_dir)
        if progress and self.step > first_step:  # a line that survives where the bar is a widget
            seconds = time.perf_counter() - started
            print(f"trained steps {first_step + 1}-{self.step} in {seconds:.0f} s "
                  f"({(self.step - first_step) / seconds:.0f} steps/s); "
                  + ", ".join(f"{name} {values[-1]:.3f}" for name, values in self.history.items()))
        return self.history

    def sample(self, n, seed=None):
        """n generated samples -> (n, *data_shape), in [-1, 1] for image generators.

        seed: an int for the same samples every call; None draws from the
        global numpy stream (reproducible after keras.utils.set_random_seed).
        """
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        z = np.random.default_rng(seed).standard_normal((n, self.latent_dim)).astype("float32")
        return self.G.predict_on_batch(z)

    def generator_gradient_norm(self, n=256, loss=None, seed=0):
        """L2 norm of the generator loss's gradient w.r.t. all of G's weights (no update).

        n: how many z to average the loss over; loss: 'non-saturating' or
        'saturating' (default: this GAN's); seed: for z, kept apart from the
        training stream so that measuring does not change training.
        G and D run in inference mode. Taught in 04 (vanishing gradients).
        """
        import tensorflow as tf

        loss = loss or self.generator_loss
        if loss not in GENERATOR_LOSSES:
            raise ValueError(f"loss must be one of {GENERATOR_LOSSES}, got {loss!r}")
        if loss not in self._gradient_fns:
            loss_fn = non_saturating_loss if loss == "non-saturating" else saturating_loss

            @tf.function  # in a graph Keras recovers D's logit from the sigmoid, so tiny D(G(z)) stay exact
            def norm(z):
                with tf.GradientTape() as tape:
                    value = tf.reduce_mean(loss_fn(None, self.D(self.G(z, training=False), training=False)))
                return tf.linalg.global_norm(tape.gradient(value, self.G.trainable_variables))

            self._gradient_fns[loss] = norm
        z = np.random.default_rng(seed).standard_normal((n, self.latent_dim)).astype("float32")
        return float(self._gradient_fns[loss](tf.constant(z)))

    # ------------------------------------------------------------ checkpoints
    def _optimizers(self):
        return {"d": self.D.optimizer, "g": self.combined.optimizer}

    def save(self, checkpoint_dir):
        """Write a checkpoint to checkpoint_dir/step-XXXXXXX (weights-only formats, no pickle)."""
        root = Path(checkpoint_dir)
        root.mkdir(parents=True, exist_ok=True)
        final = root / f"step-{self.step:07d}"
        tmp = root / f".tmp-step-{self.step:07d}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        self.G.save_weights(tmp / "generator.weights.h5")
        self.D.save_weights(tmp / "discriminator.weights.h5")
        arrays = {f"{name}_{i}": np.asarray(v.numpy())
                  for name, opt in self._optimizers().items() if opt.built
                  for i, v in enumerate(opt.variables)}
        np.savez(tmp / "optimizers.npz", **arrays)
        if self.snapshots:
            np.savez(tmp / "snapshots.npz", steps=np.array([s for s, _ in self.snapshots]),
                     images=np.stack([x for _, x in self.snapshots]))
        state = {"step": self.step, "seed": self.seed, "k": self.k, "generator_loss": self.generator_loss,
                 "rng": self.rng.bit_generator.state, "history": self.history}
        (tmp / "state.json").write_text(json.dumps(state))
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
        (root / "latest.tmp").write_text(final.name)
        os.replace(root / "latest.tmp", root / "latest")  # atomic: a crash leaves the old pointer
        for old in root.glob("step-*"):
            if old != final:
                shutil.rmtree(old, ignore_errors=True)

    def _maybe_resume(self, checkpoint_dir):
        pointer = Path(checkpoint_dir) / "latest"
        if not pointer.exists():
            return
        folder = Path(checkpoint_dir) / pointer.read_text().strip()
        state = json.loads((folder / "state.json").read_text())
        if state["step"] <= self.step:
            return
        if (state["k"], state["generator_loss"]) != (self.k, self.generator_loss):
            raise ValueError(f"checkpoint in {checkpoint_dir} was made with k={state['k']}, "
                             f"generator_loss={state['generator_loss']!r}; this GAN has k={self.k}, "
                             f"generator_loss={self.generator_loss!r}")
        self.load(folder, state)
        print(f"Resumed from step {self.step} ({folder})")

    def load(self, folder, state=None):
        """Restore models, optimizers, step, random stream and history from a step-* folder."""
        folder = Path(folder)
        state = state or json.loads((folder / "state.json").read_text())
        self.D.trainable = True
        targets = {"d": self.D.trainable_variables, "g": self.G.trainable_variables}
        for name, opt in self._optimizers().items():
            if not opt.built:  # build first, so the weight files can restore into it
                opt.build(targets[name])
        self.G.load_weights(folder / "generator.weights.h5")
        self.D.load_weights(folder / "discriminator.weights.h5")
        with np.load(folder / "optimizers.npz") as saved:
            for name, opt in self._optimizers().items():
                keys = [key for key in saved.files if key.startswith(f"{name}_")]
                if len(keys) != len(opt.variables):
                    raise ValueError(f"checkpoint {folder} does not match these models' optimizers")
                for i, variable in enumerate(opt.variables):
                    variable.assign(saved[f"{name}_{i}"])
        if (folder / "snapshots.npz").exists():
            with np.load(folder / "snapshots.npz") as snaps:
                self.snapshots = list(zip(snaps["steps"].tolist(), snaps["images"]))
        self.step = state["step"]
        self.rng.bit_generator.state = state["rng"]
        self.history = {name: list(values) for name, values in state["history"].items()}
