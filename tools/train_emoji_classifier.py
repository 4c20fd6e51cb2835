"""Trains the emoji classifier that ships with the package (tfgan_zoo/features.py).

    python tools/train_emoji_classifier.py                 # subgroups (shipped)
    python tools/train_emoji_classifier.py --target=labels # the 9 groups, to compare

Trains on the emoji's training split (1,495 images, tfgan_zoo/data/emoji.npz) with random
shifts, zooms and left-right flips, on the 99 Unicode subgroups (finer classes than the 9
groups give finer features). Reports the group accuracy (a group's probability is the sum of
its subgroups') and the subgroup accuracy on the held-out split (366 emoji never trained on)
and writes tfgan_zoo/data/emoji_classifier.weights.h5 and emoji_classifier.json (those
accuracies). About 7 minutes on 2 CPU cores (40 epochs).

What the features are worth, whichever classes trained them: each held-out emoji's nearest
training emoji in the "features" layer (Euclidean, the distance FD, PRDC and the
memorization check use) has the same subgroup ("feature_nearest_subgroup_accuracy").
"""
import argparse
import os
import sys

import keras
import numpy as np
import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tfgan_zoo import features  # noqa: E402
from tfgan_zoo.data import sources  # noqa: E402

EPOCHS = 40


def nearest_neighbour_accuracy(features, labels, test):
    """The share of test rows whose nearest training row (Euclidean) has their label."""
    train, held_out = features[~test], features[test]
    distances = ((held_out ** 2).sum(1)[:, None] - 2 * held_out @ train.T
                 + (train ** 2).sum(1)[None])
    return float((labels[~test][distances.argmin(1)] == labels[test]).mean())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", choices=("subgroups", "labels"), default="subgroups")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    images, groups, test = sources.emoji()
    targets = sources.emoji(args.target)[1]
    images = images.astype(np.float32) / 127.5 - 1
    augment = keras.Sequential([
        keras.layers.RandomTranslation(0.08, 0.08, fill_mode="constant", fill_value=1.0),
        keras.layers.RandomZoom(0.1, fill_mode="constant", fill_value=1.0),
        keras.layers.RandomFlip("horizontal")])
    dataset = (tf.data.Dataset.from_tensor_slices((images[~test], targets[~test]))
               .shuffle(int((~test).sum()), seed=0).batch(32)
               .map(lambda x, y: (augment(x, training=True), y)).prefetch(2))
    model = features.EmojiClassifier.build()
    if args.target == "labels":
        model = features.build_classifier(features.EmojiClassifier.image_shape,
                                          sources.EMOJI_GROUPS,
                                          ((32, 2), (64, 2), (128, 2), (128, 1)), "groups")
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, args.epochs * len(dataset))
    model.compile(keras.optimizers.Adam(schedule),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(dataset, epochs=args.epochs, verbose=2)
    logits = model.predict(images[test], verbose=0)
    features_of = keras.Model(model.input, model.get_layer("features").output)
    subgroups = sources.emoji("subgroups")[1]
    probe = nearest_neighbour_accuracy(features_of.predict(images, verbose=0), subgroups, test)
    card = {"epochs": args.epochs, "trained_on": int((~test).sum()),
            "test_size": int(test.sum()), "target": args.target}
    if args.target == "subgroups":
        card["subgroup_test_accuracy"] = round(float((logits.argmax(1) == targets[test]).mean()), 4)
        model.save_weights(features.EMOJI_WEIGHTS)  # the weights the reader below loads
        predicted = features.EmojiClassifier(features.EMOJI_WEIGHTS)(images[test])[1].argmax(1)
    else:
        predicted = logits.argmax(1)
    card["group_test_accuracy"] = round(float((predicted == groups[test]).mean()), 4)
    card["feature_nearest_subgroup_accuracy"] = round(probe, 4)
    print(card)
    if args.target == "subgroups":
        size = features.EmojiClassifier.ship(model, card)
        print(f"{features.EMOJI_WEIGHTS}: {size:,} bytes")


if __name__ == "__main__":
    main()
