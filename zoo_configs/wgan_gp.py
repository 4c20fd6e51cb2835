"""WGAN-GP (Gulrajani et al. 2017) on the offline MNIST digits.

    tfgan-zoo --model=wgan_gp
    tfgan-zoo --config=zoo_configs/wgan_gp.py:paper    # n_critic = 5, width 32: about 11 minutes

Default: sized for a few CPU minutes: half width, two critic updates per generator update
instead of five (each with the penalty's double backward pass), Adam at 5e-4 instead of
1e-4 (betas 0.5, 0.9 kept) and an EMA generator. Expected (2 CPU cores, measured by
tools/make_cards.py): ~3.4 minutes (40 epochs x 70 steps); mostly readable digits, score 7.5, Fréchet
distance 6x the floor, recall 0.87, all 10 classes (docs/models/wgan_gp.md).
"""
from zoo_configs import base

PAPER = {"train.epochs": 20}


def get_config(arg=None):
    config = base.get_config("wgan_gp")
    config.train.epochs = 40
    # tools/ab.py: XLA trained this step at 0.85x (0.76-0.92) the speed without it
    config.train.jit_compile = False
    config.hparams.width = 32
    config.hparams.d_steps = 2
    config.hparams.ema_decay = 0.99
    config.optimizer.d_learning_rate = 5e-4
    config.optimizer.g_learning_rate = 5e-4
    return base.variant(config, arg, tiny=dict(width=4, latent_dim=8), paper=PAPER)
