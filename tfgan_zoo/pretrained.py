"""Trained weights: the sets shipped in the package, and loading any saved model's weights.

    tfgan_zoo.models.get("dcgan", weights="mnist")      # a shipped set, hash-checked
    tfgan_zoo.models.get("dcgan", weights="runs/dcgan")  # a workdir, an export, a .keras file
    tfgan_zoo.models.pretrained()                        # {model: [names]} of what ships

A shipped set is `weights/<model>_<name>.npz`, written by tools/pretrain.py: every network's
weights as float16 (half the size; the cards measure the shipped file), or for large networks
the kernels as int8 with a float16 scale per output channel (a quarter), each generator as its
moving average where ema_decay is on (the raw generator starts from it when fine-tuning), no
optimizer state. `weights/index.json` records each set's file, sha256, the config that trained
it and the model's constructor arguments, so a name builds the model the weights fit.
"""
import hashlib
import io
import json
import os
import re

import numpy as np

from tfgan_zoo import registry
from tfgan_zoo.errors import InputError

WEIGHTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights")
INDEX = os.path.join(WEIGHTS_DIR, "index.json")
METADATA = os.path.join("assets.extra", "tfgan_zoo.json")  # in a zoo SavedModel export


def index():
    """{model: {name: record}} of the shipped sets."""
    if not os.path.isfile(INDEX):
        return {}
    with open(INDEX) as f:
        return json.load(f)


def available():
    """{model: [weights names]} of the shipped sets."""
    return {model: sorted(sets) for model, sets in sorted(index().items()) if sets}


def record(model, name):
    """The index's record of the shipped set `name` of `model`."""
    return index()[model][name]


def sha256(path):
    hasher = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def verified_file(model, name):
    """The path of the shipped set, after checking its sha256 against the index."""
    entry = record(model, name)
    path = os.path.join(WEIGHTS_DIR, entry["file"])
    if not os.path.isfile(path):
        raise InputError(f"the shipped weights {model}:{name} are missing ({path}): reinstall "
                         "tfgan_zoo")
    found = sha256(path)
    if found != entry["sha256"]:
        raise InputError(f"the shipped weights {model}:{name} are damaged ({path}: sha256 "
                         f"{found[:12]}..., expected {entry['sha256'][:12]}...): reinstall "
                         "tfgan_zoo")
    return path


def constructor_arguments(gan):
    """The model's constructor arguments but its networks (the data's shape included): what
    builds a model these weights fit."""
    config = gan.get_config()
    return {k: v for k, v in config.items() if k not in (*gan.network_names, "name")}


def networks(gan):
    """{name: network} of every network whose weights a set holds: G, D (and any others),
    and the moving averages."""
    found = {name: getattr(gan, name) for name in gan.network_names}
    if gan.ema_decay:
        found.update({"ema_" + name: getattr(gan, "ema_" + name) for name in gan.generator_names})
    return found


def stored_networks(gan):
    """{name: network} that a shipped set stores: a generator only as its average, where
    it has one."""
    return {name: network for name, network in networks(gan).items()
            if not (gan.ema_decay and name in gan.generator_names)}


def float16_bytes(gan):
    """The size of `gan`'s shipped weights as float16, before compression."""
    return 2 * sum(int(np.prod(w.shape)) for network in stored_networks(gan).values()
                   for w in network.weights)


def save(gan, path, int8_kernels=False):
    """Writes the shipped form of `gan`'s weights to `path` (.npz): float16 (with
    `int8_kernels`, every kernel as int8 and a scale per output channel), a generator
    only as its average where there is one. The same weights give the same bytes."""
    arrays = {}
    for name, network in stored_networks(gan).items():
        for i, weight in enumerate(network.weights):
            value = weight.numpy()
            if int8_kernels and value.ndim >= 2:
                arrays[f"{name}/{i}"], arrays[f"{name}/{i}/scale"] = to_int8(value)
            else:
                arrays[f"{name}/{i}"] = np.asarray(value, np.float16)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())


def to_int8(kernel):
    """(int8 values, float16 scales): symmetric, a scale per slice of the last axis."""
    peak = np.abs(kernel).max(axis=tuple(range(kernel.ndim - 1)), keepdims=True)
    scale = (peak / 127).astype(np.float16)
    scale[scale == 0] = 1  # an all-zero slice (or one below float16's range) stays zero
    values = np.clip(np.round(kernel / scale.astype(np.float32)), -127, 127)
    return values.astype(np.int8), scale


def stored_value(arrays, key):
    """A stored weight as float32 (int8 ones times their scale); None if it is not stored."""
    if key not in arrays:
        return None
    if f"{key}/scale" in arrays:
        return arrays[key].astype(np.float32) * arrays[f"{key}/scale"].astype(np.float32)
    return arrays[key]


def load_shipped(gan, path, source):
    """Sets `gan`'s weights from a file `save` wrote; InputError naming the first network
    whose weights do not fit (`source` names the set in messages)."""
    with np.load(path) as stored:
        arrays = dict(stored)
    for name, network in networks(gan).items():
        # a generator is stored as its average, if it has one
        stored_as = next((n for n in ("ema_" + name.removeprefix("ema_"), name)
                          if f"{n}/0" in arrays), name)
        values = [stored_value(arrays, f"{stored_as}/{i}") for i in range(len(network.weights))]
        if f"{stored_as}/{len(network.weights)}" in arrays:
            values.append(None)  # more weights stored than the network has
        assign(network.weights, values, f"{name} of {source}")


def assign(weights, values, source):
    if len(values) != len(weights) or any(
            v is None or tuple(v.shape) != tuple(w.shape) for w, v in zip(weights, values)):
        raise InputError(f"the weights of {source} do not fit this model: it was built with "
                         "other settings (image shape, classes, width, ...): build it as the "
                         "weights were trained, or leave weights out")
    for weight, value in zip(weights, values):
        weight.assign(np.asarray(value, dtype=weight.dtype))


# --- weights=: a shipped name or a path ------------------------------------------------

def is_shipped(model, weights):
    return weights in index().get(model, {})


def with_weights(model, weights, **hparams):
    """`models.get(model, weights=..., **hparams)`: the model built as the weights were
    trained (`hparams` change that), their values loaded."""
    registry.lookup(model)  # an unknown model is named as such
    trained_with = trained_arguments(model, weights)
    for name in ("image_shape", "num_classes", "target_channels"):
        if name in hparams and name in trained_with and hparams[name] != trained_with[name]:
            raise InputError(f"the weights {weights!r} of {model} are for {name}="
                             f"{trained_with[name]}, not {hparams[name]}: build the model for "
                             "their data, or start untrained (weights=None)")
    gan = registry.get(model, **{**trained_with, **hparams})
    load_into(gan, weights)
    return gan


def trained_arguments(model, weights):
    """The constructor arguments the weights `weights` (a name or a path) were trained with;
    {} for a .weights.h5 file, which does not record them."""
    if is_shipped(model, weights):
        return as_arguments(record(model, weights)["hparams"])
    kind, path = locate(weights, model)
    if kind == "keras":
        loaded = load_keras(path)
        check_model(loaded.registry_name, model, path)
        return constructor_arguments(loaded)
    if kind == "export":
        meta = export_metadata(path)
        check_model(meta["model"], model, path)
        if "hparams" not in meta:
            raise InputError(f"the export {path} does not record the model's settings (it "
                             "predates tfgan-zoo 0.3): use its workdir's checkpoints/last.keras")
        return as_arguments(meta["hparams"])
    return {}


def load_into(gan, weights):
    """Sets the weights of `gan` (a zoo model) from `weights`: a shipped name (hash-checked),
    a .keras file, a .weights.h5 file, a workdir or a SavedModel export of the same model."""
    model = gan.registry_name
    if is_shipped(model, weights):
        check_data(gan, model, weights)
        return load_shipped(gan, verified_file(model, weights), f"{model}:{weights}")
    kind, path = locate(weights, model)
    if kind == "keras":
        loaded = load_keras(path)
        check_model(loaded.registry_name, model, path)
        return assign(gan.variables, [v.numpy() for v in loaded.variables], path)
    if kind == "export":
        import tensorflow as tf

        check_model(export_metadata(path)["model"], model, path)
        return assign(gan.variables, [v.numpy() for v in tf.saved_model.load(path).variables],
                      path)
    try:
        gan.load_weights(path)
    except ValueError as e:
        raise InputError(f"the weights of {path} do not fit this {model}: "
                         f"{str(e).splitlines()[0][:160]}: build the model as they were "
                         "trained (the same image shape, classes and hparams)") from None


def check_data(gan, model, name):
    """InputError if `gan` is built for other data than the shipped set `name`."""
    trained_with, built = as_arguments(record(model, name)["hparams"]), constructor_arguments(gan)
    for argument in ("image_shape", "num_classes", "target_channels"):
        if argument in trained_with and as_arguments({0: built.get(argument)})[0] != trained_with[argument]:
            raise InputError(
                f"the weights {model}:{name} are for {argument}={trained_with[argument]}, and "
                f"this model has {argument}={built.get(argument)}: train on data like theirs "
                "(config: dataset, image_size, channels), or start untrained")


def locate(weights, model):
    """("keras", file), ("h5", file) or ("export", folder) for a path; a workdir gives its
    checkpoints/last.keras, or else its newest export."""
    path = os.fspath(weights)
    if os.path.isfile(path) and path.endswith(".keras"):
        return "keras", path
    if os.path.isfile(path) and path.endswith(".h5"):
        return "h5", path
    if os.path.isfile(os.path.join(path, METADATA)):
        return "export", path
    last = os.path.join(path, "checkpoints", "last.keras")
    if os.path.isfile(last):
        return "keras", last
    versions = sorted(glob_exports(path), key=lambda v: (os.path.getmtime(v), v))
    if versions:
        return "export", versions[-1]
    if os.path.exists(path):
        raise InputError(f"{path} holds no weights of a zoo model: give a .keras file, a "
                         ".weights.h5 file, a finished run's workdir or a SavedModel export")
    shipped = ", ".join(available().get(model, [])) or "none"
    raise InputError(f"weights {path!r}: no such file or folder, and {model} ships no weights "
                     f"{path!r} (it ships: {shipped}): give a shipped name or a path")


def glob_exports(workdir):
    root = os.path.join(workdir, "export")
    if not os.path.isdir(root):
        return []
    return [os.path.join(root, model, version) for model in os.listdir(root)
            if os.path.isdir(os.path.join(root, model))
            for version in os.listdir(os.path.join(root, model)) if version.isdigit()]


def export_metadata(path):
    with open(os.path.join(path, METADATA)) as f:
        return json.load(f)


def as_arguments(hparams):
    """JSON's lists back to the tuples the constructors take (image_shape)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in hparams.items()}


def check_model(found, model, path):
    if found != model:
        raise InputError(f"{path} holds weights of a {found}, not of a {model}: use "
                         f"--model={found} (models.get({found!r}, ...)), or other weights")


def load_keras(path, verb="use"):
    """A zoo model from a .keras file, loaded in Keras's safe mode; InputError if the file
    holds anything else (its fix starts with `verb`: "use", "evaluate", ...)."""
    import keras

    from tfgan_zoo.gan import GAN

    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file")
    try:
        model = keras.models.load_model(path)  # safe_mode=True: no arbitrary code runs
    except Exception as e:  # Keras raises TypeError, ValueError, zipfile's BadZipFile, ...
        unknown = re.search(r"Could not locate (?:class|function) '([^']+)'", str(e))
        why = (f"it needs {unknown.group(1)!r}, which tfgan-zoo does not define" if unknown
               else str(e).splitlines()[0][:200])
        raise InputError(f"{path} does not load as a tfgan-zoo model: {why}: {verb} a .keras "
                         "file saved by a zoo model, a workdir or an export") from None
    if not isinstance(model, GAN):
        raise InputError(f"{path} holds a {type(model).__name__}, not a tfgan-zoo model: "
                         f"{verb} a .keras file saved by a zoo model, a workdir or an export")
    return model
