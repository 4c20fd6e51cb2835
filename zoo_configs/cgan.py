"""Conditional GAN (Mirza & Osindero 2014) on the labelled offline MNIST digits.

    tfgan-zoo --model=cgan
    tfgan-zoo --config=zoo_configs/cgan.py:paper    # the paper's MLPs on all of MNIST: needs internet
    tfgan-zoo --config=zoo_configs/cgan.py:emoji    # 64x64 colour emoji by Unicode group, offline

Default: Adam at 5e-4 instead of 2e-4 and an EMA generator (at 2e-4 without it, after
the same 25 epochs, label accuracy is 96 % and the Fréchet distance 2.7x the floor).
Expected (2 CPU cores, measured by tools/make_cards.py): ~2.7 minutes
(25 epochs x 70 steps); runs/cgan/samples.png has one row per class 0-9, each row that
digit; score 9.80 (real 9.83), Fréchet distance 1.3x the floor, label accuracy 98.4 %
(docs/models/cgan.md).

Emoji (`:emoji`, docs/models/cgan_emoji.md): ~7.5 minutes (60 epochs x 23 steps, Adam at
1e-3); one row per Unicode group; Fréchet distance 11x the floor and label accuracy 49 %
(both miss their targets, 10x and 80 %), SWD 9.6x, 9/9 groups, memorized 1.8 % (real 1.1 %).

Paper experiment (`:paper`, docs/models/cgan.md): on paper under a minute on an NVIDIA A100
at half its float32 peak (tools/paper_times.py: 0.035 GFLOP per trained image x 6,000,000
images); networks this small are bound by the per-step overhead, not by FLOPs.
"""
from zoo_configs import base

# The paper's MNIST experiment (sec. 4.1): its MLPs (network="mlp"), z of 100, batch 100,
# SGD at 0.1 with momentum 0.5, on TFDS's 60,000 training digits. The paper names no
# length: 100 epochs. Differs: no exponential decay of the rate nor momentum ramp to 0.7,
# no dropout.
PAPER = {"dataset": "tfds:mnist", "train.batch_size": 100, "train.epochs": 100,
         "hparams.network": "mlp", "optimizer.name": "sgd", "optimizer.d_learning_rate": 0.1,
         "optimizer.g_learning_rate": 0.1, "optimizer.momentum": 0.5}

# Colour (`:emoji`): the offline emoji at 64x64, conditioned on their 9 Unicode groups;
# width 32, 60 epochs of 23 steps, dcgan's rates (at 5e-4, 40 epochs: FD 23x the floor).
EMOJI = {"dataset": "emoji", "train.epochs": 60, "hparams.width": 32,
         "optimizer.d_learning_rate": 1e-3, "optimizer.g_learning_rate": 1e-3}

# The shipped weights (tools/pretrain.py cgan:NAME, `--config=...:pretrain_NAME`): the
# default trained 8x longer, the learning rates falling linearly to 0 over the second half.
PRETRAIN = {"mnist": {"train.epochs": 200, "optimizer.decay_from_epoch": 100,
                      "eval.every_epochs": 25}}


def get_config(arg=None):
    config = base.get_config("cgan")
    # tools/benchmark.py, three runs: XLA trained this step at 0.80x, 1.01x and 0.99x the speed
    config.train.jit_compile = False
    config.train.epochs = 25
    config.hparams.ema_decay = 0.99
    config.optimizer.d_learning_rate = 5e-4
    config.optimizer.g_learning_rate = 5e-4
    return base.variant(config, arg, tiny=dict(width=4, latent_dim=8), paper=PAPER,
                        others={"emoji": EMOJI}, pretrain=PRETRAIN)
