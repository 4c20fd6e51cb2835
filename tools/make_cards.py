"""Model cards from real runs: trains each registered model's default config as
`tfgan-zoo --model=NAME` does, measures it as `tfgan-zoo evaluate` does (5,000 samples),
and writes docs/models/NAME.md, docs/images/NAME_samples.png and the README's model table.

    python tools/make_cards.py                  # every model: about 45 minutes on 2 CPU cores
    python tools/make_cards.py dcgan cgan       # some models
    python tools/make_cards.py wgan:paper       # a config variant too (shown in its card)
    python tools/make_cards.py pix2pix pix2pix:edges pix2pix:colorization   # pix2pix's card
    python tools/make_cards.py dcgan:emoji cgan:emoji wgan_gp:emoji   # the colour cards
    python tools/make_cards.py --reuse          # rewrite the cards from runs/cards/*/card.json
    python tools/make_cards.py --reevaluate     # measure the runs in runs/cards again, then rewrite

A variant on its own data (`emoji`) gets a card of its own, docs/models/NAME_VARIANT.md; other
variants are a section of the model's card.

Runs go to runs/cards/NAME. Wall times are measured in this process (TensorFlow's import,
~5 s, not included) while nothing else runs.
"""
import glob
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


def measure(name, variant=None):
    """Trains and evaluates `name`'s default config (or its `variant`); returns (and
    saves) its card data."""
    key = f"{name}_{variant}" if variant else name
    workdir = os.path.join(RUNS, key)
    shutil.rmtree(workdir, ignore_errors=True)
    config = importlib.import_module(f"zoo_configs.{name}").get_config(variant)
    start = time.perf_counter()
    out = train.run(config, workdir)
    wall = time.perf_counter() - start
    cli.run(["tfgan-zoo", "evaluate", workdir, "--num_samples=5000"])
    with open(os.path.join(workdir, "metrics.json")) as f:
        metrics = json.load(f)
    card = {"name": name, "variant": variant, "wall_seconds": wall,
            "eval_seconds": out.eval_seconds, "evaluations": len(out.evaluations),
            "metrics": metrics, "config": json.loads(config.to_json_best_effort())}
    copy_samples(out.samples, os.path.join(ROOT, "docs", "images", f"{key}_samples.png"))
    with open(os.path.join(workdir, "card.json"), "w") as f:
        json.dump(card, f, indent=1)
    return card


def copy_samples(grid_png, destination):
    """The run's sample grid, each pixel repeated until an image is 128 pixels or more
    across (64x64 emoji x2; digits as they are: their grid is enlarged by the page)."""
    import tensorflow as tf
    from tfgan_zoo import images

    pixels = tf.io.decode_png(tf.io.read_file(grid_png)).numpy()
    side = (pixels.shape[1] + 1) // 8 - 1  # the grid is 8 images across
    factor = images.enlargement(side, 128) if side >= 32 else 1
    images.write_png(destination, images.enlarged(pixels, factor))


def reevaluate(workdir):
    """Measures a finished card run again, as measure() does, and updates its card.json."""
    path = os.path.join(workdir, "card.json")
    with open(path) as f:
        card = json.load(f)
    cli.run(["tfgan-zoo", "evaluate", workdir, "--num_samples=5000"])
    with open(os.path.join(workdir, "metrics.json")) as f:
        card["metrics"] = json.load(f)
    with open(path, "w") as f:
        json.dump(card, f, indent=1)


# Tuning runs behind each default, rerun by
#   python tools/ablate_tricks.py NAME --only=ROW --set KEY=VALUE ...
# (5,000 samples, as the cards; runs shared the CPU, so no times): (what, settings, result).
TRIED = {
    "dcgan": [
        ("35 epochs, the paper's settings", "train.epochs=35",
         "score 6.96, FD 76 (10.4x), recall 0.79, 8 classes"),
        ("+ EMA 0.99", "train.epochs=35 hparams.ema_decay=0.99",
         "score 7.01, FD 73, recall 0.81, 9 classes"),
        ("+ EMA 0.99, DiffAugment translation,cutout",
         "train.epochs=35 hparams.ema_decay=0.99 hparams.augment=translation,cutout",
         "score 6.83, FD 89, recall 0.49"),
        ("+ EMA 0.99, Adam 5e-4", "train.epochs=35 hparams.ema_decay=0.99 "
         "optimizer.d_learning_rate=5e-4 optimizer.g_learning_rate=5e-4",
         "score 7.53, FD 49, recall 0.87, 10 classes"),
        ("+ EMA 0.99, Adam 1e-3 (the default)", "train.epochs=35 hparams.ema_decay=0.99 "
         "optimizer.d_learning_rate=1e-3 optimizer.g_learning_rate=1e-3",
         "score 7.53, FD 44, recall 0.88, 10 classes"),
        ("Adam 5e-4, EMA, hinge loss and spectral norm", "... hparams.loss=hinge "
         "hparams.spectral_norm=true", "score 7.48, FD 49, recall 0.89"),
        ("Adam 5e-4, EMA, label smoothing 0.2", "... hparams.label_smoothing=0.2",
         "score 7.42, FD 49, 9 classes"),
        ("Adam 5e-4, EMA, width 16 for twice the steps (70 epochs)",
         "... hparams.width=16 train.epochs=70", "score 7.55, FD 50, 9 classes"),
    ],
    "cgan": [
        ("EMA 0.99, 20 epochs", "hparams.ema_decay=0.99",
         "score 9.42, FD 19.6, recall 0.65, label accuracy 94.8 %"),
        ("EMA 0.99, Adam 5e-4, 20 epochs", "hparams.ema_decay=0.99 "
         "optimizer.d_learning_rate=5e-4 optimizer.g_learning_rate=5e-4",
         "score 9.79, FD 11.3, recall 0.763, label accuracy 98.1 %; the default adds 5 epochs"),
    ],
    "vanilla": [
        ("EMA 0.99, 240 epochs", "hparams.ema_decay=0.99 train.epochs=240",
         "score 7.27, FD 70, recall 0.61, 9 classes"),
        ("EMA 0.999, 240 epochs", "hparams.ema_decay=0.999 train.epochs=240",
         "score 7.34, FD 69, recall 0.62, 8 classes"),
    ],
    "wgan": [
        ("the paper's n_critic=5 with RMSprop 2e-4, width 16", "hparams.d_steps=5 "
         "hparams.ema_decay=0.99 train.epochs=30 optimizer.d_learning_rate=2e-4 "
         "optimizer.g_learning_rate=2e-4", "score 3.97, FD 217, 5 classes"),
        ("n_critic=5 with Adam(1e-4, 0.5, 0.9)", "hparams.d_steps=5 train.epochs=30 "
         "optimizer.name=adam optimizer.beta_1=0.5 optimizer.beta_2=0.9 ...",
         "score 4.04, FD 205, 5 classes"),
        ("n_critic=2, RMSprop 5e-4, 50 epochs", "hparams.d_steps=2 train.epochs=50",
         "score 5.47, FD 129, 8 classes"),
        ("n_critic=1, RMSprop 5e-4, 75 epochs", "hparams.d_steps=1 train.epochs=75",
         "score 6.06, FD 116, 8 classes; the default then trained 60 epochs to stay in 5 minutes"),
    ],
    "wgan_gp": [
        ("width 16, n_critic=2, Adam 5e-4, EMA, 40 epochs (the default)",
         "hparams.width=16 hparams.d_steps=2 ...", "score 7.60, FD 45, recall 0.87, 10 classes"),
    ],
    "cyclegan": [
        ("EMA 0.99, identity weight 20", "hparams.ema_decay=0.99 hparams.identity_weight=20",
         "label kept a_to_b 53.8 %, b_to_a 63.7 %"),
        ("EMA 0.99, 16x16-pixel patches (d_layers=1; the default)",
         "hparams.ema_decay=0.99 hparams.d_layers=1", "label kept a_to_b 60 %, b_to_a 80 %"),
    ],
}

# The zoo's targets for a default config (floors) and what it aims at.
FLOORS = {"score": 0.90, "fd": 10.0, "recall": 0.8, "coverage": 0.8, "label_accuracy": 0.97,
          "label_preservation": 0.9}
AIMS = {"score": 0.95, "fd": 3.0}


# The colour configs' targets (floors) and aims, on the emoji classifier's features and the
# sliced Wasserstein distance; memorized: the share of samples closer to a training image
# than the held-out images' 1st percentile, against the real images' own share.
EMOJI_FLOORS = {"fd": 10.0, "swd": 5.0, "label_accuracy": 0.80, "memorized": 2.0}
EMOJI_AIMS = {"fd": 3.0, "swd": 2.0, "label_accuracy": 0.95, "memorized": 1.0}


def emoji_targets(m):
    s, r = m["samples"], m["real"]
    rows = []
    for floors, prefix in ((EMOJI_FLOORS, ""), (EMOJI_AIMS, "aim: ")):
        rows += [
            (f"{prefix}Fréchet distance <= {floors['fd']:.0f} x floor",
             f"{s['fd']:.2f} = {s['fd'] / r['fd']:.1f} x {r['fd']:.2f}",
             s["fd"] <= floors["fd"] * r["fd"]),
            (f"{prefix}sliced Wasserstein distance <= {floors['swd']:.0f} x floor",
             f"{s['swd']:.1f} = {s['swd'] / r['swd']:.1f} x {r['swd']:.1f}",
             s["swd"] <= floors["swd"] * r["swd"]),
            (f"{prefix}memorized share <= {floors['memorized']:.0f} x real's",
             f"{100 * s['memorized']:.2f} % (real {100 * r['memorized']:.2f} %)",
             s["memorized"] <= floors["memorized"] * r["memorized"])]
        if not prefix:
            rows.append(("9/9 groups", f"{s['classes_covered']}/9", s["classes_covered"] == 9))
        if "label_accuracy" in s:
            rows.append((f"{prefix}label accuracy >= {100 * floors['label_accuracy']:.0f} %",
                         f"{100 * s['label_accuracy']:.1f} % (real "
                         f"{100 * r['label_accuracy']:.1f} %)",
                         s["label_accuracy"] >= floors["label_accuracy"]))
    return rows


def on_emoji(card):
    return card["config"]["dataset"] == "emoji"


def score_and_fd_rows(s, r, bounds, fd_digits, suffix=""):
    """The classifier-score and Fréchet-distance rows of samples `s` against real data `r`."""
    return [(f"classifier score >= {bounds['score']:.2f} x real{suffix}",
             f"{s['score']:.2f} = {s['score'] / r['score']:.3f} x {r['score']:.2f}",
             s["score"] >= bounds["score"] * r["score"]),
            (f"Fréchet distance <= {bounds['fd']:.0f} x floor{suffix}",
             f"{s['fd']:.1f} = {s['fd'] / r['fd']:.{fd_digits}f} x {r['fd']:.2f}",
             s["fd"] <= bounds["fd"] * r["fd"])]


def targets(card):
    """[(target, measured, met)]: the floors every default config must reach, then the aims."""
    m = card["metrics"]
    if on_emoji(card):
        return emoji_targets(m)
    rows = []
    if "samples" in m:
        s, r = m["samples"], m["real"]
        rows += [*score_and_fd_rows(s, r, FLOORS, fd_digits=1),
                 ("10/10 classes", f"{s['classes_covered']}/10", s["classes_covered"] == 10)]
        for name in ("recall", "coverage"):
            rows.append((f"{name} >= {FLOORS[name]} x real",
                         f"{s[name]:.3f} = {s[name] / r[name]:.2f} x {r[name]:.3f}",
                         s[name] >= FLOORS[name] * r[name]))
        if "label_accuracy" in s:
            rows.append((f"label accuracy >= {100 * FLOORS['label_accuracy']:.0f} %",
                         f"{100 * s['label_accuracy']:.1f} %",
                         s["label_accuracy"] >= FLOORS["label_accuracy"]))
        rows += [(f"aim: score >= {AIMS['score']:.2f} x real", f"{s['score'] / r['score']:.3f} x",
                  s["score"] >= AIMS["score"] * r["score"]),
                 (f"aim: Fréchet distance <= {AIMS['fd']:.0f} x floor",
                  f"{s['fd'] / r['fd']:.1f} x", s["fd"] <= AIMS["fd"] * r["fd"])]
    if "inputs" in m:  # paired: the translations against the untranslated inputs
        return paired_targets(m)
    for direction, ceiling in (("a_to_b", "real_b"), ("b_to_a", "real_a")):
        if direction in m and "label_preservation" in m[direction]:
            kept, top = m[direction]["label_preservation"], m[ceiling]["label_accuracy"]
            rows.append((f"{direction} label preservation >= "
                         f"{100 * FLOORS['label_preservation']:.0f} % of the classifier's "
                         f"accuracy on {ceiling}",
                         f"{100 * kept:.1f} % of {100 * top:.1f} % = {kept / top:.2f}",
                         kept >= FLOORS["label_preservation"] * top))
    return rows


def paired_targets(m, preservation=FLOORS["label_preservation"]):
    """A paired translation's targets: closer to the targets than its inputs are and, on
    digits, the label kept (>= `preservation`) where the inputs lose it."""
    out, baseline = m["a_to_b"], m["inputs"]
    rows = [("L1 to the targets below the inputs'",
             f"{out['l1']:.4f} vs {baseline['l1']:.4f}", out["l1"] < baseline["l1"]),
            ("PSNR above the inputs'", f"{out['psnr']:.2f} dB vs {baseline['psnr']:.2f} dB",
             out["psnr"] > baseline["psnr"])]
    if "label_preservation" in out:
        kept, before = out["label_preservation"], baseline["label_preservation"]
        rows += [
            (f"label preservation >= {100 * preservation:.0f} %",
             f"{100 * kept:.1f} % (inputs {100 * before:.1f} %, real targets "
             f"{100 * m['real_b']['label_accuracy']:.1f} %)",
             kept >= preservation),
            (f"Fréchet distance <= {FLOORS['fd']:.0f} x floor",
             f"{out['fd']:.1f} = {out['fd'] / m['real_b']['fd']:.1f} x {m['real_b']['fd']:.2f}",
             out["fd"] <= FLOORS["fd"] * m["real_b"]["fd"])]
    return rows


# The shipped weights' targets (tools/pretrain.py): trained up to 30 minutes, not 5.
PRETRAINED = {"score": 0.95, "fd": 3.0, "recall": 0.9, "label_accuracy": 0.99,
              "label_preservation": 0.9}
AS_CLOSE_AS_THEY_GET = ("vanilla", "wgan")  # their targets are the gap they leave
# pix2pix completion's label preservation: on the damage it trained on, and on the damage
# it never saw (tools/pretrain.py's ALSO_MEASURED)
COMPLETION_PRESERVATION = {"completion": 0.95, "completion_larger": 0.9, "completion_moved": 0.9}


def pretrained_targets(model, m, dataset=None):
    """[(target, measured, met)] of a shipped set's metrics `m` (evaluate's results on
    `dataset`)."""
    if m.get("dataset") == "emoji" or m.get("features") == "emoji":
        return emoji_targets(m)
    if "inputs" in m:
        return paired_targets(m, COMPLETION_PRESERVATION.get(dataset, FLOORS["label_preservation"]))
    rows = []
    if "samples" in m:
        s, r = m["samples"], m["real"]
        gap = " (the gap it leaves)" if model in AS_CLOSE_AS_THEY_GET else ""
        rows += [
            *score_and_fd_rows(s, r, PRETRAINED, fd_digits=2, suffix=gap),
            (f"recall >= {PRETRAINED['recall']} x real{gap}",
             f"{s['recall']:.3f} = {s['recall'] / r['recall']:.2f} x {r['recall']:.3f}",
             s["recall"] >= PRETRAINED["recall"] * r["recall"]),
            (f"10/10 classes{gap}", f"{s['classes_covered']}/10", s["classes_covered"] == 10)]
        if "label_accuracy" in s:
            rows.append((f"label accuracy >= {100 * PRETRAINED['label_accuracy']:.0f} %",
                         f"{100 * s['label_accuracy']:.1f} %",
                         s["label_accuracy"] >= PRETRAINED["label_accuracy"]))
    for direction, ceiling in (("a_to_b", "real_b"), ("b_to_a", "real_a")):
        if direction in m and "label_preservation" in m[direction] and ceiling in m:
            kept, top = m[direction]["label_preservation"], m[ceiling]["label_accuracy"]
            rows.append((f"{direction} label preservation >= "
                         f"{100 * PRETRAINED['label_preservation']:.0f} % of the classifier's "
                         f"accuracy on {ceiling}",
                         f"{100 * kept:.1f} % of {100 * top:.1f} % = {kept / top:.2f}",
                         kept >= PRETRAINED["label_preservation"] * top))
    return rows


PRETRAINED_START = "<!-- pretrained weights: tools/pretrain.py -->"
PRETRAINED_END = "<!-- end of pretrained weights -->"


def pretrained_section(name, variant=None):
    """The card's "Pretrained weights" section: the shipped sets of `name` on this card's
    data (tfgan_zoo/weights/index.json, written by tools/pretrain.py); [] if none."""
    from tfgan_zoo import pretrained

    sets = pretrained.index().get(name, {})
    shown = {k: v for k, v in sets.items() if (k == variant) == (variant is not None)
             and (variant is not None or k not in EMOJI_SETS)}
    if not shown:
        return []
    changes = getattr(importlib.import_module(f"zoo_configs.{name}"), "PRETRAIN", {})
    lines = [PRETRAINED_START, "## Pretrained weights", "",
             "Shipped in the package and used offline: `tfgan_zoo.models.get("
             f"{name!r}, weights=NAME)` builds the model as they were trained and loads them "
             "(their sha256 checked), the generate command draws from them, and "
             f"`--config.init_weights=NAME` fine-tunes them. {storage_text(shown)}, "
             "without the optimizers' state; these numbers are measured on the shipped file.",
             ""]
    for set_name, record in sorted(shown.items()):
        settings = ", ".join(f"`{k}={v}`" for k, v in changes.get(set_name, {}).items())
        metrics = record.get("metrics")
        lines += [f"### `{set_name}`", "",
                  f"Trained by `{record['command']}` (the config `{record['config']}`: the "
                  f"default with {settings}) on 2 CPU cores in "
                  f"{record['wall_seconds'] / 60:.1f} minutes; shipped as "
                  f"`tfgan_zoo/weights/{record['file']}` ({record['bytes'] / 1e6:.2f} MB, sha256 "
                  f"`{record['sha256']}`).", ""]
        lines += curve_table(record.get("curve"), changes.get(set_name, {}),
                             translation=bool(metrics) and "samples" not in metrics)
        if metrics:
            lines += [f"`tfgan-zoo evaluate --model={name} --weights={set_name}` ("
                      + measured_how(metrics) + "):", "", metrics_table(metrics), "",
                      "Against the shipped weights' targets:", "",
                      "| target | measured | met |", "|---|---|---|",
                      *[f"| {t} | {v} | {'yes' if ok else '**no**'} |"
                        for t, v, ok in pretrained_targets(name, metrics,
                                                           record["data"]["dataset"])], ""]
        for dataset, other in record.get("metrics_on", {}).items():
            lines += [f"On damage it never saw: `tfgan-zoo evaluate --model={name} "
                      f"--weights={set_name} --dataset={dataset}` ({DAMAGE_TEXT[dataset]}):", "",
                      "| target | measured | met |", "|---|---|---|",
                      *[f"| {t} | {v} | {'yes' if ok else '**no**'} |"
                        for t, v, ok in pretrained_targets(name, other, dataset)], ""]
        if (name, set_name) in PRETRAIN_TRIED:
            lines += ["What was tried for these weights:", "",
                      *[f"- {line}" for line in PRETRAIN_TRIED[(name, set_name)]], ""]
        for picture, command in pictures(name, set_name):
            if os.path.exists(os.path.join(ROOT, "docs", "images", picture)):
                inputs = (f" (PATH: {TRANSLATED_INPUTS} held-out test inputs, evenly spaced "
                          "through the split; each row of inputs above their translations)"
                          if "PATH" in command else "")
                lines += [f"![{name} {set_name}](../images/{picture})", "",
                          f"Made by `{command}`{inputs}.", ""]
    return [*lines, PRETRAINED_END, ""]


DAMAGE_TEXT = {  # tfgan_zoo/data/paired.py; the ink removed from the held-out digits, measured
    "completion_larger": "a block of a third to a half of the digit's bounding box, where "
                         "training removes a quarter to a third: 45 % of the ink, not 32 %",
    "completion_moved": "a training-sized block centred on the bounding box's border, partly "
                        "outside the box, where training keeps it inside: 14 % of the ink"}


def storage_text(records):
    int8 = any(r.get("storage") == "int8 kernels" for r in records.values())
    ema = any(r["hparams"].get("ema_decay") for r in records.values())
    return ("Stored as float16" if not int8 else
            "Stored with each kernel as int8 and a float16 scale per output channel, the rest as "
            "float16 (a quarter of float32: the zoo's sets together must stay under 40 MB)") + (
        ", G as its moving average (the raw G starts from it when fine-tuning)" if ema else "")


# Pretraining runs and what they showed, for the sets that miss a target.
PRETRAIN_TRIED = {
    ("dcgan", "mnist"): [
        "The default's recipe for 250 epochs (7x its 35), the rates constant for 125 and then "
        "falling linearly to 0 (these weights): the Fréchet distance falls from 52 to 27 and "
        "the score rises from 7.4 to 8.1, but both flatten from epoch 175 (FD 29.1, 27.4, "
        "26.8): longer training alone does not reach 3x the floor and 0.95x the score. "
        "Precision 0.68 against real data's 0.94: about a third of the samples lie off the "
        "real digits, which is what the score counts.",
    ],
    ("vanilla", "mnist"): [
        "1,600 epochs (8x the default's 200), the rates falling to 0 from epoch 800: the Fréchet "
        "distance is lowest near epoch 250-400 (64.5-75) and then rises to 528 at epoch 1,200, "
        "as the share of samples that copy a training digit rises from 1 % to 30 % (score 2.1); "
        "stopped at epoch 1,300.",
        "400 epochs, the rates falling to 0 from epoch 200: FD 64.5 at epoch 250, 85 at 400 "
        "(score 7.15, recall 0.72): the decay does not help these MLPs.",
        "250 epochs at the default's constant rate (these weights): where the runs above were "
        "best. The gap to the targets is this model's: MLPs on 4,480 digits.",
    ],
    ("cyclegan", "digits"): [
        "The default's recipe for 60 epochs (6x its 10), the rates constant for 30 and then "
        "falling linearly to 0 (these weights): the Fréchet distances fall (a_to_b 89 to 60, "
        "b_to_a 170 to 137) as the translations take on the other domain's style, and the "
        "share of digits that keep their class falls with them (a_to_b 70 % to 62 %, b_to_a "
        "89 % to 73 %), most of it by epoch 20. Nothing in CycleGAN's losses asks the class to "
        "survive: a translation that changes the digit and hides how to change it back meets "
        "the cycle loss as well (Chu et al. 2017, \"CycleGAN, a master of steganography\", "
        "arXiv:1712.02950). The default's 10 epochs keep more (70 %, 89 %); the targets are "
        "missed either way.",
        "Screened next, the default's 10 epochs with one change each (runs/screen, the "
        "evaluation at epochs 5 and 10): one residual block, not 3 (a smaller field of view "
        "to redraw the digit with), keeps 91.8 % and 94.4 % at epoch 5 (both targets met, FD "
        "100 and 189) and 79.0 % and 90.5 % at epoch 10 (FD 93 and 168, as the default's 89 and "
        "170); a cycle weight of 30, not 10, keeps 82.6 % and 93.3 % at epoch 5 and 79.4 % and "
        "92.2 % at epoch 10 (FD 104 and 170). Both keep more of the class than the default at "
        "the same distances; the next weights combine them on a short schedule.",
    ],
    ("pix2pix", "completion"): [
        "The default's recipe for 100 epochs (4x its 25), the rates constant for 50 and then "
        "falling linearly to 0 (these weights): PSNR rises from 18.2 to 19.6 dB, but the share "
        "of completed digits that keep their class stays at 0.91-0.93 from epoch 30 (500 "
        "held-out digits: +-1.3 points of sampling noise) and ends at 90.8 %, under the 95 % "
        "target (the default's 25 epochs: 93 %). Each training digit carries one fixed block, "
        "seen 100 times: fresh blocks every epoch are the next thing to try.",
        "On damage it never saw, a larger block keeps 84.2 % (target 90 %: missed) and a block "
        "on the digit's border 90.2 % (met), but there its PSNR falls under the damaged "
        "input's (20.6 against 25.7 dB): it repaints strokes such a block mostly left whole.",
    ],
    ("wgan", "mnist"): [
        "The default's recipe (weight clipping, one critic update a G update) for 500 epochs "
        "(6x its 80), the rates constant for 250 and then falling linearly to 0 (these "
        "weights): the Fréchet distance falls from 157 to 64 by epoch 400 and then stays "
        "(64.2, 63.5), the score from 5.2 to 7.2; the gap to wgan_gp's targets is a 0.73x "
        "score and 8.8x the floor's FD, where wgan_gp's gradient penalty reaches 0.83x and "
        "3.03x in half the epochs: the clipped critic is the limit the WGAN-GP paper "
        "describes (its sec. 3).",
    ],
    ("wgan_gp", "mnist"): [
        "The default's recipe for 250 epochs (5x its 50), the rates constant for 125 and then "
        "falling linearly to 0 (these weights): the Fréchet distance falls from 78 to 22.2, "
        "3.03x the floor, 1 % above the target, still falling slowly at the end (24.2, 23.2, "
        "22.7 at epochs 200-250, 2,000 samples); recall 0.91 meets its target from epoch 100. "
        "The score rises from 6.8 to 8.1 and flattens from epoch 150 (8.0, 8.0, 8.1): "
        "precision 0.67 against real data's 0.94, as dcgan's, a third of the samples off the "
        "real digits.",
    ],
    ("cgan", "mnist"): [
        "The default's recipe for 200 epochs (8x its 25), the rates constant for 100 and then "
        "falling linearly to 0 (these weights): every target but recall is met by epoch 75 "
        "(FD 1.04x the floor, label accuracy 99.7 %); recall stays at 0.82-0.83 while the rate "
        "is constant and falls to 0.79 as it decays, as precision rises to 0.95: the samples "
        "are real-looking digits from a narrower range of styles than the real ones (coverage "
        "0.88 counts samples near real digits, recall real digits near samples).",
    ],
}


def curve_table(curve, changes, translation=False):
    """The evaluations during a pretraining run (2,000 samples each, or a translation's
    held-out test split) as a table, epochs across."""
    if not curve:
        return []
    decay = changes.get("optimizer.decay_from_epoch")
    metrics = [m for m in curve[-1][1] if m.split("/")[-1] in ("fd", "swd", "score", "recall",
                                                               "label_accuracy",
                                                               "label_preservation")]
    lines = ["During the run (the evaluation callback, "
             + ("on the held-out test split" if translation else "2,000 samples each")
             + (f"; the learning rates fall to 0 from epoch {decay}" if decay is not None else "")
             + "):", "",
             "| epoch | " + " | ".join(str(epoch) for epoch, _ in curve) + " |",
             "|---|" + "---|" * len(curve)]
    for metric in metrics:
        lines.append(f"| {metric} | " + " | ".join(
            f"{values[metric]:.3g}" if metric in values else "" for _, values in curve) + " |")
    return [*lines, ""]


EMOJI_SETS = ("emoji",)  # shipped sets shown on a card of their own (NAME_emoji.md)


def generate_command(name, set_name, output="grid.png"):
    """The command that draws a set's picture: a conditional model's classes in turn, so
    each column of the square grid is one class (10x10 digits, 9x9 emoji groups)."""
    num = {"mnist": 100, "emoji": 81}.get(set_name) if name == "cgan" else None
    return (f"tfgan-zoo generate --model={name} --weights={set_name}"
            + (f" --num={num}" if num else "") + f" --output={output}")


TRANSLATED_INPUTS = 32  # held-out test inputs in a translation set's picture


def pictures(name, set_name, output="grid.png"):
    """[(picture file in docs/images, the command that draws it)] of a shipped set: one
    grid, or for a translation model one a direction, each of PATH: the first
    TRANSLATED_INPUTS held-out test inputs (tools/pretrain.py writes them)."""
    directions = getattr(models.lookup(name), "directions", None)
    if directions is None:
        return [(f"{name}_{set_name}_pretrained.png", generate_command(name, set_name, output))]
    return [(f"{name}_{set_name}_pretrained" + (f"_{d}" if len(directions) > 1 else "") + ".png",
             f"tfgan-zoo generate --model={name} --weights={set_name}"
             + (f" --direction={d}" if len(directions) > 1 else "")
             + f" --input=PATH --output={output}") for d in directions]


WEIGHTS_START = "<!-- shipped weights table: tools/pretrain.py -->"
WEIGHTS_END = "<!-- end of shipped weights table -->"


def targets_summary(model, record):
    """"met", or what a shipped set misses and by how much (its card's target rows)."""
    if model in AS_CLOSE_AS_THEY_GET:
        return "none: as close as it gets (the card states the gap)"
    rows = pretrained_targets(model, record["metrics"], record["data"]["dataset"])
    rows += [(f"on {dataset}: {target}", measured, met)
             for dataset, m in record.get("metrics_on", {}).items()
             for target, measured, met in pretrained_targets(model, m, dataset)]
    missed = [f"{target.split(' (')[0]}: {measured}" for target, measured, met in rows if not met]
    return "all met" if not missed else "**missed** " + "; ".join(missed)


def write_weights_table():
    """The README's table of the shipped weights, from tfgan_zoo/weights/index.json."""
    from tfgan_zoo import pretrained

    rows = ["| weights | measured (model / real data) | targets | trained | size | card |",
            "|---|---|---|---|---|---|"]
    total = 0
    for model, sets in pretrained.index().items():
        for set_name, record in sorted(sets.items()):
            total += record["bytes"]
            card = f"{model}_{set_name}" if set_name in EMOJI_SETS else model
            shown = headline({"metrics": record["metrics"], "config": record["data"]})
            rows.append(f"| `{model}` `{set_name}` | {shown} | {targets_summary(model, record)} | "
                        f"{record['wall_seconds'] / 60:.0f} min | {record['bytes'] / 1e6:.1f} MB | "
                        f"[{card}.md](docs/models/{card}.md#pretrained-weights) |")
    path = os.path.join(ROOT, "README.md")
    with open(path) as f:
        readme = f.read()
    start, end = readme.index(WEIGHTS_START), readme.index(WEIGHTS_END)
    readme = (readme[:start + len(WEIGHTS_START)] + "\n" + "\n".join(rows) + "\n\n"
              f"All together {total / 1e6:.1f} MB.\n" + readme[end:])
    with open(path, "w") as f:
        f.write(readme)


def update_pretrained_section(name):
    """Rewrites the "Pretrained weights" sections of `name`'s cards in place."""
    for variant in (None, *EMOJI_SETS):
        path = os.path.join(ROOT, "docs", "models", f"{name}_{variant}.md" if variant else f"{name}.md")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            text = f.read()
        section = "\n".join(pretrained_section(name, variant))
        if PRETRAINED_START in text:
            before, rest = text.split(PRETRAINED_START, 1)
            text = before + section + rest.split(PRETRAINED_END + "\n", 1)[1].lstrip("\n")
        else:  # after the default's samples
            key = f"{name}_{variant}" if variant else name
            image = f"![{key} samples](../images/{key}_samples.png)\n\n"
            text = text.replace(image, image + section, 1)
        with open(path, "w") as f:
            f.write(text)


def metrics_table(metrics):
    groups = [g for g, v in metrics.items() if isinstance(v, dict)]
    names = ["l1", "psnr", "fd", "kd", "swd", "memorized", "score", "precision", "recall",
             "density", "coverage", "classes_covered", "label_accuracy", "label_preservation"]
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


def optimizer_text(card, cls):
    changed = {k: v for k, v in card["config"]["optimizer"].items() if v is not None}
    paper = f"the paper's (`{cls.__name__}.default_optimizers`)"
    if not changed:
        return paper
    return paper + " with " + ", ".join(f"`{k}={v}`" for k, v in changed.items())


# Changes to a default's networks, with the card's headline before them (from the card
# then committed): (date, what changed, the measurement before).
FOLLOW_SIZE = "2026-12-07: networks follow the image size"
HISTORY = {
    "dcgan": [(FOLLOW_SIZE, "G starts from the smallest map of at least 4x4 "
               "(7x7 here) and doubles to 28x28, channels from width * 2**(n-1), no biases as "
               "pytorch/examples; width 64 (was 32 under the old rule: D unchanged, G one "
               "stride-1 layer fewer)", "score 7.71, FD 6.0x floor, recall 0.85, 10/10 "
               "classes, 3.4 min")],
    "cgan": [(FOLLOW_SIZE, "DCGAN's networks as dcgan's, width 64",
              "score 9.77, FD 1.6x floor, recall 0.78, label accuracy 98 %, 3.1 min")],
    "wgan": [(FOLLOW_SIZE, "DCGAN's networks as dcgan's, width 32 (was 16); 80 epochs (was "
              "60: at 60 the new networks measured score 5.42, FD 19.0x, recall 0.63)",
              "score 5.82, FD 17.1x floor, recall 0.67, 8/10 classes, 2.7 min")],
    "wgan_gp": [(FOLLOW_SIZE, "DCGAN's networks as dcgan's, width 32 (was 16); 50 epochs "
                 "(was 40: at 40 the new networks measured score 7.16, FD 8.6x, recall 0.84, "
                 "9/10 classes)",
                 "score 7.53, FD 6.1x floor, recall 0.87, 10/10 classes, 3.4 min")],
    "cyclegan": [(FOLLOW_SIZE, "the reference code's generator (reflection "
                  "padding, instance norm without affine parameters, conv biases) and "
                  "PatchGAN; domain B resized to A's size by the loader, not by image_size",
                  "label kept 62 % MNIST -> sklearn, 81 % sklearn -> MNIST, 2.7 min")],
    "pix2pix": [(FOLLOW_SIZE, "the reference code's U-Net (no conv biases but "
                 "the output's, no batch norm on the innermost down-sampling) and a PatchGAN "
                 "with batch norm (was instance norm)", "label kept 92 %, PSNR 18.7 dB, "
                 "5.5 min; edges 98 %")],
}


def history_section(name):
    if name not in HISTORY:
        return []
    return ["## Changes to the default", "",
            "| when | change | measured before it |", "|---|---|---|",
            *[f"| {date} | {what} | {before} |" for date, what, before in HISTORY[name]], ""]


# Earlier card runs of the colour configs, with the settings then (the same measurement
# as the card; the runs' card.json kept outside the repository): (what, settings, result).
TRIED_CARD_RUNS = {
    "dcgan_emoji": [
        ("70 epochs", "train.epochs=70",
         "FD 67.0 = 5.6x floor, SWD 78.8 = 5.9x, recall 0.56, memorized 1.0 %, 8.4 min; at "
         "80 (the default) the in-training SWD flattens after epoch 64: 74.5, then 77.7"),
    ],
    "cgan_emoji": [
        ("40 epochs at the digits' rates (5e-4)", "train.epochs=40",
         "FD 278.9 = 23x floor, SWD 193.2 = 14.6x, label accuracy 31.6 %, 8/9 groups, "
         "Smileys and Symbols each one image, 6.4 min"),
    ],
    "wgan_gp_emoji": [
        ("30 epochs, two critic updates a step (the digits' setting)",
         "train.epochs=30 hparams.d_steps=2", "FD 259.6 = 21.5x floor, SWD 98.3 = 7.4x, "
         "recall 0.22, 6/9 groups, 9.4 min (the default)"),
        ("50 epochs of one critic update a step", "train.epochs=50 hparams.d_steps=1",
         "FD 337.1 = 28x floor, SWD 96.8 = 7.3x, recall 0.08, 5/9 groups"),
    ],
}


def tried_section(name):
    if name in TRIED_CARD_RUNS:
        command = ":".join(name.rsplit("_", 1))  # dcgan_emoji -> dcgan:emoji
        return ["## What was tried", "",
                f"Runs of `python tools/make_cards.py {command}` with these settings:", "",
                "| change | settings | result |", "|---|---|---|",
                *[f"| {what} | `{settings}` | {result} |"
                  for what, settings, result in TRIED_CARD_RUNS[name]], ""]
    if name not in TRIED:
        return []
    return ["## What was tried", "",
            f"Tuning runs of `python tools/ablate_tricks.py {name} --only=ROW --set ...` "
            "(the same measurement; `...` repeats the row above's other settings):", "",
            "| change | settings | result |", "|---|---|---|",
            *[f"| {what} | `{settings}` | {result} |" for what, settings, result in TRIED[name]],
            ""]


def variant_section(card):
    """The card's section on a config variant's run (e.g. the paper's settings)."""
    name, variant = card["name"], card["variant"]
    train_cfg = card["config"]["train"]
    return [
        f"## The `{variant}` variant", "",
        f"`tfgan-zoo --config=zoo_configs/{name}.py:{variant}` with "
        f"`--config.train.epochs={train_cfg['epochs']}`: "
        f"{card['wall_seconds'] / 60:.1f} minutes, measured the same way "
        f"(`python tools/make_cards.py {name}:{variant}`):", "",
        metrics_table(card["metrics"]), "",
        "| target | measured | met |", "|---|---|---|",
        *[f"| {t} | {v} | {'yes' if ok else '**no**'} |" for t, v, ok in targets(card)], "",
        f"![{name} {variant} samples](../images/{name}_{variant}_samples.png)", ""]


def write_card(card, variants=(), own_cards=()):
    """docs/models/NAME.md (or NAME_VARIANT.md for a variant with a card of its own):
    `variants` become sections, `own_cards` links."""
    name, variant = card["name"], card.get("variant")
    key = f"{name}_{variant}" if variant else name
    command = (f"tfgan-zoo --config=zoo_configs/{name}.py:{variant}" if variant
               else f"tfgan-zoo --model={name}")
    cls = models.lookup(name)
    title, body = description(cls)
    config_module = importlib.import_module(f"zoo_configs.{name}")
    hparams = ", ".join(f"`{k}={v!r}`" for k, v in card["config"]["hparams"].items())
    train_cfg = card["config"]["train"]
    eval_share = card["eval_seconds"] / card["wall_seconds"]
    size = card["config"].get("image_size")
    lines = [
        f"# {name}" + (f" on {card['config']['dataset']}" if variant else ""), "", title, "",
        f"Code: `tfgan_zoo/models/{name}.py`; config: `zoo_configs/{name}.py`"
        + (f", its `{variant}` variant" if variant else "") + ".", "", body, "",
        *[f"Also measured: [{other['name']} on {other['config']['dataset']}]"
          f"({other['name']}_{other['variant']}.md).\n" for other in own_cards],
        "## Defaults", "",
        f"`{command}`: {hparams}; {train_cfg['epochs']} epochs of batch "
        f"{train_cfg['batch_size']} on `{card['config']['dataset']}`"
        + (f" at {size[0]}x{size[1]}" if size else "")
        + (f" and `{card['config'].get('dataset_b')}`" if card["config"].get("dataset_b")
           else "") + f"; optimizers: {optimizer_text(card, cls)}.", "",
        "Its config file says:", "", "```", inspect.cleandoc(config_module.__doc__), "```", "",
        "## Measured", "",
        f"`python tools/make_cards.py {name}{':' + variant if variant else ''}` on 2 CPU "
        f"cores: {card['wall_seconds'] / 60:.1f} "
        f"minutes of training (TensorFlow's start-up excluded), of which "
        f"{100 * eval_share:.0f} % measuring the samples during training "
        f"({card['evaluations']} evaluations). Then the evaluate command ("
        + measured_how(card["metrics"]) + "):", "",
        metrics_table(card["metrics"]), "",
        "Against the zoo's targets for a default config (floors), and its aims:", "",
        "| target | measured | met |", "|---|---|---|",
        *[f"| {t} | {v} | {'yes' if ok else '**no**'} |" for t, v, ok in targets(card)], "",
        f"![{key} samples](../images/{key}_samples.png)", "",
        *pretrained_section(name, variant),
        *[line for other in variants for line in variant_section(other)],
        *([] if variant else paper_section(name)),
        *history_section(key),
        *tried_section(key),
    ]
    with open(os.path.join(ROOT, "docs", "models", f"{key}.md"), "w") as f:
        f.write("\n".join(lines))


def paper_section(name):
    """The `:paper` config: its command, data and networks beside the reference's, and the
    time on paper (tools/paper_times.py wrote docs/paper_experiments.json)."""
    with open(os.path.join(ROOT, "docs", "paper_experiments.json")) as f:
        found = json.load(f).get(name)
    if found is None:
        return []
    source = inspect.getsource(importlib.import_module(f"zoo_configs.{name}")).splitlines()
    recipe = []  # the comment above PAPER = {...}
    for line in reversed(source[:next(i for i, l in enumerate(source)
                                      if l.startswith("PAPER ="))]):
        if not line.startswith("#"):
            break
        recipe.insert(0, line[2:])
    (g, d), (rg, rd) = found["parameters"], found["reference_parameters"]
    pg, pd = found["reference_printed"]
    reference = ", ".join(f"{k}={tuple(v) if isinstance(v, list) else v!r}"
                          for k, v in found["reference_hparams"].items())
    shape = "x".join(str(s) for s in found["image_shape"])
    return [
        "## Paper experiment", "",
        f"`{found['command']}` (needs its data: internet for TFDS, or the download its config "
        "names; a GPU for the time below):", "",
        *recipe, "",
        f"- data: `{found['dataset']}`, {shape}, {found['images_per_epoch']:,} training images "
        f"an epoch; batch {found['batch_size']}, {found['epochs']} epochs "
        f"({found['steps']:,} steps)",
        f"- trainable parameters of its networks: G {g:,}, D {d:,}"
        + (" (each of the two)" if name == "cyclegan" else ""),
        f"- the reference network ({reference}): G {rg:,}, D {rd:,} here; the reference "
        f"implementation: G {pg:,}, D {pd:,} ({found['reference_source']}; "
        "tests/test_sizes.py asserts them)",
        f"- on paper: {paper_times_summary(found)}", "",
        "Tested here at that resolution for two steps on generated or mocked data, with small "
        "networks (tests/test_paper_configs.py); not trained here: this machine has no GPU "
        "and no internet.", "",
    ]


def paper_times_summary(found):
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import paper_times
    return paper_times.summary(found)


def measured_how(metrics):
    features = {"digits": "the digit classifier's features", "emoji": "the emoji classifier's "
                "features", "none": "no feature network"}.get(metrics.get("features", "digits"),
                                                             f"{metrics['features']} features")
    if "inputs" in metrics:
        return ("every held-out test pair: its translation against its target (L1, PSNR on the "
                f"[0, 1] pixel scale) and against the training targets with {features}; "
                "`inputs` is the untranslated input, the baseline to beat; `real_b` the real "
                "test targets, the ceiling")
    return ((f"{metrics['num_samples']:,} samples against the training split"
             if "samples" in metrics else
             "each domain's held-out test split translated, against the other domain's "
             f"training split") + f"; {features}; the floor is the "
            "held-out real test split against the training split")


def headline(card):
    m = card["metrics"]
    if "inputs" in m:
        out, baseline = m["a_to_b"], m["inputs"]
        text = f"PSNR {out['psnr']:.1f} dB (inputs {baseline['psnr']:.1f})"
        if "label_preservation" in out:
            text = (f"label kept {100 * out['label_preservation']:.0f} % (inputs "
                    f"{100 * baseline['label_preservation']:.0f} %), " + text)
        return text
    if "samples" in m and on_emoji(card):
        s, r = m["samples"], m["real"]
        text = (f"FD {s['fd'] / r['fd']:.1f}× floor, SWD {s['swd'] / r['swd']:.1f}× floor, "
                f"{s['classes_covered']}/9 groups, memorized {100 * s['memorized']:.1f} % "
                f"(real {100 * r['memorized']:.1f} %)")
        if "label_accuracy" in s:
            text += f", label accuracy {100 * s['label_accuracy']:.1f} %"
        return text
    if "samples" in m:
        s, r = m["samples"], m["real"]
        text = (f"score {s['score']:.2f} / {r['score']:.2f}, FD {s['fd'] / r['fd']:.1f}× floor, "
                f"recall {s['recall']:.2f} / {r['recall']:.2f}, {s['classes_covered']}/10 classes")
        if "label_accuracy" in s:
            text += f", label accuracy {100 * s['label_accuracy']:.1f} %"
        return text
    parts = [f"{d}: label kept {100 * m[d]['label_preservation']:.0f} %"
             for d in ("a_to_b", "b_to_a") if "label_preservation" in m.get(d, {})]
    return ", ".join(parts)


def write_readme_table(cards):
    path = os.path.join(ROOT, "README.md")
    with open(path) as f:
        readme = f.read()
    start, end = readme.index(TABLE_START), readme.index(TABLE_END)
    # the models not measured this time keep their rows
    by_name = {line.split("|")[1].strip(" `"): line
               for line in readme[start + len(TABLE_START):end].strip().splitlines()[2:]}
    for card in cards:
        cls = models.lookup(card["name"])
        variant = card.get("variant")
        shown, key = ((f"{card['name']}:{variant}", f"{card['name']}_{variant}") if variant
                      else (card["name"], card["name"]))
        by_name[shown] = (
            f"| `{shown}` | {cls.paper.split(', arXiv')[0]} | {headline(card)} | "
            f"{card['wall_seconds'] / 60:.1f} min | [{key}.md](docs/models/{key}.md) |")
    rows = ["| name | paper | measured (model / real data) | time | card |", "|---|---|---|---|---|"]
    rows += [by_name[name] for name in sorted(by_name)]
    readme = readme[:start + len(TABLE_START)] + "\n" + "\n".join(rows) + "\n" + readme[end:]
    with open(path, "w") as f:
        f.write(readme)


def main(argv):
    reuse = "--reuse" in argv
    runs = [a.partition(":")[::2] for a in argv[1:] if not a.startswith("--")]
    runs = runs or [(name, "") for name in models.names()]
    order = ["dcgan", "cgan", "vanilla", "cyclegan", "wgan", "wgan_gp", "pix2pix"]  # cheapest first
    runs.sort(key=lambda r: order.index(r[0]) if r[0] in order else len(order))
    if "--reevaluate" in argv:  # the runs measured before the card had every metric
        for path in sorted(glob.glob(os.path.join(RUNS, "*", "card.json"))):
            with open(path) as f:
                metrics = json.load(f)["metrics"]
            if "swd" not in json.dumps(metrics):
                reevaluate(os.path.dirname(path))
    elif not reuse:
        for name, variant in runs:
            measure(name, variant or None)
    cards = []
    for name in models.names():
        path = os.path.join(RUNS, name, "card.json")
        if os.path.exists(path):
            with open(path) as f:
                cards.append(json.load(f))
            sections, own = [], []
            for other in sorted(glob.glob(os.path.join(RUNS, f"{name}_*", "card.json"))):
                with open(other) as f:
                    variant = json.load(f)
                if variant["name"] == name and variant.get("variant"):  # not wgan_gp for wgan
                    (own if on_emoji(variant) else sections).append(variant)
            write_card(cards[-1], sections, own)
            for variant in own:
                write_card(variant)
            cards += own
    write_readme_table(cards)


if __name__ == "__main__":
    main(sys.argv)
