"""Learning, proven with the metrics: a short offline training of dcgan's and cgan's
default configs (their tricks and optimizers, at width 32) brings the Fréchet distance
on the shipped classifier's features far below the untrained generator's, and cGAN's
samples show the requested digit far more often than chance."""
import importlib

import keras
import pytest

from tfgan_zoo import evaluate, train

STEPS = 700  # width 32: about 30 s on 2 CPU cores
EMOJI_STEPS = 500  # measured: FD 2574 -> 250, SWD 795 -> 291; at 400 steps SWD 0.46x: too close


def trained_briefly(config, evaluator, steps, batch_size, num_samples):
    """The samples' metrics before and after `steps` steps of `config`'s model, and
    the model."""
    # 10 steps per call into TensorFlow: the same training, less time in Python per step
    config.train.update(batch_size=batch_size, epochs=1, steps_per_epoch=steps,
                        steps_per_execution=10)
    gan, data = train.build(config)
    before = evaluator.evaluate(evaluate.ModelSampler(gan), num_samples=num_samples)["samples"]
    gan.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)
    after = evaluator.evaluate(evaluate.ModelSampler(gan), num_samples=num_samples)["samples"]
    return before, after, gan


@pytest.fixture(scope="module")
def evaluator():
    """One for both: the same real digits; label accuracy is measured when G takes labels."""
    return evaluate.Evaluator.for_data("labelled", "mnist")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dcgan", "cgan"])
def test_short_training_brings_the_frechet_distance_down(name, evaluator):
    keras.utils.set_random_seed(0)
    config = importlib.import_module(f"zoo_configs.{name}").get_config()
    config.hparams.width = 32  # the D that width 16 was before the networks followed the size
    before, after, gan = trained_briefly(config, evaluator, STEPS, 64, 1000)
    floor = evaluator.floor()["real"]
    print(f"{name}: fd untrained {before['fd']:.2f}, after {STEPS} steps {after['fd']:.2f}, "
          f"real-vs-real {floor['fd']:.2f}; label accuracy {after.get('label_accuracy')}")
    # measured at 700 steps (2026-12-02, AVX-512): dcgan 907 -> 116, cgan 874 -> 196, label
    # accuracy 0.88 (real vs real: 7.3); 2026-12-03: dcgan 907 -> 111, 8 classes. At 500
    # steps dcgan covered 7 classes on this machine, with the code of the landing before
    # too: too close
    assert after["fd"] < 0.5 * before["fd"]
    assert after["classes_covered"] >= 8
    if gan.conditional:
        assert after["label_accuracy"] > 0.5  # chance: 0.1; measured: 0.88-0.99


@pytest.mark.slow
def test_a_tiny_emoji_dcgan_at_32x32_halves_its_distances_in_about_a_minute():
    """Colour learning, measured by the emoji classifier's features and by the sliced
    Wasserstein distance, which needs no network."""
    keras.utils.set_random_seed(0)
    config = importlib.import_module("zoo_configs.dcgan").get_config()
    config.dataset, config.image_size, config.hparams.width = "emoji", (32, 32), 16
    evaluator = evaluate.Evaluator.for_data("images", "emoji", image_size=(32, 32))
    before, after, _ = trained_briefly(config, evaluator, EMOJI_STEPS, 32, 500)
    floor = evaluator.floor()["real"]
    print(f"emoji 32x32: fd {before['fd']:.1f} -> {after['fd']:.1f} (floor {floor['fd']:.1f}), "
          f"swd {before['swd']:.0f} -> {after['swd']:.0f} (floor {floor['swd']:.0f})")
    assert after["fd"] < 0.5 * before["fd"] and after["swd"] < 0.5 * before["swd"]
