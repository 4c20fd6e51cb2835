"""Feature extractors for the metrics: what a sample looks like to a trained network.

  DigitClassifier    a small CNN shipped with the package (weights in data/), trained by
                     tools/train_digit_classifier.py on the offline digits of both
                     domains (MNIST, and scikit-learn's 8x8 digits as CycleGAN sees them,
                     bilinearly upscaled to 28x28). Its 128-d penultimate features feed
                     the Fréchet and kernel distances and PRDC, its softmax the classifier
                     score, class coverage and label metrics.
  InceptionFeatures  InceptionV3's 2048-d pool features for Fréchet distances on RGB data,
                     from a local weights file (keras.applications downloads them at run
                     time otherwise). Convention of TF-GAN and clean-fid's
                     "legacy_tensorflow": bilinear resize to 299x299 without antialiasing,
                     inputs in [-1, 1], grayscale repeated to 3 channels. FIDs computed
                     with other resizers are not comparable (Parmar et al. 2022).
Both return numpy arrays and take images in [-1, 1], [n, h, w, c].
"""
import json
import os

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from tfgan_zoo.errors import InputError

DATA = os.path.join(os.path.dirname(__file__), "data")
CLASSIFIER_WEIGHTS = os.path.join(DATA, "digit_classifier.weights.h5")
CLASSIFIER_CARD = os.path.join(DATA, "digit_classifier.json")  # held-out accuracies


def build_digit_classifier():
    """28x28x1 in [-1, 1] -> 10 logits; the layer "features" is the 128-d penultimate one."""
    images = keras.Input((28, 28, 1), name="images")
    x = images
    for filters, convs in ((32, 2), (64, 2), (128, 1)):  # ~140k weights, 0.6 MB
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    features = layers.GlobalAveragePooling2D(name="features")(x)
    logits = layers.Dense(10, name="logits")(layers.Dropout(0.3)(features))
    return keras.Model(images, logits, name="digit_classifier")


def _batched(fn, images, batch_size):
    return np.concatenate([fn(images[i:i + batch_size])
                           for i in range(0, len(images), batch_size)])


class DigitClassifier:
    """The shipped digit classifier: `(features [n, 128], probabilities [n, 10])`."""

    name = "digits"
    image_shape = (28, 28, 1)

    def __init__(self, weights=CLASSIFIER_WEIGHTS):
        self.model = build_digit_classifier()
        self.model.load_weights(weights)
        outputs = [self.model.get_layer("features").output, self.model.output]
        both = keras.Model(self.model.input, outputs)
        self._run = tf.function(lambda x: both(x, training=False), jit_compile=False)

    @staticmethod
    def card():
        """The held-out accuracies measured when the weights were made."""
        with open(CLASSIFIER_CARD) as f:
            return json.load(f)

    def __call__(self, images, batch_size=500):
        images = np.asarray(images, np.float32)
        if images.shape[1:] != self.image_shape:
            raise InputError(f"the digit classifier reads {self.image_shape} images (28x28 "
                             f"grayscale digits), not {images.shape[1:]}: evaluate other "
                             "images with --features=inception")
        features, probabilities = [], []
        for i in range(0, len(images), batch_size):
            f, logits = self._run(tf.constant(images[i:i + batch_size]))
            features.append(f.numpy())
            probabilities.append(tf.nn.softmax(logits).numpy())
        return np.concatenate(features), np.concatenate(probabilities)


class InceptionFeatures:
    """InceptionV3 pool features: `(features [n, 2048], None)` (no class probabilities).
    `weights`: a local .h5/.weights.h5 file of keras.applications' InceptionV3 without top
    (None: random weights, for tests only)."""

    name = "inception"

    def __init__(self, weights):
        if weights is not None and not os.path.isfile(weights):
            raise InputError(f"no InceptionV3 weights file at {weights}: download "
                             "keras.applications' inception_v3 'notop' weights elsewhere "
                             "and pass their path (--inception_weights)")
        model = keras.applications.InceptionV3(include_top=False, pooling="avg",
                                               weights=weights, input_shape=(299, 299, 3))
        self._run = tf.function(lambda x: model(self.prepare(x), training=False))

    @staticmethod
    def prepare(images):
        if images.shape[-1] == 1:
            images = tf.repeat(images, 3, axis=-1)
        return tf.image.resize(images, (299, 299), method="bilinear", antialias=False)

    def __call__(self, images, batch_size=50):
        images = np.asarray(images, np.float32)
        return _batched(lambda x: self._run(tf.constant(x)).numpy(), images, batch_size), None


NAMES = ("digits", "inception")


def get(name, inception_weights=None):
    """The extractor `name`: "digits" or "inception"."""
    if name == "digits":
        return DigitClassifier()
    if name == "inception":
        return InceptionFeatures(inception_weights)
    raise InputError(f"unknown features {name!r}: use digits or inception")
