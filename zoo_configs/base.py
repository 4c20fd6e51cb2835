"""What every model's config starts from; a model's file sets only what differs.

`config.hparams` holds every constructor argument of the model with the class's
default, so a default is written once (in the model) and every argument can be
set with --config.hparams.<name>=. The image shape and the number of classes are
not among them: the model follows the data (set image_size and channels to change it).
"""
import ml_collections
from ml_collections import config_dict

from tfgan_zoo import distribute, features, metrics, models, precision, ranges
from tfgan_zoo.data import jitter
from tfgan_zoo.errors import InputError
from tfgan_zoo.gan import GAN

OPTIMIZERS = ("adadelta", "adafactor", "adagrad", "adam", "adamax", "adamw", "ftrl", "lion",
              "nadam", "rmsprop", "sgd")  # Keras's names (keras.optimizers.get)
PAPERS = "the paper's"


class ModelName(ranges.Range):
    """A registered model: read when checked, so a model registered later counts."""

    def allows(self, value):
        return value in models.names()

    def describe(self):
        return "one of " + ", ".join(models.names())


# Every field but the hparams (declared by the model's constructor, described in its
# docstring's Args: section): (what it may be, one line for `tfgan-zoo --help`).
FIELDS = {
    "model": (ModelName(), "the registered model to train"),
    "seed": (GAN.hyperparameter_ranges()["seed"],
             "seeds the data order, the weights and every random draw"),
    "dataset": (ranges.Text(empty=False),
                "mnist, digits or emoji (offline), tfds:NAME, or folder:PATH (subfolders = "
                "classes); paired models: completion, edges or colorization (offline), paired:PATH or "
                "folder:INPUTS"),
    "dataset_b": (ranges.Text(), "domain B of an unpaired model (dataset is domain A; empty: "
                  "the B split of tfds:cycle_gan/NAME); the targets' folder:PATH of a paired "
                  "model"),
    "input_side": (ranges.OneOf("left", "right"),
                   "which half of a paired:PATH file is the input: left (A|B) or right"),
    "data_dir": (ranges.Optional(ranges.Text(empty=False), "TFDS's default"),
                 "where TFDS keeps downloaded datasets"),
    "image_size": (ranges.Optional(ranges.IMAGE_SIZE, "the data's"),
                   "(height, width) to resize the images to"),
    "load_size": (ranges.Optional(ranges.IMAGE_SIZE, "no jitter"),
                  "(height, width) to resize to before a random crop of image_size and a "
                  "random flip: pix2pix's and CycleGAN's jitter, (286, 286) for 256x256"),
    "channels": (ranges.Optional(ranges.OneOf(1, 3), "the data's"),
                 "1 or 3 to convert the images to"),
    "init_weights": (ranges.Optional(ranges.Text(empty=False), "untrained"),
                     "start from these weights: a shipped name (tfgan_zoo.models.pretrained(), "
                     "e.g. mnist) or a path (a .keras file, a .weights.h5, a workdir or an "
                     "export); a resumed run continues from its checkpoint"),
    "distribute": (ranges.OneOf(*distribute.STRATEGIES),
                   "tf.distribute strategy: default, mirrored, multi_worker (reads TF_CONFIG) "
                   "or tpu (docs/distributed.md)"),
    "devices": (ranges.Optional(ranges.Text(), "all local GPUs, else the CPU"),
                "mirrored's devices, e.g. /gpu:0,/gpu:1 (/cpu:0,/cpu:1 splits the CPU in two)"),
    "train.epochs": (ranges.Whole(1), "passes over the data (or of steps_per_epoch steps)"),
    "train.batch_size": (ranges.Whole(1), "global batch size, split across replicas"),
    "train.steps_per_epoch": (ranges.Optional(ranges.Whole(1), "one pass over the dataset"),
                              "steps per epoch"),
    "train.jit_compile": (ranges.Flag(),
                          "compile the training step with XLA (turned off, with a note, where "
                          "it cannot run: several CPU replicas)"),
    "train.run_eagerly": (ranges.Flag(),
                          "run the training step eagerly, not as a tf.function (for debugging; "
                          "slow, but no tracing: the tiny variant's few steps start at once)"),
    "train.precision": (ranges.OneOf(*precision.POLICIES),
                        "float32, or mixed precision: mixed_float16 (GPUs; loss scaling for "
                        "both optimizers) or mixed_bfloat16 (TPUs, recent CPUs)"),
    "train.steps_per_execution": (ranges.Whole(1),
                                  "training steps per call into TensorFlow (Keras's "
                                  "steps_per_execution): fewer Python round trips, for small "
                                  "models; lowered to divide the steps per epoch, log_every "
                                  "and checkpoint_every; 1 under mirrored and multi_worker"),
    "train.log_every": (ranges.Whole(1), "steps between TensorBoard batch scalars"),
    "train.checkpoint_every": (ranges.Whole(1),
                               "steps between checkpoints (and at every epoch's end): a "
                               "killed run, rerun, resumes from the last"),
    "train.keep_checkpoints": (ranges.Whole(1), "how many of the newest checkpoints to keep"),
    "eval.every_epochs": (ranges.Optional(ranges.Whole(0), "5 times per run"),
                          "measure the samples every N epochs and after the last (0: never)"),
    "eval.num_samples": (ranges.Whole(metrics.MIN_SAMPLES),
                         "samples per measurement during training"),
    "eval.features": (ranges.OneOf(*features.NAMES),
                      "auto (the shipped classifier that reads the images: digits for "
                      "28x28x1, emoji for the emoji; else only the sliced Wasserstein "
                      "distance), digits, emoji, or inception (keras.applications' weights "
                      "from the Keras cache)"),
    "eval.inception_weights": (ranges.Optional(ranges.Text(empty=False), "the Keras cache"),
                               "a local InceptionV3 'notop' weights file, for "
                               "eval.features=inception offline"),
    "optimizer.name": (ranges.Optional(ranges.OneOf(*OPTIMIZERS), PAPERS),
                       "Keras optimizer for both networks"),
    "optimizer.d_learning_rate": (ranges.Optional(ranges.positive(), PAPERS),
                                  "the discriminator's learning rate"),
    "optimizer.g_learning_rate": (ranges.Optional(ranges.positive(), PAPERS),
                                  "the generator's learning rate"),
    "optimizer.beta_1": (ranges.Optional(ranges.fraction(), PAPERS),
                         "Adam's beta_1 for both networks"),
    "optimizer.beta_2": (ranges.Optional(ranges.fraction(), PAPERS),
                         "Adam's beta_2 for both networks"),
    "optimizer.momentum": (ranges.Optional(ranges.fraction(), PAPERS),
                           "SGD's and RMSprop's momentum for both networks"),
    "optimizer.decay_from_epoch": (ranges.Optional(ranges.Whole(0), "a constant rate"),
                                   "both learning rates fall linearly to 0 from this epoch "
                                   "to the end of training (CycleGAN: 100 of 200)"),
}
FROM_DATA = ("image_shape", "num_classes", "target_channels")  # constructor arguments the data decides
PRETRAIN = "pretrain_"  # the config variant of shipped weights: pretrain_NAME
TINY_TRAIN = dict(epochs=1, steps_per_epoch=2, batch_size=8, jit_compile=False, run_eagerly=True,
                  log_every=1)
TINY_EVAL = dict(every_epochs=0)


def hparams(model):
    """Every constructor argument of `model` with its default, but the seed and the
    arguments that follow the data."""
    cls = models.lookup(model)
    allowed = cls.hyperparameter_ranges()
    # a None default is a placeholder of its range's type, or it could not be overridden
    return ml_collections.ConfigDict(
        {name: config_dict.placeholder(allowed[name].type) if value is None else value
         for name, value in cls.hyperparameters().items()
         if name != "seed" and name not in FROM_DATA})


def get_config(model):
    config = ml_collections.ConfigDict()
    config.model = model
    config.seed = 0
    config.dataset = "mnist"
    config.data_dir = config_dict.placeholder(str)
    config.image_size = config_dict.placeholder(tuple)
    config.load_size = config_dict.placeholder(tuple)
    config.channels = config_dict.placeholder(int)
    config.init_weights = config_dict.placeholder(str)
    config.distribute = "default"
    config.devices = config_dict.placeholder(str)

    config.train = ml_collections.ConfigDict()
    config.train.epochs = 20
    config.train.batch_size = 64
    config.train.steps_per_epoch = config_dict.placeholder(int)
    config.train.jit_compile = True
    config.train.run_eagerly = False
    config.train.precision = "float32"
    config.train.steps_per_execution = 1
    config.train.log_every = 10
    config.train.checkpoint_every = 100
    config.train.keep_checkpoints = 3

    config.eval = ml_collections.ConfigDict()
    config.eval.every_epochs = config_dict.placeholder(int)
    config.eval.num_samples = 2000
    config.eval.features = "auto"
    config.eval.inception_weights = config_dict.placeholder(str)

    config.optimizer = ml_collections.ConfigDict()
    config.optimizer.name = config_dict.placeholder(str)
    for name in ("d_learning_rate", "g_learning_rate", "beta_1", "beta_2", "momentum"):
        config.optimizer[name] = config_dict.placeholder(float)
    config.optimizer.decay_from_epoch = config_dict.placeholder(int)

    config.hparams = hparams(model)
    return config


def leaves(config, prefix=""):
    """[(dotted field name, value)] of every field of `config`, in order."""
    found = []
    for key in config.keys():
        value = config.get(key)
        if hasattr(value, "keys"):
            found += leaves(value, f"{prefix}{key}.")
        else:
            found.append((prefix + key, value))
    return found


def allowed(config, field):
    """The ranges.Range of `field` ("train.epochs", "hparams.width") in `config`; None for a
    field nothing declares (a config file's own addition, which the trainer ignores)."""
    if field.startswith("hparams."):
        return models.lookup(config.model).hyperparameter_ranges().get(field[len("hparams."):])
    return FIELDS.get(field, (None,))[0]


def check(config):
    """InputError for the first field of `config` outside its declared range, e.g.
    "config.hparams.width must be a whole number from 1 to 1024, not 0"."""
    ranges.check("config.model", FIELDS["model"][0], config.get("model"))
    for field, value in leaves(config):
        kind = allowed(config, field)
        if kind is not None:
            ranges.check("config." + field, kind, value)
    decay_from, epochs = config.get("optimizer", {}).get("decay_from_epoch"), config.train.epochs
    if decay_from is not None and decay_from >= epochs:
        raise InputError(f"optimizer.decay_from_epoch={decay_from} starts the decay after the "
                         f"last of {epochs} epochs: use a smaller one, or more epochs "
                         "(config: train.epochs)")
    jitter.check(config.get("load_size"), config.get("image_size"))


def change(config, changes):
    """Sets {"train.epochs": 100, "dataset": "edges", ...} in `config`."""
    for key, value in changes.items():
        section, _, field = key.rpartition(".")
        (config[section] if section else config)[field] = value


def variant(config, arg, tiny, paper=None, others=None, pretrain=None):
    """`config` as asked by the config string's argument (`--config=FILE:ARG`):
      None    the zoo's default, as the config file made it (tuned to learn on a CPU);
      "paper" the paper's settings: every hparam and optimizer setting back to the
              model class's default (the paper's, tricks off), then `paper`'s changes
              ({"train.epochs": 100, "hparams.width": 64, ...});
      "tiny"  the default shrunk for tests and smoke runs (`tiny`: its hparams);
      a name in `others` ({name: changes}): the default with those changes (e.g. another task);
      "pretrain_NAME" for a NAME in `pretrain` ({weights name: changes}): the default with
              those changes: how tools/pretrain.py trains the shipped weights NAME.
    """
    if arg in (None, ""):
        return config
    if arg == "paper":
        config.hparams = hparams(config.model)
        for name in config.optimizer:
            config.optimizer[name] = None
        change(config, paper or {})
        return config
    if arg == "tiny":
        config.hparams.update(tiny)
        config.train.update(TINY_TRAIN)
        config.eval.update(TINY_EVAL)
        return config
    if arg in (others or {}):
        change(config, others[arg])
        return config
    if arg.startswith(PRETRAIN) and arg[len(PRETRAIN):] in (pretrain or {}):
        change(config, pretrain[arg[len(PRETRAIN):]])
        return config
    names = ", ".join(["paper", "tiny", *(others or {}), *(PRETRAIN + n for n in pretrain or {})])
    raise InputError(f"unknown config variant {arg!r} for {config.model}: use {names}, "
                     "or none (the zoo's default)")
