"""The original GAN (Goodfellow et al. 2014): MLPs on the offline MNIST digits.

    tfgan-zoo --model=vanilla
    tfgan-zoo --model=vanilla --config.hparams.loss=minimax    # the paper's value function

Expected (2 CPU cores): ~1.7 minutes (100 epochs x 70 steps, ~10 ms/step); noisy but
readable digits (1, 2, 4, 8, 9 ...) with salt-and-pepper specks, as MLP GANs give
(docs/models/vanilla.md).
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
