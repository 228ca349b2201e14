"""The numba k-NN paths against an independent numpy brute-force search."""

import numpy as np
import pytest

from knnor._kernels.blas import blas_knn, blas_knn_within, blas_rows, power_of_two_scale
from knnor._kernels.neighbours import NO_ROW, build_kdtree, tree_knn, tree_knn_within
from knnor._neighbourhood import NeighbourIndex


def numpy_knn(data, queries, k, exclude_self):
    """Reference: full distance matrix, order by (distance, row index)."""
    sq = np.array([((data - query) ** 2).sum(axis=1) for query in queries])
    if exclude_self:
        np.fill_diagonal(sq, np.inf)
    rows = np.arange(data.shape[0])
    idx = np.array([np.lexsort((rows, d))[:k] for d in sq])
    return np.take_along_axis(sq, idx, axis=1), idx


def both_paths(data, queries, k, exclude_self):
    """The kd-tree search, the scan (a tree with one leaf) and the BLAS search."""
    return (
        tree_knn(build_kdtree(data), queries, k, exclude_self),
        tree_knn(build_kdtree(data, data.shape[0]), queries, k, exclude_self),
        blas_knn(blas_rows(data, power_of_two_scale(data)), queries, k, exclude_self),
    )


@pytest.mark.parametrize(
    "n, d, k", [(2, 3, 1), (7, 2, 3), (300, 2, 5), (1000, 5, 8), (400, 20, 4)]
)
@pytest.mark.parametrize("exclude_self", [False, True])
def test_random_data_matches_numpy(n, d, k, exclude_self):
    rng = np.random.default_rng(n * d + k)
    data = rng.normal(size=(n, d))
    queries = data if exclude_self else rng.normal(size=(50, d))
    expected_dist, expected_idx = numpy_knn(data, queries, k, exclude_self)
    for dist, idx in both_paths(data, queries, k, exclude_self):
        np.testing.assert_array_equal(idx, expected_idx)
        np.testing.assert_allclose(dist, expected_dist, rtol=1e-12)


@pytest.mark.parametrize("exclude_self", [False, True])
def test_ties_broken_by_row_index(exclude_self):
    # A small integer grid with every point repeated: distances are exact
    # integers, so ties abound and only the (distance, index) order decides.
    rng = np.random.default_rng(0)
    grid = rng.integers(0, 3, size=(150, 3)).astype(float)
    data = np.vstack([grid, grid[::-1], grid[:40]])
    queries = data if exclude_self else rng.integers(0, 3, size=(60, 3)).astype(float)
    expected_dist, expected_idx = numpy_knn(data, queries, 12, exclude_self)
    for dist, idx in both_paths(data, queries, 12, exclude_self):
        np.testing.assert_array_equal(idx, expected_idx)
        np.testing.assert_array_equal(dist, expected_dist)


def test_all_rows_identical():
    data = np.ones((100, 4))
    for dist, idx in both_paths(data, data, 5, True):
        assert (dist == 0).all()
        expected = [[j for j in range(6) if j != i][:5] for i in range(100)]
        np.testing.assert_array_equal(idx, expected)


def test_tree_covers_every_row_once():
    data = np.random.default_rng(1).normal(size=(1000, 3))
    points, order, start, end, lower, upper = build_kdtree(data)
    assert sorted(order) == list(range(1000))
    np.testing.assert_array_equal(points, data[order])
    leaves = range(start.shape[0] // 2, start.shape[0])
    assert sum(end[i] - start[i] for i in leaves) == 1000
    for node in range(start.shape[0]):
        rows = points[start[node] : end[node]]
        if len(rows):
            np.testing.assert_array_equal(rows.min(axis=0), lower[node])
            np.testing.assert_array_equal(rows.max(axis=0), upper[node])


@pytest.mark.parametrize("d", [3, 40])
def test_index_picks_a_path_and_matches_numpy(d):
    data = np.random.default_rng(d).normal(size=(500, d))
    index = NeighbourIndex(data, power_of_two_scale(data))
    assert index.use_tree == (d <= 16)
    dist, idx = index.knn(data, 6, exclude_self=True)
    expected_dist, expected_idx = numpy_knn(data, data, 6, True)
    np.testing.assert_array_equal(idx, expected_idx)
    np.testing.assert_allclose(dist, expected_dist, rtol=1e-12)


@pytest.mark.parametrize("exclude_self", [False, True])
def test_blas_search_across_blocks_and_chunks(exclude_self):
    # More rows than one BLAS block and more queries than one chunk, with
    # duplicated rows, so neighbours cross block boundaries and tie. Values are
    # multiples of 0.5, so every distance is exact and ties are true ties.
    rng = np.random.default_rng(5)
    data = np.round(rng.normal(size=(4500, 17)) * 2) / 2
    data[4200:] = data[:300]
    queries = data if exclude_self else np.round(rng.normal(size=(300, 17)) * 2) / 2
    dist, idx = blas_knn(blas_rows(data, power_of_two_scale(data)), queries, 4, exclude_self)
    rows = np.arange(len(data))
    for q in range(300):  # the numpy reference on the first 300 queries
        sq = ((data - queries[q]) ** 2).sum(axis=1)
        if exclude_self:
            sq[q] = np.inf
        order = np.lexsort((rows, sq))[:4]
        np.testing.assert_array_equal(idx[q], order)
        np.testing.assert_array_equal(dist[q], sq[order])


@pytest.mark.parametrize("magnitude", [1e-150, 1e-20, 1.0, 1e20, 1e140])
def test_single_precision_preselection_is_exact_at_any_scale(magnitude):
    # The BLAS path preselects with float32 products of rows scaled by a power
    # of two. Outside float32's range, and with columns of very different
    # sizes, the neighbours must still be exact. Neighbours are close relative
    # to the spread, so a loose preselection slack would show.
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(30, 40))
    data = np.repeat(centres, 20, axis=0) + 1e-3 * rng.normal(size=(600, 40))
    data[:, 0] *= 1e6
    data *= magnitude
    queries = data[::7] + magnitude * 1e-4 * rng.normal(size=data[::7].shape)
    expected_dist, expected_idx = numpy_knn(data, queries, 5, False)
    dist, idx = blas_knn(blas_rows(data, power_of_two_scale(data)), queries, 5, False)
    np.testing.assert_array_equal(idx, expected_idx)
    np.testing.assert_allclose(dist, expected_dist, rtol=1e-12)


def test_blas_queries_beyond_the_rows_scale_are_measured_exactly():
    # Queries far larger than every row would overflow single precision after
    # the rows' scaling; such a chunk must be re-measured in full, not dropped.
    rng = np.random.default_rng(3)
    data = rng.normal(size=(300, 20))
    queries = np.vstack([rng.normal(size=(10, 20)) * 1e39, rng.normal(size=(10, 20))])
    expected_dist, expected_idx = numpy_knn(data, queries, 3, False)
    dist, idx = blas_knn(blas_rows(data, power_of_two_scale(data)), queries, 3, False)
    np.testing.assert_array_equal(idx, expected_idx)
    np.testing.assert_allclose(dist, expected_dist, rtol=1e-12)


@pytest.mark.parametrize("n_strands", [1, 2, 7])
def test_knn_within_radius_matches_numpy_whatever_the_strands(n_strands):
    rng = np.random.default_rng(3)
    data = rng.normal(size=(900, 4))
    queries = rng.normal(size=(500, 4))
    radius_sq = rng.uniform(0.05, 1.5, size=500)
    tree = build_kdtree(data, 16)
    visit_order = rng.permutation(500)
    dist, idx = tree_knn_within(tree, queries, 6, radius_sq, visit_order, n_strands)
    ref_dist, ref_idx = numpy_knn(data, queries, 6, exclude_self=False)
    outside = ref_dist > radius_sq[:, None]  # beyond the radius: empty slots
    np.testing.assert_array_equal(idx, np.where(outside, NO_ROW, ref_idx))
    np.testing.assert_allclose(dist, np.where(outside, radius_sq[:, None], ref_dist))


def test_blas_knn_within_radius_matches_the_tree_and_numpy():
    rng = np.random.default_rng(4)
    data = rng.normal(size=(1500, 30))
    queries = rng.normal(size=(600, 30))
    radius_sq = rng.uniform(20.0, 60.0, size=600)  # some queries with full lists, some not
    blas = blas_rows(data, power_of_two_scale(np.vstack([data, queries])))
    dist, idx = blas_knn_within(blas, queries, 5, False, radius_sq)
    ref_dist, ref_idx = numpy_knn(data, queries, 5, exclude_self=False)
    outside = ref_dist > radius_sq[:, None]
    assert outside.any() and (~outside).any()
    np.testing.assert_array_equal(idx, np.where(outside, NO_ROW, ref_idx))
    np.testing.assert_allclose(dist, np.where(outside, radius_sq[:, None], ref_dist))
    tree_result = tree_knn_within(build_kdtree(data, 16), queries, 5, radius_sq, np.arange(600), 2)
    np.testing.assert_array_equal(idx, tree_result[1])
