"""The training steps a user would write by hand, TensorFlow-tutorial style (two
GradientTapes and `apply_gradients` in one `tf.function`), over a zoo model's own
networks, optimizers and losses: the baseline `tools/benchmark.py` holds `fit()` to.

They do the work of the zoo's step for the default configs (d_steps critic updates,
weight clipping, the gradient penalty, CycleGAN's cycle and identity terms,
pix2pix's halved D loss, L1 term and dropout, the EMA
copy of each generator) and nothing else: noise from `tf.random`, no logged values,
no replica bookkeeping.
"""
import tensorflow as tf

from tfgan_zoo import losses


def mean(per_example):
    return tf.reduce_mean(per_example)


def update_averages(gan):
    if not gan.ema_decay:
        return
    for name in gan.generator_names:
        for averaged, weight in zip(getattr(gan, "ema_" + name).weights,
                                    getattr(gan, name).weights):
            averaged.assign(gan.ema_decay * averaged + (1.0 - gan.ema_decay) * weight)


def apply(optimizer, tape, loss, variables):
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))


def noise_to_image_step(gan, d_optimizer, g_optimizer, jit_compile):
    """vanilla, dcgan, cgan, wgan, wgan_gp."""
    generator, discriminator, objective = gan.generator, gan.discriminator, gan.adversarial
    clip = getattr(gan, "clip_value", None)
    gp_weight = getattr(gan, "gp_weight", None)

    def conditioned(x, labels):
        return x if labels is None else [x, labels]

    @tf.function(jit_compile=jit_compile)
    def step(images, labels=None):
        batch = tf.shape(images)[0]
        for _ in range(gan.d_steps):
            z = tf.random.normal([batch, gan.latent_dim])
            with tf.GradientTape() as tape:
                fake = generator(conditioned(z, labels), training=True)
                real_logits = discriminator(conditioned(images, labels), training=True)
                fake_logits = discriminator(conditioned(fake, labels), training=True)
                d_loss = mean(objective.discriminator(real_logits, fake_logits))
                if gp_weight:
                    alpha = tf.random.uniform([batch])
                    d_loss += gp_weight * mean(losses.gradient_penalty(
                        lambda x: discriminator(conditioned(x, labels), training=True),
                        images, fake, alpha))
            apply(d_optimizer, tape, d_loss, discriminator.trainable_variables)
            if clip:
                for weight in discriminator.trainable_variables:
                    weight.assign(tf.clip_by_value(weight, -clip, clip))
        z = tf.random.normal([batch, gan.latent_dim])
        with tf.GradientTape() as tape:
            fake = generator(conditioned(z, labels), training=True)
            g_loss = mean(objective.generator(
                discriminator(conditioned(fake, labels), training=True)))
        apply(g_optimizer, tape, g_loss, generator.trainable_variables)
        update_averages(gan)
        return d_loss, g_loss

    return step


def pool_of(size, shape):
    """The reference code's image pool, as a tutorial would write it: fill, then swap half
    of the time with a random stored image."""
    images = tf.Variable(tf.zeros([size, *shape]))
    count = tf.Variable(0)

    def one(fake):
        def fill():
            images[count].assign(fake)
            count.assign_add(1)
            return fake

        def swap():
            slot = tf.random.uniform([], 0, size, tf.int32)
            old = tf.identity(images[slot])
            images[slot].assign(fake)
            return old

        return tf.cond(count < size, fill, lambda: tf.cond(
            tf.random.uniform([]) > 0.5, swap, lambda: fake))

    def query(fakes):
        return tf.stack([one(fakes[i]) for i in range(fakes.shape[0])])

    return query


def cyclegan_step(gan, d_optimizer, g_optimizer, jit_compile):
    g_ab, g_ba, d_b, d_a = gan.generator, gan.generator_ba, gan.discriminator, gan.discriminator_a
    objective = gan.adversarial
    d_variables = d_b.trainable_variables + d_a.trainable_variables
    g_variables = g_ab.trainable_variables + g_ba.trainable_variables

    def l1(x, y):
        return losses.per_example(tf.abs(x - y))

    pools = [pool_of(gan.pool_size, gan.image_shape) for _ in range(2)] if gan.pool_size else None

    @tf.function(jit_compile=jit_compile)
    def step(a, b):
        with tf.GradientTape() as tape:
            fake_b, fake_a = g_ab(a, training=True), g_ba(b, training=True)
            if pools:
                fake_b, fake_a = pools[0](fake_b), pools[1](fake_a)
            d_loss = mean(
                objective.discriminator(d_b(b, training=True), d_b(fake_b, training=True))
                + objective.discriminator(d_a(a, training=True), d_a(fake_a, training=True)))
        apply(d_optimizer, tape, d_loss, d_variables)
        with tf.GradientTape() as tape:
            fake_b, fake_a = g_ab(a, training=True), g_ba(b, training=True)
            adversarial = (objective.generator(d_b(fake_b, training=True))
                           + objective.generator(d_a(fake_a, training=True)))
            cycle = l1(g_ba(fake_b, training=True), a) + l1(g_ab(fake_a, training=True), b)
            identity = l1(g_ab(b, training=True), b) + l1(g_ba(a, training=True), a)
            g_loss = mean(adversarial + gan.cycle_weight * cycle
                          + gan.identity_weight * identity)
        apply(g_optimizer, tape, g_loss, g_variables)
        update_averages(gan)
        return d_loss, g_loss

    return step


def pix2pix_step(gan, d_optimizer, g_optimizer, jit_compile):
    generator, discriminator, objective = gan.generator, gan.discriminator, gan.adversarial

    def translate(inputs):
        masks = [tf.random.uniform([tf.shape(inputs)[0], *shape])
                 for shape in gan.dropout_shapes]
        return generator([inputs, *masks], training=True)

    @tf.function(jit_compile=jit_compile)
    def step(inputs, targets):
        with tf.GradientTape() as tape:
            fake = translate(inputs)
            d_loss = 0.5 * mean(objective.discriminator(
                discriminator([targets, inputs], training=True),
                discriminator([fake, inputs], training=True)))
        apply(d_optimizer, tape, d_loss, discriminator.trainable_variables)
        with tf.GradientTape() as tape:
            fake = translate(inputs)
            g_loss = mean(objective.generator(discriminator([fake, inputs], training=True))
                          + gan.l1_weight * losses.per_example(tf.abs(fake - targets)))
        apply(g_optimizer, tape, g_loss, generator.trainable_variables)
        update_averages(gan)
        return d_loss, g_loss

    return step


def step_for(gan, d_optimizer, g_optimizer, jit_compile):
    """The hand-written step for `gan`: a tf.function of one batch as fit() gets it."""
    if gan.data_kind == "paired":
        return pix2pix_step(gan, d_optimizer, g_optimizer, jit_compile)
    if gan.data_kind == "unpaired":
        return cyclegan_step(gan, d_optimizer, g_optimizer, jit_compile)
    return noise_to_image_step(gan, d_optimizer, g_optimizer, jit_compile)
