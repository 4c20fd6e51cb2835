"""The tricks' ablation in docs/tricks.md: a model's default config trained with one
setting changed at a time (the same budget: the default's epochs and steps), each
measured as `tfgan-zoo evaluate` does (5,000 samples, the shipped digit classifier).

    python tools/ablate_tricks.py dcgan cgan        # writes runs/ablation/*.json and docs/tricks.md
    python tools/ablate_tricks.py --reuse           # rewrites docs/tricks.md from the runs
                                                    # (a missing default row: the model's card run)
    python tools/ablate_tricks.py dcgan --only=ema_off --set hparams.ema_decay=0  # one run

Each row runs a full default training: about 5 minutes per row on 2 CPU cores. Wall
times are recorded in runs/ablation/*/*/result.json but not tabled: runs may share the CPU.
"""
import argparse
import glob
import importlib
import json
import os
import shutil
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from tfgan_zoo import cli, train  # noqa: E402

RUNS = os.path.join(ROOT, "runs", "ablation")
TABLE_START = "<!-- ablation: tools/ablate_tricks.py -->"
TABLE_END = "<!-- end of ablation -->"

# (row name, what it changes against the model's default config)
ROWS = {
    "dcgan": [
        ("default", {}),
        ("no EMA generator", {"hparams.ema_decay": 0.0}),
        ("the paper's Adam(2e-4)", {"optimizer.d_learning_rate": 2e-4,
                                    "optimizer.g_learning_rate": 2e-4}),
        ("+ DiffAugment translation,cutout", {"hparams.augment": "translation,cutout"}),
        ("+ spectral norm", {"hparams.spectral_norm": True}),
        ("+ instance noise 0.1", {"hparams.instance_noise": 0.1}),
    ],
    "cgan": [
        ("default", {}),
        ("no EMA generator", {"hparams.ema_decay": 0.0}),
        ("the paper's Adam(2e-4)", {"optimizer.d_learning_rate": 2e-4,
                                    "optimizer.g_learning_rate": 2e-4}),
    ],
}


def configure(name, changes):
    config = importlib.import_module(f"zoo_configs.{name}").get_config()
    for key, value in changes.items():
        node = config
        *path, field = key.split(".")
        for part in path:
            node = node[part]
        node[field] = value
    return config


def measure(name, row, changes):
    """Trains `name`'s default config with `changes`, evaluates it, saves and returns the result."""
    slug = row.lower().replace(" ", "_").replace("+", "with").replace(".", "")
    workdir = os.path.join(RUNS, name, slug)
    shutil.rmtree(workdir, ignore_errors=True)
    config = configure(name, changes)
    start = time.perf_counter()
    train.run(config, workdir)
    wall = time.perf_counter() - start
    cli.run(["tfgan-zoo", "evaluate", workdir, "--num_samples=5000"])
    with open(os.path.join(workdir, "metrics.json")) as f:
        metrics = json.load(f)
    result = {"model": name, "row": row, "changes": changes, "wall_seconds": wall,
              "metrics": metrics, "order": [r for r, _ in ROWS.get(name, [])].index(row)
              if row in [r for r, _ in ROWS.get(name, [])] else 99}
    with open(os.path.join(workdir, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps({k: result[k] for k in ("model", "row", "wall_seconds")}),
          json.dumps(metrics.get("samples", metrics)), flush=True)
    return result


def table(results):
    lines = ["| model | setting | score | FD (× floor) | recall | coverage | classes | "
             "label acc. |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        s, real = r["metrics"]["samples"], r["metrics"]["real"]
        label = f"{100 * s['label_accuracy']:.1f} %" if "label_accuracy" in s else ""
        lines.append(
            f"| {r['model']} | {r['row']} | {s['score']:.2f} | {s['fd']:.1f} "
            f"({s['fd'] / real['fd']:.1f}×) | {s['recall']:.2f} | {s['coverage']:.2f} | "
            f"{s['classes_covered']} | {label} |")
    return "\n".join(lines)


def write_doc(results):
    path = os.path.join(ROOT, "docs", "tricks.md")
    with open(path) as f:
        doc = f.read()
    start, end = doc.index(TABLE_START), doc.index(TABLE_END)
    doc = doc[:start + len(TABLE_START)] + "\n" + table(results) + "\n" + doc[end:]
    with open(path, "w") as f:
        f.write(doc)


def card_path(name):
    return os.path.join(ROOT, "runs", "cards", name, "card.json")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", default=list(ROWS))
    parser.add_argument("--reuse", action="store_true", help="only rewrite docs/tricks.md")
    parser.add_argument("--only", help="run one row by this name (with --set) instead")
    parser.add_argument("--set", nargs="*", default=[], help="KEY=VALUE changes for --only")
    args = parser.parse_args(argv[1:])
    if args.only:
        changes = dict(item.split("=", 1) for item in args.set)
        for key, value in changes.items():
            try:
                changes[key] = json.loads(value)
            except ValueError:
                pass  # a string
        for name in args.models:
            measure(name, args.only, changes)
        return
    if not args.reuse:
        for name in args.models:
            for row, changes in ROWS[name]:
                if row == "default" and os.path.exists(card_path(name)):
                    continue  # runs are deterministic: the card's run is this row
                measure(name, row, changes)
    results = []
    for path in glob.glob(os.path.join(RUNS, "*", "*", "result.json")):
        with open(path) as f:
            results.append(json.load(f))
    results = [r for r in results if r["order"] < 99]
    for name in ROWS:  # a default row not run here: the card's run of the same config
        card = card_path(name)
        if not any(r["model"] == name and r["row"] == "default" for r in results) \
                and os.path.exists(card):
            with open(card) as f:
                measured = json.load(f)
            results.append({"model": name, "row": "default", "order": 0, "changes": {},
                            "wall_seconds": measured["wall_seconds"],
                            "metrics": measured["metrics"]})
    results.sort(key=lambda r: (list(ROWS).index(r["model"]), r["order"]))
    write_doc(results)


if __name__ == "__main__":
    main(sys.argv)
