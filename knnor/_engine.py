"""The one KNNOR engine: float64 arrays and parameters in, synthetic rows out.

Data flows one way: neighbours -> seeds -> walk -> filter -> assemble. The
adapters validate their input and convert it to a C-contiguous float64 matrix
and integer class codes before calling :func:`oversample`; nothing here checks
types. All loops run in :mod:`knnor._kernels`.
"""

import contextlib
import numbers
from dataclasses import dataclass

import numba
import numpy as np
from joblib import effective_n_jobs

from knnor._kernels import geometry
from knnor._kernels.blas import blas_knn, blas_rows, power_of_two_scale
from knnor._kernels.filter import sorted_row_hashes
from knnor._kernels.grid import EXACT, FLOAT16, FLOAT32, INTEGER
from knnor._kernels.layout import (
    BlasRows,
    Budget,
    ClassSide,
    Earlier,
    OtherSide,
    Seeding,
    Targets,
    VoteRule,
)
from knnor._kernels.neighbours import (
    LEAF_SIZE,
    NO_ROW,
    build_kdtree,
    tree_knn,
    tree_knn_within,
)
from knnor._kernels.oversample import (
    STAT_ACCEPTED,
    STAT_ATTEMPTS,
    STAT_FINAL_LEVEL,
    STAT_MAX_LEVEL,
    STAT_REJECTED_DUPLICATES,
    STAT_REJECTED_NEIGHBOURS,
    STAT_REJECTED_TARGET,
    n_seeds_for,
    oversample_class,
    relaxed_params,
)

#: kd-trees lose to a scan beyond this many features.
TREE_MAX_FEATURES = 16
#: Attempts allowed per requested point, on top of a fixed allowance.
ATTEMPTS_PER_POINT = 50
ATTEMPTS_ALLOWANCE = 1000
#: Candidates per batch: as many as fit in BATCH_BYTES, within these bounds.
#: Large batches let the seeds of one batch, searched in tree order, share leaves.
BATCH_BYTES = 16 * 2**20
BATCH_BOUNDS = (4096, 262144)
#: Rows of other classes each class row lists for the filter's certificate.
OTHER_LIST_SIZE = 12
#: ... and only those within this many of its in-class k-distances.
OTHER_LIST_RADIUS = 1.5
#: "auto" proportion_minority never keeps fewer than this share as seeds.
AUTO_PROPORTION_FLOOR = 0.5


def output_grid(dtypes):
    """Grid code of each column for :func:`oversample` from its output dtype:
    integers and booleans round to integers, float32/float16 to their
    precision; ``None`` when every column is float64 (nothing to round)."""
    codes = []
    for dtype in dtypes:
        dtype = np.dtype(getattr(dtype, "numpy_dtype", getattr(dtype, "subtype", dtype)))
        if dtype.kind in "biu":
            codes.append(INTEGER)
        elif dtype == np.float32:
            codes.append(FLOAT32)
        elif dtype == np.float16:
            codes.append(FLOAT16)
        else:
            codes.append(EXACT)
    return np.array(codes, dtype=np.int8) if any(codes) else None


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

        Empty slots hold ``radius_sq`` and ``NO_ROW``; the scan ignores the
        radius and fills every slot. Either way every row left out is at least
        as far as the last slot says. The tree searches queries in
        ``visit_order`` (spatially sorted is fastest).
        """
        if self.use_tree:
            return tree_knn_within(self.tree, queries, k, radius_sq, visit_order)
        return self.knn(queries, k)

    def knn(self, queries, k, exclude_self=False):
        """(squared distances, indices) of the k nearest rows, (dist, index) order."""
        if self.use_tree:
            return tree_knn(self.tree, queries, k, exclude_self)
        return blas_knn(self.blas, queries, k, exclude_self)


@contextlib.contextmanager
def numba_threads(n_jobs):
    """Run numba's parallel loops on ``n_jobs`` threads (joblib's convention)."""
    wanted = min(max(1, effective_n_jobs(n_jobs)), numba.config.NUMBA_NUM_THREADS)
    previous = numba.get_num_threads()
    numba.set_num_threads(wanted)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


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


def auto_max_dist_point(class_data, other_data):
    """Authors' step bound: the ratio of the class diameter and the smallest
    non-zero distance from the class to another class, smaller over larger.

    The result is clipped to [0.01, 1]; 1.0 when either distance is 0 or
    undefined.
    """
    spread = geometry.diameter(class_data)
    gap = geometry.min_nonzero_distance(class_data, other_data)
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
):
    """What the reliability filter checks a class's candidates against.

    Returns ``(class_side, other_side, blas_sides, vote_rule)`` as
    :mod:`knnor._kernels.layout` defines them: ``blas_sides`` holds both
    sides' :class:`~knnor._kernels.layout.BlasRows` when the data is searched
    by scanning (BLAS filter), else two of no rows. Each class row gets its list of the
    ``OTHER_LIST_SIZE`` nearest rows of other classes (as positions in their
    tree) and the reach of that list and of its in-class ``neighbours``; a
    list holding every row reaches infinitely far. Without the filter,
    stand-ins of the same types.
    """
    other_rows = np.flatnonzero(labels != labels[class_rows[0]])
    if not reliability_filter:
        other_rows = other_rows[:1]
    other_index = NeighbourIndex(np.ascontiguousarray(data[other_rows]), class_index.scale)
    n_class = class_data.shape[0]
    if reliability_filter:
        n_listed = min(OTHER_LIST_SIZE, other_rows.shape[0])
        listed_sq, listed = other_index.knn_within(
            class_data,
            n_listed,
            (OTHER_LIST_RADIUS * k_distances) ** 2,
            visit_order=class_index.tree.order,
        )
        found = listed != NO_ROW
        tree_position = np.empty_like(other_index.tree.order)
        tree_position[other_index.tree.order] = np.arange(other_rows.shape[0])
        other_lists = np.where(found, tree_position[np.where(found, listed, 0)], -1)
        other_reach = np.sqrt(listed_sq[:, -1])
        if n_listed == other_rows.shape[0]:
            other_reach[found[:, -1]] = np.inf
        class_reach = k_distances.copy()
        if neighbours.shape[1] == n_class - 1:
            class_reach[:] = np.inf
        hash_keys, hash_positions = sorted_row_hashes(class_data)
    else:
        other_lists = np.empty((n_class, 0), dtype=np.int64)
        other_reach = class_reach = np.zeros(n_class)
        hash_keys, hash_positions = sorted_row_hashes(class_data[:0])
    class_side = ClassSide(
        class_data,
        class_index.tree,
        class_rows,
        neighbours,
        class_reach,
        hash_keys,
        hash_positions,
    )
    other_side = OtherSide(other_index.tree, other_rows, other_lists, other_reach)
    if reliability_filter and not class_index.use_tree:
        blas_sides = (class_index.blas, other_index.blas)
    else:
        no_rows = np.empty((0, data.shape[1]))
        stand_in = BlasRows(no_rows, no_rows.astype(np.float32), np.empty(0), 1.0)
        blas_sides = (stand_in, stand_in)
    rule = VoteRule(0, 0)
    if reliability_filter:
        rule = VoteRule(*vote_rule(filter_rule, filter_neighbors, k0, n_class))
    return class_side, other_side, blas_sides, rule


class GroupTooSmallError(ValueError):
    """A group has fewer than ``n_neighbors + 1`` rows: it cannot be walked.

    Adapters catch it and say what the group is for their users (a class, a
    bump of rare targets)."""

    def __init__(self, group, n_rows, n_needed):
        super().__init__(f"group {group!r} has {n_rows} rows, fewer than {n_needed}")
        self.group, self.n_rows, self.n_needed = group, n_rows, n_needed


@dataclass
class GroupResult:
    """What the engine made for one group: rows, provenance and walk weights
    as :func:`knnor._kernels.oversample.oversample_class` returns them, the
    carried values (empty without targets) and the stats dict."""

    synthetic: np.ndarray
    provenance: np.ndarray
    weights: np.ndarray
    values: np.ndarray
    stats: dict


@dataclass
class Synthesis:
    """Every group's synthetic rows, in the order the groups were asked for.

    ``groups[i]`` is row ``i``'s group; ``provenance`` (-1 padded) and
    ``weights`` (0 padded) have one column per source row, the seed first;
    ``values`` the carried values (``None`` without targets); ``stats`` a
    dict per group.
    """

    rows: np.ndarray
    groups: np.ndarray
    provenance: np.ndarray
    weights: np.ndarray
    values: np.ndarray | None
    stats: dict


def _stats_dict(stats_vector, n_wanted, k0, max_dist_point, proportion_minority, n_class):
    """The stats vector of :func:`oversample_class`, named, with the parameters."""
    k_final, max_dist_final, proportion_final = relaxed_params(
        stats_vector[STAT_FINAL_LEVEL], k0, max_dist_point, proportion_minority
    )
    return {
        "n_requested": int(n_wanted),
        "n_generated": int(stats_vector[STAT_ATTEMPTS]),
        "n_accepted": int(stats_vector[STAT_ACCEPTED]),
        "n_rejected_filter": int(stats_vector[STAT_REJECTED_NEIGHBOURS]),
        "n_rejected_duplicate": int(stats_vector[STAT_REJECTED_DUPLICATES]),
        "n_neighbors": k0,
        "max_dist_point": max_dist_point,
        "proportion_minority": proportion_minority,
        "n_seeds": int(n_seeds_for(proportion_minority, n_class)),
        "max_relaxation_level": int(stats_vector[STAT_MAX_LEVEL]),
        "final_n_neighbors": int(k_final),
        "final_max_dist_point": float(max_dist_final),
        "final_proportion_minority": float(proportion_final),
    }


def oversample_one_group(
    data,
    groups,
    group,
    n_wanted,
    *,
    n_neighbors,
    max_dist_point,
    proportion_minority,
    reliability_filter,
    filter_rule,
    filter_neighbors,
    grid,
    scale,
    earlier,
    targets,
    tolerance,
    rng,
):
    """Run the KNNOR steps for ``group``; ``scale`` is every index's
    :class:`NeighbourIndex` scale, ``targets`` the carried values of every
    row (or ``None``) and ``tolerance`` their allowed disagreement."""
    class_rows = np.flatnonzero(groups == group).astype(np.int64)
    class_data = np.ascontiguousarray(data[class_rows])
    n_class = class_rows.shape[0]

    k0 = auto_n_neighbors(class_data) if n_neighbors == "auto" else int(n_neighbors)
    if n_class < k0 + 1:
        raise GroupTooSmallError(group, n_class, k0 + 1)
    class_index = NeighbourIndex(class_data, scale)
    sq_dist, neighbours = class_index.knn(class_data, k0, exclude_self=True)
    k_distances = np.sqrt(sq_dist[:, k0 - 1])
    seed_rank = np.empty(n_class, dtype=np.int64)
    seed_rank[np.argsort(k_distances, kind="stable")] = np.arange(n_class)

    if proportion_minority == "auto":
        proportion_minority = auto_proportion(k_distances)
    if max_dist_point == "auto":
        max_dist_point = auto_max_dist_point(class_data, data[groups != group])
    max_dist_point, proportion_minority = float(max_dist_point), float(proportion_minority)

    seed_order = rng.permutation(n_class).astype(np.int64)
    rng_seed = int(rng.randint(np.iinfo(np.int32).max))
    carried = Targets(
        np.empty(0) if targets is None else np.ascontiguousarray(targets[class_rows]),
        float(tolerance),
    )
    budget = Budget(
        int(n_wanted),
        k0,
        max_dist_point,
        proportion_minority,
        bool(reliability_filter),
        ATTEMPTS_PER_POINT * n_wanted + ATTEMPTS_ALLOWANCE,
        rng_seed,
        int(np.clip(BATCH_BYTES // (8 * data.shape[1]), *BATCH_BOUNDS)),
    )
    class_side, other_side, blas_sides, rule = filter_sides(
        data,
        groups,
        class_rows,
        class_data,
        class_index,
        neighbours,
        k_distances,
        reliability_filter,
        filter_rule,
        filter_neighbors,
        k0,
    )
    synthetic, provenance, weights, values, stats_vector = oversample_class(
        class_side,
        other_side,
        blas_sides,
        Seeding(seed_rank, seed_order),
        rule,
        grid,
        Earlier(earlier, *sorted_row_hashes(earlier)),
        carried,
        budget,
    )
    stats = _stats_dict(stats_vector, n_wanted, k0, max_dist_point, proportion_minority, n_class)
    if targets is not None:
        stats["n_rejected_target"] = int(stats_vector[STAT_REJECTED_TARGET])
    return GroupResult(synthetic, provenance, weights, values, stats)


def assemble(results, n_features, width):
    """One :class:`Synthesis` from per-group results, padding provenance and
    weights to ``max(width, widest walk + 1)`` columns."""
    width = max([width, *(r.provenance.shape[1] for r in results.values())])

    def padded(block, fill):
        return np.pad(block, ((0, 0), (0, width - block.shape[1])), constant_values=fill)

    carry = any(r.values.shape[0] for r in results.values())
    return Synthesis(
        rows=np.concatenate([np.empty((0, n_features))] + [r.synthetic for r in results.values()]),
        groups=np.concatenate(
            [np.empty(0, dtype=np.int64)]
            + [np.full(len(r.synthetic), g, dtype=np.int64) for g, r in results.items()]
        ),
        provenance=np.concatenate(
            [np.empty((0, width), dtype=np.int64)]
            + [padded(r.provenance, -1) for r in results.values()]
        ),
        weights=np.concatenate(
            [np.empty((0, width))] + [padded(r.weights, 0.0) for r in results.values()]
        ),
        values=np.concatenate([np.empty(0)] + [r.values for r in results.values()])
        if carry
        else None,
        stats={g: r.stats for g, r in results.items()},
    )


def oversample(
    data,
    groups,
    n_wanted,
    *,
    n_neighbors,
    max_dist_point,
    proportion_minority,
    reliability_filter,
    random_state,
    filter_rule="unanimous",
    filter_neighbors="auto",
    grid=None,
    n_jobs=None,
    targets=None,
    tolerance=None,
):
    """KNNOR for every group in ``n_wanted`` (group -> number of rows).

    ``data`` is a C-contiguous float64 matrix and ``groups`` int64 codes (a
    class, a bump of rare targets: the engine does not care which);
    ``random_state`` a ``numpy.random.RandomState``. Groups are processed in
    the order of ``n_wanted``, each drawing its seeds from ``random_state`` in
    turn. ``grid`` gives each column's output type as a
    :mod:`knnor._kernels.grid` code (``None``: all float64); synthetic
    values are rounded to it before they are judged. ``targets`` (float64,
    one per row) are carried along each walk with its weights, and
    ``tolerance`` (group -> float) is how far a candidate's carried value may
    be from those of its nearest group rows.

    Returns a :class:`Synthesis`. Raises :class:`GroupTooSmallError` for a
    group with fewer than ``n_neighbors + 1`` rows.
    """
    grid = np.empty(0, dtype=np.int8) if grid is None else np.asarray(grid, dtype=np.int8)
    scale = power_of_two_scale(data)
    results = {}
    earlier = np.empty((0, data.shape[1]))  # no group may return another's rows
    with numba_threads(n_jobs):
        for group, wanted in n_wanted.items():
            results[group] = oversample_one_group(
                data,
                groups,
                group,
                wanted,
                n_neighbors=n_neighbors,
                max_dist_point=max_dist_point,
                proportion_minority=proportion_minority,
                reliability_filter=reliability_filter,
                filter_rule=filter_rule,
                filter_neighbors=filter_neighbors,
                grid=grid,
                scale=scale,
                earlier=earlier,
                targets=targets,
                tolerance=np.inf if tolerance is None else tolerance[group],
                rng=random_state,
            )
            if reliability_filter and len(n_wanted) > 1:
                earlier = np.vstack([earlier, results[group].synthetic])
    no_walk = n_neighbors + 1 if isinstance(n_neighbors, numbers.Integral) else 1
    return assemble(results, data.shape[1], no_walk)
