import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.errors import InputError

LOG2 = np.log(2.0)


def test_per_example_averages_all_but_the_batch_axis():
    x = tf.reshape(tf.range(8, dtype=tf.float32), [2, 2, 2, 1])
    np.testing.assert_allclose(losses.per_example(x), [1.5, 5.5])


@pytest.mark.parametrize("name, real, fake, d_expected, g_expected", [
    # D(x) = sigmoid(0) = 1/2: -log(1/2) - log(1 - 1/2) = 2 log 2; G: log(1 - 1/2)
    ("minimax", 0.0, 0.0, 2 * LOG2, -LOG2),
    ("non_saturating", 0.0, 0.0, 2 * LOG2, LOG2),
    # logit 2 for real, -1 for fake: softplus(-2) + softplus(-1); NS G: softplus(1)
    ("non_saturating", 2.0, -1.0, np.log1p(np.exp(-2)) + np.log1p(np.exp(-1)), np.log1p(np.e)),
    ("minimax", 2.0, -1.0, np.log1p(np.exp(-2)) + np.log1p(np.exp(-1)), -np.log1p(np.exp(-1))),
    ("wasserstein", 3.0, 1.0, 1.0 - 3.0, -1.0),
    ("hinge", 0.5, -0.25, 0.5 + 0.75, 0.25),
    ("hinge", 2.0, -2.0, 0.0, 2.0),
    ("least_squares", 0.0, 1.0, 0.5 * (1 + 1), 0.0),
    ("least_squares", 1.0, 0.0, 0.0, 0.5),
])
def test_adversarial_losses_match_hand_computed_values(name, real, fake, d_expected, g_expected):
    loss = losses.adversarial(name)
    real_logits = tf.fill([3, 1], real)
    fake_logits = tf.fill([3, 1], fake)
    np.testing.assert_allclose(loss.discriminator(real_logits, fake_logits), [d_expected] * 3,
                               rtol=1e-6)
    np.testing.assert_allclose(loss.generator(fake_logits), [g_expected] * 3, rtol=1e-6)


def test_gradient_penalty_is_zero_for_a_unit_gradient_critic_and_positive_otherwise():
    real = tf.random.normal([4, 3, 3, 1], seed=1)
    fake = tf.random.normal([4, 3, 3, 1], seed=2)
    alpha = tf.random.uniform([4], seed=3)
    unit = tf.ones([9]) / 3.0  # ||w|| = 1

    def linear(scale):
        return lambda x: tf.reduce_sum(tf.reshape(x, [-1, 9]) * unit * scale, axis=1)

    np.testing.assert_allclose(losses.gradient_penalty(linear(1.0), real, fake, alpha),
                               np.zeros(4), atol=1e-5)
    # ||grad|| = 3: (3 - 1)^2 = 4
    np.testing.assert_allclose(losses.gradient_penalty(linear(3.0), real, fake, alpha),
                               np.full(4, 4.0), rtol=1e-5)


def test_gradient_penalty_has_finite_gradients_where_the_critic_gradient_is_zero():
    weight = tf.Variable(tf.ones([4]))
    real = -tf.ones([2, 4])  # relu is flat here: the critic's gradient at x_hat is 0

    with tf.GradientTape() as tape:
        penalty = losses.gradient_penalty(
            lambda x: tf.reduce_sum(tf.nn.relu(x * weight), axis=1), real, real, tf.ones([2]))
    grad = tape.gradient(penalty, weight)
    np.testing.assert_allclose(penalty, [1.0, 1.0], rtol=1e-5)
    assert np.all(np.isfinite(grad))


@pytest.mark.parametrize("name, real, expected_change", [
    # real term (1 - s) softplus(-r) + s softplus(r): smoothing 0.1 adds 0.1 (softplus(r) - softplus(-r)) = 0.1 r
    ("non_saturating", 2.0, 0.1 * 2.0),
    ("minimax", -1.0, 0.1 * -1.0),
    # 0.5 (r - 0.9)^2 - 0.5 (r - 1)^2 at r = 2: 0.5 (1.21 - 1) = 0.105
    ("least_squares", 2.0, 0.105),
])
def test_label_smoothing_changes_the_discriminator_loss_by_the_hand_computed_amount(
        name, real, expected_change):
    real_logits, fake_logits = tf.fill([2, 1], real), tf.fill([2, 1], -0.5)
    plain = losses.adversarial(name).discriminator(real_logits, fake_logits)
    smoothed = losses.adversarial(name, label_smoothing=0.1).discriminator(real_logits,
                                                                            fake_logits)
    np.testing.assert_allclose(smoothed - plain, [expected_change] * 2, rtol=1e-5)
    # the generator's loss has no real target: unchanged
    np.testing.assert_allclose(losses.adversarial(name, 0.1).generator(fake_logits),
                               losses.adversarial(name).generator(fake_logits))


@pytest.mark.parametrize("name, smoothing, message", [
    ("hinge", 0.1, "does not have"), ("wasserstein", 0.2, "does not have"),
    ("non_saturating", 1.0, "must be in"), ("softmax", 0.0, "unknown loss"),
])
def test_bad_loss_settings_are_named(name, smoothing, message):
    with pytest.raises(InputError, match=message):
        losses.adversarial(name, label_smoothing=smoothing)


def test_r1_penalty_is_the_squared_norm_of_the_gradient_on_real_data():
    real = tf.random.normal([3, 2, 2, 1], seed=4)
    weight = tf.constant([1.0, -2.0, 0.5, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(real)
        flat = tf.reshape(real, [3, 4])
        # D(x) = w.x + (w.x)^2: grad = w (1 + 2 w.x)
        projection = tf.reduce_sum(flat * weight, axis=1)
        logits = projection + projection ** 2
    expected = np.sum(weight.numpy() ** 2) * (1 + 2 * projection.numpy()) ** 2
    np.testing.assert_allclose(losses.r1_penalty(logits, real, tape), expected, rtol=1e-5)
