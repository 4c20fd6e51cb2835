"""Each `FILE:paper` experiment on paper: its networks' trainable parameters beside the
reference implementation's, the FLOPs one training step takes per image (counted from the
traced train_step by tfgan_zoo.flops, at the paper's batch and resolution), the images the
run trains on, and the time that takes on a stated GPU. Writes docs/paper_experiments.json
(the cards' "paper experiment" sections) and prints one line per model.

    python tools/paper_times.py            # every model: about 2 minutes on 2 CPU cores
    python tools/paper_times.py cyclegan

Nothing is trained and no data is read: the sizes of the papers' training sets are below.
"""
import importlib
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfgan_zoo import flops, models, train  # noqa: E402

# The GPU the docstrings' times are for: an NVIDIA A100's float32 peak (19.5 TFLOP/s, no
# tensor cores), of which a GAN step's convolutions are taken to reach half.
GPU = "an NVIDIA A100 at half its float32 peak (9.75 of 19.5 TFLOP/s)"
GPU_FLOPS = 9.75e12

# model -> (the paper's image shape, training images per epoch: the TFDS catalog's train
# split, horse2zebra's smaller domain trainA, facades' train folder)
DATA = {"dcgan": ((64, 64, 3), 162_770), "wgan": ((64, 64, 3), 3_033_042),
        "wgan_gp": ((32, 32, 3), 50_000), "cgan": ((28, 28, 1), 60_000),
        "vanilla": ((28, 28, 1), 60_000), "cyclegan": ((256, 256, 3), 1_067),
        "pix2pix": ((256, 256, 3), 400)}

# model -> (the network the reference prints or its code gives, G, D, where from)
REFERENCES = {
    "dcgan": (dict(width=64, image_shape=(64, 64, 3)), 3_576_704, 2_765_568,
              "pytorch/examples dcgan/main.py (ngf = ndf = 64, nz 100; torchsummary)"),
    "wgan": (dict(width=64, image_shape=(64, 64, 3)), 3_576_704, 2_765_568,
             "Arjovsky et al.'s main.py, the same DCGAN networks (ngf = ndf = 64)"),
    "wgan_gp": (dict(network="resnet", width=128, latent_dim=128, image_shape=(32, 32, 3)),
                1_204_483, 1_053_825,
                "igul222/improved_wgan_training gan_cifar_resnet.py, CONDITIONAL = False "
                "(counted from its layers)"),
    "cgan": (dict(network="mlp", latent_dim=100), 2_413_984, 1_224_351,
             "Mirza & Osindero 2014, sec. 4.1 (counted from the paper's sizes)"),
    "vanilla": (dict(network="maxout", hidden=1200, latent_dim=100), 2_503_984, 1_231_441,
                "goodfeli/adversarial mnist.yaml (counted from its layers)"),
    "cyclegan": (dict(width=64, num_blocks=9, d_layers=3, image_shape=(256, 256, 3)),
                 11_378_179, 2_764_737,
                 "junyanz/pytorch-CycleGAN-and-pix2pix resnet_9blocks, n_layers 3 "
                 "(prints 11.378 M, 2.765 M)"),
    "pix2pix": (dict(width=64, d_layers=3, image_shape=(256, 256, 3)), 54_413_955, 2_768_705,
                "junyanz/pytorch-CycleGAN-and-pix2pix unet_256, n_layers 3 "
                "(prints 54.414 M, 2.769 M)"),
}


def trainable(network):
    return sum(math.prod(w.shape) for w in network.trainable_weights)


def paper_model(name, config, **changes):
    """The paper config's model at the paper's data shape, compiled with its optimizers."""
    shape, _ = DATA[name]
    data_args = {"image_shape": shape, "num_classes": 10, "target_channels": shape[-1]}
    cls = models.lookup(name)
    hparams = {**config.hparams, **{k: data_args[k] for k in cls.data_hparams}, **changes}
    gan = models.get(name, **hparams)
    gan.compile(*train.optimizers(gan, config.optimizer))
    return gan


def step_flops(gan, batch):
    shape = tuple(gan.image_shape)
    image = tf.TensorSpec([batch, *shape], tf.float32)
    if gan.data_kind == "labelled":
        spec = (image, tf.TensorSpec([batch], tf.int32))
    elif gan.data_kind in ("unpaired", "paired"):
        spec = (image, tf.TensorSpec([batch, *shape[:2], gan.target_shape[-1]], tf.float32))
    else:
        spec = image
    return flops.train_step(gan, spec)


def experiment(name):
    config = importlib.import_module(f"zoo_configs.{name}").get_config("paper")
    _, per_epoch = DATA[name]
    batch, epochs = config.train.batch_size, config.train.epochs
    steps = per_epoch // batch * epochs
    keras.utils.set_random_seed(0)
    bursts = config.hparams.get("critic_bursts")
    gan = paper_model(name, config, **({"critic_bursts": False} if bursts else {}))
    per_step = step_flops(gan, batch)
    if bursts:
        # 100 critic updates, not d_steps, for the first 25 generator updates and every 500th
        bursty = step_flops(paper_model(name, config, critic_bursts=False, d_steps=100), batch)
        share = (25 + steps // 500) / steps
        per_step = per_step + share * (bursty - per_step)
    hparams, ref_g, ref_d, source = REFERENCES[name]
    reference = paper_model(name, config, **hparams)
    return {
        "model": name, "command": f"tfgan-zoo --config=zoo_configs/{name}.py:paper",
        "dataset": config.dataset, "image_shape": list(DATA[name][0]), "batch_size": batch,
        "epochs": epochs, "images_per_epoch": per_epoch, "steps": steps,
        "parameters": [trainable(gan.generator), trainable(gan.discriminator)],
        "reference_hparams": {k: list(v) if isinstance(v, tuple) else v
                              for k, v in hparams.items()},
        "reference_parameters": [trainable(reference.generator),
                                 trainable(reference.discriminator)],
        "reference_printed": [ref_g, ref_d], "reference_source": source,
        "gflop_per_image": per_step / batch / 1e9, "total_flop": per_step * steps,
        "gpu": GPU, "gpu_hours": per_step * steps / GPU_FLOPS / 3600,
    }


def duration(hours):
    if hours >= 1:
        return f"{hours:.1f} hours"
    return f"{max(1, round(hours * 60))} minutes" if hours * 60 >= 0.5 else "under a minute"


def summary(found):
    """One line: the time on paper and how it follows."""
    per_image = found["gflop_per_image"]
    per_image = f"{per_image:,.0f}" if per_image >= 100 else f"{per_image:.3g}"
    return (f"{duration(found['gpu_hours'])} on {GPU} ({per_image} GFLOP per trained image x "
            f"{found['steps'] * found['batch_size']:,} images)")


def main(argv):
    names = argv[1:] or models.names()
    path = os.path.join(ROOT, "docs", "paper_experiments.json")
    results = {}
    if os.path.exists(path):
        with open(path) as f:
            results = json.load(f)
    for name in names:
        results[name] = found = experiment(name)
        print(f"{name}: {summary(found)}; parameters "
              f"{found['parameters'][0]:,} / {found['parameters'][1]:,}")
        with open(path, "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv)
