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


def class_coverage(probabilities):
    """How the classifier's predictions spread over the classes: `class_shares` (share of
    samples per predicted class), `classes_covered` (classes holding at least half the
    uniform share) and `kl_to_uniform` (0 when perfectly even)."""
    p = np.asarray(probabilities)
    num_classes = p.shape[1]
    shares = np.bincount(p.argmax(1), minlength=num_classes) / len(p)
    held = shares[shares > 0]
    return {"class_shares": shares.tolist(),
            "classes_covered": int((shares >= 0.5 / num_classes).sum()),
            "kl_to_uniform": float(np.sum(held * np.log(held * num_classes)))}


def label_accuracy(probabilities, labels):
    """Share of samples the classifier reads as `labels`: for a conditional generator, the
    requested labels; for a translation, the source image's label (label preservation)."""
    return float((np.asarray(probabilities).argmax(1) == np.asarray(labels)).mean())
