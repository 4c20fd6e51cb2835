"""The original GAN: Goodfellow et al. 2014, "Generative Adversarial Nets"
(arXiv:1406.2661).

Multilayer perceptrons on flattened images. `loss="minimax"` trains G on the
paper's value function, min_G log(1 - D(G(z))) (eq. 1); the default
`loss="non_saturating"` is the paper's practical choice, max_G log D(G(z))
(sec. 3), which does not stall while D rejects every sample.
By default ReLU/tanh G and LeakyReLU D; `network="maxout"` builds the paper's MNIST
networks (the authors' adversarial/mnist.yaml): G z -> hidden -> hidden (ReLU) -> the
image, D two maxout layers of hidden / 5 units of 5 pieces -> one logit (hidden = 1200:
2,503,984 / 1,231,441 parameters on 28x28 digits).
Differs from the paper: tanh output for images in [-1, 1] (the paper: sigmoid), no
dropout in D (its masks would come from a random stream outside the step's seeded,
replica-independent noise), and Adam(2e-4, beta_1=0.5) instead of SGD with momentum.

Args:
  latent_dim: length of the noise vector z.
  hidden: units of G's first and D's last hidden layer; the other has 2x.
  image_shape: (height, width, channels) of the images.
  spectral_norm: spectral normalization (Miyato et al. 2018) of every weight layer of D.
  network: mlp (G hidden -> 2 * hidden, D 2 * hidden -> hidden, LeakyReLU) or maxout (the paper's).
"""
import math

import keras
from keras import layers

from tfgan_zoo import networks, ranges
from tfgan_zoo.noise_to_image import NoiseToImageGAN
from tfgan_zoo.ranges import Whole
from tfgan_zoo.registry import register


def build_generator(latent_dim, hidden, image_shape):
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(hidden, activation="relu")(z)
    x = layers.Dense(2 * hidden, activation="relu")(x)
    x = layers.Dense(math.prod(image_shape), activation="tanh")(x)
    return keras.Model(z, layers.Reshape(image_shape)(x), name="generator")


def build_discriminator(hidden, image_shape, spectral_norm=False):
    images = keras.Input(image_shape, name="images")
    x = layers.Flatten()(images)
    for units in (2 * hidden, hidden):
        x = layers.LeakyReLU(0.2)(
            networks.maybe_spectral_norm(layers.Dense(units), spectral_norm)(x))
    logits = networks.maybe_spectral_norm(layers.Dense(1), spectral_norm)(x)
    return keras.Model(images, logits, name="discriminator")


def build_maxout_generator(latent_dim, hidden, image_shape):
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(hidden, activation="relu")(z)
    x = layers.Dense(hidden, activation="relu")(x)
    x = layers.Dense(math.prod(image_shape), activation="tanh")(x)
    return keras.Model(z, layers.Reshape(image_shape)(x), name="generator")


def build_maxout_discriminator(hidden, image_shape, spectral_norm=False):
    images = keras.Input(image_shape, name="images")
    x = layers.Flatten()(images)
    for _ in range(2):
        x = networks.maxout(x, max(1, hidden // 5), 5, spectral_norm)
    logits = networks.maybe_spectral_norm(layers.Dense(1), spectral_norm)(x)
    return keras.Model(images, logits, name="discriminator")


@register("vanilla")
class VanillaGAN(NoiseToImageGAN):
    __doc__ = __doc__
    paper = "Goodfellow et al. 2014, arXiv:1406.2661"

    def __init__(self, latent_dim: Whole(1, 4096) = 64, hidden: Whole(1, 16384) = 256,
                 image_shape: ranges.IMAGE_SHAPE = (28, 28, 1),
                 spectral_norm: ranges.Flag() = False,
                 network: ranges.OneOf("mlp", "maxout") = "mlp", generator=None,
                 discriminator=None, **kwargs):
        image_shape = tuple(image_shape)
        if network == "maxout":
            generator = generator or build_maxout_generator(latent_dim, hidden, image_shape)
            discriminator = discriminator or build_maxout_discriminator(hidden, image_shape,
                                                                        spectral_norm)
        super().__init__(
            generator=generator or build_generator(latent_dim, hidden, image_shape),
            discriminator=discriminator or build_discriminator(hidden, image_shape, spectral_norm),
            **kwargs)
        self.hidden, self.spectral_norm, self.network = hidden, spectral_norm, network
