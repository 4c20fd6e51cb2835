"""Networks that follow the image size: the reference implementations' parameter counts at
the papers' resolutions, the DCGAN family's doublings, and translators that keep their
data's size and serve any multiple of their stride."""
import json
import os

import numpy as np
import pytest
import tensorflow as tf
from conftest import tiny_config

import tfgan_zoo
from tfgan_zoo import train


def trainable(network):
    return sum(int(np.prod(w.shape)) for w in network.trainable_weights)


# (model, constructor arguments, reference G, reference D): trainable parameters as the
# reference implementations print them (counts from ../shared facts; sources cited per row).
REFERENCES = [
    # pytorch/examples dcgan/main.py, nz 100, ngf = ndf = 64, 64x64x3 (torchsummary logs)
    ("dcgan", dict(width=64, image_shape=(64, 64, 3)), 3_576_704, 2_765_568),
    # junyanz/pytorch-CycleGAN-and-pix2pix: resnet_9blocks and the 70x70 PatchGAN, instance
    # norm without affine parameters (it prints 11.378 M and 2.765 M)
    ("cyclegan", dict(width=64, num_blocks=9, d_layers=3, image_shape=(256, 256, 3)),
     11_378_179, 2_764_737),
    # the same code's resnet_6blocks, its choice at 128x128 (counted from the code)
    ("cyclegan", dict(width=64, num_blocks=6, d_layers=3, image_shape=(128, 128, 3)),
     7_837_699, 2_764_737),
    # the same repository's unet_256 and PatchGAN on 6 channels, batch norm (it prints
    # 54.414 M and 2.769 M)
    ("pix2pix", dict(width=64, d_layers=3, image_shape=(256, 256, 3)), 54_413_955, 2_768_705),
    # igul222/improved_wgan_training gan_cifar_resnet.py with CONDITIONAL = False (the
    # paper's unconditional CIFAR-10 model), counted from its layers: DIM_G = DIM_D = 128
    ("wgan_gp", dict(network="resnet", width=128, latent_dim=128, image_shape=(32, 32, 3)),
     1_204_483, 1_053_825),
    # Mirza & Osindero 2014, sec. 4.1: G z100 -> 200, y -> 1000, joint 1200, 784; D maxout
    # 240 x 5 and 50 x 5, joint 240 x 4, one output
    ("cgan", dict(network="mlp", latent_dim=100), 2_413_984, 1_224_351),
    # goodfeli/adversarial mnist.yaml: G 100 -> 1200 -> 1200 -> 784; D maxout 240 x 5 twice
    ("vanilla", dict(network="maxout", hidden=1200, latent_dim=100), 2_503_984, 1_231_441),
]


@pytest.mark.parametrize("name, hparams, generator, discriminator", REFERENCES)
def test_the_reference_networks_have_the_reference_parameter_counts(
        name, hparams, generator, discriminator):
    gan = tfgan_zoo.models.get(name, **hparams)
    assert (trainable(gan.generator), trainable(gan.discriminator)) == (generator, discriminator)


def strided(network, kind):
    return [layer for layer in network.layers
            if isinstance(layer, kind) and layer.strides == (2, 2)]


@pytest.mark.parametrize("shape, start, doublings", [
    ((28, 28, 1), (7, 7), 2), ((32, 32, 3), (4, 4), 3), ((64, 64, 3), (4, 4), 4),
    ((128, 128, 3), (4, 4), 5), ((64, 32, 3), (8, 4), 3), ((30, 30, 1), (15, 15), 1)])
def test_the_dcgan_networks_double_from_the_smallest_map_of_at_least_4(shape, start, doublings):
    gan = tfgan_zoo.models.get("dcgan", width=2, latent_dim=4, image_shape=shape)
    ups = strided(gan.generator, tf.keras.layers.Conv2DTranspose)
    downs = strided(gan.discriminator, tf.keras.layers.Conv2D)
    assert len(ups) == len(downs) == doublings
    assert tuple(ups[0].input.shape[1:3]) == start == tuple(downs[-1].output.shape[1:3])
    # channels halve as the size doubles, from width * 2**(n-1); D mirrors them
    assert [up.input.shape[-1] for up in ups] == [2 * 2 ** (doublings - 1 - k)
                                                  for k in range(doublings)]
    assert [down.output.shape[-1] for down in downs] == [2 * 2**k for k in range(doublings)]
    assert gan.generate(n=2).shape == (2, *shape)


def write_pngs(directory, count, shape, seed=0):
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(count):
        tf.io.write_file(str(directory / f"{i}.png"),
                         tf.io.encode_png(rng.integers(0, 256, shape, dtype=np.uint8)))


def served(export):
    return tf.saved_model.load(export)


def exported_shape(out):
    """The image shape a run trained at, as its export records it."""
    with open(os.path.join(out.saved_model, "assets.extra", "tfgan_zoo.json")) as f:
        return json.load(f)["image_shape"]


@pytest.mark.slow
@pytest.mark.parametrize("side, ups", [(64, 4), (128, 5)])
def test_dcgan_trains_on_rgb_folders_at_their_size_and_exports_it(tmp_path, side, ups):
    write_pngs(tmp_path / "faces", 8, (side, side, 3))
    config = tiny_config("dcgan")
    config.dataset = f"folder:{tmp_path / 'faces'}"
    gan, _ = train.build(config)
    assert len(strided(gan.generator, tf.keras.layers.Conv2DTranspose)) == ups
    out = train.run(config, str(tmp_path / "run"))
    assert exported_shape(out) == [side, side, 3]
    images = served(out.saved_model).signatures["generate"](z=tf.zeros([2, gan.latent_dim]))
    assert images["images"].shape == (2, side, side, 3)


@pytest.mark.slow
def test_cyclegan_trains_on_rgb_folders_at_their_size_and_serves_any_multiple_of_4(tmp_path):
    for side in (32, 64):
        for domain, seed in (("a", 0), ("b", 1)):
            write_pngs(tmp_path / f"{side}{domain}", 8, (side, side, 3), seed)
        config = tiny_config("cyclegan")
        config.dataset = f"folder:{tmp_path / f'{side}a'}"
        config.dataset_b = f"folder:{tmp_path / f'{side}b'}"
        out = train.run(config, str(tmp_path / f"run{side}"))
        assert exported_shape(out) == [side, side, 3]
    model = served(out.saved_model)
    for size in (32, 64, 96, 28 + 4 * 9):
        translated = model.signatures["a_to_b"](images=tf.zeros([1, size, size, 3]))
        assert translated["images"].shape == (1, size, size, 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="multiples of 4"):
        model.signatures["b_to_a"](images=tf.zeros([1, 30, 30, 3]))


def test_unpaired_domains_of_two_sizes_train_at_domain_as(tmp_path):
    write_pngs(tmp_path / "a", 4, (32, 32, 3))
    write_pngs(tmp_path / "b", 4, (48, 48, 3))
    a, b = next(iter(tfgan_zoo.data.load_unpaired(f"folder:{tmp_path / 'a'}",
                                                  f"folder:{tmp_path / 'b'}", batch_size=2)))
    assert a.shape == b.shape == (2, 32, 32, 3)
