"""Whole-class geometry used by the ``"auto"`` parameter choices.

These are O(n_class * n) scans in O(n) memory: affordable for the small and
medium minority classes "auto" is meant for.
"""

import numpy as np
from numba import njit, prange

from knnor._kernels.neighbours import sq_dist


@njit(cache=True, parallel=True)
def min_count_closer_than_mean(class_data):
    """min over points p of #{q : |q - p|^2 < mean_r |r - p|^2} (p itself counts)."""
    n = class_data.shape[0]
    counts = np.empty(n, dtype=np.int64)
    for p in prange(n):
        total = 0.0
        for q in range(n):
            total += sq_dist(class_data[p], class_data[q])
        mean = total / n
        count = 0
        for q in range(n):
            if sq_dist(class_data[p], class_data[q]) < mean:
                count += 1
        counts[p] = count
    return counts.min()


@njit(cache=True, parallel=True)
def diameter(class_data):
    """Largest distance between two rows."""
    n = class_data.shape[0]
    row_max = np.zeros(n)
    for p in prange(n):
        for q in range(p + 1, n):
            row_max[p] = max(row_max[p], sq_dist(class_data[p], class_data[q]))
    return np.sqrt(row_max.max())


@njit(cache=True, parallel=True)
def min_nonzero_distance(class_data, other_data):
    """Smallest non-zero distance between a row of each array (inf if none)."""
    n = class_data.shape[0]
    row_min = np.full(n, np.inf)
    for p in prange(n):
        for q in range(other_data.shape[0]):
            dist = sq_dist(class_data[p], other_data[q])
            if 0.0 < dist < row_min[p]:
                row_min[p] = dist
    return np.sqrt(row_min.min())
