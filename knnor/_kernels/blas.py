"""The reliability filter for high-dimensional data, on BLAS matrix products.

Above a few dozen features a kd-tree prunes nothing and the filter becomes a
scan of every row per candidate. Here a block of candidates is compared with a
block of rows in one single-precision matrix product, ``|q|^2 + |x|^2 - 2 q.x``,
which is fast but not exact. It only preselects: every row whose approximate
distance is within a slack of the bound that matters is re-measured with
:func:`sq_dist` in double precision, and the verdict uses those exact
distances, so it equals the tree path's.

The slack is a proven bound on the product's error. Rows and queries are first
scaled by one power of two (exact), so the largest entry is in [0.5, 1) and
single precision can neither overflow nor lose more than ``2**-126`` to
underflow. Rounding each entry to float32 and summing ``d`` products then errs
by at most ``(d + 3) u |q| |x| <= (d + 3) u (|q|^2 + |x|^2) / 2`` with
``u = 2**-24`` (Higham, Accuracy and Stability of Numerical Algorithms, 3.1).
Once a query has a bound, the test ``|x|^2 - 2 q.x <= bound - |q|^2`` runs in
float32 too (twice as many lanes): rounding ``|x|^2`` and the difference adds
at most ``3 u (|q|^2 + |x|^2)``, and the right side is rounded up. The slack
is ``2 (d + 6) u (|q|^2 + max |x|^2)``, over twice the sum of both bounds,
plus ``2**-100`` for underflow.
"""

import math

import numpy as np
from numba import njit, prange

from knnor._kernels.filter import DUPLICATE, PENDING, RELIABLE, WRONG_NEIGHBOURS
from knnor._kernels.layout import BlasRows
from knnor._kernels.neighbours import _precedes, _push, _reset, _select, sq_dist

UNIT_ROUNDOFF = 2.0**-24  # float32
UNDERFLOW_SLACK = 2.0**-100
CHUNK = 256  # candidates per product
BLOCK = 512  # rows per product: small enough for the products to stay in cache


@njit(cache=True)
def sq_norms(data):
    """Squared norm of every row."""
    out = np.empty(data.shape[0])
    for i in range(data.shape[0]):
        out[i] = np.dot(data[i], data[i])
    return out


@njit(cache=True)
def power_of_two_scale(data):
    """A power of two that brings the largest entry of ``data`` into [0.5, 1)."""
    largest = max(data.max(), -data.min()) if data.size else 0.0  # no |data| copy
    if 0.0 < largest < np.inf:
        return math.ldexp(1.0, -math.frexp(largest)[1])
    return 1.0


@njit(cache=True)
def blas_rows(data, scale):
    """What the products need of ``data``, as a :class:`BlasRows`.

    ``scale``, a power of two, must keep every row and every query within 1
    in absolute value (see :func:`power_of_two_scale`); queries beyond it are
    measured exactly."""
    scaled = data * scale
    norms = sq_norms(scaled)
    return BlasRows(data, scaled.astype(np.float32), norms, norms.astype(np.float32), scale)


@njit(cache=True)
def _scaled_queries(queries, scale):
    """(float32 copy, squared norms, within range) of the queries times ``scale``.

    The error bound holds only for entries below 1 in absolute value; a
    chunk with a larger one is re-measured in full (slack infinite; callers
    test ``not approx > threshold`` so that a NaN product is re-measured too).
    """
    scaled = queries * scale
    within = scaled.size == 0 or np.abs(scaled).max() < 1.0
    return scaled.astype(np.float32), sq_norms(scaled), within


@njit(cache=True)
def _slack(n_features, q_sq, row_sq_max):
    """Bound on |approximate - exact| squared distance, in scaled units."""
    return 2.0 * (n_features + 6) * UNIT_ROUNDOFF * (q_sq + row_sq_max) + UNDERFLOW_SLACK


@njit(cache=True)
def _cut32(threshold, q_sq):
    """``threshold - q_sq`` rounded up to float32: a row whose float32
    ``|x|^2 - 2 q.x`` is not above it must be re-measured."""
    cut = threshold - q_sq
    return np.float32(cut + abs(cut) * 2.0**-22)


@njit(cache=True)
def _count_below(row_sq32, products, cut):
    """How many ``j`` have ``not row_sq32[j] - 2 products[j] > cut`` (NaN
    counts): a branch-free loop the compiler vectorizes, run first because
    most blocks hold no row to re-measure."""
    count = 0
    for j in range(products.shape[0]):
        count += not row_sq32[j] - np.float32(2.0) * products[j] > cut
    return count


@njit(cache=True)
def _kth_smallest(values, rank):
    """The value that ``np.sort(values)[rank]`` would give (quickselect)."""
    positions = np.arange(values.shape[0])
    _select(positions, values, 0, values.shape[0], rank)
    return values[positions[rank]]


@njit(cache=True)
def _products(queries32, rows32, start, stop):
    """queries32 @ rows32[start:stop].T through BLAS, in float32."""
    return np.dot(queries32, rows32[start:stop].T)


@njit(cache=True)
def _push_new(best_dist, best_idx, dist, idx):
    """:func:`_push` unless ``idx`` is already listed."""
    for i in range(best_idx.shape[0]):
        if best_idx[i] == idx:
            return
    _push(best_dist, best_idx, dist, idx)


@njit(cache=True)
def _settle_chunk(
    queries, seeds, neighbours, n_steps, n_check, class_blas, class_rows, other_blas, other_rows
):
    """Verdicts of one chunk of candidates (rows ``queries``), on one thread."""
    class_data, class32, class_sq, class_sq32, class_scale = class_blas
    other_data, other32, other_sq, other_sq32, other_scale = other_blas
    n, n_features = queries.shape
    best_dist = np.empty((n, n_check))
    best_idx = np.empty((n, n_check), dtype=np.int64)
    for i in range(n):
        _reset(best_dist[i], best_idx[i])
        seed = seeds[i]
        _push_new(best_dist[i], best_idx[i], sq_dist(class_data[seed], queries[i]), seed)
        for step in range(n_steps):
            j = neighbours[seed, step]
            _push_new(best_dist[i], best_idx[i], sq_dist(class_data[j], queries[i]), j)

    # Class side: the n_check nearest class rows, exactly.
    q32, q_sq, within = _scaled_queries(queries, class_scale)
    to_scaled = class_scale * class_scale
    class_max = class_sq.max()
    for start in range(0, class_data.shape[0], BLOCK):
        stop = min(start + BLOCK, class_data.shape[0])
        products = _products(q32, class32, start, stop)
        for i in range(n):
            slack = _slack(n_features, q_sq[i], class_max) if within else np.inf
            cut = _cut32(best_dist[i, n_check - 1] * to_scaled + slack, q_sq[i])
            if _count_below(class_sq32[start:stop], products[i], cut) == 0:
                continue
            for j in range(stop - start):
                if not class_sq32[start + j] - np.float32(2.0) * products[i, j] > cut:
                    row = start + j
                    _push_new(best_dist[i], best_idx[i], sq_dist(class_data[row], queries[i]), row)

    # Other side: does any row come before the n_check-th class row?
    q32, q_sq, within = _scaled_queries(queries, other_scale)
    to_scaled = other_scale * other_scale
    other_max = other_sq.max()
    verdicts = np.empty(n, dtype=np.int64)
    hit = np.zeros(n, dtype=np.bool_)
    zero = np.zeros(n, dtype=np.bool_)
    for start in range(0, other_data.shape[0], BLOCK):
        stop = min(start + BLOCK, other_data.shape[0])
        products = _products(q32, other32, start, stop)
        for i in range(n):
            bound = best_dist[i, n_check - 1]
            bound_id = class_rows[best_idx[i, n_check - 1]]
            slack = _slack(n_features, q_sq[i], other_max) if within else np.inf
            cut = _cut32(bound * to_scaled + slack, q_sq[i])
            if _count_below(other_sq32[start:stop], products[i], cut) == 0:
                continue
            for j in range(stop - start):
                if not other_sq32[start + j] - np.float32(2.0) * products[i, j] > cut:
                    dist = sq_dist(other_data[start + j], queries[i])
                    if _precedes(dist, other_rows[start + j], bound, bound_id):
                        hit[i] = True
                        if dist == 0.0:
                            zero[i] = True
    for i in range(n):
        if best_dist[i, 0] == 0.0 or zero[i]:
            verdicts[i] = DUPLICATE
        elif hit[i]:
            verdicts[i] = WRONG_NEIGHBOURS
        else:
            verdicts[i] = RELIABLE
    return verdicts


@njit(cache=True, parallel=True)
def blas_verdicts(
    candidates,
    seeds,
    neighbours,
    n_steps,
    n_check,
    verdicts,
    class_blas,
    class_rows,
    other_blas,
    other_rows,
):
    """Fill the ``PENDING`` entries of ``verdicts`` (see filter.py for their meaning).

    ``class_blas`` and ``other_blas`` are :func:`blas_rows` of each side. The
    class side starts from the walk's anchors (seed and walked rows, whose
    exact distances bound the answer), so only rows that may beat them are
    re-measured. Each thread takes ``CHUNK`` candidates at a time and runs
    their products on its own (BLAS must then be single-threaded: the engine
    limits it); dynamic scheduling keeps a thread slowed by another process
    from holding up the rest.
    """
    pending = np.flatnonzero(verdicts == PENDING)
    n_chunks = (pending.shape[0] + CHUNK - 1) // CHUNK
    class_data, class32, class_sq, class_sq32, class_scale = class_blas
    other_data, other32, other_sq, other_sq32, other_scale = other_blas
    for c in prange(n_chunks):
        rows = pending[c * CHUNK : (c + 1) * CHUNK]
        queries = np.empty((rows.shape[0], candidates.shape[1]))
        chunk_seeds = np.empty(rows.shape[0], dtype=np.int64)
        for i in range(rows.shape[0]):
            queries[i] = candidates[rows[i]]
            chunk_seeds[i] = seeds[rows[i]]
        chunk_verdicts = _settle_chunk(
            queries,
            chunk_seeds,
            neighbours,
            n_steps,
            n_check,
            BlasRows(class_data, class32, class_sq, class_sq32, class_scale),
            class_rows,
            BlasRows(other_data, other32, other_sq, other_sq32, other_scale),
            other_rows,
        )
        for i in range(rows.shape[0]):
            verdicts[rows[i]] = chunk_verdicts[i]


@njit(cache=True)
def _knn_chunk(blas, chunk, k, first, exclude_self, radius_sq, dist, idx):
    """k nearest rows of ``blas`` within ``sqrt(radius_sq[i])`` for the
    queries ``chunk`` (query numbers from ``first``), into ``dist``/``idx``;
    on one thread."""
    data, data32, data_sq, data_sq32, scale = blas
    data_max = data_sq.max()
    to_scaled = scale * scale
    q32, q_sq, within = _scaled_queries(chunk, scale)
    for i in range(chunk.shape[0]):
        _reset(dist[i], idx[i], radius_sq[i])
    for start in range(0, data.shape[0], BLOCK):
        stop = min(start + BLOCK, data.shape[0])
        products = _products(q32, data32, start, stop)
        for i in range(chunk.shape[0]):
            exclude = first + i if exclude_self else -1
            slack = _slack(data.shape[1], q_sq[i], data_max) if within else np.inf
            if dist[i, k - 1] == np.inf:
                # No k rows yet: the block's own k-th smallest bounds the
                # re-checks (one more when the query itself may be there).
                approx = np.empty(stop - start)
                for j in range(stop - start):
                    approx[j] = q_sq[i] + data_sq[start + j] - 2.0 * np.float64(products[i, j])
                rank = min(k + 1 if exclude_self else k, stop - start) - 1
                threshold = _kth_smallest(approx, rank) + 2.0 * slack
                for j in range(stop - start):
                    if not approx[j] > threshold and start + j != exclude:
                        _push(dist[i], idx[i], sq_dist(data[start + j], chunk[i]), start + j)
                continue
            cut = _cut32(dist[i, k - 1] * to_scaled + slack, q_sq[i])
            if _count_below(data_sq32[start:stop], products[i], cut) == 0:
                continue
            for j in range(stop - start):
                if not data_sq32[start + j] - np.float32(2.0) * products[i, j] > cut:
                    if start + j != exclude:
                        _push(dist[i], idx[i], sq_dist(data[start + j], chunk[i]), start + j)


@njit(cache=True, parallel=True)
def blas_knn_within(blas, queries, k, exclude_self, radius_sq):
    """Exact k nearest rows within ``sqrt(radius_sq[q])`` of every query, on
    BLAS products.

    ``blas`` is :func:`blas_rows` of the rows searched. Same contract and
    output as :func:`knnor._kernels.neighbours.tree_knn_within` (empty slots
    hold ``radius_sq[q]`` and ``NO_ROW``). In each block of rows a query
    re-measures exactly only the rows whose approximate distance may beat its
    current k-th neighbour (at first, the radius), or, while that is infinite,
    the block's own k-th smallest approximate distance (plus the slack).
    Threads take ``CHUNK`` queries at a time, as in :func:`blas_verdicts`.
    """
    data, data32, data_sq, data_sq32, scale = blas
    n_queries = queries.shape[0]
    dist = np.empty((n_queries, k))
    idx = np.empty((n_queries, k), dtype=np.int64)
    for c in prange((n_queries + CHUNK - 1) // CHUNK):
        first = c * CHUNK
        stop = min(first + CHUNK, n_queries)
        _knn_chunk(
            BlasRows(data, data32, data_sq, data_sq32, scale),
            np.ascontiguousarray(queries[first:stop]),
            k,
            first,
            exclude_self,
            radius_sq[first:stop],
            dist[first:stop],
            idx[first:stop],
        )
    return dist, idx


@njit(cache=True)
def blas_knn(blas, queries, k, exclude_self):
    """Exact k nearest rows for every query: :func:`blas_knn_within` with no
    radius. Same contract and output as
    :func:`knnor._kernels.neighbours.tree_knn`."""
    return blas_knn_within(blas, queries, k, exclude_self, np.full(queries.shape[0], np.inf))
