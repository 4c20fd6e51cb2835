"""DCGAN (Radford et al. 2016) on the offline MNIST digits.

    tfgan-zoo --model=dcgan

Expected (2 CPU cores, measured by tools/make_cards.py): ~5.5 minutes (50 epochs x 70 steps);
runs/dcgan/samples.png shows recognisable digits; last epoch d_loss ~0.8, g_loss ~1.5,
d_real ~0.7, d_fake ~0.3. Measured numbers: docs/models/dcgan.md.
"""
from zoo_configs import base


def get_config(arg=None):
    config = base.get_config("dcgan")
    config.train.epochs = 50
    return base.variant(config, arg, tiny=dict(width=4, latent_dim=8))
