"""Measures a model with the metrics, against the real-vs-real floor.

    results = Evaluator.for_data(kind="images", dataset="mnist").evaluate(ModelSampler(gan))

Noise-to-image models: N samples (labels cycling through the classes if conditional)
against the training split's features; image-to-image models: the test split of each
domain translated, against the other domain's training split. The floor is the same
measurement of held-out real images (the test split) against the training split, so
every number has a scale. Used by `tfgan-zoo evaluate` and the EvaluateEvery callback.
"""
import dataclasses
import hashlib
import json
import os

import numpy as np
import tensorflow as tf

from tfgan_zoo import data, features, files, images as images_lib, metrics
from tfgan_zoo.errors import InputError

METADATA = os.path.join("assets.extra", "tfgan_zoo.json")  # in a zoo SavedModel


def measure(extractor, images, reference, labels=None, label_name="label_accuracy",
            kd_subsets=100, threshold=None, keep=None):
    """The metrics of `images` against `reference` (a Reference of real training images):
    the sliced Wasserstein distance always; with a feature `extractor`, the feature metrics,
    and the memorized share if `threshold` (Domain.threshold) is given. `keep`, a dict,
    receives the images and each one's nearest training image (distance, index)."""
    results = {"num_images": len(images)}
    results.update(metrics.sliced_wasserstein_distance(
        reference.descriptors, metrics.swd_descriptors(images)))
    if extractor is None:
        return results
    feats, probabilities = extractor(images)
    kd, kd_std = metrics.kernel_distance(feats, reference.features, num_subsets=kd_subsets)
    results.update(fd=metrics.frechet_distance(feats, reference.features), kd=kd,
                   kd_std=kd_std)
    results.update(metrics.precision_recall_density_coverage(
        reference.features, feats, real_radii=reference.radii))
    if threshold is not None:
        distances, indices = metrics.nearest(feats, reference.features)
        results["memorized"] = metrics.memorized_share(distances, threshold)
        if keep is not None:
            keep.update(images=images, distances=distances, indices=indices)
    if probabilities is not None:
        results["score"] = metrics.classifier_score(probabilities)
        coverage = metrics.class_coverage(probabilities, reference.class_shares)
        results.update(classes_covered=coverage["classes_covered"],
                       kl_to_uniform=coverage["kl_to_uniform"])
        if labels is not None:
            results[label_name] = metrics.label_accuracy(probabilities, labels)
    return results


@dataclasses.dataclass
class Reference:
    """What the metrics compare with, of a real split, cached on disk when asked: its
    features and class probabilities (None without a feature network), each feature
    vector's distance to its 5th nearest neighbour (PRDC's radii), the predicted class
    shares, and the sliced Wasserstein distance's neighbourhoods {level: array}."""
    features: np.ndarray
    probabilities: np.ndarray
    descriptors: dict

    def __post_init__(self):
        self.radii = (None if self.features is None
                      else metrics.kth_neighbour_radii(self.features, metrics.NEIGHBOURS))
        self.class_shares = (metrics.class_shares(self.probabilities)
                             if self.probabilities is not None else None)


def real_images(dataset, split, image_size=None, channels=None, data_dir=None):
    """(images, labels or None) of a whole split, unshuffled."""
    loaded = data.load(dataset, split, batch_size=1000, shuffle=False, drop_remainder=False,
                       image_size=image_size, channels=channels, data_dir=data_dir)
    batches = list(loaded)
    if loaded.num_classes is None:
        return np.concatenate([b.numpy() for b in batches]), None
    return (np.concatenate([b[0].numpy() for b in batches]),
            np.concatenate([b[1].numpy() for b in batches]))


def check_enough(dataset, split, count):
    """InputError if a split holds too few images for the metrics (None: not known)."""
    if count is not None and count < metrics.MIN_SAMPLES:
        raise InputError(f"dataset {dataset!r} holds {count} {split} images, fewer than the "
                         f"{metrics.MIN_SAMPLES} the metrics compare against (k = "
                         f"{metrics.NEIGHBOURS} neighbours): add images, or turn evaluation off "
                         "(config: eval.every_epochs=0)")


class Domain:
    """One dataset's real images: the training split (the reference) and the test split
    (held out: the floor, and the inputs of a translation)."""

    def __init__(self, extractor, dataset, image_size=None, channels=None, data_dir=None,
                 cache_dir=None, splits=("train", "test"), images_of=None):
        self.extractor, self.dataset = extractor, dataset
        self._args = dict(image_size=image_size, channels=channels, data_dir=data_dir)
        # split -> (images, labels or None); default: the dataset's images
        self._images_of = images_of or (lambda split: real_images(dataset, split, **self._args))
        self.train_split, self.test_split = splits
        self.cache_dir = cache_dir
        self.test_images, self.test_labels = self._images_of(self.test_split)
        train_count = None
        if images_of is None and isinstance(dataset, str):
            train_count = data.known(data.images_and_labels(
                dataset, self.train_split, data_dir)[0].cardinality())
        for split, count in ((self.test_split, len(self.test_images)),
                             (self.train_split, train_count)):
            check_enough(dataset, split, count)
        self._reference, self._floors, self._threshold = None, {}, None

    @property
    def reference(self):
        if self._reference is None:
            self._reference = self._cached_reference()
        return self._reference

    def _cached_reference(self):
        path = None
        name = getattr(self.extractor, "name", "none")
        if self.cache_dir:
            key = json.dumps([name, getattr(self.extractor, "version", ""), "swd2",
                              self.dataset, self.train_split, self._args], default=str)
            digest = hashlib.sha1(key.encode()).hexdigest()[:12]
            path = os.path.join(self.cache_dir, f"reference-{name}-{digest}.npz")
            if os.path.exists(path):
                with np.load(path) as cached:
                    return Reference(*unpack(dict(cached)))
        images, _ = self._images_of(self.train_split)
        check_enough(self.dataset, self.train_split, len(images))
        feats, probabilities = self.extractor(images) if self.extractor else (None, None)
        reference = Reference(feats, probabilities, metrics.swd_descriptors(images))
        if path:
            os.makedirs(self.cache_dir, exist_ok=True)
            with files.atomic_path(path) as partial:
                np.savez(partial, **pack(reference))
        return reference

    @property
    def threshold(self):
        """The memorization threshold: the 1st percentile of the held-out images' feature
        distances to their nearest training image (None without a feature network)."""
        if self._threshold is None and self.extractor is not None:
            distances, _ = metrics.nearest(self.extractor(self.test_images)[0],
                                           self.reference.features)
            self._threshold = metrics.memorization_threshold(distances)
        return self._threshold

    def floor(self, kd_subsets=100):
        """Held-out real images measured against the training split (once)."""
        if kd_subsets not in self._floors:
            self._floors[kd_subsets] = measure(self.extractor, self.test_images,
                                               self.reference, self.test_labels,
                                               kd_subsets=kd_subsets, threshold=self.threshold)
        return self._floors[kd_subsets]

    def train_images(self):
        return self._images_of(self.train_split)[0]


def pack(reference):
    """A Reference as arrays for np.savez (absent parts left out)."""
    arrays = {f"swd_{size}": level for size, level in reference.descriptors.items()}
    if reference.features is not None:
        arrays["features"] = reference.features
    if reference.probabilities is not None:
        arrays["probabilities"] = reference.probabilities
    return arrays


def unpack(arrays):
    """The (features, probabilities, descriptors) that `pack` stored."""
    descriptors = {int(k[4:]): v for k, v in arrays.items() if k.startswith("swd_")}
    return arrays.get("features"), arrays.get("probabilities"), descriptors


class ModelSampler:
    """Samples of an in-memory zoo model."""

    def __init__(self, gan):
        self.gan = gan
        self.data_kind = gan.data_kind
        self.num_classes = getattr(gan, "num_classes", None)
        self.latent_dim = getattr(gan, "latent_dim", None)
        self.directions = list(getattr(gan, "directions", ()))

    def noise(self, z, labels):
        return self.gan.generate(z=z, labels=labels)

    def translate(self, images, direction):
        return self.gan.generate(images, direction)

    def input_shape(self, direction):
        """(height, width, channels) of the images `direction` translates."""
        return self.gan.image_shape if direction == self.directions[0] else self.gan.target_shape


class SavedModelSampler:
    """Samples of a zoo SavedModel export, through its serving signatures."""

    def __init__(self, path):
        metadata = os.path.join(path, METADATA)
        if not os.path.isfile(metadata):
            raise InputError(f"{path} is not a tfgan-zoo SavedModel export (no {METADATA}): "
                             "point evaluate at a workdir or at export/<model>/<version>")
        with open(metadata) as f:
            self.metadata = json.load(f)
        self.data_kind = self.metadata["data_kind"]
        self.num_classes = self.metadata.get("num_classes")
        self.directions = self.metadata.get("directions", [])
        self.latent_dim = self.metadata.get("latent_dim")
        self._signatures = tf.saved_model.load(path).signatures

    def noise(self, z, labels):
        inputs = {"z": tf.constant(z, tf.float32)}
        if self.num_classes:
            inputs["label"] = tf.constant(labels, tf.int32)
        return self._signatures["generate"](**inputs)["images"].numpy()

    def translate(self, images, direction):
        return self._signatures[direction](images=tf.constant(images, tf.float32))["images"].numpy()

    def input_shape(self, direction):
        """(height, width, channels) of the images `direction` translates: the training
        images' size, the endpoint's channels."""
        spec = self._signatures[direction].structured_input_signature[1]["images"]
        return (*self.metadata["image_shape"][:2], spec.shape[-1])


def real_pairs(dataset, dataset_b, split, image_size=None, channels=None, input_side="left"):
    """(inputs, targets, labels or None) of a whole paired split, unshuffled."""
    loaded = data.load_paired(dataset, dataset_b or None, split, batch_size=1000, shuffle=False,
                              drop_remainder=False, image_size=image_size, channels=channels,
                              labels=True, input_side=input_side)
    inputs, targets, labels = (np.concatenate(parts) for parts in zip(
        *[[part.numpy() for part in batch] for batch in loaded]))
    return inputs, targets, labels if loaded.num_classes else None


def nearest_figure(kept, train_images, count=8):
    """uint8 image: the `count` images of `kept` (measure's) most like a training image,
    closest first, each (left) beside that training image (right), enlarged to be seen."""
    order = np.argsort(kept["distances"])[:count]
    pairs = np.stack([kept["images"][order], train_images[kept["indices"][order]]], axis=1)
    pixels = images_lib.grid(pairs.reshape(-1, *pairs.shape[2:]), rows=len(order))
    return images_lib.enlarged(pixels, images_lib.enlargement(pairs.shape[2]))


def pixel_errors(images, targets):
    """Mean L1 and PSNR (dB; per image, then averaged) of images in [-1, 1] against
    `targets`, on the [0, 1] pixel scale."""
    error = (np.asarray(images, np.float64) - np.asarray(targets, np.float64)) / 2
    error = error.reshape(len(error), -1)
    mse = np.maximum(np.mean(error**2, axis=1), 1e-10)
    return {"l1": float(np.mean(np.abs(error))), "psnr": float(np.mean(-10 * np.log10(mse)))}


class PairedEvaluator:
    """Paired translation (pix2pix): every test input translated, against its target (L1,
    PSNR) and, where the features read the targets, against the training targets (the
    Fréchet distance, ..., label preservation: the class of the translation's target).
    `floor()` gives the scale: the inputs as they are ("inputs": the baseline to beat, a
    grayscale input copied to the targets' channels) and the real test targets ("real_b":
    the ceiling of the feature metrics)."""

    data_kind = "paired"

    def __init__(self, extractor, dataset, dataset_b=None, image_size=None, channels=None,
                 input_side="left", cache_dir=None):
        def pairs(split):
            return real_pairs(dataset, dataset_b, split, image_size, channels, input_side)

        self.inputs, self.targets, self.labels = pairs("test")
        readable = extractor is not None and (
            getattr(extractor, "image_shape", None) in (None, self.targets.shape[1:])
            or extractor.name == "emoji")
        self.targets_domain = Domain(
            extractor if readable else None, f"{dataset}|{dataset_b or ''}|targets",
            image_size, channels, cache_dir=cache_dir, images_of=lambda split: pairs(split)[1:])
        self._floors = {}
        self.kept = {}

    def _measure(self, outputs, kd_subsets, keep=None):
        results = pixel_errors(outputs, self.targets)
        domain = self.targets_domain
        results.update(measure(domain.extractor, outputs, domain.reference, self.labels,
                               "label_preservation", kd_subsets, domain.threshold, keep))
        return results

    def evaluate(self, sampler, num_samples=None, seed=0, kd_subsets=100):
        """{"a_to_b": ...}: the metrics of every test input's translation."""
        del num_samples, seed  # the test pairs decide, and translation draws nothing
        outputs = _in_batches(lambda i, n: sampler.translate(self.inputs[i:i + n], "a_to_b"),
                              len(self.inputs))
        self.kept = {"a_to_b": {}}
        return {"a_to_b": self._measure(outputs, kd_subsets, self.kept["a_to_b"])}

    @property
    def features_name(self):
        return getattr(self.targets_domain.extractor, "name", "none")

    def nearest_figures(self, count=8):
        """{group: nearest_figure} of the last evaluation (features permitting)."""
        return {group: nearest_figure(kept, self.targets_domain.train_images(), count)
                for group, kept in self.kept.items() if kept}

    def floor(self, kd_subsets=100):
        """{"inputs": the inputs untranslated, "real_b": the test targets themselves}."""
        if kd_subsets not in self._floors:
            as_targets = np.broadcast_to(self.inputs, self.inputs.shape[:-1]
                                         + self.targets.shape[-1:])
            found = {"inputs": self._measure(np.ascontiguousarray(as_targets), kd_subsets),
                     "real_b": self.targets_domain.floor(kd_subsets)}
            self._floors[kd_subsets] = found
        return self._floors[kd_subsets]


def _in_batches(fn, n, batch_size=500):
    return np.concatenate([fn(i, min(batch_size, n - i)) for i in range(0, n, batch_size)])


class Evaluator:
    """Measures samples of one model kind on its data; `floor()` is the real-vs-real scale."""

    def __init__(self, data_kind, domains):
        self.data_kind, self.domains = data_kind, domains
        self.kept = {}  # group -> the last evaluation's images and their nearest training image

    @classmethod
    def for_data(cls, data_kind, dataset, dataset_b=None, image_size=None, channels=None,
                 data_dir=None, features_name="auto", inception_weights=None,
                 cache_dir=None, input_side="left"):
        """The evaluator of `data_kind` data; `features_name` as features.choose() has it
        ("auto": the shipped classifier that reads the images, if any)."""
        def extractor_for(name, image_shape):
            chosen = features.choose(features_name, name, image_shape)
            return None if chosen is None else features.get(chosen, inception_weights)

        if data_kind == "paired":
            targets = real_pairs(dataset, dataset_b, "test", image_size, channels,
                                 input_side)[1]
            return PairedEvaluator(extractor_for(dataset, targets.shape[1:]), dataset,
                                   dataset_b, image_size, channels, input_side, cache_dir)
        args = dict(image_size=image_size, channels=channels, data_dir=data_dir,
                    cache_dir=cache_dir)
        if data_kind in ("images", "labelled"):
            a = Domain(None, dataset, **args)
            a.extractor = extractor_for(dataset, a.test_images.shape[1:])
            return cls(data_kind, {"a": a})
        if data_kind == "unpaired":
            if dataset_b:
                (name_b, splits_a, splits_b) = dataset_b, ("train", "test"), ("train", "test")
            else:  # tfds:cycle_gan/NAME: its A and B splits
                (name_b, splits_a, splits_b) = dataset, ("trainA", "testA"), ("trainB", "testB")
            a = Domain(None, dataset, splits=splits_a, **args)
            if image_size is None:  # B at A's size, as training has it (data.load_unpaired)
                args["image_size"] = tuple(a.test_images.shape[1:3])
            b = Domain(None, name_b, splits=splits_b, **args)
            a.extractor = b.extractor = extractor_for(dataset, a.test_images.shape[1:])
            return cls(data_kind, {"a": a, "b": b})
        raise InputError(f"no evaluation for {data_kind!r} data yet")

    @property
    def features_name(self):
        """The feature network measuring (none: only the sliced Wasserstein distance)."""
        return getattr(self.domains["a"].extractor, "name", "none")

    def nearest_figures(self, count=8):
        """{group: nearest_figure} of the last evaluation (features permitting): the samples'
        against domain a's training images, a translation's against its target domain's."""
        return {group: nearest_figure(kept, self.domains[
                    "a" if group == "samples" else group.split("_to_")[1]].train_images(), count)
                for group, kept in self.kept.items() if kept}

    def floor(self, kd_subsets=100):
        """{"real": ...} or, for translations, {"real_a": ..., "real_b": ...}."""
        if self.data_kind in ("images", "labelled"):
            return {"real": self.domains["a"].floor(kd_subsets)}
        return {f"real_{name}": domain.floor(kd_subsets)
                for name, domain in self.domains.items()}

    def evaluate(self, sampler, num_samples=5000, seed=0, kd_subsets=100):
        """{"samples": ...} or {"a_to_b": ..., "b_to_a": ...}: the sampler's metrics."""
        if self.data_kind in ("images", "labelled"):
            return {"samples": self._sample_noise(sampler, num_samples, seed, kd_subsets)}
        results, self.kept = {}, {}
        for direction in sampler.directions:
            source, target = (self.domains[d] for d in direction.split("_to_"))
            translated = _in_batches(lambda i, n: sampler.translate(
                source.test_images[i:i + n], direction), len(source.test_images))
            self.kept[direction] = {}
            results[direction] = measure(target.extractor, translated, target.reference,
                                         source.test_labels, "label_preservation", kd_subsets,
                                         target.threshold, self.kept[direction])
        return results

    def _sample_noise(self, sampler, num_samples, seed, kd_subsets):
        domain = self.domains["a"]
        rng = np.random.default_rng(seed)
        z = rng.standard_normal((num_samples, sampler.latent_dim)).astype(np.float32)
        labels = (np.arange(num_samples) % sampler.num_classes if sampler.num_classes
                  else None)
        images = _in_batches(lambda i, n: sampler.noise(
            z[i:i + n], None if labels is None else labels[i:i + n]), num_samples)
        self.kept = {"samples": {}}
        return measure(domain.extractor, images, domain.reference, labels,
                       kd_subsets=kd_subsets, threshold=domain.threshold,
                       keep=self.kept["samples"])


def scalars(results):
    """Flat {metric: value} of `evaluate()` or `floor()` results: fd, kd, score, ...
    (noise-to-image) or a_to_b/fd, a_to_b/label_preservation, ... (image-to-image)."""
    flat = {}
    for group, values in results.items():
        prefix = "" if group in ("samples", "real") else f"{group}/"
        flat.update({prefix + k: v for k, v in values.items()
                     if isinstance(v, (int, float)) and k != "num_images"})
    return flat


def tensorboard_runs(results, floor):
    """{run: {tag: value}} for TensorBoard: the model's metrics in run "eval", the real
    data's floor in run "real" under the same tags (quality/fd, or quality/a_to_b/fd for a
    translation, whose floor is its target domain's), so one chart shows a curve and the
    floor it approaches; a paired model's untranslated inputs (the baseline) in "inputs"."""
    runs = {"eval": {}, "real": {}}
    for group, values in results.items():
        prefix = "quality/" if group == "samples" else f"quality/{group}/"
        target = "real" if group == "samples" else "real_" + group.split("_to_")[1]
        for run, found in (("eval", values), ("real", floor.get(target, {})),
                           ("inputs", floor.get("inputs"))):
            if found is not None:
                runs.setdefault(run, {}).update(
                    {prefix + k: v for k, v in found.items()
                     if isinstance(v, (int, float)) and k != "num_images"})
    return runs
