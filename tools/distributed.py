"""The numbers in docs/distributed.md: what each layout costs on this machine, and
what each model would send and compute per step on many GPUs.

    python tools/distributed.py                 # all models: about 15 minutes on 2 CPU cores
    python tools/distributed.py dcgan cgan --repeats=3 --steps=100
    python tools/distributed.py --reuse         # rewrite docs/distributed.md from the JSON

Speeds: steady-state images/second of `fit()` with each model's default config,
timed by a callback over `--steps` batches after `--warmup`, one process per run, the
layouts taken in turn `--repeats` times (medians and the spread are reported):
  default      one device, XLA as the config says (the zoo's default run)
  default_nojit  one device without XLA (what the others are compared with)
  mirrored     MirroredStrategy over two logical CPU devices (config.devices=/cpu:0,/cpu:1)
  two_workers  MultiWorkerMirroredStrategy, two processes on 127.0.0.1 (TF_CONFIG)
Costs: trainable parameters (what an all-reduce sums every step) and the FLOPs of one
training step counted by TensorFlow's profiler on the traced `train_step` (forward
and backward of every network the step runs), for the default and the paper config.
Results: runs/distributed.json.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
RESULTS = os.path.join(ROOT, "runs", "distributed.json")
DOC = os.path.join(ROOT, "docs", "distributed.md")
LAYOUTS = ("default", "default_nojit", "mirrored", "two_workers")
MARKS = {"speed": ("<!-- speed: tools/distributed.py -->", "<!-- end of speed -->"),
         "costs": ("<!-- costs: tools/distributed.py -->", "<!-- end of costs -->")}

# On paper: stated hardware (change them here and rerun --reuse).
GPU_FLOPS = 50e12  # sustained FLOP/s of one GPU on these convolutions (an A100-class GPU)
NVLINK = 150e9  # bytes/s of an 8-GPU NVLink all-reduce (bus bandwidth, A100-class)
ETHERNET = 100e9 / 8 * 0.9  # bytes/s: 100 Gb/s Ethernet at 90 %
EFFICIENCY = 0.9  # the scaling efficiency a user aims for


def config_for(name, variant=None, layout="default"):
    from tfgan_zoo import cli
    module, _ = cli.load_config_module(cli.config_path(name))
    config = module.get_config(variant)
    config.eval.every_epochs = 0
    if layout == "default_nojit":
        config.train.jit_compile = False
    if layout == "mirrored":
        config.distribute, config.devices = "mirrored", "/cpu:0,/cpu:1"
    if layout == "two_workers":
        config.distribute = "multi_worker"
    return config


def measure_here(name, layout, warmup, steps):
    """Images/second of `name`'s default config in this process (for --measure): timed as
    tools/benchmark.py times fit(), whole calls of the config's steps_per_execution."""
    from benchmark import zoo_rate

    from tfgan_zoo import train

    config = config_for(name, layout=layout)
    gan, dataset = train.build(config)
    return zoo_rate(gan, dataset, config.train.batch_size, warmup, steps)


def measure(name, layout, warmup, steps):
    """Images/second of one run in fresh processes."""
    command = [sys.executable, os.path.abspath(__file__), "--measure", name, layout,
               f"--warmup={warmup}", f"--steps={steps}"]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    if layout != "two_workers":
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        return float(result.stdout.split("IMAGES_PER_SECOND")[1])
    from tfgan_zoo import distribute
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env={**env, "TF_CONFIG": tf_config})
                 for tf_config in distribute.local_cluster(2)]
    outputs = [p.communicate(timeout=1800)[0] for p in processes]
    return float(outputs[0].split("IMAGES_PER_SECOND")[1])


def step_costs(name, variant):
    """(trainable parameters, FLOPs per trained image, batch size) of a config."""
    import tensorflow as tf
    from tensorflow.python.profiler import model_analyzer, option_builder

    from tfgan_zoo import train

    config = config_for(name, variant)
    gan, dataset = train.build(config)
    step = tf.function(gan.train_step, autograph=False).get_concrete_function(
        dataset.element_spec)
    options = option_builder.ProfileOptionBuilder(
        option_builder.ProfileOptionBuilder.float_operation()).with_empty_output().build()
    flops = model_analyzer.profile(step.graph, options=options).total_float_ops
    parameters = sum(int(tf.size(w)) for w in gan.trainable_weights)
    return parameters, flops / config.train.batch_size, config.train.batch_size


def spread(values):
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"


def speed_table(results):
    lines = ["| model | one device, default config | one device, no XLA | mirrored, 2 CPUs | "
             "2 workers | mirrored ÷ no XLA | 2 workers ÷ no XLA |",
             "|---|---|---|---|---|---|---|"]
    for name, runs in results["speed"].items():
        medians = {layout: statistics.median(runs[layout]) for layout in LAYOUTS}
        lines.append(f"| {name} | " + " | ".join(spread(runs[layout]) for layout in LAYOUTS)
                     + f" | {medians['mirrored'] / medians['default_nojit']:.2f} | "
                     f"{medians['two_workers'] / medians['default_nojit']:.2f} |")
    return "\n".join(lines)


def all_reduce_seconds(parameters, devices, bandwidth):
    """A ring all-reduce of float32 gradients: each device sends 2(n-1)/n of them."""
    return 2 * (devices - 1) / devices * parameters * 4 / bandwidth


def min_batch(flops_per_image, seconds):
    """The per-GPU batch whose compute time is EFFICIENCY of compute + all-reduce
    (no overlap assumed)."""
    compute_needed = seconds * EFFICIENCY / (1 - EFFICIENCY)
    return max(1, round(compute_needed * GPU_FLOPS / flops_per_image))


def costs_table(results):
    lines = ["| model (config) | trainable parameters | all-reduce per step | FLOPs per "
             "trained image | 8 GPUs, NVLink: all-reduce | per-GPU batch for 90 % | "
             "4 hosts × 8 GPUs, 100 GbE: all-reduce | per-GPU batch for 90 % |",
             "|---|---|---|---|---|---|---|---|"]
    for key, (parameters, flops, _) in results["costs"].items():
        one_host = all_reduce_seconds(parameters, 8, NVLINK)
        # hierarchical: reduce inside each host over NVLink, then across the 4 hosts
        four_hosts = one_host + all_reduce_seconds(parameters, 4, ETHERNET)
        lines.append(f"| {key} | {parameters / 1e6:.2f} M | {parameters * 4 / 2**20:.1f} MiB | "
                     f"{flops / 1e6:.0f} MFLOP | {one_host * 1e6:.0f} µs | "
                     f"{min_batch(flops, one_host)} | {four_hosts * 1e3:.2f} ms | "
                     f"{min_batch(flops, four_hosts)} |")
    return "\n".join(lines)


def write_doc(results):
    with open(DOC) as f:
        doc = f.read()
    for part, table in (("speed", speed_table), ("costs", costs_table)):
        if results.get(part):
            start, end = MARKS[part]
            head, tail = doc.index(start) + len(start), doc.index(end)
            doc = doc[:head] + "\n" + table(results) + "\n" + doc[tail:]
    with open(DOC, "w") as f:
        f.write(doc)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--reuse", action="store_true", help="only rewrite the doc's tables")
    parser.add_argument("--measure", nargs=2, metavar=("MODEL", "LAYOUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv[1:])
    if args.measure:
        print("IMAGES_PER_SECOND", measure_here(*args.measure, args.warmup, args.steps))
        return
    from tfgan_zoo import models
    names = args.models or models.names()
    results = {"speed": {}, "costs": {}}
    if os.path.exists(RESULTS):
        with open(RESULTS) as f:
            results.update(json.load(f))
    if not args.reuse:
        for name in names:
            runs = {layout: [] for layout in LAYOUTS}
            for _ in range(args.repeats):
                for layout in LAYOUTS:  # in turn, so machine noise spreads over all
                    runs[layout].append(measure(name, layout, args.warmup, args.steps))
                    print(name, layout, f"{runs[layout][-1]:.0f} img/s", flush=True)
            results["speed"][name] = runs
            for variant in (None, "paper"):
                key = f"{name} ({variant or 'default'})"
                results["costs"][key] = step_costs(name, variant)
                print(key, results["costs"][key], flush=True)
        os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
        with open(RESULTS, "w") as f:
            json.dump(results, f, indent=1)
    write_doc(results)
    print(speed_table(results) if results["speed"] else "", costs_table(results), sep="\n\n")


if __name__ == "__main__":
    main(sys.argv)
