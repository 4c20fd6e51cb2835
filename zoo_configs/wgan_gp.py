"""WGAN-GP (Gulrajani et al. 2017) on the offline MNIST digits.

    tfgan-zoo --model=wgan_gp

Expected (2 CPU cores, measured by tools/make_cards.py): ~11 minutes (20 epochs x 70 steps: five critic
updates with a double backward pass each); rough but mostly recognisable digits,
gp ~0.1, wasserstein ~2 (docs/models/wgan_gp.md).
"""
from zoo_configs import base


def get_config(arg=None):
    return base.variant(base.get_config("wgan_gp"), arg, tiny=dict(width=4, latent_dim=8))
