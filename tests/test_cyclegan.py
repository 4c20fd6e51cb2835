import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds
from conftest import tiny

import tfgan_zoo
from tfgan_zoo import data, export
from tfgan_zoo.gan import ReplicaNoise


def identity_network():
    images = keras.Input((28, 28, 1))
    return keras.Model(images, keras.layers.Identity()(images))


def test_identity_generators_have_zero_cycle_and_identity_loss(batches):
    gan = tiny("cyclegan", generator=identity_network(), generator_ba=identity_network())
    a, b = (tf.constant(x) for x in batches["unpaired"])
    terms, _ = gan.generator_losses(a, b, ReplicaNoise(0, 0, 1, 16))
    np.testing.assert_allclose(terms["cycle_loss"], 0, atol=1e-7)
    np.testing.assert_allclose(terms["identity_loss"], 0, atol=1e-7)
    # a real generator is not the identity: both terms are then positive
    terms, _ = tiny("cyclegan").generator_losses(a, b, ReplicaNoise(0, 0, 1, 16))
    assert (terms["cycle_loss"].numpy() > 0).all() and (terms["identity_loss"].numpy() > 0).all()


def test_exported_a_to_b_matches_the_generator(batches, tmp_path):
    gan = tiny("cyclegan")
    gan.train_on_batch(batches["unpaired"])
    loaded = tf.saved_model.load(export.saved_model(gan, str(tmp_path)))
    a, b = batches["unpaired"]
    for name, direction, images in (("serving_default", "a_to_b", a), ("a_to_b", "a_to_b", a),
                                    ("b_to_a", "b_to_a", b)):
        served = loaded.signatures[name](images=tf.constant(images))["images"]
        np.testing.assert_allclose(served, gan.generate(images, direction), atol=1e-5)


def test_grid_rows_are_input_translation_reconstruction(batches):
    gan = tiny("cyclegan")
    images, rows = gan.preview(gan.preview_inputs(48, data=batches["unpaired"]))
    assert rows == 6 and images.shape == (48, 28, 28, 1)
    np.testing.assert_array_equal(images[:8], batches["unpaired"][0][:8])
    np.testing.assert_array_equal(images[24:32], batches["unpaired"][1][:8])


def test_offline_domains_are_mnist_and_upscaled_sklearn_digits():
    a, b = next(iter(data.load_unpaired("mnist", "digits", batch_size=4, image_size=(28, 28))))
    assert a.shape == b.shape == (4, 28, 28, 1)
    native, _ = next(iter(data.load("digits", batch_size=4)))
    assert native.shape == (4, 8, 8, 1)


def test_tfds_cycle_gan_takes_its_a_and_b_splits_and_resizes():
    with tfds.testing.mock_data(num_examples=6):
        a, b = next(iter(data.load_unpaired("tfds:cycle_gan/horse2zebra", batch_size=2,
                                            image_size=(32, 32))))
    assert a.shape == b.shape == (2, 32, 32, 3)


def test_unpaired_data_errors_are_clear():
    with pytest.raises(tfgan_zoo.InputError, match="one domain"):
        data.load_unpaired("mnist")
    a, b = next(iter(data.load_unpaired("mnist", "digits", batch_size=2)))  # B takes A's size
    assert a.shape == b.shape == (2, 28, 28, 1)
    with tfds.testing.mock_data(num_examples=4):
        with pytest.raises(tfgan_zoo.InputError, match=r"\(28, 28, 1\).*\(28, 28, 3\)"):
            data.load_unpaired("mnist", "tfds:cifar10", image_size=(28, 28))
        with pytest.raises(tfgan_zoo.InputError, match="different sizes: set image_size"):
            data.load_unpaired("tfds:cycle_gan/horse2zebra")
        a, b = next(iter(data.load_unpaired("mnist", "tfds:cifar10", batch_size=2,
                                            image_size=(28, 28), channels=1)))
    assert b.shape == (2, 28, 28, 1)


def test_two_folders_are_two_domains(tmp_path):
    for domain, value in (("a", 0), ("b", 255)):
        (tmp_path / domain).mkdir()
        for i in range(3):
            tf.io.write_file(str(tmp_path / domain / f"{i}.png"),
                             tf.io.encode_png(np.full((28, 28, 1), value, np.uint8)))
    a, b = next(iter(data.load_unpaired(f"folder:{tmp_path / 'a'}", f"folder:{tmp_path / 'b'}",
                                        batch_size=3)))
    assert (a.numpy() == -1).all() and (b.numpy() == 1).all()


def test_evaluation_reads_domain_b_at_domain_as_size_as_training_does():
    from tfgan_zoo import evaluate
    evaluator = evaluate.Evaluator.for_data("unpaired", "mnist", "digits")  # 28x28 and 8x8
    assert {name: domain.test_images.shape[1:] for name, domain in evaluator.domains.items()} == {
        "a": (28, 28, 1), "b": (28, 28, 1)}
