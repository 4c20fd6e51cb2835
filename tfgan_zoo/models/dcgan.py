"""DCGAN: Radford, Metz & Chintala 2016, "Unsupervised Representation Learning with
Deep Convolutional Generative Adversarial Networks" (arXiv:1511.06434).

The paper's guidelines: strided (transposed) convolutions instead of pooling,
batch norm in both networks except G's output and D's input, ReLU in G with tanh
at the output, LeakyReLU(0.2) in D, Adam(2e-4, beta_1=0.5). The networks follow the
image size (networks.dcgan_generator): G doubles a 4x4 map up to 64x64 (fig. 1:
4x4x8w -> 8x8x4w -> 16x16x2w -> 32x32xw -> 64x64x3; w = 128 is the paper's 1024
channels, w = 64 pytorch/examples' DCGAN, 3,576,704 / 2,765,568 parameters), and a
7x7 map up to 28x28 digits (7x7x2w -> 14x14xw -> 28x28x1); D mirrors G.

Args:
  latent_dim: length of the noise vector z.
  width: channels of G's last and D's first hidden layer; they double towards the smallest map.
  image_shape: (height, width, channels) of the images; sides even and at least 8.
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
    logits = networks.maybe_spectral_norm(keras.layers.Dense(1, use_bias=not batch_norm), spectral_norm)(features)
    return keras.Model(images, logits, name="discriminator")


@register("dcgan")
class DCGAN(NoiseToImageGAN):
    __doc__ = __doc__
    paper = "Radford et al. 2016, arXiv:1511.06434"
    discriminator_batch_norm = True

    def __init__(self, latent_dim: Whole(1, 4096) = 100, width: Whole(1, 1024) = 64,
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
