import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import tfgan_zoo  # noqa: E402


def tiny(name="dcgan", **hparams):
    """A small, compiled zoo model for fast tests (no XLA: tracing is quicker)."""
    defaults = {"dcgan": dict(width=4, latent_dim=8)}.get(name, {})
    gan = tfgan_zoo.models.get(name, **{**defaults, **hparams})
    gan.compile(jit_compile=False)
    return gan


@pytest.fixture(scope="session")
def digits():
    """64 real offline digits in [-1, 1] and their labels."""
    images, labels = next(iter(tfgan_zoo.data.load("mnist", batch_size=64, labels=True)))
    return images.numpy(), labels.numpy()


def weights(model):
    return [np.array(w) for w in model.weights]
