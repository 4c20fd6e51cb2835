"""Conditional GAN: Mirza & Osindero 2014, "Conditional Generative Adversarial
Nets" (arXiv:1411.1784).

Both networks see the class label y: G(z, y) and D(x, y) play the GAN game
conditioned on y (eq. 2). G joins a learned label embedding to z; D is a
projection discriminator (Miyato & Koyama 2018): logit = w.h(x) + <embed(y), h(x)>.
Differs from the paper: DCGAN's convolutional networks instead of the paper's
MLPs with maxout (they learn digits far faster on a CPU), and the
non-saturating G loss.

Args:
  latent_dim: length of the noise vector z.
  num_classes: how many labels; the trainer takes it from the data.
  width: channels of G's last and D's first hidden layer, as in DCGAN.
  image_shape: (height, width, channels) of the images; sides even and at least 8.
  spectral_norm: spectral normalization (Miyato et al. 2018) of D's convolutions and dense layers.
"""
import keras
from keras import layers

from tfgan_zoo import networks, ranges
from tfgan_zoo.noise_to_image import NoiseToImageGAN
from tfgan_zoo.ranges import Whole
from tfgan_zoo.registry import register


def build_generator(latent_dim, num_classes, width, image_shape):
    z = keras.Input((latent_dim,), name="z")
    label = keras.Input((), dtype="int32", name="label")
    x = layers.Concatenate()([z, layers.Embedding(num_classes, latent_dim)(label)])
    return keras.Model([z, label], networks.dcgan_generator(x, width, image_shape),
                       name="generator")


def build_discriminator(num_classes, width, image_shape, spectral_norm=False):
    def maybe_sn(layer):
        return networks.maybe_spectral_norm(layer, spectral_norm)

    images = keras.Input(image_shape, name="images")
    label = keras.Input((), dtype="int32", name="label")
    features = networks.dcgan_discriminator_features(images, width, True, spectral_norm)
    embedding = layers.Embedding(num_classes, features.shape[-1])(label)
    projection = layers.Dot(axes=1)([embedding, features])
    logits = layers.Add()([maybe_sn(layers.Dense(1))(features), projection])
    return keras.Model([images, label], logits, name="discriminator")


@register("cgan")
class CGAN(NoiseToImageGAN):
    __doc__ = __doc__
    paper = "Mirza & Osindero 2014, arXiv:1411.1784"
    data_kind = "labelled"
    data_hparams = ("image_shape", "num_classes")

    def __init__(self, latent_dim: Whole(1, 4096) = 100, num_classes: Whole(1) = 10,
                 width: Whole(1, 1024) = 64, image_shape: ranges.IMAGE_SHAPE = (28, 28, 1),
                 spectral_norm: ranges.Flag() = False, generator=None, discriminator=None,
                 **kwargs):
        image_shape = tuple(image_shape)
        super().__init__(
            generator=generator or build_generator(latent_dim, num_classes, width, image_shape),
            discriminator=discriminator or build_discriminator(num_classes, width, image_shape,
                                                               spectral_norm),
            **kwargs)
        self.num_classes, self.width, self.spectral_norm = num_classes, width, spectral_norm
