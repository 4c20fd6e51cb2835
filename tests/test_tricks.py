"""Each training trick does what its paper says, and all of them keep training
independent of the number of replicas."""
import os
import subprocess
import sys
import textwrap
from unittest import mock

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import tiny, weights

from tfgan_zoo import export, gan as gan_lib, tricks
from tfgan_zoo.errors import InputError

ALL_TRICKS = dict(ema_decay=0.9, instance_noise=0.2, instance_noise_steps=5,
                  label_smoothing=0.1, augment="translation,cutout,color", r1_weight=1.0,
                  spectral_norm=True)


def noise_for(gan, batch=16, stream=gan_lib.DISCRIMINATOR_NOISE):
    return gan_lib.ReplicaNoise(gan.seed, gan.d_optimizer.iterations, stream, batch)


def identity(inputs, training=False):
    return inputs


@pytest.mark.parametrize("ema_start", [0, 2])
def test_ema_generator_follows_the_closed_form_while_g_keeps_training(digits, ema_start):
    gan = tiny("dcgan", ema_decay=0.5, ema_start=ema_start)
    images = digits[0][:16]
    history = [weights(gan.generator)]
    for _ in range(4):
        gan.train_on_batch(images)
        history.append(weights(gan.generator))
    expected = history[0]
    for step, raw in enumerate(history[1:], start=1):
        decay = 0.5 if step > ema_start else 0.0  # a copy until ema_start batches
        expected = [decay * e + (1 - decay) * w for e, w in zip(expected, raw)]
    for averaged, want in zip(weights(gan.ema_generator), expected):
        np.testing.assert_allclose(averaged, want, rtol=1e-5, atol=1e-6)
    assert any(not np.allclose(a, b) for a, b in zip(history[-1], weights(gan.ema_generator)))
    assert any(not np.allclose(a, b) for a, b in zip(history[-1], history[-2]))  # G trains
    z = np.random.default_rng(0).standard_normal((4, gan.latent_dim)).astype(np.float32)
    np.testing.assert_allclose(gan.generate(z), gan.ema_generator(z, training=False), atol=1e-6)


def test_ema_averages_both_of_cyclegans_generators_and_translates_with_them(batches):
    gan = tiny("cyclegan", ema_decay=0.5)
    gan.train_on_batch(batches["unpaired"])
    a = batches["unpaired"][0][:2]
    for name, direction in (("generator", "a_to_b"), ("generator_ba", "b_to_a")):
        averaged = getattr(gan, "ema_" + name)
        np.testing.assert_allclose(gan.generate(a, direction), averaged(a, training=False),
                                   atol=1e-6)
        assert not np.allclose(weights(averaged)[0], weights(getattr(gan, name))[0])


def test_spectral_norm_keeps_each_discriminator_layers_top_singular_value_near_one(digits):
    gan = tiny("dcgan", spectral_norm=True, width=8)
    normalized = [layer for layer in gan.discriminator.layers
                  if isinstance(layer, keras.layers.SpectralNormalization)]
    assert len(normalized) == 3  # two convolutions and the output layer
    for _ in range(10):
        gan.train_on_batch(digits[0][:16])
    for layer in normalized:
        kernel = np.array(layer.layer.kernel)
        top = np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]
        assert abs(top - 1.0) < 0.05, (layer.name, top)


def test_instance_noise_follows_its_schedule_and_is_gone_at_the_end(digits):
    np.testing.assert_allclose(
        [tricks.instance_noise_stddev(step, 0.4, 100) for step in (0, 25, 50, 100, 300)],
        [0.4, 0.3, 0.2, 0.0, 0.0], atol=1e-7)
    gan = tiny("dcgan", instance_noise=0.4, instance_noise_steps=100)
    images = tf.constant(digits[0][:16])
    for step, stddev in ((0, 0.4), (50, 0.2), (100, 0.0)):
        gan.g_optimizer.iterations.assign(step)
        seen = gan.discriminate(images, noise_for(gan), network=identity)
        assert np.std(seen - images) == pytest.approx(stddev, rel=0.05, abs=1e-7), step


def test_label_smoothing_reaches_the_models_loss():
    real, fake = tf.fill([2, 1], 2.0), tf.fill([2, 1], -1.0)
    plain = tiny("dcgan").adversarial.discriminator(real, fake)
    smoothed = tiny("dcgan", label_smoothing=0.1).adversarial.discriminator(real, fake)
    np.testing.assert_allclose(smoothed - plain, [0.1 * 2.0] * 2, rtol=1e-5)


def test_diff_augment_is_differentiable_and_moves_or_cuts_the_image():
    images = tf.Variable(tf.random.uniform([8, 16, 16, 1], -1, 1, seed=1))
    noise = gan_lib.ReplicaNoise(0, 0, 0, 8)
    with tf.GradientTape() as tape:
        augmented = tricks.diff_augment(images, noise, ("translation", "cutout", "color"))
        total = tf.reduce_sum(augmented ** 2)
    grad = tape.gradient(total, images)
    assert np.all(np.isfinite(grad)) and np.any(grad != 0)

    dot = np.zeros([8, 16, 16, 1], np.float32)
    dot[:, 8, 8] = 1.0
    shifted = tricks.translation(tf.constant(dot), gan_lib.ReplicaNoise(0, 1, 0, 8)).numpy()
    where = [np.argwhere(image[..., 0] == 1.0) for image in shifted]
    assert all(len(w) == 1 and np.abs(w[0] - 8).max() <= 2 for w in where)  # 16 / 8 = 2
    assert len({tuple(w[0]) for w in where}) > 1  # each image its own shift

    cut = tricks.cutout(tf.ones([8, 16, 16, 1]), gan_lib.ReplicaNoise(0, 2, 0, 8)).numpy()
    zeros = (cut == 0).sum(axis=(1, 2, 3))
    assert np.all((zeros > 0) & (zeros <= 64)) and zeros.max() == 64  # up to an 8x8 hole


def test_diff_augment_reaches_every_discriminator_input_real_and_fake(digits):
    gan = tiny("dcgan", augment="translation,cutout")
    network_call = type(gan.discriminator).__call__
    seen = []

    def marking_augment(images, noise, names):
        assert names == ("translation", "cutout")
        return images + 100.0  # marks what went through the augmentation

    def recording_call(self, inputs, *args, **kwargs):
        if self is gan.discriminator:
            seen.append(float(tf.reduce_min(inputs)))
        return network_call(self, inputs, *args, **kwargs)

    with mock.patch.object(tricks, "diff_augment", marking_augment), \
            mock.patch.object(type(gan.discriminator), "__call__", recording_call):
        gan.train_on_batch(digits[0][:16])
    assert len(seen) == 3, seen  # D update: real and fake; G update: fake
    assert all(value >= 99.0 for value in seen), seen


def test_unknown_augmentation_is_named():
    with pytest.raises(InputError, match="^augment must be a comma-separated list of "
                       "translation, cutout, color .empty: none., not 'translation,flip'$"):
        tiny("dcgan", augment="translation,flip")


def test_r1_penalty_is_half_gamma_times_the_squared_gradient_on_real_data(digits):
    gan = tiny("dcgan", r1_weight=4.0)
    images = tf.constant(digits[0][:16])
    logits, penalties = gan.discriminate_real(images, noise_for(gan))
    with tf.GradientTape() as tape:
        tape.watch(images)
        again = gan.discriminator(images, training=True)
    grads = tape.gradient(again, images).numpy().reshape(16, -1)
    np.testing.assert_allclose(penalties["r1"], 0.5 * 4.0 * (grads ** 2).sum(axis=1), rtol=1e-4)
    logs = gan.train_on_batch(images, return_dict=True)
    assert logs["r1"] > 0 and np.isfinite(logs["d_loss"])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dcgan", "cgan", "vanilla", "wgan_gp", "cyclegan"])
def test_all_tricks_together_train_save_and_load(name, batches, tmp_path):
    from conftest import batch_for
    settings = dict(ALL_TRICKS)
    if name == "wgan_gp":
        settings["label_smoothing"] = 0.0  # the Wasserstein loss has no real target
    gan = tiny(name, **settings)
    logs = gan.train_on_batch(batch_for(gan, batches), return_dict=True)
    assert all(np.isfinite(v) for v in logs.values()), logs
    gan.save(tmp_path / "model.keras")
    again = keras.models.load_model(tmp_path / "model.keras")
    for trick, value in settings.items():
        assert getattr(again, trick) == value, trick
    for name_ in gan.generator_names:
        for saved, loaded in zip(weights(getattr(gan, "ema_" + name_)),
                                 weights(getattr(again, "ema_" + name_))):
            np.testing.assert_array_equal(saved, loaded)


@pytest.mark.slow
def test_the_saved_model_serves_the_ema_generator(digits, tmp_path):
    gan = tiny("dcgan", ema_decay=0.5)
    for _ in range(3):
        gan.train_on_batch(digits[0][:16])
    z = np.random.default_rng(1).standard_normal((4, gan.latent_dim)).astype(np.float32)
    np.save(tmp_path / "z.npy", z)
    np.save(tmp_path / "ema.npy", gan.ema_generator(z, training=False))
    np.save(tmp_path / "raw.npy", gan.generator(z, training=False))
    path = export.saved_model(gan, str(tmp_path / "export"))
    script = textwrap.dedent(f"""
        import numpy as np, tensorflow as tf
        served = tf.saved_model.load({path!r}).signatures["generate"]
        images = served(z=tf.constant(np.load({str(tmp_path / 'z.npy')!r})))["images"]
        np.save({str(tmp_path / 'served.npy')!r}, images.numpy())
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert result.returncode == 0, result.stderr[-2000:]
    served, ema, raw = (np.load(tmp_path / f"{n}.npy") for n in ("served", "ema", "raw"))
    np.testing.assert_allclose(served, ema, atol=1e-5)
    assert np.abs(served - raw).max() > 1e-3
