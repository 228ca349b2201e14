"""The reliability filter's verdicts against a brute-force check of every row.

Candidates are walked exactly as the engine walks them; the brute force sorts
all rows by (squared distance, row number) and needs no tree, list or bound.
"""

import math

import numpy as np
import pytest

from knnor import _neighbourhood
from knnor._kernels.blas import power_of_two_scale
from knnor._kernels.filter import (
    DUPLICATE,
    PENDING,
    RELIABLE,
    WRONG_NEIGHBOURS,
    certificate_verdict,
    empty_row_table,
    filter_verdict,
    register_if_new,
)
from knnor._kernels.neighbours import tree_stack
from knnor._kernels.walk import walk


def brute_verdict(data, labels, label, candidate, n_check):
    sq = ((data - candidate) ** 2).sum(axis=1)
    nearest = np.lexsort((np.arange(len(data)), sq))[:n_check]
    if sq.min() == 0.0:
        return DUPLICATE
    return RELIABLE if (labels[nearest] == label).all() else WRONG_NEIGHBOURS


def filter_inputs(data, labels, label, k):
    class_rows = np.flatnonzero(labels == label).astype(np.int64)
    class_data = np.ascontiguousarray(data[class_rows])
    class_index = _neighbourhood.NeighbourIndex(class_data, power_of_two_scale(data))
    sq, neighbours = class_index.knn(class_data, k, exclude_self=True)
    class_side, other_side, _, _ = _neighbourhood.filter_sides(
        data,
        labels,
        class_rows,
        class_data,
        class_index,
        neighbours,
        np.sqrt(sq[:, -1]),
        True,
        "unanimous",
        "auto",
        k,
    )
    return class_data, neighbours, class_side, other_side


def verdicts(data, labels, label, k, alphas):
    """(certificate verdicts, full verdicts, brute-force verdicts) of every
    seed walked with every alpha."""
    class_data, neighbours, class_side, other_side = filter_inputs(data, labels, label, k)
    n_check = math.isqrt(k)
    stack = max(tree_stack(class_side[1]), tree_stack(other_side[0]), key=lambda s: len(s[0]))
    certified, full, brute = [], [], []
    candidate = np.empty(data.shape[1])
    for seed in range(class_data.shape[0]):
        anchors = np.concatenate([[seed], neighbours[seed]]).astype(np.int64)
        for alpha in alphas:
            walk(class_data, seed, neighbours, k, alpha, candidate)
            anchor_scratch = (np.empty(k + 1), np.empty(k + 1), np.empty(n_check, np.int64))
            certified.append(
                certificate_verdict(
                    candidate, anchors, n_check, class_side, other_side, anchor_scratch
                )[0]
            )
            scratch = (*anchor_scratch, np.empty(n_check), np.empty(n_check, np.int64), stack)
            full.append(
                filter_verdict(candidate, anchors, n_check, class_side, other_side, scratch)
            )
            brute.append(brute_verdict(data, labels, label, candidate, n_check))
    return np.array(certified), np.array(full), np.array(brute)


@pytest.fixture(params=[(1, 0.5), (3, 2.0), (None, None)], ids=["short", "medium", "default"])
def list_size(request, monkeypatch):
    """Short lists leave more to the bounds and the tree searches."""
    size, radius = request.param
    if size is not None:
        monkeypatch.setattr(_neighbourhood, "OTHER_LIST_SIZE", size)
        monkeypatch.setattr(_neighbourhood, "OTHER_LIST_RADIUS", radius)
    return request.param


@pytest.mark.parametrize("n_features", [3, 20])
def test_verdicts_equal_brute_force_on_overlapping_classes(n_features, list_size):
    # 20 features take the scan (BLAS) layout; the per-candidate verdict is the same.
    rng = np.random.default_rng(n_features)
    data = np.vstack([rng.normal(size=(600, n_features)), rng.normal(0.7, size=(80, n_features))])
    labels = np.repeat([0, 1], [600, 80]).astype(np.int64)
    certified, full, brute = verdicts(data, labels, 1, 4, [0.0, 0.1, 0.3, 0.5, 0.9])
    np.testing.assert_array_equal(full, brute)
    settled = certified != PENDING
    np.testing.assert_array_equal(certified[settled], brute[settled])
    for verdict in (RELIABLE, WRONG_NEIGHBOURS, DUPLICATE):
        assert (brute == verdict).any()
    if list_size == (None, None):  # the default lists settle some of each
        assert (certified == RELIABLE).any() and (certified == WRONG_NEIGHBOURS).any()


def test_verdicts_equal_brute_force_with_ties_and_duplicates(list_size):
    # Integer points: many rows at equal distances, repeated rows in both classes.
    rng = np.random.default_rng(1)
    grid = rng.integers(0, 4, size=(300, 2)).astype(float)
    data = np.vstack([grid, grid[:30]])
    labels = (rng.random(330) < 0.3).astype(np.int64)
    labels[300:] = 1 - labels[:30]  # the repeated rows change class
    certified, full, brute = verdicts(data, labels, 1, 5, [0.0, 0.25, 0.5, 1.0])
    np.testing.assert_array_equal(full, brute)
    settled = certified != PENDING
    np.testing.assert_array_equal(certified[settled], brute[settled])


def test_complete_lists_settle_everything():
    # Fewer other-class rows than a list holds and n_neighbors = class size - 1:
    # every list holds every row, so the certificate alone decides.
    rng = np.random.default_rng(2)
    n_other = _neighbourhood.OTHER_LIST_SIZE - 4
    data = rng.normal(size=(n_other + 6, 3))
    labels = np.repeat([0, 1], [n_other, 6]).astype(np.int64)
    certified, full, brute = verdicts(data, labels, 1, 5, np.linspace(0, 1, 21))
    np.testing.assert_array_equal(full, brute)
    np.testing.assert_array_equal(certified, brute)
    assert (brute == RELIABLE).any() and (brute == WRONG_NEIGHBOURS).any()


def test_row_table_accepts_each_distinct_row_once_like_a_python_set():
    rng = np.random.default_rng(5)
    pool = rng.integers(0, 4, size=(40, 3)).astype(float)
    pool[::7, 0] = -0.0  # -0.0 equals 0.0, as the returned values compare
    rows_in = pool[rng.integers(0, 40, size=300)]
    table = empty_row_table(300)
    registered = np.empty((300, 3))
    seen, n_rows = set(), 0
    for row in rows_in:
        expected_new = tuple(row) not in seen
        seen.add(tuple(row))
        assert register_if_new(table, registered, n_rows, row) == expected_new
        n_rows += expected_new
    assert n_rows == len(seen)
    assert {tuple(r) for r in registered[:n_rows]} == seen
