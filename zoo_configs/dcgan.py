"""DCGAN (Radford et al. 2016) on the offline MNIST digits.

    tfgan-zoo --model=dcgan
    tfgan-zoo --config=zoo_configs/dcgan.py:paper    # the paper's settings: Adam(2e-4), no tricks

Default: the zoo's tuning for a few CPU minutes: Adam at 1e-3 instead of the paper's 2e-4
(at 2e-4 the Fréchet distance is 9x the floor after the same 35 epochs, at 1e-3 6x) and
an EMA generator. Expected (2 CPU cores, measured by tools/make_cards.py): ~3.4 minutes
(35 epochs x 70 steps); mostly readable digits in runs/dcgan/samples.png; classifier
score 7.7 (real digits 9.8), Fréchet distance 6x the floor, recall 0.85, all 10 classes
(docs/models/dcgan.md).
"""
from zoo_configs import base

PAPER = {"train.epochs": 50}


def get_config(arg=None):
    config = base.get_config("dcgan")
    # tools/benchmark.py, three runs: XLA trained this step at 0.72x, 0.96x and 1.06x the speed
    config.train.jit_compile = False
    config.train.epochs = 35
    config.hparams.ema_decay = 0.99
    config.optimizer.d_learning_rate = 1e-3
    config.optimizer.g_learning_rate = 1e-3
    return base.variant(config, arg, tiny=dict(width=4, latent_dim=8), paper=PAPER)
