"""Adversarial losses and penalties, as pure functions of logits.

Every function returns one loss per example (shape [batch]): the training step
averages each term over the global batch (tf.nn.compute_average_loss), which is
what keeps results independent of the number of replicas. Logits of any shape
(e.g. a PatchGAN's [batch, h, w, 1]) are averaged over all but the batch axis.
"""
import collections

import tensorflow as tf


def per_example(x):
    """Mean over every axis but the first: [batch, ...] -> [batch]."""
    x = tf.convert_to_tensor(x)
    return tf.reduce_mean(tf.reshape(x, [tf.shape(x)[0], -1]), axis=1)


# Goodfellow et al. 2014, eq. 1: D maximises log D(x) + log(1 - D(G(z))),
# written as minimising softplus(-real) + softplus(fake) with D = sigmoid(logit).
def minimax_discriminator(real_logits, fake_logits):
    return per_example(tf.nn.softplus(-real_logits)) + per_example(tf.nn.softplus(fake_logits))


def minimax_generator(fake_logits):
    """G minimises log(1 - D(G(z))) = -softplus(fake): the paper's value function."""
    return -per_example(tf.nn.softplus(fake_logits))


def non_saturating_generator(fake_logits):
    """G maximises log D(G(z)) instead (Goodfellow 2014, sec. 3): strong early gradients."""
    return per_example(tf.nn.softplus(-fake_logits))


# Arjovsky et al. 2017, eq. 3: the critic maximises E[f(x)] - E[f(G(z))].
def wasserstein_critic(real_logits, fake_logits):
    return per_example(fake_logits) - per_example(real_logits)


def wasserstein_generator(fake_logits):
    return -per_example(fake_logits)


# Hinge loss (Lim & Ye 2017; Miyato et al. 2018).
def hinge_discriminator(real_logits, fake_logits):
    return per_example(tf.nn.relu(1.0 - real_logits)) + per_example(tf.nn.relu(1.0 + fake_logits))


# Least squares (Mao et al. 2017, eq. 2 with a=0, b=c=1), as in CycleGAN.
def least_squares_discriminator(real_logits, fake_logits):
    return 0.5 * (per_example(tf.square(real_logits - 1.0)) + per_example(tf.square(fake_logits)))


def least_squares_generator(fake_logits):
    return 0.5 * per_example(tf.square(fake_logits - 1.0))


def gradient_penalty(critic, real, fake, alpha):
    """Gulrajani et al. 2017, eq. 3: (||grad_x f(x_hat)||_2 - 1)^2 at x_hat = a*real + (1-a)*fake.

    `alpha` has shape [batch] (one uniform draw per example). The norm gets a tiny
    epsilon inside the square root, whose gradient is otherwise NaN at zero.
    """
    alpha = tf.reshape(alpha, [-1] + [1] * (len(real.shape) - 1))
    interpolates = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates)
    grads = tape.gradient(scores, interpolates)
    squared = tf.reduce_sum(tf.reshape(tf.square(grads), [tf.shape(grads)[0], -1]), axis=1)
    return tf.square(tf.sqrt(squared + 1e-12) - 1.0)


Adversarial = collections.namedtuple("Adversarial", "discriminator generator output")
"""A GAN objective: D's loss, G's loss, and how a logit reads as D(x) in the logs."""

ADVERSARIAL = {
    "minimax": Adversarial(minimax_discriminator, minimax_generator, tf.sigmoid),
    "non_saturating": Adversarial(minimax_discriminator, non_saturating_generator, tf.sigmoid),
    "wasserstein": Adversarial(wasserstein_critic, wasserstein_generator, tf.identity),
    "hinge": Adversarial(hinge_discriminator, wasserstein_generator, tf.identity),
    "least_squares": Adversarial(least_squares_discriminator, least_squares_generator, tf.identity),
}
