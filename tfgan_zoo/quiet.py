"""Keeps TensorFlow's start-up lines off the terminal of a `tfgan-zoo` run.

TensorFlow's C++ code logs through absl before its log level is read (so
TF_CPP_MIN_LOG_LEVEL cannot hide these lines: "oneDNN custom operations are on",
"Could not find cuda drivers", "failed call to cuInit", "XLA service ...
initialized"). The CLI therefore passes standard error through a filter that
drops such lines and forwards everything else, from before TensorFlow is imported.
Only the CLI installs it (`tfgan-zoo --verbose` does not): importing tfgan_zoo in
your own program changes nothing.
"""
import atexit
import os
import re
import sys
import threading

NATIVE_LOG = re.compile(
    rb"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
    rb"|I\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] "  # INFO from C++ or absl Python logging
    rb"|[WE]\d{4} [\d:.]+\s+\d+ (cuda\w*|assert_op|gpu\w*)\.cc:\d+\] "
    rb"|INFO:tensorflow:"
    rb"|To enable the following instructions: .* rebuild TensorFlow)")


def is_cli_process(argv):
    """True while `tfgan-zoo ...` or `python -m tfgan_zoo ...` starts (sys.argv[0] is
    "-m" while Python imports the package that -m runs)."""
    return bool(argv) and (os.path.basename(argv[0]) == "tfgan-zoo" or argv[0] == "-m")


def filter_stderr():
    """Routes file descriptor 2 through a thread that drops NATIVE_LOG lines."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.stderr.flush()
    terminal = os.dup(2)
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)

    def forward():
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            for line in iter(pipe.readline, b""):
                if not NATIVE_LOG.match(line):
                    os.write(terminal, line)

    thread = threading.Thread(target=forward, name="tfgan-zoo-stderr", daemon=True)
    thread.start()

    def restore():
        # Put the terminal back and let the thread drain what is still in the pipe.
        sys.stderr.flush()
        os.dup2(terminal, 2)
        thread.join(timeout=5)

    atexit.register(restore)
