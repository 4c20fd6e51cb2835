"""tf.distribute strategies by name, in one place.

    strategy = distribute.strategy("mirrored")          # all local GPUs (the CPU if none)
    strategy = distribute.strategy("mirrored", "/cpu:0,/cpu:1")   # two logical CPUs
    with strategy.scope():
        gan = models.get("dcgan"); gan.compile()
    batches = data.load("mnist", batch_size=64, repeat=True)   # 64: the global batch
    gan.fit(batches, epochs=5, steps_per_epoch=batches.batches_per_epoch)

`multi_worker` reads the cluster from TF_CONFIG; `tpu` connects to the TPU the
environment names (untested here: no TPU on the machines the zoo is tested on).
"""
import json
import os
import re
import socket

import tensorflow as tf

from tfgan_zoo.errors import InputError

STRATEGIES = ("default", "mirrored", "multi_worker", "tpu")


def strategy(name="default", devices=None):
    """The strategy `name` (one of STRATEGIES); `devices` ("/gpu:0,/gpu:1" or a list)
    picks mirrored's devices. Naming more CPUs than the machine shows splits its CPU
    into that many logical devices (for trying a strategy without GPUs); that must
    happen before TensorFlow has set up its devices, so call this first."""
    if name not in STRATEGIES:
        raise InputError(f"unknown distribution strategy {name!r} (config: distribute): "
                         f"choose one of {', '.join(STRATEGIES)}")
    devices = device_list(devices)
    if devices and name != "mirrored":
        raise InputError(f"devices are chosen for the mirrored strategy only, not "
                         f"{name!r}: drop config.devices or set config.distribute=mirrored")
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        check_gpus(devices)
        split_cpu(devices)
        return tf.distribute.MirroredStrategy(devices or None)
    if name == "multi_worker":
        if "TF_CONFIG" not in os.environ:
            raise InputError("the multi_worker strategy reads the cluster from TF_CONFIG, "
                             "which is not set: see docs/distributed.md")
        return tf.distribute.MultiWorkerMirroredStrategy()
    resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
    tf.config.experimental_connect_to_cluster(resolver)
    tf.tpu.experimental.initialize_tpu_system(resolver)
    return tf.distribute.TPUStrategy(resolver)


def device_list(devices):
    """["/cpu:0", ...] from "/cpu:0,/cpu:1", a list, or None/"" (none given)."""
    if not devices:
        return []
    if isinstance(devices, str):
        devices = devices.split(",")
    names = [d.strip() for d in devices if d.strip()]
    for name in names:
        if not re.fullmatch(r"(/[\w:/]*)?(cpu|gpu):\d+", name, re.IGNORECASE):
            raise InputError(f"{name!r} is not a device name: use e.g. /gpu:0,/gpu:1 "
                             "(config: devices)")
    return names


def check_gpus(devices):
    gpus = len(tf.config.list_physical_devices("GPU"))
    for device in devices:
        index = re.search(r"gpu:(\d+)$", device, re.IGNORECASE)
        if index and int(index.group(1)) >= gpus:
            raise InputError(f"no device {device}: this machine has {gpus} GPU(s) (config: "
                             "devices; /cpu:0,/cpu:1 tries mirroring on the CPU)")


def split_cpu(devices):
    """Makes the logical CPU devices `devices` names (e.g. /cpu:1 on a one-CPU host)."""
    indices = [int(m.group(1)) for d in devices
               if (m := re.search(r"cpu:(\d+)$", d, re.IGNORECASE))]
    wanted = 1 + max(indices, default=0)
    cpus = tf.config.list_physical_devices("CPU")
    if wanted <= max(1, len(tf.config.get_logical_device_configuration(cpus[0]) or [])):
        return
    try:
        tf.config.set_logical_device_configuration(
            cpus[0], [tf.config.LogicalDeviceConfiguration()] * wanted)
    except RuntimeError:
        raise InputError(f"cannot split the CPU into {wanted} devices once TensorFlow has "
                         "set them up: choose the strategy before building models or data"
                         ) from None


def is_chief(strategy):
    """Whether this process writes the run's outputs: every single-process run; in a
    multi-worker run the chief (worker 0 if the cluster names no chief)."""
    return strategy.extended.should_checkpoint


def workers():
    """The number of workers TF_CONFIG names (1 without it)."""
    cluster = json.loads(os.environ.get("TF_CONFIG") or "{}").get("cluster", {})
    return max(1, len(cluster.get("chief", [])) + len(cluster.get("worker", [])))


def xla_blocker(strategy):
    """Why XLA cannot compile a training step under `strategy` (None: it can).
    TensorFlow has no XLA collectives on CPU devices (its error names b/194942685),
    so a step that sums gradients across CPU replicas must run without XLA."""
    if strategy.num_replicas_in_sync == 1 and workers() == 1:
        return None
    devices = strategy.extended.worker_devices
    on_cpu = any("CPU" in device.upper().rsplit("/", 1)[-1] for device in devices)
    if on_cpu:
        return ("XLA cannot compile the cross-replica sums on CPU devices "
                f"({strategy.num_replicas_in_sync} CPU replicas)")
    return None


def local_cluster(count):
    """TF_CONFIG values for `count` workers on this machine (127.0.0.1, free ports): to
    try `multi_worker` in one machine's processes, as the tests do."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        cluster = {"worker": [f"127.0.0.1:{s.getsockname()[1]}" for s in sockets]}
    finally:
        for s in sockets:
            s.close()
    return [json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}})
            for i in range(count)]
