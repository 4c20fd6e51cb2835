"""WGAN with weight clipping (Arjovsky et al. 2017) on the offline MNIST digits.

    tfgan-zoo --model=wgan

Expected (2 CPU cores, measured by tools/make_cards.py): ~4 minutes (30 epochs x 70 steps); black
backgrounds and digit-like strokes, not yet digits: with the paper's RMSprop(5e-5)
and clipping, WGAN needs far more generator steps (docs/models/wgan.md).
"""
from zoo_configs import base


def get_config(arg=None):
    config = base.get_config("wgan")
    config.hparams.width = 16  # n_critic = 5 makes a step ~5x DCGAN's: half width, more steps
    config.train.epochs = 30
    return base.variant(config, arg, tiny=dict(width=4, latent_dim=8))
