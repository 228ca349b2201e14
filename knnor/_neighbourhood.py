"""Each group's neighbourhood, as the engine's kernels need it.

Exact k-NN over a group's rows (:class:`NeighbourIndex`), the "auto"
parameters read off that geometry, and what the reliability filter checks
a group's candidates against (:func:`filter_sides`). Everything here looks
at the original rows only; generating and assembling synthetic rows is
:mod:`knnor._engine`'s.
"""

import numba
import numpy as np

from knnor._cell_lists import cell_lists
from knnor._kernels import geometry
from knnor._kernels.blas import blas_knn, blas_knn_within, blas_rows
from knnor._kernels.filter import row_hashes
from knnor._kernels.graph import merged_lists
from knnor._kernels.judge import BLAS, GRAPH, TREE, UNFILTERED, VOTE
from knnor._kernels.layout import BlasRows, ClassSide, KDTree, OtherSide, VoteRule
from knnor._kernels.neighbours import (
    LEAF_SIZE,
    NO_ROW,
    build_kdtree,
    tree_knn,
    tree_knn_within,
)

#: kd-trees lose to a scan beyond this many features.
TREE_MAX_FEATURES = 16
#: Rows of other classes each class row lists for the filter's certificate.
OTHER_LIST_SIZE = 12
#: ... and only those within this many of its in-class k-distances.
OTHER_LIST_RADIUS = 1.5
#: Rows of other classes each class row lists when the lists alone decide ("graph"):
#: more than the exact filter's, which falls back on a search when they fall short.
GRAPH_LIST_SIZE = 24
#: Below this many (group row, other row) pairs, or when a kd-tree searches
#: the data, "graph" lists are the exact ones: cheap there, and cells of a
#: small group are too coarse to find them.
GRAPH_EXACT_PAIRS = 2**25
#: Steps that merge each row's approximate list with its neighbours' ("graph").
GRAPH_MERGE_STEPS = 1
#: "auto" proportion_minority never keeps fewer than this share as seeds.
AUTO_PROPORTION_FLOOR = 0.5


class NeighbourIndex:
    """Exact k-NN over fixed rows: a kd-tree in low dimension, else a scan.

    The scan is a tree whose single leaf holds every row (so the filter
    kernels keep one signature), searched with BLAS products on rows times
    ``scale``: one power of two for every index of a resampling
    (:func:`knnor._kernels.blas.power_of_two_scale` of all rows), so that
    neither rows nor queries can overflow single precision.
    """

    def __init__(self, data, scale):
        self.use_tree = data.shape[1] <= TREE_MAX_FEATURES
        leaf_size = LEAF_SIZE if self.use_tree else max(1, data.shape[0])
        self.tree = build_kdtree(data, leaf_size)
        self.scale = scale
        self.blas = None if self.use_tree else blas_rows(self.tree[0], scale)

    def knn_within(self, queries, k, radius_sq, visit_order):
        """Up to k nearest rows within ``sqrt(radius_sq)`` of each query.

        Empty slots hold ``radius_sq`` and ``NO_ROW``: every row left out is at
        least as far as the last slot says. The tree searches queries in
        ``visit_order`` (spatially sorted is fastest); the scan starts each
        query's bound at its radius, so that few rows are re-measured.
        """
        if self.use_tree:
            n_strands = numba.get_num_threads()  # one per thread: see tree_knn_within
            return tree_knn_within(self.tree, queries, k, radius_sq, visit_order, n_strands)
        return blas_knn_within(self.blas, queries, k, False, radius_sq)

    def knn(self, queries, k, exclude_self=False):
        """(squared distances, indices) of the k nearest rows, (dist, index) order."""
        if self.use_tree:
            return tree_knn(self.tree, queries, k, exclude_self)
        return blas_knn(self.blas, queries, k, exclude_self)


def single_leaf_tree(data, order):
    """A :class:`~knnor._kernels.layout.KDTree` of one leaf holding the rows
    of ``data`` in ``order``: rows read by position, never searched."""
    points = np.ascontiguousarray(data[order])
    lower = points.min(axis=0, initial=np.inf)[None]
    upper = points.max(axis=0, initial=-np.inf)[None]
    ends = np.array([0, order.shape[0]], dtype=np.int64)
    return KDTree(points, order.astype(np.int64), ends[:1], ends[1:], lower, upper)


def tree_positions(tree):
    """Where each row of the data sits in ``tree.points``."""
    position = np.empty_like(tree.order)
    position[tree.order] = np.arange(tree.order.shape[0])
    return position


def sorted_row_hashes(data):
    """(sorted hashes of the rows, row of each sorted hash): what the kernels'
    duplicate checks look rows up in. Sorted here, in numpy, rather than by
    compiling a sort into the kernels."""
    keys = row_hashes(data)
    positions = np.argsort(keys, kind="stable")
    return keys[positions], positions


def auto_n_neighbors(class_data):
    """Authors' choice of k, made deterministic.

    The reference code draws k uniformly from ``[1, g)``, where ``g`` is the
    smallest number, over the class's points, of class points closer to that
    point than its mean squared distance to the class. We take the middle of
    that range, ``g // 2``, so the same data always gives the same k.
    """
    good = geometry.min_count_closer_than_mean(class_data)
    return int(max(1, min(good // 2, class_data.shape[0] - 1)))


def auto_proportion(k_distances):
    """Share of seeds at the elbow of the ascending sorted k-distances.

    The curve is scaled to the unit square and the elbow is the point
    farthest below the chord from its first to its last point (the "kneedle"
    rule); the points up to and including it are the dense ones. A curve with
    no point below its chord (all points equally dense) gives 1.0, and the
    result is never below ``AUTO_PROPORTION_FLOOR``.
    """
    n = k_distances.shape[0]
    curve = np.sort(k_distances)
    span = curve[-1] - curve[0]
    if n < 3 or span <= 0:
        return 1.0
    x = np.linspace(0.0, 1.0, n)
    gap = x - (curve - curve[0]) / span
    elbow = int(np.argmax(gap))
    if gap[elbow] <= 0:
        return 1.0
    return float(max(AUTO_PROPORTION_FLOOR, (elbow + 1) / n))


def auto_max_dist_point(class_data, gap):
    """Authors' step bound: the ratio of the class diameter and ``gap``, the
    smallest non-zero distance from the class to another class
    (:func:`knnor._engine.nonzero_gap`), smaller over larger.

    The result is clipped to [0.01, 1]; 1.0 when either distance is 0 or
    undefined.
    """
    spread = geometry.diameter(class_data)
    if not (spread > 0 and np.isfinite(gap)):
        return 1.0
    return float(np.clip(min(spread, gap) / max(spread, gap), 0.01, 1.0))


def vote_rule(filter_rule, filter_neighbors, k0, n_class):
    """``(n_votes, quorum)`` for the kernels: a candidate needs ``quorum``
    class rows among its ``n_votes`` nearest rows. ``(0, 0)`` for the
    paper's rule with ``filter_neighbors="auto"``, whose kernels ask
    ``floor(sqrt(k))`` rows, following ``k`` as it relaxes."""
    if filter_rule == "unanimous" and filter_neighbors == "auto":
        return 0, 0
    n_votes = min(k0 if filter_neighbors == "auto" else filter_neighbors, n_class - 1)
    return n_votes, n_votes if filter_rule == "unanimous" else n_votes // 2 + 1


def filter_sides(
    data,
    labels,
    class_rows,
    class_data,
    class_index,
    neighbours,
    k_distances,
    reliability_filter,
    filter_rule,
    filter_neighbors,
    k0,
    filter_search="exact",
):
    """What the reliability filter checks a class's candidates against.

    Returns ``(class_side, other_side, blas_sides, vote_rule)`` as
    :mod:`knnor._kernels.layout` defines them: ``blas_sides`` holds both
    sides' :class:`~knnor._kernels.layout.BlasRows` when the data is searched
    by scanning (BLAS filter), else two of no rows. Each class row gets its list of the
    ``OTHER_LIST_SIZE`` nearest rows of other classes (as positions in their
    tree) and the reach of that list and of its in-class ``neighbours``; a
    list holding every row reaches infinitely far. With ``filter_search=
    "graph"`` the lists are longer (``GRAPH_LIST_SIZE``) and, on large data
    searched by scanning, come from :func:`knnor._cell_lists.cell_lists`
    (approximate; nothing else of the other side is indexed). Without the
    filter, stand-ins of the same types.
    """
    other_rows = np.flatnonzero(labels != labels[class_rows[0]])
    if not reliability_filter:
        other_rows = other_rows[:1]
    other_data = np.ascontiguousarray(data[other_rows])
    n_class = class_data.shape[0]
    graph = reliability_filter and filter_search == "graph"
    n_listed = min(GRAPH_LIST_SIZE if graph else OTHER_LIST_SIZE, other_rows.shape[0])
    radius_sq = (OTHER_LIST_RADIUS * k_distances) ** 2
    class_tree = class_index.tree
    if graph and not class_index.use_tree and n_class * other_rows.shape[0] > GRAPH_EXACT_PAIRS:
        cells = cell_lists(class_data, other_data, n_listed, radius_sq)
        listed = cells.lists
        for _ in range(GRAPH_MERGE_STEPS):
            listed = merged_lists(class_data, other_data, listed, neighbours, radius_sq)
        other_tree = single_leaf_tree(other_data, cells.other_order)
        # Candidates are visited in their seeds' tree order: make it the cells'.
        class_tree = single_leaf_tree(class_data, cells.group_order)
        other_lists = np.where(listed >= 0, tree_positions(other_tree)[listed], -1)
    elif reliability_filter:
        other_index = NeighbourIndex(other_data, class_index.scale)
        listed_sq, listed = other_index.knn_within(
            class_data, n_listed, radius_sq, visit_order=class_index.tree.order
        )
        other_tree = other_index.tree
        found = listed != NO_ROW
        other_lists = np.where(found, tree_positions(other_tree)[np.where(found, listed, 0)], -1)
    if graph:
        other_reach = class_reach = np.zeros(n_class)  # lists trusted, not bounded
        hash_keys, hash_positions = sorted_row_hashes(class_data)
    elif reliability_filter:
        other_reach = np.sqrt(listed_sq[:, -1])
        if n_listed == other_rows.shape[0]:
            other_reach[found[:, -1]] = np.inf
        class_reach = k_distances.copy()
        if neighbours.shape[1] == n_class - 1:
            class_reach[:] = np.inf
        hash_keys, hash_positions = sorted_row_hashes(class_data)
    else:
        other_tree = single_leaf_tree(other_data, np.arange(other_rows.shape[0]))
        other_lists = np.empty((n_class, 0), dtype=np.int64)
        other_reach = class_reach = np.zeros(n_class)
        hash_keys, hash_positions = sorted_row_hashes(class_data[:0])
    class_side = ClassSide(
        class_data,
        class_tree,
        class_rows,
        neighbours,
        class_reach,
        hash_keys,
        hash_positions,
    )
    other_side = OtherSide(other_tree, other_rows, other_lists, other_reach)
    if reliability_filter and not graph and not class_index.use_tree:
        blas_sides = (class_index.blas, other_index.blas)
    else:
        no_rows = np.empty((0, data.shape[1]))
        stand_in = BlasRows(
            no_rows, no_rows.astype(np.float32), np.empty(0), np.empty(0, np.float32), 1.0
        )
        blas_sides = (stand_in, stand_in)
    rule = VoteRule(0, 0)
    if reliability_filter:
        rule = VoteRule(*vote_rule(filter_rule, filter_neighbors, k0, n_class))
    return class_side, other_side, blas_sides, rule


def filter_path(reliability_filter, rule, class_index, filter_search="exact"):
    """Which filter kernels judge a group's candidates (a
    :mod:`knnor._kernels.judge` code): none, the lists alone (``"graph"``),
    the vote, the BLAS scan (data searched by scanning) or the kd-tree
    filter."""
    if not reliability_filter:
        return UNFILTERED
    if filter_search == "graph":
        return GRAPH
    if rule.n_votes > 0:
        return VOTE
    return TREE if class_index.use_tree else BLAS
