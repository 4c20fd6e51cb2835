"""tf.distribute strategies by name, in one place."""
import tensorflow as tf

from tfgan_zoo.errors import InputError

STRATEGIES = ("default", "mirrored", "multi_worker", "tpu")


def strategy(name="default"):
    """The strategy `name`: one of STRATEGIES. multi_worker reads TF_CONFIG."""
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    if name == "tpu":
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
        return tf.distribute.TPUStrategy(resolver)
    raise InputError(f"unknown distribution strategy {name!r}: choose one of "
                     f"{', '.join(STRATEGIES)}")
