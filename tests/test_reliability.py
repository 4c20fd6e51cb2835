"""Training that diverges stops, says where and why, and leaves nothing broken behind."""
import os

import numpy as np
import pytest
import tensorflow as tf
from conftest import tiny

from tfgan_zoo import callbacks, cli
from tfgan_zoo.errors import Diverged


def test_a_nan_in_the_data_stops_training_at_that_step(digits):
    images = np.repeat(digits[0][:16], 4, axis=0)
    images[3 * 16 + 5] = np.nan  # the 4th batch of 16
    gan = tiny("dcgan")
    data = tf.data.Dataset.from_tensor_slices(images).batch(16)
    with pytest.raises(Diverged, match=r"training diverged at step 4: \w+ is nan\. Likely "
                                       r"causes: a learning rate too high"):
        gan.fit(data, epochs=1, verbose=0, callbacks=[callbacks.DivergenceGuard()])
    assert int(gan.batches_trained) == 4  # it stopped there


def test_a_weight_that_is_not_finite_stops_training_before_the_epoch_is_saved():
    gan = tiny("dcgan")
    guard = callbacks.DivergenceGuard()
    guard.set_model(gan)
    guard.on_epoch_end(0)  # finite: nothing happens
    weight = gan.discriminator.weights[0]
    weight.assign(tf.fill(weight.shape, np.inf))
    with pytest.raises(Diverged, match=f"weight {weight.path} is not finite"):
        guard.on_epoch_end(0)


def test_the_cli_exits_1_names_the_step_and_exports_nothing(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        cli.run(["tfgan-zoo", f"--config={cli.config_path('dcgan')}:tiny",
                 "--config.optimizer.d_learning_rate=1e30",
                 "--config.optimizer.g_learning_rate=1e30",
                 "--config.train.epochs=2", "--config.train.steps_per_epoch=3",
                 f"--workdir={tmp_path}"])
    assert exit.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("tfgan-zoo: error: training diverged at step "), lines[0]
    assert "Nothing was exported; no checkpoint was written before it" in lines[0]
    assert not os.path.exists(tmp_path / "export")
    assert not os.path.exists(tmp_path / "samples.png")
