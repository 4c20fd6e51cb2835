"""The command line end to end, each run in its own process as a user would."""
import os
import re
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import pytest
from conftest import tensors

from tfgan_zoo import cli, models, quiet
from zoo_configs import base

BIN = os.path.dirname(sys.executable)


def tfgan_zoo(*args, cwd=None):
    """Runs the CLI outside the source tree, so an installed (even non-editable) package,
    its data and zoo_configs are what runs."""
    cwd = cwd or tempfile.gettempdir()
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([sys.executable, "-m", "tfgan_zoo", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=600)


# Its tests share an xdist_group: one test process makes the run.
@pytest.fixture(scope="session")  # once per test process (see conftest.py)
def run(tmp_path_factory):
    """A tiny DCGAN run through the CLI: 2 epochs of 3 steps."""
    workdir = tmp_path_factory.mktemp("run")
    result = tfgan_zoo("--model=dcgan", f"--config={cli.config_path('dcgan')}:tiny",
                       f"--workdir={workdir}", "--config.train.epochs=2",
                       "--config.train.steps_per_epoch=3", "--config.train.log_every=2")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir, result.stdout, result.stderr


@pytest.mark.xdist_group("cli_run")
def test_cli_prints_where_everything_is_and_no_tensorflow_start_up_lines(run):
    workdir, stdout, stderr = run
    assert f"tensorboard --logdir {workdir}/logs" in stdout
    for path in ("samples.png", "checkpoints/last.keras", "export/dcgan/1"):
        assert f"{workdir}/{path}" in stdout
        assert os.path.exists(workdir / path)
    for line in stderr.splitlines():
        assert not quiet.NATIVE_LOG.match(line.encode()), line
    assert "cuInit" not in stderr and "staging" not in stderr and ".1-" not in stderr


@pytest.mark.xdist_group("cli_run")
def test_cli_writes_scalars_and_the_sample_grid_to_tensorboard(run):
    workdir, _, _ = run
    scalars = tensors(str(workdir / "logs" / "train"))
    for name in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert len(scalars[f"epoch_{name}"]) == 2
        assert np.isfinite(scalars[f"batch_{name}"]).all()
    grids = tensors(str(workdir / "logs" / "samples"))["samples"]
    assert len(grids) == 2  # one per epoch
    width, height = int(grids[0][0]), int(grids[0][1])  # image summaries: [w, h, png...]
    assert (width, height) == (8 * 29 - 1, 8 * 29 - 1)  # 64 samples of 28 px, 1 px gutters


@pytest.mark.slow
@pytest.mark.xdist_group("cli_run")
def test_saved_model_serves_in_a_fresh_process_without_tfgan_zoo(run, tmp_path):
    workdir, _, _ = run
    export = workdir / "export" / "dcgan" / "1"
    script = textwrap.dedent(f"""
        import sys, numpy as np, tensorflow as tf
        model = tf.saved_model.load({str(export)!r})
        serve = model.signatures["serving_default"]
        out = serve(z=tf.random.normal([3, serve.structured_input_signature[1]["z"].shape[-1]]))
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

    latent_dim = cli.load_config_module(cli.config_path("dcgan"))[0].get_config("tiny")\
        .hparams.latent_dim
    np.save(tmp_path / "z.npy", np.zeros((2, latent_dim), np.float32))
    result = subprocess.run(
        [os.path.join(BIN, "saved_model_cli"), "run", "--dir", str(export), "--tag_set", "serve",
         "--signature_def", "serving_default", "--inputs", f"z={tmp_path / 'z.npy'}",
         "--outdir", str(tmp_path / "out")],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert np.load(tmp_path / "out" / "images.npy").shape == (2, 28, 28, 1)
    assert np.load(tmp_path / "out" / "pixels.npy").dtype == np.uint8


def test_bad_input_is_one_line_and_exit_status_2_in_a_real_process(tmp_path):
    result = tfgan_zoo("--model=nope", f"--workdir={tmp_path}")
    assert result.returncode == 2, result.stderr[-3000:]
    assert result.stderr.strip() == (f"tfgan-zoo: error: unknown model 'nope': choose one of "
                                     f"{', '.join(models.names())}")
    assert not os.listdir(tmp_path)


def test_help_in_a_real_process_lists_the_models_flags_and_fields():
    result = tfgan_zoo("--help")
    assert result.returncode == 0
    assert f"one of {', '.join(models.names())}" in result.stdout
    assert "--config.<field>=<value>" in result.stdout and "train.steps_per_epoch" in result.stdout


@pytest.mark.parametrize("name", models.names())
def test_help_shows_the_chosen_models_description_fields_and_expected_time(name, capsys):
    for args in ([f"--model={name}"], [f"--config={cli.config_path(name)}"]):
        with pytest.raises(SystemExit) as exit:
            cli.run(["tfgan-zoo", *args, "--help"])
        assert exit.value.code == 0
        out = capsys.readouterr().out
        cls = models.lookup(name)
        assert f"Model {name}: {cli.first_paragraph(cls.__doc__)}" in out
        assert "Expected (2 CPU cores" in out
        for field in cls.hyperparameters():
            if field not in ("seed", *base.FROM_DATA):
                assert re.search(rf"^  hparams\.{field} = .+\S$", out, re.MULTILINE), field
        assert "!!python" not in out


def test_tensorflow_start_up_lines_are_recognised_and_nothing_else():
    noise = [
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
        "I0000 00:00:1795597925.684095    2199 port.cc:153] oneDNN custom operations are on.",
        "I0000 00:00:1795597925.684411    2199 cudart_stub.cc:31] Could not find cuda drivers",
        "E0000 00:00:1795597927.403435    2199 cuda_platform.cc:52] failed call to cuInit: x",
        "I1125 09:12:12.730760 139921661148032 signature_serialization.py:156] Function",
        "W0000 00:00:1795597929.626217    2205 assert_op.cc:39] Ignoring Assert operator",
        "To enable the following instructions: AVX2 FMA, in other operations, rebuild "
        "TensorFlow with the appropriate compiler flags.",
        "INFO:tensorflow:Assets written to: /tmp/x/assets",
    ]
    kept = ["tfgan-zoo: error: unknown model 'x'", "Traceback (most recent call last):",
            "W0000 00:00:1795597929.626217    2205 other_op.cc:39] a real warning",
            "UserWarning: something", "  File \"x.py\", line 3, in <module>"]
    assert all(quiet.NATIVE_LOG.match(line.encode()) for line in noise)
    assert not any(quiet.NATIVE_LOG.match(line.encode()) for line in kept)


def test_a_workdir_that_cannot_be_made_is_one_line_and_nothing_is_written(tmp_path, capsys):
    (tmp_path / "a_file").write_text("not a folder")
    with pytest.raises(SystemExit) as exit:
        cli.run(["tfgan-zoo", f"--config={cli.config_path('dcgan')}:tiny",
                 f"--workdir={tmp_path / 'a_file' / 'run'}"])
    assert exit.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"tfgan-zoo: error: cannot write to the workdir {tmp_path / 'a_file' / 'run'}"
                   ": Not a directory: choose another (--workdir)")
    assert os.listdir(tmp_path) == ["a_file"]


def test_a_config_file_that_does_not_parse_is_one_line(tmp_path, capsys):
    config = tmp_path / "broken.py"
    config.write_text("def get_config(arg=None)\n    return None\n")
    for extra in ([], ["--help"]):
        with pytest.raises(SystemExit) as exit:
            cli.run(["tfgan-zoo", f"--config={config}", f"--workdir={tmp_path / 'run'}", *extra])
        assert exit.value.code == 2
        assert capsys.readouterr().err.strip() == (
            f"tfgan-zoo: error: config file {config} does not parse: line 1: expected ':': "
            "fix the file")
    assert not (tmp_path / "run").exists()


def test_none_on_the_command_line_sets_an_optional_field_and_only_one(capsys):
    wgan = f"--config={cli.config_path('wgan')}"
    config = cli.parse(["tfgan-zoo", wgan, "--config.optimizer.d_learning_rate=None",
                        "--config.train.steps_per_epoch=3",
                        "--config.train.steps_per_epoch=None"]).config
    assert config.optimizer.d_learning_rate is None  # the config file's 5e-4: back to the paper's
    assert config.train.steps_per_epoch is None and config.optimizer.g_learning_rate == 5e-4
    later = cli.parse(["tfgan-zoo", wgan, "--config.train.steps_per_epoch=None",
                       "--config.train.steps_per_epoch=3"]).config
    assert later.train.steps_per_epoch == 3  # the last setting wins
    with pytest.raises(SystemExit) as exited:
        cli.parse(["tfgan-zoo", wgan, "--config.train.epochs=None"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip() == (
        "tfgan-zoo: error: config.train.epochs must be a whole number of at least 1, not None")


def test_help_shows_each_fields_allowed_values_from_its_declaration(capsys):
    text = cli.help_text(cli.config_path("pix2pix"))
    assert re.search(r"hparams\.depth = None .*Allowed: None \(down to 1x1\) or a whole number "
                     r"from 1 to 12\.", text)
    assert re.search(r"optimizer\.beta_1 = None .*Allowed: None \(the paper's\) or a number in "
                     r"\[0, 1\)\.", text)
