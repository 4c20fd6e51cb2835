"""tfgan_zoo: a Keras model zoo of GANs.

    gan = tfgan_zoo.models.get("dcgan"); gan.compile(); gan.fit(tfgan_zoo.data.load("mnist"))
"""
import sys

from tfgan_zoo import quiet

# Not under `python -X importtime` or `-v`: Python writes those to stderr holding the GIL,
# which the filter's thread needs, and a full pipe would then block both.
if (quiet.is_cli_process(sys.argv) and "--verbose" not in sys.argv
        and "importtime" not in sys._xoptions and not sys.flags.verbose):
    quiet.filter_stderr()  # before TensorFlow is imported

from tfgan_zoo import (  # noqa: E402
    callbacks, data, evaluate, export, features, losses, metrics, models)
from tfgan_zoo.errors import InputError  # noqa: E402
from tfgan_zoo.gan import GAN  # noqa: E402
from tfgan_zoo.image_to_image import ImageToImageGAN  # noqa: E402
from tfgan_zoo.noise_to_image import NoiseToImageGAN  # noqa: E402

__all__ = ["GAN", "ImageToImageGAN", "InputError", "NoiseToImageGAN", "callbacks", "data",
           "evaluate", "export", "features", "losses", "metrics", "models"]
__version__ = "0.2.0"
