"""CycleGAN: Zhu, Park, Isola & Efros 2017, "Unpaired Image-to-Image Translation
using Cycle-Consistent Adversarial Networks" (arXiv:1703.10593).

Two generators, G: A -> B (`generator`) and F: B -> A (`generator_ba`), and two
PatchGAN discriminators, D_B (`discriminator`) and D_A (`discriminator_a`),
trained on unpaired (a, b) batches with
  the least-squares adversarial loss (sec. 4),
  the cycle loss lambda * (|F(G(a)) - a|_1 + |G(F(b)) - b|_1) (eq. 2, lambda = 10),
  the identity loss 0.5 * lambda * (|G(b) - b|_1 + |F(a) - a|_1) (sec. 5.2),
ResNet generators with instance normalisation, Adam(2e-4, beta_1=0.5).

Differs from the paper: sized for 28x28 images (two down/up-samplings, 3 residual
blocks, a PatchGAN with a 7x7 grid of logits), zero instead of reflection
padding, and no history buffer of generated images for D.
"""
import keras
import numpy as np
import tensorflow as tf
from keras import layers

from tfgan_zoo import losses
from tfgan_zoo.errors import InputError
from tfgan_zoo.gan import GAN, check_images, images_output, split_pair
from tfgan_zoo.registry import register


def instance_norm():
    return layers.GroupNormalization(groups=-1)  # one group per channel


def build_generator(width, num_blocks, image_shape, name):
    images = keras.Input(image_shape, name="images")
    x = layers.Conv2D(width, 7, padding="same")(images)
    x = layers.ReLU()(instance_norm()(x))
    for filters in (2 * width, 4 * width):
        x = layers.Conv2D(filters, 3, strides=2, padding="same")(x)
        x = layers.ReLU()(instance_norm()(x))
    for _ in range(num_blocks):
        y = layers.Conv2D(4 * width, 3, padding="same")(x)
        y = layers.ReLU()(instance_norm()(y))
        y = instance_norm()(layers.Conv2D(4 * width, 3, padding="same")(y))
        x = layers.Add()([x, y])
    for filters in (2 * width, width):
        x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same")(x)
        x = layers.ReLU()(instance_norm()(x))
    out = layers.Conv2D(image_shape[-1], 7, padding="same", activation="tanh")(x)
    return keras.Model(images, out, name=name)


def build_discriminator(width, image_shape, name):
    images = keras.Input(image_shape, name="images")
    x = layers.LeakyReLU(0.2)(layers.Conv2D(width, 4, strides=2, padding="same")(images))
    for filters, strides in ((2 * width, 2), (4 * width, 1)):
        x = layers.Conv2D(filters, 4, strides=strides, padding="same")(x)
        x = layers.LeakyReLU(0.2)(instance_norm()(x))
    return keras.Model(images, layers.Conv2D(1, 4, padding="same")(x), name=name)


def mean_absolute_error(x, y):
    return losses.per_example(tf.abs(x - y))


@register("cyclegan")
class CycleGAN(GAN):
    __doc__ = __doc__
    paper = "Zhu et al. 2017, arXiv:1703.10593"
    default_loss = "least_squares"
    network_names = ("generator", "generator_ba", "discriminator", "discriminator_a")
    hparam_names = ("width", "num_blocks", "image_shape", "cycle_weight", "identity_weight")
    log_names = ("d_real", "d_fake", "cycle_loss", "identity_loss")
    unpaired = True

    def __init__(self, width=16, num_blocks=3, image_shape=(28, 28, 1), cycle_weight=10.0,
                 identity_weight=5.0, generator=None, generator_ba=None, discriminator=None,
                 discriminator_a=None, **kwargs):
        image_shape = tuple(image_shape)
        super().__init__(
            generator=generator or build_generator(width, num_blocks, image_shape, "g_ab"),
            discriminator=discriminator or build_discriminator(width, image_shape, "d_b"),
            **kwargs)
        self.generator_ba = generator_ba or build_generator(width, num_blocks, image_shape, "g_ba")
        self.discriminator_a = discriminator_a or build_discriminator(width, image_shape, "d_a")
        self.width, self.num_blocks = width, num_blocks
        self.cycle_weight, self.identity_weight = cycle_weight, identity_weight

    @property
    def generator_variables(self):
        return self.generator.trainable_variables + self.generator_ba.trainable_variables

    @property
    def discriminator_variables(self):
        return self.discriminator.trainable_variables + self.discriminator_a.trainable_variables

    def unpack(self, data):
        a, b = split_pair(data)
        if b is None:
            raise InputError("CycleGAN trains on (a, b) batches of two unpaired domains: "
                             "use data.load_unpaired(...)")
        check_images(a.shape[1:], self.image_shape, "the model (domain A)")
        check_images(b.shape[1:], self.image_shape, "the model (domain B)")
        return a, b

    def discriminator_losses(self, a, b, noise):
        fake_b = self.generator(a, training=True)
        fake_a = self.generator_ba(b, training=True)
        real_logits = [self.discriminator(b, training=True), self.discriminator_a(a, training=True)]
        fake_logits = [self.discriminator(fake_b, training=True),
                       self.discriminator_a(fake_a, training=True)]
        adversarial = sum(self.adversarial.discriminator(r, f)
                          for r, f in zip(real_logits, fake_logits))
        stats = {"d_real": sum(losses.per_example(r) for r in real_logits) / 2,
                 "d_fake": sum(losses.per_example(f) for f in fake_logits) / 2}
        return {"adversarial": adversarial}, stats

    def generator_losses(self, a, b, noise):
        fake_b = self.generator(a, training=True)
        fake_a = self.generator_ba(b, training=True)
        adversarial = (self.adversarial.generator(self.discriminator(fake_b, training=True))
                       + self.adversarial.generator(self.discriminator_a(fake_a, training=True)))
        cycle = (mean_absolute_error(self.generator_ba(fake_b, training=True), a)
                 + mean_absolute_error(self.generator(fake_a, training=True), b))
        identity = (mean_absolute_error(self.generator(b, training=True), b)
                    + mean_absolute_error(self.generator_ba(a, training=True), a))
        return {"adversarial": adversarial, "cycle_loss": self.cycle_weight * cycle,
                "identity_loss": self.identity_weight * identity}, {}

    def generate(self, images, direction="a_to_b"):
        """Translates images in [-1, 1]: A -> B, or B -> A with direction="b_to_a"."""
        network = {"a_to_b": self.generator, "b_to_a": self.generator_ba}[direction]
        return keras.ops.convert_to_numpy(network(tf.convert_to_tensor(images), training=False))

    def preview(self, num_samples=64, seed=0, batch=None):
        """Rows: a, G(a), F(G(a)), b, F(b), G(F(b)) for the first images of `batch`."""
        if batch is None:
            raise ValueError("CycleGAN previews translate real images: pass batch=(a, b)")
        per_row = min(8, num_samples // 6, len(batch[0]), len(batch[1]))
        a, b = (np.asarray(x[:per_row]) for x in batch)
        fake_b, fake_a = self.generate(a), self.generate(b, "b_to_a")
        rows = [a, fake_b, self.generate(fake_b, "b_to_a"), b, fake_a, self.generate(fake_a)]
        return np.concatenate(rows), len(rows)

    def serving_signatures(self):
        spec = tf.TensorSpec([None, *self.image_shape], tf.float32, name="images")
        return {
            "a_to_b": (lambda images: images_output(self.generator(images, training=False)),
                       [spec]),
            "b_to_a": (lambda images: images_output(self.generator_ba(images, training=False)),
                       [spec]),
        }
