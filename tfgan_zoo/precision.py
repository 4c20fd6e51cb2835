"""Mixed precision: networks computing in float16 or bfloat16 with float32 weights.

`config.train.precision` (or Keras's own `keras.config.set_dtype_policy` before the
model is made) picks the policy. Under `mixed_float16` both optimizers get dynamic
loss scaling: Keras's `compile` wraps only `model.optimizer`, and a GAN has two. The
step scales each update's loss (`optimizer.scale_loss`), and penalties built on an
input gradient (WGAN-GP, R1) scale that inner gradient too, so that it does not
underflow in float16. Logits and images leave the networks as float32: losses, the
serving signatures and `generate()` see float32 whatever the policy.
"""
import contextlib

import keras
import tensorflow as tf

from tfgan_zoo.errors import InputError

POLICIES = ("float32", "mixed_float16", "mixed_bfloat16")


@contextlib.contextmanager
def policy(name):
    """Layers made inside compute with the dtype policy `name` (one of POLICIES)."""
    if name not in POLICIES:
        raise InputError(f"unknown precision {name!r}: choose one of {', '.join(POLICIES)} "
                         "(config: train.precision)")
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


@keras.saving.register_keras_serializable("tfgan_zoo")
class LossScaleOptimizer(keras.optimizers.LossScaleOptimizer):
    """Keras's dynamic loss scaling, except that an update it skips (its gradients
    were not finite; the scale halves) still counts in `iterations`: the zoo numbers
    batches and keys each step's noise by it."""

    def _stateful_handle_non_finite_grads(self):
        super()._stateful_handle_non_finite_grads()
        self.iterations.assign_add(1)


def with_loss_scaling(optimizer, dtype_policy):
    """`optimizer`, wrapped in a LossScaleOptimizer if `dtype_policy` computes in float16."""
    if (dtype_policy.name == "mixed_float16"
            and not isinstance(optimizer, keras.optimizers.LossScaleOptimizer)):
        return LossScaleOptimizer(optimizer)
    return optimizer


def loss_scale(optimizer):
    """The factor `optimizer` scales losses by now (1.0 without loss scaling)."""
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return tf.cast(optimizer.dynamic_scale, tf.float32)
    return tf.constant(1.0)


def float32(x):
    return tf.cast(x, tf.float32)
