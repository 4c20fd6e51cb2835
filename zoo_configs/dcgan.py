"""DCGAN (Radford et al. 2016) on the offline MNIST digits.

    tfgan-zoo --model=dcgan

Expected (2 CPU cores): ~N minutes; runs/dcgan/samples.png shows recognisable digits.
"""
from zoo_configs import base


def get_config():
    config = base.get_config()
    config.model = "dcgan"
    config.hparams.latent_dim = 100
    config.hparams.width = 32  # 64: the common GPU-sized MNIST DCGAN
    config.train.epochs = 50
    return config
