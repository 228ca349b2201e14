"""The reliability filter decided from neighbour lists alone (``filter_search="graph"``).

The exact filter (:mod:`knnor._kernels.filter`, :mod:`knnor._kernels.vote`)
proves each verdict, searching the whole data when the lists do not settle
it. This one never searches: it applies the same rule (at least ``quorum``
of the candidate's ``n_votes`` nearest rows are class rows; a row at distance
0 makes a duplicate) to the candidate's *graph neighbourhood* only:

- class rows: the walk's anchors (the seed and the rows walked toward) and
  the anchors' own in-class neighbours;
- rows of other classes: the anchors' lists of nearby other-class rows.

A row missing from that neighbourhood but nearer than the rows in it can
only be missed, so the verdict is approximate; how often it differs from the
exact one is measured by :func:`knnor._engine.filter_agreement`.
"""

import numpy as np
from numba import njit, prange

from knnor._kernels.filter import DUPLICATE, RELIABLE, WRONG_NEIGHBOURS, equals_a_row
from knnor._kernels.neighbours import NO_ROW, _precedes, _push, _reset


@njit(cache=True)
def _sq_dist_until(a, b, bound):
    """``|a - b|^2``, or a partial sum above ``bound`` as soon as one is
    (enough to tell that the row cannot enter lists ending ``bound`` away).

    Four running sums, so that the additions do not wait on one another
    (a single sum is bound by the adder's latency); the order of summation
    is fixed, so the result does not depend on threads or batches.
    """
    s0 = s1 = s2 = s3 = 0.0
    n = a.shape[0]
    stop4 = n - n % 4
    j = 0
    while j < stop4:
        d0, d1, d2, d3 = a[j] - b[j], a[j + 1] - b[j + 1], a[j + 2] - b[j + 2], a[j + 3] - b[j + 3]
        s0 += d0 * d0
        s1 += d1 * d1
        s2 += d2 * d2
        s3 += d3 * d3
        j += 4
        if j % 16 == 0 and (s0 + s1) + (s2 + s3) > bound:
            return (s0 + s1) + (s2 + s3)
    for t in range(stop4, n):
        diff = a[t] - b[t]
        s0 += diff * diff
    return (s0 + s1) + (s2 + s3)


@njit(cache=True)
def _push_new(best_dist, best_idx, dist, idx):
    """:func:`~knnor._kernels.neighbours._push` unless ``idx`` is listed
    already (a row reached through two anchors)."""
    for i in range(best_idx.shape[0]):
        if best_idx[i] == idx:
            return
    _push(best_dist, best_idx, dist, idx)


@njit(cache=True)
def _nearest_class_rows(candidate, anchors, class_side, best_dist, best_idx):
    """The nearest anchors and anchors' neighbours, by (distance, row)."""
    class_data, _, class_rows, neighbours, _, _, _ = class_side
    _reset(best_dist, best_idx)
    for i in range(anchors.shape[0]):
        a = anchors[i]
        dist = _sq_dist_until(class_data[a], candidate, best_dist[-1])
        _push_new(best_dist, best_idx, dist, class_rows[a])
        for position in neighbours[a]:
            dist = _sq_dist_until(class_data[position], candidate, best_dist[-1])
            _push_new(best_dist, best_idx, dist, class_rows[position])


@njit(cache=True)
def _nearest_listed_others(candidate, anchors, other_side, best_dist, best_idx):
    """The nearest rows of the anchors' other-class lists before the bound
    the lists were reset to, by (distance, row)."""
    other_tree, other_rows, other_lists, _ = other_side
    points, order = other_tree[0], other_tree[1]
    for i in range(anchors.shape[0]):
        for position in other_lists[anchors[i]]:
            if position < 0:
                break
            dist = _sq_dist_until(points[position], candidate, best_dist[-1])
            _push_new(best_dist, best_idx, dist, other_rows[order[position]])


@njit(cache=True)
def graph_verdict(candidate, anchors, n_votes, quorum, class_side, other_side):
    """Verdict of the filter's rule on the candidate's graph neighbourhood.

    ``anchors`` are class positions; ``class_side`` and ``other_side`` the
    :class:`~knnor._kernels.layout.ClassSide` and
    :class:`~knnor._kernels.layout.OtherSide` (whose ``lists`` may be
    approximate). ``1 <= quorum <= n_votes``.
    """
    class_data, _, _, _, _, hash_keys, hash_positions = class_side
    class_dist = np.empty(quorum)
    class_idx = np.empty(quorum, dtype=np.int64)
    _nearest_class_rows(candidate, anchors, class_side, class_dist, class_idx)
    if class_dist[0] == 0.0 or equals_a_row(candidate, class_data, hash_keys, hash_positions):
        return DUPLICATE
    bound_sq, bound_row = class_dist[quorum - 1], class_idx[quorum - 1]
    n_against = n_votes - quorum + 1
    other_dist = np.empty(n_against)
    other_idx = np.empty(n_against, dtype=np.int64)
    _reset(other_dist, other_idx, bound_sq)
    _nearest_listed_others(candidate, anchors, other_side, other_dist, other_idx)
    if other_idx[0] != NO_ROW and other_dist[0] == 0.0:
        return DUPLICATE
    last = n_against - 1
    if other_idx[last] != NO_ROW and _precedes(
        other_dist[last], other_idx[last], bound_sq, bound_row
    ):
        return WRONG_NEIGHBOURS
    return RELIABLE


@njit(cache=True)
def _merge_list(row, listed, group_data, other_data, best_dist, best_idx):
    """Push the rows of one list into ``row``'s k-best lists."""
    for position in listed:
        if position < 0:
            break
        dist = _sq_dist_until(other_data[position], row, best_dist[-1])
        _push_new(best_dist, best_idx, dist, position)


@njit(cache=True, parallel=True)
def merged_lists(group_data, other_data, lists, neighbours, radius_sq):
    """Each group row's list rebuilt from its own and its neighbours' lists.

    Rows near a row's neighbours are often near the row itself: one such
    step (as in NN-descent) recovers most rows that cell probing missed.
    ``lists`` holds positions in ``other_data``, -1 padded; the result keeps,
    per row, the nearest of all those within ``sqrt(radius_sq[i])``, by
    (distance, position), in a new array of the same shape.
    """
    n_group, n_listed = lists.shape
    merged = np.full((n_group, n_listed), -1, dtype=np.int64)
    for i in prange(n_group):
        best_dist = np.empty(n_listed)
        best_idx = np.empty(n_listed, dtype=np.int64)
        _reset(best_dist, best_idx, radius_sq[i])
        row = group_data[i]
        _merge_list(row, lists[i], group_data, other_data, best_dist, best_idx)
        for neighbour in neighbours[i]:
            _merge_list(row, lists[neighbour], group_data, other_data, best_dist, best_idx)
        for j in range(n_listed):
            if best_idx[j] != NO_ROW:
                merged[i, j] = best_idx[j]
    return merged
