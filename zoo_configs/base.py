"""What every model's config starts from. Model files override only what differs."""
import ml_collections
from ml_collections import config_dict


def get_config():
    config = ml_collections.ConfigDict()
    config.model = "dcgan"
    config.seed = 0
    config.dataset = "mnist"  # offline real digits; or tfds:NAME, folder:PATH
    config.image_size = config_dict.placeholder(tuple)  # (h, w) to resize to; None keeps the data's
    config.channels = config_dict.placeholder(int)  # 1 or 3 to convert to; None keeps the data's
    config.distribute = "default"  # default, mirrored, multi_worker or tpu

    config.train = ml_collections.ConfigDict()
    config.train.epochs = 20
    config.train.batch_size = 64  # global: split across replicas
    config.train.steps_per_epoch = config_dict.placeholder(int)  # None: the whole dataset
    config.train.jit_compile = True  # XLA: about 2x faster on CPU
    config.train.log_every = 10  # steps between TensorBoard scalars

    config.hparams = ml_collections.ConfigDict()  # passed to models.get(model, **hparams)
    return config
