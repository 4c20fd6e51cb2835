"""The zoo's batch norm: on one replica TensorFlow's fused kernel, which must train
exactly as Keras's own synchronized batch norm (the path several replicas take)."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo import networks


def trained_once(layer, x, upstream):
    """(outputs, d/dx, d/dgamma, d/dbeta, moving mean, moving variance, inference outputs)
    after one training call of `layer` on `x`."""
    layer.build(x.shape)
    channels = x.shape[-1]
    layer.gamma.assign(np.linspace(0.5, 1.5, channels))
    layer.beta.assign(np.linspace(-1.0, 1.0, channels))
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=True)
        loss = tf.reduce_sum(y * upstream)
    grads = tape.gradient(loss, [x, layer.gamma, layer.beta])
    return [y, *grads, layer.moving_mean, layer.moving_variance, layer(x, training=False)]


@pytest.mark.parametrize("shape", [(32, 48), (8, 7, 7, 16)], ids=["dense", "conv"])
def test_the_fused_batch_norm_trains_as_keras_synchronized_batch_norm(shape):
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, shape).astype("float32")
    upstream = rng.normal(size=shape).astype("float32")
    fused = trained_once(networks.batch_norm(), x, upstream)
    keras_own = trained_once(keras.layers.BatchNormalization(synchronized=True), x, upstream)
    names = ("outputs", "input gradient", "gamma gradient", "beta gradient",
             "moving mean", "moving variance", "inference outputs")
    for name, a, b in zip(names, fused, keras_own):
        np.testing.assert_allclose(np.array(a), np.array(b), rtol=1e-5, atol=1e-5,
                                   err_msg=name)


def test_one_replica_trains_with_the_fused_kernel():
    layer = networks.batch_norm()
    layer.build((8, 4, 4, 3))
    graph = tf.function(lambda x: layer(x, training=True)).get_concrete_function(
        tf.TensorSpec((8, 4, 4, 3))).graph
    assert "FusedBatchNormV3" in {op.type for op in graph.get_operations()}


def test_a_step_compiled_by_xla_keeps_keras_batch_norm():
    """XLA expands the fused op into slower code on CPU (tools/benchmark.py: pix2pix)."""
    layer = networks.batch_norm()
    layer.build((8, 4, 4, 3))
    types = {jit: {op.type for op in tf.function(lambda x: layer(x, training=True),
                                                jit_compile=jit).get_concrete_function(
        tf.TensorSpec((8, 4, 4, 3))).graph.get_operations()} for jit in (True, False)}
    assert "FusedBatchNormV3" not in types[True] and "FusedBatchNormV3" in types[False]
