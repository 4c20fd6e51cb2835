import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorboard.backend.event_processing.event_accumulator import (  # noqa: E402
    TENSORS, EventAccumulator)

import tfgan_zoo  # noqa: E402


# Hyperparameters that make each zoo model small enough for fast tests.
TINY = {
    "dcgan": dict(width=4, latent_dim=8),
    "wgan": dict(width=4, latent_dim=8),
    "wgan_gp": dict(width=4, latent_dim=8),
    "cgan": dict(width=4, latent_dim=8),
    "vanilla": dict(hidden=16, latent_dim=8),
    "cyclegan": dict(width=4, num_blocks=1),
}


def tiny(name="dcgan", **hparams):
    """A small, compiled zoo model for fast tests (no XLA: tracing is quicker)."""
    gan = tfgan_zoo.models.get(name, **{**TINY[name], **hparams})
    gan.compile(jit_compile=False)
    return gan


@pytest.fixture(scope="session")
def digits():
    """64 real offline digits in [-1, 1] and their labels."""
    images, labels = next(iter(tfgan_zoo.data.load("mnist", batch_size=64, labels=True)))
    return images.numpy(), labels.numpy()


@pytest.fixture(scope="session")
def batches(digits):
    """A training batch for each kind of model: images, (images, labels), (a, b)."""
    images, labels = digits
    sklearn = next(iter(tfgan_zoo.data.load("digits", batch_size=16, image_size=(28, 28))))
    return {"images": images[:16], "labelled": (images[:16], labels[:16]),
            "unpaired": (images[:16], sklearn.numpy())}


def batch_for(gan, batches):
    if gan.unpaired:
        return batches["unpaired"]
    return batches["labelled"] if gan.conditional else batches["images"]


def weights(model):
    return [np.array(w) for w in model.weights]


def tensors(logdir):
    """What TF2 summaries wrote under `logdir`: {tag: [value per step]}."""
    events = EventAccumulator(logdir, size_guidance={TENSORS: 0})
    events.Reload()
    return {tag: [tf.make_ndarray(e.tensor_proto) for e in events.Tensors(tag)]
            for tag in events.Tags()["tensors"]}
