"""Training data as tf.data pipelines of images in [-1, 1].

    data.load("mnist", batch_size=64)              # offline real digits (default)
    data.load("tfds:cifar10", batch_size=64)       # any TFDS image dataset
    data.load("folder:/path/to/images", ...)       # class subfolders become labels
    data.load_unpaired("mnist", "digits", image_size=(28, 28))   # (a, b) batches, for CycleGAN
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


def to_unit_range(image, image_size=None, channels=None):
    """uint8-range image -> float32 in [-1, 1], resized to `image_size` (h, w) and
    converted to `channels` (1 or 3) if given."""
    image = tf.cast(image, tf.float32)
    if image_size is not None:
        image = tf.image.resize(image, image_size)
    if channels == 1 and image.shape[-1] == 3:
        image = tf.image.rgb_to_grayscale(image)
    elif channels == 3 and image.shape[-1] == 1:
        image = tf.image.grayscale_to_rgb(image)
    return image / 127.5 - 1.0


def load(name="mnist", split="train", batch_size=64, labels=False, image_size=None,
         channels=None, shuffle=True, seed=0, drop_remainder=True, repeat=False, data_dir=None):
    """A batched, shuffled, prefetched tf.data.Dataset of images in [-1, 1].

    Elements are images [batch, h, w, c], or (images, labels [batch]) with
    `labels=True`. `image_size` (h, w) resizes, `channels` (1 or 3) converts;
    `repeat=True` loops forever (for fit() with steps_per_epoch).
    """
    ds, has_labels = images_and_labels(name, split, data_dir)
    if labels and not has_labels:
        raise InputError(f"dataset {name!r} has no labels, but the model needs them: "
                         "use a labelled dataset (mnist, a TFDS set with a 'label' "
                         "feature, or a folder with one subfolder per class)")
    size = tuple(image_size) if image_size is not None else None
    if size is None and None in ds.element_spec[0].shape[:2]:
        raise InputError(f"dataset {name!r} has images of different sizes: set image_size "
                         "(config: image_size, e.g. --config.image_size='(64, 64)')")
    if labels:
        ds = ds.map(lambda x, y: (to_unit_range(x, size, channels), tf.cast(y, tf.int32)))
    else:
        ds = ds.map(lambda x, y: to_unit_range(x, size, channels))
    if shuffle:
        ds = ds.shuffle(10_000, seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    return ds.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


def load_unpaired(name_a, name_b=None, split="train", batch_size=1, image_size=None,
                  channels=None, seed=0, repeat=False, data_dir=None):
    """(a, b) batches from two domains, each shuffled on its own (CycleGAN's data).

    `name_b=None` with `tfds:cycle_gan/NAME` takes its A and B splits (trainA/trainB,
    testA/testB). An epoch ends with the smaller domain unless `repeat`.
    """
    if name_b is None:
        if not name_a.startswith("tfds:cycle_gan/"):
            raise InputError(f"{name_a!r} is one domain; unpaired training needs two: "
                             "give a second dataset (config: dataset_b) or use "
                             "tfds:cycle_gan/NAME")
        name_b = name_a
        split_a, split_b = split + "A", split + "B"
    else:
        split_a = split_b = split
    kwargs = dict(batch_size=batch_size, image_size=image_size, channels=channels,
                  repeat=repeat, data_dir=data_dir)
    a = load(name_a, split_a, seed=seed, **kwargs)
    b = load(name_b, split_b, seed=seed + 1, **kwargs)
    if image_shape(a) != image_shape(b):
        raise InputError(f"the two domains' images differ: {name_a} {image_shape(a)}, "
                         f"{name_b} {image_shape(b)} (height, width, channels): set "
                         "image_size and channels (config: image_size, channels)")
    return tf.data.Dataset.zip((a, b))


def image_shape(dataset):
    """(h, w, c) of a dataset made by `load`."""
    spec = dataset.element_spec
    while isinstance(spec, tuple):  # (images, labels) or (a, b)
        spec = spec[0]
    return tuple(spec.shape[1:])
