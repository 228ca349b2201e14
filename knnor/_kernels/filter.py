"""The reliability filter and the duplicate registry.

A candidate is reliable for class ``label`` when its ``n_check`` nearest rows
among the original data all carry ``label`` and none of them sits at distance 0
(a candidate equal to an original row is a duplicate, not a new point).
"""

import numpy as np
from numba import njit

from knnor._kernels.neighbours import brute_query_one, tree_query_one

RELIABLE = 0
WRONG_NEIGHBOURS = 1
DUPLICATE = 2


@njit(cache=True)
def filter_verdict(data, labels, label, tree, use_tree, candidate, best_dist, best_idx, stack):
    """Verdict of the reliability filter for one candidate.

    ``best_dist``/``best_idx`` have length ``n_check``; ``stack`` is the
    tree's scratch stack (unused by the brute-force path).
    """
    if use_tree:
        tree_query_one(tree, candidate, -1, best_dist, best_idx, stack)
    else:
        brute_query_one(data, candidate, -1, best_dist, best_idx)
    if best_dist[0] == 0.0:
        return DUPLICATE
    for i in range(best_idx.shape[0]):
        if labels[best_idx[i]] != label:
            return WRONG_NEIGHBOURS
    return RELIABLE


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
def register_if_new(registry, rows, n_rows, candidate):
    """Add ``candidate`` to ``rows[n_rows]`` unless an equal row is registered.

    ``registry`` maps a row hash (open addressing on collisions) to its
    position in ``rows``. Returns False when ``candidate`` is a duplicate.
    """
    key = row_hash(candidate)
    while key in registry:
        other = rows[registry[key]]
        same = True
        for j in range(candidate.shape[0]):
            if other[j] != candidate[j]:
                same = False
                break
        if same:
            return False
        key += 1
    registry[key] = n_rows
    rows[n_rows] = candidate
    return True
