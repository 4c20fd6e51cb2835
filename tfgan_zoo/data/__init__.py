"""Training data as tf.data pipelines of images in [-1, 1].

    data.load("mnist", batch_size=64)              # offline real digits (default), with labels
    data.load("emoji", batch_size=64)              # offline 64x64 colour emoji, 9 groups
    data.load("tfds:cifar10", batch_size=64)       # any TFDS image dataset
    data.load("folder:/path/to/images", ...)       # class subfolders become labels
    data.load("npz:/path/to/digits.npz", ...)      # numpy.savez(path, images=..., labels=...)
    data.load((images, labels), ...)               # arrays: pixel values 0-255 [n, h, w(, c)]
    data.load_unpaired("mnist", "digits", image_size=(28, 28))   # (a, b) batches, for CycleGAN
    data.load_paired("completion")                 # (input, target) pairs, for pix2pix

As Keras's image_dataset_from_directory does, a source's labels come with its
images unless `labels=False`; the dataset's `num_classes` says how many there are.
"""
import tensorflow as tf

from tfgan_zoo import distribute
from tfgan_zoo import images as images_lib
from tfgan_zoo.data import jitter, paired, sources
from tfgan_zoo.errors import InputError


def describe():
    """One line naming the valid dataset choices."""
    return f"{', '.join(sources.OFFLINE)} (offline), tfds:NAME, folder:PATH or npz:PATH"


def images_and_labels(name, split="train", data_dir=None):
    """Unbatched (image [h, w, c], label) pairs from the source `name`, and its number
    of classes (None: no labels). `name` may also be arrays: images, or (images, labels)."""
    if not isinstance(name, str):
        images, labels = name if isinstance(name, tuple) else (name, None)
        return sources.arrays(images, labels)
    if name in sources.OFFLINE:
        return sources.offline(name, split)
    if name.startswith("tfds:") and len(name) > 5:
        return sources.tfds_source(name[5:], split, data_dir)
    if name.startswith("folder:") and len(name) > 7:
        return sources.folder(name[7:], split)
    if name.startswith("npz:") and len(name) > 4:
        return sources.npz(name[4:])
    raise InputError(f"unknown dataset {name!r}: use {describe()}")


SHUFFLE_BUFFER = 10_000  # images
SHUFFLE_BYTES = 512 * 2**20  # the most a shuffle window holds


def shuffled(ds, seed, epoch, batch_size=None, drop_remainder=True):
    """`ds` in an order fixed by (seed, epoch) alone, not by how many times it was
    iterated nor by the global seed (tf.data's shuffle depends on both): the same on
    any number of replicas, and after a resume. Each window of up to SHUFFLE_BUFFER
    elements (fewer if they would exceed SHUFFLE_BYTES) is permuted whole. With
    `batch_size`, the stream comes in batches of that size."""
    spec = ds.element_spec
    sizes = [s.shape.num_elements() * s.dtype.size for s in tf.nest.flatten(spec)]
    window = SHUFFLE_BUFFER if None in sizes else max(1, min(
        SHUFFLE_BUFFER, SHUFFLE_BYTES // max(1, sum(sizes))))
    epoch_key = tf.random.experimental.stateless_fold_in(
        tf.constant([seed, 0], tf.int64), tf.cast(epoch, tf.int64))

    def permute(index, elements):
        key = tf.random.experimental.stateless_fold_in(epoch_key, index)
        count = tf.shape(tf.nest.flatten(elements)[0])[0]
        order = tf.random.experimental.stateless_shuffle(tf.range(count), key)
        return tf.nest.map_structure(lambda x: tf.gather(x, order), elements)

    elements = ds.batch(window).enumerate().map(permute).unbatch()
    if batch_size is None:
        return elements
    # a plain batch(): tf.distribute finds it and splits each global batch over replicas
    return elements.batch(batch_size, drop_remainder=drop_remainder)


CACHE_BYTES = 2 * 2**30  # the most decoded images kept in memory


def cacheable(ds, from_files):
    """Whether to keep `ds`'s decoded images in memory: for sources read from files
    (folders, TFDS, not arrays already in memory) of a known size whose images fit in
    CACHE_BYTES; one copy of the dataset, in the source's pixel dtype."""
    count = known(ds.cardinality())
    images = [spec for spec in tf.nest.flatten(ds.element_spec) if spec.shape.rank == 3]
    if not from_files or count is None or not all(s.shape.is_fully_defined() for s in images):
        return False
    return count * sum(s.shape.num_elements() * s.dtype.size for s in images) <= CACHE_BYTES


def known(cardinality):
    """A dataset's cardinality as an int, None if infinite or unknown."""
    value = int(cardinality)
    return value if value >= 0 else None


def sharding(name, split="train", data_dir=None):
    """tf.data options for sharding `name` across workers: by files where the TFDS set
    has at least one file per worker, else by elements (each worker reads everything
    and keeps its share of every global batch: in-memory and folder data)."""
    options = tf.data.Options()
    policy = tf.data.experimental.AutoShardPolicy
    workers = distribute.workers()
    by_files = (workers > 1 and name.startswith("tfds:")
                and sources.tfds_files(name[5:], split, data_dir) >= workers)
    options.experimental_distribute.auto_shard_policy = policy.FILE if by_files else policy.DATA
    return options


def image_size_of(image_size):
    """(height, width) from a config's image_size, or None; InputError if it is not one."""
    if image_size is None:
        return None
    try:
        height, width = (int(s) for s in image_size)
        if height > 0 and width > 0 and (height, width) == tuple(image_size):
            return height, width
    except (TypeError, ValueError):
        pass
    raise InputError(f"image_size must be (height, width) in pixels, not {image_size!r}: e.g. "
                     "--config.image_size='(28, 28)'")


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
    return images_lib.from_pixels(image)


def load(name="mnist", split="train", batch_size=64, labels=None, image_size=None,
         channels=None, shuffle=True, seed=0, drop_remainder=True, repeat=False, data_dir=None,
         start_batch=0, load_size=None):
    """A batched, shuffled, prefetched tf.data.Dataset of images in [-1, 1].

    Elements are (images [batch, h, w, c], labels [batch]) if the source has labels
    and `labels` is not False, else images; `labels=True` requires them.
    `image_size` (h, w) resizes, `channels` (1 or 3) converts; `data_dir` is TFDS's.
    `repeat=True` gives epoch after epoch, forever (for fit() with steps_per_epoch),
    epoch e in an order fixed by (seed, e): the same on any number of replicas and
    after a resume; `start_batch` starts that stream at its batch of this number (a resumed
    run's first untrained batch). The dataset's `num_classes` is the source's number of classes
    (None: no labels), its `batches_per_epoch` the batches in one pass (None: unknown).
    `load_size` (h, w) jitters: images are resized to it, then cropped to `image_size` at
    random and flipped at random (jitter.py).
    """
    if channels not in (None, 1, 3):
        raise InputError(f"channels must be 1 or 3, not {channels!r} (config: channels)")
    ds, num_classes = images_and_labels(name, split, data_dir)
    name = name if isinstance(name, str) else "arrays"  # as messages show it
    if labels and num_classes is None:
        raise InputError(f"dataset {name!r} has no labels, but the model needs them: "
                         "use a labelled dataset (mnist, a TFDS set with a 'label' "
                         "feature, or a folder with one subfolder per class)")
    size = image_size_of(image_size)
    load_size = image_size_of(load_size)
    jitter.check(load_size, size)
    if size is None and None in ds.element_spec[0].shape[:2]:
        raise InputError(f"dataset {name!r} has images of different sizes: set image_size "
                         "(config: image_size, e.g. --config.image_size='(64, 64)')")
    keep_labels = labels is not False and num_classes is not None
    check_one_batch(ds, batch_size, drop_remainder, f"dataset {name!r} ({split})", "images")
    # Whole batches are converted at once (far faster than image by image), unless the
    # images differ in size and must be resized before they can be batched.
    by_image = None in ds.element_spec[0].shape
    resize_to = load_size or size
    if by_image:
        ds = ds.map(lambda x, y: (to_unit_range(x, resize_to, channels), y),
                    num_parallel_calls=tf.data.AUTOTUNE)
    if cacheable(ds, from_files=isinstance(name, str) and name.startswith(("folder:", "tfds:"))):
        ds = ds.cache()  # decoded once: later epochs read memory

    def finish(x, y):
        x = x if by_image else to_unit_range(x, resize_to, channels)
        return (x, tf.cast(y, tf.int32)) if keep_labels else x

    ds = batched(ds, finish, batch_size, shuffle, seed, drop_remainder, repeat, start_batch,
                 sharding(name, split, data_dir), jitter_to=size if load_size else None)
    ds.num_classes = num_classes
    return ds


def check_one_batch(ds, batch_size, drop_remainder, what, items):
    if drop_remainder and 0 <= int(ds.cardinality()) < batch_size:
        raise InputError(f"{what} has {int(ds.cardinality())} {items}, fewer than one batch "
                         f"of {batch_size}: use a smaller batch size (config: train.batch_size)")


def batched(ds, finish, batch_size, shuffle, seed, drop_remainder, repeat, start_batch,
            options, jitter_to=None):
    """`ds`'s elements in batches, each batch passed through `finish`, prefetched, with
    tf.data `options`; see `load` for the order. Its `batches_per_epoch` is the number of
    batches in one pass (None: unknown). With `jitter_to` (h, w), `finish` gives images of
    the load size and each batch is cropped to (h, w) and flipped at random (jitter.py):
    every image of an element alike (a pair)."""
    def epoch(number):
        if shuffle:
            batches = shuffled(ds, seed, number, batch_size, drop_remainder)
        else:
            batches = ds.batch(batch_size, drop_remainder=drop_remainder)
        if jitter_to is None:
            return batches
        return batches.map(finish).enumerate().map(
            lambda index, element: jittered(element, jitter_to, jitter.key(seed, number, index)))

    count = known(ds.cardinality())
    per_epoch = None if count is None else (
        count // batch_size if drop_remainder else -(-count // batch_size))
    if repeat:
        first_epoch, skip = divmod(start_batch, per_epoch) if per_epoch else (0, start_batch)
        batches = tf.data.Dataset.counter(first_epoch).flat_map(epoch).skip(skip)
    elif start_batch:
        raise ValueError("start_batch is for a repeated dataset (repeat=True)")
    else:  # every iteration (a Keras epoch) in a new order
        batches = ds.shuffle(SHUFFLE_BUFFER, seed=seed) if shuffle else ds
        batches = batches.batch(batch_size, drop_remainder=drop_remainder)
    if jitter_to is None:
        batches = batches.map(finish, num_parallel_calls=tf.data.AUTOTUNE)
    elif not repeat:  # one epoch's draws for every iteration
        batches = epoch(0)
    batches = batches.prefetch(tf.data.AUTOTUNE).with_options(options)
    batches.batches_per_epoch = per_epoch
    return batches


def jittered(element, size, seed):
    """`element`'s images (the first one or two) cropped and flipped alike; labels as they are."""
    if not isinstance(element, tuple):
        return jitter.crop_and_flip(element, size, seed)
    images = [x for x in element if x.shape.rank == 4]
    split = [x.shape[-1] for x in images]
    both = jitter.crop_and_flip(tf.concat(images, axis=-1), size, seed)
    return (*tf.split(both, split, axis=-1), *element[len(images):])


def load_unpaired(name_a, name_b=None, split="train", batch_size=1, image_size=None,
                  channels=None, seed=0, repeat=False, data_dir=None, start_batch=0,
                  load_size=None):
    """(a, b) batches from two domains, each shuffled on its own (CycleGAN's data).

    `name_b=None` with `tfds:cycle_gan/NAME` takes its A and B splits (trainA/trainB,
    testA/testB). Without `image_size`, domain B is resized to domain A's size. An epoch
    ends with the smaller domain unless `repeat`.
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
    kwargs = dict(batch_size=batch_size, channels=channels, repeat=repeat,
                  data_dir=data_dir, labels=False, start_batch=start_batch, load_size=load_size)
    a = load(name_a, split_a, seed=seed, image_size=image_size, **kwargs)
    b = load(name_b, split_b, seed=seed + 1, image_size=image_size, **kwargs)
    if image_size is None and image_shape(a)[:2] != image_shape(b)[:2]:
        # B follows A: the models train at domain A's size (MNIST's 28x28 for the 8x8 digits)
        b = load(name_b, split_b, seed=seed + 1, image_size=image_shape(a)[:2], **kwargs)
    if image_shape(a) != image_shape(b):
        raise InputError(f"the two domains' images differ: {name_a} {image_shape(a)}, "
                         f"{name_b} {image_shape(b)} (height, width, channels): set "
                         "channels (config: channels=1 or 3)")
    both = tf.data.Dataset.zip((a, b))
    lengths = [n for n in (a.batches_per_epoch, b.batches_per_epoch) if n is not None]
    both.batches_per_epoch = min(lengths) if len(lengths) == 2 else None
    return both


def paired_source(name, name_b=None, split="train", image_size=None, input_side="left"):
    """Unbatched (input, target, label) triples of a paired source, and its classes."""
    if not isinstance(name, str):
        raise InputError("paired data comes from a named source: use " + paired.describe())
    if name_b and not (name.startswith("folder:") and name_b.startswith("folder:")):
        raise InputError(f"dataset_b {name_b!r} pairs only with a folder of inputs: use "
                         "--dataset=folder:INPUTS --config.dataset_b=folder:TARGETS, or leave "
                         "dataset_b empty")
    if name in paired.OFFLINE:
        return paired.offline(name, split)
    if name.startswith("paired:") and len(name) > 7:
        return paired.side_by_side(name[7:], split, input_side)
    if name.startswith("folder:") and len(name) > 7:
        if not name_b:
            raise InputError(f"{name!r} holds one side of the pairs: give the targets' folder "
                             "too (config: dataset_b=folder:TARGETS), or use paired:PATH for "
                             "files that hold input|target side by side")
        return paired.two_folders(name[7:], name_b[7:], image_size)
    raise InputError(f"unknown paired dataset {name!r}: use {paired.describe()}")


def load_paired(name="completion", name_b=None, split="train", batch_size=64,
                image_size=None, channels=None, shuffle=True, seed=0, drop_remainder=True,
                repeat=False, data_dir=None, start_batch=0, labels=False, input_side="left",
                load_size=None):
    """(inputs, targets) batches of aligned pairs in [-1, 1], shuffled together (pix2pix's
    data); with `labels=True`, (inputs, targets, labels) (-1 where the source has none).
    Sources: `paired.describe()`. `image_size` resizes and `channels` converts both
    images of a pair, `load_size` jitters both alike; the rest is as `load`'s."""
    del data_dir  # no TFDS source yet
    if channels not in (None, 1, 3):
        raise InputError(f"channels must be 1 or 3, not {channels!r} (config: channels)")
    size = image_size_of(image_size)
    load_size = image_size_of(load_size)
    jitter.check(load_size, size)
    resize_to = load_size or size
    ds, num_classes = paired_source(name, name_b, split, resize_to, input_side)
    shapes = [tuple(spec.shape) for spec in ds.element_spec[:2]]
    if size is None and shapes[0][:2] != shapes[1][:2]:
        raise InputError(f"dataset {name!r}: the inputs are {shapes[0][1]}x{shapes[0][0]} "
                         f"pixels, the targets {shapes[1][1]}x{shapes[1][0]}: a pair must be the "
                         "same size (or set image_size, e.g. --config.image_size='(64, 64)')")
    check_one_batch(ds, batch_size, drop_remainder, f"dataset {name!r} ({split})", "pairs")
    if cacheable(ds, from_files=name.startswith(("folder:", "paired:"))):
        ds = ds.cache()

    def finish(inputs, targets, label):
        pair = (to_unit_range(inputs, resize_to, channels),
                to_unit_range(targets, resize_to, channels))
        return (*pair, tf.cast(label, tf.int32)) if labels else pair

    ds = batched(ds, finish, batch_size, shuffle, seed, drop_remainder, repeat, start_batch,
                 sharding(name, split), jitter_to=size if load_size else None)
    ds.num_classes = num_classes
    return ds


def for_model(kind, dataset, dataset_b=None, input_side="left", **kwargs):
    """The data a model of `data_kind` `kind` trains on (see GAN.data_kind);
    `input_side` is paired side-by-side files' (see `load_paired`)."""
    if kind == "images":
        return load(dataset, labels=False, **kwargs)
    if kind == "labelled":
        return load(dataset, labels=True, **kwargs)
    if kind == "unpaired":
        return load_unpaired(dataset, dataset_b or None, **kwargs)
    if kind == "paired":
        return load_paired(dataset, dataset_b or None, input_side=input_side, **kwargs)
    raise ValueError(f"no loader for {kind!r} data yet")


def image_shape(dataset):
    """(h, w, c) of a dataset made by `load`."""
    spec = dataset.element_spec
    while isinstance(spec, tuple):  # (images, labels) or (a, b)
        spec = spec[0]
    return tuple(spec.shape[1:])


def target_channels(dataset):
    """Channels of the second images of (a, b) batches (a paired dataset's targets); None
    for batches of one kind of image."""
    spec = dataset.element_spec
    if isinstance(spec, tuple) and len(spec) >= 2 and spec[1].shape.rank == 4:
        return spec[1].shape[-1]
    return None
