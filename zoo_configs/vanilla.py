"""The original GAN (Goodfellow et al. 2014): MLPs on the offline MNIST digits.

    tfgan-zoo --model=vanilla
    tfgan-zoo --model=vanilla --config.hparams.loss=minimax    # the paper's value function

Expected (2 CPU cores): EXPECTED
"""
from zoo_configs import base


def get_config():
    config = base.get_config()
    config.model = "vanilla"
    config.hparams.latent_dim = 64
    config.hparams.hidden = 256
    config.hparams.loss = "non_saturating"  # or "minimax"
    config.train.epochs = 100
    return config
