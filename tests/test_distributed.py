"""Training does not depend on the number of replicas: every registered model on one
device vs two mirrored replicas, and a real two-worker run through the CLI."""
import json
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
from conftest import tensors

import tfgan_zoo
from tfgan_zoo import cli, distribute, models
from tfgan_zoo.errors import InputError

HERE = os.path.dirname(__file__)
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}


@pytest.mark.slow
def test_every_model_trains_the_same_on_one_device_and_two_mirrored_replicas(tmp_path):
    """tests/replicas.py: 3 fit() steps of every registered model with its noise-drawing
    tricks on, from the same seed and data, in one process per layout."""
    runs = {layout: subprocess.Popen(
        [sys.executable, os.path.join(HERE, "replicas.py"), layout, str(tmp_path / layout)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        for layout in ("default", "mirrored")}
    for layout, process in runs.items():
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr[-3000:]
    one, two = (np.load(tmp_path / f"{layout}.npz") for layout in ("default", "mirrored"))
    assert (int(one["replicas"]), int(two["replicas"])) == (1, 2)
    assert sorted(one.files) == sorted(two.files)
    assert {key.split("/")[0] for key in one.files if "/" in key} == set(models.names())
    for key in one.files:
        if key == "replicas":
            continue
        assert np.isfinite(one[key]).all(), key
        if "/cancelled/" in key:  # biases an instance norm removes: rounding noise (replicas.py)
            assert key.startswith("cyclegan/"), key
            continue
        # the image pool holds G's outputs, which round more than weights (2.7e-5 seen); a
        # wrong swap or slot would differ by a whole image's values
        atol = 1e-4 if "/pool_" in key else 1e-5
        np.testing.assert_allclose(two[key], one[key], rtol=0, atol=atol, err_msg=key)
    # the comparison has teeth: three steps moved every model's weights
    for name in models.names():
        losses = one[f"{name}/log/d_loss"]
        assert len(losses) == 3 and len(set(losses.tolist())) == 3, name


def tiny_run(name):
    return [f"--model={name}", f"--config={cli.config_path(name)}:tiny",
            "--config.train.epochs=2", "--config.train.steps_per_epoch=3",
            "--config.train.run_eagerly=False"]  # the traced multi-replica step


# cgan: DCGAN's networks (batch norm) and EMA, and (images, labels) batches, which a
# plain-images model would not try (dcgan's one-worker cluster: test_documented_commands)
# Its tests share an xdist_group: one test process runs the cluster.
@pytest.fixture(scope="session")  # once per test process (see conftest.py)
def two_workers(tmp_path_factory):
    """A model trained by two `tfgan-zoo` processes on 127.0.0.1, and by one process
    with the same global batch."""
    name = "cgan"
    root = tmp_path_factory.mktemp(f"two_workers_{name}")
    workers = []
    for index, tf_config in enumerate(distribute.local_cluster(2)):
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "tfgan_zoo", *tiny_run(name), "--config.distribute=multi_worker",
             "--config.train.jit_compile=True",  # turned off, with a note: CPU collectives
             f"--workdir={root / f'worker{index}'}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root,
            env={**ENV, "TF_CONFIG": tf_config}))
    single = subprocess.run([sys.executable, "-m", "tfgan_zoo", *tiny_run(name),
                             "--config.train.jit_compile=False", f"--workdir={root / 'single'}"],
                            capture_output=True, text=True, cwd=root, env=ENV, timeout=600)
    outputs = []
    for process in workers:
        try:
            stdout, stderr = process.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            for p in workers:
                p.kill()
            raise
        assert process.returncode == 0, stderr[-3000:]
        outputs.append(stdout)
    assert single.returncode == 0, single.stderr[-3000:]
    return name, root, outputs


@pytest.mark.slow
@pytest.mark.xdist_group("two_workers")
def test_two_workers_finish_with_identical_weights_and_only_the_chief_writes(two_workers):
    name, root, (chief, other) = two_workers
    digests = [out.split("final weights ")[1].split()[0] for out in (chief, other)]
    assert digests[0] == digests[1] and len(digests[0]) == 16
    assert "worker 0 of 2" in chief and "worker 1 of 2" in other
    assert "XLA is off for this run" in chief
    assert "were temporary and are removed" in other and "SavedModel:" not in other
    assert not (root / "worker1").exists()
    chief_dir = root / "worker0"
    for path in ("samples.png", "checkpoints/last.keras", f"export/{name}/1/saved_model.pb"):
        assert (chief_dir / path).exists(), path
    scalars = tensors(str(chief_dir / "logs" / "train"))
    assert len(scalars["epoch_d_loss"]) == 2  # one value per epoch, written once


@pytest.mark.slow
@pytest.mark.xdist_group("two_workers")
def test_two_workers_train_like_one_process_with_the_same_global_batch(two_workers):
    _, root, _ = two_workers
    two, one = (keras.models.load_model(root / d / "checkpoints" / "last.keras")
                for d in ("worker0", "single"))
    assert int(two.g_optimizer.iterations) == int(one.g_optimizer.iterations) == 6
    assert any("batch_normalization" in w.path for w in one.weights)
    # Two workers all-reduce in another order than one process sums: Adam's division by
    # sqrt(v) turns that rounding into up to ~1e-5 on a weight whose gradient is near 0
    # (measured: dcgan 3.4e-7, cgan 1.2e-5 on one element of 2,048, AVX-512).
    for a, b in zip(two.weights, one.weights, strict=True):
        np.testing.assert_allclose(np.array(a), np.array(b), rtol=0, atol=5e-5, err_msg=a.path)
    logs_two, logs_one = (tensors(str(root / d / "logs" / "train")) for d in ("worker0", "single"))
    np.testing.assert_allclose(logs_two["epoch_d_loss"], logs_one["epoch_d_loss"], atol=1e-5)


@pytest.mark.slow
@pytest.mark.xdist_group("two_workers")
def test_the_saved_model_of_a_two_worker_run_serves_in_a_fresh_process(two_workers, tmp_path):
    _, root, _ = two_workers
    export = next((root / "worker0" / "export").iterdir()) / "1"
    script = textwrap.dedent(f"""
        import sys, tensorflow as tf
        model = tf.saved_model.load({str(export)!r})
        names = [v.name for v in model.variables]
        serve = model.signatures["serving_default"]
        inputs = {{name: tf.zeros([2, *spec.shape[1:]], spec.dtype)
                  for name, spec in serve.structured_input_signature[1].items()}}
        images = serve(**inputs)["images"]
        assert images.shape == (2, 28, 28, 1), images.shape
        assert not any("replica" in n for n in names), names
        assert "tfgan_zoo" not in sys.modules
        print("served")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path, env=ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "served" in result.stdout


def test_strategy_names_devices_and_cluster_errors_are_one_clear_line(monkeypatch):
    with pytest.raises(InputError, match="choose one of default, mirrored"):
        distribute.strategy("horovod")
    with pytest.raises(InputError, match="not a device name"):
        distribute.strategy("mirrored", "gpu0")
    with pytest.raises(InputError, match="no device /gpu:7: this machine has 0 GPU"):
        distribute.strategy("mirrored", "/gpu:7")
    with pytest.raises(InputError, match="mirrored strategy only"):
        distribute.strategy("default", "/cpu:0")
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(InputError, match="TF_CONFIG, which is not set"):
        distribute.strategy("multi_worker")
    assert distribute.device_list("/gpu:0, /GPU:1") == ["/gpu:0", "/GPU:1"]


def test_workers_and_sharding_follow_tf_config(monkeypatch):
    import tensorflow as tf
    policy = tf.data.experimental.AutoShardPolicy
    monkeypatch.delenv("TF_CONFIG", raising=False)
    assert distribute.workers() == 1
    monkeypatch.setenv("TF_CONFIG", json.dumps({
        "cluster": {"chief": ["a:1"], "worker": ["b:1", "c:1"]},
        "task": {"type": "worker", "index": 0}}))
    assert distribute.workers() == 3
    sharding = tfgan_zoo.data.sharding
    assert sharding("mnist").experimental_distribute.auto_shard_policy == policy.DATA
    monkeypatch.setattr(tfgan_zoo.data.sources, "tfds_files", lambda *a: 4)
    assert sharding("tfds:mnist").experimental_distribute.auto_shard_policy == policy.FILE
    monkeypatch.setattr(tfgan_zoo.data.sources, "tfds_files", lambda *a: 2)  # < 3 workers
    assert sharding("tfds:mnist").experimental_distribute.auto_shard_policy == policy.DATA


def test_the_data_order_is_a_function_of_seed_and_epoch_alone():
    """Neither the global seed nor the number of iterators changes it (tf.data's shuffle
    depends on both), so replicas and a resumed run see the same batches."""
    def labels(ds, count):
        return [y.numpy().tolist() for _, y in ds.take(count)]

    keras.utils.set_random_seed(1)
    ds = tfgan_zoo.data.load("mnist", batch_size=32, repeat=True, seed=3)
    epoch_length = ds.batches_per_epoch
    first = labels(ds, epoch_length + 2)
    keras.utils.set_random_seed(2)
    again = tfgan_zoo.data.load("mnist", batch_size=32, repeat=True, seed=3)
    assert labels(again, epoch_length + 2) == first == labels(again, epoch_length + 2)
    assert first[epoch_length] != first[0]  # epoch 2 has its own order
    one_epoch = np.concatenate(first[:epoch_length])
    assert len(one_epoch) == epoch_length * 32 and np.bincount(one_epoch).min() > 400
    other_seed = tfgan_zoo.data.load("mnist", batch_size=32, repeat=True, seed=4)
    assert labels(other_seed, 1) != first[:1]


def test_a_global_batch_that_does_not_split_evenly_over_the_replicas_is_refused():
    from types import SimpleNamespace

    from conftest import tiny_config

    from tfgan_zoo import train
    three_replicas = SimpleNamespace(num_replicas_in_sync=3)
    with pytest.raises(InputError, match="global batch of 8 does not split evenly over 3 "
                                         "replicas: use a multiple of 3"):
        train.build(tiny_config("dcgan"), three_replicas)


def test_a_local_cluster_names_distinct_free_ports_and_each_task():
    configs = [json.loads(c) for c in distribute.local_cluster(3)]
    workers = configs[0]["cluster"]["worker"]
    assert len(set(workers)) == 3 and all(w.startswith("127.0.0.1:") for w in workers)
    assert [c["task"] for c in configs] == [{"type": "worker", "index": i} for i in range(3)]
    assert all(c["cluster"] == configs[0]["cluster"] for c in configs)


@pytest.mark.slow
def test_workers_that_would_resume_different_runs_all_stop_with_one_line(tmp_path):
    """The chief's workdir holds a finished run, the other worker's nothing: rather than
    train a mixture, both stop before training."""
    args = [f"--config={cli.config_path('dcgan')}:tiny", "--config.train.steps_per_epoch=3"]
    chief_dir = tmp_path / "worker0"
    cli.run(["tfgan-zoo", *args, f"--workdir={chief_dir}"])
    workers = [subprocess.Popen(
        [sys.executable, "-m", "tfgan_zoo", *args, "--config.distribute=multi_worker",
         f"--workdir={tmp_path / f'worker{index}'}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env={**ENV, "TF_CONFIG": tf_config})
        for index, tf_config in enumerate(distribute.local_cluster(2))]
    try:
        results = [w.communicate(timeout=300) for w in workers]
    finally:
        for w in workers:
            w.kill()
    for worker, (_, stderr) in zip(workers, results):
        assert worker.returncode == 2, stderr[-2000:]
        assert stderr.strip().endswith("but not every worker's: give every worker the same "
                                       "--workdir, on a file system they share"), stderr[-2000:]
    assert "this worker's run has finished" in results[0][1]
    assert "this worker's run resumes at step 0" in results[1][1]
    assert not (tmp_path / "worker1").exists()
