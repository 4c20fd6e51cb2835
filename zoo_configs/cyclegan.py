"""CycleGAN (Zhu et al. 2017): MNIST digits <-> scikit-learn's 8x8 digits upscaled to 28x28.

    tfgan-zoo --model=cyclegan
    tfgan-zoo --config=zoo_configs/cyclegan.py:paper    # 34x34-pixel patches, no EMA
    tfgan-zoo --model=cyclegan --dataset=tfds:cycle_gan/horse2zebra --config.dataset_b= --config.image_size='(64, 64)'  # needs internet
    tfgan-zoo --model=cyclegan --dataset=folder:PATH_A --config.dataset_b=folder:PATH_B  # your folders, at their size

Default: PatchGANs that judge 16x16-pixel patches (d_layers=1: style, not which digit it
is, as the paper's 70x70 patches do on 256x256 photos) and EMA generators.
Expected (2 CPU cores, measured by tools/make_cards.py): ~2.7 minutes (10 epochs x 101 steps of 16 pairs); in runs/cyclegan/samples.png MNIST
digits turn into blurry upscaled-8x8 style digits and back; the digit's class survives 62 %
of translations MNIST -> sklearn and 81 % sklearn -> MNIST (docs/models/cyclegan.md).
"""
from zoo_configs import base

PAPER = {}


def get_config(arg=None):
    config = base.get_config("cyclegan")
    config.dataset = "mnist"  # domain A
    config.dataset_b = "digits"  # domain B; empty: the B split of tfds:cycle_gan/NAME
    config.train.batch_size = 16
    config.train.epochs = 10
    config.hparams.d_layers = 1
    config.hparams.ema_decay = 0.99
    return base.variant(config, arg, tiny=dict(width=4, num_blocks=1), paper=PAPER)
