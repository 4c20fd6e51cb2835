"""SavedModel export in TF Serving's layout: EXPORT_DIR/VERSION/ (versions 1, 2, ...)."""
import contextlib
import json
import logging
import os
import shutil
import tempfile

import keras
from absl import logging as absl_logging


def next_version(export_dir):
    """1 + the highest numeric version folder in `export_dir` (1 if none)."""
    if not os.path.isdir(export_dir):
        return 1
    versions = [int(d) for d in os.listdir(export_dir) if d.isdigit()]
    return max(versions, default=0) + 1


def saved_model(gan, export_dir, version=None, metadata=None):
    """Exports `gan.serving_signatures()` to EXPORT_DIR/VERSION and returns that path; the
    first is also `serving_default`.

    `assets.extra/tfgan_zoo.json` records `gan.export_metadata()` and `metadata` (e.g. the
    training data), which `tfgan-zoo evaluate` reads. The version folder appears whole or
    not at all: the SavedModel is written next to it and renamed into place.
    """
    version = version or next_version(export_dir)
    target = os.path.join(export_dir, str(version))
    if os.path.exists(target):
        raise FileExistsError(f"{target} exists: export to a new version")
    os.makedirs(export_dir, exist_ok=True)
    archive = keras.export.ExportArchive()
    archive.track(gan)
    functions = [archive.add_endpoint(name, fn, input_signature=signature)
                 for name, (fn, signature) in gan.serving_signatures().items()]
    # `serving_default` also as an endpoint of its own (not only the first one's signature):
    # keras.layers.TFSMLayer calls an endpoint with one argument, which a signature of two
    # inputs cannot take, but an endpoint of one dict of them can. The first endpoint's
    # function, traced once for both.
    functions[0].get_concrete_function()
    archive.add_endpoint("serving_default", functions[0])
    staging = tempfile.mkdtemp(prefix=f".{version}-", dir=export_dir)
    try:
        with info_logs_off():
            archive.write_out(staging, verbose=False)
        os.makedirs(os.path.join(staging, "assets.extra"))
        with open(os.path.join(staging, "assets.extra", "tfgan_zoo.json"), "w") as f:
            json.dump({**gan.export_metadata(), **(metadata or {})}, f, indent=1)
        # mkdtemp made the folder owner-only (0700): give it a new folder's usual mode,
        # so a model server running as another user can read the version
        os.chmod(staging, 0o777 & ~current_umask())
        os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def info_logs_off():
    """TensorFlow logs INFO lines while writing a SavedModel (naming the staging folder)."""
    tf_logger, verbosity = logging.getLogger("tensorflow"), absl_logging.get_verbosity()
    level = tf_logger.level
    tf_logger.setLevel(logging.WARNING)
    absl_logging.set_verbosity(absl_logging.WARNING)
    try:
        yield
    finally:
        tf_logger.setLevel(level)
        absl_logging.set_verbosity(verbosity)
