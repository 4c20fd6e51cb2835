"""Every row of docs/errors.md, run as written through the CLI's entry point: exit status
2, the row's message as the one line on stderr, no traceback, and the workdir (or the
evaluated path) as it was before. Rows that choose a tf.distribute strategy each run in a
fresh process (a process holds one strategy), as does the row of a class only another
program defines (this one defines it); the rest run in this one, as `cli.run`
(test_cli.py checks exit status and output in real processes)."""
import concurrent.futures
import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import run_here
from tfgan_zoo import cli

# One test process runs them all (pytest-xdist): the rows share one costly fixture.
pytestmark = pytest.mark.xdist_group("errors")
ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "errors.md"


def rows():
    """[(problem, command, message)] of the table in docs/errors.md."""
    text = DOC.read_text()
    table = text.split("<!-- errors table")[1].split("<!-- end of errors table")[0]
    found = []
    for line in table.splitlines()[3:]:
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 3:
            found.append((cells[0], cells[1].strip("`"), cells[2].replace("\\|", "|")))
    return found


ROWS = rows()


def write_pngs(folder, count, shape):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(count)
    for i in range(count):
        tf.io.write_file(str(folder / f"{chr(97 + i)}.png"),
                         tf.io.encode_png(rng.integers(0, 256, shape, dtype=np.uint8)))


@keras.saving.register_keras_serializable("someone_else")
class Foreign(keras.layers.Layer):
    """A layer only this test process knows."""

    def call(self, x):
        return x


def make_places(root):
    """{placeholder: path} of the files the rows name."""
    places = {name: root / name for name in (
        "BROKEN.py", "EMPTY", "TEXT_ONLY", "CORRUPT", "ZERO_BYTES", "FLAT", "SMALL", "RGB",
        "NAN.npz",
        "A_FILE", "NOT_A_RUN", "FINISHED", "CGAN", "PIX2PIX", "PLAIN.keras", "FOREIGN.keras", "MISSING",
        "NEW_RUN", "KERAS_HOME")}  # NEW_RUN: a workdir no run has used (not made)
    places["BROKEN.py"].write_text("def get_config(arg=None)\n    return None\n")
    places["EMPTY"].mkdir()
    places["TEXT_ONLY"].mkdir()
    (places["TEXT_ONLY"] / "notes.txt").write_text("no images here")
    for name in ("CORRUPT", "ZERO_BYTES"):
        write_pngs(places[name], 1, (28, 28, 1))
    (places["CORRUPT"] / "b.png").write_bytes(b"this is not a PNG at all")
    (places["ZERO_BYTES"] / "b.png").write_bytes(b"")
    write_pngs(places["FLAT"], 4, (28, 28, 1))
    write_pngs(places["SMALL"], 4, (8, 8, 1))
    write_pngs(places["RGB"], 20, (32, 32, 3))
    images = np.zeros((20, 28, 28), np.float32)
    images[3, 1, 1] = np.nan
    np.savez(places["NAN.npz"], images=images)
    places["KERAS_HOME"].mkdir()  # the Keras cache of this process (conftest.py): empty
    # but for the settings file Keras writes when a process imports it without one
    (places["KERAS_HOME"] / "keras.json").write_text(json.dumps(
        {"floatx": "float32", "epsilon": 1e-07, "backend": "tensorflow",
         "image_data_format": "channels_last"}))
    os.environ["KERAS_HOME"] = str(places["KERAS_HOME"])
    places["A_FILE"].write_text("a file")
    places["NOT_A_RUN"].mkdir()
    (places["NOT_A_RUN"] / "thesis.tex").write_text("mine")
    for model, place in (("dcgan", "FINISHED"), ("cgan", "CGAN"), ("pix2pix", "PIX2PIX")):
        cli.run(["tfgan-zoo", f"--config={cli.config_path(model)}:tiny",
                 f"--workdir={places[place]}"])
    keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]).save(places["PLAIN.keras"])
    keras.Sequential([keras.Input((2,)), Foreign()]).save(places["FOREIGN.keras"])
    return places


def fill(text, places):
    for name in sorted(places, key=len, reverse=True):
        text = re.sub(rf"(?<![\w/]){re.escape(name)}", str(places[name]), text)
    return text.replace("zoo_configs/", f"{ROOT}/zoo_configs/")


def snapshot(path):
    """{relative path: (size, mtime)} of a file or of every file below a folder."""
    path = pathlib.Path(path)
    if path.is_file():
        return {"": (path.stat().st_size, path.stat().st_mtime_ns)}
    return {str(p.relative_to(path)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in path.rglob("*") if p.is_file()}


STRATEGY_FIELDS = ("--config.distribute=", "--config.devices=")


def needs_a_process(args):
    """A strategy row, or one whose .keras file holds a class this process defines."""
    return any(a.startswith(STRATEGY_FIELDS) or a.endswith("FOREIGN.keras") for a in args)


@pytest.fixture(scope="session")  # once per test process (see conftest.py)
def outcomes(tmp_path_factory):
    """{row: (result, message expected, [(path, before, after)])}: the strategy rows each in
    their own process (two at a time), the rest in this one."""
    places = make_places(tmp_path_factory.mktemp("places"))
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}  # as a user
    plans = {}
    for index, (problem, command, message) in enumerate(ROWS):
        cwd = tmp_path_factory.mktemp(f"cwd{index}")
        args = shlex.split(fill(command, places))[1:]
        watched = [cwd]
        if args[0] in ("evaluate", "generate"):
            watched += [pathlib.Path(a) for a in args[1:] if os.path.exists(a)]
        elif not any(a.startswith("--workdir=") for a in args):
            workdir = tmp_path_factory.mktemp(f"workdir{index}") / "run"
            shutil.copytree(places["FINISHED"], workdir, symlinks=True)
            args.append(f"--workdir={workdir}")
            watched.append(workdir)
        else:
            given = pathlib.Path(next(a for a in args if a.startswith("--workdir=")).split("=")[1])
            watched.append(given if given.exists() else given.parent)
        plans[problem] = (args, cwd, fill(message, places),
                          [(w, snapshot(w)) for w in watched])

    def run(problem):
        args, cwd, _, _ = plans[problem]
        return subprocess.run([sys.executable, "-m", "tfgan_zoo", *args], capture_output=True,
                              text=True, cwd=cwd, env=env, timeout=600)

    separate = [p for p in plans if needs_a_process(plans[p][0])]
    results = {p: run_here(*plans[p][:2]) for p in plans if p not in separate}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results.update(zip(separate, pool.map(run, separate)))
    return {problem: (results[problem], message, [(w, before, snapshot(w))
                                                   for w, before in watched])
            for problem, (_, _, message, watched) in plans.items()}


def test_the_tests_of_one_xdist_group_run_in_one_test_process(request):
    """The suite's shared fixtures (conftest.py) are made once only if `--dist loadgroup`
    groups the tests: pytest 9.2 silently stops it (pytest-xdist#1386; setup.cfg pins)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        assert request.config.option.loadgroup, "run the suite with --dist loadgroup"
    grouped = request.node.nodeid.endswith("@errors")
    assert grouped == bool(os.environ.get("PYTEST_XDIST_WORKER")), request.node.nodeid


def test_the_table_covers_the_catalogue():
    problems = {problem for problem, _, _ in ROWS}
    assert len(ROWS) >= 35 and all(message for _, _, message in ROWS)
    for needed in ("unknown model", "unknown dataset", "unknown strategy", "unknown loss",
                   "zero epochs", "a batch larger than the data", "a corrupt image",
                   "a zero-byte image", "data containing NaN or Inf",
                   "a workdir that cannot be made", "evaluate: a .keras file of an unknown class"):
        assert needed in problems, needed


@pytest.mark.slow
@pytest.mark.parametrize("problem", [problem for problem, _, _ in ROWS])
def test_each_documented_error_is_its_one_line_exit_2_and_changes_nothing(problem, outcomes):
    result, message, watched = outcomes[problem]
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert result.stderr.strip() == f"tfgan-zoo: error: {message}", result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr
    for path, before, after in watched:
        assert after == before, path
