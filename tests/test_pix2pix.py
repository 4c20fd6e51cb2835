"""pix2pix: the U-Net's skips, the L1 term, the paired loaders and the export."""
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import tiny

from tfgan_zoo import data, export
from tfgan_zoo.data import paired
from tfgan_zoo.errors import InputError
from tfgan_zoo.gan import GENERATOR_NOISE, ReplicaNoise
from tfgan_zoo.models import pix2pix


def test_the_unet_reproduces_pixel_noise_that_its_one_pixel_bottleneck_cannot_carry():
    # Random binary pixels: 784 bits per image, through a 1x1 bottleneck of 32 numbers.
    # Only the skips carry that detail.
    generator = pix2pix.build_generator(width=4, depth=5, dropout=0.0, dropout_blocks=0,
                                        image_shape=(28, 28, 1), target_channels=1)
    bottleneck = [layer for layer in generator.layers
                  if isinstance(layer, keras.layers.Conv2D)][4].output
    to_bottleneck = keras.Model(generator.inputs, bottleneck)  # any size: padded to 32x32
    assert tuple(to_bottleneck(np.zeros((1, 28, 28, 1))).shape[1:]) == (1, 1, 32)
    optimizer = keras.optimizers.Adam(3e-3)
    rng = np.random.default_rng(0)

    @tf.function
    def step(images):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.abs(generator([images], training=True) - images))
        variables = generator.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))

    for _ in range(150):
        step(tf.constant(rng.choice([-1.0, 1.0], (16, 28, 28, 1)), tf.float32))
    fresh = rng.choice([-1.0, 1.0], (16, 28, 28, 1)).astype(np.float32)
    out = generator([fresh], training=False).numpy()
    # pixel for pixel on unseen noise (chance: 0.5; 0.92 measured after these 150 steps)
    assert np.mean(np.sign(out) == fresh) > 0.85


def test_the_l1_weight_adds_exactly_lambda_times_the_mean_absolute_error(batches):
    inputs, targets = (tf.constant(x) for x in batches["paired"])
    gan = tiny("pix2pix")

    def terms(l1_weight):
        gan.l1_weight = l1_weight
        noise = ReplicaNoise(0, 0, GENERATOR_NOISE, 16)
        found, _ = gan.generator_losses(inputs, targets, noise)
        return {k: tf.reduce_mean(v).numpy() for k, v in found.items()}

    without, with_100 = terms(0.0), terms(100.0)
    fake = gan.translate(inputs, noise=ReplicaNoise(0, 0, GENERATOR_NOISE, 16))
    by_hand = 100 * np.mean(np.abs(fake.numpy() - targets.numpy()))
    assert without["l1_loss"] == 0
    np.testing.assert_allclose(with_100["adversarial"], without["adversarial"], rtol=1e-6)
    np.testing.assert_allclose(with_100["l1_loss"], by_hand, rtol=1e-5)
    assert by_hand > 1  # the term is not negligible, so the check above can fail


def test_dropout_masks_come_from_the_steps_noise(batches):
    gan = tiny("pix2pix")
    inputs = tf.constant(batches["paired"][0])
    one, again, other = (gan.translate(inputs, noise=ReplicaNoise(0, counter, 1, 16)).numpy()
                         for counter in (3, 3, 4))
    np.testing.assert_array_equal(one, again)
    assert not np.allclose(one, other)
    np.testing.assert_array_equal(gan.generate(inputs), gan.generate(inputs))  # no dropout


def write_png(path, image):
    tf.io.write_file(str(path), tf.io.encode_png(np.asarray(image, np.uint8)))


def indexed(i, shape=(4, 4, 1)):
    return np.full(shape, i, np.uint8)


def test_pairs_stay_aligned_under_shuffling_from_side_by_side_files(tmp_path):
    for i in range(40):  # input i (left), target 255 - i (right)
        write_png(tmp_path / f"{i:02d}.png", np.concatenate(
            [indexed(4 * i), indexed(255 - 4 * i)], axis=1))
    for side, sign in (("left", 1), ("right", -1)):
        ds = data.load_paired(f"paired:{tmp_path}", batch_size=8, seed=3, repeat=True,
                              input_side=side)
        seen = []
        for inputs, targets in ds.take(10):
            a, b = (np.round((x.numpy()[:, 0, 0, 0] + 1) * 127.5) for x in (inputs, targets))
            np.testing.assert_array_equal(a + b, 255)
            seen += list(a)
        assert seen[:8] != sorted(seen[:8]) and len(set(seen[:40])) == 40  # shuffled, whole
        assert (sign > 0) == (min(seen) == 0)  # the input side swaps


def test_pairs_stay_aligned_from_two_folders_matched_by_name(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    for i in range(24):  # the target of input i is i in colour; extensions may differ
        write_png(tmp_path / "in" / f"{i:02d}.png", indexed(10 * i))
        write_png(tmp_path / "out" / f"{i:02d}.PNG", indexed(10 * i, (4, 4, 3)))
    ds = data.load_paired(f"folder:{tmp_path / 'in'}", f"folder:{tmp_path / 'out'}",
                          batch_size=6, seed=1)
    for inputs, targets in ds:
        np.testing.assert_array_equal(np.broadcast_to(inputs, targets.shape), targets)
        assert targets.shape[-1] == 3


def test_bad_paired_data_is_one_clear_error(tmp_path):
    (tmp_path / "single").mkdir()
    write_png(tmp_path / "single" / "a.png", indexed(1, (8, 8, 1)))
    with pytest.raises(InputError, match="not two images side by side"):
        data.load_paired(f"paired:{tmp_path / 'single'}")
    for name, shape in (("in", (8, 8, 1)), ("out", (8, 8, 1)), ("big", (16, 16, 1))):
        (tmp_path / name).mkdir()
        write_png(tmp_path / name / "a.png", indexed(1, shape))
    write_png(tmp_path / "out" / "b.png", indexed(1, (8, 8, 1)))
    with pytest.raises(InputError, match=r"1 image\(s\) with no namesake .*e.g. b.png"):
        data.load_paired(f"folder:{tmp_path / 'in'}", f"folder:{tmp_path / 'out'}")
    with pytest.raises(InputError, match="a pair must be the same size"):
        data.load_paired(f"folder:{tmp_path / 'in'}", f"folder:{tmp_path / 'big'}")
    with pytest.raises(InputError, match="give the targets' folder too"):
        data.load_paired(f"folder:{tmp_path / 'in'}")
    with pytest.raises(InputError, match="unknown paired dataset 'mnist'"):
        data.load_paired("mnist")


def test_offline_tasks_hold_out_their_test_pairs():
    train_inputs, train_targets, _ = next(iter(data.load_paired(
        "completion", batch_size=4500, shuffle=False, labels=True)))
    test_inputs, test_targets, labels = next(iter(data.load_paired(
        "completion", "", "test", batch_size=500, shuffle=False, labels=True)))
    assert labels.shape == (500,) and set(labels.numpy()) == set(range(10))
    removed = np.mean(test_targets.numpy() > test_inputs.numpy())  # ink cleared
    assert 0.005 < removed < 0.1
    train_set = {t.tobytes() for t in train_targets.numpy()}
    assert not any(t.tobytes() in train_set for t in test_targets.numpy())
    gray, colour = data.load_paired("colorization", batch_size=8).element_spec
    assert gray.shape[-1] == 1 and colour.shape[-1] == 3


def test_the_damage_training_never_made_is_larger_or_on_the_digits_border():
    """completion_larger and completion_moved: the held-out digits damaged otherwise."""
    digits, _ = paired.offline_digits("test")
    box = [np.nonzero(d[..., 0] > 0) for d in digits[:200]]
    cleared = {}
    for name in paired.DAMAGES:
        inputs, targets, _ = next(iter(paired.offline(name, "test")[0].batch(200)))
        inputs, targets = inputs.numpy(), targets.numpy()
        np.testing.assert_array_equal(targets, digits[:200])
        gone = (targets > 0) & (inputs == 0)
        cleared[name] = gone.sum() / (targets > 0).sum()
        centres_inside = 0
        for mask, (rows, cols) in zip(gone[..., 0], box):
            ys, xs = np.nonzero(mask)
            if len(ys):  # the middle of the ink cleared, against the digit's bounding box
                y, x = (ys.min() + ys.max()) / 2, (xs.min() + xs.max()) / 2
                centres_inside += (rows.min() + 2 < y < rows.max() - 2
                                   and cols.min() + 2 < x < cols.max() - 2)
        cleared[name + " inside"] = centres_inside / 200
    assert cleared["completion_larger"] > 1.25 * cleared["completion"]
    assert cleared["completion_moved"] < cleared["completion"]
    assert cleared["completion_moved inside"] < 0.5 < cleared["completion inside"]


def test_the_export_serves_in_a_fresh_process_as_the_generator(batches, tmp_path):
    gan = tiny("pix2pix")
    gan.train_on_batch(batches["paired"])
    path = export.saved_model(gan, str(tmp_path / "export"))
    np.save(tmp_path / "inputs.npy", batches["paired"][0])
    script = ("import sys, numpy as np, tensorflow as tf; "
              "serve = tf.saved_model.load(sys.argv[1]).signatures['serving_default']; "
              "out = serve(images=tf.constant(np.load(sys.argv[2]))); "
              "np.save(sys.argv[3], out['images'].numpy()); "
              "print(sorted(out), 'tfgan_zoo' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script, path, str(tmp_path / "inputs.npy"),
                             str(tmp_path / "served.npy")], capture_output=True, text=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
                            cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-3:] == ["['images',", "'pixels']", "False"]
    np.testing.assert_allclose(np.load(tmp_path / "served.npy"),
                               gan.generate(batches["paired"][0]), atol=1e-5)
