"""WGAN with weight clipping (Arjovsky et al. 2017) on the offline MNIST digits.

    tfgan-zoo --model=wgan

Expected (2 CPU cores): EXPECTED
"""
from zoo_configs import base


def get_config():
    config = base.get_config()
    config.model = "wgan"
    config.hparams.latent_dim = 100
    config.hparams.width = 32
    config.hparams.clip_value = 0.01
    config.train.epochs = 10
    return config
