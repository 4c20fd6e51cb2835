"""tfgan-zoo: train a GAN from the zoo, or measure one.

  tfgan-zoo --model=dcgan                       # offline MNIST digits, a few CPU minutes
  tfgan-zoo evaluate runs/dcgan                 # metrics of the trained model (evaluate --help)
  tfgan-zoo generate runs/dcgan --output=grid.png    # images from it (generate --help)
  tfgan-zoo --model=cgan --config.train.epochs=5 --workdir=runs/cgan-5
  tfgan-zoo --model=dcgan --config.hparams.loss=minimax --config.optimizer.g_learning_rate=1e-4

--model picks the model and its config file (zoo_configs/<model>.py); --config
names another config file (FILE; FILE:paper for the paper's own settings, e.g.
zoo_configs/wgan.py:paper; FILE:tiny for a small smoke-test variant);
--config.<field>=<value> overrides any field listed below.
"""
import importlib.util
import inspect
import os
import re
import sys

from absl import flags
from ml_collections import config_flags

from tfgan_zoo import evaluate_cli, generate_cli, models, ranges, train
from tfgan_zoo.errors import Diverged, InputError
from zoo_configs import base

FROM_DATA_HELP = ("the model's image shape and number of classes follow the data: resize "
                  "or convert the data instead (--config.image_size='(H, W)', "
                  "--config.channels=1 or 3)")


def define_flags(argv):
    """A fresh set of the CLI's flags (so `run` can be called more than once)."""
    flag_values = flags.FlagValues()
    flags.DEFINE_string("model", None, f"Model to train: one of {', '.join(models.names())} "
                        "(default: the config's, or dcgan).", flag_values=flag_values)
    config_flags.DEFINE_config_file("config", None, "Config file: FILE, FILE:paper (the "
                                    "paper's settings) or FILE:tiny (default: "
                                    "zoo_configs/<model>.py).",
                                    flag_values=flag_values, sys_argv=argv)
    flags.DEFINE_string("workdir", None, "Where logs, checkpoints, samples and the SavedModel "
                        "go (default: runs/<model>).", flag_values=flag_values)
    flags.DEFINE_string("dataset", None, "Shorthand for --config.dataset: mnist, digits or "
                        "emoji (offline), tfds:NAME or folder:PATH; for pix2pix completion, "
                        "edges or colorization (offline), paired:PATH or folder:INPUTS.",
                        flag_values=flag_values)
    flags.DEFINE_boolean("verbose", False, "Show TensorFlow's own log lines.",
                         flag_values=flag_values)
    return flag_values


def config_path(model):
    """The path of zoo_configs/<model>.py, installed or in the source tree."""
    spec = importlib.util.find_spec(f"zoo_configs.{model}")
    if spec is None:
        raise InputError(f"model {model!r} has no config: add zoo_configs/{model}.py")
    return spec.origin


def load_config_module(config_string):
    """The module of a config string FILE[:ARG], and ARG."""
    path, _, arg = config_string.partition(":")
    spec = importlib.util.spec_from_file_location("tfgan_zoo_config", path)
    if spec is None or not path.endswith(".py"):
        raise InputError(f"--config={config_string}: not a Python config file")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except FileNotFoundError:
        raise InputError(f"--config={config_string}: no such file") from None
    except SyntaxError as e:
        raise InputError(syntax_error(e)) from None
    return module, arg or None


def syntax_error(error):
    return (f"config file {error.filename} does not parse: line {error.lineno}: {error.msg}: "
            "fix the file")


def hparam_help(cls):
    """{argument: one line} from the Args: sections of the model's docstrings."""
    lines = {}
    for klass in reversed(cls.__mro__):
        doc = inspect.cleandoc(vars(klass).get("__doc__") or "")
        if "Args:" not in doc:
            continue
        name = None
        for line in doc.split("Args:", 1)[1].splitlines()[1:]:
            if not line.strip():
                break
            stripped = line.strip()
            head, sep, text = stripped.partition(": ")
            argument_line = line.startswith("  ") and not line.startswith("   ")
            if sep and head.isidentifier() and argument_line:
                name, lines[head] = head, text
            elif name:
                lines[name] += " " + stripped
    return lines


def field_help(config):
    """[(field, default, meaning and allowed values)] for every field of `config`."""
    described = {**{field: meaning for field, (_, meaning) in base.FIELDS.items()},
                 **{f"hparams.{k}": v
                    for k, v in hparam_help(models.lookup(config.model)).items()}}
    rows = []
    for field, value in base.leaves(config):
        kind = base.allowed(config, field)
        meaning = described.get(field, "")
        if kind:
            meaning = f"{meaning.rstrip('.')}. Allowed: {kind.describe()}.".lstrip(". ")
        rows.append((field, repr(value), meaning))
    return rows


def first_paragraph(text):
    return " ".join(inspect.cleandoc(text or "").split("\n\n")[0].split())


def help_text(config_string):
    module, arg = load_config_module(config_string)
    config = module.get_config(arg)
    cls = models.lookup(config.model)
    rows = field_help(config)
    width = max(len(f) + len(d) for f, d, _ in rows) + 3
    lines = [__doc__.strip(), "", "Flags:", *("  " + line for line in flag_lines()), "",
             f"Model {config.model}: {first_paragraph(cls.__doc__)}", "",
             f"Config {config_string}:", inspect.cleandoc(module.__doc__ or ""), "",
             "Config fields (--config.<field>=<value>; " + FROM_DATA_HELP + "):"]
    for field, default, meaning in rows:
        lines.append(f"  {field} = {default}".ljust(width + 5) + meaning)
    return "\n".join(lines)


def flag_lines():
    flag_values = define_flags(["tfgan-zoo"])
    return [f"--{name}: {flag_values[name].help}" for name in
            ("model", "config", "workdir", "dataset", "verbose")]


def fail(message):
    print(f"tfgan-zoo: error: {message}", file=sys.stderr)
    sys.exit(2)


def flag_error(error):
    """One line for a flag error; a config file that raised: its exception's message."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    if "Traceback (most recent call last):" in lines:
        return f"{lines[0].split(':')[0]}: {lines[-1].split(': ', 1)[-1]}"
    return lines[0]


def out_of_range(error, args):
    """For a --config.FIELD=VALUE that does not parse as the field's type: the field's range
    error ("config.train.epochs must be a whole number of at least 1, not 'many'"), or None."""
    given = re.match(r"flag --config\.([\w.]+)=(.*?): ", str(error))
    if not given:
        return None
    field, value = given.groups()
    config_string = next(a.split("=", 1)[1] for a in args if a.startswith("--config="))
    module, arg = load_config_module(config_string)
    allowed = base.allowed(module.get_config(arg), field)
    return allowed and f"config.{field} must be {allowed.describe()}, not {value!r}"


def model_argument(args):
    for i, arg in enumerate(args):
        if arg.startswith("--model="):
            return arg.split("=", 1)[1]
        if arg == "--model" and i + 1 < len(args):
            return args[i + 1]
    return None


def parse(argv):
    """absl flag parsing: --model chooses the config file, --help prints the chosen
    model's help, errors are one line."""
    args = list(argv)
    model = model_argument(args[1:])
    if model is not None and model not in models.names():
        fail(f"unknown model {model!r}: choose one of {', '.join(models.names())}")
    if any(a.startswith(("--config.hparams.image_shape", "--config.hparams.num_classes"))
           for a in args):
        fail(FROM_DATA_HELP)
    config_given = [a.split("=", 1)[1] for a in args[1:] if a.startswith("--config=")]
    if not config_given:
        args.insert(1, f"--config={config_path(model or 'dcgan')}")
    if any(a in ("-h", "--help", "--helpshort", "--helpfull") for a in args[1:]):
        print(help_text(config_given[0] if config_given else config_path(model or "dcgan")))
        sys.exit(0)
    for given in config_given:
        if not os.path.isfile(given.partition(":")[0]):
            fail(f"--config={given}: no such config file")
    args, nones = split_nones(args)
    flag_values = define_flags(args)
    try:
        unparsed = flag_values(args)
    except flags.Error as e:
        fail(out_of_range(e, args) or flag_error(e))
    except SyntaxError as e:
        fail(syntax_error(e))
    except (AttributeError, KeyError) as e:  # ml_collections: an override of no field
        key = re.search(r"(\w+)", str(e))
        hint = re.search(r'Did you mean "(\w+)"', str(e))
        fail(f"no config field {key.group(1) if key else ''}"
             f"{f' (did you mean {hint.group(1)}?)' if hint else ''}: "
             "`tfgan-zoo --model=NAME --help` lists the fields")
    if len(unparsed) > 1:
        fail(f"unexpected arguments {' '.join(unparsed[1:])}: every option is a --flag")
    for field in nones:
        allowed = base.allowed(flag_values.config, field)
        if not isinstance(allowed, ranges.Optional):
            fail(f"config.{field} must be {allowed.describe()}, not None" if allowed else
                 f"no config field {field}: `tfgan-zoo --model=NAME --help` lists the fields")
        base.change(flag_values.config, {field: None})
    return flag_values


def split_nones(args):
    """(args without any --config.FIELD=None, the fields whose last setting is None):
    ml_collections parses None as the string 'None', so these are set after parsing."""
    last = {a.split("=", 1)[0]: a for a in args if a.startswith("--config.")}
    nones = [flag for flag, a in last.items() if a == f"{flag}=None"]
    kept = [a for a in args if not (a.startswith("--config.") and a.endswith("=None"))]
    return kept, [flag[len("--config."):] for flag in nones]


def run(argv=None):
    """The console script: trains the model `argv` (default sys.argv) asks for.
    Bad input: one line on stderr and exit status 2."""
    argv = sys.argv if argv is None else argv
    commands = {"evaluate": evaluate_cli, "generate": generate_cli}
    if len(argv) > 1 and argv[1] in commands:
        try:
            return commands[argv[1]].run(argv, fail)
        except InputError as e:
            fail(e)
    try:
        flag_values = parse(argv)
        config = flag_values.config
        if flag_values.model and flag_values.model != config.model:
            fail(f"--model={flag_values.model} but the config file is for {config.model!r}: "
                 "drop one")
        if flag_values.dataset:
            config.dataset = flag_values.dataset
        out = train.run(config, flag_values.workdir or f"runs/{config.model}")
    except InputError as e:
        fail(e)
    except Diverged as e:
        print(f"tfgan-zoo: error: {e}", file=sys.stderr)
        sys.exit(1)
    if out.worker:
        print(f"\nMulti-worker run, {out.worker}: final weights {out.weights_digest} "
              "(the same on every worker)")
    if out.finished_before:
        print(f"{out.finished_before}\n\nSamples:     {out.samples}\n"
              f"SavedModel:  {out.saved_model}")
        return
    if not out.chief:
        print("This worker's outputs were temporary and are removed: the chief writes the "
              "run's results")
        return
    print(f"\nSamples:     {out.samples}\n"
          f"Checkpoint:  {out.checkpoint}\n"
          f"SavedModel:  {out.saved_model}\n"
          f"TensorBoard: {out.logs}\n\n"
          f"  tensorboard --logdir {out.logs}")
