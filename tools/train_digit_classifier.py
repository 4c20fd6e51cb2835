"""Trains the digit classifier that ships with the package (tfgan_zoo/features.py).

    python tools/train_digit_classifier.py

Trains on the offline digits' train splits of both domains: MNIST (4,500) and
scikit-learn's 8x8 digits upscaled to 28x28 as CycleGAN sees them (1,617), with random
shifts and small rotations. Reports the accuracy on each domain's held-out test split
(every 10th digit, never trained on) and writes tfgan_zoo/data/digit_classifier.weights.h5
and digit_classifier.json (those accuracies). Takes a few minutes on 2 CPU cores.
"""
import os
import sys

import keras
import numpy as np
import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tfgan_zoo import data, features  # noqa: E402

EPOCHS = 40
DOMAINS = {"mnist": None, "digits": (28, 28)}  # name -> image_size, as the models see them


def arrays(name, split):
    dataset = data.load(name, split, batch_size=10_000, drop_remainder=False, shuffle=False,
                        labels=True, image_size=DOMAINS[name])
    images, labels = zip(*dataset)
    return np.concatenate(images), np.concatenate(labels)


def main():
    keras.utils.set_random_seed(0)
    train = [arrays(name, "train") for name in DOMAINS]
    images = np.concatenate([x for x, _ in train])
    labels = np.concatenate([y for _, y in train])
    augment = keras.Sequential([keras.layers.RandomTranslation(0.1, 0.1, fill_value=-1.0),
                                keras.layers.RandomRotation(0.04, fill_value=-1.0)])
    dataset = (tf.data.Dataset.from_tensor_slices((images, labels))
               .shuffle(len(images), seed=0).batch(64)
               .map(lambda x, y: (augment(x, training=True), y)).prefetch(2))
    model = features.build_digit_classifier()
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, EPOCHS * len(dataset))
    model.compile(keras.optimizers.Adam(schedule),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(dataset, epochs=EPOCHS, verbose=2)
    card = {"epochs": EPOCHS, "trained_on": {n: len(y) for n, (_, y) in zip(DOMAINS, train)}}
    for name in DOMAINS:
        test_images, test_labels = arrays(name, "test")
        predicted = model.predict(test_images, verbose=0).argmax(1)
        card[f"{name}_test_accuracy"] = round(float((predicted == test_labels).mean()), 4)
        card[f"{name}_test_size"] = len(test_labels)
    print(card)
    size = features.DigitClassifier.ship(model, card)
    print(f"{features.CLASSIFIER_WEIGHTS}: {size:,} bytes")


if __name__ == "__main__":
    main()
