import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import tiny, weights

import tfgan_zoo


def test_one_train_step_changes_both_networks_and_logs_finite_values(digits):
    gan = tiny()
    g_before, d_before = weights(gan.generator), weights(gan.discriminator)
    logs = gan.train_on_batch(digits[0], return_dict=True)
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert all(np.isfinite(v) for v in logs.values())
    assert 0 < logs["d_real"] < 1 and 0 < logs["d_fake"] < 1  # sigmoid outputs: D(x), D(G(z))
    for before, after in zip(g_before + d_before, weights(gan.generator) + weights(gan.discriminator)):
        assert not np.array_equal(before, after)


def test_trackers_reset_every_epoch(digits):
    gan = tiny()
    data = tf.data.Dataset.from_tensor_slices(digits[0]).batch(16, drop_remainder=True).repeat()
    gan.fit(data, epochs=2, steps_per_epoch=3, verbose=0)
    # a Mean counts updates since its last reset: one per step of the last epoch only
    trackers = gan.metrics[0].metrics
    assert [float(t.count) for t in trackers] == [3.0] * len(trackers) == [3.0] * 4


def test_compile_defaults_to_the_paper_and_keeps_optimizers_apart():
    gan = tiny()
    assert isinstance(gan.d_optimizer, keras.optimizers.Adam)
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(2e-4)
    assert float(gan.d_optimizer.beta_1) == pytest.approx(0.5)
    assert gan.optimizer is gan.g_optimizer  # no stray default optimizer for TensorBoard to log
    sgd = keras.optimizers.SGD(0.1)
    gan.compile(d_optimizer=sgd, jit_compile=False)
    assert gan.d_optimizer is sgd
    # each optimizer holds slots for its own network only
    # (iterations, learning rate, then Adam's two moments per variable)
    assert len(gan.g_optimizer.variables) == 2 + 2 * len(gan.generator.trainable_variables)


def test_generate_returns_images_in_range_and_call_matches_the_generator():
    gan = tiny()
    images = gan.generate(n=5)
    assert images.shape == (5, 28, 28, 1) and images.dtype == np.float32
    assert images.min() >= -1 and images.max() <= 1
    z = np.zeros((2, gan.latent_dim), np.float32)
    np.testing.assert_allclose(gan(z), gan.generate(z=z), atol=1e-6)


def test_any_keras_callback_works(digits, tmp_path):
    gan = tiny()
    data = tf.data.Dataset.from_tensor_slices(digits[0]).batch(16, drop_remainder=True)
    history = gan.fit(data, epochs=3, verbose=0, callbacks=[
        keras.callbacks.TensorBoard(str(tmp_path / "tb")),
        keras.callbacks.ModelCheckpoint(str(tmp_path / "ckpt.keras")),
        keras.callbacks.BackupAndRestore(str(tmp_path / "backup")),
        # no mode="min": the loss trackers declare their direction
        keras.callbacks.EarlyStopping(monitor="g_loss", patience=0),
        keras.callbacks.ReduceLROnPlateau(monitor="d_loss", patience=0),
    ])
    assert "g_loss" in history.history
    assert isinstance(keras.models.load_model(str(tmp_path / "ckpt.keras")), tfgan_zoo.GAN)


def test_images_of_the_wrong_shape_get_a_clear_error():
    gan = tiny()
    rgb = tf.zeros([8, 32, 32, 3])
    fix = r"models.get\('dcgan', image_shape=\(32, 32, 3\)\)"
    with pytest.raises(tfgan_zoo.InputError, match=r"\(32, 32, 3\).*\(28, 28, 1\).*" + fix):
        gan.fit(tf.data.Dataset.from_tensor_slices(rgb).batch(4), epochs=1, verbose=0)
    rgb_gan = tiny(image_shape=(32, 32, 3))  # the fix the message names works
    assert np.isfinite(rgb_gan.train_on_batch(rgb, return_dict=True)["d_loss"])


def test_labels_in_the_data_are_ignored_by_an_unconditional_model(digits):
    gan = tiny()
    logs = gan.train_on_batch(digits, return_dict=True)  # (images, labels)
    assert np.isfinite(logs["g_loss"])


def test_after_generator_step_runs_after_every_generator_update(digits):
    gan = tiny(g_steps=2)
    seen = []
    gan.after_generator_step = lambda: seen.append(int(gan.g_optimizer.iterations))
    gan.compile(jit_compile=False, run_eagerly=True)
    gan.train_on_batch(digits[0][:8])
    assert seen == [1, 2]


def test_step_counts_must_be_positive_whole_numbers():
    for value in (0, -1, 1.5, True, 1001):
        with pytest.raises(tfgan_zoo.InputError,
                           match=rf"^d_steps must be a whole number from 1 to 1000, not {value}$"):
            tiny(d_steps=value)


def test_step_noise_is_keyed_by_seed_and_update_counter():
    strategy = tf.distribute.get_strategy()
    with strategy.scope():
        one = tfgan_zoo.gan.ReplicaNoise(seed=3, counter=7, stream=0, local_batch=4).normal([2])
        again = tfgan_zoo.gan.ReplicaNoise(seed=3, counter=7, stream=0, local_batch=4).normal([2])
        later = tfgan_zoo.gan.ReplicaNoise(seed=3, counter=8, stream=0, local_batch=4).normal([2])
    np.testing.assert_array_equal(one, again)
    assert not np.allclose(one, later)
