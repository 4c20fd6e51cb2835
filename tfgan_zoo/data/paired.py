"""Where (input, target) pairs come from, for paired translation (pix2pix). Each source
returns an unbatched tf.data.Dataset of (input, target, label) (uint8-range images
[h, w, c]; label -1 if unlabelled) and the number of classes (None: no labels).

  completion     the offline MNIST digits with a block removed -> the whole digit
  completion_larger, completion_moved   the same digits damaged as training never does:
                 a larger block (a third to a half of the digit's bounding box), or one
                 centred on the box's border (partly outside it); for evaluation
  edges          the offline digits' outlines -> the digit
  colorization   grayscale -> colour crops of the two photographs shipped with
                 scikit-learn (china.jpg, flower.jpg); `test` crops come from a strip
                 of each photo that `train` crops never touch
  paired:PATH    image files holding input and target side by side (A|B), as the
                 pix2pix sets (facades, maps, edges2shoes); PATH/train, PATH/test
                 (or PATH/val) are the splits where they exist
  folder:A with dataset_b folder:B   inputs in A, targets in B, paired by file name
"""
import os

import numpy as np
import tensorflow as tf

from tfgan_zoo.data import sources
from tfgan_zoo.errors import InputError

PHOTOS_FILE = os.path.join(os.path.dirname(__file__), "sample_photos.npz")
DAMAGES = {"completion": {}, "completion_larger": {"area": (1 / 3, 1 / 2)},
           "completion_moved": {"on_border": True}}
OFFLINE = (*DAMAGES, "edges", "colorization")
DAMAGE_SEEDS = {"train": 0, "test": 1, "all": 2}
CROP, CROPS = 32, {"train": 2000, "test": 200}
TEST_STRIP = 0.25  # of each photo's width, on its right: the held-out crops' region


def describe():
    return (f"{', '.join(OFFLINE)} (offline), paired:PATH (input|target side by side), "
            "or folder:INPUTS with dataset_b folder:TARGETS")


def offline_digits(split):
    """(images [n, 28, 28, 1] uint8, labels) of the shipped MNIST digits."""
    ds, _ = sources.offline("mnist", split)
    images, labels = next(iter(ds.batch(1_000_000)))
    return images.numpy(), labels.numpy()


def remove_blocks(images, seed, area=(1 / 4, 1 / 3), on_border=False):
    """Each digit with one rectangle cleared: `area` (a range) of its bounding box's area,
    the box's shape, at a random place inside the box, or centred on a random point of the
    box's border."""
    rng = np.random.default_rng(seed)
    damaged = images.copy()
    for image in damaged:
        rows, cols = np.nonzero(image[..., 0] > 0)
        top, left = rows.min(), cols.min()
        height, width = rows.max() + 1 - top, cols.max() + 1 - left
        side = np.sqrt(rng.uniform(*area))
        block_h, block_w = max(1, round(height * side)), max(1, round(width * side))
        if on_border:
            y, x = border_point(rng, top, left, height, width)
            y, x = max(0, y - block_h // 2), max(0, x - block_w // 2)
        else:
            y = top + rng.integers(0, height - block_h + 1)
            x = left + rng.integers(0, width - block_w + 1)
        image[y:y + block_h, x:x + block_w] = 0
    return damaged


def border_point(rng, top, left, height, width):
    """A point drawn uniformly from the border of the box (top, left, height, width)."""
    t = rng.uniform(0, 2 * (height + width))
    if t < width:
        return top, left + int(t)
    if t < width + height:
        return top + int(t - width), left + width - 1
    if t < 2 * width + height:
        return top + height - 1, left + int(t - width - height)
    return top + int(t - 2 * width - height), left


def outlines(images, threshold=128):
    """The ink pixels with a background pixel among their 4 neighbours, as 255."""
    ink = images[..., 0] >= threshold
    padded = np.pad(ink, ((0, 0), (1, 1), (1, 1)))
    inner = (padded[:, :-2, 1:-1] & padded[:, 2:, 1:-1]
             & padded[:, 1:-1, :-2] & padded[:, 1:-1, 2:])
    return ((ink & ~inner) * 255).astype(np.uint8)[..., None]


def photo_crops(split, seed=0):
    """(grayscale [n, 32, 32, 1], colour [n, 32, 32, 3]) crops of the shipped photos."""
    if split not in CROPS:
        raise InputError(f"unknown split {split!r} for 'colorization': use train or test")
    with np.load(PHOTOS_FILE) as saved:
        photos = [saved[name] for name in sorted(saved.files)]
    rng = np.random.default_rng(seed + (split == "test"))
    crops = []
    for i in range(CROPS[split]):
        photo = photos[i % len(photos)]
        height, width = photo.shape[:2]
        strip = int(width * (1 - TEST_STRIP))
        low, high = (strip, width - CROP) if split == "test" else (0, strip - CROP)
        y, x = rng.integers(0, height - CROP + 1), rng.integers(low, high + 1)
        crop = photo[y:y + CROP, x:x + CROP]
        crops.append(crop[:, ::-1] if split == "train" and rng.random() < 0.5 else crop)
    colour = np.stack(crops)
    gray = tf.image.rgb_to_grayscale(colour.astype(np.float32)).numpy()
    return np.round(gray).astype(np.uint8), colour


def from_arrays(inputs, targets, labels=None):
    labels = np.full(len(inputs), -1, np.int32) if labels is None else labels.astype(np.int32)
    return tf.data.Dataset.from_tensor_slices((inputs, targets, labels))


def offline(name, split):
    if name == "colorization":
        return from_arrays(*photo_crops(split)), None
    digits, labels = offline_digits(split)
    if name in DAMAGES:
        damaged = remove_blocks(digits, DAMAGE_SEEDS[split], **DAMAGES[name])
        return from_arrays(damaged, digits, labels), 10
    return from_arrays(outlines(digits), digits, labels), 10


def image_files(path, what):
    """The image files directly in `path`, sorted; InputError if none or one is broken."""
    if not os.path.isdir(path):
        raise InputError(f"{what} is not a directory")
    files = [os.path.join(path, n) for n in sorted(os.listdir(path))
             if n.lower().endswith(sources.IMAGE_EXTENSIONS)
             and os.path.isfile(os.path.join(path, n))]
    if not files:
        raise InputError(f"{what} holds no images ({', '.join(sources.IMAGE_EXTENSIONS)})")
    sources.check_images(files, what)
    return files


def split_folder(path, split):
    """PATH/train for train, PATH/test or else PATH/val for test, where PATH/train exists;
    else PATH itself for every split."""
    if not os.path.isdir(os.path.join(path, "train")) or split == "all":
        return path
    if split == "train":
        return os.path.join(path, "train")
    for name in ("test", "val"):
        if os.path.isdir(os.path.join(path, name)):
            return os.path.join(path, name)
    raise InputError(f"paired:{path} has a train folder but no test or val folder to hold "
                     "out: add one (the pix2pix sets have both)")


def decode(file, channels=0):
    image = tf.io.decode_image(tf.io.read_file(file), channels=channels,
                               expand_animations=False)
    image.set_shape([None, None, channels or None])
    return image


def side_by_side(path, split, input_side="left"):
    """Files holding input|target (or target|input with input_side="right")."""
    if input_side not in ("left", "right"):
        raise InputError(f"input_side must be left or right, not {input_side!r} "
                         "(config: input_side)")
    files = image_files(split_folder(path, split), f"paired:{path}")
    height, width, channels = decode(files[0]).shape
    if width % 2 or width <= height:
        raise InputError(
            f"paired:{path}: {os.path.basename(files[0])} is {width}x{height} pixels, not two "
            "images side by side (an even width, wider than tall): for folders of single "
            "images use --dataset=folder:INPUTS --config.dataset_b=folder:TARGETS")
    half = width // 2

    def read(file):
        both = tf.image.resize(decode(file, channels), [height, width])
        left, right = both[:, :half], both[:, half:]
        return (left, right, -1) if input_side == "left" else (right, left, -1)

    return tf.data.Dataset.from_tensor_slices(files).map(read, tf.data.AUTOTUNE), None


def stem(file):
    return os.path.splitext(os.path.basename(file))[0]


def two_folders(inputs_path, targets_path, image_size=None):
    """Inputs in one folder, targets in another, paired by file name (extensions may
    differ). Every image takes `image_size`, else the first pair's size."""
    folders = {"inputs": inputs_path, "targets": targets_path}
    found = {key: {stem(f): f for f in image_files(path, f"folder:{path}")}
             for key, path in folders.items()}
    for key, other in (("inputs", "targets"), ("targets", "inputs")):
        missing = sorted(set(found[key]) - set(found[other]))
        if missing:
            raise InputError(
                f"folder:{folders[key]} has {len(missing)} image(s) with no namesake in "
                f"folder:{folders[other]}, e.g. {os.path.basename(found[key][missing[0]])}: "
                "pairs are matched by file name; make both folders hold the same names")
    names = sorted(found["inputs"])
    first = {key: decode(found[key][names[0]]).shape for key in folders}
    if image_size is None and first["inputs"][:2] != first["targets"][:2]:
        (h, w), (th, tw) = first["inputs"][:2], first["targets"][:2]
        raise InputError(f"the pair named {names[0]}: the input is {w}x{h} pixels, the target "
                         f"{tw}x{th}: a "
                         "pair must be the same size (or set image_size to resize both, e.g. "
                         "--config.image_size='(64, 64)')")
    size = image_size or first["inputs"][:2]

    def read(input_file, target_file):
        return (tf.image.resize(decode(input_file, first["inputs"][-1]), size),
                tf.image.resize(decode(target_file, first["targets"][-1]), size), -1)

    files = tuple([found[key][n] for n in names] for key in folders)
    return tf.data.Dataset.from_tensor_slices(files).map(read, tf.data.AUTOTUNE), None
