"""Runs that survive being killed: the same command run again resumes where the last
checkpoint left off, and ends with the weights an uninterrupted run ends with.

A workdir holds one run. `run.json` records its config (and, once it has finished,
its results); `checkpoints/` holds `tf.train.Checkpoint`s of both networks (and any
moving averages), both optimizers, the logged means of the epoch so far and the
run's progress: batches trained, epochs completed and the length of every
TensorBoard event file at that moment. Everything random in a step is keyed by
the optimizer's step counter and the data order by (seed, epoch), so restoring
these and starting the data stream at the first untrained batch continues the
very same run. Event files are cut back to their checkpointed length, so the
curves hold each step once.
"""
import glob
import json
import os

import keras
import tensorflow as tf

from tfgan_zoo import files
from tfgan_zoo.callbacks import check_weights
from tfgan_zoo.errors import InputError

RUN_FILE = "run.json"
# Config fields a rerun may change and still continue the same run: how long to
# train, what to log and measure, and how (the result does not depend on them).
MAY_CHANGE = ("train.epochs", "train.log_every", "train.checkpoint_every",
              "train.keep_checkpoints", "train.steps_per_execution", "train.jit_compile",
              "train.run_eagerly", "distribute", "devices", "data_dir", "eval.")


def flat(config):
    """{dotted field: JSON value} of a ConfigDict."""
    found = {}

    def walk(node, prefix):
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                found[prefix + key] = value

    walk(json.loads(config.to_json()), "")
    return found


class Run:
    """What `workdir` holds: nothing yet, or a run of some config (finished or not)."""

    def __init__(self, workdir, config):
        self.workdir, self.config = workdir, flat(config)
        self.path = os.path.join(workdir, RUN_FILE)
        self.recorded = None
        if os.path.isfile(self.path):
            with open(self.path) as f:
                self.recorded = json.load(f)
        elif os.path.isdir(workdir) and os.listdir(workdir):
            raise InputError(f"{workdir} is not empty and holds no tfgan-zoo run (no "
                             f"{RUN_FILE}): choose a new or empty folder (--workdir)")

    def check_same_settings(self):
        """InputError naming the fields that differ from the recorded run's, unless a
        rerun may change them."""
        if self.recorded is None:
            return
        before = self.recorded["config"]
        changed = [field for field in sorted({*before, *self.config})
                   if before.get(field) != self.config.get(field)
                   and not field.startswith(MAY_CHANGE)]
        if changed:
            shown = "; ".join(f"{f} was {before.get(f)!r}, is {self.config.get(f)!r}"
                              for f in changed[:3])
            more = f" (and {len(changed) - 3} more)" if len(changed) > 3 else ""
            raise InputError(f"{self.workdir} holds a run with other settings: {shown}{more}: "
                             "rerun with the run's settings to continue it, or choose a new "
                             "--workdir")

    @property
    def finished(self):
        """The recorded results of a finished run, or None."""
        return (self.recorded or {}).get("finished")

    def start(self):
        if self.recorded is None:
            self.recorded = {"config": self.config, "finished": None}
            files.write_json(self.path, self.recorded)

    def finish(self, epochs, **results):
        self.recorded["config"] = self.config  # e.g. trained longer: the epochs now
        self.recorded["finished"] = {"epochs": epochs, **results}
        files.write_json(self.path, self.recorded)


def agree(strategy, batches, finished):
    """`batches` (the batches trained by the run this worker resumes), after checking
    that every worker of a multi-worker run resumes the same run; InputError if not."""
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return batches
    mine = tf.constant(2.0 * batches + finished, tf.float64)
    # all equal exactly when the sum is n * mine and the sum of squares n * mine^2
    sums = strategy.reduce("SUM", strategy.run(lambda: tf.stack([mine, mine * mine])), axis=None)
    replicas = strategy.num_replicas_in_sync
    if not (sums.numpy() == [replicas * mine.numpy(), replicas * mine.numpy() ** 2]).all():
        state = "has finished" if finished else f"resumes at step {batches}"
        raise InputError(f"this worker's run {state}, but not every worker's: give every "
                         "worker the same --workdir, on a file system they share")
    return batches


def event_files(logdir):
    return sorted(glob.glob(os.path.join(logdir, "**", "events.out.tfevents.*"),
                            recursive=True))


class Checkpoints(keras.callbacks.Callback):
    """Saves the training state every `every` batches and at the end of every epoch,
    keeping the last `keep`; `restore()` brings back the newest. Put it last among
    fit()'s callbacks, so that an epoch's checkpoint follows everything written for it.

    A run resumed in the middle of an epoch starts fit() at that epoch and replays
    its first, already trained batches without training (the progress bar and the
    epoch's logged means go on as if never stopped); `replaying` is true meanwhile,
    and callbacks that write per batch (TensorBoard) skip those batches.
    `writers`: objects with a `flush()` whose event files must be complete on disk
    when a checkpoint records their length. `restore_from`: where to look for the
    checkpoint to restore (default: `directory`)."""

    def __init__(self, model, directory, logdir, steps_per_epoch, every=100, keep=3,
                 writers=(), restore_from=None):
        super().__init__()
        self.gan, self.directory, self.logdir = model, directory, logdir
        self.steps_per_epoch, self.every, self.writers = steps_per_epoch, every, writers
        self._progress = tf.Variable("", dtype=tf.string, trainable=False)
        self._checkpoint = tf.train.Checkpoint(
            model=model, d_optimizer=model.d_optimizer, g_optimizer=model.g_optimizer,
            progress=self._progress)
        self._manager = tf.train.CheckpointManager(self._checkpoint, directory,
                                                   max_to_keep=keep)
        self._restore_from = restore_from or directory
        self._restored = None  # the checkpoint restore() found
        self.batches = self.epochs = 0  # trained and completed, as of the last restore
        self._trackers = None  # the restored epoch's logged means
        self._to_replay = 0
        self._train_function = None

    @property
    def latest(self):
        return self._manager.latest_checkpoint or self._restored

    @property
    def replaying(self):
        return self._to_replay > 0

    def restore(self):
        """Restores the newest checkpoint, if any, and cuts the event files back to it
        (no checkpoint: removes them, they are a killed run's). Returns the batches
        trained."""
        sizes = {}
        self._restored = tf.train.latest_checkpoint(self._restore_from)
        if self._restored:
            self._checkpoint.restore(self._restored).assert_existing_objects_matched()
            progress = json.loads(self._progress.numpy().decode())
            self.batches, self.epochs = progress["batches"], progress["epochs"]
            self._trackers, sizes = progress["trackers"], progress["event_files"]
            self._to_replay = self.batches - self.epochs * self.steps_per_epoch
        for path in event_files(self.logdir):
            size = sizes.get(os.path.relpath(path, self.logdir))
            if size is None:
                os.remove(path)
            elif os.path.getsize(path) > size:
                os.truncate(path, size)
        return self.batches

    def save(self, epochs):
        check_weights(self.model)  # never checkpoint a broken model
        for writer in self.writers:
            writer.flush()
        self._progress.assign(json.dumps({
            "batches": int(self.model.batches_trained), "epochs": epochs,
            "trackers": {v.path: float(v.numpy()) for v in self.model.trackers.variables},
            "event_files": {os.path.relpath(p, self.logdir): os.path.getsize(p)
                            for p in event_files(self.logdir)}}))
        # The manager writes the files, then points `checkpoint` at them: a run killed
        # meanwhile still finds the previous one whole.
        self._manager.save(checkpoint_number=int(self.model.batches_trained))

    # --- callback ---------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._train_function = self.model.train_function
        self.model.train_function = self._replay_or_train

    def _replay_or_train(self, iterator):
        if self._to_replay:
            return self.model.trackers.result()
        return self._train_function(iterator)

    def on_epoch_begin(self, epoch, logs=None):
        if self._trackers is not None:  # fit() has just reset them
            for variable in self.model.trackers.variables:
                variable.assign(self._trackers[variable.path])
            self._trackers = None

    def on_train_batch_end(self, batch, logs=None):
        if self.replaying:  # counted down here, after every other callback saw it
            self._to_replay -= self.model.steps_per_execution
            return
        if batch == self.steps_per_epoch - 1:  # the epoch's end saves
            return
        if int(self.model.batches_trained) % self.every == 0:
            self.save(self.epochs)

    def on_epoch_end(self, epoch, logs=None):
        self.epochs = epoch + 1
        self.save(self.epochs)

    def on_train_end(self, logs=None):
        self.model.train_function = self._train_function
