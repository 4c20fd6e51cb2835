"""`GAN`: the keras.Model every variant shares, with the one training step.

A batch goes through `unpack`, then `discriminator_updates()` (d_steps) discriminator
updates (each followed by `after_discriminator_step`), then `g_steps` generator updates (each followed by
`after_generator_step`). A variant supplies its networks and these hooks:
  discriminator_losses / generator_losses  the per-example loss terms of one update
  after_discriminator_step                  e.g. weight clipping
  after_generator_step                      e.g. an exponential moving average of G
  default_optimizers                        the paper's optimizers
  serving_signatures                        what the SavedModel offers
Every discriminator call of a training step goes through `discriminate`.

The two kinds of model build on it: `NoiseToImageGAN` (noise_to_image.py) and
`ImageToImageGAN` (image_to_image.py).
"""
import inspect

import keras
import tensorflow as tf
from keras.src.trainers.compile_utils import MetricsList

from tfgan_zoo import losses as losses_lib
from tfgan_zoo import precision, ranges, tricks
from tfgan_zoo.ranges import Whole


class ReplicaNoise:
    """Random draws for one update that do not depend on the number of replicas.

    Every replica draws for the whole global batch from a stateless generator
    keyed by (seed, update counter, stream, draw) and keeps its own slice, so
    together the replicas use exactly the single-device noise. The counter is an
    optimizer's `iterations`, which checkpoints restore: a resumed run continues
    the same stream.
    """

    def __init__(self, seed, counter, stream, local_batch):
        self._key = tf.random.experimental.stateless_fold_in([seed, stream],
                                                             tf.cast(counter, tf.int64))
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
        return self._slice(self.global_uniform(shape))

    def global_uniform(self, shape=()):
        """[global_batch, *shape] uniform in [0, 1): the same on every replica (for state
        all replicas update alike, such as CycleGAN's image pool)."""
        global_shape = [self._local_batch * self._replicas, *shape]
        return tf.random.stateless_uniform(global_shape, self._next_key())


# ReplicaNoise streams: the two updates draw independent noise.
DISCRIMINATOR_NOISE, GENERATOR_NOISE = 0, 1


class Trackers(MetricsList):
    """The logged means. Keras callbacks in mode="auto" (EarlyStopping, ModelCheckpoint,
    ReduceLROnPlateau) read a metric's direction only inside Keras's own metric
    containers, so the trackers live in one; losses declare "down"."""

    def __init__(self, loss_names, stat_names):
        trackers = []
        for name in (*loss_names, *stat_names):
            tracker = keras.metrics.Mean(name=name)
            if name in loss_names:
                tracker._direction = "down"
            trackers.append(tracker)
        super().__init__(trackers, name="trackers")
        self.by_name = {tracker.name: tracker for tracker in trackers}

    def result(self):
        return {name: tracker.result() for name, tracker in self.by_name.items()}


@keras.saving.register_keras_serializable("tfgan_zoo")
class GAN(keras.Model):
    """A generator and a discriminator trained by one shared `train_step`.

    Args:
      loss: the adversarial loss: non_saturating, minimax, wasserstein, hinge or least_squares.
      d_steps: discriminator updates per batch.
      g_steps: generator updates per batch, after the discriminator's.
      seed: seeds every random draw of training and generate().
      ema_decay: keep an exponential moving average of G's weights with this decay (e.g. 0.999), used to sample, evaluate and export; 0: off.
      ema_start: batches before the average starts (it copies G's weights until then).
      instance_noise: stddev of Gaussian noise on D's inputs (real and fake), linearly annealed to 0; 0: off.
      instance_noise_steps: batches over which the instance noise fades to 0.
      label_smoothing: real targets 1 - this in D's loss (one-sided; sigmoid and least-squares losses).
      augment: differentiable augmentations of D's inputs, comma-separated: translation, cutout, color; empty: off.
      r1_weight: gamma of the R1 penalty gamma/2 * ||grad D(x)||^2 on real data; 0: off.
    """

    paper = None  # the citation a variant implements
    # What fit()'s batches hold: "images", "labelled" (images, labels),
    # "unpaired" or "paired" (a, b); the trainer loads data accordingly.
    data_kind = None
    data_hparams = ()  # constructor arguments the trainer takes from the data
    network_names = ("generator", "discriminator")
    generator_names = ("generator",)  # the networks that make images (averaged by ema_decay)
    loss_names = ()  # loss terms logged besides the totals d_loss and g_loss
    stat_names = ("d_real", "d_fake")  # values only logged

    def __init__(self, generator, discriminator,
                 loss: ranges.OneOf(*losses_lib.LOSSES) = "non_saturating",
                 d_steps: Whole(1, 1000) = 1, g_steps: Whole(1, 1000) = 1,
                 seed: Whole(0, 2**32 - 1) = 0, ema_decay: ranges.fraction() = 0.0,
                 ema_start: Whole(0) = 0, instance_noise: ranges.weight() = 0.0,
                 instance_noise_steps: Whole(1) = 2000,
                 label_smoothing: ranges.fraction() = 0.0,
                 augment: ranges.NameList(*tricks.AUGMENTATIONS) = "",
                 r1_weight: ranges.weight() = 0.0, **kwargs):
        # networks beyond the first two (e.g. CycleGAN's second pair) come by name
        others = {name: kwargs.pop(name) for name in self.network_names
                  if name not in ("generator", "discriminator")}
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        for name, network in others.items():
            setattr(self, name, network)
        self.check_hyperparameters(
            loss=loss, d_steps=d_steps, g_steps=g_steps, seed=seed, ema_decay=ema_decay,
            ema_start=ema_start, instance_noise=instance_noise,
            instance_noise_steps=instance_noise_steps, label_smoothing=label_smoothing,
            augment=augment, r1_weight=r1_weight)
        self.loss_name = loss
        self.label_smoothing = label_smoothing
        self.adversarial = losses_lib.adversarial(loss, label_smoothing)
        self.d_steps, self.g_steps, self.seed = d_steps, g_steps, seed
        self.ema_decay, self.ema_start = ema_decay, ema_start
        self.instance_noise, self.instance_noise_steps = instance_noise, instance_noise_steps
        self.augment, self.augmentations = augment, tricks.parse_augment(augment)
        self.r1_weight = r1_weight
        if ema_decay:
            for name in self.generator_names:
                setattr(self, "ema_" + name, tricks.average_of(getattr(self, name)))
        penalties = ("r1",) if r1_weight else ()
        self.trackers = Trackers(("d_loss", "g_loss", *self.loss_names, *penalties),
                                 self.stat_names)
        self.built = True  # the networks are; fit() must not build us symbolically

    @classmethod
    def hyperparameters(cls):
        """{constructor argument: default} over the class hierarchy, networks excluded;
        a subclass's default wins over its base's."""
        found = {}
        for klass in cls.__mro__:
            if klass is keras.Model:
                break
            for name, parameter in inspect.signature(klass.__init__).parameters.items():
                if (name not in ("self", "kwargs") and name not in cls.network_names
                        and name not in found):
                    found[name] = parameter.default
        return found

    @classmethod
    def hyperparameter_ranges(cls):
        """{constructor argument: its ranges.Range}, from the annotations over the class
        hierarchy: a subclass that changes a default without an annotation keeps its
        base's range."""
        found = {}
        for klass in cls.__mro__:
            if klass is keras.Model:
                break
            for name, parameter in inspect.signature(klass.__init__).parameters.items():
                if isinstance(parameter.annotation, ranges.Range):
                    found.setdefault(name, parameter.annotation)
        return found

    @classmethod
    def check_hyperparameters(cls, prefix="", **values):
        """InputError for the first value outside its declared range (named `prefix` +
        the argument, e.g. "config.hparams.width")."""
        allowed = cls.hyperparameter_ranges()
        for name, value in values.items():
            if name in allowed:
                ranges.check(prefix + name, allowed[name], value)

    @property
    def discriminator_variables(self):
        return self.discriminator.trainable_variables

    @property
    def generator_variables(self):
        return self.generator.trainable_variables

    def sampling_network(self, name="generator"):
        """The generator `name` as used for samples: its moving average if ema_decay is on."""
        return getattr(self, "ema_" + name) if self.ema_decay else getattr(self, name)

    @property
    def batches_trained(self):
        """Batches trained so far (each makes g_steps generator updates)."""
        return self.g_optimizer.iterations // self.g_steps

    @property
    def metrics(self):
        return [self.trackers]

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
        # mixed_float16: loss scaling for both (Keras would wrap only `optimizer`)
        self.d_optimizer, self.g_optimizer = (
            precision.with_loss_scaling(keras.optimizers.get(optimizer), self.dtype_policy)
            for optimizer in (d_optimizer or default_d, g_optimizer or default_g))
        # Passing g_optimizer stops Keras from creating an unused default optimizer
        # (which TensorBoard would log as the learning rate).
        super().compile(optimizer=self.g_optimizer, **kwargs)
        # Build now, each on its own network: otherwise fit() builds `optimizer`
        # on all trainable variables, and a reloaded model has no slots to load into.
        self.d_optimizer.build(self.discriminator_variables)
        self.g_optimizer.build(self.generator_variables)

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Under a strategy, Keras's fit() reads a batch and averages it across replicas to
        # build the model symbolically. A GAN is built when made and compiled, and that
        # average fails on tuple batches (images, labels) under MultiWorkerMirroredStrategy.
        if all(layer.built for layer in self._flatten_layers()) and self.d_optimizer.built:
            return
        super()._maybe_symbolic_build(iterator, data_batch)

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
        config["name"] = self.name
        for name in self.hyperparameters():
            config[name] = getattr(self, "loss_name" if name == "loss" else name)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for name in cls.network_names:
            config[name] = keras.saving.deserialize_keras_object(config[name])
        return cls(**config)

    # --- the training step -----------------------------------------------------

    def train_step(self, data):
        batch = self.unpack(data)

        def discriminator_update():
            d_loss, d_logs = self._update(self.discriminator_losses, self.d_optimizer,
                                          self.discriminator_variables, batch,
                                          DISCRIMINATOR_NOISE)
            self.after_discriminator_step()
            return d_loss, d_logs

        updates = self.discriminator_updates()
        if isinstance(updates, int):
            for _ in range(updates):
                d_loss, d_logs = discriminator_update()
        else:  # a count that changes during training: a loop in the graph
            def another(done, loss, logs):
                return (done + 1, *discriminator_update())

            _, d_loss, d_logs = tf.while_loop(lambda done, *_: done < updates, another,
                                              (1, *discriminator_update()))
        for _ in range(self.g_steps):
            g_loss, g_logs = self._update(self.generator_losses, self.g_optimizer,
                                          self.generator_variables, batch, GENERATOR_NOISE)
            self.after_generator_step()
            if self.ema_decay:
                self._update_averages()
        # The last update's values stand for this batch.
        return self._log({"d_loss": d_loss, "g_loss": g_loss, **d_logs, **g_logs})

    def _update(self, losses_fn, optimizer, variables, batch, stream):
        local_batch = tf.shape(tf.nest.flatten(batch)[0])[0]
        noise = ReplicaNoise(self.seed, optimizer.iterations, stream, local_batch)
        with tf.GradientTape() as tape:
            terms, stats = losses_fn(*batch, noise)
            # Sum over the replica's examples / global batch, per term: Keras sums
            # gradients across replicas, so this is the global mean.
            terms = {k: tf.nn.compute_average_loss(v) for k, v in terms.items()}
            total = tf.add_n(list(terms.values()))
            scaled = optimizer.scale_loss(total)  # mixed_float16's loss scale, else as is
        optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
        logs = {k: v for k, v in terms.items() if k != "adversarial"}
        logs.update({k: tf.nn.compute_average_loss(v) for k, v in stats.items()})
        return total, logs

    def _update_averages(self):
        # copies until ema_start, then averages (Yazıcı et al. 2019)
        decay = tf.where(self.batches_trained > self.ema_start, self.ema_decay, 0.0)
        for name in self.generator_names:
            tricks.update_average(getattr(self, "ema_" + name), getattr(self, name), decay)

    def _log(self, values):
        # Values are sums over this replica / global batch; times the replica
        # count, each replica's tracker sees its own mean, and the trackers'
        # cross-replica aggregation gives the global mean.
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        for name, value in values.items():
            if name not in self.trackers.by_name:
                raise ValueError(f"{type(self).__name__} logs {name!r}: add it to "
                                 "loss_names (a loss term) or stat_names (a logged value)")
            self.trackers.by_name[name].update_state(value * replicas)
        logs = {name: tracker.result() for name, tracker in self.trackers.by_name.items()}
        strategy = tf.distribute.get_strategy()
        if (isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
                and strategy.extended._in_multi_worker_mode()):
            # Keras 3 fit() reduces logs across workers along axis 0, which scalars lack
            # (tensorflow#72388); it takes this same branch (a one-worker cluster does not).
            logs = {name: tf.reshape(value, [1]) for name, value in logs.items()}
        return logs

    # --- hooks -----------------------------------------------------------------

    def unpack(self, data):
        """A batch from fit() -> the loss hooks' positional arguments (a tuple)."""
        raise NotImplementedError

    def discriminate(self, images, noise, condition=None, network=None):
        """Logits of `network` (default: the discriminator) for `images`, conditioned on
        `condition` (labels, or the input image of a paired translation) if given.
        Every discriminator call of a training step goes through here: the one place
        for what changes D's inputs (DiffAugment, then instance noise), with draws
        from the step's `noise`."""
        network = network or self.discriminator
        if self.augmentations:
            images = tricks.diff_augment(images, noise, self.augmentations)
        if self.instance_noise:
            stddev = tricks.instance_noise_stddev(self.batches_trained, self.instance_noise,
                                                  self.instance_noise_steps)
            images = images + stddev * noise.normal(images.shape[1:])
        inputs = images if condition is None else [images, condition]
        return precision.float32(network(inputs, training=True))

    def discriminate_real(self, images, noise, condition=None, network=None):
        """(logits, penalty terms) for real images: `discriminate`, and the R1 penalty
        (Mescheder et al. 2018, eq. 9) if r1_weight is on."""
        if not self.r1_weight:
            return self.discriminate(images, noise, condition, network), {}
        scale = precision.loss_scale(self.d_optimizer)
        with tf.GradientTape() as tape:
            tape.watch(images)
            logits = self.discriminate(images, noise, condition, network)
            scaled = logits * scale
        r1 = losses_lib.r1_penalty(scaled, images, tape, scale)
        return logits, {"r1": 0.5 * self.r1_weight * r1}

    def discriminator_losses(self, *batch_and_noise):
        """(terms, stats): per-example loss terms to minimise, per-example values to log.
        A term named "adversarial" goes into the total without being logged on its own."""
        raise NotImplementedError

    def generator_losses(self, *batch_and_noise):
        raise NotImplementedError

    def discriminator_updates(self):
        """Discriminator updates for this batch: d_steps, or a tensor from the batches
        trained (WGAN's critic schedule)."""
        return self.d_steps

    def after_discriminator_step(self):
        """Runs after every discriminator update (e.g. weight clipping)."""

    def after_generator_step(self):
        """Runs after every generator update (e.g. a moving average of G's weights)."""

    def export_metadata(self):
        """What a SavedModel export records about the model (assets.extra/tfgan_zoo.json)."""
        from tfgan_zoo.pretrained import constructor_arguments

        return {"model": getattr(self, "registry_name", type(self).__name__),
                "data_kind": self.data_kind, "image_shape": list(self.image_shape),
                "hparams": constructor_arguments(self)}

    def serving_signatures(self):
        """{name: (function, input_signature)} for the SavedModel; the first is also
        `serving_default`. Each function returns `images.serving_outputs(...)`."""
        raise NotImplementedError


def split_pair(data):
    """(first, second or None) of a batch: fit() passes a dataset's (x, y) or dict as is,
    train_on_batch(x) passes (x, None, None) with x possibly a pair itself."""
    if isinstance(data, dict):
        return data["image"], data.get("label")
    x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
    if y is None and isinstance(x, (tuple, list)) and len(x) == 2:
        x, y = x
    # run_eagerly passes numpy arrays through as they are
    return tf.convert_to_tensor(x), None if y is None else tf.convert_to_tensor(y)
