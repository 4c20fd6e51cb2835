"""A model added as the README says (one model file, one config file, one import line)
is picked up by the registry-wide tests, the CLI and --help with no other edit."""
import os
import re
import subprocess
import sys

import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))

MODEL = '''
"""ToyGAN: Nobody & Else 2026, "A toy GAN" (arXiv:2601.00001).

One hidden layer in each network.

Args:
  latent_dim: length of the noise vector z.
  hidden: units of each network's hidden layer.
  image_shape: (height, width, channels) of the images.
"""
import math

import keras

import tfgan_zoo
from tfgan_zoo import ranges


@tfgan_zoo.models.register("toy")
class ToyGAN(tfgan_zoo.NoiseToImageGAN):
    __doc__ = __doc__
    paper = "Nobody & Else 2026, arXiv:2601.00001"

    def __init__(self, latent_dim: ranges.Whole(1, 64) = 4, hidden: ranges.Whole(1, 256) = 16,
                 image_shape: ranges.IMAGE_SHAPE = (28, 28, 1), generator=None,
                 discriminator=None, **kwargs):
        image_shape = tuple(image_shape)
        z = keras.Input((latent_dim,))
        x = keras.layers.Dense(hidden, activation="relu")(z)
        x = keras.layers.Dense(math.prod(image_shape), activation="tanh")(x)
        images = keras.Input(image_shape)
        h = keras.layers.Dense(hidden, activation="relu")(keras.layers.Flatten()(images))
        super().__init__(
            generator=generator or keras.Model(z, keras.layers.Reshape(image_shape)(x)),
            discriminator=discriminator or keras.Model(images, keras.layers.Dense(1)(h)),
            **kwargs)
        self.hidden = hidden
'''

CONFIG = '''
"""ToyGAN on the offline digits.

    tfgan-zoo --model=toy

Expected (2 CPU cores): a few seconds; blurry blobs.
"""
from zoo_configs import base


def get_config(arg=None):
    config = base.get_config("toy")
    config.train.epochs = 2
    return base.variant(config, arg, tiny=dict(hidden=4))
'''

# What a user's project does: zoo_configs/toy.py next to the others (here: a folder
# added to the zoo_configs package) and the model's import line.
PLUGIN = '''
import zoo_configs
zoo_configs.__path__.append({configs!r})
import toy_gan  # noqa: F401  (the one import line)
'''


@pytest.mark.slow
def test_a_new_model_is_picked_up_by_the_registry_wide_tests_the_cli_and_help(tmp_path):
    (tmp_path / "configs").mkdir()
    (tmp_path / "toy_gan.py").write_text(MODEL)
    (tmp_path / "configs" / "toy.py").write_text(CONFIG)
    (tmp_path / "toy_plugin.py").write_text(PLUGIN.format(configs=str(tmp_path / "configs")))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), TESTS])}
    tests = [os.path.join(TESTS, f) for f in
             ("test_models.py", "test_cli.py", "test_documented_commands.py",
              "test_config_fuzz.py")]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-n", "0",  # one process: one line per test
         "-p", "toy_plugin", "-p", "no:cacheprovider",
         "-k", "toy", "-W", "ignore", *tests],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout[-5000:]
    passed = set(re.findall(r"::(test_\w+)\[[^\]]*toy[^\]]*\] PASSED", result.stdout))
    assert passed == {
        "test_every_model_has_a_config_and_cites_its_paper",
        "test_every_constructor_argument_is_a_described_config_field",
        "test_every_hyperparameter_declares_a_range_its_default_and_every_variant_keep",
        "test_any_value_outside_a_fields_range_is_refused_by_its_one_line",
        "test_any_values_inside_the_ranges_train_or_meet_a_documented_limit",
        "test_the_paper_variant_is_the_class_defaults_and_its_own_changes",
        "test_batch_norm_is_synchronized_across_replicas",
        "test_one_step_moves_every_network_and_logs_the_declared_terms",
        "test_every_discriminator_call_goes_through_discriminate",
        "test_keras_round_trip_keeps_optimizer_state",
        "test_each_config_trains_and_logs_scalars_and_grids",
        "test_help_shows_the_chosen_models_description_fields_and_expected_time",
        "test_documented_command_runs",  # the config docstring's `tfgan-zoo --model=toy`
    }, result.stdout[-5000:]
    assert "deselected" in summary  # the other models' tests did not run

    help_run = subprocess.run(
        [sys.executable, "-c", "import toy_plugin, sys; from tfgan_zoo import cli; "
         "cli.run(['tfgan-zoo', '--model=toy', '--help'])"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert help_run.returncode == 0, help_run.stderr[-3000:]
    assert "Model toy: ToyGAN: Nobody & Else 2026" in help_run.stdout
    assert re.search(r"hparams\.hidden = 16 +units of each network's hidden layer",
                     help_run.stdout)
