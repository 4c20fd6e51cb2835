"""SavedModel export: TF Serving's version folders, readable by other users, never
half-written, never overwritten."""
import os
import stat

import pytest
from conftest import tiny

from tfgan_zoo import export


@pytest.fixture(scope="module")
def gan():
    return tiny("dcgan")


def test_versions_count_up_and_are_readable_by_other_users(gan, tmp_path):
    old = os.umask(0o022)
    try:
        first = export.saved_model(gan, str(tmp_path))
        second = export.saved_model(gan, str(tmp_path))
    finally:
        os.umask(old)
    assert [os.path.basename(p) for p in (first, second)] == ["1", "2"]
    for path in (first, second):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == 0o755, oct(mode)  # not mkdtemp's 0700
        for root, dirs, files in os.walk(path):
            for name in dirs + files:
                assert os.stat(os.path.join(root, name)).st_mode & stat.S_IROTH, name
    assert sorted(os.listdir(tmp_path)) == ["1", "2"]  # no staging folder left


def test_an_existing_version_is_never_overwritten(gan, tmp_path):
    (tmp_path / "3").mkdir()
    (tmp_path / "3" / "keep").write_text("x")
    with pytest.raises(FileExistsError, match="export to a new version"):
        export.saved_model(gan, str(tmp_path), version=3)
    assert os.listdir(tmp_path / "3") == ["keep"]
    assert os.path.basename(export.saved_model(gan, str(tmp_path))) == "4"


def test_a_crash_while_writing_leaves_no_version_and_no_staging_folder(gan, tmp_path,
                                                                       monkeypatch):
    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export.json, "dump", crash)  # after the SavedModel, before the rename
    with pytest.raises(OSError, match="disk full"):
        export.saved_model(gan, str(tmp_path))
    assert os.listdir(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dcgan", "cgan", "cyclegan"])  # each kind, and labels
def test_every_signature_converts_to_tflite_and_serves_the_same(name, batches, tmp_path):
    import numpy as np
    import tensorflow as tf
    model = tiny(name)
    path = export.saved_model(model, str(tmp_path))
    served = tf.saved_model.load(path).signatures
    converter = tf.lite.TFLiteConverter.from_saved_model(path)  # default settings
    interpreter = tf.lite.Interpreter(model_content=converter.convert())
    assert set(interpreter.get_signature_list()) == set(served)
    rng = np.random.default_rng(0)
    inputs = {}
    for key, spec in served["serving_default"].structured_input_signature[1].items():
        if spec.dtype == tf.int32:
            inputs[key] = rng.integers(0, model.num_classes, 4).astype(np.int32)
        elif key == "z":
            inputs[key] = rng.standard_normal((4, *spec.shape[1:])).astype(np.float32)
        else:
            inputs[key] = batches["images"][:4]
    expected = served["serving_default"](**{k: tf.constant(v) for k, v in inputs.items()})
    runner = interpreter.get_signature_runner("serving_default")
    got = runner(**inputs)
    np.testing.assert_allclose(got["images"], expected["images"].numpy(), atol=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dcgan", "cgan", "cyclegan"])  # z; z and labels; images
def test_serving_default_is_callable_through_keras_tfsmlayer(name, batches, tmp_path):
    """As docs/serving.md shows: one tensor, or a dict of the signature's named inputs."""
    import keras
    import numpy as np
    model = tiny(name)
    path = export.saved_model(model, str(tmp_path))
    layer = keras.layers.TFSMLayer(path, call_endpoint="serving_default")
    if name == "cyclegan":
        inputs = batches["images"][:4]
        expected = model.sampling_network()(inputs, training=False)
    else:
        z = np.random.default_rng(0).standard_normal((4, model.latent_dim)).astype(np.float32)
        inputs, expected = z, model.sampling_network()(z, training=False) if name == "dcgan" \
            else None
        if name == "cgan":
            labels = np.array([0, 3, 5, 9], np.int32)
            inputs = {"z": z, "label": labels}
            expected = model.sampling_network()([z, labels], training=False)
    np.testing.assert_allclose(layer(inputs)["images"], expected, atol=1e-5)
