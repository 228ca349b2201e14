"""Properties every KNNOR output must have, checked by brute force."""

import math
from collections import Counter

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_wine, make_classification
from sklearn.preprocessing import StandardScaler

from knnor import KNNOR, PAPER_PARAMS


def datasets():
    cancer = load_breast_cancer()
    wine = load_wine()
    blobs = make_classification(
        n_samples=800,
        n_features=6,
        n_informative=4,
        n_classes=4,
        n_clusters_per_class=1,
        weights=[0.55, 0.25, 0.15, 0.05],
        class_sep=0.8,
        random_state=3,
    )
    return {
        "breast_cancer": (StandardScaler().fit_transform(cancer.data), cancer.target),
        "wine": (StandardScaler().fit_transform(wine.data), wine.target),
        "four_classes": blobs,
    }


DATASETS = datasets()


@pytest.mark.parametrize("name", sorted(DATASETS))
@pytest.mark.parametrize("random_state", [0, 1])
def test_output_properties(name, random_state):
    X, y = DATASETS[name]
    X_before, y_before = X.copy(), y.copy()
    sampler = KNNOR(random_state=random_state, n_neighbors=4)
    X_res, y_res = sampler.fit_resample(X, y)
    n = len(X)

    # Originals first and unchanged; the caller's arrays untouched.
    np.testing.assert_array_equal(X_res[:n], X_before)
    np.testing.assert_array_equal(y_res[:n], y_before)
    np.testing.assert_array_equal(X, X_before)

    # Class counts are what sampling_strategy asked for.
    counts = Counter(y_res)
    for label, n_new in sampler.sampling_strategy_.items():
        assert counts[label] == Counter(y)[label] + n_new
        assert sampler.class_stats_[label]["n_accepted"] == n_new

    synthetic, synthetic_y = X_res[n:], y_res[n:]
    assert len(synthetic) == len(sampler.provenance_)
    # No synthetic point duplicates an original or another synthetic point.
    assert len(np.unique(X_res, axis=0)) == len(np.unique(X, axis=0)) + len(synthetic)

    for point, label, walk in zip(synthetic, synthetic_y, sampler.provenance_, strict=True):
        class_x = X[y == label]
        # Inside the bounding box of its class.
        assert (point >= class_x.min(axis=0)).all() and (point <= class_x.max(axis=0)).all()
        # The seed and the rows walked through are of the class.
        rows = walk[walk >= 0]
        assert (y[rows] == label).all()
        # The reliability filter, recomputed by brute force with the k in force
        # when the point was accepted (the length of its walk).
        k_used = len(rows) - 1
        dist = ((X - point) ** 2).sum(axis=1)
        nearest = np.argsort(dist, kind="stable")[: math.isqrt(k_used)]
        assert dist[nearest[0]] > 0
        assert (y[nearest] == label).all()


def test_filter_off_is_plain_interpolation():
    X, y = DATASETS["breast_cancer"]
    with_filter = KNNOR(random_state=0, **PAPER_PARAMS)  # rejects some candidates here
    without = KNNOR(random_state=0, reliability_filter=False)
    X_res, _ = without.fit_resample(X, y)
    with_filter.fit_resample(X, y)
    stats = without.class_stats_[0]
    assert stats["n_generated"] == stats["n_accepted"] == stats["n_requested"]
    assert stats["n_rejected_filter"] == stats["n_rejected_duplicate"] == 0
    assert with_filter.class_stats_[0]["n_rejected_filter"] > 0
    # Every walk uses the full n_neighbors: no relaxation without rejections.
    assert (without.provenance_ >= 0).all()
