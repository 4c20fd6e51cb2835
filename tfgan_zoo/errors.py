"""The error a user can fix: bad model name, dataset, shape or setting."""


class InputError(ValueError):
    """Raised for input the user can correct; the message names the problem and the fix."""
