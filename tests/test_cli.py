"""The command line end to end, each run in its own process as a user would."""
import os
import re
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import pytest
import tensorflow as tf
from conftest import tensors

BIN = os.path.dirname(sys.executable)


def tfgan_zoo(*args, cwd=None):
    """Runs the CLI outside the source tree, so an installed (even non-editable) package,
    its data and zoo_configs are what runs."""
    cwd = cwd or tempfile.gettempdir()
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([sys.executable, "-m", "tfgan_zoo", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=600)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A tiny DCGAN run through the CLI: 2 epochs of 3 steps."""
    workdir = tmp_path_factory.mktemp("run")
    result = tfgan_zoo("--model=dcgan", f"--workdir={workdir}", "--config.train.epochs=2",
                       "--config.train.steps_per_epoch=3", "--config.hparams.width=4",
                       "--config.train.log_every=2")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir, result.stdout


def test_cli_prints_where_everything_is(run):
    workdir, stdout = run
    assert f"tensorboard --logdir {workdir}/logs" in stdout
    for path in ("samples.png", "checkpoints/last.keras", "export/dcgan/1"):
        assert f"{workdir}/{path}" in stdout
        assert os.path.exists(workdir / path)


def test_cli_writes_scalars_and_the_sample_grid_to_tensorboard(run):
    workdir, _ = run
    scalars = tensors(str(workdir / "logs" / "train"))
    for name in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert len(scalars[f"epoch_{name}"]) == 2
        assert np.isfinite(scalars[f"batch_{name}"]).all()
    grids = tensors(str(workdir / "logs" / "samples"))["samples"]
    assert len(grids) == 2  # one per epoch
    width, height = int(grids[0][0]), int(grids[0][1])  # image summaries: [w, h, png...]
    assert (width, height) == (8 * 29 - 1, 8 * 29 - 1)  # 64 samples of 28 px, 1 px gutters


def test_saved_model_serves_in_a_fresh_process_without_tfgan_zoo(run, tmp_path):
    workdir, _ = run
    export = workdir / "export" / "dcgan" / "1"
    script = textwrap.dedent(f"""
        import sys, numpy as np, tensorflow as tf
        model = tf.saved_model.load({str(export)!r})
        serve = model.signatures["serving_default"]
        out = serve(z=tf.random.normal([3, 100]))
        images = out["images"].numpy()
        assert images.shape == (3, 28, 28, 1), images.shape
        assert -1 <= images.min() and images.max() <= 1
        assert out["pixels"].dtype == tf.uint8
        assert "tfgan_zoo" not in sys.modules
        print("served", images.shape)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "served (3, 28, 28, 1)" in result.stdout

    np.save(tmp_path / "z.npy", np.zeros((2, 100), np.float32))
    result = subprocess.run(
        [os.path.join(BIN, "saved_model_cli"), "run", "--dir", str(export), "--tag_set", "serve",
         "--signature_def", "serving_default", "--inputs", f"z={tmp_path / 'z.npy'}",
         "--outdir", str(tmp_path / "out")],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert np.load(tmp_path / "out" / "images.npy").shape == (2, 28, 28, 1)
    assert np.load(tmp_path / "out" / "pixels.npy").dtype == np.uint8


@pytest.mark.parametrize("args, message", [
    (["--model=nope"], "unknown model 'nope': choose one of .*dcgan"),
    (["--config.train.epochs=many"], "config.train.epochs"),
    (["--dataset=imagenet"], "unknown dataset 'imagenet'"),
    (["--dataset=tfds:cifar10_but_missing"], "tfds:cifar10_but_missing"),
])
def test_bad_input_is_one_line_and_exit_status_2(args, message, tmp_path):
    result = tfgan_zoo(*args, f"--workdir={tmp_path}")
    assert result.returncode == 2, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if line.startswith("tfgan-zoo: error")]
    assert len(lines) == 1, result.stderr[-3000:]
    assert re.search(message, lines[0]), lines[0]
    assert "Traceback" not in result.stderr


def test_mismatched_image_shape_is_a_clear_error(tmp_path):
    (tmp_path / "images").mkdir()
    for i in range(4):
        tf.io.write_file(str(tmp_path / "images" / f"{i}.png"),
                         tf.io.encode_png(np.zeros((32, 32, 3), np.uint8)))
    result = tfgan_zoo(f"--dataset=folder:{tmp_path / 'images'}", f"--workdir={tmp_path / 'w'}")
    assert result.returncode == 2
    assert "(32, 32, 3)" in result.stderr and "(28, 28, 1)" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_the_models_flags_and_config_fields():
    result = tfgan_zoo("--help")
    assert result.returncode == 0
    assert "one of cgan, cyclegan, dcgan, vanilla, wgan, wgan_gp" in result.stdout
    assert "--config" in result.stdout and "steps_per_epoch" in result.stdout
