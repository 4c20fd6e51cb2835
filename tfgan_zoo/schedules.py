"""Learning-rate schedules of the papers' recipes, as Keras LearningRateSchedules: keyed
on the optimizer's `iterations`, which checkpoints restore, so a resumed run continues
the same curve.

    CycleGAN, pix2pix (Zhu et al. 2017, sec. 7.1; Isola et al. 2017's code): the rate
        for 100 epochs, then linearly to 0 over 100 more;
    WGAN-GP's CIFAR-10 ResNet (Gulrajani et al. 2017, gan_cifar_resnet.py): linearly
        to 0 over the whole run.

Config: optimizer.decay_from_epoch (None: a constant rate).
"""
import keras


@keras.saving.register_keras_serializable("tfgan_zoo")
class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """`rate` until update `start`, then a straight line down to 0 at update `end`."""

    def __init__(self, rate, start, end):
        self.rate, self.start, self.end = float(rate), int(start), int(end)

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        done = keras.ops.clip((step - self.start) / max(self.end - self.start, 1), 0.0, 1.0)
        return self.rate * (1.0 - done)

    def get_config(self):
        return {"rate": self.rate, "start": self.start, "end": self.end}


def linear_decay(optimizer, start, end):
    """`optimizer` (a Keras optimizer with a constant rate) with its rate decaying from
    update `start` to 0 at update `end`."""
    config = optimizer.get_config()
    rate = config["learning_rate"]
    config["learning_rate"] = LinearDecay(rate, start, end)
    return type(optimizer).from_config(config)
