"""DCGAN (Radford et al. 2016) on the offline MNIST digits.

    tfgan-zoo --model=dcgan
    tfgan-zoo --config=zoo_configs/dcgan.py:paper    # 64x64 CelebA faces: needs internet and a GPU
    tfgan-zoo --config=zoo_configs/dcgan.py:emoji    # 64x64 colour emoji, offline

Default: the zoo's tuning for a few CPU minutes: Adam at 1e-3 instead of the paper's 2e-4
(at 2e-4 the Fréchet distance is 9x the floor after the same 35 epochs, at 1e-3 6x) and
an EMA generator. Expected (2 CPU cores, measured by tools/make_cards.py): ~3.5 minutes
(35 epochs x 70 steps); mostly readable digits in runs/dcgan/samples.png; classifier
score 7.6 (real digits 9.8), Fréchet distance 6x the floor, recall 0.89, all 10 classes
(docs/models/dcgan.md).

Emoji (`:emoji`, docs/models/dcgan_emoji.md): ~9 minutes (80 epochs x 23 steps); flags,
faces and keycaps in runs/dcgan/samples.png; Fréchet distance (emoji classifier) 5.4x the
floor, sliced Wasserstein distance 6.0x (misses its 5x target), 9/9 groups, memorized
1.3 % (real 1.1 %).

Paper experiment (`:paper`, docs/models/dcgan.md): on paper 1.1 hours on an NVIDIA A100 at
half its float32 peak (tools/paper_times.py: 9.8 GFLOP per trained image x 4,067,200
images).
"""
from zoo_configs import base

# The paper's face experiment (sec. 4.2; its scraped faces were never released, CelebA is
# the set pytorch/examples' DCGAN trains on): 64x64x3, G 4x4x1024 (width 128, fig. 1),
# batch 128, Adam(2e-4, beta_1 0.5), 25 epochs (pytorch/examples' --niter). Faces keep their
# aspect: 218x178 -> 78x64, then a random 64x64 crop and flip (pytorch/examples: a centre
# crop, no flip). No evaluation while training: the shipped digit classifier reads digits.
PAPER = {"dataset": "tfds:celeb_a", "image_size": (64, 64), "load_size": (78, 64),
         "train.batch_size": 128, "train.epochs": 25, "train.jit_compile": True,
         "hparams.width": 128, "eval.every_epochs": 0}

# Colour (`:emoji`): the offline emoji at 64x64 (networks of 4 doublings from 4x4), width 32
# (tools/make_cards.py timing: 0.29 s a step against 1.0 s at width 64), 80 epochs of 23 steps.
EMOJI = {"dataset": "emoji", "train.epochs": 80, "hparams.width": 32}

# The shipped weights (tools/pretrain.py dcgan:NAME, `--config=...:pretrain_NAME`): the
# default trained 7x longer, the learning rates falling linearly to 0 over the second half.
PRETRAIN = {"mnist": {"train.epochs": 250, "optimizer.decay_from_epoch": 125,
                      "eval.every_epochs": 25}}


def get_config(arg=None):
    config = base.get_config("dcgan")
    # tools/benchmark.py, three runs: XLA trained this step at 0.72x, 0.96x and 1.06x the speed
    config.train.jit_compile = False
    config.train.epochs = 35
    config.hparams.ema_decay = 0.99
    config.optimizer.d_learning_rate = 1e-3
    config.optimizer.g_learning_rate = 1e-3
    return base.variant(config, arg, tiny=dict(width=4, latent_dim=8), paper=PAPER,
                        others={"emoji": EMOJI}, pretrain=PRETRAIN)
