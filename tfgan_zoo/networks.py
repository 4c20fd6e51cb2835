"""Network blocks shared by the zoo's models.

Batch norm is synchronized: under tf.distribute its batch statistics are the
global batch's, so N replicas train exactly as one device would. Discriminator
blocks take `spectral_norm` (Miyato et al. 2018), which wraps each weight layer
in keras.layers.SpectralNormalization.
"""
import keras
import tensorflow as tf
from keras import layers

from tfgan_zoo.errors import InputError

try:  # TensorFlow's own test for a step XLA compiles (private: without it, never fuse)
    from tensorflow.python.ops.control_flow_util import GraphOrParentsInXlaContext
except ImportError:
    GraphOrParentsInXlaContext = None


@keras.saving.register_keras_serializable("tfgan_zoo")
class BatchNormalization(layers.BatchNormalization):
    """Keras's synchronized batch norm, trained with TensorFlow's fused kernel on one
    replica without XLA: one op forward and one backward instead of a dozen elementwise
    ones (docs/performance.md). Under XLA, which expands the fused op into slower code on
    CPU (pix2pix trained at half speed), on several replicas, and for anything the kernel
    does not take (masks, renorm, other axes): Keras's own path, which sums across
    replicas."""

    def call(self, inputs, training=None, mask=None):
        if not (training and self.trainable and self._fusable(inputs, mask)):
            return super().call(inputs, training=training, mask=mask)
        x = tf.cast(inputs, "float32")  # as Keras does: statistics in float32
        channels = x.shape[-1]
        if len(x.shape) == 2:
            x = tf.reshape(x, [-1, 1, 1, channels])
        y, mean, variance = tf.compat.v1.nn.fused_batch_norm(
            x, self.gamma, self.beta, epsilon=self.epsilon, is_training=True)
        # the kernel returns the unbiased variance; Keras's moving variance is biased
        count = tf.cast(tf.size(x) // channels, variance.dtype)
        variance = variance * (count - 1) / count
        for moving, batch in ((self.moving_mean, mean), (self.moving_variance, variance)):
            moving.assign(moving * self.momentum + batch * (1.0 - self.momentum))
        return tf.cast(tf.reshape(y, tf.shape(inputs)), self.compute_dtype)

    def _fusable(self, inputs, mask):
        replicas = tf.distribute.get_replica_context()
        return (mask is None and not self.renorm and self.center and self.scale
                and len(inputs.shape) in (2, 4) and self.axis in (-1, len(inputs.shape) - 1)
                and (replicas is None or replicas.num_replicas_in_sync == 1)
                and not compiled_by_xla())


def compiled_by_xla():
    """Whether the function being traced is compiled by XLA (e.g. jit_compile=True)."""
    return (GraphOrParentsInXlaContext is None
            or GraphOrParentsInXlaContext(tf.compat.v1.get_default_graph()))


def batch_norm():
    return BatchNormalization(synchronized=True)


def instance_norm():
    return layers.GroupNormalization(groups=-1)  # one group per channel


def maybe_spectral_norm(layer, spectral_norm):
    return layers.SpectralNormalization(layer) if spectral_norm else layer


def check_divisible(image_shape, factor, model):
    """Raises InputError unless height and width are multiples of `factor`."""
    height, width = image_shape[:2]
    if height % factor or width % factor:
        near = tuple(max(factor, round(s / factor) * factor) for s in (height, width))
        raise InputError(f"{model} halves the image size {factor // 2} times, so height and width "
                         f"must be multiples of {factor}, but the images are {height}x{width}: "
                         f"resize them (config: image_size, e.g. --config.image_size='{near}')")


def check_halvings(image_shape, halvings, setting):
    """Raises InputError if `halvings` stride-2 layers halve the smaller side on past 1 pixel
    (a halving rounds up, so ceil(log2(side)) of them reach 1)."""
    height, width = image_shape[:2]
    most = (min(height, width) - 1).bit_length()
    if halvings > most:
        raise InputError(f"{setting}={halvings} halves {height}x{width} images {halvings} times, "
                         f"but {most} already take them to one pixel: use at most {most}, or larger "
                         "images (config: image_size)")


def dcgan_generator(x, width, image_shape):
    """A vector -> images [h, w, c] in [-1, 1]: dense to (h/4, w/4), then two strided
    transposed convs (Radford et al. 2016: batch norm and ReLU, tanh at the output)."""
    check_divisible(image_shape, 4, "the DCGAN generator")
    height, wide, channels = image_shape
    x = layers.Dense(height // 4 * (wide // 4) * 4 * width, use_bias=False)(x)
    x = layers.ReLU()(batch_norm()(x))
    x = layers.Reshape((height // 4, wide // 4, 4 * width))(x)
    for filters, strides in ((2 * width, 1), (width, 2)):
        x = layers.Conv2DTranspose(filters, 4, strides, padding="same", use_bias=False)(x)
        x = layers.ReLU()(batch_norm()(x))
    return layers.Conv2DTranspose(channels, 4, 2, padding="same", activation="tanh")(x)


def dcgan_discriminator_features(images, width, batch_norm_=True, spectral_norm=False):
    """Images -> a flat feature vector: two strided convs with LeakyReLU(0.2), batch norm
    on the second (none on D's input, as the paper says)."""
    x = maybe_spectral_norm(layers.Conv2D(2 * width, 4, strides=2, padding="same"),
                            spectral_norm)(images)
    x = layers.LeakyReLU(0.2)(x)
    x = maybe_spectral_norm(layers.Conv2D(4 * width, 4, strides=2, padding="same",
                                          use_bias=not batch_norm_), spectral_norm)(x)
    if batch_norm_:
        x = batch_norm()(x)
    return layers.Flatten()(layers.LeakyReLU(0.2)(x))


def patch_logits(images, width, spectral_norm=False, num_layers=2):
    """PatchGAN (Isola et al. 2017): a grid of logits, each judging one patch. `num_layers`
    stride-2 4x4 convs (the first without norm), one stride-1 4x4 conv, with instance norm
    and LeakyReLU(0.2), then a 4x4 conv to one channel. Each logit sees a square of
    16, 34 or 70 pixels for num_layers 1, 2 or 3."""
    check_halvings(images.shape[1:], num_layers, "d_layers")
    x = maybe_spectral_norm(layers.Conv2D(width, 4, strides=2, padding="same"),
                            spectral_norm)(images)
    x = layers.LeakyReLU(0.2)(x)
    strides = [2] * (num_layers - 1) + [1]
    for i, stride in enumerate(strides, start=1):
        # no bias: the instance norm after it subtracts the mean
        x = maybe_spectral_norm(layers.Conv2D(width * 2 ** i, 4, strides=stride, padding="same",
                                              use_bias=False), spectral_norm)(x)
        x = layers.LeakyReLU(0.2)(instance_norm()(x))
    return maybe_spectral_norm(layers.Conv2D(1, 4, padding="same"), spectral_norm)(x)
