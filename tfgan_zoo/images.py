"""Image grids: for TensorBoard and for the PNG a run leaves behind."""
import numpy as np
import tensorflow as tf


def grid(images, rows=None):
    """[n, h, w, c] in [-1, 1] -> one uint8 image [rows*h, cols*w, c], 1-pixel gutters."""
    images = np.asarray(images)
    n, h, w, c = images.shape
    rows = rows or int(np.ceil(np.sqrt(n)))
    cols = int(np.ceil(n / rows))
    pixels = np.round((np.clip(images, -1, 1) + 1) * 127.5).astype(np.uint8)
    out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1, c), 128, np.uint8)  # grey gutters
    for i, image in enumerate(pixels):
        r, col = divmod(i, cols)
        out[r * (h + 1):r * (h + 1) + h, col * (w + 1):col * (w + 1) + w] = image
    return out


def write_png(path, image):
    """Writes a uint8 [h, w, c] image as PNG."""
    tf.io.write_file(path, tf.io.encode_png(image))
