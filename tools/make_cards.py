"""Model cards from real runs: trains each registered model's default config as
`tfgan-zoo --model=NAME` does, measures it as `tfgan-zoo evaluate` does (5,000 samples),
and writes docs/models/NAME.md, docs/images/NAME_samples.png and the README's model table.

    python tools/make_cards.py                  # every model: about 40 minutes on 2 CPU cores
    python tools/make_cards.py dcgan cgan       # some models
    python tools/make_cards.py --reuse          # rewrite the cards from runs/cards/*/card.json

Runs go to runs/cards/NAME. Wall times are measured in this process (TensorFlow's import,
~5 s, not included) while nothing else runs.
"""
import importlib
import inspect
import json
import os
import shutil
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from tfgan_zoo import cli, models, train  # noqa: E402

RUNS = os.path.join(ROOT, "runs", "cards")
TABLE_START, TABLE_END = "<!-- models table: tools/make_cards.py -->", "<!-- end of models table -->"


def measure(name):
    """Trains and evaluates `name`'s default config; returns (and saves) its card data."""
    workdir = os.path.join(RUNS, name)
    shutil.rmtree(workdir, ignore_errors=True)
    config = importlib.import_module(f"zoo_configs.{name}").get_config()
    start = time.perf_counter()
    out = train.run(config, workdir)
    wall = time.perf_counter() - start
    cli.run(["tfgan-zoo", "evaluate", workdir, "--num_samples=5000"])
    with open(os.path.join(workdir, "metrics.json")) as f:
        metrics = json.load(f)
    card = {"name": name, "wall_seconds": wall, "eval_seconds": out.eval_seconds,
            "evaluations": len(out.evaluations), "metrics": metrics,
            "config": json.loads(config.to_json_best_effort())}
    shutil.copy(out.samples, os.path.join(ROOT, "docs", "images", f"{name}_samples.png"))
    with open(os.path.join(workdir, "card.json"), "w") as f:
        json.dump(card, f, indent=1)
    return card


def targets(card):
    """[(target, measured, met)] of the evaluation issue's targets."""
    m = card["metrics"]
    rows = []
    if "samples" in m:
        s, r = m["samples"], m["real"]
        rows += [("classifier score >= 0.95 x real", f"{s['score']:.2f} vs {r['score']:.2f}",
                  s["score"] >= 0.95 * r["score"]),
                 ("Fréchet distance <= 3 x floor", f"{s['fd']:.1f} = {s['fd'] / r['fd']:.1f} x",
                  s["fd"] <= 3 * r["fd"]),
                 ("10/10 classes", f"{s['classes_covered']}/10", s["classes_covered"] == 10),
                 ("recall >= 0.9 x real", f"{s['recall']:.3f} vs {r['recall']:.3f}",
                  s["recall"] >= 0.9 * r["recall"])]
        if "label_accuracy" in s:
            rows.append(("label accuracy >= 95 %", f"{100 * s['label_accuracy']:.1f} %",
                         s["label_accuracy"] >= 0.95))
    for direction, ceiling in (("a_to_b", "real_b"), ("b_to_a", "real_a")):
        if direction in m and "label_preservation" in m[direction]:
            kept, top = m[direction]["label_preservation"], m[ceiling]["label_accuracy"]
            rows.append((f"{direction} label preservation >= 90 % of ceiling",
                         f"{100 * kept:.1f} % of {100 * top:.1f} %", kept >= 0.9 * top))
    return rows


def metrics_table(metrics):
    groups = [g for g, v in metrics.items() if isinstance(v, dict)]
    names = ["fd", "kd", "score", "precision", "recall", "density", "coverage",
             "classes_covered", "label_accuracy", "label_preservation"]
    lines = ["| metric | " + " | ".join(g + (" (floor)" if g.startswith("real") else "")
                                       for g in groups) + " |",
             "|---|" + "---|" * len(groups)]
    for name in names:
        if any(name in metrics[g] for g in groups):
            cells = [f"{metrics[g][name]:.4g}" if name in metrics[g] else "" for g in groups]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def description(cls):
    doc = inspect.cleandoc(cls.__doc__).split("\nArgs:")[0].strip()
    title, _, body = doc.partition("\n\n")
    return " ".join(title.split()), body


def write_card(card):
    name = card["name"]
    cls = models.lookup(name)
    title, body = description(cls)
    config_module = importlib.import_module(f"zoo_configs.{name}")
    hparams = ", ".join(f"`{k}={v!r}`" for k, v in card["config"]["hparams"].items())
    train_cfg = card["config"]["train"]
    eval_share = card["eval_seconds"] / card["wall_seconds"]
    lines = [
        f"# {name}", "", title, "",
        f"Code: `tfgan_zoo/models/{name}.py`; config: `zoo_configs/{name}.py`.", "", body, "",
        "## Defaults", "",
        f"`tfgan-zoo --model={name}`: {hparams}; {train_cfg['epochs']} epochs of batch "
        f"{train_cfg['batch_size']} on `{card['config']['dataset']}`"
        + (f" and `{card['config'].get('dataset_b')}`" if card["config"].get("dataset_b")
           else "") + f"; optimizers: the paper's (`{cls.__name__}.default_optimizers`).", "",
        "Its config file says:", "", "```", inspect.cleandoc(config_module.__doc__), "```", "",
        "## Measured", "",
        f"`python tools/make_cards.py {name}` on 2 CPU cores: {card['wall_seconds'] / 60:.1f} "
        f"minutes of training (TensorFlow's start-up excluded), of which "
        f"{100 * eval_share:.0f} % measuring the samples during training "
        f"({card['evaluations']} evaluations). Then the evaluate command ("
        + (f"{card['metrics']['num_samples']:,} samples against the training split"
           if "samples" in card["metrics"] else
           "each domain's held-out test split translated, against the other domain's "
           "training split") + "; the digit classifier's features; the floor is the "
        "held-out real test split against the training split):", "",
        metrics_table(card["metrics"]), "",
        "Against the zoo's targets (the next issue's job to reach them):", "",
        "| target | measured | met |", "|---|---|---|",
        *[f"| {t} | {v} | {'yes' if ok else '**no**'} |" for t, v, ok in targets(card)], "",
        f"![{name} samples](../images/{name}_samples.png)", "",
    ]
    with open(os.path.join(ROOT, "docs", "models", f"{name}.md"), "w") as f:
        f.write("\n".join(lines))


def headline(card):
    m = card["metrics"]
    if "samples" in m:
        s, r = m["samples"], m["real"]
        text = (f"score {s['score']:.2f} / {r['score']:.2f}, FD {s['fd'] / r['fd']:.0f}× floor, "
                f"recall {s['recall']:.2f} / {r['recall']:.2f}")
        if "label_accuracy" in s:
            text += f", label accuracy {100 * s['label_accuracy']:.0f} %"
        return text
    parts = [f"{d}: label kept {100 * m[d]['label_preservation']:.0f} %"
             for d in ("a_to_b", "b_to_a") if "label_preservation" in m.get(d, {})]
    return ", ".join(parts)


def write_readme_table(cards):
    path = os.path.join(ROOT, "README.md")
    with open(path) as f:
        readme = f.read()
    rows = ["| name | paper | measured (model / real data) | time | card |", "|---|---|---|---|---|"]
    for card in cards:
        cls = models.lookup(card["name"])
        rows.append(f"| `{card['name']}` | {cls.paper.split(', arXiv')[0]} | {headline(card)} | "
                    f"{card['wall_seconds'] / 60:.1f} min | "
                    f"[{card['name']}.md](docs/models/{card['name']}.md) |")
    start, end = readme.index(TABLE_START), readme.index(TABLE_END)
    readme = readme[:start + len(TABLE_START)] + "\n" + "\n".join(rows) + "\n" + readme[end:]
    with open(path, "w") as f:
        f.write(readme)


def main(argv):
    reuse = "--reuse" in argv
    names = [a for a in argv[1:] if not a.startswith("--")] or models.names()
    order = ["dcgan", "cgan", "vanilla", "cyclegan", "wgan", "wgan_gp"]  # cheapest first
    names.sort(key=lambda n: order.index(n) if n in order else len(order))
    for name in names:
        if not reuse:
            measure(name)
    cards = []
    for name in models.names():
        path = os.path.join(RUNS, name, "card.json")
        if os.path.exists(path):
            with open(path) as f:
                cards.append(json.load(f))
            write_card(cards[-1])
    write_readme_table(cards)


if __name__ == "__main__":
    main(sys.argv)
