"""The original GAN (Goodfellow et al. 2014): MLPs on the offline MNIST digits.

    tfgan-zoo --model=vanilla
    tfgan-zoo --model=vanilla --config.hparams.loss=minimax    # the paper's value function

Expected (2 CPU cores, measured by tools/make_cards.py): ~1.9 minutes (100 epochs x 70 steps); noisy but
readable digits (1, 2, 4, 8, 9 ...) with salt-and-pepper specks, as MLP GANs give
(docs/models/vanilla.md).
"""
from zoo_configs import base


def get_config(arg=None):
    config = base.get_config("vanilla")
    config.train.epochs = 100
    return base.variant(config, arg, tiny=dict(hidden=16, latent_dim=8))
