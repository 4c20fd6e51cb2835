"""Keras callbacks for GAN training."""
import math
import os
import time

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import images
from tfgan_zoo.errors import Diverged
from tfgan_zoo.evaluate import ModelSampler, scalars, tensorboard_runs


class SampleGrid(keras.callbacks.Callback):
    """Writes a grid of `model.preview()` images to TensorBoard every epoch.

    Tag `samples` in `logdir`, step = epoch (1-based). The grid shows the same
    inputs every epoch: a fixed z for noise-to-image models, the first real
    images of `data` (a dataset of training batches) for image-to-image models.
    `inputs` (from `model.preview_inputs()`) fixes them instead.
    """

    def __init__(self, logdir, num_samples=64, seed=0, data=None, inputs=None):
        super().__init__()
        self.logdir = logdir
        self.num_samples, self.seed, self.data = num_samples, seed, data
        self.inputs = inputs
        self._writer = None

    def on_epoch_end(self, epoch, logs=None):
        if self.inputs is None:
            self.inputs = self.model.preview_inputs(self.num_samples, self.seed, self.data)
        if self._writer is None:
            self._writer = tf.summary.create_file_writer(self.logdir)
        samples, rows = self.model.preview(self.inputs)
        # record_if(True): Keras's TensorBoard callback may leave a batch-level
        # record_if in force that would skip this summary.
        with self._writer.as_default(), tf.summary.record_if(True):
            tf.summary.image("samples", images.grid(samples, rows)[None], step=epoch + 1)
        self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def flush(self):
        if self._writer is not None:
            self._writer.flush()


class TensorBoard(keras.callbacks.TensorBoard):
    """keras.callbacks.TensorBoard that always writes the epoch scalars, numbers batch
    scalars by the model's batches trained (so a resumed run continues its curves, and
    a call of several steps is logged at its last),
    and writes nothing for the batches a resumed run replays (`replaying()` true).

    Keras 3's skips the epoch scalars whenever an epoch's step count is not a multiple
    of an integer `update_freq` (its batch-level record_if is still in force).
    """

    def __init__(self, log_dir, replaying=lambda: False, **kwargs):
        super().__init__(log_dir, **kwargs)
        self.replaying = replaying

    def on_train_batch_begin(self, batch, logs=None):
        if self.replaying():
            return
        # numbered by the call's last step (Keras runs steps_per_execution per call and
        # calls back once, with that step's logs); super() adds 1
        self._global_train_batch = (int(self.model.batches_trained)
                                    + self.model.steps_per_execution - 1)
        super().on_train_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        if not self.replaying():
            super().on_train_batch_end(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        with tf.summary.record_if(True):
            super().on_epoch_end(epoch, logs)

    def _collect_learning_rate(self, logs):
        # both networks' rates (Keras's own logs only model.optimizer's, G's)
        for network in ("d", "g"):
            optimizer = getattr(self.model, f"{network}_optimizer")
            optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # loss scaling
            logs[f"{network}_learning_rate"] = float(
                keras.ops.convert_to_numpy(optimizer.learning_rate))  # a MirroredVariable too
        return logs

    def flush(self):
        for writer in self._writers.values():
            writer.flush()


class EvaluateEvery(keras.callbacks.Callback):
    """Measures the model every `every_epochs` epochs and after the last one, and writes
    the metrics to TensorBoard under `logdir` (step = epoch): the model's in the run `eval`,
    the real-vs-real floor in the run `real`, under the same tags (quality/fd, quality/swd,
    quality/memorized, ..., or quality/a_to_b/...), so each chart shows a curve beside the
    floor that gives it its scale (evaluate.tensorboard_runs).

    `evaluator`: an evaluate.Evaluator for the model's data. `results` keeps
    (epoch, metrics) of every evaluation; `at_start`: also before the first epoch (epoch 0:
    where a model that starts from trained weights starts). The kernel distance uses `kd_subsets` subsets
    (`tfgan-zoo evaluate`: 100), which keeps the cost of a measurement near 2 s.
    """

    def __init__(self, evaluator, logdir, every_epochs=5, num_samples=2000, seed=0,
                 kd_subsets=20, verbose=1, at_start=False):
        super().__init__()
        self.at_start = at_start
        self.evaluator, self.logdir = evaluator, logdir
        self.every_epochs, self.num_samples, self.seed = every_epochs, num_samples, seed
        self.kd_subsets = kd_subsets
        self.verbose = verbose
        self.results = []
        self.seconds = 0.0  # spent evaluating

    def on_train_begin(self, logs=None):
        if self.at_start:
            self.measure(0)

    def on_epoch_end(self, epoch, logs=None):
        done = epoch + 1
        if done % self.every_epochs and done != self.params.get("epochs"):
            return
        self.measure(done)

    def measure(self, done):
        start = time.perf_counter()
        results = self.evaluator.evaluate(ModelSampler(self.model), self.num_samples,
                                          self.seed, self.kd_subsets)
        self.results.append((done, results))
        floor = self.evaluator.floor(self.kd_subsets)
        for run, values in tensorboard_runs(results, floor).items():
            writer = tf.summary.create_file_writer(os.path.join(self.logdir, run))
            with writer.as_default(), tf.summary.record_if(True):
                for tag, value in values.items():
                    tf.summary.scalar(tag, value, step=done)
            writer.close()
        self.seconds += time.perf_counter() - start
        if self.verbose:
            model, real = scalars(results), scalars({k: v for k, v in floor.items()
                                                     if k == "real"})
            headline = ("fd", "swd", "score", "recall", "memorized", "label_accuracy",
                        "label_preservation", "psnr")
            shown = [f"{k} {v:.3g}" for k, v in model.items() if k.split("/")[-1] in headline]
            if real:
                shown.append("(real data: " + ", ".join(
                    f"{k} {real[k]:.3g}" for k in ("fd", "swd") if k in real) + ")")
            print(f"\nepoch {done} evaluation: " + ", ".join(shown))


class DivergenceGuard(keras.callbacks.Callback):
    """Stops training with `Diverged` as soon as a logged loss is NaN or infinite, and
    before the epoch ends (so before any checkpoint callback listed after it saves)
    if a weight is. Unlike keras.callbacks.TerminateOnNaN, the run then fails: nothing
    downstream (an export, a sample grid) is made from the broken model."""

    def on_train_batch_end(self, batch, logs=None):
        for name, value in (logs or {}).items():
            value = float(np.mean(value))
            if not math.isfinite(value):
                diverged(self.model, f"{name} is {value}")

    def on_epoch_end(self, epoch, logs=None):
        check_weights(self.model)


CAUSES = ("a learning rate too high (config.optimizer.d_learning_rate, g_learning_rate), a "
          "penalty or loss without an epsilon, or data containing NaN or Inf")


def diverged(model, what):
    step = int(getattr(model, "batches_trained", model.optimizer.iterations))
    raise Diverged(f"training diverged at step {step}: {what}. Likely causes: {CAUSES}")


def check_weights(model):
    """Raises Diverged if a weight of `model` is NaN or infinite."""
    for weight in model.weights:
        if not np.isfinite(np.asarray(weight)).all():
            diverged(model, f"weight {weight.path} is not finite")
