"""Where images come from. Each source returns an unbatched tf.data.Dataset of
(uint8-range image [h, w, c], int32 label; -1 if unlabelled) and the number of
classes (None if the source has no labels)."""
import os

import numpy as np
import tensorflow as tf

from tfgan_zoo.errors import InputError

OFFLINE_FILE = os.path.join(os.path.dirname(__file__), "offline_digits.npz")
# offline digits: name -> array prefix in the .npz: real MNIST digits (28x28) and
# scikit-learn's 8x8 handwritten digits
DIGITS = {"mnist": "mnist", "digits": "sklearn"}
EMOJI_FILE = os.path.join(os.path.dirname(__file__), "emoji.npz")  # tools/build_emoji.py
OFFLINE = (*DIGITS, "emoji")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def offline(name, split):
    """The images shipped with the package (docs/data.md): the real digits (every 10th is
    `test`, 10 classes) or the emoji (a fixed fifth is `test`, 9 groups)."""
    if split not in ("train", "test", "all"):
        raise InputError(f"unknown split {split!r} for {name!r}: use train, test or all")
    if name == "emoji":
        images, labels, test = emoji()
        num_classes = EMOJI_GROUPS
    else:
        with np.load(OFFLINE_FILE) as arrays:
            images = arrays[DIGITS[name] + "_images"]
            labels = arrays[DIGITS[name] + "_labels"].astype(np.int32)
        test = np.arange(len(images)) % 10 == 9
        num_classes = 10
    if split != "all":
        keep = test if split == "test" else ~test
        images, labels = images[keep], labels[keep]
    return tf.data.Dataset.from_tensor_slices((images, labels)), num_classes


EMOJI_GROUPS = 9  # Unicode's emoji groups, the emoji's labels


def emoji(what="labels"):
    """The shipped emoji: (images [n, 64, 64, 3] uint8, labels [n] int32, test [n] bool);
    labels are the Unicode groups, or with `what="subgroups"` the finer subgroups."""
    with np.load(EMOJI_FILE) as arrays:
        return arrays["images"], arrays[what].astype(np.int32), arrays["test"]


def emoji_names(what="group_names"):
    """The emoji's group (or subgroup, `what="subgroup_names"`) names, by label."""
    with np.load(EMOJI_FILE) as arrays:
        return [str(name) for name in arrays[what]]


def tfds_source(name, split, data_dir=None):
    """Any TFDS image dataset (needs internet or a filled data_dir)."""
    import tensorflow_datasets as tfds

    try:
        ds, info = tfds.load(name, split=split, data_dir=data_dir, with_info=True)
    except Exception as e:  # tfds raises its own DatasetNotFoundError, among others
        raise InputError(f"tfds:{name}: {str(e).splitlines()[0].rstrip('.')}: check the name "
                         "(tensorflow_datasets.list_builders() lists them) and that its data "
                         "is prepared in data_dir or can be downloaded") from None
    if "image" not in info.features:
        raise InputError(f"tfds:{name} has no 'image' feature "
                         f"(it has {', '.join(info.features)})")
    label = info.features["label"] if "label" in info.features else None
    num_classes = getattr(label, "num_classes", None)
    if label is not None and num_classes is None:
        raise InputError(f"tfds:{name}'s label is not a class label (it has no num_classes)")
    return ds.map(lambda ex: (ex["image"], ex["label"] if label else -1)), num_classes


def tfds_files(name, split, data_dir=None):
    """How many files hold the TFDS split (0 if TFDS cannot say)."""
    import tensorflow_datasets as tfds

    try:
        return tfds.builder(name, data_dir=data_dir).info.splits[split].num_shards
    except Exception:  # unknown to TFDS, not prepared, or a sliced split ("train[:10%]")
        return 0


def arrays(images, labels=None, name="arrays"):
    """In-memory images: [n, h, w] or [n, h, w, 1 or 3] of pixel values in [0, 255] (any
    integer or float dtype), and optionally integer labels [n] from 0 (their number of
    classes: the largest + 1). `name` is what messages call them."""
    images = np.asarray(images)
    if images.dtype == bool or images.dtype.kind not in "iuf":
        raise InputError(f"{name}: images must be numbers (pixel values 0-255), not "
                         f"{images.dtype}")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or 0 in images.shape[1:3]:
        raise InputError(f"{name}: images must be [n, height, width] or [n, height, width, 1 or "
                         f"3], not of shape {images.shape}")
    if len(images) == 0:
        raise InputError(f"{name} holds no images")
    if images.dtype.kind == "f":
        finite = np.isfinite(images).reshape(len(images), -1).all(axis=1)
        if not finite.all():
            raise InputError(f"{name}: image {int(np.argmin(finite))} holds NaN or Inf"
                             f"{f' (and {int((~finite).sum()) - 1} more)' if (~finite).sum() > 1 else ''}"
                             ": drop or repair those images")
    low, high = images.min(), images.max()
    if low < 0 or high > 255:
        raise InputError(f"{name}: pixel values must be in [0, 255], not [{low}, {high}]: scale "
                         "them (from [-1, 1]: (x + 1) * 127.5; from [0, 1]: x * 255)")
    if images.dtype.kind == "f":
        images = images.astype(np.float32)
    if labels is None:
        return tf.data.Dataset.from_tensor_slices(
            (images, np.full(len(images), -1, np.int32))), None
    labels = np.asarray(labels)
    if labels.shape != (len(images),) or labels.dtype.kind not in "iu":
        raise InputError(f"{name}: labels must be {len(images)} whole numbers (one per image), "
                         f"not {labels.dtype} of shape {labels.shape}")
    if labels.min() < 0:
        raise InputError(f"{name}: labels must be class numbers from 0, not {labels.min()}")
    return (tf.data.Dataset.from_tensor_slices((images, labels.astype(np.int32))),
            int(labels.max()) + 1)


def npz(path):
    """Arrays saved by numpy.savez: `images` (or `x`), and `labels` (or `y`) if labelled."""
    try:
        with np.load(path) as saved:
            found = {key: saved[key] for key in saved.files}
    except FileNotFoundError:
        raise InputError(f"npz:{path}: no such file") from None
    except (OSError, ValueError) as e:
        raise InputError(f"npz:{path} is not a numpy .npz file ({e}): save it with "
                         "numpy.savez(path, images=..., labels=...)") from None
    images = found.get("images", found.get("x"))
    if images is None:
        raise InputError(f"npz:{path} has no 'images' array (it has {', '.join(found) or 'none'})"
                         ": save it with numpy.savez(path, images=..., labels=...)")
    return arrays(images, found.get("labels", found.get("y")), name=f"npz:{path}")


SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")


def looks_like_an_image(file):
    """Whether the file starts as a PNG, JPEG, GIF or BMP does (a zero-byte or truncated
    download, or a renamed text file, does not)."""
    with open(file, "rb") as f:
        return f.read(8).startswith(SIGNATURES)


def check_images(files, what):
    """InputError naming the first of `files` that is empty or not an image."""
    broken = [f for f in files if not looks_like_an_image(f)]
    if broken:
        raise InputError(f"{what}: {broken[0]} is empty or not an image"
                         f"{f' (and {len(broken) - 1} more)' if len(broken) > 1 else ''}: "
                         "remove or replace it")


def folder(path, split):
    """Image files in `path`; if it has subfolders, each is a class (sorted names -> 0, 1, ...).

    A folder has no splits: every split reads all of it."""
    del split
    if not os.path.isdir(path):
        raise InputError(f"folder:{path} is not a directory")
    classes = sorted(d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d)))
    files, labels = [], []
    for label, directory in enumerate(classes or ["."]):
        names = sorted(os.listdir(os.path.join(path, directory)))
        found = [os.path.normpath(os.path.join(path, directory, n)) for n in names
                 if n.lower().endswith(IMAGE_EXTENSIONS)]
        files += found
        labels += [label] * len(found)
    if not files:
        raise InputError(f"folder:{path} holds no images ({', '.join(IMAGE_EXTENSIONS)})")
    check_images(files, f"folder:{path}")
    first = tf.io.decode_image(tf.io.read_file(files[0]), expand_animations=False)
    height, width, channels = first.shape

    def read(file, label):
        image = tf.io.decode_image(tf.io.read_file(file), channels=channels,
                                   expand_animations=False)
        image.set_shape([None, None, channels])
        # Every image takes the first one's size.
        return tf.image.resize(image, [height, width]), label

    ds = tf.data.Dataset.from_tensor_slices((files, np.array(labels, np.int32)))
    return ds.map(read, num_parallel_calls=tf.data.AUTOTUNE), len(classes) or None
