"""`tfgan-zoo evaluate PATH`: measures a trained model and writes metrics.json.

  tfgan-zoo evaluate runs/dcgan                        # a workdir: its newest export
  tfgan-zoo evaluate runs/dcgan/export/dcgan/1 --num_samples=1000
  tfgan-zoo evaluate runs/dcgan/checkpoints/last.keras  # a saved model (Keras safe mode on)
  tfgan-zoo evaluate --model=dcgan --weights=mnist    # the weights shipped with the package

PATH: a workdir (its newest export), a SavedModel export, or a .keras file. Prints
a table of the model's metrics beside the real-vs-real floor (held-out real
images against the training images) and writes them to metrics.json (in the workdir,
or --output), with nearest.png: the samples most like a training image, each beside it.
Digits and emoji are read by the classifiers shipped with the package; other images get
the sliced Wasserstein distance, or --features=inception (keras.applications' InceptionV3
weights, downloaded once into the Keras cache, or --inception_weights=FILE offline).
docs/evaluation.md says what each number means.
"""
import os
import sys

import numpy as np
from absl import flags

from tfgan_zoo import evaluate, features, files, images, metrics, models, pretrained
from tfgan_zoo.errors import InputError


def define_flags():
    flag_values = flags.FlagValues()
    flags.DEFINE_integer("num_samples", 5000, "Samples to generate (noise-to-image models).",
                         lower_bound=metrics.MIN_SAMPLES, flag_values=flag_values)
    flags.DEFINE_enum("features", "auto", list(features.NAMES), "Feature network: auto (the "
                      "shipped classifier that reads the images: digits or emoji; other images "
                      "get only the sliced Wasserstein distance), digits, emoji, or inception "
                      "(keras.applications' InceptionV3, from the Keras cache).",
                      flag_values=flag_values)
    flags.DEFINE_string("inception_weights", None, "A local InceptionV3 'notop' weights file "
                        "(default: the Keras cache, downloaded once).", flag_values=flag_values)
    flags.DEFINE_string("dataset", None, "The real data to compare with (default: the one the "
                        "model was trained on).", flag_values=flag_values)
    flags.DEFINE_string("output", None, "Where metrics.json goes (default: in the workdir, or "
                        "the current folder for a SavedModel).", flag_values=flag_values)
    flags.DEFINE_string("model", None, "The model of --weights.", flag_values=flag_values)
    flags.DEFINE_string("weights", None, "Shipped weights (a name tfgan_zoo.models.pretrained() "
                        "lists; with --model) instead of a path.", flag_values=flag_values)
    flags.DEFINE_integer("seed", 0, "Seeds the samples and the kernel distance's subsets.",
                         flag_values=flag_values)
    return flag_values


def find_export(path):
    """(SavedModel directory, workdir or None) for a workdir or an export path."""
    if os.path.isfile(os.path.join(path, evaluate.METADATA)):
        return path, None
    export_root = os.path.join(path, "export")
    if os.path.isdir(export_root):
        versions = [os.path.join(export_root, model, version)
                    for model in sorted(os.listdir(export_root))
                    if os.path.isdir(os.path.join(export_root, model))
                    for version in os.listdir(os.path.join(export_root, model))
                    if version.isdigit()]
        if versions:
            return max(versions, key=lambda v: (os.path.getmtime(v), int(os.path.basename(v)))), path
    raise InputError(f"{path} is neither a tfgan-zoo workdir (with export/<model>/<version>/) "
                     f"nor a zoo SavedModel export (with {evaluate.METADATA})")


def open_model(path, model, weights, command):
    """(sampler, metadata, workdir or None) of a `path` (a workdir, an export, a .keras file),
    or of `model` with `weights` (a shipped name or a path), for `command` (evaluate or
    generate, named in messages)."""
    if weights is not None or (model is not None and path is None):
        if path is not None:
            raise InputError(f"{path} and --weights both name a model: give one")
        if model is None:
            raise InputError(f"--weights needs --model: e.g. --model=dcgan --weights={weights}")
        if weights is None:
            raise InputError(f"--model={model} needs --weights: a shipped name (tfgan_zoo.models."
                             "pretrained() lists them) or a path; or give a path alone")
        gan = models.get(model, weights=weights)
        meta = gan.export_metadata()
        if pretrained.is_shipped(model, weights):
            meta.update(pretrained.record(model, weights)["data"])
        return evaluate.ModelSampler(gan), meta, None
    if path is None:
        raise InputError(f"{command} needs a model: a path (a workdir, an export or a .keras file), "
                         "or --model with --weights")
    if path.endswith(".keras"):
        sampler, workdir = evaluate.ModelSampler(pretrained.load_keras(
            path, "generate from" if command == "generate" else command)), None
        meta = sampler.gan.export_metadata()
    else:
        saved_model, workdir = find_export(path)
        sampler = evaluate.SavedModelSampler(saved_model)
        meta = sampler.metadata
    if model is not None and meta["model"] != model:
        raise InputError(f"{path} holds a {meta['model']}, not a {model}: drop --model")
    return sampler, meta, workdir


def in_batches(fn, inputs, labels=None, batch_size=500):
    """fn(inputs, labels) over batches of `inputs` (and `labels`), concatenated."""
    return np.concatenate([fn(inputs[i:i + batch_size],
                              None if labels is None else labels[i:i + batch_size])
                           for i in range(0, len(inputs), batch_size)])


def table(results):
    """Metrics as rows, the evaluated groups (samples, real, a_to_b, ...) as columns."""
    groups = [g for g, v in results.items() if isinstance(v, dict)]
    rows = []
    for group in groups:
        rows += [k for k, v in results[group].items() if isinstance(v, (int, float))
                 and k not in rows]
    header = ["metric", *[g + (" (floor)" if g.startswith("real") else "") for g in groups]]
    lines = ["  ".join(h.rjust(20) if i else h.ljust(20) for i, h in enumerate(header))]
    for row in rows:
        cells = [f"{results[g][row]:.4g}" if row in results[g] else "-" for g in groups]
        lines.append("  ".join([row.ljust(20), *(c.rjust(20) for c in cells)]))
    return "\n".join(lines)


def parse(argv, flag_values, doc, shown, fail):
    """The positional arguments of `tfgan-zoo COMMAND ...` (argv), its flags parsed into
    `flag_values`; --help prints `doc` and the `shown` flags, a flag error is one line."""
    if any(a in ("-h", "--help", "--helpshort") for a in argv[2:]):
        print(doc.strip() + "\n\nFlags:")
        for name in shown:
            print(f"  --{name}: {flag_values[name].help} (default: {flag_values[name].default})")
        sys.exit(0)
    try:
        return flag_values([argv[0], *argv[2:]])[1:]
    except flags.Error as e:
        fail(str(e).splitlines()[0])


def run(argv, fail):
    flag_values = define_flags()
    positional = parse(argv, flag_values, __doc__, ("num_samples", "features", "inception_weights",
                                                    "dataset", "output", "model", "weights",
                                                    "seed"), fail)
    if len(positional) > 1:
        fail("evaluate takes one path: a workdir or a SavedModel export "
             "(tfgan-zoo evaluate runs/dcgan)")
    path = positional[0] if positional else None
    sampler, meta, workdir = open_model(path, flag_values.model, flag_values.weights, "evaluate")
    saved_model = path or f"{flag_values.model}:{flag_values.weights}"
    image_size = meta.get("image_size")
    evaluator = evaluate.Evaluator.for_data(
        meta["data_kind"], flag_values.dataset or meta.get("dataset") or "mnist",
        meta.get("dataset_b"), tuple(image_size) if image_size else None, meta.get("channels"),
        meta.get("data_dir"), flag_values.features, flag_values.inception_weights,
        cache_dir=os.path.join(workdir, "eval") if workdir else None,
        input_side=meta.get("input_side", "left"))
    results = {"model": meta["model"], "saved_model": saved_model,
               "features": evaluator.features_name, "num_samples": flag_values.num_samples,
               **evaluator.evaluate(sampler, flag_values.num_samples, flag_values.seed),
               **evaluator.floor()}
    output = flag_values.output or os.path.join(workdir or ".", "metrics.json")
    files.write_json(output, results)
    for group, figure in evaluator.nearest_figures().items():
        name = "nearest.png" if group == "samples" else f"nearest_{group}.png"
        images.write_png(os.path.join(os.path.dirname(output), name), figure)
    print(f"{meta['model']} ({saved_model}), {evaluator.features_name} features:\n")
    print(table(results))
    print(f"\nMetrics: {output}")
