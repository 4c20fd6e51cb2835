"""The model zoo: `get(name, weights=None, **hparams)`, `names()`, `pretrained()` (the
shipped weights), and `register` for your own."""
# Importing a model's module registers it.
from tfgan_zoo.models import cgan, cyclegan, dcgan, pix2pix, vanilla, wgan, wgan_gp  # noqa: F401
from tfgan_zoo.registry import get, lookup, names, pretrained, register

__all__ = ["get", "lookup", "names", "pretrained", "register"]
