"""pix2pix: Isola, Zhu, Zhou & Efros 2017, "Image-to-Image Translation with
Conditional Adversarial Networks" (arXiv:1611.07004).

Paired translation: G maps an input image x to its target y, trained on (x, y) pairs with
  G* = arg min_G max_D L_cGAN(G, D) + lambda * L_L1(G)   (eq. 4, lambda = 100),
L_cGAN the sigmoid cross-entropy of a conditional D that sees (x, image) pairs (eq. 1;
G minimises -log D(x, G(x)), and D's objective is halved, sec. 3.3), L_L1 the mean
|y - G(x)| (eq. 3). Adam(2e-4, beta_1=0.5).
G: a U-Net (sec. 3.2.1): `depth` stride-2 4x4 convolutions down (batch norm but on the
first, LeakyReLU(0.2)), as many transposed ones up (batch norm, ReLU), each decoder block
joined to the encoder block of its size; dropout (0.5) in the first `dropout_blocks`
decoder blocks is G's noise (sec. 2.2). Its masks come from the step's draws (so replicas
and a resumed run agree); outside training, dropout is off (the paper keeps it on at test
time and notes it barely changes the output).
D: a PatchGAN (sec. 3.2.2) on the input and the image stacked on the channel axis; each
logit judges a square of 16, 34 or 70 pixels for d_layers 1, 2 or 3 (70x70 on 256x256
photos in the paper; 34x34, about a whole 28x28 digit, in the zoo's default).
The networks are the reference code's (unet_256 and the PatchGAN with batch norm:
54,413,955 and 2,768,705 parameters at 256x256). G takes any size: the input is
zero-padded to a multiple of 2**depth (28 -> 32) and the output cropped back.
Differs from the paper by default: batches of 64 (the paper: 1 to 10) with batch norm
synchronized across replicas.

Args:
  width: channels of G's first layer (the others double up to 8 * width) and of D's.
  depth: G's stride-2 layers; None: down to 1x1 (5 for 28x28, 8 for 256x256 as the paper).
  dropout: the rate of G's dropout; 0: off.
  dropout_blocks: the first decoder blocks that drop out (the paper: 3).
  image_shape: (height, width, channels) of the inputs.
  target_channels: channels of the targets (None: the inputs'), e.g. 3 to colourise.
  l1_weight: lambda, the weight of the L1 loss to the target.
  d_layers: stride-2 layers of the PatchGAN (see above).
  spectral_norm: spectral normalization (Miyato et al. 2018) of every weight layer of D.
"""
import math

import keras
import tensorflow as tf
from keras import layers

from tfgan_zoo import losses, networks, precision, ranges
from tfgan_zoo.image_to_image import ImageToImageGAN, mean_absolute_error
from tfgan_zoo.ranges import Whole
from tfgan_zoo.registry import register


@keras.saving.register_keras_serializable("tfgan_zoo")
class DrawnDropout(layers.Layer):
    """Dropout whose uniform draws are an input ([x, uniform] -> x): the training step
    draws them from its ReplicaNoise, where Keras's Dropout would use a seed of its own."""

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs, training=False):
        x, uniform = inputs
        if not training or not self.rate:
            return x
        keep = tf.cast(uniform >= self.rate, x.dtype)
        return x * keep / (1.0 - self.rate)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}


def full_depth(image_shape):
    """Halvings that take the larger side down to 1 pixel."""
    return max(1, math.ceil(math.log2(max(image_shape[:2]))))


def decoder_sizes(image_shape, depth):
    """(height, width) of each decoder block's output, innermost first, for images of
    `image_shape` padded to a multiple of 2**depth."""
    padded = [-(-side // 2**depth) * 2**depth for side in image_shape[:2]]
    return [tuple(side // 2 ** (depth - 1 - i) for side in padded) for i in range(depth - 1)]


def build_generator(width, depth, dropout, dropout_blocks, image_shape, target_channels):
    """The U-Net (the reference code's unet_256 at 256x256: 54,413,955 parameters); inputs:
    images of any size (padded to a multiple of 2**depth and cropped back), then one
    uniform draw per dropout block. No conv biases but the output's: batch norm follows
    each, except after the first and the innermost down-sampling (as the reference)."""
    filters = [width * min(2**i, 8) for i in range(depth)]
    images = keras.Input((None, None, image_shape[-1]), name="images")
    x = networks.PadToMultiple(2**depth)(images)
    skips = []
    for i, channels in enumerate(filters):
        x = layers.Conv2D(channels, 4, strides=2, padding="same", use_bias=False)(x)
        x = layers.LeakyReLU(0.2)(x if i in (0, depth - 1) else networks.batch_norm()(x))
        skips.append(x)
    draws = []
    for i, (channels, skip) in enumerate(zip(filters[-2::-1], skips[-2::-1])):
        x = layers.Conv2DTranspose(channels, 4, strides=2, padding="same", use_bias=False)(x)
        x = networks.batch_norm()(x)
        if dropout and i < dropout_blocks:
            uniform = keras.Input((None, None, channels), name=f"dropout_{i}")
            draws.append(uniform)
            x = DrawnDropout(dropout)([x, uniform])
        x = layers.Concatenate()([layers.ReLU()(x), skip])
    x = layers.Conv2DTranspose(target_channels, 4, strides=2, padding="same",
                               activation="tanh")(x)
    return keras.Model([images, *draws], networks.CropLike()([x, images]), name="unet")


def build_discriminator(width, image_shape, target_channels, d_layers, spectral_norm):
    """PatchGAN logits for (image, input): the image judged as the input's translation;
    batch norm, as the reference's pix2pix."""
    images = keras.Input((*image_shape[:2], target_channels), name="images")
    condition = keras.Input(image_shape, name="inputs")
    both = layers.Concatenate()([condition, images])
    return keras.Model([images, condition],
                       networks.patch_logits(both, width, spectral_norm, d_layers, norm="batch"),
                       name="patch_gan")


@register("pix2pix")
class Pix2Pix(ImageToImageGAN):
    __doc__ = __doc__
    paper = "Isola et al. 2017, arXiv:1611.07004"
    data_hparams = ("image_shape", "target_channels")
    loss_names = ("l1_loss",)

    def __init__(self, width: Whole(1, 1024) = 64,
                 depth: ranges.Optional(Whole(1, 12), "down to 1x1") = None,
                 dropout: ranges.fraction() = 0.5, dropout_blocks: Whole(0, 12) = 3,
                 image_shape: ranges.IMAGE_SHAPE = (28, 28, 1),
                 target_channels: ranges.Optional(Whole(1, 4), "the inputs'") = None,
                 l1_weight: ranges.weight() = 100.0, d_layers: Whole(1, 12) = 3,
                 loss="non_saturating", spectral_norm: ranges.Flag() = False, generator=None,
                 discriminator=None, **kwargs):
        image_shape = tuple(image_shape)
        target_channels = target_channels or image_shape[-1]
        if depth is not None:
            networks.check_halvings(image_shape, depth, "depth")
        depth = depth or full_depth(image_shape)
        super().__init__(
            generator=generator or build_generator(width, depth, dropout, dropout_blocks,
                                                   image_shape, target_channels),
            discriminator=discriminator or build_discriminator(
                width, image_shape, target_channels, d_layers, spectral_norm),
            loss=loss, **kwargs)
        self.width, self.depth, self.dropout = width, depth, dropout
        self.dropout_blocks, self.target_channels = dropout_blocks, target_channels
        self.l1_weight, self.d_layers, self.spectral_norm = l1_weight, d_layers, spectral_norm
        self._image_shape = image_shape
        self.dropout_shapes = [(*size, channels) for size, channels in zip(
            decoder_sizes(image_shape, depth), [i.shape[-1] for i in self.generator.inputs[1:]])]

    def translate(self, images, direction="a_to_b", training=True, noise=None):
        """G(images); while training, the dropout masks are drawn from `noise`."""
        network = self.generator if training else self.sampling_network()
        draws = [noise.uniform(shape) if training and noise is not None
                 else tf.ones([tf.shape(images)[0], 1, 1, shape[-1]])  # dropout is off
                 for shape in self.dropout_shapes]
        return precision.float32(network([images, *draws], training=training))

    def call(self, inputs, training=False):
        return self.translate(inputs, training=False)

    def discriminator_losses(self, inputs, targets, noise):
        fake = tf.stop_gradient(self.translate(inputs, noise=noise))
        real_logits, penalties = self.discriminate_real(targets, noise, condition=inputs)
        fake_logits = self.discriminate(fake, noise, condition=inputs)
        # sec. 3.3: "we divide the objective by 2 while optimizing D"
        terms = {"adversarial": 0.5 * self.adversarial.discriminator(real_logits, fake_logits),
                 **penalties}
        return terms, {"d_real": losses.per_example(real_logits),
                       "d_fake": losses.per_example(fake_logits)}

    def generator_losses(self, inputs, targets, noise):
        fake = self.translate(inputs, noise=noise)
        adversarial = self.adversarial.generator(self.discriminate(fake, noise, condition=inputs))
        return {"adversarial": adversarial,
                "l1_loss": self.l1_weight * mean_absolute_error(fake, targets)}, {}
