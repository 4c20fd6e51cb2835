"""Feature extractors for the metrics: what a sample looks like to a trained network.

  DigitClassifier    a small CNN shipped with the package (weights in data/), trained by
                     tools/train_digit_classifier.py on the offline digits of both
                     domains (MNIST, and scikit-learn's 8x8 digits as CycleGAN sees them,
                     bilinearly upscaled to 28x28). Reads 28x28x1.
  EmojiClassifier    the same kind of CNN for colour images, trained by
                     tools/train_emoji_classifier.py on the emoji's training split. Reads
                     any RGB image, resized to its 64x64 (bilinear, antialiased).
  InceptionFeatures  InceptionV3's 2048-d pool features for Fréchet distances on RGB data,
                     with keras.applications' weights from the Keras cache (downloaded once
                     by keras.utils.get_file, hash-checked) or a local file. Convention of
                     TF-GAN and clean-fid's "legacy_tensorflow": bilinear resize to 299x299
                     without antialiasing, inputs in [-1, 1], grayscale repeated to 3
                     channels. FIDs computed with other resizers are not comparable (Parmar
                     et al. 2022).
The classifiers' 128-d penultimate features feed the Fréchet and kernel distances, PRDC and
the memorization check, their softmax the classifier score, class coverage and label
metrics. All return numpy arrays and take images in [-1, 1], [n, h, w, c].
"""
import hashlib
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


def build_classifier(image_shape, num_classes, blocks, name):
    """A CNN: `blocks` of (filters, convolutions) each ending in 2x2 max pooling, then
    global average pooling (the layer "features") and `num_classes` logits."""
    images = keras.Input(image_shape, name="images")
    x = images
    for filters, convs in blocks:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    features = layers.GlobalAveragePooling2D(name="features")(x)
    logits = layers.Dense(num_classes, name="logits")(layers.Dropout(0.3)(features))
    return keras.Model(images, logits, name=name)


def build_digit_classifier():
    """28x28x1 in [-1, 1] -> 10 logits; the layer "features" is the 128-d penultimate one."""
    # ~140k weights, 0.6 MB
    return build_classifier((28, 28, 1), 10, ((32, 2), (64, 2), (128, 1)), "digit_classifier")


def _batched(fn, images, batch_size):
    return np.concatenate([fn(images[i:i + batch_size])
                           for i in range(0, len(images), batch_size)])


class ShippedClassifier:
    """A classifier whose weights ship with the package: `(features [n, 128],
    probabilities [n, classes])` of images in [-1, 1]."""

    name = image_shape = weights = card_file = None

    def __init__(self, weights=None):
        self.model = self.build()
        self.model.load_weights(weights or self.weights)
        outputs = [self.model.get_layer("features").output, self.model.output]
        both = keras.Model(self.model.input, outputs)
        self._run = tf.function(lambda x: both(self.prepare(x), training=False),
                                jit_compile=False)

    @staticmethod
    def build():
        raise NotImplementedError

    @classmethod
    def ship(cls, trained, card):
        """Writes `trained`'s weights (without its optimizer's state) and `card` as the ones
        that ship (tools/train_*_classifier.py); returns the weights file's size in bytes."""
        shipped = cls.build()
        shipped.set_weights(trained.get_weights())
        shipped.save_weights(cls.weights)
        with open(cls.card_file, "w") as f:
            json.dump(card, f, indent=1)
        return os.path.getsize(cls.weights)

    @classmethod
    def card(cls):
        """The held-out accuracies measured when the weights were made."""
        with open(cls.card_file) as f:
            return json.load(f)

    def check(self, images):
        """InputError if the classifier cannot read images of this shape."""

    def prepare(self, images):
        return images

    def probabilities(self, logits):
        return tf.nn.softmax(logits)

    def __call__(self, images, batch_size=500):
        images = np.asarray(images, np.float32)
        self.check(images)
        features, probabilities = [], []
        for i in range(0, len(images), batch_size):
            f, logits = self._run(tf.constant(images[i:i + batch_size]))
            features.append(f.numpy())
            probabilities.append(self.probabilities(logits).numpy())
        return np.concatenate(features), np.concatenate(probabilities)


class DigitClassifier(ShippedClassifier):
    """The shipped digit classifier: 28x28 grayscale digits, 10 classes."""

    name = "digits"
    image_shape = (28, 28, 1)
    weights = CLASSIFIER_WEIGHTS
    card_file = CLASSIFIER_CARD
    build = staticmethod(build_digit_classifier)

    def check(self, images):
        if images.shape[1:] != self.image_shape:
            raise InputError(f"the digit classifier reads {self.image_shape} images (28x28 "
                             f"grayscale digits), not {images.shape[1:]}: evaluate colour "
                             "images with --features=emoji or --features=inception")


EMOJI_WEIGHTS = os.path.join(DATA, "emoji_classifier.weights.h5")
EMOJI_CARD = os.path.join(DATA, "emoji_classifier.json")


class EmojiClassifier(ShippedClassifier):
    """The shipped emoji classifier: any RGB image (resized to 64x64), probabilities over
    the 9 Unicode emoji groups (the emoji dataset's labels). It is trained on the finer
    subgroups (tools/train_emoji_classifier.py), which gives richer features; a group's
    probability is the sum of its subgroups'."""

    name = "emoji"
    image_shape = (64, 64, 3)
    weights = EMOJI_WEIGHTS
    card_file = EMOJI_CARD

    def __init__(self, weights=None):
        from tfgan_zoo.data import sources

        _, groups, _ = sources.emoji()
        _, subgroups, _ = sources.emoji("subgroups")
        membership = np.zeros((subgroups.max() + 1, sources.EMOJI_GROUPS), np.float32)
        membership[subgroups, groups] = 1  # each subgroup lies in one group
        self._membership = tf.constant(membership)
        super().__init__(weights)

    @staticmethod
    def build():
        from tfgan_zoo.data import sources

        num_subgroups = len(sources.emoji_names("subgroup_names"))
        return build_classifier(EmojiClassifier.image_shape, num_subgroups,
                                ((32, 2), (64, 2), (128, 2), (128, 1)), "emoji_classifier")

    def check(self, images):
        if images.ndim != 4 or images.shape[-1] not in (1, 3):
            raise InputError(f"the emoji classifier reads images [n, height, width, 3], not "
                             f"{images.shape}")

    def prepare(self, images):
        if images.shape[-1] == 1:
            images = tf.repeat(images, 3, axis=-1)
        if tuple(images.shape[1:3]) != self.image_shape[:2]:
            images = tf.image.resize(images, self.image_shape[:2], antialias=True)
        return images

    def probabilities(self, logits):
        return tf.nn.softmax(logits) @ self._membership


# keras.applications.inception_v3's "notop" weights: where Keras downloads them from,
# and their md5 (as keras/src/applications/inception_v3.py has them)
INCEPTION_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
INCEPTION_URL = ("https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
                 + INCEPTION_FILE)
INCEPTION_MD5 = "bcbd6486424b2319ff4ef7d526e38f63"


def keras_home():
    """Keras's cache folder: $KERAS_HOME, else ~/.keras (read now, not at import)."""
    return os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")


def md5(path):
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def inception_weights(path=None):
    """The InceptionV3 "notop" weights file: `path` if given, else the one in the Keras
    cache ($KERAS_HOME/models), which keras.utils.get_file downloads (hash-checked) if it is
    not there yet. InputError, saying where the file goes, if neither can be had."""
    if path:
        if not os.path.isfile(path):
            raise InputError(f"no InceptionV3 weights file at {path}: pass keras.applications' "
                             f"{INCEPTION_FILE} (config: eval.inception_weights)")
        return path
    cached = os.path.join(keras_home(), "models", INCEPTION_FILE)
    if os.path.isfile(cached):  # as keras.utils.get_file: the cached file, if its hash is right
        if md5(cached) != INCEPTION_MD5:
            raise InputError(f"{cached} is not keras.applications' InceptionV3 file (its md5 is "
                             f"not {INCEPTION_MD5}): delete it, and download {INCEPTION_URL} "
                             "again")
        return cached
    try:
        return keras.utils.get_file(INCEPTION_FILE, INCEPTION_URL, cache_subdir="models",
                                    file_hash=INCEPTION_MD5, cache_dir=keras_home())
    except Exception:  # offline: an URLError, an OSError, Keras's own Exception
        raise InputError(f"InceptionV3's weights are not in the Keras cache and could not be "
                         f"downloaded: on a machine with internet, download {INCEPTION_URL} to "
                         f"{cached}, or pass the file (config: eval.inception_weights=FILE)"
                         ) from None


class InceptionFeatures:
    """InceptionV3 pool features: `(features [n, 2048], None)` (no class probabilities).
    `weights`: "imagenet" (keras.applications' weights: `inception_weights()`), a local
    .h5 file of them, or None (random weights, for tests only)."""

    name = "inception"

    def __init__(self, weights="imagenet"):
        if weights is not None:
            weights = inception_weights(None if weights == "imagenet" else weights)
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


NAMES = ("auto", "digits", "emoji", "inception")


def choose(name, dataset, image_shape):
    """The features `auto` means for `dataset` of images `image_shape` (h, w, c): the
    emoji classifier for the emoji, the digit classifier for 28x28x1 images, else None
    (no shipped network reads them: eval.features=inception does); other names as given."""
    if name != "auto":
        return name
    if dataset == "emoji":
        return "emoji"
    return "digits" if tuple(image_shape) == DigitClassifier.image_shape else None


def get(name, inception_weights=None):
    """The extractor `name`: "digits", "emoji" or "inception" (with `inception_weights`, a
    file, or None: the Keras cache)."""
    if name == "digits":
        return DigitClassifier()
    if name == "emoji":
        return EmojiClassifier()
    if name == "inception":
        return InceptionFeatures(inception_weights or "imagenet")
    raise InputError(f"unknown features {name!r}: use {', '.join(NAMES)}")
