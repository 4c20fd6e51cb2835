"""tfgan_zoo: a Keras model zoo of GANs."""
from tfgan_zoo import data, losses, models
from tfgan_zoo.errors import InputError
from tfgan_zoo.gan import GAN

__all__ = ["GAN", "InputError", "data", "losses", "models"]
__version__ = "0.1.0"
