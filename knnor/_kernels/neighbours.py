"""Exact nearest-neighbour search over a kd-tree.

A brute-force scan is the same tree with a single leaf holding every row
(``leaf_size >= n``), so one set of kernels serves both. Neighbours are ordered
by (squared Euclidean distance, row index): ties go to the smaller row index.
Squared distances are summed feature by feature in column order, which makes
equal inputs give bit-equal distances on either path.

The tree is stored as flat arrays (an implicit, balanced binary tree in the
manner of scikit-learn's ``BinaryTree``): node ``i`` has children ``2i+1`` and
``2i+2``, owns positions ``start[i]:end[i]`` and the bounding box
``lower[i]``/``upper[i]``. The tree keeps its own copy of the rows in tree
order (``points = data[order]``), so a leaf is one contiguous block of memory;
that alone makes queries several times faster than reading ``data[order[r]]``.
"""

import numpy as np
from numba import njit, prange

from knnor._kernels.layout import KDTree

LEAF_SIZE = 64
QUERY_RUN = 64  # queries searched in a row by one strand (see tree_knn_within)
#: Index of an empty slot in a k-best list; sorts after every row.
NO_ROW = np.iinfo(np.int64).max


@njit(cache=True, inline="always")
def sq_dist(a, b):
    """Squared Euclidean distance, summed in column order."""
    total = 0.0
    for j in range(a.shape[0]):
        diff = a[j] - b[j]
        total += diff * diff
    return total


@njit(cache=True, inline="always")
def _precedes(dist_a, idx_a, dist_b, idx_b):
    """Total order on neighbours: by distance, then by row index."""
    return dist_a < dist_b or (dist_a == dist_b and idx_a < idx_b)


@njit(cache=True)
def _push(best_dist, best_idx, dist, idx):
    """Insert (dist, idx) into the sorted k-best lists if it belongs there."""
    k = best_dist.shape[0]
    if not _precedes(dist, idx, best_dist[k - 1], best_idx[k - 1]):
        return
    pos = k - 1
    while pos > 0 and _precedes(dist, idx, best_dist[pos - 1], best_idx[pos - 1]):
        best_dist[pos] = best_dist[pos - 1]
        best_idx[pos] = best_idx[pos - 1]
        pos -= 1
    best_dist[pos] = dist
    best_idx[pos] = idx


@njit(cache=True)
def _reset(best_dist, best_idx, bound_sq=np.inf):
    """Empty k-best lists that accept only rows within ``bound_sq``."""
    best_dist[:] = bound_sq
    best_idx[:] = NO_ROW


# --------------------------------------------------------------------------- kd-tree


@njit(cache=True)
def _select(order, values, lo, hi, nth):
    """Rearrange order[lo:hi] so the row at ``nth`` has its sorted value there,
    smaller-or-equal values before it and greater-or-equal after (quickselect)."""
    while hi - lo > 1:
        pivot = values[order[(lo + hi) // 2]]
        i, j = lo, hi - 1
        while i <= j:
            while values[order[i]] < pivot:
                i += 1
            while values[order[j]] > pivot:
                j -= 1
            if i <= j:
                order[i], order[j] = order[j], order[i]
                i += 1
                j -= 1
        if nth <= j:
            hi = j + 1
        elif nth >= i:
            lo = i
        else:
            return


@njit(cache=True)
def build_kdtree(data, leaf_size=LEAF_SIZE):
    """Build a balanced kd-tree over the rows of ``data``.

    Each internal node splits its rows at the median of the feature with the
    widest spread. Returns a :class:`KDTree`, where ``points[r]`` is row
    ``order[r]`` of ``data``.
    """
    n, d = data.shape
    n_leaves_wanted = max(1, (n + leaf_size - 1) // leaf_size)
    n_levels = 1
    while (1 << (n_levels - 1)) < n_leaves_wanted:
        n_levels += 1
    n_nodes = (1 << n_levels) - 1
    order = np.arange(n)
    start = np.zeros(n_nodes, dtype=np.int64)
    end = np.zeros(n_nodes, dtype=np.int64)
    lower = np.empty((n_nodes, d))
    upper = np.empty((n_nodes, d))
    column = np.empty(n)
    start[0], end[0] = 0, n
    for node in range(n_nodes):
        s, e = start[node], end[node]
        lower[node] = np.inf
        upper[node] = -np.inf
        for r in range(s, e):
            row = data[order[r]]
            for j in range(d):
                if row[j] < lower[node, j]:
                    lower[node, j] = row[j]
                if row[j] > upper[node, j]:
                    upper[node, j] = row[j]
        left = 2 * node + 1
        if left >= n_nodes:
            continue
        split_dim = 0
        widest = -1.0
        for j in range(d):
            spread = upper[node, j] - lower[node, j]
            if spread > widest:
                widest = spread
                split_dim = j
        mid = (s + e) // 2
        if e - s > 1:
            for r in range(s, e):
                column[order[r]] = data[order[r], split_dim]
            _select(order, column, s, e, mid)
        start[left], end[left] = s, mid
        start[left + 1], end[left + 1] = mid, e
    points = np.empty_like(data)
    for r in range(n):
        points[r] = data[order[r]]
    return KDTree(points, order, start, end, lower, upper)


@njit(cache=True, inline="always")
def _box_sq_dist(lower, upper, query):
    """Squared distance from ``query`` to the box [lower, upper] (0 inside)."""
    total = 0.0
    for j in range(query.shape[0]):
        if query[j] < lower[j]:
            diff = lower[j] - query[j]
            total += diff * diff
        elif query[j] > upper[j]:
            diff = query[j] - upper[j]
            total += diff * diff
    return total


@njit(cache=True, inline="always")
def _push_children(lower, upper, query, left, stack, top):
    """Push both children of a node with their box distances, the nearer one
    on top; return the new top. ``stack = (nodes, box_sq_dist)``."""
    nodes, box_sq = stack
    d_left = _box_sq_dist(lower[left], upper[left], query)
    d_right = _box_sq_dist(lower[left + 1], upper[left + 1], query)
    if d_left <= d_right:
        nodes[top + 1], box_sq[top + 1] = left + 1, d_right
        nodes[top + 2], box_sq[top + 2] = left, d_left
    else:
        nodes[top + 1], box_sq[top + 1] = left, d_left
        nodes[top + 2], box_sq[top + 2] = left + 1, d_right
    return top + 2


@njit(cache=True, inline="always")
def _start(stack):
    """Put the root on an empty stack; return the top."""
    stack[0][0] = 0
    stack[1][0] = 0.0
    return 0


@njit(cache=True, inline="always")
def _next_leaf(tree, query, bound_sq, stack, top):
    """Pop the depth-first search until a leaf whose box is within ``bound_sq``.

    Returns ``(leaf, top)``, leaf -1 when the search is over. Internal nodes
    met on the way push their children, the nearer one on top.
    """
    start, lower, upper = tree[2], tree[4], tree[5]
    n_nodes = start.shape[0]
    nodes, box_sq = stack
    while top >= 0:
        node = nodes[top]
        within = box_sq[top] <= bound_sq
        top -= 1
        if not within:
            continue
        left = 2 * node + 1
        if left >= n_nodes:
            return node, top
        top = _push_children(lower, upper, query, left, stack, top)
    return -1, top


@njit(cache=True)
def tree_query_one(tree, query, exclude, best_dist, best_idx, stack):
    """k nearest rows to ``query`` by depth-first search of the kd-tree.

    ``best_dist``/``best_idx`` come in as :func:`_reset` leaves them, so a
    search can be limited to a radius. A node is pruned only when its box is
    strictly farther than the current k-th neighbour, so rows tied with it are
    still seen and the (distance, index) order is exact.
    """
    points, order, start, end = tree[0], tree[1], tree[2], tree[3]
    k = best_dist.shape[0]
    top = _start(stack)
    while True:
        leaf, top = _next_leaf(tree, query, best_dist[k - 1], stack, top)
        if leaf < 0:
            return
        for r in range(start[leaf], end[leaf]):
            dist = sq_dist(points[r], query)
            if dist <= best_dist[k - 1] and order[r] != exclude:
                _push(best_dist, best_idx, dist, order[r])


@njit(cache=True)
def tree_stack(tree):
    """Scratch ``(nodes, box_sq_dist)`` stack deep enough for any depth-first
    walk of ``tree``."""
    n_nodes = tree[2].shape[0]
    depth = 1
    while (1 << depth) <= n_nodes:
        depth += 1
    return np.empty(2 * depth + 2, dtype=np.int64), np.empty(2 * depth + 2)


@njit(cache=True, parallel=True)
def tree_knn(tree, queries, k, exclude_self):
    """k nearest rows of the tree's data for every query row.

    With ``exclude_self`` the queries are the tree's data itself and row ``i``
    is not its own neighbour; they are then searched in tree order, so
    consecutive searches touch the same leaves. Returns (squared distances,
    indices), each (n_queries, k).
    """
    n_queries = queries.shape[0]
    dist = np.empty((n_queries, k))
    idx = np.empty((n_queries, k), dtype=np.int64)
    visit_order = tree[1] if exclude_self else np.arange(n_queries)
    for i in prange(n_queries):
        q = visit_order[i]
        stack = tree_stack(tree)
        exclude = q if exclude_self else -1
        _reset(dist[q], idx[q])
        tree_query_one(tree, queries[q], exclude, dist[q], idx[q], stack)
    return dist, idx


@njit(cache=True, parallel=True)
def tree_knn_within(tree, queries, k, radius_sq, visit_order, n_strands):
    """Up to k nearest rows within ``sqrt(radius_sq[q])`` of each query.

    Like :func:`tree_knn`, with empty slots holding ``radius_sq[q]`` and
    ``NO_ROW``. Every row left out is at least as far as the last slot says.
    Queries are searched in ``visit_order``; nearby queries in a row share
    the leaves they read. Search costs vary from one region to another, so
    the runs of ``QUERY_RUN`` queries are dealt out to ``n_strands`` strands
    like cards (strand ``s`` takes runs ``s``, ``s + n_strands``, ...): with
    one strand per thread, each thread gets a bit of every region rather than
    one contiguous share of them, and neighbouring runs still go to threads
    working side by side. The result does not depend on ``n_strands``.
    """
    n_queries = queries.shape[0]
    dist = np.empty((n_queries, k))
    idx = np.empty((n_queries, k), dtype=np.int64)
    n_runs = (n_queries + QUERY_RUN - 1) // QUERY_RUN
    for strand in prange(n_strands):
        stack = tree_stack(tree)
        for run in range(strand, n_runs, n_strands):
            for i in range(run * QUERY_RUN, min((run + 1) * QUERY_RUN, n_queries)):
                q = visit_order[i]
                _reset(dist[q], idx[q], radius_sq[q])
                tree_query_one(tree, queries[q], -1, dist[q], idx[q], stack)
    return dist, idx


@njit(cache=True)
def tree_any_before(tree, query, bound_dist, bound_id, ids, stack):
    """Squared distance of some row preceding (bound_dist, bound_id), or -1.

    A row ``i`` precedes the bound when ``(dist, ids[i])`` is smaller in the
    neighbour order. The search stops at the first such row, so a "yes" is
    usually much cheaper than a k-NN query; ``ids`` maps tree rows to the
    numbering the bound uses.
    """
    points, order, start, end = tree[0], tree[1], tree[2], tree[3]
    top = _start(stack)
    while True:
        leaf, top = _next_leaf(tree, query, bound_dist, stack, top)
        if leaf < 0:
            return -1.0
        for r in range(start[leaf], end[leaf]):
            dist = sq_dist(points[r], query)
            if _precedes(dist, ids[order[r]], bound_dist, bound_id):
                return dist
