"""Conditional GAN (Mirza & Osindero 2014) on the labelled offline MNIST digits.

    tfgan-zoo --model=cgan

Expected (2 CPU cores, measured by tools/make_cards.py): ~2.7 minutes (20 epochs x 70 steps); runs/cgan/samples.png has
one row per class 0-9, each row clearly that digit (docs/models/cgan.md).
"""
from zoo_configs import base


def get_config(arg=None):
    return base.variant(base.get_config("cgan"), arg, tiny=dict(width=4, latent_dim=8))
