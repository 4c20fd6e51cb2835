import contextlib
import importlib
import io
import os
import subprocess
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorboard.backend.event_processing.event_accumulator import (  # noqa: E402
    TENSORS, EventAccumulator)

import tfgan_zoo  # noqa: E402
from tfgan_zoo import cli  # noqa: E402


# A costly fixture a file's tests share (a trained run, a cluster) is session-scoped and
# its tests share an xdist_group: one test process makes it, once. Module-scoped, it was
# made again whenever that process ran another file's test between two of them (the
# two-worker cluster, the error rows and the exported runs were each made twice).


@pytest.fixture(scope="session", autouse=True)
def offline_keras_cache(tmp_path_factory):
    """Every test sees an empty Keras cache (a temporary KERAS_HOME) and a download that
    fails as it does without a network: no test touches the network, nor the user's cache.
    A test that needs a cached file places a stand-in there."""
    def no_network(*args, **kwargs):
        raise Exception("URL fetch failure: no network in tests")

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KERAS_HOME", str(tmp_path_factory.mktemp("keras_home")))
        patch.setattr("keras.utils.get_file", no_network)
        yield os.environ["KERAS_HOME"]


def tiny_config(name):
    """Model `name`'s own config in its small variant (get_config("tiny"))."""
    return importlib.import_module(f"zoo_configs.{name}").get_config("tiny")


def tiny(name="dcgan", **hparams):
    """A small, compiled zoo model for fast tests: eager, since tracing a step takes
    longer than a few tiny steps (train.run and fit() in the tests trace it)."""
    gan = tfgan_zoo.models.get(name, **{**tiny_config(name).hparams, **hparams})
    gan.compile(jit_compile=False, run_eagerly=True)
    return gan


@pytest.fixture(scope="session")
def digits():
    """64 real offline digits in [-1, 1] and their labels."""
    images, labels = next(iter(tfgan_zoo.data.load("mnist", batch_size=64)))
    return images.numpy(), labels.numpy()


@pytest.fixture(scope="session")
def batches(digits):
    """A training batch of each data kind (GAN.data_kind)."""
    images, labels = digits
    sklearn = next(iter(tfgan_zoo.data.load("digits", batch_size=16, image_size=(28, 28),
                                            labels=False)))
    return {"images": images[:16], "labelled": (images[:16], labels[:16]),
            "unpaired": (images[:16], sklearn.numpy()),
            "paired": (images[:16], images[16:32])}


def batch_for(gan, batches):
    return batches[gan.data_kind]


def weights(model):
    return [np.array(w) for w in model.weights]


def tensors(logdir, steps=False):
    """What TF2 summaries wrote under `logdir`: {tag: [value per step]}, or with `steps`
    {tag: [(step, value)]}."""
    events = EventAccumulator(logdir, size_guidance={TENSORS: 0})
    events.Reload()
    return {tag: [(e.step, tf.make_ndarray(e.tensor_proto)) if steps
                  else tf.make_ndarray(e.tensor_proto) for e in events.Tensors(tag)]
            for tag in events.Tags()["tensors"]}


def run_here(args, cwd):
    """`tfgan-zoo ARGS` as cli.run in this process, in `cwd`: a CompletedProcess (exit
    status 1 and the traceback on stderr for an exception, which no input may cause)."""
    out, err, code = io.StringIO(), io.StringIO(), 0
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.run(["tfgan-zoo", *args])
            except SystemExit as e:
                code = e.code
            except Exception:  # a traceback is what bad input must never show
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())
