"""`tfgan-zoo generate`: grids, folders and arrays from a workdir, an export or a .keras file;
--seed, --labels, latent walks, and translating a user's image files. Its bad-input lines
are rows of docs/errors.md (test_errors.py)."""
import numpy as np
import pytest
import tensorflow as tf

from conftest import run_here
from tfgan_zoo import cli, generate_cli, images, pretrained

pytestmark = pytest.mark.xdist_group("generate")


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """{model: the workdir of a finished tiny run}."""
    root = tmp_path_factory.mktemp("generate_runs")
    for model in ("dcgan", "cgan", "pix2pix", "cyclegan"):
        cli.run(["tfgan-zoo", f"--config={cli.config_path(model)}:tiny",
                 f"--workdir={root / model}"])
    return {model: root / model for model in ("dcgan", "cgan", "pix2pix", "cyclegan")}


def generate(tmp_path, *args):
    result = run_here(["generate", *map(str, args)], tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def read_png(path):
    return tf.io.decode_png(tf.io.read_file(str(path))).numpy()


@pytest.mark.slow  # trained tiny runs
def test_a_grid_is_enlarged_and_the_seed_repeats_it(runs, tmp_path):
    generate(tmp_path, runs["dcgan"], "--num=16", "--output=a.png")
    generate(tmp_path, runs["dcgan"], "--num=16", "--output=b.png")
    generate(tmp_path, runs["dcgan"], "--num=16", "--output=c.png", "--seed=1")
    grid = read_png(tmp_path / "a.png")
    assert grid.shape == ((4 * 29 - 1) * 3, (4 * 29 - 1) * 3, 1)  # 4x4 digits, each 3x larger
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.png").read_bytes() != (tmp_path / "c.png").read_bytes()


@pytest.mark.slow  # trained tiny runs
def test_a_folder_and_an_array_hold_the_same_images_from_every_kind_of_source(runs, tmp_path):
    run = runs["dcgan"]
    out = generate(tmp_path, run, "--num=5", "--output=folder")
    assert "folder: 5 PNG files" in out
    pngs = np.stack([read_png(tmp_path / "folder" / f"{i}.png") for i in range(5)])
    export = next((run / "export" / "dcgan").iterdir())
    for source in (run, export, run / "checkpoints" / "last.keras"):
        generate(tmp_path, source, "--num=5", "--output=s.npy")
        array = np.load(tmp_path / "s.npy")
        assert array.dtype == np.uint8 and array.shape == (5, 28, 28, 1)
        # the SavedModel computes in its own graph: a pixel may round the other way
        assert np.abs(array.astype(int) - pngs).max() <= 1, source
    generate(tmp_path, "--model=dcgan", f"--weights={run}", "--num=5", "--format=npy",
             "--output=w.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "w.npy"), np.load(tmp_path / "s.npy"))


@pytest.mark.slow  # trained tiny runs
def test_labels_choose_the_classes_of_a_conditional_model(runs, tmp_path):
    generate(tmp_path, runs["cgan"], "--labels=3,3,7", "--output=l.npy")  # one image a label
    gan = pretrained.load_keras(str(runs["cgan"] / "checkpoints" / "last.keras"))
    z, _ = generate_cli.latent_points(gan.latent_dim, 3, 0)
    drawn = np.load(tmp_path / "l.npy").astype(np.float32)

    def distance(labels):  # in pixel levels, to the model's unrounded images for `labels`
        unrounded = (np.clip(gan.generate(z=z, labels=np.array(labels)), -1, 1) + 1) * 127.5
        return np.abs(drawn - unrounded).mean()

    # a tiny model's classes differ by little: closer to its 3, 3, 7 than to 0, 1, 2
    assert distance([3, 3, 7]) <= 0.5 and distance([3, 3, 7]) < distance([0, 1, 2])


def test_slerp_walks_the_great_circle_from_one_point_to_the_other():
    a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    np.testing.assert_allclose(generate_cli.slerp(a, b, 0.0), a)
    np.testing.assert_allclose(generate_cli.slerp(a, b, 1.0), b)
    np.testing.assert_allclose(np.linalg.norm(generate_cli.slerp(a, b, 0.5)), 1.0)  # lerp: 0.71
    z, walks = generate_cli.latent_points(10, 12, 0, steps=4)
    assert z.shape == (12, 10) and walks == 3
    norms = np.linalg.norm(z, axis=1).reshape(3, 4)
    assert np.all(norms[:, 1:-1] > 0.9 * np.minimum(norms[:, :1], norms[:, -1:]))


@pytest.mark.slow  # trained tiny runs
def test_a_latent_walk_is_one_row_per_walk(runs, tmp_path):
    generate(tmp_path, runs["dcgan"], "--interpolate=4", "--num=8", "--output=walk.png")
    assert read_png(tmp_path / "walk.png").shape[:2] == ((2 * 29 - 1) * 3, (4 * 29 - 1) * 3)


@pytest.mark.slow  # trained tiny runs
def test_translation_models_translate_image_files_keeping_their_names(runs, tmp_path):
    inputs = tmp_path / "mine"
    inputs.mkdir()
    pixels = np.random.default_rng(0).integers(0, 256, (3, 28, 28, 1), dtype=np.uint8)
    for name, image in zip(("x", "y", "z"), pixels):
        tf.io.write_file(str(inputs / f"{name}.png"), tf.io.encode_png(image))
    generate(tmp_path, runs["pix2pix"], f"--input={inputs}", "--output=out")
    gan = pretrained.load_keras(str(runs["pix2pix"] / "checkpoints" / "last.keras"))
    expected = images.to_pixels(gan.generate(images.from_pixels(pixels).numpy()))
    for name, image in zip(("x", "y", "z"), expected):
        assert np.abs(read_png(tmp_path / "out" / f"{name}.png").astype(int) - image).max() <= 1
    generate(tmp_path, runs["pix2pix"], f"--input={inputs / 'x.png'}", "--output=one.png")
    assert read_png(tmp_path / "one.png").shape[:2] == ((2 * 29 - 1) * 3, 28 * 3)  # input above
    generate(tmp_path, runs["cyclegan"], "--direction=b_to_a", f"--input={inputs}",
             "--output=back.npy")
    cyclegan = pretrained.load_keras(str(runs["cyclegan"] / "checkpoints" / "last.keras"))
    back = images.to_pixels(cyclegan.generate(images.from_pixels(pixels).numpy(), "b_to_a"))
    assert np.abs(np.load(tmp_path / "back.npy").astype(int) - back).max() <= 1


def test_help_shows_every_flag(tmp_path):
    result = run_here(["generate", "--help"], tmp_path)
    assert result.returncode == 0
    for name in generate_cli.FLAGS_SHOWN:
        assert f"--{name}:" in result.stdout
