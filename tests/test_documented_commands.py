"""Every command printed in the README, in `tfgan-zoo --help`, in a config docstring or
in docs/ runs: with its config's tiny variant (the command's own settings still
apply, but at most 3 epochs, and 200 evaluation samples), TFDS under
tfds.testing.mock_data, placeholder paths filled with folders of images made here, and
its own workdir. The cards' `tfgan-zoo evaluate --model=M --weights=N` of each shipped set
runs in tests/test_pretrained.py, which compares its numbers with the card's."""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from tfgan_zoo import cli, distribute, evaluate_cli, generate_cli, models, pretrained

ROOT = pathlib.Path(__file__).resolve().parent.parent
INLINE = re.compile(r"`(?:time )?(tfgan-zoo [^`]*)`")


def commands_in(text):
    found = []
    for line in text.splitlines():
        if "`tfgan-zoo" in line or "`time tfgan-zoo" in line:
            found += INLINE.findall(line)
        elif "tfgan-zoo " in line and not line.lstrip().startswith("#"):
            command = line[line.index("tfgan-zoo "):]
            found.append(re.split(r"\s+#\s", command)[0].rstrip())
    return found


def documented():
    """{command: where it is printed}."""
    texts = {"README.md": (ROOT / "README.md").read_text(), "tfgan-zoo --help": cli.__doc__,
             "tfgan-zoo evaluate --help": evaluate_cli.__doc__,
             "tfgan-zoo generate --help": generate_cli.__doc__}
    for name in models.names():
        module, _ = cli.load_config_module(cli.config_path(name))
        texts[f"zoo_configs/{name}.py"] = module.__doc__
    for path in sorted((ROOT / "docs").rglob("*.md")):
        if path.name != "errors.md":  # commands that fail on purpose: tests/test_errors.py
            texts[str(path.relative_to(ROOT))] = path.read_text()
    where = {}
    for source, text in texts.items():
        for command in commands_in(text):
            where.setdefault(command, source)
    return where


# run and checked against the cards by test_pretrained.py's reproduction test
SHIPPED_EVALUATIONS = {f"tfgan-zoo evaluate --model={model} --weights={name}"
                       for model, names in pretrained.available().items() for name in names}
COMMANDS = {c: where for c, where in documented().items() if c not in SHIPPED_EVALUATIONS}


def write_pngs(directory, count, shape, seed):
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(count):
        tf.io.write_file(str(directory / f"{i}.png"),
                         tf.io.encode_png(rng.integers(0, 256, shape, dtype=np.uint8)))


@pytest.fixture(scope="session")  # once per test process (see conftest.py)
def folders(tmp_path_factory):
    """Placeholder -> a folder of 32x32 RGB PNGs (PATH: two class subfolders; npz:PATH:
    labelled digit-sized arrays; INPUTS and TARGETS: namesakes; paired:PATH: 32x64 A|B)."""
    root = tmp_path_factory.mktemp("user_images")
    for cls in ("cats", "dogs"):
        write_pngs(root / "PATH" / cls, 4, (32, 32, 3), seed=len(cls))
    for domain in ("A", "B", "INPUTS", "TARGETS"):
        write_pngs(root / domain, 8, (32, 32, 3), seed=ord(domain[0]) + len(domain))
    write_pngs(root / "SIDE_BY_SIDE", 8, (32, 64, 3), seed=1)
    write_pngs(root / "DIGITS", 64, (28, 28, 1), seed=2)  # one batch
    rng = np.random.default_rng(0)
    np.savez(root / "arrays.npz", images=rng.integers(0, 256, (16, 28, 28), dtype=np.uint8),
             labels=np.arange(16) % 2)
    return {"PATH": root / "PATH", "A": root / "A", "B": root / "B",
            "PATH_A": root / "A", "PATH_B": root / "B", "npz:PATH": root / "arrays.npz",
            "INPUTS": root / "INPUTS", "TARGETS": root / "TARGETS",
            "paired:PATH": root / "SIDE_BY_SIDE", "DIGITS": root / "DIGITS"}


def runnable(command, folders, workdir):
    """The argv that runs `command` small, in `workdir`."""
    args = [re.sub(r"^(--dataset=|--config\.dataset_b=)folder:(\w+)$",
                   lambda m: f"{m.group(1)}folder:{folders[m.group(2)]}", arg)
            for arg in shlex.split(command)[1:]]
    for kind in ("npz", "paired"):
        args = [f"--dataset={kind}:{folders[kind + ':PATH']}" if a == f"--dataset={kind}:PATH"
                else a for a in args]
    args = [a.replace("--model=NAME", "--model=dcgan") for a in args]
    args = [a for a in args if not a.startswith("--workdir=")]
    configs = [a for a in args if a.startswith("--config=")]
    if any(a.startswith("--config.init_weights=") for a in args):
        # fine-tuning: the default networks, which the weights fit, on 28x28 digits, 2 steps
        args = [f"--dataset=folder:{folders['DIGITS']}" if a.startswith("--dataset=folder:")
                else a for a in args]
        return ["tfgan-zoo", *args, "--config.train.epochs=1", "--config.train.steps_per_epoch=2",
                "--config.eval.every_epochs=0", "--config.train.jit_compile=False",
                f"--workdir={workdir}"]
    if configs:
        path = configs[0].split("=", 1)[1].partition(":")[0]
        args[args.index(configs[0])] = f"--config={ROOT / path}:tiny"
    else:
        args.insert(0, f"--config={cli.config_path(cli.model_argument(args) or 'dcgan')}:tiny")
    if any(a.startswith("--config.train.epochs=") for a in args):
        # many tiny steps: tracing the step once is faster than running each eagerly;
        # at most 3 epochs (each writes a checkpoint and a grid: 50 took 11 s)
        config_at = next(i for i, a in enumerate(args) if a.startswith("--config="))
        args.insert(config_at + 1, "--config.train.run_eagerly=False")
        args = [f"--config.train.epochs={min(3, int(a.split('=')[1]))}"
                if a.startswith("--config.train.epochs=") else a for a in args]
    return ["tfgan-zoo", *args, f"--workdir={workdir}"]


@pytest.fixture(scope="session")  # once per test process (see conftest.py)
def trained(tmp_path_factory):
    """A tiny dcgan run, for the evaluate commands."""
    workdir = tmp_path_factory.mktemp("trained") / "dcgan"
    cli.run(["tfgan-zoo", f"--config={cli.config_path('dcgan')}:tiny", f"--workdir={workdir}"])
    cli.run(["tfgan-zoo", "evaluate", str(workdir), "--num_samples=200"])  # fills eval/'s cache
    return workdir


def evaluation(command, tmp_path, trained):
    """`tfgan-zoo evaluate runs/dcgan...`: the argv, with a tiny dcgan run in its place
    (`trained`: None for a command of shipped weights)."""
    workdir = tmp_path / "runs" / "dcgan"
    if trained is not None:
        shutil.copytree(trained, workdir)
    args = shlex.split(command)[2:]
    if not [a for a in args if not a.startswith("--")] and "--weights=" not in command:
        args.append("PATH")
    args = ["evaluate", *[str(workdir) if a == "PATH" else str(tmp_path / a) if a.startswith("runs/")
                          else a for a in args]]
    # 200 samples, whatever the command asks (the time is the metrics'; 1,000 took 17 s)
    args = [a for a in args if not a.startswith("--num_samples")] + ["--num_samples=200"]
    return ["tfgan-zoo", *args]


@pytest.fixture(scope="session")
def tiny_runs(tmp_path_factory, trained):
    """runs/<model> -> a finished tiny run of that model (made when first asked for)."""
    made = {"dcgan": trained}

    def run_of(model):
        if model not in made:
            made[model] = tmp_path_factory.mktemp("tiny_runs") / model
            cli.run(["tfgan-zoo", f"--config={cli.config_path(model)}:tiny",
                     f"--workdir={made[model]}"])
        return made[model]
    return run_of


def uses_tiny_runs(command):
    """Whether an evaluate or generate command reads a run (runs/..., PATH) that the `trained`
    and `tiny_runs` fixtures make, rather than only shipped weights."""
    args = shlex.split(command)[2:]
    return command.startswith(("tfgan-zoo evaluate", "tfgan-zoo generate")) and (
        any(a.startswith("runs/") or a == "PATH" for a in args)
        or (command.startswith("tfgan-zoo evaluate") and "--weights=" not in command))


def generation(command, tmp_path, tiny_runs):
    """`tfgan-zoo generate ...`: the argv, a tiny run in place of runs/<model>, images made
    here for --input=PATH (28x28 digits, or the shipped weights' image shape); shipped
    weights as they are."""
    named = dict(a[2:].split("=", 1) for a in shlex.split(command)
                 if a.startswith(("--model=", "--weights=")))
    shipped = pretrained.available().get(named.get("model"), [])
    shape = (tuple(pretrained.record(named["model"], named["weights"])["hparams"]["image_shape"])
             if named.get("weights") in shipped else (28, 28, 1))
    digits = tmp_path / "digits"
    write_pngs(digits, 3, shape, seed=3)
    args = []
    for arg in shlex.split(command)[2:]:
        if arg.startswith("runs/") or arg == "PATH":
            arg = str(tiny_runs(arg.split("/")[1] if "/" in arg else "dcgan"))
        args.append(f"--input={digits}" if arg == "--input=PATH" else arg)
    return ["tfgan-zoo", "generate", *args]


def run_distributed(argv, tmp_path):
    """A strategy's command in a fresh process (a strategy must come first in a process);
    multi_worker as a one-worker cluster on a free port. Its stdout."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    if "--config.distribute=multi_worker" in argv:
        env["TF_CONFIG"] = distribute.local_cluster(1)[0]
    result = subprocess.run([sys.executable, "-m", "tfgan_zoo", *argv[1:]], capture_output=True,
                            text=True, cwd=tmp_path, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_documented_commands_are_found():
    assert "tfgan-zoo --model=dcgan" in COMMANDS
    assert any("folder:PATH" in c for c in COMMANDS) and any("tfds:" in c for c in COMMANDS)
    for name in models.names():
        assert f"tfgan-zoo --model={name}" in COMMANDS


@pytest.mark.slow
# the commands that read a run share the `trained` run: one test process makes it
@pytest.mark.parametrize("command", [
    pytest.param(c, marks=pytest.mark.xdist_group("trained")) if uses_tiny_runs(c) else c
    for c in sorted(COMMANDS)], ids=lambda c: c[10:70])
def test_documented_command_runs(command, folders, tmp_path, capsys, monkeypatch, request):
    monkeypatch.chdir(tmp_path)  # an export's metrics.json goes to the current folder
    if command.startswith("tfgan-zoo evaluate"):
        trained = request.getfixturevalue("trained") if uses_tiny_runs(command) else None
        cli.run(evaluation(command, tmp_path, trained))
        assert "Metrics:" in capsys.readouterr().out
        return
    if command.startswith("tfgan-zoo generate"):
        tiny_runs = request.getfixturevalue("tiny_runs") if uses_tiny_runs(command) else None
        cli.run(generation(command, tmp_path, tiny_runs))
        written = capsys.readouterr().out
        assert any(s in written for s in ("a grid of", "PNG files", "images as uint8")), written
        return
    argv = runnable(command, folders, tmp_path / "run")
    if "--config.distribute=" in command:
        out = run_distributed(argv, tmp_path)
        assert f"Samples:     {tmp_path / 'run' / 'samples.png'}" in out, COMMANDS[command]
        return
    with tfds.testing.mock_data(num_examples=8):
        if "--help" in argv:
            with pytest.raises(SystemExit) as exit:
                cli.run(argv)
            assert exit.value.code == 0 and "Config fields" in capsys.readouterr().out
            return
        cli.run(argv)
    out = capsys.readouterr().out
    assert f"Samples:     {tmp_path / 'run' / 'samples.png'}" in out, COMMANDS[command]
    assert (tmp_path / "run" / "samples.png").exists()


@pytest.mark.slow
def test_readme_python_runs(tmp_path):
    """The README's Python blocks, in order, in a fresh process (fewer steps)."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    assert len(blocks) == 2
    code = "\n".join(blocks).replace("epochs=5,", "epochs=1, steps_per_epoch=2,")
    assert "steps_per_epoch=2" in code
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "(4, 28, 28, 1)" in result.stdout
    assert (tmp_path / "export" / "dcgan" / "1" / "saved_model.pb").exists()
