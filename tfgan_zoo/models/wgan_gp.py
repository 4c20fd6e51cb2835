"""WGAN-GP: Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville 2017, "Improved
Training of Wasserstein GANs" (arXiv:1704.00028).

WGAN without weight clipping: the critic's loss gets the gradient penalty
lambda * E[(||grad f(x_hat)||_2 - 1)^2] at x_hat = a*x + (1-a)*G(z),
a ~ Uniform(0, 1) per example (eq. 3, lambda = 10). No batch norm in the critic
(the penalty is per example, sec. 4), n_critic = 5, Adam(1e-4, beta_1=0.5,
beta_2=0.9). Networks otherwise DCGAN's. Logs `gp` (the weighted penalty term)
and `wasserstein` (E[f(x)] - E[f(G(z))]).

`network="resnet"` is the paper's CIFAR-10 ResNet (gan_cifar_resnet.py: residual blocks
of `width` channels, batch norm in G and none in the critic; 1,204,483 / 1,053,825
parameters at width 128 on 32x32x3).

Args:
  gp_weight: lambda, the weight of the gradient penalty.
  network: dcgan (DCGAN's networks, without batch norm in the critic) or resnet.
"""
import keras

from tfgan_zoo import losses, networks, precision, ranges
from tfgan_zoo.models.dcgan import DCGAN
from tfgan_zoo.models.wgan import WassersteinGAN
from tfgan_zoo.registry import register


def build_resnet_generator(latent_dim, width, image_shape):
    z = keras.Input((latent_dim,), name="z")
    return keras.Model(z, networks.resnet_generator(z, width, image_shape), name="generator")


def build_resnet_critic(width, image_shape):
    images = keras.Input(image_shape, name="images")
    features = networks.resnet_critic_features(images, width)
    return keras.Model(images, keras.layers.Dense(1)(features), name="discriminator")


@register("wgan_gp")
class WGANGP(WassersteinGAN):
    __doc__ = __doc__
    paper = "Gulrajani et al. 2017, arXiv:1704.00028"
    discriminator_batch_norm = False
    loss_names = ("gp",)

    def __init__(self, gp_weight: ranges.weight() = 10.0,
                 network: ranges.OneOf("dcgan", "resnet") = "dcgan", **kwargs):
        if network == "resnet":
            sizes = {**DCGAN.hyperparameters(), **kwargs}
            shape = tuple(sizes["image_shape"])
            kwargs["generator"] = kwargs.get("generator") or build_resnet_generator(
                sizes["latent_dim"], sizes["width"], shape)
            kwargs["discriminator"] = kwargs.get("discriminator") or build_resnet_critic(
                sizes["width"], shape)
        super().__init__(**kwargs)
        self.gp_weight, self.network = gp_weight, network

    def default_optimizers(self):
        return (keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
                keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9))

    def penalty(self, images, fake, labels, noise):
        def critic(x):
            return self.discriminate(x, noise, labels)

        alpha = noise.uniform()
        scale = precision.loss_scale(self.d_optimizer)  # 1 unless mixed_float16
        return {"gp": self.gp_weight * losses.gradient_penalty(critic, images, fake, alpha, scale)}
