"""What a setting may be. Each hyperparameter and config field declares its kind and range
once, beside its default, and everything reads that one declaration: the check before a run
(`check`), `models.get`, and `tfgan-zoo --help`.

    def __init__(self, width: ranges.Whole(1, 1024) = 32, ...)   # a model's argument

`GAN.hyperparameter_ranges()` reads a model's annotations as `hyperparameters()` reads its
defaults; the config's own fields are declared in zoo_configs/base.py. A value outside its
range is an `InputError` of one line: "width must be a whole number from 1 to 1024, not 0".
Upper bounds are there to catch a typo (a width of 10**6 would exhaust memory before it
failed), not to limit what fits on a GPU.
"""
import math
import numbers

from tfgan_zoo.errors import InputError


def check(name, allowed, value):
    """Raises InputError unless `allowed` (a Range) allows `value`."""
    if not allowed.allows(value):
        raise InputError(f"{name} must be {allowed.describe()}, not {value!r}")


class Range:
    """A kind of value and its bounds: `allows(value)` and `describe()` (the words after
    "must be" in the error and in --help); `type`, the Python type a config field of it
    holds (what an override on the command line is parsed as)."""

    type = object

    def allows(self, value):
        raise NotImplementedError

    def describe(self):
        raise NotImplementedError

    def __repr__(self):
        return f"<{self.describe()}>"


def is_whole(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_real(value):
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value))


class Whole(Range):
    """A whole number in [least, most] (most None: no upper bound)."""

    type = int

    def __init__(self, least, most=None):
        self.least, self.most = least, most

    def allows(self, value):
        return (is_whole(value) and value >= self.least
                and (self.most is None or value <= self.most))

    def describe(self):
        if self.most is None:
            return f"a whole number of at least {self.least}"
        return f"a whole number from {self.least} to {self.most}"


class Real(Range):
    """A finite number between `low` and `high` (None: unbounded), each bound included
    unless `open` names it ("low", "high" or "both")."""

    type = float

    def __init__(self, low=None, high=None, open=""):
        self.low, self.high = low, high
        self.low_open = open in ("low", "both")
        self.high_open = open in ("high", "both")

    def allows(self, value):
        if not is_real(value):
            return False
        if self.low is not None and (value < self.low or self.low_open and value == self.low):
            return False
        return not (self.high is not None
                    and (value > self.high or self.high_open and value == self.high))

    def describe(self):
        if self.high is None:
            return f"a number {'above' if self.low_open else 'of at least'} {self.low}"
        if self.low is None:
            return f"a number {'below' if self.high_open else 'of at most'} {self.high}"
        return (f"a number in {'(' if self.low_open else '['}{self.low}, "
                f"{self.high}{')' if self.high_open else ']'}")


def positive():
    """A number above 0: learning rates, clip values."""
    return Real(0, open="low")


def weight():
    """A loss weight or a strength: a number of at least 0 (0: off)."""
    return Real(0)


def fraction():
    """A number in [0, 1): decays, rates, Adam's betas."""
    return Real(0, 1, open="high")


class OneOf(Range):
    """One of a fixed set of values (names, or numbers such as channels)."""

    def __init__(self, *choices):
        self.choices = choices
        self.type = type(choices[0])

    def allows(self, value):
        return any(value == choice and type(value) is type(choice) for choice in self.choices)

    def describe(self):
        return "one of " + ", ".join(str(choice) for choice in self.choices)


class Flag(Range):
    type = bool

    def allows(self, value):
        return isinstance(value, bool)

    def describe(self):
        return "True or False"


class Text(Range):
    """Any string (a path, a dataset name that its loader checks); `empty`: may be ""."""

    type = str

    def __init__(self, empty=True):
        self.empty = empty

    def allows(self, value):
        return isinstance(value, str) and (self.empty or bool(value.strip()))

    def describe(self):
        return "a string" if self.empty else "a non-empty string"


class NameList(Range):
    """A comma-separated list of some of `names` ("" for none)."""

    type = str

    def __init__(self, *names):
        self.names = names

    def allows(self, value):
        return isinstance(value, str) and all(
            part.strip() in self.names for part in value.split(",") if part.strip())

    def describe(self):
        return f"a comma-separated list of {', '.join(self.names)} (empty: none)"


class Sizes(Range):
    """A tuple of whole numbers, one per name in `names`, each in [1, most[name]]."""

    type = tuple

    def __init__(self, names, most):
        self.names, self.most = names, most

    def allows(self, value):
        return (isinstance(value, (tuple, list)) and len(value) == len(self.names)
                and all(is_whole(v) and 1 <= v <= self.most[n]
                        for n, v in zip(self.names, value)))

    def describe(self):
        names = ", ".join(self.names)
        if len(set(self.most.values())) == 1:
            return f"({names}), each a whole number from 1 to {self.most[self.names[0]]}"
        bounds = ", ".join(f"{name} from 1 to {self.most[name]}" for name in self.names)
        return f"({names}), whole numbers: {bounds}"


class Optional(Range):
    """None (with the meaning `none`) or a value of `kind`."""

    def __init__(self, kind, none=""):
        self.kind, self.none = kind, none
        self.type = kind.type

    def allows(self, value):
        return value is None or self.kind.allows(value)

    def describe(self):
        return f"None{f' ({self.none})' if self.none else ''} or {self.kind.describe()}"


IMAGE_SIDE = 4096  # pixels: larger is a typo here, not an image
IMAGE_SIZE = Sizes(("height", "width"), {"height": IMAGE_SIDE, "width": IMAGE_SIDE})
IMAGE_SHAPE = Sizes(("height", "width", "channels"),
                    {"height": IMAGE_SIDE, "width": IMAGE_SIDE, "channels": 4})
