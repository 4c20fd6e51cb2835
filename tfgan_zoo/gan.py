"""`GAN`: the keras.Model every variant shares, with the one training step.

A variant is its networks plus a few hooks:
  discriminator_losses / generator_losses  the loss terms of one update
  penalty                                   extra discriminator terms (e.g. a gradient penalty)
  after_discriminator_step                  e.g. weight clipping
  default_optimizers                        the paper's optimizers
  serving_signatures                        what the SavedModel offers
"""
import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import losses as losses_lib
from tfgan_zoo.errors import InputError


class ReplicaNoise:
    """Random draws for one update that do not depend on the number of replicas.

    Every replica draws for the whole global batch from a stateless generator
    keyed by (seed, update counter, stream, draw) and keeps its own slice, so
    together the replicas use exactly the single-device noise. The counter is an
    optimizer's `iterations`, which checkpoints restore: a resumed run continues
    the same stream.
    """

    def __init__(self, seed, counter, stream, local_batch):
        key = tf.random.experimental.stateless_fold_in([seed, stream], tf.cast(counter, tf.int64))
        self._key = key
        self._draws = 0
        self._local_batch = local_batch
        context = tf.distribute.get_replica_context()
        self._replicas = context.num_replicas_in_sync if context else 1
        self._replica = context.replica_id_in_sync_group if context else 0

    def _next_key(self):
        self._draws += 1
        return tf.random.experimental.stateless_fold_in(self._key, self._draws)

    def _slice(self, draw):
        start = self._replica * self._local_batch
        return draw[start : start + self._local_batch]

    def normal(self, shape):
        """[local_batch, *shape] standard normal."""
        global_shape = [self._local_batch * self._replicas, *shape]
        return self._slice(tf.random.stateless_normal(global_shape, self._next_key()))

    def uniform(self, shape=()):
        """[local_batch, *shape] uniform in [0, 1)."""
        global_shape = [self._local_batch * self._replicas, *shape]
        return self._slice(tf.random.stateless_uniform(global_shape, self._next_key()))


@keras.saving.register_keras_serializable("tfgan_zoo")
class GAN(keras.Model):
    """A generator and a discriminator trained by one shared `train_step`.

    Args:
      generator: keras.Model, z [batch, latent_dim] (and labels [batch] if
        `num_classes`) -> images [batch, h, w, c] in [-1, 1].
      discriminator: keras.Model, images (and labels) -> logits.
      loss: a key of `losses.ADVERSARIAL` ("non_saturating", "minimax",
        "wasserstein", "hinge", "least_squares").
      num_classes: set for a label-conditioned generator and discriminator.
      d_steps, g_steps: discriminator then generator updates per batch.
      seed: seeds every random draw of training and `generate()`.
    """

    paper = None  # the citation a variant implements
    default_loss = "non_saturating"
    default_d_steps = 1
    network_names = ("generator", "discriminator")
    hparam_names = ()  # a variant's own constructor arguments, for get_config
    unpaired = False  # True: trains on (a, b) batches of two domains (CycleGAN)
    # Logged besides the totals d_loss and g_loss; a hook's term named
    # "adversarial" is part of a total and not logged on its own.
    log_names = ("d_real", "d_fake")

    def __init__(self, generator, discriminator, loss=None, num_classes=None, d_steps=None,
                 g_steps=1, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.loss_name = loss or self.default_loss
        if self.loss_name not in losses_lib.ADVERSARIAL:
            raise InputError(f"unknown loss {self.loss_name!r}: choose one of "
                             f"{', '.join(losses_lib.ADVERSARIAL)}")
        self.adversarial = losses_lib.ADVERSARIAL[self.loss_name]
        self.num_classes = num_classes
        self.d_steps = d_steps or self.default_d_steps
        self.g_steps = g_steps
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = {name: keras.metrics.Mean(name=name)
                         for name in ("d_loss", "g_loss", *self.log_names)}
        self.built = True  # the networks are; fit() must not build us symbolically

    # --- what the model is ---------------------------------------------------

    @property
    def conditional(self):
        return self.num_classes is not None

    @property
    def latent_dim(self):
        return self.generator.inputs[0].shape[-1]

    @property
    def image_shape(self):
        return tuple(self.generator.outputs[0].shape[1:])

    @property
    def discriminator_variables(self):
        return self.discriminator.trainable_variables

    @property
    def generator_variables(self):
        return self.generator.trainable_variables

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    # --- compile and serialization ---------------------------------------------

    def default_optimizers(self):
        """(d_optimizer, g_optimizer) from the paper. DCGAN: Adam(2e-4, beta_1=0.5)."""
        return (keras.optimizers.Adam(2e-4, beta_1=0.5),
                keras.optimizers.Adam(2e-4, beta_1=0.5))

    def compile(self, d_optimizer=None, g_optimizer=None, **kwargs):
        """Paper defaults for any optimizer not given; other kwargs go to keras.Model.compile."""
        default_d, default_g = self.default_optimizers()
        self.d_optimizer = keras.optimizers.get(d_optimizer or default_d)
        self.g_optimizer = keras.optimizers.get(g_optimizer or default_g)
        # Passing g_optimizer stops Keras from creating an unused default optimizer
        # (which TensorBoard would log as the learning rate).
        super().compile(optimizer=self.g_optimizer, **kwargs)
        # Build now, each on its own network: otherwise fit() builds `optimizer`
        # on all trainable variables, and a reloaded model has no slots to load into.
        self.d_optimizer.build(self.discriminator_variables)
        self.g_optimizer.build(self.generator_variables)

    def get_compile_config(self):
        return {
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            "jit_compile": self.jit_compile,
        }

    def compile_from_config(self, config):
        self.compile(d_optimizer=keras.optimizers.deserialize(config["d_optimizer"]),
                     g_optimizer=keras.optimizers.deserialize(config["g_optimizer"]),
                     jit_compile=config.get("jit_compile", "auto"))

    def get_config(self):
        config = {name: keras.saving.serialize_keras_object(getattr(self, name))
                  for name in self.network_names}
        config.update(name=self.name, loss=self.loss_name, num_classes=self.num_classes,
                      d_steps=self.d_steps, g_steps=self.g_steps, seed=self.seed)
        config.update({name: getattr(self, name) for name in self.hparam_names})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for name in cls.network_names:
            config[name] = keras.saving.deserialize_keras_object(config[name])
        return cls(**config)

    # --- the training step -----------------------------------------------------

    def unpack(self, data):
        """A batch from fit() -> the loss hooks' arguments: (images, labels or None)."""
        images, labels = split_pair(data)
        check_images(images.shape[1:], self.image_shape, "the model")
        if self.conditional and labels is None:
            raise InputError(f"{type(self).__name__} is conditional and needs labels: "
                             "give (images, labels) batches, e.g. data.load(..., labels=True)")
        return images, labels

    def train_step(self, data):
        batch = self.unpack(data)
        for _ in range(self.d_steps):
            d_loss, d_logs = self._update(self.discriminator_losses, self.d_optimizer,
                                          self.discriminator_variables, batch, stream=0)
            self.after_discriminator_step()
        for _ in range(self.g_steps):
            g_loss, g_logs = self._update(self.generator_losses, self.g_optimizer,
                                          self.generator_variables, batch, stream=1)
        # The last update's values stand for this batch.
        return self._log({"d_loss": d_loss, "g_loss": g_loss, **d_logs, **g_logs})

    def _update(self, losses_fn, optimizer, variables, batch, stream):
        local_batch = tf.shape(batch[0])[0]
        noise = ReplicaNoise(self.seed, optimizer.iterations, stream, local_batch)
        with tf.GradientTape() as tape:
            terms, stats = losses_fn(*batch, noise)
            # Sum over the replica's examples / global batch, per term: Keras sums
            # gradients across replicas, so this is the global mean.
            terms = {k: tf.nn.compute_average_loss(v) for k, v in terms.items()}
            total = tf.add_n(list(terms.values()))
        optimizer.apply_gradients(zip(tape.gradient(total, variables), variables))
        logs = {k: v for k, v in terms.items() if k != "adversarial"}
        logs.update({k: tf.nn.compute_average_loss(v) for k, v in stats.items()})
        return total, logs

    def _log(self, values):
        # Values are sums over this replica / global batch; times the replica
        # count, each replica's tracker sees its own mean, and the trackers'
        # cross-replica aggregation gives the global mean.
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        for name, value in values.items():
            if name not in self.trackers:
                raise ValueError(f"{type(self).__name__} logs {name!r}: add it to log_names")
            self.trackers[name].update_state(value * replicas)
        logs = {name: tracker.result() for name, tracker in self.trackers.items()}
        if isinstance(tf.distribute.get_strategy(), tf.distribute.MultiWorkerMirroredStrategy):
            # Keras 3 fit() cannot reduce scalar logs across workers (tensorflow#72388).
            logs = {name: tf.reshape(value, [1]) for name, value in logs.items()}
        return logs

    # --- hooks -----------------------------------------------------------------

    def discriminate(self, images, labels, training=True):
        inputs = [images, labels] if self.conditional else images
        return self.discriminator(inputs, training=training)

    def generate_fake(self, noise, labels, training=True):
        z = noise.normal([self.latent_dim])
        return self.generator([z, labels] if self.conditional else z, training=training)

    def discriminator_losses(self, images, labels, noise):
        """(terms, stats): per-example loss terms to minimise, per-example values to log."""
        fake = self.generate_fake(noise, labels)
        real_logits = self.discriminate(images, labels)
        fake_logits = self.discriminate(fake, labels)
        terms = {"adversarial": self.adversarial.discriminator(real_logits, fake_logits)}
        terms.update(self.penalty(images, fake, labels, noise))
        stats = {"d_real": losses_lib.per_example(self.adversarial.output(real_logits)),
                 "d_fake": losses_lib.per_example(self.adversarial.output(fake_logits))}
        return terms, stats

    def generator_losses(self, images, labels, noise):
        fake_logits = self.discriminate(self.generate_fake(noise, labels), labels)
        return {"adversarial": self.adversarial.generator(fake_logits)}, {}

    def penalty(self, images, fake, labels, noise):
        """Extra per-example discriminator terms, by name (e.g. {"gp": ...})."""
        return {}

    def after_discriminator_step(self):
        """Runs after every discriminator update (e.g. weight clipping)."""

    # --- using a trained model ---------------------------------------------------

    def generate(self, z=None, labels=None, n=None):
        """Images in [-1, 1] as a float32 numpy array [n, h, w, c].

        Draws `n` latent vectors (default 16) unless `z` is given; a conditional
        model cycles through the classes unless `labels` is given.
        """
        if z is None:
            n = n or (len(labels) if labels is not None else 16)
            z = keras.random.normal((n, self.latent_dim), seed=self.seed_generator)
        z = tf.convert_to_tensor(z, tf.float32)
        inputs = z
        if self.conditional:
            if labels is None:
                labels = tf.range(tf.shape(z)[0]) % self.num_classes
            inputs = [z, tf.cast(labels, tf.int32)]
        return keras.ops.convert_to_numpy(self.generator(inputs, training=False))

    def preview(self, num_samples=64, seed=0, batch=None):
        """(images, rows): samples from a fixed z for image grids; one row per class if conditional.

        `batch`, a batch of training data, is for models that translate real images."""
        rows = self.num_classes if self.conditional else None
        labels = None
        if self.conditional:
            per_row = max(1, num_samples // self.num_classes)
            labels = np.repeat(np.arange(self.num_classes), per_row)
            num_samples = len(labels)
        z = np.random.default_rng(seed).standard_normal((num_samples, self.latent_dim))
        return self.generate(z=z.astype(np.float32), labels=labels), rows

    def serving_signatures(self):
        """{name: (function, input_signature)} for the SavedModel; the first is also
        `serving_default`. Conditional models add `random_labels(z)`, which draws the labels."""
        z_spec = tf.TensorSpec([None, self.latent_dim], tf.float32, name="z")
        if not self.conditional:
            return {"generate": (lambda z: images_output(self.generator(z, training=False)),
                                 [z_spec])}

        def generate(z, label):
            return images_output(self.generator([z, label], training=False))

        def random_labels(z):
            label = tf.random.uniform([tf.shape(z)[0]], 0, self.num_classes, tf.int32)
            return {**generate(z, label), "label": label}

        return {"generate": (generate, [z_spec, tf.TensorSpec([None], tf.int32, name="label")]),
                "random_labels": (random_labels, [z_spec])}


def split_pair(data):
    """(first, second or None) of a batch: fit() passes a dataset's (x, y) or dict as is,
    train_on_batch(x) passes (x, None, None) with x possibly a pair itself."""
    if isinstance(data, dict):
        return data["image"], data.get("label")
    x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
    if y is None and isinstance(x, (tuple, list)) and len(x) == 2:
        x, y = x
    return x, y


def images_output(images):
    """The serving outputs: `images` float32 in [-1, 1] and `pixels` uint8 in [0, 255]."""
    pixels = tf.cast(tf.round((tf.clip_by_value(images, -1.0, 1.0) + 1.0) * 127.5), tf.uint8)
    return {"images": images, "pixels": pixels}


def check_images(data_shape, model_shape, what):
    """Raises InputError unless images of `data_shape` fit `model_shape` (h, w, c)."""
    if tuple(data_shape) != tuple(model_shape):
        raise InputError(
            f"the dataset's images are {tuple(data_shape)} (height, width, channels) but {what} "
            f"expects {tuple(model_shape)}: pick a matching dataset or set the config's image_size")
