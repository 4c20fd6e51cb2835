import keras
import numpy as np
import tensorflow as tf
from conftest import tiny

import tfgan_zoo
from tfgan_zoo import losses
from tfgan_zoo.gan import ReplicaNoise


def test_wgan_clips_every_critic_weight_after_a_step(batches):
    paper = tfgan_zoo.models.lookup("wgan").hyperparameters()  # the class: the paper's
    gan = tiny("wgan", d_steps=paper["d_steps"])  # the zoo's config trains with 1
    assert gan.d_steps == 5 and gan.clip_value == 0.01
    assert isinstance(gan.d_optimizer, keras.optimizers.RMSprop)
    assert float(gan.d_optimizer.learning_rate) == np.float32(5e-5)
    assert max(np.abs(w.numpy()).max() for w in gan.discriminator.trainable_weights) > 0.01
    gan.train_on_batch(batches["images"])
    for weight in gan.discriminator.trainable_weights:
        assert np.abs(weight.numpy()).max() <= 0.01 + 1e-7, weight.path
    assert int(gan.d_optimizer.iterations) == 5 and int(gan.g_optimizer.iterations) == 1


def unit_linear_critic(scale):
    """f(x) = scale * <u, x> with ||u|| = 1: its gradient norm is `scale` everywhere."""
    images = keras.Input((28, 28, 1))
    dense = keras.layers.Dense(1, use_bias=False)
    critic = keras.Model(images, dense(keras.layers.Flatten()(images)))
    dense.kernel.assign(np.full((784, 1), scale / 28.0, np.float32))  # 28 = sqrt(784)
    return critic


def penalty(gan, real, fake):
    noise = ReplicaNoise(seed=0, counter=0, stream=0, local_batch=len(real))
    return gan.penalty(tf.constant(real), tf.constant(fake), None, noise)["gp"].numpy()


def test_wgan_gp_penalty_is_zero_for_a_unit_gradient_critic_and_positive_otherwise(digits):
    real, fake = digits[0][:8], np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1))
    unit = tiny("wgan_gp", discriminator=unit_linear_critic(1.0))
    np.testing.assert_allclose(penalty(unit, real, fake.astype(np.float32)), 0, atol=1e-4)
    steep = tiny("wgan_gp", discriminator=unit_linear_critic(3.0))
    np.testing.assert_allclose(penalty(steep, real, fake.astype(np.float32)), 10 * 4, rtol=1e-4)


def test_wgan_gp_penalty_gradient_is_finite_at_a_real_sample(digits):
    gan = tiny("wgan_gp")
    real = tf.constant(digits[0][:4])
    with tf.GradientTape() as tape:
        gp = tf.reduce_sum(penalty_tensor(gan, real))
    grads = tape.gradient(gp, gan.discriminator.trainable_variables)
    # None: the output bias, which does not move grad_x f
    grads = [g.numpy() for g in grads if g is not None]
    assert len(grads) >= 4 and all(np.isfinite(g).all() for g in grads)
    assert any(np.abs(g).max() > 0 for g in grads)


def penalty_tensor(gan, real):
    # fake == real: every interpolate is the real sample itself, whatever alpha
    noise = ReplicaNoise(seed=0, counter=0, stream=0, local_batch=4)
    return gan.penalty(real, real, None, noise)["gp"]


def test_wgan_gp_uses_the_papers_settings():
    gan = tfgan_zoo.models.get("wgan_gp", width=4, latent_dim=8)  # the class: the paper's
    gan.compile()
    assert gan.d_steps == 5 and gan.gp_weight == 10.0
    assert (float(gan.d_optimizer.learning_rate), float(gan.d_optimizer.beta_1),
            float(gan.d_optimizer.beta_2)) == (np.float32(1e-4), 0.5, 0.9)
    kinds = {type(layer).__name__ for layer in gan.discriminator.layers}
    assert "BatchNormalization" not in kinds
    assert gan.adversarial.discriminator is losses.wasserstein_critic
