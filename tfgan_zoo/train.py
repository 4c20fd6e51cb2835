"""Trains a zoo model from its config: what `tfgan-zoo` runs."""
import dataclasses
import hashlib
import math
import os
import re
import shutil
import tempfile

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import (callbacks, data, distribute, evaluate, export, files, images, models,
                       precision, pretrained, resume, schedules)
from tfgan_zoo.errors import Diverged, InputError
from tfgan_zoo.features import DigitClassifier
from zoo_configs import base


@dataclasses.dataclass
class Outputs:
    """Where a run left its results."""
    logs: str
    checkpoint: str
    saved_model: str
    samples: str
    evaluations: list = dataclasses.field(default_factory=list)  # (epoch, metrics)
    eval_seconds: float = 0.0  # of the training time, spent measuring
    worker: str = ""  # in a multi-worker run, "worker I of N" (chief or not)
    chief: bool = True  # False: the outputs above were temporary and are gone
    weights_digest: str = ""  # of the final weights: equal on every worker of a run
    finished_before: str = ""  # the run had finished before: what to do instead


def optimizers(gan, settings):
    """(d_optimizer, g_optimizer): the model's paper defaults, changed by the config's
    `optimizer` settings (None keeps the paper's; another optimizer `name` keeps the
    paper's learning rates)."""
    built = []
    for network, default in zip(("d", "g"), gan.default_optimizers()):
        optimizer = default
        if settings.get("name"):
            optimizer = keras.optimizers.get(settings.name)  # a name base.OPTIMIZERS lists
        config = optimizer.get_config()
        config["learning_rate"] = default.get_config()["learning_rate"]
        rate = f"{network}_learning_rate"
        changes = {rate: ("learning_rate", settings.get(rate)),
                   "beta_1": ("beta_1", settings.get("beta_1")),
                   "beta_2": ("beta_2", settings.get("beta_2")),
                   "momentum": ("momentum", settings.get("momentum"))}
        for field, (key, value) in changes.items():
            if value is None:
                continue
            if key not in config:
                raise InputError(f"{type(optimizer).__name__} has no {key}: drop "
                                 f"config.optimizer.{field} or choose an optimizer that has it "
                                 "(config.optimizer.name)")
            config[key] = value
        built.append(type(optimizer).from_config(config))
    return built


def build(config, strategy=None):
    """(model, dataset) for `config`: the data the model's kind needs, and the model
    built for that data's image shape (and classes); compiled under `strategy`
    (default: the config's, see `strategy_of`). Every field is checked against its declared
    range (zoo_configs/base.py, the model's constructor) before anything else."""
    base.check(config)
    strategy = strategy or strategy_of(config)
    replicas = strategy.num_replicas_in_sync
    if config.train.batch_size % replicas:
        raise InputError(f"the global batch of {config.train.batch_size} does not split evenly "
                         f"over {replicas} replicas: use a multiple of {replicas} "
                         "(config: train.batch_size)")
    keras.utils.set_random_seed(config.seed)  # the initial weights
    cls = models.lookup(config.model)
    dataset = load_data(config)
    from_data = {"image_shape": data.image_shape(dataset),
                 "num_classes": getattr(dataset, "num_classes", None),
                 "target_channels": data.target_channels(dataset)}
    with strategy.scope(), precision.policy(config.train.get("precision", "float32")):
        gan = models.get(config.model, seed=config.seed, **config.hparams,
                         **{name: from_data[name] for name in cls.data_hparams})
        if config.get("init_weights"):
            pretrained.load_into(gan, config.init_weights)
        d_optimizer, g_optimizer = optimizers(gan, config.optimizer)
        decay_from = config.optimizer.get("decay_from_epoch")
        if decay_from is not None:
            d_optimizer, g_optimizer = decaying(config, dataset, gan, decay_from,
                                                d_optimizer, g_optimizer)
        eager = bool(config.train.get("run_eagerly"))
        gan.compile(d_optimizer, g_optimizer, run_eagerly=eager,
                    jit_compile=False if eager else xla(config, strategy),
                    steps_per_execution=steps_per_execution(config, dataset))
    if config.train.steps_per_execution > 1 and config.distribute in ONE_STEP_PER_CALL:
        print(f"One step per call for this run: Keras's calls of several steps fail under "
              f"the {config.distribute} strategy on this TensorFlow "
              "(config.train.steps_per_execution applies on one device).")
    return gan, dataset


def decaying(config, dataset, gan, decay_from, d_optimizer, g_optimizer):
    """The optimizers with their rates falling linearly to 0 from epoch `decay_from` to the
    end of training: each counts its own updates (d_steps and g_steps per batch)."""
    steps, epochs = steps_per_epoch(config, dataset), config.train.epochs
    return [schedules.linear_decay(optimizer, decay_from * steps * per_batch,
                                   epochs * steps * per_batch)
            for optimizer, per_batch in ((d_optimizer, gan.d_steps), (g_optimizer, gan.g_steps))]


def steps_per_execution(config, dataset, *counts):
    """config.train.steps_per_execution, lowered to the largest number that divides it, the
    steps per epoch and each of `counts`: no call into TensorFlow may run past an epoch's
    end, nor past a step the callbacks act on (logged, checkpointed, the end of a resumed
    run's replay), as Keras calls them once per call."""
    wanted = config.train.steps_per_execution
    if wanted == 1 or config.distribute in ONE_STEP_PER_CALL:
        return 1
    return math.gcd(wanted, steps_per_epoch(config, dataset), *counts)


# Keras's call of several steps fails under these strategies on TensorFlow 2.21 ("You must
# feed a value for placeholder tensor '.../while/cond/Placeholder_3'"), so they run one.
ONE_STEP_PER_CALL = ("mirrored", "multi_worker")


def xla(config, strategy):
    """config.train.jit_compile, unless the strategy rules XLA out (then: say so)."""
    blocker = distribute.xla_blocker(strategy)
    if config.train.jit_compile and blocker:
        print(f"XLA is off for this run: {blocker}. The step runs as a plain tf.function "
              "(config.train.jit_compile applies on one device and on GPUs).")
        return False
    return config.train.jit_compile


def steps_per_epoch(config, dataset):
    """config.train.steps_per_epoch, or the batches in one pass over the data."""
    steps = config.train.steps_per_epoch or dataset.batches_per_epoch
    if steps is None:
        raise InputError(f"the size of dataset {config.dataset!r} is unknown: set the steps "
                         "per epoch (config: train.steps_per_epoch)")
    return steps


def strategy_of(config):
    """The config's tf.distribute strategy (config.distribute, config.devices)."""
    return distribute.strategy(config.get("distribute", "default"), config.get("devices"))


def data_metadata(config):
    """The training data's settings, recorded in the export for `tfgan-zoo evaluate`."""
    return {"dataset": config.dataset, "dataset_b": config.get("dataset_b"),
            "image_size": config.get("image_size"), "channels": config.get("channels"),
            "data_dir": config.get("data_dir"), "input_side": config.get("input_side", "left")}


def evaluator(config, gan, workdir):
    """The evaluate.Evaluator for the run's metrics callback, or None when evaluation is
    off (config.eval.every_epochs = 0) or the images are not what the features read."""
    settings = config.get("eval")
    if not settings or settings.every_epochs == 0:
        return None
    if (settings.features == "digits" and gan.image_shape != DigitClassifier.image_shape
            and gan.data_kind != "paired"):  # paired: measured by L1 and PSNR whatever the images
        print(f"Metrics during training are off: the digit classifier reads 28x28x1 digits, "
              f"these images are {gan.image_shape} (config: eval.features=auto measures them "
              "by the sliced Wasserstein distance, eval.features=emoji or inception by more)")
        return None
    meta = data_metadata(config)
    return evaluate.Evaluator.for_data(
        gan.data_kind, meta["dataset"], meta["dataset_b"], meta["image_size"],
        meta["channels"], meta["data_dir"], settings.features, settings.get("inception_weights"),
        cache_dir=os.path.join(workdir, "eval"), input_side=meta["input_side"])


def run(config, workdir):
    """Trains, writes TensorBoard logs, checkpoints, a sample grid and a SavedModel.

    A workdir holds one run: run again, the same command resumes it from its last
    checkpoint (a finished run says so and trains no further; a longer
    config.train.epochs trains it on). In a multi-worker run every worker trains and
    writes, as Keras's multi-worker pattern asks (writing can need all workers); only
    the chief writes to `workdir`, the others to a temporary folder that is removed at
    the end (they resume from `workdir` where the workers share it)."""
    base.check(config)  # before anything runs, is loaded or written
    strategy = strategy_of(config)  # first: it may split the CPU into logical devices
    if distribute.is_chief(strategy):
        out = train(config, workdir, strategy)
    else:
        scratch = tempfile.mkdtemp(prefix="tfgan-zoo-worker-")
        try:
            out = train(config, scratch, strategy, resume_from=workdir)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        out.chief = False
    if isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        resolver = strategy.cluster_resolver
        out.worker = f"{resolver.task_type} {resolver.task_id} of {distribute.workers()}"
    return out


def load_data(config, start_batch=0):
    """The data the config's model trains on, as an endless stream of batches from
    its batch number `start_batch` on."""
    return data.for_model(
        models.lookup(config.model).data_kind, config.dataset, config.get("dataset_b"),
        batch_size=config.train.batch_size, image_size=config.get("image_size"),
        channels=config.get("channels"), seed=config.seed, data_dir=config.get("data_dir"),
        input_side=config.get("input_side", "left"), repeat=True, start_batch=start_batch,
        load_size=config.get("load_size"))


def train(config, workdir, strategy, resume_from=None):
    """One worker's training into `workdir`; a run recorded in `resume_from` (default:
    `workdir`) is continued, or reported finished."""
    gan, dataset = build(config, strategy)  # every setting checked before anything is written
    source = resume_from or workdir
    record = resume.Run(source, config)  # the workdir holds this run, another, or nothing
    record.check_same_settings()
    preview = gan.preview_inputs(seed=config.seed, data=dataset)
    metrics = evaluator(config, gan, workdir)  # its files are written once it measures
    make_workdir(workdir)
    out = Outputs(logs=os.path.join(workdir, "logs"),
                  checkpoint=os.path.join(workdir, "checkpoints", "last.keras"),
                  saved_model="", samples=os.path.join(workdir, "samples.png"))
    os.makedirs(os.path.dirname(out.checkpoint), exist_ok=True)
    steps = steps_per_epoch(config, dataset)
    checkpoints = resume.Checkpoints(
        gan, os.path.join(workdir, "checkpoints"), out.logs, steps,
        every=config.train.checkpoint_every, keep=config.train.keep_checkpoints,
        restore_from=os.path.join(source, "checkpoints"))
    finished = record.finished
    done = finished is not None and config.train.epochs <= finished["epochs"]
    resumed = resume.agree(strategy, 0 if done else checkpoints.restore(), done)
    if done:
        return finished_outputs(out, workdir, finished)
    if resume_from is None:
        record.start()
    if resumed:
        print(f"Resuming {source} at step {checkpoints.batches} (epoch "
              f"{checkpoints.epochs + 1} of {config.train.epochs}) from {checkpoints.latest}")
        dataset = load_data(config, start_batch=checkpoints.batches)
    gan.steps_per_execution = steps_per_execution(
        config, dataset, config.train.log_every, config.train.checkpoint_every,
        checkpoints.batches - checkpoints.epochs * steps)
    board = callbacks.TensorBoard(out.logs, update_freq=config.train.log_every,
                                  write_graph=not resumed,
                                  replaying=lambda: checkpoints.replaying)
    grid = callbacks.SampleGrid(os.path.join(out.logs, "samples"), inputs=preview)
    checkpoints.writers = (board, grid)
    run_callbacks = [
        callbacks.DivergenceGuard(),  # first: before anything saves a diverged model
        board, grid]
    if metrics:
        every = config.eval.every_epochs or max(1, config.train.epochs // 5)
        measuring = callbacks.EvaluateEvery(
            metrics, out.logs, every, config.eval.num_samples, config.seed,
            at_start=bool(config.get("init_weights")) and not resumed)
        run_callbacks.append(measuring)
    run_callbacks.append(checkpoints)  # last: an epoch's checkpoint follows all it wrote
    try:
        if checkpoints.epochs < config.train.epochs:
            fit(gan, dataset, epochs=config.train.epochs, initial_epoch=checkpoints.epochs,
                steps_per_epoch=steps,
                shuffle=False,  # the dataset is shuffled already
                callbacks=run_callbacks)
    except Diverged as e:
        kept = (f"the last good checkpoint is {checkpoints.latest} (rerun in a new --workdir "
                "to change a setting)" if checkpoints.latest
                else "no checkpoint was written before it")
        raise Diverged(f"{e}. Nothing was exported; {kept}") from None
    if metrics:
        out.evaluations, out.eval_seconds = measuring.results, measuring.seconds
    files.save_model(gan, out.checkpoint)  # for keras.models.load_model in user code
    images.write_png(out.samples, images.grid(*gan.preview(preview)))
    out.saved_model = export.saved_model(gan, os.path.join(workdir, "export", config.model),
                                         metadata=data_metadata(config))
    out.weights_digest = digest(gan.weights)
    if resume_from is None:
        record.finish(config.train.epochs, samples=out.samples, saved_model=out.saved_model,
                      checkpoint=out.checkpoint)
    return out


def fit(gan, dataset, **kwargs):
    """`gan.fit(dataset, **kwargs)`; where XLA cannot compile the step, says so and
    trains without it. XLA compiles at the first step, before it runs: nothing has
    trained, and the second fit() starts the dataset from its first batch again."""
    before = int(gan.batches_trained)
    try:
        return gan.fit(dataset, **kwargs)
    except tf.errors.OpError as e:
        reason = xla_failure(e.message)
        if not gan.jit_compile or reason is None or int(gan.batches_trained) != before:
            raise
    print(f"XLA cannot compile this model's training step ({reason}): it trains without XLA "
          "(config.train.jit_compile=False skips the attempt)")
    gan.jit_compile = False
    gan.make_train_function(force=True)
    return gan.fit(dataset, **kwargs)


def xla_failure(message):
    """What an error message says XLA could not compile (None: not an XLA failure)."""
    unsupported = re.search(r"unsupported operations when trying to compile graph \S+ on "
                            r"XLA_\w+: (\w+)", message)
    if unsupported:
        return f"it has no XLA kernel for {unsupported.group(1)}"
    if "tf2xla conversion failed" in message or "XLA compilation" in message:
        return message.strip().splitlines()[0][:200]
    return None


def finished_outputs(out, workdir, finished):
    """The Outputs of a run that had finished before this command."""
    out.saved_model = finished["saved_model"]
    out.finished_before = (
        f"{workdir} holds a finished run of {finished['epochs']} epochs: nothing to do. To "
        f"train it longer, rerun with --config.train.epochs=N (N > {finished['epochs']}); to "
        "start over, choose a new --workdir")
    return out


def make_workdir(workdir):
    """Creates `workdir` (and its parents) or raises an InputError naming why not."""
    try:
        os.makedirs(workdir, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=workdir, prefix=".write-test-")
        probe.close()
    except OSError as e:
        raise InputError(f"cannot write to the workdir {workdir}: {e.strerror or e}: choose "
                         "another (--workdir)") from None


def digest(variables):
    """A short hash of the variables' values (bit-exact)."""
    hasher = hashlib.sha256()
    for variable in variables:
        hasher.update(np.asarray(variable.numpy()).tobytes())
    return hasher.hexdigest()[:16]
