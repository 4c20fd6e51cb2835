"""The errors a user can act on: bad input (a name, dataset, shape or setting), and
training that diverged."""


class InputError(ValueError):
    """Raised for input the user can correct; the message names the problem and the fix."""


class Diverged(RuntimeError):
    """Raised when a loss or a weight stops being finite; the message names the step, the
    value and the likely causes."""
