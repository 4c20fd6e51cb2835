"""DCGAN: Radford, Metz & Chintala 2016, "Unsupervised Representation Learning with
Deep Convolutional Generative Adversarial Networks" (arXiv:1511.06434).

The paper's guidelines: strided (transposed) convolutions instead of pooling,
batch norm in both networks except G's output and D's input, ReLU in G with tanh
at the output, LeakyReLU(0.2) in D, Adam(2e-4, beta_1=0.5).
Default width 32 is sized for a CPU: G 7x7x128 -> 7x7x64 -> 14x14x32 -> 28x28x1,
D 14x14x64 -> 7x7x128 -> 1. width=64 is the common (GPU-sized) MNIST DCGAN.
"""
import keras
from keras import layers

from tfgan_zoo.gan import GAN
from tfgan_zoo.registry import register


def generator_body(x, width, image_shape):
    """A vector -> images [h, w, c] in [-1, 1]: dense, then strided transposed convs."""
    height, _, channels = image_shape
    base = height // 4
    x = layers.Dense(base * base * 4 * width, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((base, base, 4 * width))(x)
    for filters, strides in ((2 * width, 1), (width, 2)):
        x = layers.Conv2DTranspose(filters, 4, strides, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    return layers.Conv2DTranspose(channels, 4, 2, padding="same", activation="tanh")(x)


def discriminator_features(images, width, batch_norm=True):
    """Images -> a flat feature vector: strided convs with LeakyReLU(0.2)."""
    x = layers.Conv2D(2 * width, 4, strides=2, padding="same")(images)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(4 * width, 4, strides=2, padding="same", use_bias=not batch_norm)(x)
    if batch_norm:
        x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    return layers.Flatten()(x)


def build_generator(latent_dim, width, image_shape):
    z = keras.Input((latent_dim,), name="z")
    return keras.Model(z, generator_body(z, width, image_shape), name="generator")


def build_discriminator(width, image_shape, batch_norm=True):
    images = keras.Input(image_shape, name="images")
    logits = layers.Dense(1)(discriminator_features(images, width, batch_norm))
    return keras.Model(images, logits, name="discriminator")


@register("dcgan")
class DCGAN(GAN):
    __doc__ = __doc__
    hparam_names = ("latent_dim", "width", "image_shape")
    paper = "Radford et al. 2016, arXiv:1511.06434"
    discriminator_batch_norm = True

    def __init__(self, latent_dim=100, width=32, image_shape=(28, 28, 1), generator=None,
                 discriminator=None, **kwargs):
        image_shape = tuple(image_shape)
        super().__init__(
            generator=generator or build_generator(latent_dim, width, image_shape),
            discriminator=discriminator or build_discriminator(
                width, image_shape, self.discriminator_batch_norm),
            **kwargs)
        self.width = width
