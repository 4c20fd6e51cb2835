"""Builds tfgan_zoo/data/sample_photos.npz, the photographs of the offline colourisation task.

    pip install scikit-learn && python tools/build_sample_photos.py

Contents: `china` and `flower` [213, 320, 3] uint8, scikit-learn's two sample images
(sklearn.datasets.load_sample_images(), 427x640) halved by averaging each 2x2 block
(the 427th row dropped). Both are CC BY 2.0 photographs from Flickr; credits: docs/data.md.
"""
import os

import numpy as np
from sklearn.datasets import load_sample_images

OUT = os.path.join(os.path.dirname(__file__), "..", "tfgan_zoo", "data", "sample_photos.npz")


def halved(image):
    height, width = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
    blocks = image[:height, :width].astype(np.float64).reshape(height // 2, 2, width // 2, 2, 3)
    return blocks.mean(axis=(1, 3)).round().astype(np.uint8)


def main():
    loaded = load_sample_images()
    photos = {os.path.splitext(os.path.basename(f))[0]: halved(image)
              for f, image in zip(loaded.filenames, loaded.images)}
    np.savez_compressed(OUT, **photos)
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT) / 1e6:.2f} MB): "
          + ", ".join(f"{k} {v.shape}" for k, v in photos.items()))


if __name__ == "__main__":
    main()
