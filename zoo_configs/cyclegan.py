"""CycleGAN (Zhu et al. 2017): MNIST digits <-> scikit-learn's 8x8 digits upscaled to 28x28.

    tfgan-zoo --model=cyclegan
    tfgan-zoo --config=zoo_configs/cyclegan.py:paper    # 256x256 horse <-> zebra: needs internet and a GPU
    tfgan-zoo --model=cyclegan --dataset=tfds:cycle_gan/horse2zebra --config.dataset_b= --config.image_size='(64, 64)'  # needs internet
    tfgan-zoo --model=cyclegan --dataset=folder:PATH_A --config.dataset_b=folder:PATH_B  # your folders, at their size

Default: PatchGANs that judge 16x16-pixel patches (d_layers=1: style, not which digit it
is, as the paper's 70x70 patches do on 256x256 photos) and EMA generators.
Expected (2 CPU cores, measured by tools/make_cards.py): ~3.6 minutes (10 epochs x 101
steps of 16 pairs); in runs/cyclegan/samples.png MNIST digits turn into blurry
upscaled-8x8 style digits and back; the digit's class survives 70 % of translations
MNIST -> sklearn and 89 % sklearn -> MNIST (docs/models/cyclegan.md).

Paper experiment (`:paper`, docs/models/cyclegan.md): on paper 12.7 hours on an NVIDIA A100
at half its float32 peak (tools/paper_times.py: 2,082 GFLOP per trained image x 213,400
images).
"""
from zoo_configs import base

# The paper's horse <-> zebra (sec. 5.1, 7.1; the reference code's defaults): 256x256 photos
# loaded at 286 and cropped at random (and flipped), ResNet-9 generators of width 64, 70x70
# PatchGANs, pools of 50 fakes, batch 1, Adam(2e-4, beta_1 0.5), lambda 10, identity 0.5,
# 100 epochs at the rate and 100 decaying to 0. An epoch ends with the smaller domain
# (1,067 horses; the reference code: the larger). No evaluation: the digit classifier reads
# digits.
PAPER = {"dataset": "tfds:cycle_gan/horse2zebra", "dataset_b": "", "image_size": (256, 256),
         "load_size": (286, 286), "train.batch_size": 1, "train.epochs": 200,
         "train.jit_compile": True, "hparams.width": 64, "hparams.num_blocks": 9,
         "hparams.d_layers": 3, "hparams.pool_size": 50, "optimizer.decay_from_epoch": 100,
         "eval.every_epochs": 0}
# the shipped weights (tools/pretrain.py cyclegan:digits): the default trained 6x longer
PRETRAIN = {"digits": {"train.epochs": 60, "optimizer.decay_from_epoch": 30,
                       "eval.every_epochs": 10}}


def get_config(arg=None):
    config = base.get_config("cyclegan")
    config.dataset = "mnist"  # domain A
    config.dataset_b = "digits"  # domain B; empty: the B split of tfds:cycle_gan/NAME
    config.train.batch_size = 16
    config.train.epochs = 10
    config.hparams.d_layers = 1
    config.hparams.ema_decay = 0.99
    return base.variant(config, arg, tiny=dict(width=4, num_blocks=1), paper=PAPER,
                        pretrain=PRETRAIN)
