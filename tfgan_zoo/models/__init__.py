"""The model zoo: `get(name, **hparams)`, `names()`, and `register` for your own."""
from tfgan_zoo.models import dcgan  # noqa: F401  (registers)
from tfgan_zoo.registry import get, lookup, names, register

__all__ = ["get", "lookup", "names", "register"]
