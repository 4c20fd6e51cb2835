"""CycleGAN (Zhu et al. 2017): MNIST digits <-> scikit-learn's 8x8 digits upscaled to 28x28.

    tfgan-zoo --model=cyclegan
    tfgan-zoo --model=cyclegan --dataset=tfds:cycle_gan/horse2zebra --config.image_size='(64, 64)' \\
        --config.dataset_b=None   # trainA/trainB of the TFDS set (needs internet)

Expected (2 CPU cores): EXPECTED
"""
from ml_collections import config_dict

from zoo_configs import base


def get_config():
    config = base.get_config()
    config.model = "cyclegan"
    config.dataset = "mnist"  # domain A
    config.dataset_b = config_dict.placeholder(str)  # domain B; None: tfds:cycle_gan/NAME's B
    config.dataset_b = "digits"
    config.image_size = (28, 28)
    config.hparams.width = 16
    config.hparams.num_blocks = 3
    config.hparams.cycle_weight = 10.0
    config.hparams.identity_weight = 5.0  # 0.5 * cycle_weight
    config.train.batch_size = 16
    config.train.epochs = 10
    return config
