"""What the papers' recipes add, each on its own: the learning-rate decay, CycleGAN's image
pool, WGAN's critic schedule and the random jitter of the data."""
import os

import numpy as np
import pytest
import tensorflow as tf
from conftest import tensors, tiny, tiny_config

from tfgan_zoo import data, schedules, train
from tfgan_zoo.image_pool import ImagePool


def test_the_linear_decay_holds_the_rate_then_falls_in_a_straight_line_to_zero():
    decay = schedules.LinearDecay(2e-4, start=100, end=300)
    rates = [float(decay(step)) for step in (0, 100, 150, 200, 300, 400)]
    np.testing.assert_allclose(rates, [2e-4, 2e-4, 1.5e-4, 1e-4, 0, 0], atol=1e-12)
    again = schedules.LinearDecay.from_config(decay.get_config())
    assert float(again(250)) == pytest.approx(5e-5)


def test_a_run_decays_both_rates_from_the_epoch_set_and_logs_them(tmp_path):
    config = tiny_config("dcgan")
    config.train.update(epochs=2, steps_per_epoch=3)
    config.optimizer.decay_from_epoch = 1
    out = train.run(config, str(tmp_path))
    logged = tensors(os.path.join(out.logs, "train"))
    d_rate = 1e-3  # dcgan's config sets both rates
    # after epoch 1 (3 of 6 steps, still constant) and after epoch 2 (decayed to 0)
    np.testing.assert_allclose(logged["epoch_d_learning_rate"], [d_rate, 0.0], atol=1e-9)
    np.testing.assert_allclose(logged["epoch_g_learning_rate"], [d_rate, 0.0], atol=1e-9)


class Draws:
    """A stand-in for ReplicaNoise whose global draws are given."""

    def __init__(self, *draws):
        self.draws = list(draws)

    def global_uniform(self, shape=()):
        return tf.constant(self.draws.pop(0), tf.float32)


def images(*values):
    return tf.constant(np.array(values, np.float32).reshape(-1, 1, 1, 1))


def test_the_pool_fills_then_swaps_an_old_fake_for_a_new_one_half_of_the_time():
    pool = ImagePool(2, (1, 1, 1))
    # filling: shown as they are, stored in order (the draws are not used)
    shown = pool.query(images(1, 2), Draws([0.9, 0.9], [0.0, 0.0]))
    assert shown.numpy().ravel().tolist() == [1, 2]
    # full: 3 draws > 1/2 and goes to slot 1 (2 is shown); 4 draws < 1/2 and is shown;
    # 5 draws > 1/2 and goes to slot 0 (1 is shown)
    shown = pool.query(images(3, 4, 5), Draws([0.7, 0.2, 0.6], [0.6, 0.0, 0.1]))
    assert shown.numpy().ravel().tolist() == [2, 4, 1]
    assert pool.images.numpy().ravel().tolist() == [5, 3] and int(pool.count.numpy()) == 2
    # a later swap shows what an earlier one stored, within one batch too
    shown = pool.query(images(6, 7), Draws([0.8, 0.8], [0.9, 0.9]))
    assert shown.numpy().ravel().tolist() == [3, 6]


def test_cyclegans_discriminators_see_fakes_through_the_pool(batches):
    gan = tiny("cyclegan", pool_size=4)
    a, b = (tf.constant(x) for x in batches["unpaired"])
    gan.train_on_batch(a, b)
    assert int(gan.pool_a.count.numpy()) == int(gan.pool_b.count.numpy()) == 4
    stored = gan.pool_b.images.numpy()
    assert np.abs(stored).sum() > 0
    assert {w.path for w in gan.non_trainable_weights} >= {
        "pool_a/images", "pool_a/count", "pool_b/images", "pool_b/count"}


def test_wgans_critic_schedule_runs_100_critic_updates_early_and_every_500th_batch(batches):
    gan = tiny("wgan", critic_bursts=True, d_steps=5)
    images_ = tf.constant(batches["images"])
    for done, expected in ((0, 100), (25, 5), (499, 5), (500, 100)):
        gan.g_optimizer.iterations.assign(done)
        before = int(gan.d_optimizer.iterations)
        gan.train_on_batch(images_)
        assert int(gan.d_optimizer.iterations) - before == expected, done


def test_the_jitter_crops_and_flips_both_images_of_a_pair_alike():
    # a ramp image: its crop and flip show where it was cut and whether it was flipped
    ramp = np.arange(8 * 8, dtype=np.float32).reshape(1, 8, 8, 1)
    images = tf.constant(np.concatenate([ramp, ramp + 1000], axis=-1).repeat(16, axis=0))
    seed = data.jitter.key(0, 0, 0)
    out = data.jitter.crop_and_flip(images, (6, 6), seed).numpy()
    assert out.shape == (16, 6, 6, 2)
    np.testing.assert_array_equal(out[..., 1], out[..., 0] + 1000)  # the channels alike
    corners, flips = set(), set()
    for image in out[..., 0]:
        flipped = image[0, 0] > image[0, -1]
        flips.add(flipped)
        unflipped = image[:, ::-1] if flipped else image
        top, left = divmod(int(unflipped[0, 0]), 8)
        corners.add((top, left))
        np.testing.assert_array_equal(unflipped, ramp[0, top:top + 6, left:left + 6, 0])
    assert flips == {True, False} and len(corners) > 3  # 16 draws: both ways, several places
    again = data.jitter.crop_and_flip(images, (6, 6), seed).numpy()
    np.testing.assert_array_equal(again, out)  # the key decides


def test_paired_data_jitters_the_input_and_the_target_alike(tmp_path):
    # side-by-side files: a ramp as the input, the ramp + 50 as the target
    ramp = (np.arange(16 * 16).reshape(16, 16, 1) % 200).astype(np.uint8)
    for i in range(8):
        both = np.concatenate([ramp, ramp + 50], axis=1)
        tf.io.write_file(str(tmp_path / f"{i}.png"), tf.io.encode_png(both))
    pairs = data.load_paired(f"paired:{tmp_path}", batch_size=8, image_size=(12, 12),
                             load_size=(16, 16), repeat=True)
    inputs, targets = (x.numpy() for x in next(iter(pairs)))
    assert inputs.shape == targets.shape == (8, 12, 12, 1)
    np.testing.assert_allclose(targets - inputs, 50 / 127.5, atol=1e-5)  # cut alike
    assert len({x.tobytes() for x in inputs}) > 2  # but not every pair at one place


def test_load_size_needs_an_image_size_no_larger():
    with pytest.raises(data.InputError, match=r"load_size=\(20, 20\).*image_size"):
        data.load("mnist", image_size=(28, 28), load_size=(20, 20))
