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
