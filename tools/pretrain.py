"""Trains the weights shipped with the package, measures the shipped file, and records both.

    python tools/pretrain.py dcgan:mnist           # one set: ~25 minutes on 2 CPU cores
    python tools/pretrain.py                       # every set the config files declare
    python tools/pretrain.py --reuse dcgan:mnist   # ship and measure the finished run again

A set MODEL:NAME is the config `zoo_configs/MODEL.py:pretrain_NAME` (its PRETRAIN table: the
default trained longer), run as `tfgan-zoo --config=zoo_configs/MODEL.py:pretrain_NAME` would,
into runs/pretrain/MODEL_NAME. Its final weights are written to
tfgan_zoo/weights/MODEL_NAME.npz (tfgan_zoo/pretrained.py: float16, the EMA generator), then
that file is measured as `tfgan-zoo evaluate --model=MODEL --weights=NAME` does (5,000
samples) and tfgan_zoo/weights/index.json records its sha256, config, wall time and metrics;
the model's card gets them in its "Pretrained weights" section, with a grid that
the generate command draws from the shipped file (docs/images/MODEL_NAME_pretrained.png).

Training is deterministic on a CPU: a rerun writes the same bytes, and the tool says whether
it did (the sha256 against the one recorded before).
"""
import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tools"))
from tfgan_zoo import cli, files, pretrained, train  # noqa: E402
from zoo_configs import base  # noqa: E402

RUNS = os.path.join(ROOT, "runs", "pretrain")
# sets also measured on data they were not trained on: the damage training never made
ALSO_MEASURED = {("pix2pix", "completion"): ("completion_larger", "completion_moved")}
# keeps every set together under 40 MB: a set larger than this at float16 (pix2pix's U-Nets:
# 8.7 MB) ships its kernels as int8
INT8_ABOVE_BYTES = 4_000_000


def declared():
    """["model:name"] of every set the config files declare (their PRETRAIN tables)."""
    found = []
    for model in cli.models.names():
        module = importlib.import_module(f"zoo_configs.{model}")
        found += [f"{model}:{name}" for name in getattr(module, "PRETRAIN", {})]
    return found


def config_string(model, name):
    return f"zoo_configs/{model}.py:{base.PRETRAIN}{name}"


def pretrain(model, name, reuse=False):
    config = importlib.import_module(f"zoo_configs.{model}").get_config(base.PRETRAIN + name)
    workdir = os.path.join(RUNS, f"{model}_{name}")
    timing = os.path.join(workdir, "pretrain.json")
    if not reuse:
        shutil.rmtree(workdir, ignore_errors=True)
        start = time.perf_counter()
        out = train.run(config, workdir)
        files.write_json(timing, {"wall_seconds": time.perf_counter() - start,
                                  "curve": curve(out.evaluations)})
    with open(timing) as f:
        progress = json.load(f)
    wall = progress["wall_seconds"]
    gan = pretrained.load_keras(os.path.join(workdir, "checkpoints", "last.keras"))
    file = f"{model}_{name}.npz"
    path = os.path.join(pretrained.WEIGHTS_DIR, file)
    os.makedirs(pretrained.WEIGHTS_DIR, exist_ok=True)
    settings = getattr(importlib.import_module(f"zoo_configs.{model}"), "PRETRAIN")[name]
    previous = pretrained.index().get(model, {}).get(name, {})
    before = previous.get("sha256")
    int8 = pretrained.float16_bytes(gan) > INT8_ABOVE_BYTES
    pretrained.save(gan, path, int8_kernels=int8)
    digest = pretrained.sha256(path)
    record = {"file": file, "sha256": digest, "bytes": os.path.getsize(path),
              "storage": "int8 kernels" if int8 else "float16",
              "config": config_string(model, name), "settings": settings,
              "command": f"python tools/pretrain.py {model}:{name}",
              "epochs": config.train.epochs, "wall_seconds": round(wall, 1),
              "curve": progress.get("curve", []),
              "hparams": pretrained.constructor_arguments(gan),
              "data": train.data_metadata(config)}
    write_record(model, name, record)
    record["metrics"] = measure(model, name, workdir)
    for dataset in ALSO_MEASURED.get((model, name), ()):
        record.setdefault("metrics_on", {})[dataset] = measure(model, name, workdir, dataset)
    write_record(model, name, record)
    import make_cards

    for picture, command in make_cards.pictures(model, name):
        direction = next((a.split("=")[1] for a in command.split() if a.startswith("--direction=")),
                         "a_to_b")
        argv = [held_out_inputs(config, direction, os.path.join(workdir, f"inputs_{direction}"))
                if a == "--input=PATH" else a for a in command.split()[1:]]
        argv = [f"--output={os.path.join('docs', 'images', picture)}" if a.startswith("--output=")
                else a for a in argv]
        subprocess.run([sys.executable, "-m", "tfgan_zoo", *argv], check=True, cwd=ROOT)
    reproduced = ("first training of this set" if before is None else
                  "not comparable: the set was trained with other settings before"
                  if previous.get("settings", settings) != settings else
                  "yes: the same bytes as before" if before == digest else
                  f"NO: sha256 {digest[:12]}... differs from the recorded {before[:12]}...")
    print(f"\n{model}:{name}: {wall / 60:.1f} minutes, {record['bytes'] / 1e6:.2f} MB, "
          f"sha256 {digest}\nreproduced: {reproduced}")
    make_cards.update_pretrained_section(model)
    make_cards.write_weights_table()


def held_out_inputs(config, direction, folder):
    """--input=FOLDER: make_cards.TRANSLATED_INPUTS held-out test inputs of a translation
    model's `direction`, evenly spaced through the split (the digits' is sorted by class),
    written there as PNG files."""
    import make_cards
    from tfgan_zoo import evaluate, images

    sizes = dict(image_size=config.get("image_size"), channels=config.get("channels"))
    if cli.models.lookup(config.model).data_kind == "paired":
        inputs = evaluate.real_pairs(config.dataset, config.get("dataset_b"), "test", **sizes,
                                     input_side=config.get("input_side", "left"))[0]
    else:
        # domain B trains at domain A's size (the model's)
        size = sizes["image_size"] or evaluate.real_images(config.dataset, "test")[0].shape[1:3]
        domain = config.dataset if direction == "a_to_b" else config.dataset_b
        inputs = evaluate.real_images(domain, "test", image_size=tuple(size),
                                      channels=sizes["channels"])[0]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    spread = np.linspace(0, len(inputs) - 1, make_cards.TRANSLATED_INPUTS).round().astype(int)
    for i, image in enumerate(images.to_pixels(inputs[spread])):
        images.write_png(os.path.join(folder, f"{i:03d}.png"), image)
    return f"--input={folder}"


def measure(model, name, workdir, dataset=None):
    """The shipped file's metrics as a user measures them: through the CLI, in a fresh process."""
    metrics_file = os.path.join(workdir, f"metrics_{dataset}.json" if dataset else "metrics.json")
    subprocess.run([sys.executable, "-m", "tfgan_zoo", "evaluate", f"--model={model}",
                    f"--weights={name}", "--num_samples=5000", f"--output={metrics_file}",
                    *([f"--dataset={dataset}"] if dataset else [])], check=True, cwd=ROOT)
    with open(metrics_file) as f:
        return json.load(f)


def curve(evaluations):
    """[[epoch, {metric: value}]] of the evaluations during training (headline metrics)."""
    from tfgan_zoo import evaluate

    shown = ("fd", "swd", "score", "recall", "label_accuracy", "label_preservation", "psnr")
    return [[epoch, {k: round(float(v), 4) for k, v in evaluate.scalars(results).items()
                     if k.split("/")[-1] in shown}] for epoch, results in evaluations]


def write_record(model, name, record):
    table = pretrained.index()
    table.setdefault(model, {})[name] = record
    files.write_json(pretrained.INDEX, {m: dict(sorted(s.items())) for m, s in sorted(table.items())})


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", help="MODEL:NAME (default: all the configs declare)")
    parser.add_argument("--reuse", action="store_true",
                        help="ship and measure the finished runs in runs/pretrain again")
    args = parser.parse_args(argv)
    for item in args.sets or declared():
        model, _, name = item.partition(":")
        pretrain(model, name, reuse=args.reuse)


if __name__ == "__main__":
    main(sys.argv[1:])
