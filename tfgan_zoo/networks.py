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


def instance_norm(affine=True):
    """Instance norm: one group per channel. The CycleGAN and pix2pix reference code
    (junyanz/pytorch-CycleGAN-and-pix2pix) uses it without affine parameters."""
    return layers.GroupNormalization(groups=-1, center=affine, scale=affine)


@keras.saving.register_keras_serializable("tfgan_zoo")
class ReflectionPadding2D(layers.Layer):
    """Pads height and width by `padding` pixels on each side, mirroring the image
    (CycleGAN's generator: no zero border for the convolutions to learn around)."""

    def __init__(self, padding, **kwargs):
        super().__init__(**kwargs)
        self.padding = padding

    def call(self, x):
        p = self.padding
        return tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], mode="REFLECT")

    def compute_output_shape(self, input_shape):
        grow = [None if side is None else side + 2 * self.padding for side in input_shape[1:3]]
        return (input_shape[0], *grow, input_shape[3])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}


def maybe_spectral_norm(layer, spectral_norm):
    return layers.SpectralNormalization(layer) if spectral_norm else layer


@keras.saving.register_keras_serializable("tfgan_zoo")
class PadToMultiple(layers.Layer):
    """Zero-pads height and width up to the next multiples of `multiple`, centred (a U-Net
    takes images of any size that way); `CropLike` takes the border back off."""

    def __init__(self, multiple, **kwargs):
        super().__init__(**kwargs)
        self.multiple = multiple

    def call(self, x):
        extra = -tf.shape(x)[1:3] % self.multiple
        before = extra // 2
        return tf.pad(x, [[0, 0], [before[0], extra[0] - before[0]],
                          [before[1], extra[1] - before[1]], [0, 0]])

    def compute_output_shape(self, input_shape):
        grow = [None if side is None else -(-side // self.multiple) * self.multiple
                for side in input_shape[1:3]]
        return (input_shape[0], *grow, input_shape[3])

    def get_config(self):
        return {**super().get_config(), "multiple": self.multiple}


@keras.saving.register_keras_serializable("tfgan_zoo")
class CropLike(layers.Layer):
    """[x, reference] -> the centre of x with the reference's height and width."""

    def call(self, inputs):
        x, reference = inputs
        size = tf.shape(reference)[1:3]
        start = (tf.shape(x)[1:3] - size) // 2
        return x[:, start[0]:start[0] + size[0], start[1]:start[1] + size[1]]

    def compute_output_shape(self, input_shapes):
        x, reference = input_shapes
        return (x[0], *reference[1:3], x[3])


def check_divisible(image_shape, factor, model, least=None):
    """Raises InputError unless height and width are multiples of `factor` (and at least
    `least`, default `factor`)."""
    height, width = image_shape[:2]
    least = least or factor
    if height % factor or width % factor or min(height, width) < least:
        near = tuple(max(least, round(s / factor) * factor) for s in (height, width))
        smallest = f" and at least {least}" if least > factor else ""
        raise InputError(f"{model} halves the image size {factor.bit_length() - 1} times, so "
                         f"height and width must be multiples of {factor}{smallest}, but the "
                         f"images are {height}x{width}: resize them (config: image_size, "
                         f"e.g. --config.image_size='{near}')")


def check_halvings(image_shape, halvings, setting):
    """Raises InputError if `halvings` stride-2 layers halve the smaller side on past 1 pixel
    (a halving rounds up, so ceil(log2(side)) of them reach 1)."""
    height, width = image_shape[:2]
    most = (min(height, width) - 1).bit_length()
    if halvings > most:
        raise InputError(f"{setting}={halvings} halves {height}x{width} images {halvings} times, "
                         f"but {most} already take them to one pixel: use at most {most}, or larger "
                         "images (config: image_size)")


def doublings(image_shape, smallest=4):
    """(start, n): the DCGAN generator's first map (h0, w0) and how many doublings take it
    to the image size, from the smallest start of at least `smallest` pixels a side
    (4x4 for 64x64, 7x7 for 28x28, 15x15 for 30x30). Raises InputError for sizes that
    cannot be doubled to even once (odd sides, or sides under 2 * smallest)."""
    height, width = image_shape[:2]
    n = 0
    while all(side % 2 ** (n + 1) == 0 and side // 2 ** (n + 1) >= smallest
              for side in (height, width)):
        n += 1
    if n == 0:
        near = tuple(max(2 * smallest, round(side / 4) * 4) for side in (height, width))
        raise InputError(f"the DCGAN networks double a map of at least {smallest}x{smallest} "
                         f"up to the image size, so height and width must be even and at least "
                         f"{2 * smallest}, but the images are {height}x{width}: resize them "
                         f"(config: image_size, e.g. --config.image_size='{near}')")
    return (height // 2**n, width // 2**n), n


def dcgan_generator(x, width, image_shape):
    """A vector -> images [h, w, c] in [-1, 1] (Radford et al. 2016, fig. 1): a dense
    layer to the smallest map of `doublings`, then stride-2 4x4 transposed convs, each
    doubling the size and halving the channels down to `width` before the output (so
    width * 2**(n-1) channels at the start: 8 * width at 4x4 for 64x64 images). Batch
    norm and ReLU, tanh at the output, no biases, as pytorch/examples' DCGAN."""
    (h0, w0), n = doublings(image_shape)
    channels = width * 2 ** (n - 1)
    x = layers.Dense(h0 * w0 * channels, use_bias=False)(x)
    x = layers.ReLU()(batch_norm()(layers.Reshape((h0, w0, channels))(x)))
    for k in range(1, n):
        x = layers.Conv2DTranspose(channels // 2**k, 4, 2, padding="same", use_bias=False)(x)
        x = layers.ReLU()(batch_norm()(x))
    return layers.Conv2DTranspose(image_shape[-1], 4, 2, padding="same", use_bias=False,
                                  activation="tanh")(x)


def dcgan_discriminator_features(images, width, batch_norm_=True, spectral_norm=False):
    """Images -> a flat feature vector: G's mirror image, stride-2 4x4 convs from `width`
    channels, doubling them as they halve the size down to G's smallest map; LeakyReLU(0.2),
    batch norm on all but the first (none on D's input, as the paper says). With batch
    norm no biases (pytorch/examples'); without, every conv has one."""
    _, n = doublings(images.shape[1:])
    x = images
    for k in range(n):
        x = maybe_spectral_norm(layers.Conv2D(width * 2**k, 4, strides=2, padding="same",
                                              use_bias=not batch_norm_), spectral_norm)(x)
        if batch_norm_ and k > 0:
            x = batch_norm()(x)
        x = layers.LeakyReLU(0.2)(x)
    return layers.Flatten()(x)


def patch_logits(images, width, spectral_norm=False, num_layers=2, norm="instance"):
    """PatchGAN (Isola et al. 2017): a grid of logits, each judging one patch. `num_layers`
    stride-2 4x4 convs (the first without norm), one stride-1 4x4 conv, each normalised
    and LeakyReLU(0.2), then a 4x4 conv to one channel. Each logit sees a square of
    16, 34 or 70 pixels for num_layers 1, 2 or 3. As the reference code: `norm="instance"`
    (CycleGAN's) without affine parameters and with conv biases, `norm="batch"`
    (pix2pix's) without conv biases before it."""
    check_halvings(images.shape[1:], num_layers, "d_layers")
    normalise = {"instance": lambda: instance_norm(affine=False), "batch": batch_norm}[norm]
    x = maybe_spectral_norm(layers.Conv2D(width, 4, strides=2, padding="same"),
                            spectral_norm)(images)
    x = layers.LeakyReLU(0.2)(x)
    strides = [2] * (num_layers - 1) + [1]
    for i, stride in enumerate(strides, start=1):
        x = maybe_spectral_norm(layers.Conv2D(width * min(2**i, 8), 4, strides=stride,
                                              padding="same", use_bias=norm == "instance"),
                                spectral_norm)(x)
        x = layers.LeakyReLU(0.2)(normalise()(x))
    return maybe_spectral_norm(layers.Conv2D(1, 4, padding="same"), spectral_norm)(x)


# --- maxout MLPs (Goodfellow et al. 2013), the 2014 GAN papers' discriminators ------------

@keras.saving.register_keras_serializable("tfgan_zoo")
class MaxOverPieces(layers.Layer):
    """[batch, units * pieces] -> [batch, units]: the largest of each unit's pieces."""

    def __init__(self, pieces, **kwargs):
        super().__init__(**kwargs)
        self.pieces = pieces

    def call(self, x):
        units = x.shape[-1] // self.pieces
        return tf.reduce_max(tf.reshape(x, [-1, units, self.pieces]), axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1] // self.pieces)

    def get_config(self):
        return {**super().get_config(), "pieces": self.pieces}


def maxout(x, units, pieces, spectral_norm=False):
    """A maxout layer: `units` outputs, each the max of `pieces` linear ones."""
    x = maybe_spectral_norm(layers.Dense(units * pieces), spectral_norm)(x)
    return MaxOverPieces(pieces)(x)


# --- ResNet blocks (Gulrajani et al. 2017's CIFAR-10 networks, gan_cifar_resnet.py) -------

def up_block(x, filters):
    """BN-ReLU-upsample-conv3x3-BN-ReLU-conv3x3, plus upsample-conv1x1 of the input."""
    shortcut = layers.Conv2D(filters, 1)(layers.UpSampling2D()(x))
    y = layers.ReLU()(batch_norm()(x))
    y = layers.Conv2D(filters, 3, padding="same")(layers.UpSampling2D()(y))
    y = layers.Conv2D(filters, 3, padding="same")(layers.ReLU()(batch_norm()(y)))
    return layers.Add()([shortcut, y])


def critic_block(x, filters, down=True, first=False):
    """(ReLU-)conv3x3-ReLU-conv3x3(-mean pool), plus the input (pooled and 1x1-convolved
    where the shape changes); no normalisation (the penalty is per example). The first
    block has no ReLU before its first conv and pools before its shortcut's conv."""
    if first:
        shortcut = layers.Conv2D(filters, 1)(layers.AveragePooling2D(2)(x))
    elif down or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1)(x)
        shortcut = layers.AveragePooling2D(2)(shortcut) if down else shortcut
    else:
        shortcut = x
    y = x if first else layers.ReLU()(x)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    y = layers.Conv2D(filters, 3, padding="same")(layers.ReLU()(y))
    y = layers.AveragePooling2D(2)(y) if down else y
    return layers.Add()([shortcut, y])


def resnet_generator(z, width, image_shape):
    """z -> images: a dense layer to the smallest map of `doublings` (4x4 for 32x32), one
    up-sampling residual block per doubling, all `width` channels, then BN-ReLU, a 3x3 conv
    and tanh (128 channels: the reference's 1,204,483 parameters on 32x32x3)."""
    (h0, w0), n = doublings(image_shape)
    x = layers.Reshape((h0, w0, width))(layers.Dense(h0 * w0 * width)(z))
    for _ in range(n):
        x = up_block(x, width)
    x = layers.ReLU()(batch_norm()(x))
    return layers.Conv2D(image_shape[-1], 3, padding="same", activation="tanh")(x)


def resnet_critic_features(images, width):
    """Images -> [batch, width]: residual blocks down to a quarter of the size (two halvings
    on 32x32, one on images of one doubling), two more without resampling, ReLU and a
    global mean (with a dense layer to one score: the reference's 1,053,825 parameters)."""
    _, n = doublings(images.shape[1:])
    x = critic_block(images, width, first=True)
    for _ in range(max(0, min(n, 3) - 2)):
        x = critic_block(x, width)
    for _ in range(2):
        x = critic_block(x, width, down=False)
    return layers.GlobalAveragePooling2D()(layers.ReLU()(x))
