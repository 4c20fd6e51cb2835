"""A killed run resumes exactly when the same command runs again; a workdir holds one run."""
import collections
import os
import random
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import tiny
from tensorboard.backend.event_processing.event_accumulator import TENSORS, EventAccumulator

import tfgan_zoo
from tfgan_zoo import cli, data, resume

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
STEPS = 16  # per epoch; checkpoints every 4 batches, most of them mid-epoch


def command(name, workdir):
    # the step traced, as users run it (the tiny variant runs eagerly)
    return [sys.executable, "-m", "tfgan_zoo", f"--config={cli.config_path(name)}:tiny",
            "--config.train.epochs=2", f"--config.train.steps_per_epoch={STEPS}",
            "--config.train.checkpoint_every=4", f"--workdir={workdir}",
            "--config.train.run_eagerly=False"]


def steps_logged(logdir):
    """{tag: [(step, value), ...]} of every summary in the event files under `logdir`
    (an image's value: its PNG bytes)."""
    events = EventAccumulator(str(logdir), size_guidance={TENSORS: 0})
    events.Reload()
    return {tag: [(e.step, tf.make_ndarray(e.tensor_proto).tolist()) for e in events.Tensors(tag)]
            for tag in events.Tags()["tensors"] if tag != "keras"}


def snapshot(folder):
    """{relative path: (size, mtime)} of every file below `folder`."""
    return {os.path.relpath(os.path.join(d, f), folder):
            (os.path.getsize(os.path.join(d, f)), os.path.getmtime(os.path.join(d, f)))
            for d, _, names in os.walk(folder) for f in names}


@pytest.mark.slow
@pytest.mark.parametrize("name, settings, calls", [
    # dcgan's killed run takes 2 steps per call into TensorFlow (and logs every 2nd):
    # it trains and logs as the uninterrupted run of 1 step per call
    ("dcgan", [], ["--config.train.steps_per_execution=2", "--config.train.log_every=2"]),
    # both runs with the state CycleGAN's recipe adds: the image pool and a decaying rate
    ("cyclegan", ["--config.hparams.pool_size=4", "--config.optimizer.decay_from_epoch=1"], []),
])
def test_a_run_killed_mid_epoch_and_rerun_ends_as_an_uninterrupted_run(name, settings, calls,
                                                                        tmp_path):
    # the uninterrupted run, beside the one to kill (two cores: about the time of one)
    whole = subprocess.Popen(command(name, tmp_path / "whole") + settings,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    calls = settings + calls
    killed = subprocess.Popen(command(name, tmp_path / "killed") + calls,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    state = tmp_path / "killed" / "checkpoints" / "checkpoint"
    deadline = time.time() + 300
    while not state.exists() and killed.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    # a few steps on (a traced tiny step takes ~10-20 ms), at a moment not chosen by the run,
    # and well before its end
    time.sleep(random.uniform(0, 0.1))
    killed.send_signal(signal.SIGKILL)
    assert killed.wait() == -signal.SIGKILL
    assert not (tmp_path / "killed" / "export").exists()  # it had not finished

    again = subprocess.run(command(name, tmp_path / "killed") + calls, capture_output=True,
                           text=True, env=ENV, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    step = int(again.stdout.split("Resuming ")[1].split(" at step ")[1].split()[0])
    assert 4 <= step < 2 * STEPS and step % 4 == 0, again.stdout[:300]
    _, whole_stderr = whole.communicate(timeout=600)
    assert whole.returncode == 0, whole_stderr[-3000:]

    a, b = (keras.models.load_model(tmp_path / run / "checkpoints" / "last.keras")
            for run in ("whole", "killed"))
    assert int(b.g_optimizer.iterations) == int(a.g_optimizer.iterations)
    for x, y in zip(a.weights, b.weights, strict=True):
        np.testing.assert_allclose(np.asarray(y), np.asarray(x), rtol=0, atol=1e-6, err_msg=x.path)
    for optimizer in ("d_optimizer", "g_optimizer"):
        for x, y in zip(getattr(a, optimizer).variables, getattr(b, optimizer).variables):
            np.testing.assert_allclose(np.asarray(y), np.asarray(x), rtol=0, atol=1e-6)

    # every logged step once in TensorBoard, with the uninterrupted run's values
    logged, expected = (steps_logged(tmp_path / run / "logs" / "train")
                        for run in ("killed", "whole"))
    assert sorted(logged) == sorted(expected)
    every = 2 if "--config.train.log_every=2" in calls else 1
    for tag, points in logged.items():
        steps = [s for s, _ in points]
        assert len(steps) == len(set(steps)), (tag, collections.Counter(steps).most_common(2))
        assert sorted(steps) == (list(range(every, 2 * STEPS + 1, every))
                                 if tag.startswith("batch_") else [0, 1]), tag
        values = dict(expected[tag])
        for s, value in points:
            assert value == pytest.approx(values[s], abs=1e-6), (tag, s)
    grids, expected = (steps_logged(tmp_path / run / "logs" / "samples")["samples"]
                       for run in ("killed", "whole"))
    assert sorted(grids) == sorted(expected) and [s for s, _ in expected] == [1, 2]


@pytest.fixture(scope="session")  # once per test process (see conftest.py)
def finished(tmp_path_factory):
    """A finished tiny dcgan run and the arguments that made it."""
    workdir = tmp_path_factory.mktemp("finished") / "run"
    args = ["tfgan-zoo", f"--config={cli.config_path('dcgan')}:tiny", "--config.train.epochs=1",
            "--config.train.steps_per_epoch=3", f"--workdir={workdir}"]
    cli.run(args)
    return workdir, args


@pytest.mark.slow
@pytest.mark.xdist_group("finished")
def test_a_finished_run_rerun_says_so_and_changes_nothing(finished, capsys):
    workdir, args = finished
    before = snapshot(workdir)
    capsys.readouterr()
    cli.run(args)
    out = capsys.readouterr().out
    assert out.startswith(f"{workdir} holds a finished run of 1 epochs: nothing to do. To train "
                          "it longer, rerun with --config.train.epochs=N (N > 1)"), out
    assert f"SavedModel:  {workdir / 'export' / 'dcgan' / '1'}" in out
    assert snapshot(workdir) == before


@pytest.mark.slow
@pytest.mark.xdist_group("finished")
@pytest.mark.parametrize("change, message", [
    (["--config.hparams.width=8"], "hparams.width was 4, is 8"),
    (["--config.seed=1", "--config.train.batch_size=4"],
     "seed was 0, is 1; train.batch_size was 8, is 4"),
])
def test_a_rerun_with_other_settings_is_one_line_and_changes_nothing(finished, change, message,
                                                                    capsys):
    workdir, args = finished
    before = snapshot(workdir)
    with pytest.raises(SystemExit) as exit:
        cli.run([*args[:-1], *change, args[-1]])
    assert exit.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"tfgan-zoo: error: {workdir} holds a run with other settings: {message}: "
                   "rerun with the run's settings to continue it, or choose a new --workdir"), err
    assert snapshot(workdir) == before


@pytest.mark.slow
@pytest.mark.xdist_group("finished")
def test_training_longer_continues_the_run_and_exports_a_new_version(finished, tmp_path, capsys):
    workdir, args = finished
    copy = tmp_path / "run"
    subprocess.run(["cp", "-a", str(workdir), str(copy)], check=True)
    first = np.asarray(keras.models.load_model(copy / "checkpoints" / "last.keras")
                       .g_optimizer.iterations)
    capsys.readouterr()
    cli.run([*args[:-1], "--config.train.epochs=2", f"--workdir={copy}"])
    out = capsys.readouterr().out
    assert f"Resuming {copy} at step 3 (epoch 2 of 2)" in out
    assert (copy / "export" / "dcgan" / "1").is_dir() and (copy / "export" / "dcgan" / "2").is_dir()
    again = keras.models.load_model(copy / "checkpoints" / "last.keras")
    assert int(first) == 3 and int(again.g_optimizer.iterations) == 6
    logged = steps_logged(copy / "logs" / "train")
    assert [s for s, _ in logged["batch_d_loss"]] == [1, 2, 3, 4, 5, 6]
    assert [s for s, _ in logged["epoch_d_loss"]] == [0, 1]


def test_a_folder_that_holds_something_else_is_not_used(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit) as exit:
        cli.run(["tfgan-zoo", f"--config={cli.config_path('dcgan')}:tiny",
                 f"--workdir={tmp_path}"])
    assert exit.value.code == 2
    assert capsys.readouterr().err.strip() == (
        f"tfgan-zoo: error: {tmp_path} is not empty and holds no tfgan-zoo run (no run.json): "
        "choose a new or empty folder (--workdir)")
    assert os.listdir(tmp_path) == ["notes.txt"]


@pytest.mark.slow
def test_a_run_killed_before_its_first_checkpoint_starts_over_without_its_event_files(
        finished, tmp_path):
    workdir, args = finished
    copy = tmp_path / "run"
    copy.mkdir()
    (copy / "run.json").write_bytes((workdir / "run.json").read_bytes())
    stale = copy / "logs" / "train" / "events.out.tfevents.0.killed"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half an event")
    (copy / "run.json").write_text((workdir / "run.json").read_text()
                                   .replace('"finished": {', '"was": {'))
    cli.run([*args[:-1], f"--workdir={copy}"])
    assert not stale.exists()
    assert [s for s, _ in steps_logged(copy / "logs" / "train")["batch_d_loss"]] == [1, 2, 3]


def test_the_stream_started_at_a_batch_is_the_full_stream_from_there():
    full = data.load("mnist", batch_size=512, repeat=True, labels=False)
    per_epoch = full.batches_per_epoch
    expected = [b.numpy() for b in full.take(per_epoch + 3)]
    for start in (2, per_epoch, per_epoch + 1):
        late = data.load("mnist", batch_size=512, repeat=True, labels=False, start_batch=start)
        for want, got in zip(expected[start:], late.take(2)):
            np.testing.assert_array_equal(got.numpy(), want)
    pairs = data.load_unpaired("mnist", "digits", batch_size=64, image_size=(28, 28),
                               repeat=True)
    later = data.load_unpaired("mnist", "digits", batch_size=64, image_size=(28, 28),
                               repeat=True, start_batch=30)
    want, got = list(pairs.skip(30).take(1))[0], list(later.take(1))[0]
    for w, g in zip(want, got):
        np.testing.assert_array_equal(g.numpy(), w.numpy())


def test_a_checkpoint_is_never_written_of_a_broken_model(tmp_path):
    gan = tiny("dcgan")
    saver = resume.Checkpoints(gan, str(tmp_path / "checkpoints"), str(tmp_path / "logs"), 10)
    saver.set_model(gan)
    saver.save(0)
    weight = gan.generator.weights[0]
    weight.assign(tf.fill(weight.shape, np.nan))
    with pytest.raises(tfgan_zoo.errors.Diverged, match=f"weight {weight.path} is not finite"):
        saver.save(0)
    assert [os.path.basename(p) for p in saver._manager.checkpoints] == ["ckpt-0"]
