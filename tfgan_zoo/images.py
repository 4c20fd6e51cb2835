"""Images as the zoo holds them: float32 in [-1, 1], [batch, height, width, channels].

The one place for the [-1, 1] <-> uint8 conversion, shape checks and image grids.
"""
import numpy as np
import tensorflow as tf

from tfgan_zoo import files
from tfgan_zoo.errors import InputError


def from_pixels(pixels):
    """uint8-range values (any dtype) -> float32 in [-1, 1]."""
    return tf.cast(pixels, tf.float32) / 127.5 - 1.0


def to_pixels(images):
    """[-1, 1] (clipped) -> uint8 in [0, 255]; numpy in, numpy out, tensors likewise."""
    if isinstance(images, np.ndarray):
        return np.round((np.clip(images, -1, 1) + 1) * 127.5).astype(np.uint8)
    return tf.cast(tf.round((tf.clip_by_value(images, -1.0, 1.0) + 1.0) * 127.5), tf.uint8)


def serving_outputs(images):
    """What every SavedModel endpoint returns: `images` float32 in [-1, 1] and `pixels` uint8
    (float32 whatever precision the network computed in)."""
    images = tf.cast(images, tf.float32)
    return {"images": images, "pixels": to_pixels(images)}


def check_shape(data_shape, model_shape, fix):
    """Raises InputError unless images of `data_shape` fit `model_shape` (h, w, c);
    `fix` says what makes them fit."""
    if tuple(data_shape) != tuple(model_shape):
        raise InputError(f"the images are {tuple(data_shape)} (height, width, channels) but the "
                         f"model expects {tuple(model_shape)}: {fix}")


def grid(images, rows=None):
    """[n, h, w, c] in [-1, 1] -> one uint8 image [rows*h, cols*w, c], 1-pixel grey gutters."""
    pixels = to_pixels(np.asarray(images))
    n, h, w, c = pixels.shape
    rows = rows or int(np.ceil(np.sqrt(n)))
    cols = int(np.ceil(n / rows))
    out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1, c), 128, np.uint8)
    for i, image in enumerate(pixels):
        r, col = divmod(i, cols)
        out[r * (h + 1):r * (h + 1) + h, col * (w + 1):col * (w + 1) + w] = image
    return out


def enlarged(pixels, factor):
    """A uint8 [h, w, c] image with each pixel repeated `factor` x `factor` times: larger and
    as sharp as the model drew it."""
    return np.repeat(np.repeat(pixels, factor, axis=0), factor, axis=1)


def enlargement(image_side, least=64):
    """The whole factor that shows an image of `image_side` pixels at `least` or more."""
    return max(1, -(-least // image_side))


def write_png(path, image):
    """Writes a uint8 [h, w, c] image as PNG (whole or not at all)."""
    with files.atomic_path(path) as partial:
        tf.io.write_file(partial, tf.io.encode_png(image))
