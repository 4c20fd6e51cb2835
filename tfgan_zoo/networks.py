"""Network blocks shared by the zoo's models.

Batch norm is synchronized: under tf.distribute its batch statistics are the
global batch's, so N replicas train exactly as one device would. Discriminator
blocks take `spectral_norm` (Miyato et al. 2018), which wraps each weight layer
in keras.layers.SpectralNormalization.
"""
from keras import layers

from tfgan_zoo.errors import InputError


def batch_norm():
    return layers.BatchNormalization(synchronized=True)


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
