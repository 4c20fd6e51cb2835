"""`tfgan-zoo evaluate PATH`: measures a trained model and writes metrics.json.

  tfgan-zoo evaluate runs/dcgan                        # a workdir: its newest export
  tfgan-zoo evaluate runs/dcgan/export/dcgan/1 --num_samples=1000
  tfgan-zoo evaluate runs/dcgan/checkpoints/last.keras  # a saved model (Keras safe mode on)

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
import re
import sys

from absl import flags

from tfgan_zoo import evaluate, features, files, images, metrics
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


def load_keras(path):
    """A zoo model from a .keras file, loaded in Keras's safe mode; InputError if the file
    holds anything else."""
    import keras

    from tfgan_zoo import GAN

    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file")
    try:
        model = keras.models.load_model(path)  # safe_mode=True: no arbitrary code runs
    except Exception as e:  # Keras raises TypeError, ValueError, zipfile's BadZipFile, ...
        unknown = re.search(r"Could not locate (?:class|function) '([^']+)'", str(e))
        why = (f"it needs {unknown.group(1)!r}, which tfgan-zoo does not define" if unknown
               else str(e).splitlines()[0][:200])
        raise InputError(f"{path} does not load as a tfgan-zoo model: {why}: evaluate a .keras "
                         "file saved by a zoo model, a workdir or an export") from None
    if not isinstance(model, GAN):
        raise InputError(f"{path} holds a {type(model).__name__}, not a tfgan-zoo model: "
                         "evaluate a .keras file saved by a zoo model, a workdir or an export")
    return model


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


def run(argv, fail):
    flag_values = define_flags()
    if any(a in ("-h", "--help", "--helpshort") for a in argv[2:]):
        print(__doc__.strip() + "\n\nFlags:")
        for name in ("num_samples", "features", "inception_weights", "dataset", "output", "seed"):
            print(f"  --{name}: {flag_values[name].help} (default: {flag_values[name].default})")
        sys.exit(0)
    try:
        positional = flag_values([argv[0], *argv[2:]])[1:]
    except flags.Error as e:
        fail(str(e).splitlines()[0])
    if len(positional) != 1:
        fail("evaluate takes one path: a workdir or a SavedModel export "
             "(tfgan-zoo evaluate runs/dcgan)")
    if positional[0].endswith(".keras"):
        saved_model, workdir = positional[0], None
        sampler = evaluate.ModelSampler(load_keras(saved_model))
        meta = sampler.gan.export_metadata()
    else:
        saved_model, workdir = find_export(positional[0])
        sampler = evaluate.SavedModelSampler(saved_model)
        meta = sampler.metadata
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
