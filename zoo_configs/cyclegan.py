"""CycleGAN (Zhu et al. 2017): MNIST digits <-> scikit-learn's 8x8 digits upscaled to 28x28.

    tfgan-zoo --model=cyclegan
    tfgan-zoo --model=cyclegan --dataset=tfds:cycle_gan/horse2zebra --config.dataset_b= --config.image_size='(64, 64)'  # needs internet
    tfgan-zoo --model=cyclegan --dataset=folder:PATH_A --config.dataset_b=folder:PATH_B  # your folders

Expected (2 CPU cores, measured by tools/make_cards.py): ~3 minutes (10 epochs x 101 steps of 16 pairs); in
runs/cyclegan/samples.png MNIST digits turn into thick, blurry upscaled-8x8 style
digits and back, cycle_loss ~1.4 (docs/models/cyclegan.md).
"""
from zoo_configs import base


def get_config(arg=None):
    config = base.get_config("cyclegan")
    config.dataset = "mnist"  # domain A
    config.dataset_b = "digits"  # domain B; empty: the B split of tfds:cycle_gan/NAME
    config.image_size = (28, 28)
    config.train.batch_size = 16
    config.train.epochs = 10
    return base.variant(config, arg, tiny=dict(width=4, num_blocks=1))
