"""WGAN-GP (Gulrajani et al. 2017) on the offline MNIST digits.

    tfgan-zoo --model=wgan_gp

Expected (2 CPU cores): EXPECTED
"""
from zoo_configs import base


def get_config():
    config = base.get_config()
    config.model = "wgan_gp"
    config.hparams.latent_dim = 100
    config.hparams.width = 32
    config.hparams.gp_weight = 10.0
    config.train.epochs = 10
    return config
