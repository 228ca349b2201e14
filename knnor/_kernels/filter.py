"""The reliability filter, decided exactly and mostly without a k-NN query.

A candidate ``m`` for class ``c`` is

- ``DUPLICATE`` when it equals an original row;
- ``WRONG_NEIGHBOURS`` when one of its ``n_check`` nearest original rows, in
  (distance, row) order, is of another class;
- ``RELIABLE`` otherwise.

Before the walk, every class row ``a`` learns two neighbour lists: its ``k0``
nearest class rows (the walk's own neighbours) and its nearest rows of other
classes, each with its *reach*, the distance to the last row listed. A row
missing from ``a``'s list is at least ``reach_a - |m - a|`` from ``m``
(triangle inequality). The walk's anchors (the seed and the rows walked
toward) lie near ``m``, so their lists usually hold every row that matters.
:func:`filter_verdict` decides in up to three steps, each exact:

1. Certificate, from the anchors' lists alone. The nearest listed other-class
   row is the nearest of all when it lies within the lists' bound; class rows
   that come before it (and before the bound) are counted. ``n_check`` of
   them make ``m`` reliable; fewer, with every class row that could come
   first listed, make it a wrong-neighbours reject.
2. Class side: the ``n_check`` nearest class rows, from the class's tree. A
   listed other-class row before the last of them rejects ``m`` at once.
3. Other side: the other classes' tree is searched for any row that would
   come before the ``n_check``-th class row, stopping at the first one found.

Bounds from the triangle inequality are trusted only with a relative margin
far above rounding error; comparisons of exact distances need none.
"""

import numpy as np
from numba import njit

from knnor._kernels.layout import RowTable
from knnor._kernels.neighbours import (
    NO_ROW,
    _precedes,
    _reset,
    sq_dist,
    tree_any_before,
    tree_query_one,
)

RELIABLE = 0
WRONG_NEIGHBOURS = 1
DUPLICATE = 2
WRONG_TARGET = 3  # carried value disagrees with the nearest group rows' (regression)
PENDING = -1  # not settled by the certificate; steps 2 and 3 still to run

#: Relative margin on triangle-inequality bounds; rounding errors are below 1e-12.
CERTIFICATE_MARGIN = 1e-9


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
def row_hashes(data):
    """:func:`row_hash` of every row (sorted by the caller, in numpy)."""
    keys = np.empty(data.shape[0], dtype=np.int64)
    for i in range(data.shape[0]):
        keys[i] = row_hash(data[i])
    return keys


@njit(cache=True)
def _same_row(a, b):
    for j in range(a.shape[0]):
        if a[j] != b[j]:
            return False
    return True


@njit(cache=True)
def equals_a_row(candidate, data, hash_keys, hash_positions):
    key = row_hash(candidate)
    i = np.searchsorted(hash_keys, key)
    while i < hash_keys.shape[0] and hash_keys[i] == key:
        if _same_row(data[hash_positions[i]], candidate):
            return True
        i += 1
    return False


@njit(cache=True)
def _below(sq, bound):
    """True when a row at squared distance ``sq`` is surely nearer than ``bound``."""
    return np.sqrt(sq) * (1.0 + CERTIFICATE_MARGIN) < bound


@njit(cache=True)
def _unlisted_bound(anchors, anchor_dist, reach):
    """No row missing from every anchor's list is nearer to the candidate."""
    bound = -np.inf
    for i in range(anchors.shape[0]):
        bound = max(bound, reach[anchors[i]] - anchor_dist[i])
    return bound


@njit(cache=True)
def _nearest_listed_other(candidate, anchors, other_tree, other_rows, other_lists):
    """(squared distance, row) of the nearest row in the anchors' other-class lists."""
    points, order = other_tree[0], other_tree[1]
    best_sq, best_id = np.inf, NO_ROW
    for i in range(anchors.shape[0]):
        for position in other_lists[anchors[i]]:
            if position < 0:
                break
            dist = sq_dist(points[position], candidate)
            row = other_rows[order[position]]
            if _precedes(dist, row, best_sq, best_id):
                best_sq, best_id = dist, row
    return best_sq, best_id


@njit(cache=True)
def _note_class_row(position, dist, class_rows, bound_sq, bound_id, other_bound, found, n_found):
    """Add class row ``position`` to ``found`` if it surely comes before every
    other-class row and is not there yet; return the new count."""
    if not _precedes(dist, class_rows[position], bound_sq, bound_id):
        return n_found
    if not _below(dist, other_bound):
        return n_found
    for i in range(n_found):
        if found[i] == position:
            return n_found
    found[n_found] = position
    return n_found + 1


@njit(cache=True)
def _count_class_first(
    candidate, anchors, anchor_sq, class_side, near_sq, near_id, other_bound, found
):
    """How many listed class rows come before every other-class row (at most
    ``found.shape[0]``): the anchors, then the anchors' neighbours."""
    class_data, _, class_rows, neighbours, _, _, _ = class_side
    n_check = found.shape[0]
    n_found = 0
    for i in range(anchors.shape[0]):
        n_found = _note_class_row(
            anchors[i], anchor_sq[i], class_rows, near_sq, near_id, other_bound, found, n_found
        )
        if n_found == n_check:
            return n_found
    for i in range(anchors.shape[0]):
        for position in neighbours[anchors[i]]:
            dist = sq_dist(class_data[position], candidate)
            n_found = _note_class_row(
                position, dist, class_rows, near_sq, near_id, other_bound, found, n_found
            )
            if n_found == n_check:
                return n_found
    return n_found


@njit(cache=True)
def certificate_verdict(candidate, anchors, n_check, class_side, other_side, scratch):
    """Step 1: the verdict from the anchors' neighbour lists, or PENDING.

    Returns ``(verdict, near_sq, near_id, near_exact)``: the nearest listed
    other-class row and whether it is surely the nearest of all, for steps 2
    and 3. ``scratch = (anchor_sq, anchor_dist, found)``, the first two as
    long as ``anchors``, ``found`` of length ``n_check``.
    """
    class_data, _, _, _, class_reach, hash_keys, hash_positions = class_side
    other_tree, other_rows, other_lists, other_reach = other_side
    anchor_sq, anchor_dist, found = scratch
    for i in range(anchors.shape[0]):
        anchor_sq[i] = sq_dist(class_data[anchors[i]], candidate)
        anchor_dist[i] = np.sqrt(anchor_sq[i])
    other_bound = _unlisted_bound(anchors, anchor_dist, other_reach)
    near_sq, near_id = _nearest_listed_other(
        candidate, anchors, other_tree, other_rows, other_lists
    )
    near_exact = _below(near_sq, other_bound)
    if near_exact:
        other_bound = np.inf  # the bound is the nearest row itself
    n_found = _count_class_first(
        candidate,
        anchors,
        anchor_sq,
        class_side,
        near_sq,
        near_id,
        other_bound,
        found[:n_check],
    )
    if n_found == n_check:
        if equals_a_row(candidate, class_data, hash_keys, hash_positions):
            return DUPLICATE, near_sq, near_id, near_exact
        return RELIABLE, near_sq, near_id, near_exact
    if near_exact and _below(near_sq, _unlisted_bound(anchors, anchor_dist, class_reach)):
        # Every class row before the nearest other row was listed and counted.
        if near_sq == 0.0 or equals_a_row(candidate, class_data, hash_keys, hash_positions):
            return DUPLICATE, near_sq, near_id, near_exact
        return WRONG_NEIGHBOURS, near_sq, near_id, near_exact
    return PENDING, near_sq, near_id, near_exact


@njit(cache=True)
def filter_verdict(candidate, anchors, n_check, class_side, other_side, scratch):
    """Verdict of the reliability filter for one candidate of one class.

    ``anchors`` are the class positions of the seed and the rows walked;
    ``class_side = (class_data, class_tree, class_rows, neighbours,
    class_reach, hash_keys, hash_positions)`` with ``class_rows`` the original
    row numbers and ``neighbours`` the in-class lists; ``other_side =
    (other_tree, other_rows, other_lists, other_reach)`` with ``other_lists``
    holding tree positions; ``scratch = (anchor_sq, anchor_dist, found,
    best_dist, best_idx, stack)`` with ``best_*`` of length ``n_check``.
    """
    _, class_tree, class_rows, _, _, _, _ = class_side
    other_tree, other_rows, _, _ = other_side
    anchor_sq, anchor_dist, found, best_dist, best_idx, stack = scratch

    verdict, near_sq, near_id, near_exact = certificate_verdict(
        candidate, anchors, n_check, class_side, other_side, (anchor_sq, anchor_dist, found)
    )
    if verdict != PENDING:
        return verdict

    _reset(best_dist, best_idx)
    tree_query_one(class_tree, candidate, -1, best_dist, best_idx, stack)
    if best_dist[0] == 0.0:
        return DUPLICATE
    last_sq = best_dist[n_check - 1]
    last_row = class_rows[best_idx[n_check - 1]]
    if _precedes(near_sq, near_id, last_sq, last_row):
        hit = near_sq
    elif near_exact:
        return RELIABLE
    else:
        hit = tree_any_before(other_tree, candidate, last_sq, last_row, other_rows, stack)
        if hit < 0.0:
            return RELIABLE
    if hit == 0.0 or tree_any_before(other_tree, candidate, 0.0, NO_ROW, other_rows, stack) >= 0:
        return DUPLICATE
    return WRONG_NEIGHBOURS


@njit(cache=True)
def empty_row_table(n_rows):
    """A :class:`~knnor._kernels.layout.RowTable` with room for ``n_rows`` rows
    (open addressing, at most half full)."""
    size = 2
    while size < 2 * n_rows + 1:
        size *= 2
    return RowTable(np.empty(size, dtype=np.int64), np.full(size, -1, dtype=np.int64))


@njit(cache=True)
def register_if_new(table, rows, n_rows, candidate):
    """Add ``candidate`` to ``rows[n_rows]`` unless an equal row is registered.

    ``table`` (from :func:`empty_row_table`) maps row hashes to positions in
    ``rows``, probing linearly from the hash's slot. Returns False when
    ``candidate`` is a duplicate.
    """
    keys, positions = table
    key = row_hash(candidate)
    mask = keys.shape[0] - 1
    slot = key & mask
    while positions[slot] >= 0:
        if keys[slot] == key and _same_row(rows[positions[slot]], candidate):
            return False
        slot = (slot + 1) & mask
    keys[slot] = key
    positions[slot] = n_rows
    rows[n_rows] = candidate
    return True
