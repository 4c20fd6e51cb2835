"""The numbers in docs/performance.md: what the zoo's abstraction costs, how close
training comes to the machine's arithmetic roof, and what feeds and serves it.

    python tools/benchmark.py                  # every model: about 30 minutes on 2 CPU cores
    python tools/benchmark.py dcgan --repeats=5
    python tools/benchmark.py --smoke          # the tiny configs, a few steps: every figure, fast
    python tools/benchmark.py --reuse          # rewrite docs/performance.md from the JSON
    python tools/benchmark.py wgan --merge     # measure wgan again, keep the other models'
    python tools/benchmark.py --real-sizes --repeats=2 --warmup=1 --steps=2
                                               # the 64x64 DCGAN, 256x256 CycleGAN and pix2pix
                                               # paper configs: about 15 minutes

For every registered model's default config, each in a process of its own (its
variants side by side, so machine noise falls on all of them alike), `--repeats` times:
  training   steady-state images/second of `fit()` and of a hand-written loop over the
             same networks, optimizers, losses and batch (tools/hand_written.py), each
             with and without XLA, after `--warmup` steps, over as many steps as last
             `--duration` seconds (at least `--steps`); the two variants of a ratio
             in halves, in the order A B B A
  matmul     a 2048x2048 float32 matmul's FLOP/s, the machine's roof, before every
             repeat and after the last: a repeat's share is over the mean of the two
  alone      FLOP/s of the step's matrix products run alone at their shapes: what
             the shapes allow, and (against the step's rate without XLA, which runs the
             same kernels) the share of the step's time they take; the rest is
             elementwise work and overhead
and once per model:
  FLOPs      per trained image, counted op by op from the traced train_step
             (tfgan_zoo.flops; TensorFlow's profiler count beside it)
  input      images/second of the model's data pipeline alone (and of a folder of PNGs)
  serving    images/second of the exported SavedModel's serving_default at batch 1, 64
             and 256, loaded in a fresh process that does not import tfgan_zoo
  memory     peak resident memory of `tfgan-zoo --model=M` for one epoch with one
             evaluation (a default run's peak: later epochs repeat the first)
Medians are reported with the range over the repeats. Results: runs/benchmark.json
(runs/benchmark-smoke.json with --smoke).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "performance.md")
MARKS = ("<!-- benchmark: tools/benchmark.py -->", "<!-- end of benchmark -->")
REAL_MARKS = ("<!-- real sizes: tools/benchmark.py --real-sizes -->", "<!-- end of real sizes -->")
MATMUL_SIZE = 2048
SERVING_BATCHES = (1, 64, 256)
VARIANTS = ("zoo_xla", "hand_xla", "zoo", "hand")  # measured in this order, every repeat

# On paper: one GPU of the A100 (80 GB SXM) class. Change them here and rerun --reuse.
GPU_NAME = "one A100-class GPU"
GPU_FLOPS = 312e12  # peak dense fp16/bf16 tensor-core FLOP/s (mixed precision)
GPU_BYTES = 2.0e12  # peak memory bandwidth, bytes/s


def config_for(name, variant=None):
    from tfgan_zoo import cli
    module, _ = cli.load_config_module(cli.config_path(name))
    config = module.get_config(variant)
    config.eval.every_epochs = 0
    config.train.run_eagerly = False
    return config


def check_hand_written_covers(gan, name):
    """The hand-written loop does the default configs' work: no other trick may be on."""
    extras = {"instance_noise": gan.instance_noise, "augment": gan.augment,
              "r1_weight": gan.r1_weight, "label_smoothing": gan.label_smoothing}
    on = [key for key, value in extras.items() if value]
    if on or gan.g_steps != 1:
        raise SystemExit(f"{name}'s config turns on {on or 'g_steps'}, which "
                         "tools/hand_written.py does not do: add it there first")


# --- training speed ---------------------------------------------------------------

def zoo_rate(gan, dataset, batch, warmup, steps):
    import keras

    times = []  # (last step of a call, when its logs arrived)

    class Clock(keras.callbacks.Callback):
        # Only reads the clock: Keras may call it from a thread, as it calls a plain
        # fit()'s callbacks; a callback that is not async-safe makes fit() wait for
        # every step before it starts the next.
        async_safe = True

        def on_train_batch_end(self, step, logs=None):
            times.append((step, time.perf_counter()))

    calls = gan.steps_per_execution  # the config's; fit() runs whole calls
    warmup, steps = (-(-count // calls) * calls for count in (warmup, steps))
    gan.fit(dataset, epochs=1, steps_per_epoch=warmup + steps, verbose=0, callbacks=[Clock()])
    (first, start), (last, end) = [t for t in times if t[0] == warmup - 1][0], times[-1]
    return batch * (last - first) / (end - start)


def hand_rate(step, dataset, batch, warmup, steps):
    iterator = iter(dataset)

    def one():
        data = next(iterator)
        return step(*data) if isinstance(data, tuple) else step(data)

    for _ in range(warmup):
        losses = one()
    float(losses[0])
    start = time.perf_counter()
    for _ in range(steps):
        losses = one()
    float(losses[0])  # waits for the last step
    return batch * steps / (time.perf_counter() - start)


def matmul_rate(size=MATMUL_SIZE, calls=10):
    import tensorflow as tf

    a, b = tf.random.normal([size, size]), tf.random.normal([size, size])
    matmul = tf.function(tf.matmul)
    matmul(a, b).numpy()
    start = time.perf_counter()
    for _ in range(calls):
        product = matmul(a, b)
    product.numpy()
    return 2 * size**3 * calls / (time.perf_counter() - start)


def runners(name, smoke, config=None, xla_settings=(True, False)):
    """{variant: function of (warmup, steps) -> images/second}."""
    import hand_written
    from tfgan_zoo import train

    config = config or config_for(name, "tiny" if smoke else None)
    found = {}
    for xla in xla_settings:
        config.train.jit_compile = xla
        gan, dataset = train.build(config)
        check_hand_written_covers(gan, name)
        d_optimizer, g_optimizer = train.optimizers(gan, config.optimizer)
        d_optimizer.build(gan.discriminator_variables)
        g_optimizer.build(gan.generator_variables)
        step = hand_written.step_for(gan, d_optimizer, g_optimizer, xla)
        batch, suffix = config.train.batch_size, "_xla" if xla else ""
        found["zoo" + suffix] = (lambda w, s, g=gan, d=dataset: zoo_rate(g, d, batch, w, s))
        found["hand" + suffix] = (lambda w, s, f=step, d=dataset: hand_rate(f, d, batch, w, s))
    return found


def steps_lasting(run, warmup, least, seconds, batch):
    """Steps of `run` (images/second of (warmup, steps)) that take about `seconds`, at
    least `least`: a fast model's measurement spans as long as a slow one's."""
    rate = run(warmup, least)
    return max(least, round(seconds * rate / batch))


def abba(runs, pair, warmup, steps):
    """{variant: images/second} of the two variants of a ratio, each measured in two
    halves taken in the order A B B A: a drift of the machine's speed during the
    measurement falls on both alike."""
    first, second = pair
    halves = {first: [], second: []}
    for variant in (first, second, second, first):
        halves[variant].append(runs[variant](warmup, max(1, steps // 2)))
    # equal steps in each half: images over the total time is the harmonic mean
    return {variant: 2 / sum(1 / rate for rate in rates) for variant, rates in halves.items()}


def train_here(name, repeats, warmup, steps, smoke, seconds=0):
    """One model's training figures, measured in this process (run with --train):
    {"rates": {variant: [images/second per repeat]}, "roof": [matmul FLOP/s before each
    repeat and after the last], "steps": steps per measurement}."""
    built = runners(name, smoke)
    batch = config_for(name, "tiny" if smoke else None).train.batch_size
    count = steps_lasting(built["zoo"], warmup, steps, seconds, batch) if seconds else steps
    alone = matrix_products(name, smoke)
    rates = {variant: [] for variant in (*VARIANTS, "matrix_alone")}
    roof = [matmul_rate()]
    for repeat in range(repeats):
        # Which pair runs first, and which variant of a pair, changes every repeat.
        for pair in [VARIANTS[:2], VARIANTS[2:]][::1 if repeat % 4 < 2 else -1]:
            for variant, rate in abba(built, pair[::1 if repeat % 2 == 0 else -1],
                                      warmup, count).items():
                rates[variant].append(rate)
        rates["matrix_alone"].append(alone())
        roof.append(matmul_rate())
        print(f"repeat {repeat + 1}/{repeats} {name}: " + ", ".join(
            f"{v} {rates[v][-1]:.0f}" for v in VARIANTS) + f" img/s over {count} steps; "
            f"matrix products alone {rates['matrix_alone'][-1] / 1e9:.0f} GFLOP/s; roof "
            f"{roof[-2] / 1e9:.0f} before, {roof[-1] / 1e9:.0f} after", flush=True)
    return {"rates": rates, "roof": roof, "steps": count}


def training(names, repeats, warmup, steps, smoke, seconds=0):
    """{model: train_here's figures}, each model measured in a process of its own, as a
    user's run is (one process that had built and run every model trained dcgan slower:
    docs/performance.md)."""
    found = {}
    for name in names:
        with tempfile.NamedTemporaryFile(suffix=".json") as output:
            command = [sys.executable, os.path.abspath(__file__), "--train", name,
                       f"--output={output.name}", f"--repeats={repeats}", f"--warmup={warmup}",
                       f"--steps={steps}", f"--duration={seconds}"] + (["--smoke"] * smoke)
            if subprocess.run(command).returncode:
                raise SystemExit(f"measuring {name}'s training failed (its output is above)")
            found[name] = json.load(output)
    return found


def matrix_products(name, smoke, calls=5):
    """A function -> FLOP/s of the matrix products of the model's default train_step run
    alone (tfgan_zoo.flops.replay: each op at its shapes, nothing between them): what
    the step's shapes allow, before any elementwise work or overhead."""
    from tfgan_zoo import flops

    _, graph = traced_step(config_for(name, "tiny" if smoke else None))
    run = flops.replay(flops.matrix_ops(graph))
    total = sum(flops.of_graph(graph).values())
    run()  # traces

    def rate():
        start = time.perf_counter()
        for _ in range(calls):
            outputs = run()
        [output.numpy() for output in outputs]
        return total * calls / (time.perf_counter() - start)

    return rate


# --- costs: FLOPs and bytes per trained image -------------------------------------

def traced_step(config):
    """(model, the graph of its train_step traced on its data's batches) for `config`."""
    import tensorflow as tf

    from tfgan_zoo import train

    gan, dataset = train.build(config)
    return gan, tf.function(gan.train_step, autograph=False).get_concrete_function(
        dataset.element_spec).graph


def costs(name, variant, smoke, config=None):
    import tensorflow as tf
    from tensorflow.python.profiler import model_analyzer, option_builder

    from tfgan_zoo import flops

    config = config or config_for(name, "tiny" if smoke else variant)
    gan, graph = traced_step(config)
    batch = config.train.batch_size
    options = option_builder.ProfileOptionBuilder(
        option_builder.ProfileOptionBuilder.float_operation()).with_empty_output().build()
    profiled = model_analyzer.profile(graph, options=options).total_float_ops
    # every op's output written once and read once: a lower bound on memory traffic
    written = sum(t.shape.num_elements() * t.dtype.size for op in graph.get_operations()
                  for t in op.outputs if t.shape.is_fully_defined() and t.dtype.is_floating)
    return {"flops_per_image": sum(flops.of_graph(graph).values()) / batch,
            "by_op": {k: v / batch for k, v in flops.of_graph(graph).items()},
            "profiler_flops_per_image": profiled / batch,
            "bytes_per_image": 2 * written / batch,
            "forward_flops": {network: flops.forward(getattr(gan, network), gan.image_shape)
                              for network in gan.network_names},
            "batch": batch,
            "parameters": sum(int(tf.size(w)) for w in gan.trainable_weights)}


# --- the paper configs at their sizes ----------------------------------------------

REAL_SIZES = ("dcgan", "cyclegan", "pix2pix")  # measured training at the paper's size


def write_pngs(folder, count, shape, seed=0):
    import numpy as np
    import tensorflow as tf

    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(count):
        tf.io.write_file(os.path.join(folder, f"{i}.png"),
                         tf.io.encode_png(rng.integers(0, 256, shape, dtype=np.uint8)))


def paper_config(name, workdir):
    """The model's `:paper` config on generated images of its paper's shape in `workdir`
    (the papers' data needs internet): a folder (two for CycleGAN), side-by-side pairs for
    pix2pix, the offline digits for the MNIST papers. No evaluation."""
    import paper_times

    config = config_for(name, "paper")
    shape, _ = paper_times.DATA[name]
    count = 2 * config.train.batch_size + 8
    if shape == (28, 28, 1):
        config.dataset = "mnist"
    elif name == "pix2pix":
        write_pngs(os.path.join(workdir, "pairs"), count, (shape[0], 2 * shape[1], 3))
        config.dataset = f"paired:{os.path.join(workdir, 'pairs')}"
    else:
        for domain, seed in (("a", 0), ("b", 1)):
            write_pngs(os.path.join(workdir, domain), count, shape, seed)
        config.dataset = f"folder:{os.path.join(workdir, 'a')}"
        if name == "cyclegan":
            config.dataset_b = f"folder:{os.path.join(workdir, 'b')}"
    config.eval.every_epochs = 0
    return config


def real_here(name, repeats, warmup, steps):
    """The paper config's training at the paper's size, measured in this process (run with
    --real): zoo and hand-written images/second without XLA (ABBA), the roof around each
    repeat, and the step's FLOPs."""
    with tempfile.TemporaryDirectory(prefix="tfgan-zoo-real-") as workdir:
        config = paper_config(name, workdir)
        config.train.jit_compile = False
        built = runners(name, False, config, xla_settings=(False,))
        rates, roof = {"zoo": [], "hand": []}, [matmul_rate()]
        for repeat in range(repeats):
            pair = ("zoo", "hand")[::1 if repeat % 2 == 0 else -1]
            for variant, rate in abba(built, pair, warmup, steps).items():
                rates[variant].append(rate)
            roof.append(matmul_rate())
            print(f"repeat {repeat + 1}/{repeats} {name} (paper, {config.image_size}): zoo "
                  f"{rates['zoo'][-1]:.2f}, hand {rates['hand'][-1]:.2f} img/s", flush=True)
        cost = costs(name, "paper", False, config)
    return {"rates": rates, "roof": roof, "steps": steps, "cost": cost,
            "image_size": list(config.image_size or (28, 28)),
            "batch": config.train.batch_size}


def real_sizes(repeats, warmup, steps):
    """{model: real_here's figures}, each in a process of its own."""
    found = {}
    for name in REAL_SIZES:
        with tempfile.NamedTemporaryFile(suffix=".json") as output:
            command = [sys.executable, os.path.abspath(__file__), "--real", name,
                       f"--output={output.name}", f"--repeats={repeats}",
                       f"--warmup={warmup}", f"--steps={steps}"]
            if subprocess.run(command).returncode:
                raise SystemExit(f"measuring {name}'s paper config failed (its output is above)")
            found[name] = json.load(output)
    return found


def real_sizes_table(found):
    lines = ["| paper config | images | batch | MFLOP per trained image | zoo images/s | "
             "hand-written images/s | zoo ÷ hand | GFLOP/s | share of the roof |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, figures in found.items():
        rates, roof = figures["rates"], figures["roof"]
        per_image = figures["cost"]["flops_per_image"]
        ratio = [z / h for z, h in zip(rates["zoo"], rates["hand"])]
        share = [per_image * rate * 2 / (roof[i] + roof[i + 1])
                 for i, rate in enumerate(rates["zoo"])]
        size = "x".join(str(s) for s in figures["image_size"])
        digits = 3 if statistics.median(rates["zoo"]) < 1 else 2
        lines.append(f"| {name} | {size} | {figures['batch']} | {per_image / 1e6:,.0f} | "
                     f"{spread(rates['zoo'], digits)} | {spread(rates['hand'], digits)} | "
                     f"{spread(ratio, 3)} | {statistics.median(rates['zoo']) * per_image / 1e9:.0f} | "
                     f"{spread([100 * x for x in share])} % |")
    return "\n".join(lines)


def write_real_sizes(found, settings):
    with open(DOC) as f:
        doc = f.read()
    start, end = REAL_MARKS
    head, tail = doc.index(start) + len(start), doc.index(end)
    text = (f"{settings['repeats']} repeats, each of {settings['steps']} steps (ABBA halves) "
            f"after {settings['warmup']} warm-up steps, without XLA, on generated images of "
            "the paper's size (`python tools/benchmark.py --real-sizes`):\n\n"
            + real_sizes_table(found))
    with open(DOC, "w") as f:
        f.write(doc[:head] + "\n" + text + "\n" + doc[tail:])


# --- input pipeline ---------------------------------------------------------------

def pipeline_rate(dataset, batches, warmup):
    import tensorflow as tf

    iterator = iter(dataset)
    for _ in range(warmup):
        next(iterator)
    start = time.perf_counter()
    for _ in range(batches):
        batch = next(iterator)
    seconds = time.perf_counter() - start
    images = tf.nest.flatten(batch)[0]
    return int(images.shape[0]) * batches / seconds


def png_folder(path, count):
    """`count` of the offline digits as PNG files in `path`, one subfolder per class."""
    import numpy as np
    import tensorflow as tf

    from tfgan_zoo.data import sources

    with np.load(sources.OFFLINE_FILE) as arrays:
        images, labels = arrays["mnist_images"][:count], arrays["mnist_labels"][:count]
    for index, (image, label) in enumerate(zip(images, labels)):
        folder = os.path.join(path, str(label))
        os.makedirs(folder, exist_ok=True)
        tf.io.write_file(os.path.join(folder, f"{index}.png"),
                         tf.io.encode_png(image.reshape(28, 28, 1)))
    return path


def pipelines(names, smoke, workdir):
    """{model: images/second of its training data}, and of a folder of PNG digits
    (after its first epoch, which decodes and caches)."""
    from tfgan_zoo import train

    count, batches = (256, 20) if smoke else (4500, 300)
    found = {}
    for name in names:
        config = config_for(name, "tiny" if smoke else None)
        found[name] = pipeline_rate(train.load_data(config), batches, warmup=10)
    config = config_for("dcgan", "tiny" if smoke else None)
    config.dataset = "folder:" + png_folder(os.path.join(workdir, "pngs"), count)
    epoch = count // config.train.batch_size
    found["folder of PNGs"] = pipeline_rate(train.load_data(config), batches, warmup=epoch + 1)
    return found


# --- serving, in a process without tfgan_zoo --------------------------------------

def serve_here(path, batches, seconds):
    """{batch: images/second} of `path`'s serving_default (run with --serve)."""
    import numpy as np
    import tensorflow as tf

    function = tf.saved_model.load(path).signatures["serving_default"]
    specs = function.structured_input_signature[1]
    # a translator takes any size: serve the size it trained at
    with open(os.path.join(path, "assets.extra", "tfgan_zoo.json")) as f:
        trained_at = json.load(f)["image_shape"]

    def shape_of(spec, batch):
        sides = list(trained_at[:2])
        return [batch, *(sides.pop(0) if side is None else side for side in spec.shape[1:])]

    rng = np.random.default_rng(0)
    rates = {}
    for batch in batches:
        inputs = {name: tf.constant(
            rng.uniform(-1, 1, shape_of(spec, batch)).astype(np.float32)
            if spec.dtype.is_floating else np.zeros(shape_of(spec, batch), np.int32))
            for name, spec in specs.items()}
        function(**inputs)  # warm-up
        calls, start = 0, time.perf_counter()
        while calls < 3 or time.perf_counter() - start < seconds:
            outputs = function(**inputs)
            calls += 1
        rates[batch] = batch * calls / (time.perf_counter() - start)
        assert all(v.dtype == tf.float32 or v.dtype.is_integer for v in outputs.values())
    if "tfgan_zoo" in sys.modules:
        raise SystemExit("the serving process imported tfgan_zoo")
    return rates


def serving(names, smoke, workdir):
    from tfgan_zoo import export, train

    found = {}
    for name in names:
        gan, _ = train.build(config_for(name, "tiny" if smoke else None))
        path = export.saved_model(gan, os.path.join(workdir, "export", name))
        output = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--serve", path,
             f"--seconds={0.2 if smoke else 2}"],
            capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
        line = [l for l in output.stdout.splitlines() if l.startswith("SERVING ")]
        if output.returncode or not line:
            raise SystemExit(f"serving {name} failed:\n{output.stderr[-2000:]}")
        found[name] = json.loads(line[0][8:])  # {"batch": images/second}
    return found


# --- peak memory of a CLI run ------------------------------------------------------

RSS_WRAPPER = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
               "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
               "sys.exit(code)")


def peak_memory(names, smoke, workdir):
    """{model: peak resident MiB of `tfgan-zoo` training one epoch, evaluating once}."""
    found = {}
    for name in names:
        config = (f"--config={os.path.join(ROOT, 'zoo_configs', name + '.py')}:tiny" if smoke
                  else f"--model={name}")
        command = [sys.executable, "-c", RSS_WRAPPER, sys.executable, "-m", "tfgan_zoo", config,
                   f"--workdir={os.path.join(workdir, 'rss', name)}",
                   "--config.train.epochs=1", "--config.eval.every_epochs=1"]
        if smoke:  # the tiny run's evaluation with 200 samples, not the default's 2,000
            command.append("--config.eval.num_samples=200")
        output = subprocess.run(command, capture_output=True, text=True, cwd=workdir,
                                env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
        line = [l for l in output.stdout.splitlines() if l.startswith("PEAK_KB ")]
        if output.returncode or not line:
            raise SystemExit(f"training {name} failed:\n{output.stderr[-2000:]}")
        found[name] = int(line[0].split()[1]) / 1024
        print(f"{name}: peak {found[name]:.0f} MiB", flush=True)
    return found


# --- the report --------------------------------------------------------------------

def spread(values, digits=0):
    return (f"{statistics.median(values):.{digits}f} "
            f"({min(values):.{digits}f}–{max(values):.{digits}f})")


def ratios(results, name, zoo, hand):
    runs = results["training"][name]
    return [z / h for z, h in zip(runs[zoo], runs[hand])]


def uses_xla(name):
    """Whether the model's default config compiles its step with XLA (read now, so that
    --reuse shows the defaults of today's configs)."""
    return bool(config_for(name).train.jit_compile)


def default_rates(results, name):
    """Images/second of the zoo with the model's default XLA setting, per repeat."""
    return results["training"][name]["zoo_xla" if uses_xla(name) else "zoo"]


def default_rate(results, name):
    return statistics.median(default_rates(results, name))


def shares(results, name, flop_rates):
    """Each repeat's FLOP rate over the roof measured in the same process just before
    and just after it: the machine's speed drifts from minute to minute."""
    roof = results["roof"][name]
    return [rate * 2 / (roof[repeat] + roof[repeat + 1])
            for repeat, rate in enumerate(flop_rates)]


def measured_over(results):
    settings, steps = results["settings"], results.get("steps")
    if not steps:
        return ""
    return (f" Training: {settings['repeats']} repeats, each variant after {settings['warmup']} "
            f"warm-up steps over about {settings['duration']:g} s: "
            + ", ".join(f"{name} {count} steps" for name, count in steps.items()) + "."
            + (f" Measured again in a later run (`--merge`): {', '.join(results['remeasured'])}."
               if results.get("remeasured") else ""))


def tables(results):
    names = list(results["training"])
    roofs = [roof / 1e9 for name in names for roof in results["roof"][name]]
    lines = [f"Matmul roof ({MATMUL_SIZE}² float32), around every repeat of every model: "
             f"{spread(roofs)} GFLOP/s." + measured_over(results), "",
             "| model | zoo, XLA | hand-written, XLA | zoo ÷ hand, XLA | zoo, no XLA | "
             "hand-written, no XLA | zoo ÷ hand, no XLA | XLA speed-up (zoo) | default |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name in names:
        runs = results["training"][name]
        xla = [a / b for a, b in zip(runs["zoo_xla"], runs["zoo"])]
        lines.append(
            f"| {name} | {spread(runs['zoo_xla'])} | {spread(runs['hand_xla'])} | "
            f"{spread(ratios(results, name, 'zoo_xla', 'hand_xla'), 2)} | {spread(runs['zoo'])} | "
            f"{spread(runs['hand'])} | {spread(ratios(results, name, 'zoo', 'hand'), 2)} | "
            f"{spread(xla, 2)} | {'XLA' if uses_xla(name) else 'no XLA'} |")
    lines += ["", "| model | MFLOP per trained image (profiler) | zoo images/s (default) | "
              "GFLOP/s | share of the roof measured around it | its matrix products alone: GFLOP/s "
              "(share of the roof) | step time in matrix products, no XLA | MB moved per image | "
              f"GPU images/s, roofline ({GPU_NAME}) | bound there by |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for name in names:
        cost, rate = results["costs"][name], default_rate(results, name)
        achieved = cost["flops_per_image"] * rate
        share = shares(results, name, [cost["flops_per_image"] * r
                                       for r in default_rates(results, name)])
        alone = statistics.median(results["training"][name]["matrix_alone"])
        alone_share = statistics.median(
            shares(results, name, results["training"][name]["matrix_alone"]))
        # the replay runs TensorFlow's own kernels, as the step without XLA does
        in_matrix = cost["flops_per_image"] * statistics.median(
            results["training"][name]["zoo"]) / alone
        compute_roof = GPU_FLOPS / cost["flops_per_image"]
        memory_roof = GPU_BYTES / cost["bytes_per_image"]
        pipeline = results["pipelines"][name]
        gpu = min(compute_roof, memory_roof, pipeline)
        bound = ("the input pipeline (this CPU)" if gpu == pipeline else
                 "arithmetic" if compute_roof < memory_roof else "memory")
        lines.append(
            f"| {name} | {cost['flops_per_image'] / 1e6:.1f} "
            f"({cost['profiler_flops_per_image'] / 1e6:.1f}) | {rate:.0f} | "
            f"{achieved / 1e9:.0f} | {spread([100 * s for s in share])} % | {alone / 1e9:.0f} "
            f"({alone_share:.0%}) | {in_matrix:.0%} | {cost['bytes_per_image'] / 1e6:.2f} | "
            f"{gpu:,.0f} | {bound} |")
    for paper in results.get("paper_costs", {}):
        cost = results["paper_costs"][paper]
        gpu = min(GPU_FLOPS / cost["flops_per_image"], GPU_BYTES / cost["bytes_per_image"])
        bound = ("arithmetic" if GPU_FLOPS / cost["flops_per_image"]
                 < GPU_BYTES / cost["bytes_per_image"] else "memory")
        lines.append(f"| {paper} (paper config) | {cost['flops_per_image'] / 1e6:.1f} "
                     f"({cost['profiler_flops_per_image'] / 1e6:.1f}) | – | – | – | – | – | "
                     f"{cost['bytes_per_image'] / 1e6:.2f} | {gpu:,.0f} | {bound} |")
    lines += ["", "| model | input pipeline images/s | ÷ training's images/s | serving "
              + " | ".join(f"batch {b}" for b in SERVING_BATCHES) + " | peak memory, CLI run |",
              "|---|---|---|" + "---|" * len(SERVING_BATCHES) + "---|"]
    for name in names:
        pipeline = results["pipelines"][name]
        serve = results["serving"][name]
        lines.append(f"| {name} | {pipeline:,.0f} | {pipeline / default_rate(results, name):.0f}× | "
                     + " | ".join(f"{serve[str(b)]:,.0f}" for b in SERVING_BATCHES)
                     + f" | {results['memory'][name]:.0f} MiB |")
    folder = results["pipelines"].get("folder of PNGs")
    if folder:
        lines += ["", f"A folder of PNG digits (`folder:PATH`), after its first epoch: "
                      f"{folder:,.0f} images/s."]
    return "\n".join(lines)


def write_doc(results):
    with open(DOC) as f:
        doc = f.read()
    start, end = MARKS
    head, tail = doc.index(start) + len(start), doc.index(end)
    with open(DOC, "w") as f:
        f.write(doc[:head] + "\n" + tables(results) + "\n" + doc[tail:])


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--steps", type=int, default=30, help="the fewest steps measured")
    parser.add_argument("--duration", type=float, default=3.0,
                        help="seconds each measurement lasts (more steps for a fast model)")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny configs, 3 steps, 1 repeat: every figure, not a measurement")
    parser.add_argument("--reuse", action="store_true", help="only rewrite the doc's tables")
    parser.add_argument("--merge", action="store_true",
                        help="measure the named models again, keep the others' figures")
    parser.add_argument("--output", help="the JSON file (default: runs/benchmark[-smoke].json)")
    parser.add_argument("--real-sizes", action="store_true",
                        help="measure the dcgan, cyclegan and pix2pix paper configs at their "
                             "size (into runs/benchmark-real-sizes.json and the doc)")
    parser.add_argument("--real", help=argparse.SUPPRESS)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--train", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv[1:])
    if args.merge and not args.models:
        parser.error("--merge measures the models named before it again: name them")
    if args.smoke:
        args.repeats, args.warmup, args.steps, args.duration = 1, 2, 3, 0
    if args.train:
        figures = train_here(args.train, args.repeats, args.warmup, args.steps, args.smoke,
                             args.duration)
        with open(args.output, "w") as f:
            json.dump(figures, f)
        return
    if args.real:
        with open(args.output, "w") as f:
            json.dump(real_here(args.real, args.repeats, args.warmup, args.steps), f)
        return
    if args.real_sizes:
        output = args.output or os.path.join(ROOT, "runs", "benchmark-real-sizes.json")
        if args.reuse:
            with open(output) as f:
                found = json.load(f)
        else:
            found = real_sizes(args.repeats, args.warmup, args.steps)
            os.makedirs(os.path.dirname(output), exist_ok=True)
            with open(output, "w") as f:
                json.dump({"settings": settings_of(args), "models": found}, f, indent=1)
            found = {"settings": settings_of(args), "models": found}
        write_real_sizes(found["models"], found["settings"])
        print(real_sizes_table(found["models"]))
        return
    if args.serve:
        rates = serve_here(args.serve, SERVING_BATCHES, args.seconds)
        print("SERVING " + json.dumps(rates))
        return
    output = args.output or os.path.join(
        ROOT, "runs", "benchmark-smoke.json" if args.smoke else "benchmark.json")
    if args.reuse:
        with open(output) as f:
            results = json.load(f)
        if "roof" not in results:
            raise SystemExit(f"{output} was written by an older tools/benchmark.py (one roof "
                             "for all models): measure again, without --reuse")
    else:
        if args.merge:
            check_mergeable(output, settings_of(args))
        results = measure(args)
        if args.merge:
            results = merged(output, results)
        os.makedirs(os.path.dirname(output), exist_ok=True)
        with open(output, "w") as f:
            json.dump(results, f, indent=1)
    if not args.smoke:
        write_doc(results)
    print(tables(results))


def settings_of(args):
    return {k: getattr(args, k) for k in ("repeats", "warmup", "steps", "duration", "smoke")}


def check_mergeable(path, settings):
    if not os.path.exists(path):
        raise SystemExit(f"--merge: no {path} to merge into: measure every model first")
    with open(path) as f:
        old = json.load(f)["settings"]
    if old != settings:
        raise SystemExit(f"--merge: {path} was measured with {old}, not {settings}: "
                         "give the same settings, or measure every model")


def merged(path, new):
    """The figures in `path` with the models of `new` replaced, and named as measured
    again."""
    with open(path) as f:
        old = json.load(f)
    if old["machine"] != new["machine"]:
        raise SystemExit(f"--merge: {path} was measured on {old['machine']}, this run on "
                         f"{new['machine']}: measure every model")
    for key, figures in new.items():
        if key not in ("machine", "settings"):
            old[key].update(figures)
    old["remeasured"] = sorted(set(old.get("remeasured", [])) | set(new["training"]))
    return old


def measure(args):
    import keras
    import tensorflow as tf

    from tfgan_zoo import models

    names = args.models or models.names()
    results = {"machine": {"processor": platform.processor() or platform.machine(),
                           "cores": os.cpu_count(), "tensorflow": tf.__version__,
                           "keras": keras.__version__},
               "settings": settings_of(args)}
    with tempfile.TemporaryDirectory(prefix="tfgan-zoo-benchmark-") as workdir:
        results["costs"] = {name: costs(name, None, args.smoke) for name in names}
        if not args.smoke:
            results["paper_costs"] = {name: costs(name, "paper", False,
                                                  paper_config(name, workdir + "/" + name))
                                      for name in names}
        trained = training(names, args.repeats, args.warmup, args.steps, args.smoke,
                           args.duration)
        for key, figure in (("training", "rates"), ("roof", "roof"), ("steps", "steps")):
            results[key] = {name: trained[name][figure] for name in names}
        results["pipelines"] = pipelines(names, args.smoke, workdir)
        results["serving"] = serving(names, args.smoke, workdir)
        results["memory"] = peak_memory(names, args.smoke, workdir)
    return results


if __name__ == "__main__":
    main(sys.argv)
