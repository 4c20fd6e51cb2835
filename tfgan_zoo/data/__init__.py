"""Training data as tf.data pipelines of images in [-1, 1].

    data.load("mnist", batch_size=64)              # offline real digits (default)
    data.load("tfds:cifar10", batch_size=64)       # any TFDS image dataset
    data.load("folder:/path/to/images", ...)       # class subfolders become labels
"""
import tensorflow as tf

from tfgan_zoo.data import sources
from tfgan_zoo.errors import InputError


def describe():
    """One line naming the valid dataset choices."""
    return f"{', '.join(sources.OFFLINE)} (offline), tfds:NAME or folder:PATH"


def images_and_labels(name, split="train", data_dir=None):
    """Unbatched (image [h, w, c], label) pairs from the source `name`, and has_labels."""
    if name in sources.OFFLINE:
        return sources.offline(name, split)
    if name.startswith("tfds:") and len(name) > 5:
        return sources.tfds_source(name[5:], split, data_dir)
    if name.startswith("folder:") and len(name) > 7:
        return sources.folder(name[7:], split)
    raise InputError(f"unknown dataset {name!r}: use {describe()}")


def to_unit_range(image, image_size=None):
    """uint8-range image -> float32 in [-1, 1], resized to `image_size` (h, w) if given."""
    image = tf.cast(image, tf.float32)
    if image_size is not None:
        image = tf.image.resize(image, image_size)
    return image / 127.5 - 1.0


def load(name="mnist", split="train", batch_size=64, labels=False, image_size=None,
         shuffle=True, seed=0, drop_remainder=True, repeat=False, data_dir=None):
    """A batched, shuffled, prefetched tf.data.Dataset of images in [-1, 1].

    Elements are images [batch, h, w, c], or (images, labels [batch]) with
    `labels=True`. `image_size` (h, w) resizes; `repeat=True` loops forever
    (for fit() with steps_per_epoch).
    """
    ds, has_labels = images_and_labels(name, split, data_dir)
    if labels and not has_labels:
        raise InputError(f"dataset {name!r} has no labels, but the model needs them: "
                         "use a labelled dataset (mnist, a TFDS set with a 'label' "
                         "feature, or a folder with one subfolder per class)")
    size = tuple(image_size) if image_size is not None else None
    if labels:
        ds = ds.map(lambda x, y: (to_unit_range(x, size), tf.cast(y, tf.int32)))
    else:
        ds = ds.map(lambda x, y: to_unit_range(x, size))
    if shuffle:
        ds = ds.shuffle(10_000, seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    return ds.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


def image_shape(dataset):
    """(h, w, c) of a dataset made by `load`."""
    spec = dataset.element_spec
    spec = spec[0] if isinstance(spec, tuple) else spec
    return tuple(spec.shape[1:])
