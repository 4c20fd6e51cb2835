"""tfgan_zoo: a Keras model zoo of GANs.

    gan = tfgan_zoo.models.get("dcgan"); gan.compile(); gan.fit(tfgan_zoo.data.load("mnist"))
"""
from tfgan_zoo import callbacks, data, export, losses, models
from tfgan_zoo.errors import InputError
from tfgan_zoo.gan import GAN

__all__ = ["GAN", "InputError", "callbacks", "data", "export", "losses", "models"]
__version__ = "0.1.0"
