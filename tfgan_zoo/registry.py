"""The model registry: `@register("name")` on a GAN subclass makes it known everywhere:
`models.get`, the CLI and its --help, `.keras` loading and the registry-wide tests."""
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


def pretrained():
    """{model: [names]} of the trained weights shipped with the package (`get(model,
    weights=name)`)."""
    from tfgan_zoo import pretrained as shipped

    return shipped.available()


def names():
    """The registered model names, sorted."""
    return sorted(_MODELS)


def lookup(name):
    """The class registered as `name`."""
    if name not in _MODELS:
        raise InputError(f"unknown model {name!r}: choose one of {', '.join(names())}")
    return _MODELS[name]


def get(name, weights=None, **hparams):
    """A new, uncompiled model `name` built with `hparams` (its constructor arguments;
    defaults: `lookup(name).hyperparameters()`, allowed values:
    `lookup(name).hyperparameter_ranges()`); InputError for any outside its range.

    weights, as in keras.applications: None (untrained), the name of a set shipped with the
    package (`pretrained()` lists them; the model is built as they were trained), or a path:
    a .keras file, a .weights.h5 file, a workdir or a SavedModel export of this model."""
    if weights is not None:
        from tfgan_zoo import pretrained  # it builds through this module

        return pretrained.with_weights(name, weights, **hparams)
    cls = lookup(name)
    valid = ["name", *cls.hyperparameters(), *cls.network_names]
    unknown = sorted(set(hparams) - set(valid))
    if unknown:
        raise InputError(f"model {name!r} has no hyperparameter {', '.join(unknown)}: "
                         f"valid are {', '.join(sorted(valid))}")
    cls.check_hyperparameters(**hparams)
    return cls(**hparams)
