"""What KNNOR reports: provenance_, class_stats_, warnings, and the "auto" parameters."""

import time
import warnings
from collections import Counter

import numpy as np
import pytest
from _data import assert_resampled_counts, binary_data, hopeless_data, three_class_data
from imblearn.utils import check_sampling_strategy

from knnor import KNNOR
from knnor._engine import nonzero_gap
from knnor._neighbourhood import auto_max_dist_point, auto_n_neighbors, auto_proportion

# ---------------------------------------------------------------------------
# provenance_ and class_stats_


@pytest.mark.parametrize("reliability_filter", [False, True])
def test_provenance(reliability_filter):
    X, y = three_class_data()
    k = 4
    sampler = KNNOR(random_state=0, n_neighbors=k, reliability_filter=reliability_filter)
    X_res, y_res = sampler.fit_resample(X, y)
    n = len(X)
    synthetic, synthetic_y = X_res[n:], y_res[n:]
    provenance = sampler.provenance_

    assert provenance.dtype == np.int64
    assert provenance.shape == (len(synthetic), k + 1)
    seeds = provenance[:, 0]
    assert ((seeds >= 0) & (seeds < n)).all()
    np.testing.assert_array_equal(y[seeds], synthetic_y)
    if not reliability_filter:
        # Nothing is rejected, so nothing is relaxed: every walk is complete.
        assert (provenance >= 0).all()

    for point, label, walk in zip(synthetic, synthetic_y, provenance, strict=True):
        walked = walk[1:][walk[1:] >= 0]
        # -1 only pads the end of shortened walks.
        assert (walk[1 : 1 + len(walked)] >= 0).all()
        assert len(walked) >= 1
        assert (y[walked] == label).all()
        assert walk[0] not in walked
        # Walked rows are the seed's nearest class-mates, nearest first.
        class_rows = np.flatnonzero((y == label) & (np.arange(n) != walk[0]))
        dist = np.linalg.norm(X[class_rows] - X[walk[0]], axis=1)
        walked_dist = np.linalg.norm(X[walked] - X[walk[0]], axis=1)
        np.testing.assert_allclose(walked_dist, np.sort(dist)[: len(walked)])
        # The point lies between the seed and the rows walked through.
        corners = X[np.r_[walk[0], walked]]
        tol = 1e-12 * (1 + np.abs(corners).max())
        assert (point >= corners.min(axis=0) - tol).all()
        assert (point <= corners.max(axis=0) + tol).all()


def test_class_stats_consistent():
    X, y = three_class_data()
    sampler = KNNOR(random_state=0, sampling_strategy="not majority")
    _, y_res = sampler.fit_resample(X, y)
    synthetic_counts = Counter(y_res[len(y) :])
    assert set(sampler.class_stats_) == set(synthetic_counts)
    for label, stats in sampler.class_stats_.items():
        assert stats["n_accepted"] == synthetic_counts[label]
        assert stats["n_requested"] == sampler.sampling_strategy_[label]
        assert stats["n_generated"] == (
            stats["n_accepted"] + stats["n_rejected_filter"] + stats["n_rejected_duplicate"]
        )
        assert stats["n_seeds"] == max(1, round(stats["proportion_minority"] * Counter(y)[label]))


def test_unreachable_target_warns_and_returns():
    X, y = hopeless_data()
    sampler = KNNOR(random_state=0)
    start = time.perf_counter()
    with pytest.warns(UserWarning) as record:
        X_res, y_res = sampler.fit_resample(X, y)
    elapsed = time.perf_counter() - start

    stats = sampler.class_stats_[1]
    assert stats["n_requested"] == 300
    assert stats["n_accepted"] < stats["n_requested"]
    messages = [str(w.message) for w in record if issubclass(w.category, UserWarning)]
    assert any(
        f"{stats['n_accepted']} of the {stats['n_requested']}" in message for message in messages
    ), messages
    assert stats["n_generated"] == (
        stats["n_accepted"] + stats["n_rejected_filter"] + stats["n_rejected_duplicate"]
    )
    assert len(X_res) == len(y_res) == len(X) + stats["n_accepted"]
    assert len(sampler.provenance_) == stats["n_accepted"]
    assert (y_res[len(X) :] == 1).all()
    assert elapsed < 10


def test_unreachable_warning_points_at_caller():
    # Like scikit-learn's own warnings, it must name the line that called
    # fit_resample, so that users can find and filter it.
    X, y = hopeless_data()
    with pytest.warns(UserWarning, match="accepted") as record:
        KNNOR(random_state=0).fit_resample(X, y)
    assert [w.filename for w in record] == [__file__] * len(record)


def test_no_warning_when_target_reached():
    X, y = binary_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        KNNOR(random_state=0).fit_resample(X, y)


# ---------------------------------------------------------------------------
# "auto" parameters


def test_auto_parameters_within_documented_ranges():
    X, y = three_class_data()
    sampler = KNNOR(
        random_state=0,
        n_neighbors="auto",
        max_dist_point="auto",
        proportion_minority="auto",
    )
    X_res, y_res = sampler.fit_resample(X, y)
    counts = Counter(y)
    assert_resampled_counts(y, y_res, check_sampling_strategy("auto", y, "over-sampling"))
    for label, stats in sampler.class_stats_.items():
        assert isinstance(stats["n_neighbors"], int)
        assert 1 <= stats["n_neighbors"] <= counts[label] - 1
        assert 0.01 <= stats["max_dist_point"] <= 1.0
        assert 0.5 <= stats["proportion_minority"] <= 1.0
    width = max(s["n_neighbors"] for s in sampler.class_stats_.values()) + 1
    assert sampler.provenance_.shape == (len(X_res) - len(X), width)


def _one_d(minority, majority):
    X = np.r_[minority, majority].astype(float).reshape(-1, 1)
    y = np.r_[np.ones(len(minority), dtype=int), np.zeros(len(majority), dtype=int)]
    return X, y


def test_auto_n_neighbors_by_hand():
    # Points 0..10: the end points have the fewest points closer than their
    # mean squared distance (385 / 11 = 35 -> 0..5, six points), so k = 6 // 2.
    points = np.arange(11.0).reshape(-1, 1)
    assert auto_n_neighbors(points) == 3
    X, y = _one_d(np.arange(11.0), np.arange(100.0, 130.0))
    sampler = KNNOR(random_state=0, n_neighbors="auto")
    sampler.fit_resample(X, y)
    assert sampler.class_stats_[1]["n_neighbors"] == 3


@pytest.mark.parametrize(
    "k_distances, expected",
    [
        ([1.0] * 8 + [13.0, 20.0], 0.8),  # elbow at the last flat point (index 7)
        ([1.0] * 8 + [10.0, 10.0], 0.8),
        ([1.0] * 2 + [10.0] * 8, 0.5),  # elbow at index 1 -> 0.2, raised to the floor
        ([2.0] * 10, 1.0),  # all equally dense
        (list(range(10)), 1.0),  # a straight line has nothing below its chord
    ],
)
def test_auto_proportion_by_hand(k_distances, expected):
    assert auto_proportion(np.array(k_distances)) == pytest.approx(expected)


def test_auto_proportion_through_sampler():
    # With k = 1 the k-distances of 0..7, 20, 40 are eight 1s, then 13 and 20.
    X, y = _one_d([0, 1, 2, 3, 4, 5, 6, 7, 20, 40], np.arange(1000.0, 1031.0))
    sampler = KNNOR(random_state=0, n_neighbors=1, proportion_minority="auto")
    sampler.fit_resample(X, y)
    stats = sampler.class_stats_[1]
    assert stats["proportion_minority"] == pytest.approx(0.8)
    assert stats["n_seeds"] == 8


@pytest.mark.parametrize(
    "minority, majority, expected",
    [
        ([0, 1, 3], [5, 7, 8], 2 / 3),  # diameter 3, gap 2
        ([0, 1], [5, 9], 1 / 4),  # diameter 1, gap 4
        ([0, 10], [10.5, 12], 0.05),  # diameter 10, gap 0.5
        ([0, 10], [10.001, 12], 0.01),  # 1e-4 clipped to 0.01
        ([0, 1, 3], [3, 7], 2 / 3),  # a zero distance (shared point) is ignored
    ],
)
def test_auto_max_dist_point_by_hand(minority, majority, expected):
    class_data = np.array(minority, dtype=float).reshape(-1, 1)
    other = np.array(majority, dtype=float).reshape(-1, 1)
    gap = nonzero_gap(class_data, other)
    assert auto_max_dist_point(class_data, gap) == pytest.approx(expected)


def test_auto_max_dist_point_through_sampler():
    X, y = _one_d([0, 1, 3], [5, 7, 8, 9, 10, 11])
    sampler = KNNOR(random_state=0, n_neighbors=2, max_dist_point="auto")
    sampler.fit_resample(X, y)
    assert sampler.class_stats_[1]["max_dist_point"] == pytest.approx(2 / 3)
