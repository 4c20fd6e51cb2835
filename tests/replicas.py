"""Trains every registered model for a few fit() steps under one layout and saves
the weights and logged losses: `python tests/replicas.py LAYOUT OUT.npz`.

LAYOUT is `default` (one device) or `mirrored` (two logical CPUs). The replica
equivalence test runs it once per layout, each in its own process (one strategy
per process)."""
import sys

import numpy as np

from tfgan_zoo import cli, models, train

STEPS = 3
# Every trick that draws noise or keeps state runs too.
TRICKS = {"ema_decay": 0.5, "instance_noise": 0.1, "augment": "translation,cutout,color",
          "pool_size": 3}  # CycleGAN's image pool: filled in the first step, swapping after


def config_for(name, layout):
    module, _ = cli.load_config_module(cli.config_path(name))
    config = module.get_config("tiny")
    config.train.update(epochs=STEPS, steps_per_epoch=1, batch_size=8)
    config.hparams.update({k: v for k, v in TRICKS.items() if k in config.hparams})
    if "spectral_norm" in config.hparams:
        config.hparams.spectral_norm = True
    config.optimizer.decay_from_epoch = 1
    config.distribute = layout
    if layout == "mirrored":
        config.devices = "/cpu:0,/cpu:1"
        config.train.jit_compile = True  # XLA cannot sum across CPU replicas: turned off
    return config


def cancelled_biases(gan):
    """Paths of the conv biases an affine-free instance norm subtracts again (CycleGAN's, as
    the reference code has them): their gradient is 0 in exact arithmetic, so Adam moves
    them by rounding noise alone, which differs with the order of a sum across replicas.
    They change nothing the model computes; the test leaves them out."""
    import keras

    found = set()
    for layer in gan._flatten_layers():
        following = [node.operation for node in getattr(layer, "_outbound_nodes", [])]
        if getattr(layer, "use_bias", False) and following and all(
                isinstance(f, keras.layers.GroupNormalization) and not f.center
                for f in following):
            found.add(layer.bias.path)
    return found


def main(layout, out):
    strategy = train.strategy_of(config_for("dcgan", layout))  # one per process
    results = {}
    for name in models.names():
        gan, dataset = train.build(config_for(name, layout), strategy)
        # Eager steps: the same strategy.run and cross-replica sums as a traced step,
        # without tracing 6 models twice (the CLI tests run the traced step on 2 workers).
        gan.run_eagerly = True
        history = gan.fit(dataset, epochs=STEPS, steps_per_epoch=1, verbose=0)
        for w in gan.weights:
            key = "cancelled" if w.path in cancelled_biases(gan) else "weight"
            results[f"{name}/{key}/{w.path}"] = np.array(w)
        for key, values in history.history.items():
            results[f"{name}/log/{key}"] = np.array(values)
    np.savez(out, replicas=strategy.num_replicas_in_sync, **results)


if __name__ == "__main__":
    main(*sys.argv[1:])
