"""WGAN with weight clipping (Arjovsky et al. 2017) on the offline MNIST digits.

    tfgan-zoo --model=wgan
    tfgan-zoo --config=zoo_configs/wgan.py:paper    # RMSprop(5e-5), n_critic = 5: no digits in 5 minutes

Default: departs from the paper to learn in a few CPU minutes: one critic update per
generator update instead of five and RMSprop at 5e-4 instead of 5e-5 (clipping at 0.01
kept), half width, an EMA generator. The paper's settings draw only strokes in the same
time (both runs in docs/models/wgan.md). Expected (2 CPU cores, measured by
tools/make_cards.py): ~2.7 minutes (60 epochs x 70 steps); rough digits, score 5.8, Fréchet distance 17x the
floor, 8 of 10 classes (docs/models/wgan.md).
"""
from zoo_configs import base

PAPER = {"train.epochs": 30, "hparams.width": 16}


def get_config(arg=None):
    config = base.get_config("wgan")
    config.hparams.width = 32  # a step of the critic and G costs half of width 64's
    config.hparams.d_steps = 1
    config.hparams.ema_decay = 0.99
    config.optimizer.d_learning_rate = 5e-4
    config.optimizer.g_learning_rate = 5e-4
    config.train.epochs = 60
    # tools/ab.py: XLA trained this step at 0.92x (0.79-1.09) the speed without it
    config.train.jit_compile = False
    return base.variant(config, arg, tiny=dict(width=4, latent_dim=8), paper=PAPER)
