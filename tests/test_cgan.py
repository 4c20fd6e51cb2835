import numpy as np
import pytest
import tensorflow as tf
from conftest import tiny

import tfgan_zoo
from tfgan_zoo import export


def test_changing_only_the_label_changes_the_image():
    gan = tiny("cgan")
    z = np.random.default_rng(0).standard_normal((1, gan.latent_dim)).astype(np.float32)
    images = [gan.generate(z=z, labels=[label])[0] for label in range(10)]
    assert all(not np.allclose(images[0], other, atol=1e-4) for other in images[1:])
    np.testing.assert_array_equal(gan.generate(z=z, labels=[3]), gan.generate(z=z, labels=[3]))


def test_generate_cycles_through_the_classes_and_the_grid_has_a_row_per_class():
    gan = tiny("cgan")
    assert gan.generate(n=12).shape == (12, 28, 28, 1)
    images, rows = gan.preview(gan.preview_inputs(num_samples=30))
    assert rows == 10 and images.shape == (30, 28, 28, 1)


def test_label_signature_returns_the_requested_labels_images(tmp_path):
    gan = tiny("cgan")
    path = export.saved_model(gan, str(tmp_path))
    loaded = tf.saved_model.load(path)
    z = np.random.default_rng(1).standard_normal((3, gan.latent_dim)).astype(np.float32)
    labels = np.array([4, 0, 9], np.int32)
    served = loaded.signatures["serving_default"](z=tf.constant(z), label=tf.constant(labels))
    np.testing.assert_allclose(served["images"], gan.generate(z=z, labels=labels), atol=1e-5)
    drawn = loaded.signatures["random_labels"](z=tf.constant(z))
    np.testing.assert_allclose(drawn["images"], gan.generate(z=z, labels=drawn["label"].numpy()),
                               atol=1e-5)
    assert set(drawn["label"].numpy()) <= set(range(10))


def test_conditional_model_on_unlabelled_data_is_a_clear_error(tmp_path):
    tf.io.write_file(str(tmp_path / "0.png"), tf.io.encode_png(np.zeros((28, 28, 1), np.uint8)))
    with pytest.raises(tfgan_zoo.InputError, match="has no labels"):
        tfgan_zoo.data.load(f"folder:{tmp_path}", labels=True)
    gan = tiny("cgan")
    with pytest.raises(tfgan_zoo.InputError, match="needs labels"):
        gan.train_on_batch(np.zeros((4, 28, 28, 1), np.float32))
