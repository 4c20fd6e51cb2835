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


def build_generator(latent_dim, width, image_shape):
    height, _, channels = image_shape
    base = height // 4
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(base * base * 4 * width, use_bias=False)(z)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((base, base, 4 * width))(x)
    for filters, strides in ((2 * width, 1), (width, 2)):
        x = layers.Conv2DTranspose(filters, 4, strides, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    images = layers.Conv2DTranspose(channels, 4, 2, padding="same", activation="tanh")(x)
    return keras.Model(z, images, name="generator")


def build_discriminator(width, image_shape):
    images = keras.Input(image_shape, name="images")
    x = layers.Conv2D(2 * width, 4, strides=2, padding="same")(images)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(4 * width, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    logits = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(images, logits, name="discriminator")


@register("dcgan")
class DCGAN(GAN):
    __doc__ = __doc__
    paper = "Radford et al. 2016, arXiv:1511.06434"

    def __init__(self, latent_dim=100, width=32, image_shape=(28, 28, 1), generator=None,
                 discriminator=None, **kwargs):
        image_shape = tuple(image_shape)
        super().__init__(
            generator=generator or build_generator(latent_dim, width, image_shape),
            discriminator=discriminator or build_discriminator(width, image_shape),
            **kwargs)
        self.width = width

    def get_config(self):
        return {**super().get_config(), "latent_dim": self.latent_dim, "width": self.width,
                "image_shape": self.image_shape}
