"""Sample-quality metrics: pure numpy functions of features, class probabilities and labels.

Feature extractors live apart (features.py); evaluate.py puts the two together.
Every function takes arrays [n, ...] and returns Python floats (or a dict of them).
"""
import numpy as np


def _float64(x):
    return np.asarray(x, np.float64)


def trace_sqrt_product(cov_a, cov_b):
    """Tr((C_a C_b)^1/2), as Tr((C_a^1/2 C_b C_a^1/2)^1/2): the inner matrix is symmetric
    positive semi-definite, so its eigenvalues are real and the square root is stable."""
    values, vectors = np.linalg.eigh(cov_a)
    sqrt_a = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    inner = sqrt_a @ cov_b @ sqrt_a
    return float(np.sum(np.sqrt(np.clip(np.linalg.eigvalsh((inner + inner.T) / 2), 0, None))))


def frechet_distance(features_a, features_b):
    """Fréchet distance between Gaussians fitted to two feature sets (Heusel et al. 2017):
    ||mu_a - mu_b||^2 + Tr(C_a + C_b - 2 (C_a C_b)^1/2), float64, unbiased covariances."""
    a, b = _float64(features_a), _float64(features_b)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    mean_term = np.sum((a.mean(0) - b.mean(0)) ** 2)
    return float(mean_term + np.trace(cov_a) + np.trace(cov_b)
                 - 2 * trace_sqrt_product(cov_a, cov_b))


def _polynomial_kernel(x, y):
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def kernel_distance(features_a, features_b, num_subsets=100, subset_size=1000, seed=0):
    """Kernel distance (KID, Bińkowski et al. 2018): the unbiased MMD^2 with the kernel
    k(x, y) = (x.y / d + 1)^3, averaged over `num_subsets` random subsets of up to
    `subset_size` from each set. Returns (mean, standard deviation)."""
    a, b = _float64(features_a), _float64(features_b)
    m = min(subset_size, len(a), len(b))
    rng = np.random.default_rng(seed)
    estimates = []
    for _ in range(num_subsets):
        x = a[rng.choice(len(a), m, replace=False)]
        y = b[rng.choice(len(b), m, replace=False)]
        k_xx, k_yy = _polynomial_kernel(x, x), _polynomial_kernel(y, y)
        # diagonals removed: the unbiased estimator (eq. 3 of Gretton et al. 2012)
        within = ((k_xx.sum() - np.trace(k_xx)) + (k_yy.sum() - np.trace(k_yy))) / (m * (m - 1))
        estimates.append(within - 2 * _polynomial_kernel(x, y).mean())
    return float(np.mean(estimates)), float(np.std(estimates))


def classifier_score(probabilities, eps=1e-12):
    """exp(E_x[KL(p(y|x) || p(y))]) (the Inception Score's formula, Salimans et al. 2016,
    with any classifier): 1 for one class or uniform predictions, up to the number of
    classes for confident predictions spread evenly over all of them."""
    p = _float64(probabilities)
    marginal = p.mean(0, keepdims=True)
    kl = np.sum(p * (np.log(p + eps) - np.log(marginal + eps)), axis=1)
    return float(np.exp(kl.mean()))


def pairwise_distances(x, y):
    """Euclidean distances [len(x), len(y)]."""
    x, y = _float64(x), _float64(y)
    squared = (x * x).sum(1)[:, None] + (y * y).sum(1)[None, :] - 2 * x @ y.T
    return np.sqrt(np.clip(squared, 0, None))


def kth_neighbour_radii(x, k):
    """Each point's distance to its k-th nearest other point."""
    distances = pairwise_distances(x, x)
    return np.partition(distances, k, axis=1)[:, k]  # column 0 is the point itself


NEIGHBOURS = 5  # PRDC's k (Naeem et al. 2020)
MIN_SAMPLES = NEIGHBOURS + 1  # a k-th nearest other point needs k + 1 points


def precision_recall_density_coverage(real, fake, k=NEIGHBOURS, real_radii=None):
    """Kynkäänniemi et al. 2019 (precision, recall) and Naeem et al. 2020 (density,
    coverage) in feature space, each point's ball reaching its k-th nearest neighbour:
      precision: share of fakes inside some real ball (how realistic);
      recall:    share of reals inside some fake ball (how diverse);
      density:   mean number of real balls holding a fake, / k;
      coverage:  share of reals whose own ball holds a fake.
    `real_radii`: kth_neighbour_radii(real, k), if already known."""
    if real_radii is None:
        real_radii = kth_neighbour_radii(real, k)
    fake_radii = kth_neighbour_radii(fake, k)
    real_to_fake = pairwise_distances(real, fake)
    inside_real = real_to_fake < real_radii[:, None]  # [real, fake]: fake in real's ball
    return {
        "precision": float(inside_real.any(axis=0).mean()),
        "recall": float((real_to_fake < fake_radii[None, :]).any(axis=1).mean()),
        "density": float(inside_real.sum(axis=0).mean() / k),
        "coverage": float(inside_real.any(axis=1).mean()),
    }


def class_coverage(probabilities, expected_shares=None):
    """How the classifier's predictions spread over the classes: `class_shares` (share of
    samples per predicted class), `classes_covered` (classes holding at least half their
    expected share: `expected_shares`, the real data's, or uniform if None) and
    `kl_to_uniform` (0 when perfectly even)."""
    p = np.asarray(probabilities)
    num_classes = p.shape[1]
    shares = class_shares(p)
    expected = (np.full(num_classes, 1 / num_classes) if expected_shares is None
                else np.asarray(expected_shares))
    held = shares[shares > 0]
    return {"class_shares": shares.tolist(),
            "classes_covered": int((shares >= 0.5 * expected).sum()),
            "kl_to_uniform": float(np.sum(held * np.log(held * num_classes)))}


def class_shares(probabilities):
    """Share of images per predicted class."""
    p = np.asarray(probabilities)
    return np.bincount(p.argmax(1), minlength=p.shape[1]) / len(p)


def label_accuracy(probabilities, labels):
    """Share of samples the classifier reads as `labels`: for a conditional generator, the
    requested labels; for a translation, the source image's label (label preservation)."""
    return float((np.asarray(probabilities).argmax(1) == np.asarray(labels)).mean())


def nearest(x, reference, batch_size=1000):
    """(distance, index) of each row of `x`'s nearest row of `reference` (Euclidean),
    computed in blocks so that large sets fit in memory."""
    distances, indices = [], []
    for i in range(0, len(x), batch_size):
        block = pairwise_distances(x[i:i + batch_size], reference)
        indices.append(block.argmin(1))
        distances.append(block[np.arange(len(block)), indices[-1]])
    return np.concatenate(distances), np.concatenate(indices)


MEMORIZED_PERCENTILE = 1  # of the held-out real images' distances to the training set


def memorization_threshold(held_out_nearest, percentile=MEMORIZED_PERCENTILE):
    """The distance to the training set that only `percentile` % of unseen real images come
    closer than: closer than that, a sample is likely a copy of a training image."""
    return float(np.percentile(held_out_nearest, percentile))


def memorized_share(nearest_distances, threshold):
    """Share of images closer to a training image than `threshold` (the "reproduction of
    training samples" failure; held-out real images score about MEMORIZED_PERCENTILE %)."""
    return float((np.asarray(nearest_distances) < threshold).mean())


# The multi-scale sliced Wasserstein distance of ProGAN (Karras et al. 2018, sec. 5 and
# appendix D): statistics of 7x7 neighbourhoods at each level of a Laplacian pyramid,
# compared by 1-D Wasserstein distances along random directions. Needs no trained network.
BINOMIAL_5 = np.array([1, 4, 6, 4, 1], np.float32) / 16  # the pyramid's Gaussian kernel
PATCH = 7
SWD_COARSEST = 16  # halve while the smaller side is above this (ProGAN's 16x16 level)
SWD_DESCRIPTORS = 32_768  # neighbourhoods per level and image set (ProGAN: 2^21)
SWD_PROJECTIONS = 512  # ProGAN: 4 repeats of 128 directions


def _blur(images, axes=(1, 2), stride=1):
    """The separable 5-tap binomial filter over `axes` (height, width), reflecting at the
    edges, keeping every `stride`-th output."""
    for axis in axes:
        size = images.shape[axis]
        pad = [(0, 0)] * images.ndim
        pad[axis] = (2, 2)
        padded = np.pad(images, pad, mode="reflect" if size > 2 else "edge")
        taps = [padded[(slice(None),) * axis + (slice(i, i + size, stride),)]
                for i in range(5)]
        images = BINOMIAL_5[0] * (taps[0] + taps[4]) + BINOMIAL_5[1] * (taps[1] + taps[3]) \
            + BINOMIAL_5[2] * taps[2]
    return images


def _down(images):
    return _blur(images, stride=2)


def _up(images, shape):
    """`images` upsampled to `shape` (h, w): zeros between the pixels, then the filter x 4."""
    up = np.zeros((len(images), *shape, images.shape[-1]), np.float32)
    up[:, ::2, ::2] = images
    return 4 * _blur(up)


def laplacian_pyramid(images):
    """[band at full size, band at 1/2, ..., the blurred image at the coarsest size]: each
    band is a level minus its downsampled level upsampled again, so the bands add up to the
    image. Levels halve while the smaller side is above SWD_COARSEST (64x64: 64, 32, 16)."""
    level, pyramid = np.asarray(images, np.float32), []
    while min(level.shape[1:3]) > SWD_COARSEST:
        smaller = _down(level)
        pyramid.append(level - _up(smaller, level.shape[1:3]))
        level = smaller
    return pyramid + [level]


def swd_descriptors(images, count=SWD_DESCRIPTORS, seed=0):
    """{level height: [count, 7 * 7, channels]}: neighbourhoods drawn at random positions of
    random images, from each level of the Laplacian pyramid of `images` ([n, h, w, c])."""
    rng = np.random.default_rng(seed)
    found = {}
    for level in laplacian_pyramid(images):
        n, height, width, _ = level.shape
        patch = min(PATCH, height, width)
        image = rng.integers(0, n, count)[:, None, None]
        rows = rng.integers(0, height - patch + 1, count)[:, None, None] + np.arange(patch)[:, None]
        cols = rng.integers(0, width - patch + 1, count)[:, None, None] + np.arange(patch)
        found[height] = level[image, rows, cols].reshape(count, patch * patch, -1)
    return found


def sliced_wasserstein(a, b, projections=SWD_PROJECTIONS, seed=0):
    """The sliced Wasserstein distance between two equal-sized point sets [n, d]: the mean,
    over random unit directions, of the mean gap between the sorted projections."""
    directions = np.random.default_rng(seed).standard_normal((a.shape[1], projections))
    directions /= np.linalg.norm(directions, axis=0, keepdims=True)
    directions = directions.astype(np.float32)
    projected_a = np.sort(np.asarray(a, np.float32) @ directions, axis=0)
    projected_b = np.sort(np.asarray(b, np.float32) @ directions, axis=0)
    return float(np.abs(projected_a - projected_b).mean(dtype=np.float64))


def sliced_wasserstein_distance(real, fake, seed=0):
    """{"swd": mean over levels, "swd_levels": {size: distance}}, both x 10^3 (ProGAN's
    unit), of descriptor sets `real` and `fake` from `swd_descriptors` (or of two image sets
    [n, h, w, c] in [-1, 1]). Both are normalised per channel by `real`'s mean and standard
    deviation at each level: ProGAN's code normalises each set by its own, which hides a
    uniform colour cast; with the real set's, a cast shows at the coarsest level."""
    if not isinstance(real, dict):
        real, fake = swd_descriptors(real, seed=seed), swd_descriptors(fake, seed=seed)
    levels = {}
    for size, real_level in real.items():
        mean = real_level.mean(axis=(0, 1))
        std = np.maximum(real_level.std(axis=(0, 1)), 1e-8)
        levels[size] = 1e3 * sliced_wasserstein(
            ((real_level - mean) / std).reshape(len(real_level), -1),
            ((fake[size] - mean) / std).reshape(len(fake[size]), -1), seed=seed)
    return {"swd": float(np.mean(list(levels.values()))), "swd_levels": levels}
