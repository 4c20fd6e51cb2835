"""What every registered model must have: a config, a cited paper, a training
step that moves every network, a .keras round trip, and a SavedModel that
serves without tfgan_zoo. A new model cannot be half-registered."""
import importlib
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
from conftest import TINY, batch_for, tensors, tiny, weights

import tfgan_zoo
from tfgan_zoo import train

NAMES = tfgan_zoo.models.names()
EXPECTED_LOGS = {
    "dcgan": {"d_loss", "g_loss", "d_real", "d_fake"},
    "vanilla": {"d_loss", "g_loss", "d_real", "d_fake"},
    "cgan": {"d_loss", "g_loss", "d_real", "d_fake"},
    "wgan": {"d_loss", "g_loss", "d_real", "d_fake", "wasserstein"},
    "wgan_gp": {"d_loss", "g_loss", "d_real", "d_fake", "wasserstein", "gp"},
    "cyclegan": {"d_loss", "g_loss", "d_real", "d_fake", "cycle_loss", "identity_loss"},
}


def test_the_zoo_is_complete():
    assert set(NAMES) == set(EXPECTED_LOGS) == set(TINY)


@pytest.mark.parametrize("name", NAMES)
def test_every_model_has_a_config_and_cites_its_paper(name):
    module = importlib.import_module(f"zoo_configs.{name}")
    config = module.get_config()
    assert config.model == name
    for field in ("seed", "dataset", "train.epochs", "train.batch_size", "train.steps_per_epoch"):
        assert field.split(".")[-1] in (config.train if "." in field else config)
    assert f"tfgan-zoo --model={name}" in module.__doc__
    assert "Expected" in module.__doc__ and "EXPECTED" not in module.__doc__
    cls = tfgan_zoo.models.lookup(name)
    assert cls.paper and cls.__doc__
    year, arxiv = cls.paper.split(", ")[0][-4:], cls.paper.split("arXiv:")[1]
    assert year in cls.__doc__ and arxiv in cls.__doc__
    assert "train_step" not in vars(cls), "variants override hooks, not the step"


@pytest.mark.parametrize("name", NAMES)
def test_one_step_moves_every_network_and_logs_the_variants_terms(name, batches):
    gan = tiny(name)
    networks = {n: weights(getattr(gan, n)) for n in gan.network_names}
    logs = gan.train_on_batch(batch_for(gan, batches), return_dict=True)
    assert set(logs) == EXPECTED_LOGS[name]
    assert all(np.isfinite(v) for v in logs.values()), logs
    for network, before in networks.items():
        after = weights(getattr(gan, network))
        changed = [not np.array_equal(b, a) for b, a in zip(before, after)]
        assert any(changed), f"{network} did not change"


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
    gan.train_on_batch(batch)
    again.train_on_batch(batch)
    for a, b in zip(weights(gan), weights(again)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each model's own config, shrunk, run through train.run as the CLI does."""
    results = {}
    for name in NAMES:
        config = importlib.import_module(f"zoo_configs.{name}").get_config()
        config.hparams.update(TINY[name])
        config.train.update(epochs=2, steps_per_epoch=2, batch_size=8, jit_compile=False,
                            log_every=1)
        workdir = str(tmp_path_factory.mktemp(name))
        results[name] = (train.run(config, workdir), config)
    return results


@pytest.mark.parametrize("name", NAMES)
def test_each_config_trains_and_logs_scalars_and_grids(name, runs):
    out, _ = runs[name]
    scalars = tensors(os.path.join(out.logs, "train"))
    for log in EXPECTED_LOGS[name]:
        assert len(scalars[f"epoch_{log}"]) == 2, log
        assert np.isfinite(scalars[f"batch_{log}"]).all()
    grids = tensors(os.path.join(out.logs, "samples"))["samples"]
    assert len(grids) == 2
    assert os.path.getsize(out.samples) > 0


def test_grid_layouts(runs):
    # cGAN: one row per class; CycleGAN: a, G(a), F(G(a)), b, F(b), G(F(b))
    height = {name: int(tensors(os.path.join(runs[name][0].logs, "samples"))["samples"][0][1])
              for name in ("cgan", "cyclegan", "dcgan")}
    assert height == {"cgan": 10 * 29 - 1, "cyclegan": 6 * 29 - 1, "dcgan": 8 * 29 - 1}


def test_every_saved_model_serves_in_a_fresh_process(runs, tmp_path):
    """One process, no tfgan_zoo, loads every export and calls every signature."""
    exports = {name: out.saved_model for name, (out, _) in runs.items()}
    script = textwrap.dedent(f"""
        import sys, numpy as np, tensorflow as tf
        for name, path in {exports!r}.items():
            model = tf.saved_model.load(path)
            for signature, fn in model.signatures.items():
                inputs = {{}}
                for key, spec in fn.structured_input_signature[1].items():
                    shape = [3] + spec.shape.as_list()[1:]
                    inputs[key] = (tf.constant([1, 7, 2], tf.int32) if spec.dtype == tf.int32
                                   else tf.random.uniform(shape, -1, 1))
                out = fn(**inputs)
                images = out["images"].numpy()
                assert images.shape[0] == 3 and -1 <= images.min() <= images.max() <= 1
                assert out["pixels"].dtype == tf.uint8
                print(name, signature, sorted(inputs), images.shape)
        assert "tfgan_zoo" not in sys.modules
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    served = {tuple(line.split()[:2]) for line in result.stdout.splitlines()}
    for name in ("dcgan", "vanilla", "wgan", "wgan_gp"):
        assert {(name, "serving_default"), (name, "generate")} <= served
    assert {("cgan", "serving_default"), ("cgan", "generate"), ("cgan", "random_labels")} <= served
    assert {("cyclegan", "serving_default"), ("cyclegan", "a_to_b"),
            ("cyclegan", "b_to_a")} <= served
