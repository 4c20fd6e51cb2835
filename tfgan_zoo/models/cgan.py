"""Conditional GAN: Mirza & Osindero 2014, "Conditional Generative Adversarial
Nets" (arXiv:1411.1784).

Both networks see the class label y: G(z, y) and D(x, y) play the GAN game
conditioned on y (eq. 2). G joins a learned label embedding to z; D is a
projection discriminator (Miyato & Koyama 2018): logit = w.h(x) + <embed(y), h(x)>.
By default DCGAN's convolutional networks (they learn digits far faster on a CPU than
the paper's MLPs); `network="mlp"` builds the paper's (sec. 4.1): G z -> 200 and y -> 1000
(ReLU), joined -> 1200 (ReLU) -> the image; D x -> maxout 240 x 5 pieces, y -> maxout
50 x 5, joined -> maxout 240 x 4 -> one logit (2,413,984 / 1,224,351 parameters on
28x28 digits; `width` is then unused).
Differs from the paper: tanh output for images in [-1, 1] (the paper: sigmoid in [0, 1]),
no dropout in D, and the non-saturating G loss.

Args:
  latent_dim: length of the noise vector z.
  num_classes: how many labels; the trainer takes it from the data.
  width: channels of G's last and D's first hidden layer, as in DCGAN.
  image_shape: (height, width, channels) of the images; sides even and at least 8.
  spectral_norm: spectral normalization (Miyato et al. 2018) of D's convolutions and dense layers.
  network: dcgan (convolutional; a projection discriminator) or mlp (the paper's).
"""
import math

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


def build_mlp_generator(latent_dim, num_classes, image_shape):
    z = keras.Input((latent_dim,), name="z")
    label = keras.Input((), dtype="int32", name="label")
    one_hot = layers.CategoryEncoding(num_classes, output_mode="one_hot")(label)
    x = layers.Concatenate()([layers.Dense(200, activation="relu")(z),
                              layers.Dense(1000, activation="relu")(one_hot)])
    x = layers.Dense(1200, activation="relu")(x)
    x = layers.Dense(math.prod(image_shape), activation="tanh")(x)
    return keras.Model([z, label], layers.Reshape(image_shape)(x), name="generator")


def build_mlp_discriminator(num_classes, image_shape, spectral_norm=False):
    images = keras.Input(image_shape, name="images")
    label = keras.Input((), dtype="int32", name="label")
    one_hot = layers.CategoryEncoding(num_classes, output_mode="one_hot")(label)
    x = layers.Concatenate()([
        networks.maxout(layers.Flatten()(images), 240, 5, spectral_norm),
        networks.maxout(one_hot, 50, 5, spectral_norm)])
    x = networks.maxout(x, 240, 4, spectral_norm)
    logits = networks.maybe_spectral_norm(layers.Dense(1), spectral_norm)(x)
    return keras.Model([images, label], logits, name="discriminator")


@register("cgan")
class CGAN(NoiseToImageGAN):
    __doc__ = __doc__
    paper = "Mirza & Osindero 2014, arXiv:1411.1784"
    data_kind = "labelled"
    data_hparams = ("image_shape", "num_classes")

    def __init__(self, latent_dim: Whole(1, 4096) = 100, num_classes: Whole(1) = 10,
                 width: Whole(1, 1024) = 64, image_shape: ranges.IMAGE_SHAPE = (28, 28, 1),
                 spectral_norm: ranges.Flag() = False,
                 network: ranges.OneOf("dcgan", "mlp") = "dcgan", generator=None,
                 discriminator=None, **kwargs):
        image_shape = tuple(image_shape)
        if network == "mlp":
            generator = generator or build_mlp_generator(latent_dim, num_classes, image_shape)
            discriminator = discriminator or build_mlp_discriminator(num_classes, image_shape,
                                                                     spectral_norm)
        super().__init__(
            generator=generator or build_generator(latent_dim, num_classes, width, image_shape),
            discriminator=discriminator or build_discriminator(num_classes, width, image_shape,
                                                               spectral_norm),
            **kwargs)
        self.num_classes, self.width, self.spectral_norm = num_classes, width, spectral_norm
        self.network = network
