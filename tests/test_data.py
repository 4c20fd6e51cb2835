import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from tfgan_zoo import InputError, data


def test_offline_mnist_is_real_digits_in_unit_range_with_labels():
    ds = data.load("mnist", batch_size=32, labels=True)
    images, labels = next(iter(ds))
    assert images.shape == (32, 28, 28, 1) and labels.shape == (32,)
    assert images.numpy().min() == -1.0 and images.numpy().max() == 1.0
    train = data.images_and_labels("mnist", "train")[0].cardinality().numpy()
    test = data.images_and_labels("mnist", "test")[0].cardinality().numpy()
    assert (train, test) == (4500, 500)
    # shuffled, batched with drop_remainder: 4500 // 32 full batches
    assert ds.cardinality().numpy() == 4500 // 32
    assert len(set(labels.numpy())) > 5


def test_tfds_source_under_mock_data():
    with tfds.testing.mock_data(num_examples=20):
        images, labels = next(iter(data.load("tfds:mnist", batch_size=8, labels=True)))
    assert images.shape == (8, 28, 28, 1) and labels.dtype == tf.int32
    assert -1.0 <= images.numpy().min() and images.numpy().max() <= 1.0


def test_tfds_source_resizes_when_asked():
    with tfds.testing.mock_data(num_examples=8):
        images, _ = next(iter(data.load("tfds:cifar10", batch_size=4, image_size=(28, 28))))
    assert images.shape == (4, 28, 28, 3)


def write_pngs(directory, count, size=(12, 10), channels=3):
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        image = np.full((*size, channels), 40 * i, np.uint8)
        tf.io.write_file(str(directory / f"{i}.png"), tf.io.encode_png(image))


def test_folder_with_class_subfolders_gives_labels(tmp_path):
    write_pngs(tmp_path / "cats", 3)
    write_pngs(tmp_path / "dogs", 2)
    images, labels = next(iter(data.load(f"folder:{tmp_path}", batch_size=5, labels=True)))
    assert images.shape == (5, 12, 10, 3)
    assert sorted(labels.numpy()) == [0, 0, 0, 1, 1]
    np.testing.assert_allclose(sorted(set(images.numpy()[:, 0, 0, 0].round(4))),
                               [-1.0, 40 / 127.5 - 1, 80 / 127.5 - 1], atol=1e-3)


def test_class_subfolders_give_labels_by_default_as_in_keras(tmp_path):
    write_pngs(tmp_path / "cats", 3)
    write_pngs(tmp_path / "dogs", 2)
    dataset = data.load(f"folder:{tmp_path}", batch_size=5)
    images, labels = next(iter(dataset))
    assert dataset.num_classes == 2 and sorted(labels.numpy()) == [0, 0, 0, 1, 1]
    unlabelled = data.load(f"folder:{tmp_path}", batch_size=5, labels=False)
    assert next(iter(unlabelled)).shape == (5, 12, 10, 3)


def test_flat_folder_has_no_labels(tmp_path):
    write_pngs(tmp_path, 4, channels=1)
    dataset = data.load(f"folder:{tmp_path}", batch_size=2)
    assert next(iter(dataset)).shape == (2, 12, 10, 1) and dataset.num_classes is None
    with pytest.raises(InputError, match="has no labels"):
        data.load(f"folder:{tmp_path}", labels=True)


@pytest.mark.parametrize("name, message", [
    ("imagenet", "unknown dataset 'imagenet'.*mnist.*tfds:NAME.*folder:PATH"),
    ("folder:/no/such/dir", "not a directory"),
    ("tfds:no_such_dataset_xyz", "tfds:no_such_dataset_xyz"),
])
def test_bad_dataset_names_get_one_clear_error(name, message):
    with pytest.raises(InputError, match=message):
        data.load(name)


def test_a_dataset_smaller_than_one_batch_names_the_batch_size(tmp_path):
    write_pngs(tmp_path, 3)
    with pytest.raises(InputError, match="has 3 images, fewer than one batch of 4.*batch_size"):
        data.load(f"folder:{tmp_path}", batch_size=4)
    assert next(iter(data.load(f"folder:{tmp_path}", batch_size=3))).shape[0] == 3


def test_an_empty_or_corrupt_image_file_is_named(tmp_path):
    write_pngs(tmp_path, 3)
    (tmp_path / "b_empty.png").write_bytes(b"")
    (tmp_path / "c_text.jpg").write_text("not a picture")
    with pytest.raises(InputError, match=f"{tmp_path / 'b_empty.png'} is empty or not an image "
                                         r"\(and 1 more\): remove or replace it"):
        data.load(f"folder:{tmp_path}", batch_size=2)


def test_grayscale_and_rgb_files_in_one_folder_are_converted_to_the_first_ones(tmp_path):
    write_pngs(tmp_path / "a", 2, channels=3)
    write_pngs(tmp_path / "b", 2, channels=1)
    images, labels = next(iter(data.load(f"folder:{tmp_path}", batch_size=4, shuffle=False)))
    assert images.shape == (4, 12, 10, 3) and sorted(labels.numpy()) == [0, 0, 1, 1]


def test_the_offline_emoji_load_with_their_groups_and_a_held_out_split_no_image_crosses():
    from tfgan_zoo.data import sources

    counts = {split: int(data.images_and_labels("emoji", split)[0].cardinality())
              for split in ("train", "test", "all")}
    assert counts == {"train": 1495, "test": 366, "all": 1861}
    images, labels = next(iter(data.load("emoji", batch_size=64, labels=True)))
    assert images.shape == (64, 64, 64, 3) and labels.dtype == tf.int32
    small = next(iter(data.load("emoji", batch_size=8, image_size=(32, 32), labels=False)))
    assert small.shape == (8, 32, 32, 3)
    everything, groups, test = sources.emoji()
    names = sources.emoji_names()
    assert len(names) == 9 and names[0] == "Smileys & Emotion" and names[-1] == "Flags"
    for group in range(9):  # every group on both sides of the split, about a fifth held out
        share = test[groups == group].mean()
        assert 0.15 < share < 0.25, names[group]
    assert len({image.tobytes() for image in everything}) == len(everything)  # none twice
    with np.load(sources.EMOJI_FILE) as arrays:  # no skin-tone variants (tools/build_emoji.py)
        assert not any(tone in points for points in arrays["code_points"]
                       for tone in ("1F3FB", "1F3FC", "1F3FD", "1F3FE", "1F3FF"))
    # white backgrounds, colour glyphs: the corners are white, the images not grey
    assert (everything[:, 0, 0] == 255).mean() > 0.6
    assert np.abs(everything.astype(int)[..., 0] - everything[..., 2]).mean() > 10
