"""Adversarial losses and penalties, as pure functions of logits.

Every function returns one loss per example (shape [batch]): the training step
averages each term over the global batch (tf.nn.compute_average_loss), which is
what keeps results independent of the number of replicas. Logits of any shape
(e.g. a PatchGAN's [batch, h, w, 1]) are averaged over all but the batch axis.
"""
import collections
import functools

import tensorflow as tf

from tfgan_zoo.errors import InputError


def per_example(x):
    """Mean over every axis but the first: [batch, ...] -> [batch]."""
    x = tf.convert_to_tensor(x)
    return tf.reduce_mean(tf.reshape(x, [tf.shape(x)[0], -1]), axis=1)


# Goodfellow et al. 2014, eq. 1: D maximises log D(x) + log(1 - D(G(z))),
# written as minimising softplus(-real) + softplus(fake) with D = sigmoid(logit).
# One-sided label smoothing (Salimans et al. 2016, sec. 3.4) makes the real target
# 1 - smoothing: cross-entropy (1 - s) * softplus(-real) + s * softplus(real).
def minimax_discriminator(real_logits, fake_logits, label_smoothing=0.0):
    real = ((1.0 - label_smoothing) * tf.nn.softplus(-real_logits)
            + label_smoothing * tf.nn.softplus(real_logits))
    return per_example(real) + per_example(tf.nn.softplus(fake_logits))


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


# Least squares (Mao et al. 2017, eq. 2 with a=0, b=c=1), as in CycleGAN; label
# smoothing lowers the real target b to 1 - smoothing.
def least_squares_discriminator(real_logits, fake_logits, label_smoothing=0.0):
    return 0.5 * (per_example(tf.square(real_logits - (1.0 - label_smoothing)))
                  + per_example(tf.square(fake_logits)))


def least_squares_generator(fake_logits):
    return 0.5 * per_example(tf.square(fake_logits - 1.0))


def gradient_penalty(critic, real, fake, alpha, scale=1.0):
    """Gulrajani et al. 2017, eq. 3: (||grad_x f(x_hat)||_2 - 1)^2 at x_hat = a*real + (1-a)*fake.

    `alpha` has shape [batch] (one uniform draw per example). The norm gets a tiny
    epsilon inside the square root, whose gradient is otherwise NaN at zero. The
    inner gradient is taken of the scores times `scale` and divided back (a float16
    critic's loss scale: it would underflow otherwise).
    """
    alpha = tf.reshape(alpha, [-1] + [1] * (len(real.shape) - 1))
    interpolates = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates) * scale
    grads = tape.gradient(scores, interpolates) / scale
    squared = tf.reduce_sum(tf.reshape(tf.square(grads), [tf.shape(grads)[0], -1]), axis=1)
    return tf.square(tf.sqrt(squared + 1e-12) - 1.0)


def r1_penalty(real_logits, real, tape, scale=1.0):
    """Mescheder et al. 2018, eq. 9 without the gamma/2: ||grad_x D(x)||^2 on real data.
    `tape` watched `real` while D computed `real_logits` (one logit grid per example),
    given times `scale` (a float16 D's loss scale, divided back here)."""
    grads = tape.gradient(real_logits, real) / scale  # of the sum of the logits
    return tf.reduce_sum(tf.reshape(tf.square(grads), [tf.shape(grads)[0], -1]), axis=1)


Adversarial = collections.namedtuple("Adversarial", "discriminator generator output")
"""A GAN objective: D's loss, G's loss, and how a logit reads as D(x) in the logs."""

LOSSES = ("non_saturating", "minimax", "wasserstein", "hinge", "least_squares")
SMOOTHABLE = ("non_saturating", "minimax", "least_squares")  # losses with a real target


def adversarial(name, label_smoothing=0.0):
    """The `Adversarial` objective called `name`, its real target lowered by `label_smoothing`."""
    if name not in LOSSES:
        raise InputError(f"unknown loss {name!r}: choose one of {', '.join(LOSSES)}")
    if not 0.0 <= label_smoothing < 1.0:
        raise InputError(f"label_smoothing must be in [0, 1), not {label_smoothing!r}")
    if label_smoothing and name not in SMOOTHABLE:
        raise InputError(f"label smoothing lowers a real target, which the {name} loss does not "
                         f"have: use it with {', '.join(SMOOTHABLE)}, or set label_smoothing=0")
    smoothed = {"label_smoothing": label_smoothing}
    if name in ("non_saturating", "minimax"):
        generator = non_saturating_generator if name == "non_saturating" else minimax_generator
        return Adversarial(functools.partial(minimax_discriminator, **smoothed), generator,
                           tf.sigmoid)
    if name == "least_squares":
        return Adversarial(functools.partial(least_squares_discriminator, **smoothed),
                           least_squares_generator, tf.identity)
    if name == "wasserstein":
        return Adversarial(wasserstein_critic, wasserstein_generator, tf.identity)
    return Adversarial(hinge_discriminator, wasserstein_generator, tf.identity)
