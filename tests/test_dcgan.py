import numpy as np
import pytest
import tensorflow as tf

import tfgan_zoo


def pixel_statistics_distance(images, real):
    """||mean image - real mean image|| + ||per-pixel std - real per-pixel std||.

    Blank or noise images score far from real digits on it (checked below),
    unlike a nearest-neighbour distance, which an all-black image wins.
    """
    return float(np.linalg.norm(images.mean(0) - real.mean(0))
                 + np.linalg.norm(images.std(0) - real.std(0)))


@pytest.mark.slow
def test_dcgan_learns_real_digits():
    tf.keras.utils.set_random_seed(0)
    real = np.concatenate([x for x in tfgan_zoo.data.load("mnist", "test", batch_size=100,
                                                             labels=False)])
    gan = tfgan_zoo.models.get("dcgan", width=16)
    gan.compile(jit_compile=True)
    untrained = pixel_statistics_distance(gan.generate(n=500), real)
    blank = pixel_statistics_distance(-np.ones((10, 28, 28, 1)), real)
    gan.fit(tfgan_zoo.data.load("mnist", batch_size=64, repeat=True),
            epochs=1, steps_per_epoch=600, verbose=0)
    trained = pixel_statistics_distance(gan.generate(n=500), real)
    print(f"pixel-statistics distance to real digits: untrained {untrained:.2f}, "
          f"blank {blank:.2f}, trained {trained:.2f}")
    # measured here: untrained 36.2, blank 26.6, trained 4.7 (train vs test digits: 2.2)
    assert trained < 0.25 * untrained
    assert trained < 0.5 * blank
