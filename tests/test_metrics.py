"""The metrics on cases whose answers are known by hand."""
import numpy as np
import pytest
import scipy.linalg

from tfgan_zoo import metrics


def gaussian(mean, cov, n, seed):
    return np.random.default_rng(seed).multivariate_normal(mean, cov, size=n)


def test_frechet_distance_agrees_with_scipy_sqrtm_on_random_data():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((400, 16)) @ rng.standard_normal((16, 16))
    b = rng.standard_normal((300, 16)) * 2 + 1
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    reference = (np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(cov_a + cov_b)
                 - 2 * np.trace(scipy.linalg.sqrtm(cov_a @ cov_b).real))
    assert metrics.frechet_distance(a, b) == pytest.approx(reference, rel=1e-6)


def test_frechet_distance_is_zero_for_identical_sets_and_closed_form_for_gaussians():
    a = np.random.default_rng(1).standard_normal((500, 8))
    assert abs(metrics.frechet_distance(a, a)) < 1e-8
    # N(0, I) vs N(m, 4I) in d dims: |m|^2 + d (1 + 4 - 2*2) = |m|^2 + d
    d, m = 4, np.array([1.0, 2.0, 0.0, 0.0])
    x = gaussian(np.zeros(d), np.eye(d), 200_000, 2)
    y = gaussian(m, 4 * np.eye(d), 200_000, 3)
    assert metrics.frechet_distance(x, y) == pytest.approx(5.0 + d, rel=0.01)


def test_kernel_distance_is_unbiased_around_zero_for_one_distribution_and_matches_a_known_mmd():
    x = gaussian(np.zeros(3), np.eye(3), 2000, 4)
    y = gaussian(np.zeros(3), np.eye(3), 2000, 5)
    mean, std = metrics.kernel_distance(x, y, num_subsets=50, subset_size=500)
    assert abs(mean) < 3 * std / np.sqrt(50) + 1e-3
    # a shift by s along one axis: for the cubic kernel the population MMD^2, computed here
    # by brute force on huge samples, is what the subset estimator must approach
    shifted = x + np.array([1.0, 0, 0])
    mean_shift, _ = metrics.kernel_distance(x, shifted, num_subsets=20, subset_size=1000)
    big_x = gaussian(np.zeros(3), np.eye(3), 6000, 6)
    big_y = gaussian(np.array([1.0, 0, 0]), np.eye(3), 6000, 7)
    k = lambda u, v: ((u @ v.T) / 3 + 1) ** 3  # noqa: E731
    population = k(big_x, big_x).mean() + k(big_y, big_y).mean() - 2 * k(big_x, big_y).mean()
    assert mean_shift == pytest.approx(population, rel=0.15)
    assert mean_shift > 10 * std


def test_classifier_score_ranges_from_one_to_the_number_of_classes():
    confident_even = np.eye(10)[np.arange(1000) % 10]
    assert metrics.classifier_score(confident_even) == pytest.approx(10, rel=1e-6)
    one_class = np.eye(10)[np.zeros(1000, int)]
    assert metrics.classifier_score(one_class) == pytest.approx(1, rel=1e-6)
    assert metrics.classifier_score(np.full((100, 10), 0.1)) == pytest.approx(1, rel=1e-6)
    half = np.eye(10)[np.arange(1000) % 5]
    assert metrics.classifier_score(half) == pytest.approx(5, rel=1e-6)


def clusters(n_per_class, classes, seed):
    """Ten well-separated 2-d clusters; returns points of the given classes."""
    rng = np.random.default_rng(seed)
    centres = 20 * np.stack([np.cos(np.arange(10)), np.sin(np.arange(10))], 1)
    return np.concatenate([centres[c] + rng.standard_normal((n_per_class, 2)) for c in classes])


def test_prdc_is_one_for_identical_sets_and_recall_drops_for_one_class_of_ten():
    real = clusters(100, range(10), 0)
    same = metrics.precision_recall_density_coverage(real, real)
    assert same["precision"] == same["recall"] == same["coverage"] == 1.0
    assert same["density"] == pytest.approx(1.0, abs=0.25)
    collapsed = metrics.precision_recall_density_coverage(real, clusters(1000, [3], 1))
    assert collapsed["precision"] > 0.95  # every sample is realistic ...
    assert collapsed["recall"] == pytest.approx(0.1, abs=0.02)  # ... but covers a tenth
    assert collapsed["coverage"] == pytest.approx(0.1, abs=0.02)
    far = metrics.precision_recall_density_coverage(real, real + 1000.0)
    assert far == {"precision": 0.0, "recall": 0.0, "density": 0.0, "coverage": 0.0}


def test_class_coverage_and_label_accuracy():
    probabilities = np.eye(10)[[0] * 50 + [1] * 30 + [2] * 20]
    coverage = metrics.class_coverage(probabilities)
    assert coverage["classes_covered"] == 3  # >= 0.05 each; the other seven have none
    assert coverage["class_shares"][:3] == [0.5, 0.3, 0.2]
    expected_kl = sum(s * np.log(s * 10) for s in (0.5, 0.3, 0.2))
    assert coverage["kl_to_uniform"] == pytest.approx(expected_kl)
    even = metrics.class_coverage(np.eye(10)[np.arange(100) % 10])
    assert even["classes_covered"] == 10 and even["kl_to_uniform"] == pytest.approx(0)
    assert metrics.label_accuracy(probabilities, [0] * 50 + [2] * 50) == 0.7


def test_class_coverage_counts_a_rare_class_against_its_real_share():
    # a class the real data holds 2 % of, sampled at 1.5 %: covered against its real share,
    # not against the uniform 10 % (half of which would be 5 %)
    real = np.array([0.2] * 4 + [0.02] + [0.045] * 4 + [0.0])
    real /= real.sum()
    shares = np.round(real * 1000).astype(int)
    probabilities = np.eye(10)[np.repeat(np.arange(10), shares)]
    uniform = metrics.class_coverage(probabilities)["classes_covered"]
    relative = metrics.class_coverage(probabilities, real)["classes_covered"]
    assert (uniform, relative) == (4, 10)


def test_nearest_finds_each_rows_closest_reference_in_blocks():
    rng = np.random.default_rng(0)
    reference = rng.standard_normal((300, 5))
    x = reference[[7, 150, 299]] + 1e-3
    distances, indices = metrics.nearest(x, reference, batch_size=2)
    assert indices.tolist() == [7, 150, 299]
    np.testing.assert_allclose(distances, np.sqrt(5) * 1e-3, rtol=1e-4)


def test_memorized_share_counts_samples_closer_than_the_held_out_first_percentile():
    held_out = np.arange(1, 101, dtype=float)  # distances 1..100: the 1st percentile is 1.99
    threshold = metrics.memorization_threshold(held_out)
    assert threshold == pytest.approx(1.99)
    assert metrics.memorized_share(held_out, threshold) == 0.01  # real data's own share
    copies = np.array([0.0, 0.5, 1.0, 50.0])  # three copies of training images, one new image
    assert metrics.memorized_share(copies, threshold) == 0.75


def emoji_like(n=60, size=64, seed=0):
    """Smooth colour blobs in [-0.5, 0.5]: room for a colour shift without clipping."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:size, :size] / size
    centres = rng.uniform(0.2, 0.8, (n, 2, 1, 1))
    blob = np.exp(-((yy - centres[:, 0]) ** 2 + (xx - centres[:, 1]) ** 2) * 30)
    colour = rng.uniform(-0.5, 0.5, (n, 1, 1, 3))
    return (blob[..., None] * colour + rng.normal(0, 0.05, (n, size, size, 3))).astype(np.float32)


def test_the_laplacian_pyramid_stops_at_16_and_adds_back_up_to_the_image():
    images = emoji_like(4)
    pyramid = metrics.laplacian_pyramid(images)
    assert [level.shape[1] for level in pyramid] == [64, 32, 16]
    assert [level.shape[1] for level in metrics.laplacian_pyramid(images[:, :28, :28])] == [28, 14]
    rebuilt = pyramid[-1]
    for band in reversed(pyramid[:-1]):
        rebuilt = band + metrics._up(rebuilt, band.shape[1:3])
    np.testing.assert_allclose(rebuilt, images, atol=1e-5)


def test_sliced_wasserstein_distance_is_zero_for_identical_sets_and_grows_with_a_difference():
    images = emoji_like(size=32)
    same = metrics.sliced_wasserstein_distance(images, images.copy())
    assert same["swd"] == 0 and set(same["swd_levels"]) == {32, 16}
    other = metrics.sliced_wasserstein_distance(images, emoji_like(size=32, seed=1))
    noise = metrics.sliced_wasserstein_distance(
        images, np.random.default_rng(2).uniform(-1, 1, images.shape).astype(np.float32))
    assert 0 < other["swd"] < noise["swd"] / 10


def test_a_pure_colour_shift_shows_at_the_coarsest_level_only():
    images = emoji_like(size=32)
    shifted = images + np.array([0.3, -0.2, 0.1], np.float32)
    levels = metrics.sliced_wasserstein_distance(images, shifted)["swd_levels"]
    assert levels[32] < 1e-3  # the band does not see a constant
    assert levels[16] > 100
