"""WGAN with weight clipping (Arjovsky et al. 2017) on the offline MNIST digits.

    tfgan-zoo --model=wgan
    tfgan-zoo --config=zoo_configs/wgan.py:paper    # 64x64 LSUN bedrooms: needs internet and a GPU
    tfgan-zoo --config=zoo_configs/wgan.py:paper_settings    # the paper's optimizer and n_critic on digits

Default: departs from the paper to learn in a few CPU minutes: one critic update per
generator update instead of five and RMSprop at 5e-4 instead of 5e-5 (clipping at 0.01
kept), half width, an EMA generator. The paper's settings (`:paper_settings`: n_critic 5,
RMSprop 5e-5, no EMA) draw only strokes in about the same time (both runs in
docs/models/wgan.md). Expected (2 CPU cores, measured by tools/make_cards.py): ~3.8
minutes (80 epochs x 70 steps); rough digits, score 5.7, Fréchet distance 17x the floor,
8 of 10 classes (docs/models/wgan.md).

Paper experiment (`:paper`, docs/models/wgan.md): on paper 3.7 hours on an NVIDIA A100 at
half its float32 peak (tools/paper_times.py: 8.54 GFLOP per trained image x 15,165,120
images).
"""
from zoo_configs import base

# The paper's LSUN bedrooms (sec. 4; Arjovsky et al.'s main.py): 64x64x3 DCGAN networks with
# batch norm (ngf = ndf = 64), RMSprop(5e-5), clip 0.01, n_critic 5 with 100 for the first
# 25 generator updates and every 500th, batch 64, main.py's 25 epochs (--niter): each of its
# critic updates draws a new real batch, the zoo's d_steps share one, so they are the zoo's
# 5 epochs of generator updates. Bedrooms are resized to 64x64 (main.py: short side to 64,
# centre crop).
PAPER = {"dataset": "tfds:lsun/bedroom", "image_size": (64, 64), "train.epochs": 5,
         "train.jit_compile": True, "hparams.width": 64, "hparams.d_steps": 5,
         "hparams.critic_bursts": True, "eval.every_epochs": 0}

# The paper's optimizer, clipping and n_critic on the default's digits, data and networks
PAPER_SETTINGS = {"train.epochs": 30, "hparams.d_steps": 5, "hparams.ema_decay": 0.0,
                  "optimizer.d_learning_rate": 5e-5, "optimizer.g_learning_rate": 5e-5}


# The shipped weights (tools/pretrain.py wgan:NAME, `--config=...:pretrain_NAME`): the
# default trained 6x longer, the learning rates falling linearly to 0 over the second half.
PRETRAIN = {"mnist": {"train.epochs": 500, "optimizer.decay_from_epoch": 250,
                      "eval.every_epochs": 50}}


def get_config(arg=None):
    config = base.get_config("wgan")
    config.hparams.width = 32  # a step of the critic and G costs half of width 64's
    config.hparams.d_steps = 1
    config.hparams.ema_decay = 0.99
    config.optimizer.d_learning_rate = 5e-4
    config.optimizer.g_learning_rate = 5e-4
    config.train.epochs = 80
    # tools/ab.py: XLA trained this step at 0.92x (0.79-1.09) the speed without it
    config.train.jit_compile = False
    return base.variant(config, arg, tiny=dict(width=4, latent_dim=8), paper=PAPER,
                        others={"paper_settings": PAPER_SETTINGS}, pretrain=PRETRAIN)
