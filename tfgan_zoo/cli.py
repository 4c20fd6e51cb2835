"""tfgan-zoo: train a GAN from the zoo.

  tfgan-zoo --model=dcgan                       # offline MNIST digits, a few CPU minutes
  tfgan-zoo --model=dcgan --config.train.epochs=1 --config.train.steps_per_epoch=5
  tfgan-zoo --config=zoo_configs/dcgan.py --dataset=tfds:mnist --workdir=/tmp/run

--model picks zoo_configs/<model>.py unless --config names a config file;
--config.<field>=<value> overrides any field of it.
"""
import importlib
import importlib.resources
import sys

from absl import app, flags, logging
from ml_collections import config_flags

from tfgan_zoo import models, train
from tfgan_zoo.errors import InputError

FLAGS = flags.FLAGS
flags.DEFINE_string("model", None, f"Model to train: one of {', '.join(models.names())} "
                    "(default: the config's, or dcgan).")
config_flags.DEFINE_config_file("config", None, "Config file (default: zoo_configs/<model>.py).")
flags.DEFINE_string("workdir", None, "Where logs, checkpoints, samples and the SavedModel go "
                    "(default: runs/<model>).")
flags.DEFINE_string("dataset", None, "Shorthand for --config.dataset: mnist (offline), "
                    "tfds:NAME or folder:PATH.")


def config_path(model):
    """The path of zoo_configs/<model>.py, installed or in the source tree."""
    return str(importlib.resources.files("zoo_configs") / f"{model}.py")


def print_help(model):
    config = importlib.import_module(f"zoo_configs.{model}").get_config()
    print(__doc__)
    print(FLAGS.module_help(sys.modules[__name__]))
    print(f"\nConfig fields of {model} (override with --config.<field>=<value>):\n")
    print(config)


def fail(message):
    print(f"tfgan-zoo: error: {message}", file=sys.stderr)
    sys.exit(2)


def parse_flags(argv):
    """absl flag parsing, with --model choosing the config file and errors as one line."""
    args = list(argv)
    model = None
    for i, arg in enumerate(args[1:], start=1):
        if arg.startswith("--model="):
            model = arg.split("=", 1)[1]
        elif arg == "--model" and i + 1 < len(args):
            model = args[i + 1]
    if model is not None and model not in models.names():
        fail(f"unknown model {model!r}: choose one of {', '.join(models.names())}")
    if any(a in ("-h", "--help", "--helpshort") for a in args[1:]):
        print_help(model or "dcgan")
        sys.exit(0)
    if not any(a == "--config" or a.startswith("--config=") for a in args[1:]):
        args.insert(1, f"--config={config_path(model or 'dcgan')}")
    try:
        return FLAGS(args)
    except flags.Error as e:
        fail(e)


def main(argv):
    logging.set_verbosity(FLAGS.verbosity)  # now that absl's handler is installed
    if len(argv) > 1:
        fail(f"unexpected arguments {' '.join(argv[1:])}: every option is a --flag")
    config = FLAGS.config
    if FLAGS.model and FLAGS.model != config.model:
        fail(f"--model={FLAGS.model} but the config file is for {config.model!r}: drop one")
    if FLAGS.dataset:
        config.dataset = FLAGS.dataset
    workdir = FLAGS.workdir or f"runs/{config.model}"
    try:
        out = train.run(config, workdir)
    except InputError as e:
        fail(e)
    print(f"\nSamples:     {out.samples}\n"
          f"Checkpoint:  {out.checkpoint}\n"
          f"SavedModel:  {out.saved_model}\n"
          f"TensorBoard: {out.logs}\n\n"
          f"  tensorboard --logdir {out.logs}")


def run():
    """The console script's entry point."""
    sys.modules["__main__"].__doc__ = __doc__  # what --help prints
    FLAGS.set_default("verbosity", -1)  # absl logs warnings only; --verbosity=0 for INFO
    app.run(main, flags_parser=parse_flags)


if __name__ == "__main__":
    run()
