"""Writing files so that they appear whole or not at all: a run killed while writing
leaves the previous version of a file, or none, never half of one."""
import contextlib
import json
import os


@contextlib.contextmanager
def atomic_path(path):
    """A temporary path beside `path` (same folder, same extension) to write to; renamed
    to `path` when the block ends, removed if it raises."""
    directory, name = os.path.split(path)
    root, extension = os.path.splitext(name)
    partial = os.path.join(directory, f".{root}.partial-{os.getpid()}{extension}")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def write_json(path, value):
    with atomic_path(path) as partial, open(partial, "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def save_model(model, path):
    """`model.save(path)` (a .keras file), atomically."""
    with atomic_path(path) as partial:
        model.save(partial)
