"""The reliability filter as a vote: enough of the candidate's nearest rows are of its class.

A candidate is ``RELIABLE`` when at least ``quorum`` of its ``n_votes``
nearest original rows, in (distance, row) order, belong to its class;
``DUPLICATE`` when its nearest original row is at distance 0. The paper's
unanimous filter is ``quorum == n_votes``.

"At least ``q`` of the ``n`` nearest are class rows" is the same as "the
``q``-th nearest class row comes before the ``(n - q + 1)``-th nearest row of
another class", so the verdict takes one k-NN query per side, each stopping
at the rank that matters.
"""

import numpy as np
from numba import njit

from knnor._kernels.filter import DUPLICATE, RELIABLE, WRONG_NEIGHBOURS
from knnor._kernels.neighbours import NO_ROW, _precedes, _reset, tree_query_one


@njit(cache=True)
def vote_verdict(
    candidate, n_votes, quorum, class_tree, class_rows, other_tree, other_rows, stack
):
    """Verdict of the vote filter for one candidate (``1 <= quorum <= n_votes``).

    ``class_tree``/``other_tree`` hold the class's rows and every other
    class's; ``class_rows``/``other_rows`` map their rows to original row
    numbers (ascending), which break distance ties. ``stack`` is scratch from
    :func:`knnor._kernels.neighbours.tree_stack`, deep enough for both trees.
    """
    class_dist = np.empty(quorum)
    class_idx = np.empty(quorum, dtype=np.int64)
    _reset(class_dist, class_idx)
    tree_query_one(class_tree, candidate, -1, class_dist, class_idx, stack)
    if class_dist[0] == 0.0:
        return DUPLICATE
    bound_sq, bound_row = class_dist[quorum - 1], class_rows[class_idx[quorum - 1]]
    n_against = n_votes - quorum + 1
    # The other side's rows within the bound, nearest first; ties at the bound
    # are kept in row order, so the first n_against of them decide.
    other_dist = np.empty(n_against)
    other_idx = np.empty(n_against, dtype=np.int64)
    _reset(other_dist, other_idx, bound_sq)
    tree_query_one(other_tree, candidate, -1, other_dist, other_idx, stack)
    if other_idx[0] != NO_ROW and other_dist[0] == 0.0:
        return DUPLICATE
    last = n_against - 1
    if other_idx[last] != NO_ROW and _precedes(
        other_dist[last], other_rows[other_idx[last]], bound_sq, bound_row
    ):
        return WRONG_NEIGHBOURS
    return RELIABLE
