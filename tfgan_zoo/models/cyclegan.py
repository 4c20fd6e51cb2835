"""CycleGAN: Zhu, Park, Isola & Efros 2017, "Unpaired Image-to-Image Translation
using Cycle-Consistent Adversarial Networks" (arXiv:1703.10593).

Two generators, G: A -> B (`generator`) and F: B -> A (`generator_ba`), and two
PatchGAN discriminators, D_B (`discriminator`) and D_A (`discriminator_a`),
trained on unpaired (a, b) batches with
  the least-squares adversarial loss (sec. 4),
  the cycle loss lambda * (|F(G(a)) - a|_1 + |G(F(b)) - b|_1) (eq. 2, lambda = 10),
  the identity loss 0.5 * lambda * (|G(b) - b|_1 + |F(a) - a|_1) (sec. 5.2),
ResNet generators with reflection padding and instance normalisation (the reference
code's, 11,378,179 parameters with 9 blocks at width 64), Adam(2e-4, beta_1=0.5).
The generators are fully convolutional: trained at one size, they translate any height
and width that are multiples of 4.
Differs from the paper by default: sized for 28x28 images (3 residual blocks, width 16,
PatchGANs whose logits judge 34x34 pixels, d_layers=2); zoo_configs/cyclegan.py:paper
is the paper's experiment.

Args:
  width: channels of the generators' first layer and the discriminators' first layer.
  num_blocks: residual blocks in each generator.
  image_shape: (height, width, channels) of the training images; sides multiples of 4, at least 8.
  cycle_weight: lambda, the weight of the cycle loss.
  identity_weight: the weight of the identity loss (the paper: 0.5 * lambda).
  d_layers: stride-2 layers of each PatchGAN; a logit judges 16, 34 or 70 pixels for 1, 2, 3.
  spectral_norm: spectral normalization (Miyato et al. 2018) of every weight layer of both discriminators.
  pool_size: the discriminators see fakes through a pool of this many generated images
    (the paper: 50; tfgan_zoo/image_pool.py); 0: the newest fakes only.
"""
import keras
from keras import layers

from tfgan_zoo import losses, networks, ranges
from tfgan_zoo.image_pool import ImagePool
from tfgan_zoo.image_to_image import ImageToImageGAN, mean_absolute_error
from tfgan_zoo.ranges import Whole
from tfgan_zoo.registry import register


def build_generator(width, num_blocks, image_shape, name):
    """The reference code's ResNet generator (its resnet_9blocks at 256x256: 11,378,179
    parameters): reflection padding, convs with biases and instance norm without affine
    parameters; two stride-2 convs down, `num_blocks` residual blocks, two up. Fully
    convolutional: it takes any height and width that are multiples of 4."""
    networks.check_divisible(image_shape, 4, "the CycleGAN generator", least=8)

    def conv_norm_relu(x, filters, size, strides=1, transpose=False, relu=True):
        kind = layers.Conv2DTranspose if transpose else layers.Conv2D
        padding = "same" if strides > 1 else "valid"
        if padding == "valid" and size > 1:
            x = networks.ReflectionPadding2D(size // 2)(x)
        x = networks.instance_norm(affine=False)(kind(filters, size, strides, padding)(x))
        return layers.ReLU()(x) if relu else x

    images = keras.Input((None, None, image_shape[-1]), name="images")
    x = conv_norm_relu(images, width, 7)
    for filters in (2 * width, 4 * width):
        x = conv_norm_relu(x, filters, 3, strides=2)
    for _ in range(num_blocks):
        y = conv_norm_relu(x, 4 * width, 3)
        x = layers.Add()([x, conv_norm_relu(y, 4 * width, 3, relu=False)])
    for filters in (2 * width, width):
        x = conv_norm_relu(x, filters, 3, strides=2, transpose=True)
    x = networks.ReflectionPadding2D(3)(x)
    out = layers.Conv2D(image_shape[-1], 7, activation="tanh")(x)
    return keras.Model(images, out, name=name)


def build_discriminator(width, image_shape, name, spectral_norm=False, d_layers=2):
    images = keras.Input(image_shape, name="images")
    return keras.Model(images, networks.patch_logits(images, width, spectral_norm, d_layers,
                                                     norm="instance"), name=name)


@register("cyclegan")
class CycleGAN(ImageToImageGAN):
    __doc__ = __doc__
    paper = "Zhu et al. 2017, arXiv:1703.10593"
    data_kind = "unpaired"
    directions = {"a_to_b": "generator", "b_to_a": "generator_ba"}
    network_names = ("generator", "generator_ba", "discriminator", "discriminator_a")
    loss_names = ("cycle_loss", "identity_loss")
    size_multiple = 4  # two stride-2 convs down, two up

    def __init__(self, width: Whole(1, 1024) = 16, num_blocks: Whole(0, 64) = 3,
                 image_shape: ranges.IMAGE_SHAPE = (28, 28, 1),
                 cycle_weight: ranges.weight() = 10.0, identity_weight: ranges.weight() = 5.0,
                 loss="least_squares", d_layers: Whole(1, 12) = 2,
                 spectral_norm: ranges.Flag() = False, pool_size: Whole(0, 1000) = 0,
                 generator=None, generator_ba=None,
                 discriminator=None, discriminator_a=None, **kwargs):
        image_shape = tuple(image_shape)
        super().__init__(
            generator=generator or build_generator(width, num_blocks, image_shape, "g_ab"),
            discriminator=discriminator or build_discriminator(width, image_shape, "d_b",
                                                               spectral_norm, d_layers),
            generator_ba=generator_ba or build_generator(width, num_blocks, image_shape, "g_ba"),
            discriminator_a=discriminator_a or build_discriminator(
                width, image_shape, "d_a", spectral_norm, d_layers),
            loss=loss, **kwargs)
        self.width, self.num_blocks, self.spectral_norm = width, num_blocks, spectral_norm
        self.d_layers, self._image_shape = d_layers, image_shape
        self.pool_size = pool_size
        if pool_size:
            self.pool_a = ImagePool(pool_size, image_shape, name="pool_a")
            self.pool_b = ImagePool(pool_size, image_shape, name="pool_b")
        self.cycle_weight, self.identity_weight = cycle_weight, identity_weight

    @property
    def generator_variables(self):
        return self.generator.trainable_variables + self.generator_ba.trainable_variables

    @property
    def discriminator_variables(self):
        return self.discriminator.trainable_variables + self.discriminator_a.trainable_variables

    def discriminator_losses(self, a, b, noise):
        fake_b, fake_a = self.translate(a, "a_to_b"), self.translate(b, "b_to_a")
        if self.pool_size:
            fake_b, fake_a = self.pool_b.query(fake_b, noise), self.pool_a.query(fake_a, noise)
        real_b, penalties_b = self.discriminate_real(b, noise)
        real_a, penalties_a = self.discriminate_real(a, noise, network=self.discriminator_a)
        real_logits = [real_b, real_a]
        fake_logits = [self.discriminate(fake_b, noise),
                       self.discriminate(fake_a, noise, network=self.discriminator_a)]
        terms = {"adversarial": sum(self.adversarial.discriminator(r, f)
                                    for r, f in zip(real_logits, fake_logits))}
        terms.update({name: penalties_a[name] + penalties_b[name] for name in penalties_a})
        stats = {"d_real": sum(losses.per_example(r) for r in real_logits) / 2,
                 "d_fake": sum(losses.per_example(f) for f in fake_logits) / 2}
        return terms, stats

    def generator_losses(self, a, b, noise):
        fake_b, fake_a = self.translate(a, "a_to_b"), self.translate(b, "b_to_a")
        adversarial = (
            self.adversarial.generator(self.discriminate(fake_b, noise))
            + self.adversarial.generator(
                self.discriminate(fake_a, noise, network=self.discriminator_a)))
        cycle = (mean_absolute_error(self.translate(fake_b, "b_to_a"), a)
                 + mean_absolute_error(self.translate(fake_a, "a_to_b"), b))
        identity = (mean_absolute_error(self.translate(b, "a_to_b"), b)
                    + mean_absolute_error(self.translate(a, "b_to_a"), a))
        return {"adversarial": adversarial, "cycle_loss": self.cycle_weight * cycle,
                "identity_loss": self.identity_weight * identity}, {}

    def preview_rows(self, a, b):
        """a, G(a), F(G(a)), b, F(b), G(F(b))."""
        fake_b, fake_a = self.generate(a), self.generate(b, "b_to_a")
        return [a, fake_b, self.generate(fake_b, "b_to_a"), b, fake_a, self.generate(fake_a)]
