"""DCGAN: Radford, Metz & Chintala 2016, "Unsupervised Representation Learning with
Deep Convolutional Generative Adversarial Networks" (arXiv:1511.06434).

The paper's guidelines: strided (transposed) convolutions instead of pooling,
batch norm in both networks except G's output and D's input, ReLU in G with tanh
at the output, LeakyReLU(0.2) in D, Adam(2e-4, beta_1=0.5). Width 32 is sized for
a CPU: G 7x7x128 -> 7x7x64 -> 14x14x32 -> 28x28x1, D 14x14x64 -> 7x7x128 -> 1 on
28x28 digits; width=64 is the common (GPU-sized) MNIST DCGAN.

Args:
  latent_dim: length of the noise vector z.
  width: channels of G's last and D's first hidden layer; the others are 2x and 4x.
  image_shape: (height, width, channels) of the images; height and width multiples of 4.
  spectral_norm: spectral normalization (Miyato et al. 2018) of every weight layer of D.
"""
import keras

from tfgan_zoo import networks, ranges
from tfgan_zoo.noise_to_image import NoiseToImageGAN
from tfgan_zoo.ranges import Whole
from tfgan_zoo.registry import register


def build_generator(latent_dim, width, image_shape):
    z = keras.Input((latent_dim,), name="z")
    return keras.Model(z, networks.dcgan_generator(z, width, image_shape), name="generator")


def build_discriminator(width, image_shape, batch_norm=True, spectral_norm=False):
    images = keras.Input(image_shape, name="images")
    features = networks.dcgan_discriminator_features(images, width, batch_norm, spectral_norm)
    logits = networks.maybe_spectral_norm(keras.layers.Dense(1), spectral_norm)(features)
    return keras.Model(images, logits, name="discriminator")


@register("dcgan")
class DCGAN(NoiseToImageGAN):
    __doc__ = __doc__
    paper = "Radford et al. 2016, arXiv:1511.06434"
    discriminator_batch_norm = True

    def __init__(self, latent_dim: Whole(1, 4096) = 100, width: Whole(1, 1024) = 32,
                 image_shape: ranges.IMAGE_SHAPE = (28, 28, 1),
                 spectral_norm: ranges.Flag() = False, generator=None, discriminator=None,
                 **kwargs):
        image_shape = tuple(image_shape)
        super().__init__(
            generator=generator or build_generator(latent_dim, width, image_shape),
            discriminator=discriminator or build_discriminator(
                width, image_shape, self.discriminator_batch_norm, spectral_norm),
            **kwargs)
        self.width, self.spectral_norm = width, spectral_norm
