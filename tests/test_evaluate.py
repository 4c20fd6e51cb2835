"""The shipped classifier, the evaluator, the metrics callback and `tfgan-zoo evaluate`."""
import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import tensors, tiny_config

import tfgan_zoo
from tfgan_zoo import callbacks, cli, evaluate, features, train


@pytest.fixture(scope="module")
def classifier():
    return features.DigitClassifier()


def test_the_shipped_classifier_reaches_its_stated_held_out_accuracy(classifier):
    card = features.DigitClassifier.card()
    assert os.path.getsize(features.CLASSIFIER_WEIGHTS) < 1_000_000
    for domain, image_size in (("mnist", None), ("digits", (28, 28))):
        images, labels = evaluate.real_images(domain, "test", image_size=image_size)
        _, probabilities = classifier(images)
        accuracy = (probabilities.argmax(1) == labels).mean()
        assert accuracy == pytest.approx(card[f"{domain}_test_accuracy"], abs=0.005)
    assert card["mnist_test_accuracy"] >= 0.98 and card["digits_test_accuracy"] >= 0.90


def test_the_classifier_names_the_fix_for_other_images(classifier):
    with pytest.raises(tfgan_zoo.InputError, match="--features=emoji or --features=inception"):
        classifier(np.zeros((2, 32, 32, 3), np.float32))


def test_the_shipped_emoji_classifier_reaches_its_stated_held_out_accuracy():
    card = features.EmojiClassifier.card()
    assert os.path.getsize(features.EMOJI_WEIGHTS) < 2_000_000
    images, groups = evaluate.real_images("emoji", "test")
    extractor = features.EmojiClassifier()
    feats, probabilities = extractor(images)
    assert feats.shape == (366, 128) and probabilities.shape == (366, 9)
    np.testing.assert_allclose(probabilities.sum(1), 1, atol=1e-5)  # subgroups summed
    accuracy = (probabilities.argmax(1) == groups).mean()
    assert accuracy == pytest.approx(card["group_test_accuracy"], abs=0.005)
    assert card["group_test_accuracy"] > 0.6  # chance: the largest group's share, 19 %
    # other sizes are read at 64x64: the same emoji at 32x32 mostly keep their group
    small = tf.image.resize(images, (32, 32), antialias=True).numpy()
    assert (extractor(small)[1].argmax(1) == groups).mean() > accuracy - 0.1


def test_inception_features_are_2048_wide_and_a_missing_weights_file_is_a_clear_error():
    extractor = features.InceptionFeatures(weights=None)  # random weights: shapes only
    feats, probabilities = extractor(np.zeros((3, 28, 28, 1), np.float32))
    assert feats.shape == (3, 2048) and probabilities is None
    assert extractor.prepare(tf.zeros([1, 32, 32, 3])).shape == (1, 299, 299, 3)
    with pytest.raises(tfgan_zoo.InputError, match="no InceptionV3 weights file at /no/such"):
        features.InceptionFeatures("/no/such.h5")


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """An empty Keras cache of this test's own (downloads fail: conftest.py)."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    return tmp_path


def test_inception_weights_come_from_the_keras_cache_checked_by_their_hash(keras_home,
                                                                          monkeypatch):
    with pytest.raises(tfgan_zoo.InputError) as error:  # not cached, no network
        features.inception_weights()
    cached = keras_home / "models" / features.INCEPTION_FILE
    assert f"to {cached}" in str(error.value) and "eval.inception_weights" in str(error.value)
    cached.parent.mkdir()
    cached.write_bytes(b"a stand-in for InceptionV3's weights")
    with pytest.raises(tfgan_zoo.InputError, match="is not keras.applications' InceptionV3"):
        features.inception_weights()  # a file with the wrong hash is not used
    monkeypatch.setattr(features, "INCEPTION_MD5", features.md5(cached))
    assert features.inception_weights() == str(cached)  # cached: no download
    assert features.inception_weights(str(cached)) == str(cached)  # or given


def test_inception_evaluation_without_weights_stops_before_training(keras_home, capsys):
    with pytest.raises(SystemExit) as exit:
        cli.run(["tfgan-zoo", "--config=zoo_configs/dcgan.py:tiny", "--config.eval.features="
                 "inception", "--config.eval.every_epochs=1", f"--workdir={keras_home / 'run'}"])
    lines = capsys.readouterr().err.strip().splitlines()
    assert exit.value.code == 2 and len(lines) == 1 and "not in the Keras cache" in lines[0]
    assert not (keras_home / "run" / "checkpoints").exists()


def test_real_digits_score_near_the_floor_and_noise_far_from_it(tmp_path):
    evaluator = evaluate.Evaluator.for_data("images", "mnist", cache_dir=str(tmp_path))
    floor = evaluator.floor()["real"]
    assert floor["score"] > 9 and floor["classes_covered"] == 10
    assert floor["label_accuracy"] >= 0.98
    assert os.listdir(tmp_path)  # the training split's features are cached

    class Noise:
        data_kind, num_classes, latent_dim = "images", None, 4

        def noise(self, z, labels):
            return np.random.default_rng(0).uniform(-1, 1, (len(z), 28, 28, 1))

    noise = evaluator.evaluate(Noise(), num_samples=500)["samples"]
    assert noise["fd"] > 20 * floor["fd"] and noise["recall"] < floor["recall"]
    assert noise["swd"] > 10 * floor["swd"]
    assert floor["memorized"] == pytest.approx(0.01, abs=0.01) and noise["memorized"] == 0


def test_a_model_that_copies_its_training_images_is_caught_and_shown(tmp_path):
    evaluator = evaluate.Evaluator.for_data("images", "emoji", cache_dir=str(tmp_path))
    assert evaluator.features_name == "emoji"  # auto: the emoji's own classifier
    train_images = evaluator.domains["a"].train_images()
    floor = evaluator.floor()["real"]
    assert 0 < floor["memorized"] <= 0.02 and floor["classes_covered"] == 9

    class Copier:  # a "generator" that returns training images: pure memorization
        data_kind, num_classes, latent_dim = "images", None, 4

        def noise(self, z, labels):  # a batch of distinct training images, drawn uniformly
            draw = np.random.default_rng(int(abs(z[0, 0]) * 1e6))
            return train_images[draw.choice(len(train_images), len(z), replace=False)]

    copies = evaluator.evaluate(Copier(), num_samples=300)["samples"]
    assert copies["memorized"] == 1.0 and copies["fd"] < 3 * floor["fd"]
    figure = evaluator.nearest_figures()["samples"]
    assert figure.shape == (8 * 65 - 1, 2 * 65 - 1, 3)  # 8 pairs of 64x64, gutters, at 1x
    np.testing.assert_array_equal(figure[:64, :64], figure[:64, 65:])  # each beside its copy


@pytest.mark.slow
def test_the_callback_writes_the_metrics_to_tensorboard(tmp_path):
    gan = tfgan_zoo.models.get("cgan", **tiny_config("cgan").hparams)
    gan.compile(jit_compile=False)
    evaluator = evaluate.Evaluator.for_data("labelled", "mnist", cache_dir=str(tmp_path))
    callback = callbacks.EvaluateEvery(evaluator, str(tmp_path / "logs"), every_epochs=2,
                                       num_samples=200, verbose=0)
    gan.fit(tfgan_zoo.data.load("mnist", batch_size=16, repeat=True), epochs=3,
            steps_per_epoch=2, verbose=0, callbacks=[callback])
    # one tag per metric in two runs, the samples' and the real data's: one chart each
    samples, real = (tensors(str(tmp_path / "logs" / run), steps=True) for run in ("eval", "real"))
    tags = {f"quality/{m}" for m in ("fd", "kd", "swd", "memorized", "score", "precision",
                                     "recall", "coverage", "classes_covered", "label_accuracy")}
    assert tags <= set(samples) and set(samples) == set(real)
    assert all(not tag.startswith("real") for tag in samples)
    for tag in tags:
        assert [step for step, _ in samples[tag]] == [2, 3], tag  # after epoch 2 and the last
    (_, fd), (_, floor) = samples["quality/fd"][-1], real["quality/fd"][-1]
    assert fd == callback.results[-1][1]["samples"]["fd"] and floor == evaluator.floor(20)["real"]["fd"]
    assert [epoch for epoch, _ in callback.results] == [2, 3]


# Its tests share an xdist_group: one test process builds it.
@pytest.fixture(scope="session")  # once per test process (see conftest.py)
def exported(tmp_path_factory):
    """Tiny dcgan and cyclegan runs through train.run, metrics on during training."""
    runs = {}
    for name in ("dcgan", "cyclegan"):
        config = tiny_config(name)
        config.eval.update(every_epochs=1, num_samples=100)
        workdir = tmp_path_factory.mktemp(name)
        runs[name] = (workdir, train.run(config, str(workdir)))
    return runs


@pytest.mark.slow
@pytest.mark.xdist_group("exported")
def test_training_writes_metrics_to_tensorboard_and_the_export_records_its_data(exported):
    workdir, out = exported["dcgan"]
    assert len(tensors(os.path.join(out.logs, "eval"))["quality/fd"]) == 1
    with open(os.path.join(out.saved_model, evaluate.METADATA)) as f:
        metadata = json.load(f)
    assert metadata["model"] == "dcgan" and metadata["dataset"] == "mnist"
    assert metadata["latent_dim"] == tiny_config("dcgan").hparams.latent_dim


@pytest.mark.slow
@pytest.mark.xdist_group("exported")
def test_evaluate_a_workdir_writes_metrics_json_and_prints_a_table(exported, capsys):
    workdir, _ = exported["dcgan"]
    cli.run(["tfgan-zoo", "evaluate", str(workdir), "--num_samples=300"])
    out = capsys.readouterr().out
    assert "real (floor)" in out and "recall" in out
    with open(workdir / "metrics.json") as f:
        results = json.load(f)
    assert results["num_samples"] == 300 and results["samples"]["num_images"] == 300
    for key in ("fd", "kd", "score", "precision", "recall", "density", "coverage",
                "classes_covered"):
        assert np.isfinite(results["samples"][key]) and np.isfinite(results["real"][key])
    assert results["real"]["fd"] < results["samples"]["fd"]  # an untrained tiny model
    assert results["features"] == "digits" and results["samples"]["swd"] > results["real"]["swd"]
    nearest = tf.io.decode_png(tf.io.read_file(str(workdir / "nearest.png")))
    assert nearest.shape == (8 * 3 * 29 - 3, 2 * 3 * 29 - 3, 1)  # 8 pairs of 28x28, x3


@pytest.mark.slow
@pytest.mark.xdist_group("exported")
def test_evaluate_a_translation_model_reports_label_preservation_both_ways(exported, tmp_path):
    workdir, out = exported["cyclegan"]
    output = tmp_path / "m.json"
    cli.run(["tfgan-zoo", "evaluate", out.saved_model, f"--output={output}"])
    results = json.loads(output.read_text())
    for direction in ("a_to_b", "b_to_a"):
        assert 0 <= results[direction]["label_preservation"] <= 1
    assert results["real_a"]["label_accuracy"] >= 0.98  # the ceilings: real test digits
    assert results["real_b"]["label_accuracy"] >= 0.90


def plain_keras_saved_model(path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.export(str(path), verbose=False)


@pytest.mark.parametrize("make", [
    lambda path: None,  # an empty directory
    lambda path: tf.saved_model.save(tf.Module(), str(path)),
    plain_keras_saved_model,
])
def test_evaluate_something_else_is_one_line_and_exit_2(make, tmp_path, capsys):
    make(tmp_path)
    with pytest.raises(SystemExit) as exit:
        cli.run(["tfgan-zoo", "evaluate", str(tmp_path)])
    assert exit.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "neither a tfgan-zoo workdir" in lines[0], lines
    assert not (tmp_path / "metrics.json").exists()


def test_evaluate_help_names_its_flags(capsys):
    with pytest.raises(SystemExit) as exit:
        cli.run(["tfgan-zoo", "evaluate", "--help"])
    out = capsys.readouterr().out
    assert exit.value.code == 0
    for flag in ("--num_samples", "--features", "--inception_weights", "--output"):
        assert flag in out
    with pytest.raises(SystemExit) as exit:
        cli.run(["tfgan-zoo", "evaluate", ".", "--features=nope"])
    assert exit.value.code == 2 and "--features" in capsys.readouterr().err
