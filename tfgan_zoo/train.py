"""Trains a zoo model from its config: what `tfgan-zoo` runs."""
import dataclasses
import os

import keras

from tfgan_zoo import callbacks, data, distribute, export, images, models
from tfgan_zoo.gan import check_images


@dataclasses.dataclass
class Outputs:
    """Where a run left its results."""
    logs: str
    checkpoint: str
    saved_model: str
    samples: str


def build(config):
    """(model, dataset) for `config`, checked against each other; compiled under its strategy."""
    with distribute.strategy(config.get("distribute", "default")).scope():
        gan = models.get(config.model, seed=config.seed, **config.hparams)
        gan.compile(jit_compile=config.train.jit_compile)
    kwargs = dict(batch_size=config.train.batch_size, image_size=config.get("image_size"),
                  channels=config.get("channels"), seed=config.seed,
                  repeat=config.train.steps_per_epoch is not None)
    if gan.unpaired:
        dataset = data.load_unpaired(config.dataset, config.get("dataset_b") or None, **kwargs)
    else:
        dataset = data.load(config.dataset, labels=gan.conditional, **kwargs)
    check_images(data.image_shape(dataset), gan.image_shape, f"model {config.model!r}")
    return gan, dataset


def run(config, workdir):
    """Trains, writes TensorBoard logs, a checkpoint, a sample grid and a SavedModel."""
    keras.utils.set_random_seed(config.seed)
    gan, dataset = build(config)
    out = Outputs(logs=os.path.join(workdir, "logs"),
                  checkpoint=os.path.join(workdir, "checkpoints", "last.keras"),
                  saved_model="", samples=os.path.join(workdir, "samples.png"))
    os.makedirs(os.path.dirname(out.checkpoint), exist_ok=True)
    preview_batch = next(iter(dataset))  # real images, for models that translate them
    gan.fit(
        dataset,
        epochs=config.train.epochs,
        steps_per_epoch=config.train.steps_per_epoch,
        shuffle=False,  # the dataset is shuffled already
        callbacks=[
            keras.callbacks.BackupAndRestore(os.path.join(workdir, "backup")),
            callbacks.TensorBoard(out.logs, update_freq=config.train.log_every),
            callbacks.SampleGrid(os.path.join(out.logs, "samples"), seed=config.seed,
                                 batch=preview_batch),
            keras.callbacks.ModelCheckpoint(out.checkpoint),
        ],
    )
    samples, rows = gan.preview(seed=config.seed, batch=preview_batch)
    images.write_png(out.samples, images.grid(samples, rows))
    out.saved_model = export.saved_model(gan, os.path.join(workdir, "export", config.model))
    return out
