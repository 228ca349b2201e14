"""The reliability filter for high-dimensional data, on BLAS matrix products.

Above a few dozen features a kd-tree prunes nothing and the filter becomes a
scan of every row per candidate. Here a block of candidates is compared with a
block of rows in one matrix product, ``|q|^2 + |x|^2 - 2 q.x``, which is fast
but not exact. It only preselects: every row whose approximate distance is
within ``SLACK`` (relative, far above the product's rounding error) of the
bound that matters is re-measured with :func:`sq_dist`, and the verdict uses
those exact distances, so it equals the tree path's.
"""

import numpy as np
from numba import njit, prange

from knnor._kernels.filter import DUPLICATE, PENDING, RELIABLE, WRONG_NEIGHBOURS
from knnor._kernels.neighbours import _precedes, _push, _reset, sq_dist

SLACK = 1e-9
CHUNK = 256  # candidates per product
BLOCK = 4096  # rows per product


@njit(cache=True, parallel=True)
def sq_norms(data):
    """Squared norm of every row."""
    out = np.empty(data.shape[0])
    for i in prange(data.shape[0]):
        out[i] = np.dot(data[i], data[i])
    return out


@njit(cache=True)
def _products(queries, data, start, stop):
    """queries @ data[start:stop].T through BLAS."""
    return np.dot(queries, np.ascontiguousarray(data[start:stop]).T)


@njit(cache=True)
def _push_new(best_dist, best_idx, dist, idx):
    """:func:`_push` unless ``idx`` is already listed."""
    for i in range(best_idx.shape[0]):
        if best_idx[i] == idx:
            return
    _push(best_dist, best_idx, dist, idx)


@njit(cache=True, parallel=True)
def blas_verdicts(
    candidates,
    seeds,
    neighbours,
    n_steps,
    n_check,
    verdicts,
    class_data,
    class_sq,
    class_rows,
    other_data,
    other_sq,
    other_rows,
):
    """Fill the ``PENDING`` entries of ``verdicts`` (see filter.py for their meaning).

    The class side starts from the walk's anchors (seed and walked rows, whose
    exact distances bound the answer), so only rows that may beat them are
    re-measured.
    """
    pending = np.flatnonzero(verdicts == PENDING)
    class_max = class_sq.max()
    other_max = other_sq.max()
    for chunk_start in range(0, pending.shape[0], CHUNK):
        rows = pending[chunk_start : chunk_start + CHUNK]
        n = rows.shape[0]
        queries = np.empty((n, candidates.shape[1]))
        for i in range(n):
            queries[i] = candidates[rows[i]]
        q_sq = sq_norms(queries)
        best_dist = np.empty((n, n_check))
        best_idx = np.empty((n, n_check), dtype=np.int64)
        for i in prange(n):
            _reset(best_dist[i], best_idx[i])
            seed = seeds[rows[i]]
            _push_new(best_dist[i], best_idx[i], sq_dist(class_data[seed], queries[i]), seed)
            for step in range(n_steps):
                j = neighbours[seed, step]
                _push_new(best_dist[i], best_idx[i], sq_dist(class_data[j], queries[i]), j)

        # Class side: the n_check nearest class rows, exactly.
        for start in range(0, class_data.shape[0], BLOCK):
            stop = min(start + BLOCK, class_data.shape[0])
            products = _products(queries, class_data, start, stop)
            for i in prange(n):
                slack = SLACK * (q_sq[i] + class_max)
                for j in range(stop - start):
                    approx = q_sq[i] + class_sq[start + j] - 2.0 * products[i, j]
                    if approx <= best_dist[i, n_check - 1] + slack:
                        row = start + j
                        _push_new(
                            best_dist[i], best_idx[i], sq_dist(class_data[row], queries[i]), row
                        )

        # Other side: does any row come before the n_check-th class row?
        hit = np.zeros(n, dtype=np.bool_)
        zero = np.zeros(n, dtype=np.bool_)
        for start in range(0, other_data.shape[0], BLOCK):
            stop = min(start + BLOCK, other_data.shape[0])
            products = _products(queries, other_data, start, stop)
            for i in prange(n):
                bound = best_dist[i, n_check - 1]
                bound_id = class_rows[best_idx[i, n_check - 1]]
                slack = SLACK * (q_sq[i] + other_max)
                for j in range(stop - start):
                    approx = q_sq[i] + other_sq[start + j] - 2.0 * products[i, j]
                    if approx <= bound + slack:
                        dist = sq_dist(other_data[start + j], queries[i])
                        if _precedes(dist, other_rows[start + j], bound, bound_id):
                            hit[i] = True
                            if dist == 0.0:
                                zero[i] = True

        for i in range(n):
            if best_dist[i, 0] == 0.0 or zero[i]:
                verdicts[rows[i]] = DUPLICATE
            elif hit[i]:
                verdicts[rows[i]] = WRONG_NEIGHBOURS
            else:
                verdicts[rows[i]] = RELIABLE


@njit(cache=True, parallel=True)
def blas_knn(data, data_sq, queries, k, exclude_self):
    """Exact k nearest rows of ``data`` for every query, on BLAS products.

    Same contract and output as :func:`knnor._kernels.neighbours.tree_knn`. In
    each block of rows a query re-measures exactly only the rows whose
    approximate distance may beat both its current k-th neighbour and the
    block's own k-th smallest approximate distance (plus the slack).
    """
    n_queries = queries.shape[0]
    dist = np.empty((n_queries, k))
    idx = np.empty((n_queries, k), dtype=np.int64)
    data_max = data_sq.max()
    for chunk_start in range(0, n_queries, CHUNK):
        chunk_stop = min(chunk_start + CHUNK, n_queries)
        chunk = np.ascontiguousarray(queries[chunk_start:chunk_stop])
        q_sq = sq_norms(chunk)
        for i in range(chunk_stop - chunk_start):
            _reset(dist[chunk_start + i], idx[chunk_start + i])
        for start in range(0, data.shape[0], BLOCK):
            stop = min(start + BLOCK, data.shape[0])
            products = _products(chunk, data, start, stop)
            for i in prange(chunk_stop - chunk_start):
                q = chunk_start + i
                exclude = q if exclude_self else -1
                slack = SLACK * (q_sq[i] + data_max)
                approx = np.empty(stop - start)
                for j in range(stop - start):
                    approx[j] = q_sq[i] + data_sq[start + j] - 2.0 * products[i, j]
                # The query itself may sit in the block: one more when excluded.
                rank = min(k + 1 if exclude_self else k, stop - start) - 1
                block_kth = np.partition(approx, rank)[rank]
                threshold = min(block_kth + 2.0 * slack, dist[q, k - 1] + slack)
                for j in range(stop - start):
                    if approx[j] <= threshold and start + j != exclude:
                        _push(dist[q], idx[q], sq_dist(data[start + j], chunk[i]), start + j)
    return dist, idx
