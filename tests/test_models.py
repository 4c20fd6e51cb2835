"""What every registered model must have: a config with a small variant, a cited
paper, a training step that moves every network and sends every discriminator call
through `discriminate`, synchronized batch norm, a .keras round trip, and a
SavedModel that serves without tfgan_zoo. The list of models is the registry's:
a new model cannot be half-registered."""
import importlib
import os
import re
import subprocess
import sys
import textwrap
from unittest import mock

import keras
import numpy as np
import pytest
from conftest import batch_for, tensors, tiny, tiny_config, weights

import tfgan_zoo
from tfgan_zoo import cli, train
from tfgan_zoo.errors import InputError
from zoo_configs import base

NAMES = tfgan_zoo.models.names()


@pytest.mark.parametrize("name", NAMES)
def test_every_model_has_a_config_and_cites_its_paper(name):
    module = importlib.import_module(f"zoo_configs.{name}")
    assert module.get_config().model == name
    assert f"tfgan-zoo --model={name}" in module.__doc__
    assert "Expected" in module.__doc__
    cls = tfgan_zoo.models.lookup(name)
    assert cls.paper and cls.__doc__
    year, arxiv = cls.paper.split(", ")[0][-4:], cls.paper.split("arXiv:")[1]
    assert year in cls.__doc__ and arxiv in cls.__doc__
    assert "train_step" not in vars(cls), "variants override hooks, not the step"
    assert cls.data_kind in ("images", "labelled", "unpaired", "paired")


@pytest.mark.parametrize("name", NAMES)
def test_every_constructor_argument_is_a_described_config_field(name):
    config = importlib.import_module(f"zoo_configs.{name}").get_config()
    cls = tfgan_zoo.models.lookup(name)
    expected = set(cls.hyperparameters()) - {"seed", *base.FROM_DATA}
    assert set(config.hparams) == expected
    for field, default, meaning in cli.field_help(config):
        assert meaning, f"{field}: describe it in zoo_configs/base.py FIELDS or the model's Args:"
        assert "Allowed: " in meaning, f"{field}: declare its range (zoo_configs/base.py FIELDS " \
                                       "or an annotation on the model's constructor argument)"
    # a default lives in the class: a config file sets a field only to change it
    for key in _overridden(name):
        assert config.hparams[key] != cls.hyperparameters()[key], f"{key} repeats the default"


@pytest.mark.parametrize("name", NAMES)
def test_every_hyperparameter_declares_a_range_its_default_and_every_variant_keep(name):
    cls = tfgan_zoo.models.lookup(name)
    allowed = cls.hyperparameter_ranges()
    assert set(allowed) == set(cls.hyperparameters())
    for argument, default in cls.hyperparameters().items():
        assert allowed[argument].allows(default), (argument, default, allowed[argument])
    module = importlib.import_module(f"zoo_configs.{name}")
    for variant in (None, "paper", "tiny", *getattr(module, "TASKS", {})):
        config = module.get_config(variant)
        base.check(config)  # raises for a value outside its range
        assert all(base.allowed(config, field) for field, _ in base.leaves(config)), variant


def _overridden(name):
    """Fields the model's config file sets itself (read from its source)."""
    source = open(importlib.import_module(f"zoo_configs.{name}").__file__).read()
    return set(re.findall(r"^\s*config\.hparams\.(\w+)\s*=", source, re.MULTILINE))


@pytest.mark.parametrize("name", NAMES)
def test_the_paper_variant_is_the_class_defaults_and_its_own_changes(name):
    module = importlib.import_module(f"zoo_configs.{name}")
    paper = module.get_config("paper")
    cls = tfgan_zoo.models.lookup(name)
    departures = getattr(module, "PAPER", {})  # what the paper variant sets beyond the class
    changed = {k for k in departures if k.startswith("hparams.")}
    for key, value in paper.hparams.items():
        if f"hparams.{key}" not in changed:
            assert value == cls.hyperparameters()[key], key
    for key, value in paper.optimizer.items():  # the paper's optimizers, unless it sets them
        assert value == departures.get(f"optimizer.{key}"), key
    for key, value in departures.items():
        section, _, field = key.rpartition(".")
        assert (paper[section] if section else paper)[field] == value, key
    with pytest.raises(InputError, match="use paper, tiny"):
        module.get_config("fast")


@pytest.mark.parametrize("name", NAMES)
def test_batch_norm_is_synchronized_across_replicas(name):
    gan = tiny(name)
    for network in gan.network_names:
        for layer in getattr(gan, network).layers:
            if isinstance(layer, keras.layers.BatchNormalization):
                assert layer.synchronized, f"{name}.{network}.{layer.name}"


@pytest.mark.parametrize("name", NAMES)
def test_one_step_moves_every_network_and_logs_the_declared_terms(name, batches):
    gan = tiny(name)
    networks = {n: weights(getattr(gan, n)) for n in gan.network_names}
    logs = gan.train_on_batch(batch_for(gan, batches), return_dict=True)
    assert set(logs) == {"d_loss", "g_loss", *gan.loss_names, *gan.stat_names}
    assert all(np.isfinite(v) for v in logs.values()), logs
    for network, before in networks.items():
        after = weights(getattr(gan, network))
        assert any(not np.array_equal(b, a) for b, a in zip(before, after)), network


@pytest.mark.parametrize("name", NAMES)
def test_every_discriminator_call_goes_through_discriminate(name, batches):
    gan = tiny(name)
    discriminators = [getattr(gan, n) for n in gan.network_names if "discriminator" in n]
    calls = {"network": 0, "path": 0}
    network_call, discriminate = type(gan.discriminator).__call__, gan.discriminate

    def counting_call(self, *args, **kwargs):
        calls["network"] += any(self is d for d in discriminators)
        return network_call(self, *args, **kwargs)

    def counting_discriminate(*args, **kwargs):
        calls["path"] += 1
        return discriminate(*args, **kwargs)

    gan.discriminate = counting_discriminate
    with mock.patch.object(type(gan.discriminator), "__call__", counting_call):
        gan.train_on_batch(batch_for(gan, batches))
    assert calls["network"] > 0 and calls["network"] == calls["path"], calls


@pytest.mark.parametrize("name", NAMES)
def test_keras_round_trip_keeps_optimizer_state(name, batches, tmp_path):
    gan = tiny(name)
    batch = batch_for(gan, batches)
    gan.train_on_batch(batch)
    gan.save(tmp_path / "model.keras")
    again = keras.models.load_model(tmp_path / "model.keras")
    assert type(again) is type(gan)

    def hyperparameters(model):  # the networks' configs differ in auto-generated layer names
        return {k: v for k, v in model.get_config().items() if k not in model.network_names}

    assert hyperparameters(again) == hyperparameters(gan)
    for original, loaded in ((gan.d_optimizer, again.d_optimizer),
                             (gan.g_optimizer, again.g_optimizer)):
        assert int(loaded.iterations) == int(original.iterations) > 0
        for a, b in zip(original.variables, loaded.variables):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
    again.run_eagerly = gan.run_eagerly  # not part of the saved compile config
    gan.train_on_batch(batch)
    again.train_on_batch(batch)
    for a, b in zip(weights(gan), weights(again)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


_RUNS = {}


def run_of(name, tmp_path_factory):
    """Model `name`'s own config in its tiny variant, run through train.run as the CLI does."""
    if name not in _RUNS:
        config = tiny_config(name)
        config.train.update(epochs=2, steps_per_epoch=2)
        _RUNS[name] = train.run(config, str(tmp_path_factory.mktemp(name)))
    return _RUNS[name]


@pytest.mark.parametrize("name", NAMES)
def test_each_config_trains_and_logs_scalars_and_grids(name, tmp_path_factory):
    out = run_of(name, tmp_path_factory)
    gan = tiny(name)
    scalars = tensors(os.path.join(out.logs, "train"))
    for log in ("d_loss", "g_loss", *gan.loss_names, *gan.stat_names):
        assert len(scalars[f"epoch_{log}"]) == 2, log
        assert np.isfinite(scalars[f"batch_{log}"]).all()
    grids = tensors(os.path.join(out.logs, "samples"))["samples"]
    assert len(grids) == 2
    assert os.path.getsize(out.samples) > 0


def test_grid_layouts(tmp_path_factory):
    # cGAN: one row per class; CycleGAN: a, G(a), F(G(a)), b, F(b), G(F(b)); else 8 x 8
    height = {name: int(tensors(os.path.join(run_of(name, tmp_path_factory).logs,
                                             "samples"))["samples"][0][1])
              for name in ("cgan", "cyclegan", "dcgan")}
    assert height == {"cgan": 10 * 29 - 1, "cyclegan": 6 * 29 - 1, "dcgan": 8 * 29 - 1}


def test_every_saved_model_serves_every_signature_in_a_fresh_process(tmp_path_factory, tmp_path):
    """One process, no tfgan_zoo, loads every export and calls every signature; each model
    serves exactly the signatures it declares, plus serving_default."""
    exports = {name: run_of(name, tmp_path_factory).saved_model for name in NAMES}
    script = textwrap.dedent(f"""
        import sys, tensorflow as tf
        for name, path in {exports!r}.items():
            model = tf.saved_model.load(path)
            for signature, fn in model.signatures.items():
                inputs = {{}}
                for key, spec in fn.structured_input_signature[1].items():
                    # translators take any size: 32x32, not the 28x28 they trained on
                    shape = [3] + [side or 32 for side in spec.shape.as_list()[1:]]
                    inputs[key] = (tf.constant([1, 7, 2], tf.int32) if spec.dtype == tf.int32
                                   else tf.random.uniform(shape, -1, 1))
                out = fn(**inputs)
                images = out["images"].numpy()
                assert images.shape[0] == 3 and -1 <= images.min() <= images.max() <= 1
                assert out["pixels"].dtype == tf.uint8
                print(name, signature)
        assert "tfgan_zoo" not in sys.modules
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    served = {tuple(line.split()) for line in result.stdout.splitlines()}
    expected = {(name, signature) for name in NAMES
                for signature in ("serving_default", *tiny(name).serving_signatures())}
    assert served == expected
