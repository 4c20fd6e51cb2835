"""Keras callbacks for GAN training."""
import keras
import tensorflow as tf

from tfgan_zoo import images


class SampleGrid(keras.callbacks.Callback):
    """Writes a grid of `model.preview()` images to TensorBoard every epoch.

    Tag `samples` in `logdir`, step = epoch (1-based). The grid shows the same
    inputs every epoch: a fixed z for noise-to-image models, the first real
    images of `data` (a dataset of training batches) for image-to-image models.
    `inputs` (from `model.preview_inputs()`) fixes them instead.
    """

    def __init__(self, logdir, num_samples=64, seed=0, data=None, inputs=None):
        super().__init__()
        self.logdir = logdir
        self.num_samples, self.seed, self.data = num_samples, seed, data
        self.inputs = inputs
        self._writer = None

    def on_epoch_end(self, epoch, logs=None):
        if self.inputs is None:
            self.inputs = self.model.preview_inputs(self.num_samples, self.seed, self.data)
        if self._writer is None:
            self._writer = tf.summary.create_file_writer(self.logdir)
        samples, rows = self.model.preview(self.inputs)
        # record_if(True): Keras's TensorBoard callback may leave a batch-level
        # record_if in force that would skip this summary.
        with self._writer.as_default(), tf.summary.record_if(True):
            tf.summary.image("samples", images.grid(samples, rows)[None], step=epoch + 1)
        self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None


class TensorBoard(keras.callbacks.TensorBoard):
    """keras.callbacks.TensorBoard that always writes the epoch scalars.

    Keras 3's skips them whenever an epoch's step count is not a multiple of an
    integer `update_freq` (its batch-level record_if is still in force).
    """

    def on_epoch_end(self, epoch, logs=None):
        with tf.summary.record_if(True):
            super().on_epoch_end(epoch, logs)
