"""The reliability filter, decided exactly and mostly without a k-NN query.

A candidate ``m`` for class ``c`` is

- ``DUPLICATE`` when it equals an original row (its nearest row is at 0);
- ``WRONG_NEIGHBOURS`` when one of its ``n_check`` nearest original rows, in
  (distance, row) order, is of another class;
- ``RELIABLE`` otherwise.

:func:`filter_verdict` decides in up to three steps, each exact:

1. Certificate. The walk's anchors (the seed and the rows walked toward) are
   class rows at known distances ``d_a`` from ``m``, and each class row knows
   its safe radius ``r_a``, the distance to the nearest row of another class.
   By the triangle inequality no other-class row is nearer to ``m`` than
   ``max_a (r_a - d_a)``. When that bound exceeds the ``n_check``-th smallest
   ``d_a`` (with a margin far above rounding error), the ``n_check`` nearest
   rows are all of class ``c``: ``m`` is reliable unless it equals a class row,
   which a hash lookup settles.
2. Class side: the ``n_check`` nearest class rows, from the class's tree.
3. Other side: the other classes' tree is searched for any row that would
   come before the ``n_check``-th class row, stopping at the first one found.
"""

import numpy as np
from numba import njit

from knnor._kernels.neighbours import sq_dist, tree_any_before, tree_query_one

RELIABLE = 0
WRONG_NEIGHBOURS = 1
DUPLICATE = 2
PENDING = -1  # not settled by the certificate; steps 2 and 3 still to run

#: Relative margin of the certificate; rounding errors are below 1e-12.
CERTIFICATE_MARGIN = 1e-9
_LAST_ID = np.iinfo(np.int64).max


@njit(cache=True)
def row_hash(row):
    """64-bit FNV-1a style hash of a float row's bit patterns (-0.0 == 0.0)."""
    h = np.int64(-3750763034362895579)
    scratch = np.empty(1)
    bits = scratch.view(np.int64)
    for j in range(row.shape[0]):
        scratch[0] = row[j] + 0.0
        h = (h ^ bits[0]) * np.int64(1099511628211)
    return h


@njit(cache=True)
def sorted_row_hashes(data):
    """(sorted hashes of the rows, row of each sorted hash), for lookups."""
    keys = np.empty(data.shape[0], dtype=np.int64)
    for i in range(data.shape[0]):
        keys[i] = row_hash(data[i])
    positions = np.argsort(keys, kind="mergesort")
    return keys[positions], positions


@njit(cache=True)
def _same_row(a, b):
    for j in range(a.shape[0]):
        if a[j] != b[j]:
            return False
    return True


@njit(cache=True)
def _equals_a_row(candidate, data, hash_keys, hash_positions):
    key = row_hash(candidate)
    i = np.searchsorted(hash_keys, key)
    while i < hash_keys.shape[0] and hash_keys[i] == key:
        if _same_row(data[hash_positions[i]], candidate):
            return True
        i += 1
    return False


@njit(cache=True)
def _certified(candidate, anchors, n_check, class_data, safe_radius, anchor_sq_dist):
    """True when no other-class row can be among the n_check nearest (step 1)."""
    bound = -np.inf
    for a in range(anchors.shape[0]):
        anchor_sq_dist[a] = sq_dist(class_data[anchors[a]], candidate)
        bound = max(bound, safe_radius[anchors[a]] - np.sqrt(anchor_sq_dist[a]))
    anchor_sq_dist.sort()
    return bound > np.sqrt(anchor_sq_dist[n_check - 1]) * (1.0 + CERTIFICATE_MARGIN)


@njit(cache=True)
def certificate_verdict(candidate, anchors, n_check, class_side, anchor_sq_dist):
    """Step 1 alone: RELIABLE or DUPLICATE when certified, else PENDING."""
    class_data, _, _, safe_radius, hash_keys, hash_positions = class_side
    if not _certified(candidate, anchors, n_check, class_data, safe_radius, anchor_sq_dist):
        return PENDING
    if _equals_a_row(candidate, class_data, hash_keys, hash_positions):
        return DUPLICATE
    return RELIABLE


@njit(cache=True)
def filter_verdict(candidate, anchors, n_check, class_side, other_side, scratch):
    """Verdict of the reliability filter for one candidate of one class.

    ``anchors`` are the class positions of the seed and the rows walked;
    ``class_side = (class_data, class_tree, class_rows, safe_radius,
    hash_keys, hash_positions)`` with ``class_rows`` the original row numbers;
    ``other_side = (other_tree, other_rows)``; ``scratch = (best_dist,
    best_idx, anchor_sq_dist, stack)`` with ``best_*`` of length ``n_check``.
    """
    _, class_tree, class_rows, _, _, _ = class_side
    other_tree, other_rows = other_side
    best_dist, best_idx, anchor_sq_dist, stack = scratch

    verdict = certificate_verdict(candidate, anchors, n_check, class_side, anchor_sq_dist)
    if verdict != PENDING:
        return verdict

    tree_query_one(class_tree, candidate, -1, best_dist, best_idx, stack)
    if best_dist[0] == 0.0:
        return DUPLICATE
    last_row = class_rows[best_idx[n_check - 1]]
    hit = tree_any_before(
        other_tree, candidate, best_dist[n_check - 1], last_row, other_rows, stack
    )
    if hit < 0.0:
        return RELIABLE
    if hit == 0.0 or tree_any_before(other_tree, candidate, 0.0, _LAST_ID, other_rows, stack) >= 0:
        return DUPLICATE
    return WRONG_NEIGHBOURS


@njit(cache=True)
def register_if_new(registry, rows, n_rows, candidate):
    """Add ``candidate`` to ``rows[n_rows]`` unless an equal row is registered.

    ``registry`` maps a row hash (open addressing on collisions) to its
    position in ``rows``. Returns False when ``candidate`` is a duplicate.
    """
    key = row_hash(candidate)
    while key in registry:
        if _same_row(rows[registry[key]], candidate):
            return False
        key += 1
    registry[key] = n_rows
    rows[n_rows] = candidate
    return True
