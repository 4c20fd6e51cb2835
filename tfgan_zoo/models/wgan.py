"""WGAN: Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN" (arXiv:1701.07875).

The critic f has a linear output (a score, not a probability) and maximises
E[f(x)] - E[f(G(z))] (eq. 3); G maximises E[f(G(z))]. After every critic update
its weights are clipped to [-c, c] (Algorithm 1, c = 0.01), with n_critic = 5
critic updates per generator update and RMSprop(5e-5). Networks: DCGAN's, batch
norm included, as in the paper's experiments. `wasserstein` in the logs is the
critic's estimate E[f(x)] - E[f(G(z))].
Differs from the paper: the n_critic updates of one step share its real batch
(each with fresh z); the paper draws a new real batch for each.

Args:
  clip_value: the critic's weights are clipped to [-clip_value, clip_value].
  critic_bursts: the reference code's critic schedule: 100 critic updates (not d_steps)
    for each of the first 25 generator updates and every 500th after.
"""
import keras
import tensorflow as tf

from tfgan_zoo import ranges
from tfgan_zoo.models.dcgan import DCGAN
from tfgan_zoo.registry import register


class WassersteinGAN(DCGAN):
    """What WGAN and WGAN-GP share: DCGAN networks, the Wasserstein loss, n_critic = 5."""

    stat_names = ("d_real", "d_fake", "wasserstein")

    def __init__(self, loss="wasserstein", d_steps=5, **kwargs):
        super().__init__(loss=loss, d_steps=d_steps, **kwargs)

    def discriminator_losses(self, images, labels, noise):
        terms, stats = super().discriminator_losses(images, labels, noise)
        stats["wasserstein"] = stats["d_real"] - stats["d_fake"]
        return terms, stats


@register("wgan")
class WGAN(WassersteinGAN):
    __doc__ = __doc__
    paper = "Arjovsky et al. 2017, arXiv:1701.07875"

    def __init__(self, clip_value: ranges.positive() = 0.01,
                 critic_bursts: ranges.Flag() = False, **kwargs):
        super().__init__(**kwargs)
        self.clip_value, self.critic_bursts = clip_value, critic_bursts

    def discriminator_updates(self):
        if not self.critic_bursts:
            return self.d_steps
        # Arjovsky et al.'s main.py: Diters = 100 if gen_iterations < 25 or
        # gen_iterations % 500 == 0 (a critic near optimality while G is young)
        done = self.batches_trained
        burst = tf.logical_or(done < 25, done % 500 == 0)
        return tf.where(burst, 100, self.d_steps)

    def default_optimizers(self):
        return keras.optimizers.RMSprop(5e-5), keras.optimizers.RMSprop(5e-5)

    def after_discriminator_step(self):
        for weight in self.discriminator_variables:
            weight.assign(tf.clip_by_value(weight, -self.clip_value, self.clip_value))
