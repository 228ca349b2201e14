"""Walk weights, the value carried along a walk, and the filter's check of it.

The walk ``m = v; m = m + alpha * (n_j - m)`` for ``j = 1..k`` ends at the
affine combination ``(1 - alpha)^k v + sum_j alpha (1 - alpha)^(k - j) n_j``
of its seed ``v`` and walked rows ``n_j``: non-negative weights summing to 1.
A value attached to each row (the regression target) is carried with the same
weights, so a synthetic row and its value are the same combination of their
sources.
"""

import numpy as np
from numba import njit

from knnor._kernels.neighbours import NO_ROW, _reset, tree_query_one


@njit(cache=True)
def walk_weights(alpha, n_steps, out):
    """Write the weights of the seed (``out[0]``) and of the ``n_steps``
    walked rows (``out[1:n_steps + 1]``, nearest first); zero the rest."""
    out[:] = 0.0
    kept = 1.0  # (1 - alpha) to the number of steps after row j
    for j in range(n_steps, 0, -1):
        out[j] = alpha * kept
        kept *= 1.0 - alpha
    out[0] = kept


@njit(cache=True)
def carried_value(values, anchors, weights):
    """``sum_i weights[i] * values[anchors[i]]``, clipped to the range of
    those values so that rounding never takes it outside."""
    total = 0.0
    low, high = np.inf, -np.inf
    for i in range(anchors.shape[0]):
        value = values[anchors[i]]
        total += weights[i] * value
        low = min(low, value)
        high = max(high, value)
    return min(max(total, low), high)


@njit(cache=True)
def values_agree(candidate, value, n_rows, tree, values, tolerance, stack):
    """True when each of the ``n_rows`` group rows nearest to ``candidate``
    (in (distance, row) order) has a value within ``tolerance`` of ``value``."""
    best_dist = np.empty(n_rows)
    best_idx = np.empty(n_rows, dtype=np.int64)
    _reset(best_dist, best_idx)
    tree_query_one(tree, candidate, -1, best_dist, best_idx, stack)
    for i in range(n_rows):
        if best_idx[i] == NO_ROW:
            break
        if abs(value - values[best_idx[i]]) > tolerance:
            return False
    return True
