"""The data layer, fuzzed: any array a user may hand it gives a valid pipeline of images
in [-1, 1] (and labels in range), or one of the clear errors docs/errors.md lists."""
import re

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tfgan_zoo import data
from tfgan_zoo.errors import InputError

# docs/errors.md, "Your own arrays"
DOCUMENTED = [
    r"arrays: images must be numbers \(pixel values 0-255\), not \w+",
    r"arrays: images must be \[n, height, width\] or \[n, height, width, 1 or 3\], not of "
    r"shape \(.*\)",
    r"arrays holds no images",
    r"arrays: image \d+ holds NaN or Inf( \(and \d+ more\))?: drop or repair those images",
    r"arrays: pixel values must be in \[0, 255\], not \[.*\]: scale them .*",
    r"arrays: labels must be \d+ whole numbers \(one per image\), not \w+ of shape \(.*\)",
    r"arrays: labels must be class numbers from 0, not -?\d+",
    r"dataset 'arrays' \(train\) has \d+ images, fewer than one batch of \d+: use a smaller "
    r"batch size \(config: train.batch_size\)",
    r"dataset 'arrays' has no labels, but the model needs them: .*",
]

DTYPES = [np.uint8, np.int8, np.int32, np.float16, np.float32, np.float64, np.bool_]


@st.composite
def user_arrays(draw):
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    sizes = st.sampled_from([0, *range(1, 6), *range(1, 6)])  # now and then empty
    shape = [draw(st.integers(0, 8)), draw(sizes), draw(sizes)]
    channels = draw(st.sampled_from([None, 1, 3, None, 1, 3, 2, 4]))
    shape += [] if channels is None else [channels]
    if draw(st.integers(0, 9)) == 0:
        shape = shape[:draw(st.integers(1, 2))]  # too few dimensions
    if dtype.kind == "f":
        width = dtype.itemsize * 8
        elements = st.one_of(st.floats(0, 255, width=width), st.floats(-2, 300, width=width),
                             st.sampled_from([np.nan, np.inf, -np.inf]))
    elif dtype.kind == "b":
        elements = st.booleans()
    else:
        info = np.iinfo(dtype)
        elements = st.integers(max(info.min, 0), min(info.max, 255)) | st.integers(
            max(info.min, -2), min(info.max, 300))
    images = draw(hnp.arrays(dtype, shape, elements=elements))
    labels = None
    if draw(st.booleans()):
        count = max(0, shape[0] + draw(st.sampled_from([0, 0, 0, -1, 1])))
        labels = draw(hnp.arrays(draw(st.sampled_from([np.int32, np.int64, np.float32])), count,
                                 elements=st.integers(0, 4) | st.integers(-1, 4)))
    return images, labels


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays=user_arrays(), batch_size=st.integers(1, 3),
       labels_wanted=st.sampled_from([None, True, False]),
       image_size=st.sampled_from([None, (4, 4)]), channels=st.sampled_from([None, 1, 3]))
def test_any_array_gives_a_valid_pipeline_or_a_documented_error(arrays, batch_size,
                                                                labels_wanted, image_size,
                                                                channels):
    images, labels = arrays
    source = images if labels is None else (images, labels)
    try:
        ds = data.load(source, batch_size=batch_size, labels=labels_wanted,
                       image_size=image_size, channels=channels)
    except InputError as e:
        message = str(e)
        assert "\n" not in message
        assert any(re.fullmatch(pattern, message) for pattern in DOCUMENTED), message
        event(message.split(":")[1][:30] if ":" in message else message[:30])
        return
    event("a valid pipeline")
    batch = next(iter(ds))
    got_images, got_labels = batch if isinstance(batch, tuple) else (batch, None)
    got_images = got_images.numpy()
    height, width = image_size or images.shape[1:3]
    expected_channels = channels or (images.shape[3] if images.ndim == 4 else 1)
    assert got_images.shape == (batch_size, height, width, expected_channels)
    assert got_images.dtype == np.float32
    assert np.isfinite(got_images).all() and -1 <= got_images.min() <= got_images.max() <= 1
    if labels_wanted is False or labels is None:
        assert got_labels is None
    else:
        assert 0 <= got_labels.numpy().min() and got_labels.numpy().max() < ds.num_classes
