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
    with pytest.raises(tfgan_zoo.InputError, match="--features=inception"):
        classifier(np.zeros((2, 32, 32, 3), np.float32))


def test_inception_features_are_2048_wide_and_a_missing_weights_file_is_a_clear_error():
    extractor = features.InceptionFeatures(weights=None)  # random weights: shapes only
    feats, probabilities = extractor(np.zeros((3, 28, 28, 1), np.float32))
    assert feats.shape == (3, 2048) and probabilities is None
    assert extractor.prepare(tf.zeros([1, 32, 32, 3])).shape == (1, 299, 299, 3)
    with pytest.raises(tfgan_zoo.InputError, match="no InceptionV3 weights file at /no/such"):
        features.InceptionFeatures("/no/such.h5")


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


@pytest.mark.slow
def test_the_callback_writes_the_metrics_to_tensorboard(tmp_path):
    gan = tfgan_zoo.models.get("cgan", **tiny_config("cgan").hparams)
    gan.compile(jit_compile=False)
    evaluator = evaluate.Evaluator.for_data("labelled", "mnist", cache_dir=str(tmp_path))
    callback = callbacks.EvaluateEvery(evaluator, str(tmp_path / "eval"), every_epochs=2,
                                       num_samples=200, verbose=0)
    gan.fit(tfgan_zoo.data.load("mnist", batch_size=16, repeat=True), epochs=3,
            steps_per_epoch=2, verbose=0, callbacks=[callback])
    written = tensors(str(tmp_path / "eval"))
    for tag in ("fd", "kd", "score", "precision", "recall", "coverage", "classes_covered",
                "label_accuracy", "real/fd", "real/label_accuracy"):
        assert len(written[tag]) == 2, tag  # after epochs 2 and 3 (the last)
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
    assert len(tensors(os.path.join(out.logs, "eval"))["fd"]) == 1
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
