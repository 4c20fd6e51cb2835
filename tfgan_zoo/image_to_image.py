"""`ImageToImageGAN`: models that translate real images (CycleGAN unpaired, pix2pix
paired). Trained on (a, b) batches; `directions` names the generator of each way."""
import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import images as images_lib
from tfgan_zoo import losses, precision
from tfgan_zoo.errors import InputError
from tfgan_zoo.gan import GAN, split_pair


def mean_absolute_error(x, y):
    """|x - y| per example: the translations' L1 losses (CycleGAN's cycle and identity
    losses, pix2pix's distance to the target)."""
    return losses.per_example(tf.abs(x - y))


class ImageToImageGAN(GAN):
    """G: images of domain A -> images of domain B, in [-1, 1]."""

    data_kind = "paired"
    data_hparams = ("image_shape",)
    directions = {"a_to_b": "generator"}  # direction -> the network that translates

    @property
    def image_shape(self):
        """The training images' (height, width, channels); the generators are fully
        convolutional and built for any height and width."""
        return tuple(self._image_shape)

    @property
    def target_shape(self):
        return (*self.image_shape[:2], self.generator.outputs[0].shape[-1])

    def unpack(self, data):
        """(a, b): a batch of each domain."""
        a, b = split_pair(data)
        if b is None:
            raise InputError(f"{type(self).__name__} trains on (a, b) batches of two domains: "
                             f"use data.load_{self.data_kind}(...)")
        fix = ("build the model for them (image_shape=...) or resize the data "
               "(config: image_size, channels)")
        images_lib.check_shape(a.shape[1:], self.image_shape, "domain A: " + fix)
        images_lib.check_shape(b.shape[1:], self.target_shape,
                               "domain B: " + fix)
        return a, b

    @property
    def generator_names(self):
        return tuple(dict.fromkeys(self.directions.values()))

    def translate(self, images, direction="a_to_b", training=True):
        """One direction's generator: the training network, or with training=False the
        network used for samples (its moving average if ema_decay is on)."""
        name = self.directions[direction]
        network = getattr(self, name) if training else self.sampling_network(name)
        return precision.float32(network(images, training=training))

    # --- using a trained model ---------------------------------------------------

    def generate(self, images, direction="a_to_b"):
        """Translates images in [-1, 1] one way (see `directions`); a float32 numpy array."""
        if direction not in self.directions:
            raise InputError(f"unknown direction {direction!r}: choose one of "
                             f"{', '.join(self.directions)}")
        images = tf.convert_to_tensor(images, tf.float32)
        return keras.ops.convert_to_numpy(self.translate(images, direction, training=False))

    def preview_inputs(self, num_samples=64, seed=0, data=None):
        """The first real (a, b) images of `data` (a dataset of training batches)."""
        del seed  # the inputs are real images, not draws
        if data is None:
            raise ValueError(f"{type(self).__name__} previews translate real images: "
                             "pass data=<a dataset of (a, b) batches>")
        a, b = next(iter(data)) if isinstance(data, tf.data.Dataset) else data
        per_row = min(8, len(a), len(b))
        return np.asarray(a[:per_row]), np.asarray(b[:per_row])

    def preview(self, inputs):
        """(images, rows) for a grid: the rows of `preview_rows`."""
        rows = self.preview_rows(*inputs)
        channels = max(row.shape[-1] for row in rows)  # grayscale inputs of colour targets
        return np.concatenate([np.broadcast_to(row, row.shape[:-1] + (channels,))
                               for row in rows]), len(rows)

    def preview_rows(self, a, b):
        """Input, translation, target."""
        return [a, self.generate(a), b]

    def export_metadata(self):
        return {**super().export_metadata(), "directions": list(self.directions)}

    size_multiple = 1  # a subclass whose generator takes only multiples of this sets it

    def serving_signatures(self):
        """One endpoint per direction: images of any height and width (multiples of
        `size_multiple`) -> images."""
        spec = tf.TensorSpec([None, None, None, self.image_shape[-1]], tf.float32,
                             name="images")
        multiple, name = self.size_multiple, getattr(self, "registry_name", type(self).__name__)

        def endpoint(direction):
            def translate(images):
                sides = tf.shape(images)[1:3]
                check = tf.debugging.Assert(
                    tf.reduce_all(sides % multiple == 0),
                    [f"{name} translates images whose height and width are multiples of "
                     f"{multiple}; these are (height, width) =", sides])
                with tf.control_dependencies([check]):
                    return images_lib.serving_outputs(
                        self.translate(images, direction, training=False))
            return translate

        return {direction: (endpoint(direction), [spec]) for direction in self.directions}
