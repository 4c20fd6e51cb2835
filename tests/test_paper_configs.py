"""Every `FILE:paper` config is its paper's experiment: it trains two steps at the paper's
resolution on its data (TFDS mocked by tfds.testing.mock_data, facades as generated
side-by-side files), exports, and its SavedModel serves that resolution in a fresh process
without the package. The networks are shrunk to width 4 and the batches to 2 so that this
takes seconds on a CPU (test_sizes.py holds the full networks to the reference
implementations' parameter counts), and the steps run eagerly."""
import importlib
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from tfgan_zoo import models, train

# model -> the paper's (height, width, channels)
RESOLUTIONS = {"dcgan": (64, 64, 3), "wgan": (64, 64, 3), "wgan_gp": (32, 32, 3),
               "cgan": (28, 28, 1), "vanilla": (28, 28, 1), "cyclegan": (256, 256, 3),
               "pix2pix": (256, 256, 3)}


def paper_config(name):
    return importlib.import_module(f"zoo_configs.{name}").get_config("paper")


def shrunk(config):
    """Two eager steps of small networks, at the config's resolution and on its data."""
    config.train.update(epochs=2, steps_per_epoch=1, batch_size=min(2, config.train.batch_size),
                        jit_compile=False, run_eagerly=True)
    if config.optimizer.decay_from_epoch is not None:
        config.optimizer.decay_from_epoch = 1
    sizes = {"width": 4, "hidden": 10, "latent_dim": 8, "num_blocks": 1, "pool_size": 3}
    config.hparams.update({k: v for k, v in sizes.items() if k in config.hparams})
    return config


def facades(folder):
    """The facades layout: train/ and val/ files of photo | labels, 256x256 each half."""
    rng = np.random.default_rng(0)
    for split, count in (("train", 4), ("val", 2)):
        os.makedirs(folder / split)
        for i in range(count):
            both = rng.integers(0, 256, (256, 512, 3), dtype=np.uint8)
            tf.io.write_file(str(folder / split / f"{i}.jpg"), tf.io.encode_jpeg(both))


@pytest.fixture(scope="module")
def paper_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("paper")
    facades(root / "facades")
    runs = {}
    here = os.getcwd()
    os.chdir(root)  # pix2pix's paper config reads ./facades
    try:
        with tfds.testing.mock_data(num_examples=8):
            for name in RESOLUTIONS:
                runs[name] = train.run(shrunk(paper_config(name)), str(root / name))
    finally:
        os.chdir(here)
    return runs


pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("paper")]


def test_every_model_has_a_paper_config_with_a_resolution_here():
    assert sorted(RESOLUTIONS) == sorted(models.names())


@pytest.mark.parametrize("name", sorted(RESOLUTIONS))
def test_each_paper_config_trains_at_the_papers_resolution(paper_runs, name):
    out = paper_runs[name]
    with open(os.path.join(out.saved_model, "assets.extra", "tfgan_zoo.json")) as f:
        assert tuple(json.load(f)["image_shape"]) == RESOLUTIONS[name]


def test_every_paper_export_serves_its_resolution_in_a_fresh_process(paper_runs, tmp_path):
    exports = {name: (out.saved_model, RESOLUTIONS[name]) for name, out in paper_runs.items()}
    script = textwrap.dedent(f"""
        import sys, tensorflow as tf
        for name, (path, shape) in {exports!r}.items():
            fn = tf.saved_model.load(path).signatures["serving_default"]
            inputs = {{}}
            for key, spec in fn.structured_input_signature[1].items():
                if spec.dtype == tf.int32:
                    inputs[key] = tf.constant([1, 7], tf.int32)
                elif spec.shape.rank == 2:
                    inputs[key] = tf.random.normal([2, spec.shape[1]])
                else:
                    inputs[key] = tf.random.uniform([2, *shape], -1, 1)
            images = fn(**inputs)["images"]
            assert tuple(images.shape) == (2, *shape), (name, images.shape)
            print(name)
        assert "tfgan_zoo" not in sys.modules
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(result.stdout.split()) == sorted(RESOLUTIONS)
