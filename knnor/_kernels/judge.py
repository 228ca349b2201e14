"""One batch of candidates: walk every seed, then give each candidate its verdict.

One small parallel kernel per job. The generation loop
(:func:`knnor._kernels.oversample.oversampler`) is compiled for one filter
path (``UNFILTERED``, ``TREE``, ``BLAS``, ``VOTE`` or ``GRAPH``) and calls only that
path's kernels, so a first call compiles the walk and its own filter, not all
four.

Each verdict depends on its candidate alone, so neither the order in which
candidates are visited (class-tree order, so that consecutive searches read
the same leaves) nor the threads change any result.
"""

import numpy as np
from numba import njit, prange

from knnor._kernels.filter import RELIABLE, WRONG_TARGET, certificate_verdict, filter_verdict
from knnor._kernels.graph import graph_verdict
from knnor._kernels.grid import snap_to_grid
from knnor._kernels.layout import ClassSide, KDTree, OtherSide
from knnor._kernels.target import carried_value, values_agree, walk_weights
from knnor._kernels.vote import vote_verdict
from knnor._kernels.walk import walk

UNFILTERED, TREE, BLAS, VOTE, GRAPH = 0, 1, 2, 3, 4


@njit(cache=True)
def anchors_of(seed, neighbours, n_steps):
    """The seed and the rows its walk goes toward, in walk order."""
    anchors = np.empty(n_steps + 1, dtype=np.int64)
    anchors[0] = seed
    anchors[1:] = neighbours[seed, :n_steps]
    return anchors


@njit(cache=True, parallel=True)
def walk_batch(
    class_data,
    neighbours,
    grid,
    values,
    seeds,
    alphas,
    n_steps,
    visit_order,
    candidates,
    weights,
    carried,
):
    """Walk each seed, round the candidate to its output ``grid``, and write
    its walk weights and (with ``values``) its carried value."""
    carry = values.shape[0] > 0
    for i in prange(visit_order.shape[0]):
        b = visit_order[i]
        walk(class_data, seeds[b], neighbours, n_steps, alphas[b], candidates[b])
        snap_to_grid(candidates[b], grid)
        walk_weights(alphas[b], n_steps, weights[b])
        if carry:
            carried[b] = carried_value(
                values, anchors_of(seeds[b], neighbours, n_steps), weights[b]
            )


@njit(cache=True, parallel=True)
def tree_verdicts(
    class_side, other_side, candidates, seeds, n_steps, n_check, visit_order, stack_size, verdicts
):
    """The filter's verdict of every candidate, from lists and kd-trees
    (:func:`knnor._kernels.filter.filter_verdict`)."""
    # numba's parallel loops take flat arrays, not nested tuples: unpack the
    # filter's inputs here and rebuild them inside the loop.
    class_data, class_tree, class_rows, neighbours, class_reach, hash_keys, hash_positions = (
        class_side
    )
    c_points, c_order, c_start, c_end, c_lower, c_upper = class_tree
    other_tree, other_rows, other_lists, other_reach = other_side
    o_points, o_order, o_start, o_end, o_lower, o_upper = other_tree
    for i in prange(visit_order.shape[0]):
        b = visit_order[i]
        c_tree = KDTree(c_points, c_order, c_start, c_end, c_lower, c_upper)
        o_tree = KDTree(o_points, o_order, o_start, o_end, o_lower, o_upper)
        scratch = (
            np.empty(n_steps + 1),
            np.empty(n_steps + 1),
            np.empty(n_check, dtype=np.int64),
            np.empty(n_check),
            np.empty(n_check, dtype=np.int64),
            (np.empty(stack_size, dtype=np.int64), np.empty(stack_size)),
        )
        verdicts[b] = filter_verdict(
            candidates[b],
            anchors_of(seeds[b], neighbours, n_steps),
            n_check,
            ClassSide(
                class_data, c_tree, class_rows, neighbours, class_reach, hash_keys, hash_positions
            ),
            OtherSide(o_tree, other_rows, other_lists, other_reach),
            scratch,
        )


@njit(cache=True, parallel=True)
def certificate_verdicts(
    class_side, other_side, candidates, seeds, n_steps, n_check, visit_order, verdicts
):
    """Step 1 of the filter only (the anchors' lists); the candidates it
    leaves ``PENDING`` go to :func:`knnor._kernels.blas.blas_verdicts`."""
    class_data, class_tree, class_rows, neighbours, class_reach, hash_keys, hash_positions = (
        class_side
    )
    c_points, c_order, c_start, c_end, c_lower, c_upper = class_tree
    other_tree, other_rows, other_lists, other_reach = other_side
    o_points, o_order, o_start, o_end, o_lower, o_upper = other_tree
    for i in prange(visit_order.shape[0]):
        b = visit_order[i]
        c_tree = KDTree(c_points, c_order, c_start, c_end, c_lower, c_upper)
        o_tree = KDTree(o_points, o_order, o_start, o_end, o_lower, o_upper)
        scratch = (np.empty(n_steps + 1), np.empty(n_steps + 1), np.empty(n_check, dtype=np.int64))
        verdicts[b] = certificate_verdict(
            candidates[b],
            anchors_of(seeds[b], neighbours, n_steps),
            n_check,
            ClassSide(
                class_data, c_tree, class_rows, neighbours, class_reach, hash_keys, hash_positions
            ),
            OtherSide(o_tree, other_rows, other_lists, other_reach),
            scratch,
        )[0]


@njit(cache=True, parallel=True)
def vote_verdicts(
    class_tree,
    class_rows,
    other_tree,
    other_rows,
    candidates,
    vote_rule,
    visit_order,
    stack_size,
    verdicts,
):
    """The vote filter's verdict of every candidate
    (:func:`knnor._kernels.vote.vote_verdict`)."""
    n_votes, quorum = vote_rule
    c_points, c_order, c_start, c_end, c_lower, c_upper = class_tree
    o_points, o_order, o_start, o_end, o_lower, o_upper = other_tree
    for i in prange(visit_order.shape[0]):
        b = visit_order[i]
        stack = (np.empty(stack_size, dtype=np.int64), np.empty(stack_size))
        verdicts[b] = vote_verdict(
            candidates[b],
            n_votes,
            quorum,
            KDTree(c_points, c_order, c_start, c_end, c_lower, c_upper),
            class_rows,
            KDTree(o_points, o_order, o_start, o_end, o_lower, o_upper),
            other_rows,
            stack,
        )


@njit(cache=True, parallel=True)
def graph_verdicts(
    class_side, other_side, candidates, seeds, n_steps, n_votes, quorum, visit_order, verdicts
):
    """The approximate filter's verdict of every candidate, from the
    neighbour lists alone (:func:`knnor._kernels.graph.graph_verdict`)."""
    class_data, class_tree, class_rows, neighbours, class_reach, hash_keys, hash_positions = (
        class_side
    )
    c_points, c_order, c_start, c_end, c_lower, c_upper = class_tree
    other_tree, other_rows, other_lists, other_reach = other_side
    o_points, o_order, o_start, o_end, o_lower, o_upper = other_tree
    for i in prange(visit_order.shape[0]):
        b = visit_order[i]
        c_tree = KDTree(c_points, c_order, c_start, c_end, c_lower, c_upper)
        o_tree = KDTree(o_points, o_order, o_start, o_end, o_lower, o_upper)
        verdicts[b] = graph_verdict(
            candidates[b],
            anchors_of(seeds[b], neighbours, n_steps),
            n_votes,
            quorum,
            ClassSide(
                class_data, c_tree, class_rows, neighbours, class_reach, hash_keys, hash_positions
            ),
            OtherSide(o_tree, other_rows, other_lists, other_reach),
        )


@njit(cache=True, parallel=True)
def target_verdicts(
    class_tree, targets, candidates, carried, n_agree, visit_order, stack_size, verdicts
):
    """Turn a reliable candidate ``WRONG_TARGET`` when its carried value is
    farther than the tolerance from those of its ``n_agree`` nearest group
    rows (:func:`knnor._kernels.target.values_agree`)."""
    values, tolerance = targets
    c_points, c_order, c_start, c_end, c_lower, c_upper = class_tree
    for i in prange(visit_order.shape[0]):
        b = visit_order[i]
        if verdicts[b] != RELIABLE:
            continue
        tree = KDTree(c_points, c_order, c_start, c_end, c_lower, c_upper)
        stack = (np.empty(stack_size, dtype=np.int64), np.empty(stack_size))
        if not values_agree(candidates[b], carried[b], n_agree, tree, values, tolerance, stack):
            verdicts[b] = WRONG_TARGET
