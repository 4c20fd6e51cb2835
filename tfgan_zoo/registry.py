"""The model registry: `@register("name")` on a GAN subclass makes it known everywhere."""
import keras

from tfgan_zoo.errors import InputError

_MODELS = {}


def register(name):
    """Class decorator: registers a GAN variant under `name` (also for `.keras` loading)."""

    def decorate(cls):
        cls.registry_name = name
        _MODELS[name] = keras.saving.register_keras_serializable("tfgan_zoo", cls.__name__)(cls)
        return cls

    return decorate


def names():
    """The registered model names, sorted."""
    return sorted(_MODELS)


def lookup(name):
    """The class registered as `name`."""
    if name not in _MODELS:
        raise InputError(f"unknown model {name!r}: choose one of {', '.join(names())}")
    return _MODELS[name]


def get(name, **hparams):
    """A new, uncompiled model `name` built with `hparams` (see its config in zoo_configs/)."""
    cls = lookup(name)
    try:
        return cls(**hparams)
    except TypeError as e:
        raise InputError(f"bad hyperparameters for model {name!r}: {e}") from None
