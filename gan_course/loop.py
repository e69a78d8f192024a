"""The training loop around an engine's `train_step`: minibatches, progress, snapshots, checkpoints.

Every engine in `training` and `wasserstein` inherits `TrainingLoop`; the loop
knows nothing of GANs beyond calling `train_step(batches)` with `k` real
minibatches and keeping what it returns. What it keeps, and saves:

    step       iterations done (a total: `train(images, 5000)` twice trains 5,000)
    history    one list per logged value (d_loss, g_loss, ...), one entry a step
    snapshots  (step, G(snapshot_z)): one fixed z, to watch G learn
    rng        the engine's random stream (noise, minibatch indices, fake labels), and
               the augmentation's, if the engine has one
"""
import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm


class TrainingLoop:
    """What every engine has besides its algorithm: `train`, `save`, `load` and their state."""

    def _start(self, seed):
        """The loop's state; seed None derives one from the global seed (keras.utils.set_random_seed)."""
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.step = 0
        self.history = {}
        self.snapshots = []
        self.snapshot_z = np.random.default_rng([seed, 1]).standard_normal((64, self.latent_dim)).astype("float32")

    # ------------------------------------------------------------ the loop
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

    def train_for(self, images, seconds, batch_size=64, chunk=100, decay_from=None):
        """Train for `seconds` of wall-clock time, `chunk` steps at a time -> (seconds, steps).

        For comparing GANs whose steps cost different amounts: each gets the same
        time. decay_from: if given, every optimizer's learning rate follows a cosine
        from decay_from down to 0 over the time, set before each chunk:
            rate(t) = decay_from * (1 + cos(pi t / seconds)) / 2
        The last chunk may run past `seconds` by one chunk's time; the seconds returned say.
        """
        if not seconds > 0:
            raise ValueError(f"seconds must be > 0, got {seconds!r}")
        started = time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds:
            if decay_from:
                for optimizer in self._optimizers().values():
                    optimizer.learning_rate.assign(decay_from * 0.5 * (1 + np.cos(np.pi * elapsed / seconds)))
            self.train(images, self.step + chunk, batch_size=batch_size, progress=False)
        return time.perf_counter() - started, self.step

    def _snapshot(self):
        return self.G.predict_on_batch(self.snapshot_z)

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

    # ------------------------------------------------------------ checkpoints
    def _optimizers(self):
        return {"d": self.d_optimizer, "g": self.g_optimizer}

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
        if self.augment is not None:  # its random stream, so a resumed run draws what a straight one would
            np.savez(tmp / "augment.npz", *[np.asarray(v.numpy()) for v in self.augment.variables])
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
        if self.augment is not None and (folder / "augment.npz").exists():
            with np.load(folder / "augment.npz") as saved:
                for i, variable in enumerate(self.augment.variables):
                    variable.assign(saved[f"arr_{i}"])
        if (folder / "snapshots.npz").exists():
            with np.load(folder / "snapshots.npz") as snaps:
                self.snapshots = list(zip(snaps["steps"].tolist(), snaps["images"]))
        self.step = state["step"]
        self.rng.bit_generator.state = state["rng"]
        self.history = {name: list(values) for name, values in state["history"].items()}
