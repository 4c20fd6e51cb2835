"""WGAN-GP (Gulrajani et al. 2017) on the offline MNIST digits.

    tfgan-zoo --model=wgan_gp
    tfgan-zoo --config=zoo_configs/wgan_gp.py:paper    # CIFAR-10 ResNet: needs internet and a GPU
    tfgan-zoo --config=zoo_configs/wgan_gp.py:emoji    # 64x64 colour emoji, offline

Default: sized for a few CPU minutes: half width, two critic updates per generator update
instead of five (each with the penalty's double backward pass), Adam at 5e-4 instead of
1e-4 (betas 0.5, 0.9 kept) and an EMA generator. Expected (2 CPU cores, measured by
tools/make_cards.py): ~4.8 minutes (50 epochs x 70 steps); mostly readable digits, score
7.3, Fréchet distance 7.6x the floor, recall 0.85, all 10 classes (docs/models/wgan_gp.md;
before the networks followed the image size: 6.1x in 40 epochs).

Emoji (`:emoji`, docs/models/wgan_gp_emoji.md): ~9.4 minutes (30 epochs x 23 steps);
coloured blobs, not yet emoji: Fréchet distance 21x the floor, SWD 7.4x, 6/9 groups (all
miss their targets).

Paper experiment (`:paper`, docs/models/wgan_gp.md): on paper 7.4 hours on an NVIDIA A100 at
half its float32 peak (tools/paper_times.py: 40.4 GFLOP per trained image x 6,397,952
images).
"""
from zoo_configs import base

# The paper's CIFAR-10 ResNet (sec. 5, gan_cifar_resnet.py with CONDITIONAL = False): 32x32x3,
# residual blocks of 128 channels, z of 128, batch 64, n_critic 5, lambda 10, Adam(2e-4,
# betas 0 and 0.9), both rates falling linearly to 0 over 100k generator updates: 128
# epochs of 781 batches. Differs: G's batch is the critic's (the file: twice it).
PAPER = {"dataset": "tfds:cifar10", "train.epochs": 128, "train.jit_compile": True,
         "hparams.network": "resnet", "hparams.width": 128, "hparams.latent_dim": 128,
         "optimizer.d_learning_rate": 2e-4, "optimizer.g_learning_rate": 2e-4,
         "optimizer.beta_1": 0.0, "optimizer.beta_2": 0.9, "optimizer.decay_from_epoch": 0,
         "eval.every_epochs": 0}

# Colour (`:emoji`): the offline emoji at 64x64; width 32 (0.68 s a step with two critic
# updates), 30 epochs of 23 steps.
EMOJI = {"dataset": "emoji", "train.epochs": 30}

# The shipped weights (tools/pretrain.py wgan_gp:NAME, `--config=...:pretrain_NAME`): the
# default trained 5x longer, the learning rates falling linearly to 0 over the second half.
PRETRAIN = {"mnist": {"train.epochs": 250, "optimizer.decay_from_epoch": 125,
                      "eval.every_epochs": 25}}


def get_config(arg=None):
    config = base.get_config("wgan_gp")
    config.train.epochs = 50
    # tools/ab.py: XLA trained this step at 0.85x (0.76-0.92) the speed without it
    config.train.jit_compile = False
    config.hparams.width = 32
    config.hparams.d_steps = 2
    config.hparams.ema_decay = 0.99
    config.optimizer.d_learning_rate = 5e-4
    config.optimizer.g_learning_rate = 5e-4
    return base.variant(config, arg, tiny=dict(width=4, latent_dim=8), paper=PAPER,
                        others={"emoji": EMOJI}, pretrain=PRETRAIN)
