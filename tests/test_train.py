"""The trainer: the model follows the data, the config reaches the optimizers."""
import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import tiny, tiny_config

import tfgan_zoo
from tfgan_zoo import networks, train
from zoo_configs import base


def write_pngs(directory, count, shape):
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(count):
        tf.io.write_file(str(directory / f"{i}.png"),
                         tf.io.encode_png(rng.integers(0, 256, shape, dtype=np.uint8)))


def test_the_model_takes_the_datas_image_shape(tmp_path):
    write_pngs(tmp_path / "rgb", 8, (32, 32, 3))
    config = tiny_config("dcgan")
    config.dataset = f"folder:{tmp_path / 'rgb'}"
    gan, dataset = train.build(config)
    assert gan.image_shape == (32, 32, 3)
    assert gan.generate(n=2).shape == (2, 32, 32, 3)
    config.channels, config.image_size = 1, (16, 16)
    assert train.build(config)[0].image_shape == (16, 16, 1)


def test_a_conditional_model_takes_the_datas_classes(tmp_path):
    for name in ("cat", "cow", "dog"):
        write_pngs(tmp_path / "animals" / name, 3, (28, 28, 1))
    config = tiny_config("cgan")
    config.dataset = f"folder:{tmp_path / 'animals'}"
    gan, dataset = train.build(config)
    assert gan.num_classes == 3 and dataset.num_classes == 3
    images, labels = next(iter(dataset))
    assert set(labels.numpy()) <= {0, 1, 2}


def test_sizes_the_network_cannot_build_name_the_setting_that_fixes_them(tmp_path):
    write_pngs(tmp_path / "odd", 8, (29, 29, 1))
    config = tiny_config("dcgan")
    config.dataset = f"folder:{tmp_path / 'odd'}"
    fix = r"even and at least 8.*29x29.*image_size='\(28, 28\)'"
    with pytest.raises(tfgan_zoo.InputError, match=fix):
        train.build(config)
    config.image_size = (30, 30)  # 15x15, doubled once
    assert train.build(config)[0].image_shape == (30, 30, 1)


def test_optimizer_settings_change_the_papers_optimizers():
    config = base.get_config("dcgan").optimizer  # every setting None: the paper's
    config.update(d_learning_rate=1e-3, beta_2=0.9)
    d, g = train.optimizers(tiny(), config)
    assert (float(d.learning_rate), float(g.learning_rate)) == (np.float32(1e-3), np.float32(2e-4))
    assert float(d.beta_1) == 0.5 and float(g.beta_2) == np.float32(0.9)  # paper's beta_1 kept
    config = base.get_config("wgan").optimizer
    config.update(beta_1=0.5)
    with pytest.raises(tfgan_zoo.InputError, match="RMSprop has no beta_1"):
        train.optimizers(tiny("wgan"), config)
    config.update(name="adam")
    d, _ = train.optimizers(tiny("wgan"), config)
    assert type(d).__name__ == "Adam" and float(d.learning_rate) == np.float32(5e-5)
    for name in base.OPTIMIZERS:  # every name the config accepts is one Keras knows
        config.update(name=name, beta_1=None)
        d, _ = train.optimizers(tiny("wgan"), config)
        assert type(d).__name__.lower() == name


def test_spectral_norm_switch_wraps_every_weight_layer_of_a_discriminator_block():
    images = keras.Input((28, 28, 1))
    for spectral in (False, True):
        model = keras.Model(images, networks.dcgan_discriminator_features(
            images, 4, spectral_norm=spectral))
        wrapped = [layer for layer in model.layers
                   if isinstance(layer, keras.layers.SpectralNormalization)]
        assert len(wrapped) == (2 if spectral else 0)


@pytest.mark.parametrize("wanted, steps, counts, expected, distribute", [
    (10, 70, (10, 100, 0), 10, "default"),  # vanilla's default
    (10, 35, (10, 100, 0), 5, "default"),  # a bigger batch: 35 steps an epoch
    (10, 70, (10, 100, 30), 10, "default"),  # resumed 30 steps into an epoch
    (10, 70, (10, 100, 4), 2, "default"),  # a replay of 4 steps (checkpoint_every was 4)
    (4, 70, (1, 100, 0), 1, "default"),  # every step logged
    (1, 70, (10, 100, 0), 1, "default"),
    (10, 70, (10, 100, 0), 1, "mirrored"),  # Keras's multi-step call fails there
    (10, 70, (10, 100, 0), 1, "multi_worker"),
])
def test_steps_per_execution_is_lowered_to_end_a_call_at_every_step_that_acts(
        wanted, steps, counts, expected, distribute):
    config = tiny_config("vanilla")
    config.distribute = distribute
    config.train.steps_per_execution, config.train.steps_per_epoch = wanted, steps
    assert train.steps_per_execution(config, None, *counts) == expected


def test_steps_per_execution_reaches_keras_compile():
    config = tiny_config("vanilla")
    config.train.update(steps_per_execution=4, steps_per_epoch=6, run_eagerly=False)
    gan, _ = train.build(config)
    assert gan.steps_per_execution == 2
