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


def _one_or_list(arrays):
    """A model with one input takes the array itself, one with several a list."""
    return arrays[0] if len(arrays) == 1 else list(arrays)


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
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise ValueError(f"k (discriminator steps per generator step) must be an integer >= 1, got {k!r}")
        if generator_loss not in self.generator_losses:
            raise ValueError(f"generator_loss must be one of {self.generator_losses}, got {generator_loss!r}")
        if tuple(generator.inputs[0].shape[1:]) != (latent_dim,):
            raise ValueError(f"latent_dim={latent_dim} does not match the generator, "
                             f"which takes z of shape {tuple(generator.inputs[0].shape[1:])}")
        if tuple(generator.outputs[0].shape[1:]) != tuple(discriminator.inputs[0].shape[1:]):
            raise ValueError(f"the generator makes {tuple(generator.outputs[0].shape[1:])} but the "
                             f"discriminator reads {tuple(discriminator.inputs[0].shape[1:])}")
        self._check_discriminator_output(discriminator)
        self.G, self.D = generator, discriminator
        self.latent_dim, self.k, self.generator_loss = latent_dim, k, generator_loss
        self.data_shape = tuple(discriminator.inputs[0].shape[1:])
        self.data_range = _output_range(generator)

        self.D.trainable = True
        self._compile_discriminator(d_optimizer or self._default_optimizer())
        inputs = [keras.Input(tuple(t.shape[1:]), dtype=t.dtype, name=n)  # z, then any conditions
                  for t, n in zip(generator.inputs, ["z", "y", "c"])]
        fake = self.G(_one_or_list(inputs))
        self.combined = keras.Model(inputs, self.D(_one_or_list([fake, *inputs[1:]])), name="combined")
        self.combined.compile(optimizer=g_optimizer or self._default_optimizer(), loss=self._generator_loss_fn())

        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))  # follows keras.utils.set_random_seed
        self.seed = seed
        self.rng = np.random.default_rng(seed)  # noise, minibatch indices, fake labels, ...
        self.step = 0
        self.history = {}  # one list per logged value (d_loss, g_loss, ...), one entry a step
        self.snapshots = []  # (step, images from the fixed snapshot_z)
        self._gradient_fns = {}
        self.snapshot_z = np.random.default_rng([seed, 1]).standard_normal((64, latent_dim)).astype("float32")

    # ------------------------------------------------------------ what subclasses change
    generator_losses = GENERATOR_LOSSES

    @staticmethod
    def _default_optimizer():
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)  # Radford et al. 2016

    def _check_discriminator_output(self, discriminator):
        if _output_range(discriminator) != (0.0, 1.0):
            raise ValueError("the discriminator must end in a sigmoid (D(x) is a probability); "
                             "a linear output is a WGAN critic: use training.WGAN or WGANGP")

    def _compile_discriminator(self, optimizer):
        self.D.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=[mean_on_real, mean_on_fake])

    def _generator_loss_fn(self):
        return non_saturating_loss if self.generator_loss == "non-saturating" else saturating_loss

    def _targets(self, m):
        """D's targets for m real then m fake samples, and G's for m fakes."""
        d = np.concatenate([np.ones((m, 1), "float32"), np.zeros((m, 1), "float32")])
        return d, np.ones((m, 1), "float32")

    def _fake_conditions(self, m):
        """Extra generator inputs besides z for m fakes (a conditional GAN's labels)."""
        return []

    def _train_discriminator(self, inputs, targets):
        """One D.train_on_batch -> the step's log dict."""
        logs = self.D.train_on_batch(inputs, targets, return_dict=True)
        return {"d_loss": float(logs["loss"]), "d_real": float(logs["mean_on_real"]),
                "d_fake": float(logs["mean_on_fake"])}

    # ------------------------------------------------------------ one iteration
    def noise(self, n):
        """n draws of z ~ N(0, I) from the engine's stream -> float32 (n, latent_dim)."""
        return self.rng.standard_normal((n, self.latent_dim)).astype("float32")

    def d_step(self, batch):
        """One discriminator update on m real samples and m fakes G(z).

        batch: x (m, *data_shape), or a tuple (x, labels) for a conditional GAN.
        Returns {'d_loss', 'd_real', 'd_fake'}: binary cross-entropy over the 2m
        samples (labels 1 for real, 0 for fake; it equals -V(D, G) / 2 on the
        batch), and the mean D(x) and D(G(z)) before the update.
        """
        x, *conditions = batch if isinstance(batch, tuple) else (batch,)
        m = len(x)
        fake_conditions = self._fake_conditions(m)
        fake = self.G.predict_on_batch(_one_or_list([self.noise(m), *fake_conditions]))  # G does not change
        inputs = [np.concatenate([real, made]) for real, made in zip([x, *conditions], [fake, *fake_conditions])]
        self.D.trainable = True  # Keras 3 reads this when it (re)traces D's train function
        return self._train_discriminator(_one_or_list(inputs), self._targets(m)[0])

    def g_step(self, m):
        """One generator update through the combined model on m fresh z -> G's loss."""
        self.D.trainable = False  # ...and this when it traces the combined one: D must not move
        inputs = _one_or_list([self.noise(m), *self._fake_conditions(m)])
        return float(self.combined.train_on_batch(inputs, self._targets(m)[1]))

    def train_step(self, real_batch):
        """One iteration of Algorithm 1: k D steps, then one G step.

        real_batch: one batch (x, or (x, labels)) when k == 1, or a list of k of them.
        Returns {'d_loss', 'g_loss', ...} (D's values from its last step).
        """
        batches = real_batch if isinstance(real_batch, list) else [real_batch]
        if len(batches) != self.k:
            raise ValueError(f"train_step needs {self.k} real batches (k={self.k}), got {len(batches)}")
        for batch in batches:
            logs = self.d_step(batch)
        logs["g_loss"] = self.g_step(len(batches[-1][0] if isinstance(batches[-1], tuple) else batches[-1]))
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
        return self._fit([images], steps, batch_size, checkpoint_dir, checkpoint_every, snapshot_every, progress)

    def _snapshot(self):
        return self.G.predict_on_batch(self.snapshot_z)

    def _fit(self, arrays, steps, batch_size, checkpoint_dir, checkpoint_every, snapshot_every, progress):
        """The loop behind every `train`: arrays are [images] or [images, labels]."""
        if not isinstance(steps, (int, np.integer)) or steps < 0:
            raise ValueError(f"steps must be an integer >= 0 (the total to reach), got {steps!r}")
        steps, batch_size = int(steps), int(batch_size)
        if checkpoint_dir is not None:
            self._maybe_resume(checkpoint_dir)
        first_step, started = self.step, time.perf_counter()
        bar = tqdm(total=steps, initial=min(self.step, steps), disable=not progress, desc="training")
        try:
            while self.step < steps:
                batches = []
                for _ in range(self.k):
                    index = self.rng.integers(0, len(arrays[0]), batch_size)
                    batches.append(tuple(a[index] for a in arrays) if len(arrays) > 1 else arrays[0][index])
                logs = self.train_step(batches)
                for name, value in logs.items():
                    self.history.setdefault(name, []).append(value)
                if snapshot_every and self.step % snapshot_every == 0:
                    self.snapshots.append((self.step, self._snapshot()))
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
                  f"({(self.step - first_step) / seconds:.0f} steps/s); last step: "
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

        n: how many z to average the loss over; loss: one of this GAN's
        `generator_losses` (default: the one it trains with); seed: for z, kept
        apart from the training stream so that measuring does not change training.
        G and D run in inference mode. The norm is summed in float64: squaring
        float32 gradients would round norms below ~1e-19 to exactly 0.
        Taught in 04 (vanishing gradients).
        """
        import tensorflow as tf

        loss = loss or self.generator_loss
        if loss not in self.generator_losses:
            raise ValueError(f"loss must be one of {self.generator_losses}, got {loss!r}")
        if loss not in self._gradient_fns:
            loss_fn = {"non-saturating": non_saturating_loss, "saturating": saturating_loss,
                       "wasserstein": wasserstein_loss}[loss]

            @tf.function(autograph=False)  # in a graph Keras recovers D's logit from the sigmoid: tiny D(G(z)) stay exact
            def norm(z):
                with tf.GradientTape() as tape:
                    scores = self.D(self.G(z, training=False), training=False)
                    value = tf.reduce_mean(loss_fn(-tf.ones_like(scores), scores))  # G's target -1 (WGAN)
                gradients = tape.gradient(value, self.G.trainable_variables)
                return tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(tf.cast(g, tf.float64))) for g in gradients]))

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


# ---------------------------------------------------------------------- conditional GAN
class ConditionalGAN(GAN):
    """A GAN whose G and D both read the class label y (Mirza & Osindero 2014).

    generator:     [z float32 (batch, latent_dim), y int (batch,)] -> x (batch, *data_shape)
    discriminator: [x, y] -> D(x | y) in (0, 1), shape (batch, 1)
    num_classes: labels are integers in [0, num_classes).
    The loop is GAN's: real batches bring their own labels, fakes get labels
    drawn uniformly, and the combined model is [z, y] -> D(G(z, y), y).
    Taught in 06.
    """

    def __init__(self, generator, discriminator, latent_dim, num_classes, **kwargs):
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}")
        if len(generator.inputs) != 2 or len(discriminator.inputs) != 2:
            raise ValueError("a conditional GAN needs G([z, y]) and D([x, y]) (two inputs each); "
                             "build them with models.build_cgan")
        self.num_classes = num_classes
        super().__init__(generator, discriminator, latent_dim, **kwargs)

    def _fake_conditions(self, m):
        return [self.rng.integers(0, self.num_classes, m).astype("int32")]

    def _check_labels(self, labels, n):
        labels = np.asarray(labels)
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"labels must be integers in [0, {self.num_classes}), got dtype {labels.dtype}")
        if labels.shape != (n,):
            raise ValueError(f"labels must have shape ({n},), one per image, got {labels.shape}")
        if n and (labels.min() < 0 or labels.max() >= self.num_classes):
            raise ValueError(f"labels must lie in [0, {self.num_classes}), got values from "
                             f"{labels.min()} to {labels.max()}")
        return labels.astype("int32")

    def train(self, images, labels, steps, batch_size=64, checkpoint_dir=None, checkpoint_every=500,
              snapshot_every=None, progress=True):
        """GAN.train with labels: int array (N,) in [0, num_classes), one per image.

        Snapshots show the fixed snapshot_z with labels 0, 1, 2, ... in turn."""
        self._check_data(images, batch_size)
        labels = self._check_labels(labels, len(images))
        return self._fit([images, labels], steps, batch_size, checkpoint_dir, checkpoint_every,
                         snapshot_every, progress)

    def _snapshot(self):
        labels = (np.arange(len(self.snapshot_z)) % self.num_classes).astype("int32")
        return self.G.predict_on_batch([self.snapshot_z, labels])

    def sample(self, n, labels, seed=None):
        """n samples of the given class(es) -> (n, *data_shape).

        labels: one int for all n, or n ints; seed as in GAN.sample.
        """
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        labels = self._check_labels(np.full(n, labels) if np.ndim(labels) == 0 else labels, n)
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        z = np.random.default_rng(seed).standard_normal((n, self.latent_dim)).astype("float32")
        return self.G.predict_on_batch([z, labels])


# ---------------------------------------------------------------------- WGAN and WGAN-GP
def wasserstein_loss(y_true, y_pred):
    """mean(y * f(x)). With y = -1 on real and +1 on fake samples, minimising it
    maximises E[f(x)] - E[f(G(z))], the critic's estimate of W1; with y = -1 on
    fakes it is G's loss -E[f(G(z))]."""
    return keras.ops.mean(y_true * y_pred, axis=-1)


class _WassersteinGAN(GAN):
    """What WGAN and WGAN-GP share: a critic with a linear output, n_critic critic
    steps per generator step, the critic's labels -1 (real) / +1 (fake) and G's -1."""

    generator_losses = ("wasserstein",)

    def __init__(self, generator, critic, latent_dim, n_critic=5, d_optimizer=None, g_optimizer=None, seed=None):
        if not isinstance(n_critic, int) or isinstance(n_critic, bool) or n_critic < 1:
            raise ValueError(f"n_critic (critic steps per generator step) must be an integer >= 1, got {n_critic!r}")
        super().__init__(generator, critic, latent_dim, k=n_critic, generator_loss="wasserstein",
                         d_optimizer=d_optimizer, g_optimizer=g_optimizer, seed=seed)
        self.n_critic = n_critic

    def _check_discriminator_output(self, critic):
        if _output_range(critic) is not None:
            raise ValueError("a WGAN critic must have a linear output (a score, not a probability); "
                             "build it with critic=True")

    def _generator_loss_fn(self):
        return wasserstein_loss

    def _targets(self, m):
        d = np.concatenate([-np.ones((m, 1), "float32"), np.ones((m, 1), "float32")])
        return d, -np.ones((m, 1), "float32")

    def critic_gradient_norms(self, real, fake, seed=0):
        """||grad f(x_hat)||_2 at interpolates of real and fake (m, *data_shape) -> (m,) numpy.

        alpha ~ U[0, 1] per pair, from `seed` (not the training stream). WGAN-GP
        pushes these towards 1; plotted in 07."""
        alpha = np.random.default_rng(seed).uniform(0, 1, (len(real),) + (1,) * len(self.data_shape))
        return input_gradient_norms(self.D, alpha * real + (1 - alpha) * fake)


class WGAN(_WassersteinGAN):
    """Wasserstein GAN with weight clipping (Arjovsky et al. 2017, Algorithm 1).

    critic: x -> f(x), shape (batch, 1), a linear output (build with critic=True).
    n_critic: critic steps per generator step; clip_value: after every critic
    step each critic weight is clipped to [-c, c], a crude way to keep f Lipschitz.
    Both networks use RMSProp with learning rate 5e-5, as in the paper.
    The critic's Keras loss is wasserstein_loss over its 2m samples, which is
    half the paper's E f(G(z)) - E f(x); RMSProp divides out the scale.
    Logs: d_loss (that loss), wasserstein (its estimate of E f(x) - E f(G(z))
    on the batch, before the update), g_loss. Taught in 07.
    """

    def __init__(self, generator, critic, latent_dim, n_critic=5, clip_value=0.01, d_optimizer=None,
                 g_optimizer=None, seed=None):
        if isinstance(clip_value, bool) or not (isinstance(clip_value, (int, float)) and clip_value > 0):
            raise ValueError(f"clip_value must be a positive number (WGAN clips every critic weight to "
                             f"[-c, c]; for no clipping use WGANGP), got {clip_value!r}")
        self.clip_value = float(clip_value)
        super().__init__(generator, critic, latent_dim, n_critic=n_critic,
                         d_optimizer=d_optimizer, g_optimizer=g_optimizer, seed=seed)

    @staticmethod
    def _default_optimizer():
        return keras.optimizers.RMSprop(learning_rate=5e-5)  # Arjovsky et al. 2017

    def _compile_discriminator(self, optimizer):
        self.D.compile(optimizer=optimizer, loss=wasserstein_loss)

    def _train_discriminator(self, inputs, targets):
        loss = float(self.D.train_on_batch(inputs, targets))
        self.clip_weights()
        return {"d_loss": loss, "wasserstein": -2.0 * loss}  # loss = -(E f(x) - E f(G(z))) / 2

    def clip_weights(self):
        """Clip every trainable critic weight to [-clip_value, clip_value]."""
        for weight in self.D.trainable_weights:
            weight.assign(keras.ops.clip(weight, -self.clip_value, self.clip_value))


def input_gradient_norms(model, x):
    """||d model(x) / dx||_2 for each of m inputs x (m, ...) -> (m,) numpy; the model
    runs in inference mode and must have one output per sample (D or a critic)."""
    import tensorflow as tf

    x = tf.constant(np.asarray(x, "float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = model(x, training=False)
    gradients = tape.gradient(scores, x).numpy()
    return np.sqrt(np.sum(np.square(gradients), axis=tuple(range(1, gradients.ndim))))


def gradient_penalty(critic, real, fake, alpha):
    """WGAN-GP's penalty: mean over the batch of (||grad f(x_hat)||_2 - 1)^2.

    real, fake: (m, *data_shape); alpha: (m, 1, ..., 1) in [0, 1], one draw of
    U[0, 1] per sample; x_hat = alpha * real + (1 - alpha) * fake lies on the
    segment between them. Returns a scalar tensor (TensorFlow backend).
    """
    import tensorflow as tf

    real, fake, alpha = (tf.convert_to_tensor(a, tf.float32) for a in (real, fake, alpha))
    x_hat = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat, training=True)
    gradients = tape.gradient(scores, x_hat)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=list(range(1, len(x_hat.shape)))) + 1e-12)
    return tf.reduce_mean(tf.square(norms - 1.0))


class _PenalisedCritic(keras.Model):
    """Wraps a critic so that `train_on_batch` adds the gradient penalty.

    The penalty needs the gradient of f with respect to its input, which a Keras
    loss(y_true, y_pred) cannot see; a model's own train_step can. Trained on
    ([x, alpha], y): x = m real then m fake samples, alpha as in gradient_penalty;
    y (-1 / +1) is not read: the loss is written out as the paper's,
    mean f(fake) - mean f(real) + gp_weight * penalty. Holds no weights of its own.
    """

    def __init__(self, critic, gp_weight):
        super().__init__(name="penalised_critic")
        self.critic, self.gp_weight = critic, gp_weight

    def call(self, x, training=False):
        return self.critic(x, training=training)

    def train_step(self, data):
        import tensorflow as tf

        (x, alpha), _ = data[0], data[1]  # x: m real then m fake samples
        m = tf.shape(alpha)[0]
        real, fake = x[:m], x[m:]
        with tf.GradientTape() as tape:
            # Gulrajani et al., Algorithm 1: L = f(x_fake) - f(x_real) + lambda (||grad f(x_hat)|| - 1)^2,
            # averaged over the m pairs; both means and the penalty carry their full weight.
            critic_loss = (tf.reduce_mean(self.critic(fake, training=True))
                           - tf.reduce_mean(self.critic(real, training=True)))
            penalty = gradient_penalty(self.critic, real, fake, alpha)
            loss = critic_loss + self.gp_weight * penalty
        variables = self.critic.trainable_variables
        self.optimizer.apply(tape.gradient(loss, variables), variables)
        return {"loss": loss, "critic_loss": critic_loss, "gradient_penalty": penalty}


class WGANGP(_WassersteinGAN):
    """WGAN with a gradient penalty instead of clipping (Gulrajani et al. 2017, Algorithm 1).

    The critic's loss is E f(G(z)) - E f(x) + gp_weight * E (||grad f(x_hat)||_2 - 1)^2
    on interpolates x_hat (see gradient_penalty); no clipping. Adam 1e-4 with
    betas (0, 0.9), n_critic 5, as in the paper. The critic must not use
    BatchNorm (the penalty is per sample). Logs also gradient_penalty.
    """

    def __init__(self, generator, critic, latent_dim, n_critic=5, gp_weight=10.0, d_optimizer=None,
                 g_optimizer=None, seed=None):
        if not isinstance(gp_weight, (int, float)) or gp_weight < 0:
            raise ValueError(f"gp_weight must be a number >= 0, got {gp_weight!r}")
        if any(isinstance(layer, keras.layers.BatchNormalization) for layer in critic.layers):
            raise ValueError("the WGAN-GP critic must not use BatchNormalization: the penalty is per sample "
                             "and BatchNorm mixes the samples of a batch (leave it out, or use LayerNormalization)")
        self.gp_weight = float(gp_weight)
        super().__init__(generator, critic, latent_dim, n_critic=n_critic,
                         d_optimizer=d_optimizer, g_optimizer=g_optimizer, seed=seed)

    @staticmethod
    def _default_optimizer():
        return keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.0, beta_2=0.9)  # Gulrajani et al. 2017

    def _compile_discriminator(self, optimizer):
        self.penalised = _PenalisedCritic(self.D, self.gp_weight)
        self.penalised.compile(optimizer=optimizer)

    def _train_discriminator(self, inputs, targets):
        m = len(targets) // 2
        alpha = self.rng.uniform(0.0, 1.0, (m,) + (1,) * len(self.data_shape)).astype("float32")  # U[0, 1]
        logs = self.penalised.train_on_batch([inputs, alpha], targets, return_dict=True)
        return {"d_loss": float(logs["loss"]), "wasserstein": -float(logs["critic_loss"]),
                "gradient_penalty": float(logs["gradient_penalty"])}

    def _optimizers(self):
        return {"d": self.penalised.optimizer, "g": self.combined.optimizer}
