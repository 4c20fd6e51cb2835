"""The whole config surface, fuzzed through the CLI: every field `tfgan-zoo --help` shows,
for every registered model, set to values outside its declared range (negative, zero,
huge, the wrong type, NaN, inf, empty, unknown names) and inside it. Each draw either
trains (exit 0, samples written) or is refused with exactly one line that docs/errors.md
documents, exit status 2, no traceback, and no workdir made.

In-process (`cli.run`), from the model's tiny variant at one epoch of one step. Two tests:
  values outside a range: 1 to 3 fields a draw, OUTSIDE draws per model; each is refused
    before anything runs, by the message of one of the drawn fields (a few ms each);
  values inside the ranges: every field a draw, each set (with probability 1/2) to a value
    inside its range, INSIDE draws per model, the first with every field at its lower
    bound; each trains, or meets a documented limit of a combination (a PatchGAN deeper
    than the image, label smoothing with the hinge loss, ...), or diverges (exit 1).
About a minute on 2 cores (the second test is marked slow). Some fields keep values a test process can run: `distribute` is
`default` (a process holds one strategy: test_distributed.py runs the others),
`train.run_eagerly` True (tracing a step costs seconds; every other test trains traced
steps), `dataset` an offline set, and the run 1 or 2 epochs of 1 or 2 steps.
"""
import os
import pathlib
import re

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from conftest import run_here
from tfgan_zoo import cli, models, ranges
from zoo_configs import base

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "errors.md"
# Draws per model; a draw inside the ranges trains (about 1.5 s). A longer search:
# TFGAN_ZOO_FUZZ_EXAMPLES=10 python -m pytest tests/test_config_fuzz.py (10x the draws)
SCALE = int(os.environ.get("TFGAN_ZOO_FUZZ_EXAMPLES", 1))
OUTSIDE, INSIDE = 150 * SCALE, 3 * SCALE
SHORT = ["--config.train.epochs=1", "--config.train.steps_per_epoch=1"]

# Every message a draw may end in (besides a range's own, checked against the declaration);
# test_every_pattern_is_a_documented_message ties each to a row of docs/errors.md.
DOCUMENTED = [
    r"(d_layers|depth)=\d+ halves \d+x\d+ images \d+ times, but \d+ already take them to one "
    r"pixel: use at most \d+, or larger images \(config: image_size\)",
    r"the [\w ]+ halves the image size \d+ times, so height and width must be multiples of \d+"
    r"( and at least \d+)?, but the images are \d+x\d+: resize them \(config: image_size, "
    r"e\.g\. --config\.image_size='\(\d+, \d+\)'\)",
    r"the DCGAN networks double a map of at least 4x4 up to the image size, so height and "
    r"width must be even and at least 8, but the images are \d+x\d+: resize them \(config: "
    r"image_size, e\.g\. --config\.image_size='\(\d+, \d+\)'\)",
    r"optimizer\.decay_from_epoch=\d+ starts the decay after the last of \d+ epochs: .*",
    r"dataset '.*' holds \d+ \w+ images, fewer than the \d+ the metrics compare against .*",
    r"load_size=.* is the size images are resized to before a random crop of image_size, .*",
    r"label smoothing lowers a real target, which the \w+ loss does not have: .*",
    r"unknown dataset '.*': use mnist, digits, emoji \(offline\), tfds:NAME, folder:PATH or npz:PATH",
    r"unknown paired dataset '.*': use completion, completion_larger, completion_moved, edges, "
    r"colorization \(offline\), .*",
    r"tfds:.*: Dataset .* not found: check the name .*",
    r"folder:.* is not a directory",
    r"npz:.*: no such file",
    r"'.*' is not a device name: use e\.g\. /gpu:0,/gpu:1 \(config: devices\)",
    r"dataset_b '.*' pairs only with a folder of inputs: .*",
    r"devices are chosen for the mirrored strategy only, not 'default': drop config\.devices "
    r"or set config\.distribute=mirrored",
    r"dataset '.*' \(train\) has \d+ images, fewer than one batch of \d+: use a smaller batch "
    r"size \(config: train\.batch_size\)",
    r"\w+ has no \w+: drop config\.optimizer\.\w+ or choose an optimizer that has it "
    r"\(config\.optimizer\.name\)",
    r"'.*' is one domain; unpaired training needs two: .*",
    r"the two domains' images differ: .*",
    r"InceptionV3's weights are not in the Keras cache and could not be downloaded: .*",
]
DIVERGED = r"training diverged at step \d+: .*"
RANGE_MESSAGE = re.compile(r"config\.(?P<field>[\w.]+) must be (?P<allowed>.+), not (?P<value>.*)")

NAMES = models.names()


def tiny_config(name):
    return cli.load_config_module(config_string(name))[0].get_config("tiny")


def config_string(name):
    return f"{cli.config_path(name)}:tiny"


def number(value):
    return repr(value) if isinstance(value, float) else str(value)


def outside(allowed):
    """Command-line values outside `allowed`: just past each bound, far past, the wrong type,
    NaN, inf, empty, unknown names ([] for a range that takes any string)."""
    if isinstance(allowed, ranges.Optional):
        return outside(allowed.kind)
    junk = ["x", "", "nan", "inf", "-inf"]
    if isinstance(allowed, ranges.Whole):
        far = [str(10**12)] if allowed.most is not None else []
        near = [str(allowed.least - 1)] + ([str(allowed.most + 1)] if allowed.most else [])
        return near + far + ["-1", "1.5", "(1, 2)", *junk]
    if isinstance(allowed, ranges.Real):
        values = ["x", "", "nan", "inf", "-inf", "1e400", "(1, 2)"]
        if allowed.low is not None:
            values += [number(allowed.low - 1.0), number(allowed.low - 1e-9), "-1e30"]
            values += [number(allowed.low)] if allowed.low_open else []
        if allowed.high is not None:
            values += [number(allowed.high + 1.0), "1e30"]
            values += [number(allowed.high)] if allowed.high_open else []
        return values
    if isinstance(allowed, ranges.OneOf):
        return ["nope", "", "2", "x", str(allowed.choices[0]).upper() + "X"]
    if isinstance(allowed, ranges.Flag):
        return ["maybe", "2", "", "yes please"]
    if isinstance(allowed, ranges.NameList):
        return [f"{allowed.names[0]},flip", "nope", ",,x"]
    if isinstance(allowed, ranges.Sizes):
        return ["(0, 28)", "28", "(28,)", "(-4, 8)", "(1e9, 2)", "(28, 28, 1)", "abc",
                "(5000, 5000)", "(28.5, 28)", ""]
    if isinstance(allowed, ranges.Text):
        return [] if allowed.empty else ["", "   "]
    return ["nope", "", "1"]  # a registered name


def inside(allowed):
    """A strategy of small command-line values inside `allowed`, its lower bound often."""
    if isinstance(allowed, ranges.Optional):
        return st.just("None") | inside(allowed.kind)
    if isinstance(allowed, ranges.Whole):
        return st.sampled_from([allowed.least, allowed.least + 1]).map(str) | st.integers(
            allowed.least, allowed.least + 3).map(str)
    if isinstance(allowed, ranges.Real):
        low = allowed.low if allowed.low is not None else -1.0
        return st.floats(low, low + 1.0 if allowed.high is None else min(allowed.high, low + 1),
                         exclude_min=allowed.low_open,
                         exclude_max=allowed.high_open or allowed.high is None).map(number)
    if isinstance(allowed, ranges.OneOf):
        return st.sampled_from([str(choice) for choice in allowed.choices])
    if isinstance(allowed, ranges.Flag):
        return st.sampled_from(["False", "True"])
    if isinstance(allowed, ranges.NameList):
        return st.lists(st.sampled_from(allowed.names), max_size=3, unique=True).map(",".join)
    if isinstance(allowed, ranges.Sizes):
        return st.sampled_from(["(28, 28)", "(16, 16)", "(32, 32)", "(8, 12)", "(4, 4)",
                                "(12, 20)"])
    raise AssertionError(f"no values inside {allowed!r}: give the field a SAME_FIELDS pool")


# Fields whose values inside the range are names of things: the ones a test can run.
SAME_FIELDS = {
    "model": None, "distribute": None, "devices": None, "eval.inception_weights": None,
    "init_weights": None,
    "train.run_eagerly": ["True"], "data_dir": ["None", "/tmp"], "input_side": None,
    # a few steps: None steps per epoch is a pass over the data, thousands of eager steps
    "train.epochs": ["1", "2"], "train.steps_per_epoch": ["1", "2"],
}
DATASETS = {"images": ["mnist", "digits"], "labelled": ["mnist", "digits"],
            "unpaired": ["mnist", "digits"], "paired": ["completion", "edges", "colorization"]}


def pool(config, field):
    """The values inside `field`'s range that a draw may take; None: keep the default."""
    if field in SAME_FIELDS:
        return SAME_FIELDS[field] and st.sampled_from(SAME_FIELDS[field])
    kind = models.lookup(config.model).data_kind
    if field == "dataset":
        return st.sampled_from(DATASETS[kind])
    if field == "dataset_b":
        return st.sampled_from(DATASETS[kind] if kind == "unpaired" else [""])
    return inside(base.allowed(config, field))


def lowest(config):
    """Every field that draws numbers at its lower bound."""
    drawn = []
    for field, _ in base.leaves(config):
        allowed = base.allowed(config, field)
        inner = allowed.kind if isinstance(allowed, ranges.Optional) else allowed
        if field not in SAME_FIELDS and isinstance(inner, (ranges.Whole, ranges.Real)):
            low = inner.least if isinstance(inner, ranges.Whole) else inner.low
            drawn.append((field, number(low + 1e-3 if getattr(inner, "low_open", False)
                                        else low)))
    return drawn


def run(name, drawn, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("fuzz") / "run"
    args = [f"--config={config_string(name)}", *SHORT,
            *(f"--config.{field}={value}" for field, value in drawn), f"--workdir={workdir}"]
    result = run_here(args, workdir.parent)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    lines = result.stderr.strip().splitlines()
    if result.returncode == 0:
        assert (workdir / "samples.png").is_file(), output[-3000:]
        return None
    assert result.returncode in (1, 2), (result.returncode, output[-3000:])
    assert len(lines) == 1 and lines[0].startswith("tfgan-zoo: error: "), output[-3000:]
    if result.returncode == 2:
        assert not workdir.exists(), "a refused command wrote to the workdir"
    return lines[0][len("tfgan-zoo: error: "):]


@pytest.mark.parametrize("name", NAMES)
def test_any_value_outside_a_fields_range_is_refused_by_its_one_line(name, tmp_path_factory):
    config = tiny_config(name)
    fields = [field for field, _ in base.leaves(config)
              if outside(base.allowed(config, field))]
    assert len(fields) >= 30, fields

    @settings(max_examples=OUTSIDE, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(drawn=st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True).flatmap(
        lambda chosen: st.tuples(*(st.tuples(st.just(field), st.sampled_from(
            outside(base.allowed(config, field)))) for field in chosen))))
    def fuzz(drawn):
        message = run(name, drawn, tmp_path_factory)
        assert message is not None, f"trained with {drawn}"
        refused = RANGE_MESSAGE.fullmatch(message)
        assert refused, message
        field = refused["field"]
        assert field in dict(drawn), (message, drawn)
        assert refused["allowed"] == base.allowed(config, field).describe(), message
        event(f"refused: {field}")

    fuzz()


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_any_values_inside_the_ranges_train_or_meet_a_documented_limit(name, tmp_path_factory):
    config = tiny_config(name)
    pools = {field: pool(config, field) for field, _ in base.leaves(config)}
    drawing = [st.tuples(st.just(field), values) | st.none()
               for field, values in pools.items() if values is not None]

    @settings(max_examples=INSIDE, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @example(drawn=lowest(config))
    @given(drawn=st.tuples(*drawing).map(lambda pairs: [p for p in pairs if p is not None]))
    def fuzz(drawn):
        message = run(name, drawn, tmp_path_factory)
        if message is None:
            event("trained")
            return
        assert any(re.fullmatch(pattern, message) for pattern in [*DOCUMENTED, DIVERGED]), \
            message
        event(f"refused: {message[:40]}")

    fuzz()


def test_every_pattern_is_a_documented_message_and_every_kind_of_range_has_a_row():
    text = DOC.read_text().split("<!-- errors table")[1].split("<!-- end of errors table")[0]
    messages = [line.rsplit(" | ", 1)[-1].rstrip(" |").replace("\\|", "|")
                for line in text.splitlines() if " | " in line]
    for pattern in DOCUMENTED:
        assert any(re.fullmatch(pattern, m) for m in messages), pattern
    described = {m["allowed"] for m in map(RANGE_MESSAGE.fullmatch, messages) if m}
    by_kind = {}  # kind of range -> the descriptions of the fields declared with it
    for name in NAMES:
        config = tiny_config(name)
        for field, _ in base.leaves(config):
            allowed = base.allowed(config, field)
            inner = allowed.kind if isinstance(allowed, ranges.Optional) else allowed
            by_kind.setdefault(type(inner).__name__, set()).add(allowed.describe())
    assert len(by_kind) >= 8, by_kind
    for kind, descriptions in by_kind.items():
        assert descriptions & described, f"docs/errors.md: add a row for a {kind} range"
