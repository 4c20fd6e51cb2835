"""The kinds of range a setting declares (tfgan_zoo/ranges.py): what each allows, and the
one-line message for what it does not."""
import math

import numpy as np
import pytest

from tfgan_zoo import ranges
from tfgan_zoo.errors import InputError

CASES = [  # (range, allowed values, refused values)
    (ranges.Whole(1, 8), [1, 8, np.int64(3)], [0, 9, -1, 1.0, 2.5, True, "2", None]),
    (ranges.Whole(0), [0, 10**12], [-1, math.nan, math.inf]),
    (ranges.positive(), [1e-30, 3, 1e30], [0, -1e-9, math.nan, math.inf, "1", False]),
    (ranges.weight(), [0, 0.0, 100], [-0.1, -math.inf, math.inf, math.nan]),
    (ranges.fraction(), [0, 0.5, 0.999], [1, 1.0, -0.01, math.nan]),
    (ranges.Real(-1, 1, open="both"), [-0.99, 0.99], [-1, 1]),
    (ranges.OneOf("a", "b"), ["a", "b"], ["c", "", None, 1]),
    (ranges.OneOf(1, 3), [1, 3], [2, 1.0, True, "1"]),
    (ranges.Flag(), [True, False], [0, 1, "True", None]),
    (ranges.Text(empty=False), ["x"], ["", "  ", None, 3]),
    (ranges.NameList("a", "b"), ["", "a", "a,b", " b , a "], ["c", "a,c", None, 1]),
    (ranges.IMAGE_SIZE, [(28, 28), [1, 4096]], [(0, 28), (28,), (28, 28, 1), (4097, 8),
                                                (28.0, 28), "28", 28, None]),
    (ranges.Optional(ranges.Whole(1), "all"), [None, 1], [0, ""]),
]


@pytest.mark.parametrize("allowed, good, bad", CASES, ids=lambda c: getattr(c, "describe",
                                                                              lambda: "")())
def test_each_kind_allows_its_range_and_refuses_the_rest_with_one_line(allowed, good, bad):
    for value in good:
        ranges.check("field", allowed, value)
    for value in bad:
        with pytest.raises(InputError) as raised:
            ranges.check("config.field", allowed, value)
        assert str(raised.value) == f"config.field must be {allowed.describe()}, not {value!r}"


def test_descriptions_read_as_words():
    assert ranges.Whole(1).describe() == "a whole number of at least 1"
    assert ranges.Whole(1, 8).describe() == "a whole number from 1 to 8"
    assert ranges.positive().describe() == "a number above 0"
    assert ranges.weight().describe() == "a number of at least 0"
    assert ranges.fraction().describe() == "a number in [0, 1)"
    assert ranges.Optional(ranges.OneOf(1, 3), "the data's").describe() == \
        "None (the data's) or one of 1, 3"
    assert ranges.IMAGE_SIZE.describe() == "(height, width), each a whole number from 1 to 4096"
