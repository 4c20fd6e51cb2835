"""`NoiseToImageGAN`: models that draw images from noise, G(z) or G(z, y) (vanilla,
DCGAN, cGAN, the WGANs). Trained on batches of real images, with labels if conditional."""
import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import images as images_lib
from tfgan_zoo import losses as losses_lib
from tfgan_zoo import precision
from tfgan_zoo.errors import InputError
from tfgan_zoo.gan import GAN, split_pair


class NoiseToImageGAN(GAN):
    """G: z [batch, latent_dim] (and labels [batch] if conditional) -> images in [-1, 1];
    D: images (and labels) -> logits. Networks are built by the variant. `generate`,
    previews and the SavedModel use G's moving average when ema_decay is on."""

    data_kind = "images"
    data_hparams = ("image_shape",)
    num_classes = None  # a conditional variant sets it (and data_kind = "labelled")

    def __init__(self, generator, discriminator, **kwargs):
        super().__init__(generator, discriminator, **kwargs)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    @property
    def conditional(self):
        return self.num_classes is not None

    @property
    def latent_dim(self):
        return self.generator.inputs[0].shape[-1]

    @property
    def image_shape(self):
        return tuple(self.generator.outputs[0].shape[1:])

    # --- training ----------------------------------------------------------------

    def unpack(self, data):
        """(images, labels or None); labels in the data are ignored unless conditional."""
        images, labels = split_pair(data)
        images_lib.check_shape(
            images.shape[1:], self.image_shape,
            f"build the model for them, e.g. tfgan_zoo.models.get("
            f"{getattr(self, 'registry_name', 'NAME')!r}, image_shape={tuple(images.shape[1:])})")
        if not self.conditional:
            return images, None
        if labels is None:
            raise InputError(f"{type(self).__name__} is conditional and needs labels: "
                             "give (images, labels) batches, e.g. data.load(..., labels=True)")
        return images, labels

    def generate_fake(self, noise, labels):
        """G's images for a batch: z from the step's noise, the batch's labels if conditional."""
        z = noise.normal([self.latent_dim])
        return precision.float32(
            self.generator([z, labels] if self.conditional else z, training=True))

    def discriminator_losses(self, images, labels, noise):
        fake = self.generate_fake(noise, labels)
        real_logits, penalties = self.discriminate_real(images, noise, labels)
        fake_logits = self.discriminate(fake, noise, labels)
        terms = {"adversarial": self.adversarial.discriminator(real_logits, fake_logits),
                 **penalties}
        terms.update(self.penalty(images, fake, labels, noise))
        stats = {"d_real": losses_lib.per_example(self.adversarial.output(real_logits)),
                 "d_fake": losses_lib.per_example(self.adversarial.output(fake_logits))}
        return terms, stats

    def generator_losses(self, images, labels, noise):
        fake_logits = self.discriminate(self.generate_fake(noise, labels), noise, labels)
        return {"adversarial": self.adversarial.generator(fake_logits)}, {}

    def penalty(self, images, fake, labels, noise):
        """Extra per-example discriminator terms, by name (e.g. {"gp": ...})."""
        return {}

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
        return keras.ops.convert_to_numpy(
            precision.float32(self.sampling_network()(inputs, training=False)))

    def preview_inputs(self, num_samples=64, seed=0, data=None):
        """A fixed z (and labels: one row per class if conditional) for image grids."""
        labels = None
        if self.conditional:
            labels = np.repeat(np.arange(self.num_classes), max(1, num_samples // self.num_classes))
            num_samples = len(labels)
        z = np.random.default_rng(seed).standard_normal((num_samples, self.latent_dim))
        return z.astype(np.float32), labels

    def preview(self, inputs):
        """(images, rows) for a grid of `preview_inputs()`."""
        z, labels = inputs
        return self.generate(z=z, labels=labels), self.num_classes

    def export_metadata(self):
        return {**super().export_metadata(), "latent_dim": self.latent_dim,
                "num_classes": self.num_classes}

    def serving_signatures(self):
        """`generate(z)`; conditional: `generate({"z": z, "label": label})` (as a serving
        signature: inputs z and label) and `random_labels(z)`."""
        z_spec = tf.TensorSpec([None, self.latent_dim], tf.float32, name="z")
        generator = self.sampling_network()
        if not self.conditional:
            return {"generate": (lambda z: images_lib.serving_outputs(
                generator(z, training=False)), [z_spec])}

        def generate(inputs):  # one dict, so that one-argument callers (TFSMLayer) can call it
            return images_lib.serving_outputs(
                generator([inputs["z"], inputs["label"]], training=False))

        def random_labels(z):
            # a float draw, floored: TFLite has no integer RandomUniformInt
            draw = tf.random.uniform([tf.shape(z)[0]]) * self.num_classes
            label = tf.minimum(tf.cast(draw, tf.int32), self.num_classes - 1)
            return {**generate({"z": z, "label": label}), "label": label}

        label_spec = tf.TensorSpec([None], tf.int32, name="label")
        return {"generate": (generate, [{"z": z_spec, "label": label_spec}]),
                "random_labels": (random_labels, [z_spec])}
