"""The original GAN (Goodfellow et al. 2014): MLPs on the offline MNIST digits.

    tfgan-zoo --model=vanilla
    tfgan-zoo --model=vanilla --config.hparams.loss=minimax    # the paper's value function
    tfgan-zoo --config=zoo_configs/vanilla.py:paper            # the paper's maxout MLPs on MNIST: needs internet

Default: 200 epochs and an EMA generator (decay 0.999), which removes much of an MLP GAN's
salt-and-pepper noise. Expected (2 CPU cores, measured by tools/make_cards.py): ~2.5 minutes
(200 epochs x 70 steps); readable digits with specks; score 7.3, Fréchet distance 11x
the floor, 8 of 10 classes: short of the zoo's floors, as an MLP GAN is
(docs/models/vanilla.md).

Paper experiment (`:paper`, docs/models/vanilla.md): on paper under a minute on an NVIDIA
A100 at half its float32 peak (tools/paper_times.py: 0.0357 GFLOP per trained image x
6,000,000 images); networks this small are bound by the per-step overhead, not by FLOPs.
"""
from zoo_configs import base

# The paper's MNIST experiment (goodfeli/adversarial mnist.yaml): G 100 -> 1200 -> 1200 -> 784,
# D maxout 240 x 5, 240 x 5 (network="maxout", hidden 1200), batch 100, SGD at 0.1 with
# momentum 0.5, on the first 50,000 of MNIST's training digits (here TFDS's 60,000). The
# yaml runs until stopped: 100 epochs. Differs: no rate decay nor momentum ramp, no dropout.
PAPER = {"dataset": "tfds:mnist", "train.batch_size": 100, "train.epochs": 100,
         "hparams.network": "maxout", "hparams.hidden": 1200, "hparams.latent_dim": 100,
         "optimizer.name": "sgd", "optimizer.d_learning_rate": 0.1,
         "optimizer.g_learning_rate": 0.1, "optimizer.momentum": 0.5}


# The shipped weights (tools/pretrain.py vanilla:NAME, `--config=...:pretrain_NAME`): the
# default trained for 250 epochs instead of 200, where its Fréchet distance is lowest (the card's
# "What was tried": longer runs get worse, decaying rates too).
PRETRAIN = {"mnist": {"train.epochs": 250, "eval.every_epochs": 50}}


def get_config(arg=None):
    config = base.get_config("vanilla")
    config.train.epochs = 200
    config.hparams.ema_decay = 0.999
    # its step takes a few ms: one Python round trip of fit() per 10 steps, not per step
    # (zoo / hand-written loop 0.91 -> see docs/performance.md)
    config.train.steps_per_execution = 10
    return base.variant(config, arg, tiny=dict(hidden=16, latent_dim=8), paper=PAPER,
                        pretrain=PRETRAIN)
