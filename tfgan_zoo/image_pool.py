"""CycleGAN's history of generated images (Zhu et al. 2017, sec. 4, after Shrivastava et
al. 2017): the discriminators see, half of the time, an older fake from a pool of the
last `size` generated images instead of the newest, which damps the oscillation of the
two players. As the reference code's ImagePool.query, image by image: while the pool
fills, each fake is stored and shown; then with probability 1/2 a fake is swapped with a
random stored one (the stored one is shown), else it is shown itself.

The pool is state: its images and count are non-trainable weights of the model, so
checkpoints hold them and a resumed run continues with the same pool. Under
tf.distribute every replica gathers the global batch of fakes, makes the same draws for
it (ReplicaNoise), updates the same pool, and keeps its own slice: N replicas train as
one device does.
"""
import keras
import tensorflow as tf


@keras.saving.register_keras_serializable("tfgan_zoo")
class ImagePool(keras.layers.Layer):
    """A pool of up to `size` images of `image_shape`; `query(fakes, noise)`."""

    def __init__(self, size, image_shape, **kwargs):
        super().__init__(**kwargs)
        self.size, self.image_shape = size, tuple(image_shape)
        self.images = self.add_weight(shape=(size, *self.image_shape), initializer="zeros",
                                      trainable=False, name="images",
                                      aggregation="only_first_replica")
        self.count = self.add_weight(shape=(), initializer="zeros", dtype="int32",
                                     trainable=False, name="count",
                                     aggregation="only_first_replica")

    def query(self, fakes, noise):
        """The images D sees in place of `fakes` (this replica's [batch, h, w, c])."""
        context = tf.distribute.get_replica_context()
        replicas = context.num_replicas_in_sync if context else 1
        local = tf.shape(fakes)[0]
        everyone = context.all_gather(fakes, axis=0) if replicas > 1 else fakes
        swap, slot = noise.global_uniform(), noise.global_uniform()
        pool, count = tf.convert_to_tensor(self.images), tf.convert_to_tensor(self.count)
        shown = []
        for i in range(everyone.shape[0]):  # the global batch is static: drop_remainder
            fake = everyone[i]
            filling = count < self.size
            index = tf.where(filling, count,
                             tf.minimum(tf.cast(slot[i] * self.size, tf.int32), self.size - 1))
            replace = tf.logical_or(filling, swap[i] > 0.5)
            shown.append(tf.where(replace & ~filling, pool[index], fake))
            pool = tf.tensor_scatter_nd_update(
                pool, [[index]], [tf.where(replace, fake, pool[index])])
            count = tf.minimum(count + 1, self.size)
        self.images.assign(pool)
        self.count.assign(count)
        shown = tf.stack(shown)
        start = (context.replica_id_in_sync_group if replicas > 1 else 0) * local
        return shown[start:start + local]

    def get_config(self):
        return {**super().get_config(), "size": self.size, "image_shape": self.image_shape}
