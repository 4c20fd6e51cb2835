"""Random jitter (Isola et al. 2017, sec. 6.2; CycleGAN's reference code): each image is
resized to `load_size` (286x286 for 256x256), cropped at a random place back to the
training size, and flipped left-right with probability 1/2. A pair's two images get the
same crop and flip. The draws are keyed by (seed, epoch, batch number): a resumed run and
any number of replicas see the same jitter."""
import tensorflow as tf

from tfgan_zoo.errors import InputError


def check(load_size, image_size):
    """InputError unless `load_size` is at least `image_size` on both sides."""
    if load_size is None:
        return
    if image_size is None or any(l < s for l, s in zip(load_size, image_size)):
        raise InputError(f"load_size={tuple(load_size)} is the size images are resized to "
                         "before a random crop of image_size, so it needs image_size no larger, "
                         f"not {image_size}: set both, e.g. --config.image_size='(256, 256)' "
                         "--config.load_size='(286, 286)'")


def key(seed, epoch, batch):
    start = tf.random.experimental.stateless_fold_in(
        tf.constant([seed, 1], tf.int64), tf.cast(epoch, tf.int64))
    return tf.random.experimental.stateless_fold_in(start, tf.cast(batch, tf.int64))


def crop_and_flip(images, size, seed):
    """Each image of `images` [batch, H, W, c] cropped to `size` (h, w) at a random place
    and flipped left-right at random."""
    batch = tf.shape(images)[0]
    room = tf.shape(images)[1:3] - tf.constant(size)
    draws = tf.random.stateless_uniform([batch, 3], seed)
    top = tf.cast(draws[:, 0] * tf.cast(room[0] + 1, tf.float32), tf.int32)
    left = tf.cast(draws[:, 1] * tf.cast(room[1] + 1, tf.float32), tf.int32)
    rows = top[:, None] + tf.range(size[0])[None, :]
    cols = left[:, None] + tf.range(size[1])[None, :]
    flip = draws[:, 2] < 0.5
    cols = tf.where(flip[:, None], cols[:, ::-1], cols)
    cropped = tf.gather(images, rows, axis=1, batch_dims=1)
    return tf.gather(cropped, cols, axis=2, batch_dims=1)
