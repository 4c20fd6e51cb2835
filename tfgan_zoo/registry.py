"""The model registry: `@register("name")` on a GAN subclass makes it known everywhere."""
import inspect

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


def hparams(name):
    """The constructor arguments model `name` accepts (its own and the GAN base class's)."""
    names = {"name"}
    for cls in lookup(name).__mro__:
        if cls is keras.Model:
            break
        names |= {p for p in inspect.signature(cls.__init__).parameters
                  if p not in ("self", "kwargs")}
    return sorted(names)


def get(name, **hparams_):
    """A new, uncompiled model `name` built with `hparams_` (see its config in zoo_configs/)."""
    unknown = sorted(set(hparams_) - set(hparams(name)))
    if unknown:
        raise InputError(f"model {name!r} has no hyperparameter {', '.join(unknown)}: "
                         f"valid are {', '.join(hparams(name))}")
    return lookup(name)(**hparams_)
