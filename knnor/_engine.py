"""The one KNNOR engine: float64 arrays and parameters in, synthetic rows out.

Data flows one way: neighbours -> seeds -> walk -> filter -> assemble. The
adapters validate their input and convert it to a C-contiguous float64 matrix
and integer class codes before calling :func:`oversample`; nothing here checks
types. All loops run in :mod:`knnor._kernels`; each group's neighbourhood
(index, "auto" parameters, filter sides) is prepared in
:mod:`knnor._neighbourhood`, and this module generates and assembles the rows.
"""

import contextlib
import functools
import numbers
from dataclasses import dataclass

import numba
import numpy as np
from joblib import effective_n_jobs
from threadpoolctl import ThreadpoolController

from knnor._compile_notice import compile_notice
from knnor._kernels.blas import power_of_two_scale
from knnor._kernels.geometry import min_nonzero_distance
from knnor._kernels.grid import EXACT, FLOAT16, FLOAT32, INTEGER
from knnor._kernels.layout import Budget, Earlier, Seeding, Targets
from knnor._kernels.oversample import (
    OVERSAMPLERS,
    STAT_ACCEPTED,
    STAT_ATTEMPTS,
    STAT_FINAL_LEVEL,
    STAT_MAX_LEVEL,
    STAT_REJECTED_DUPLICATES,
    STAT_REJECTED_NEIGHBOURS,
    STAT_REJECTED_TARGET,
    n_seeds_for,
    relaxed_params,
)
from knnor._neighbourhood import (
    NeighbourIndex,
    auto_max_dist_point,
    auto_n_neighbors,
    auto_proportion,
    filter_path,
    filter_sides,
    sorted_row_hashes,
)

#: Attempts allowed per requested point, on top of a fixed allowance.
ATTEMPTS_PER_POINT = 50
ATTEMPTS_ALLOWANCE = 1000
#: Candidates per batch: as many as fit in BATCH_BYTES, within these bounds.
#: Large batches let the seeds of one batch, searched in tree order, share leaves.
BATCH_BYTES = 16 * 2**20
BATCH_BOUNDS = (4096, 262144)


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


def nonzero_gap(class_data, other_data):
    """Smallest non-zero distance between a row of ``class_data`` and one of
    ``other_data`` (inf if none), bit for bit as "auto" ``max_dist_point``
    measures it: the minimum over parts of ``other_data`` is the gap of all."""
    return float(min_nonzero_distance(class_data, other_data))


@functools.cache
def _blas_controller():
    """threadpoolctl's view of the BLAS libraries loaded (found once: slow)."""
    return ThreadpoolController()


@contextlib.contextmanager
def thread_limits(n_jobs):
    """Run numba's parallel loops on ``n_jobs`` threads (joblib's convention)
    and BLAS on one.

    The kernels call BLAS from inside their parallel loops, one product per
    thread; a multi-threaded BLAS there (or its idle threads spinning between
    calls) would fight numba's threads for the same cores.
    """
    wanted = min(max(1, effective_n_jobs(n_jobs)), numba.config.NUMBA_NUM_THREADS)
    previous = numba.get_num_threads()
    numba.set_num_threads(wanted)
    try:
        with _blas_controller().limit(limits=1, user_api="blas"):
            yield
    finally:
        numba.set_num_threads(previous)


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


@dataclass
class GroupGeometry:
    """A group's rows (numbers and data), its ``k0`` (``n_neighbors`` with
    "auto" resolved), its :class:`NeighbourIndex` and each row's ``k0``
    nearest group rows (``neighbours``) and distance to the last of them."""

    rows: np.ndarray
    data: np.ndarray
    k0: int
    index: NeighbourIndex
    neighbours: np.ndarray
    k_distances: np.ndarray

    @classmethod
    def of(cls, data, groups, group, n_neighbors, scale):
        """Raises :class:`GroupTooSmallError` when the group cannot be walked."""
        rows = np.flatnonzero(groups == group).astype(np.int64)
        group_data = np.ascontiguousarray(data[rows])
        k0 = auto_n_neighbors(group_data) if n_neighbors == "auto" else int(n_neighbors)
        if rows.shape[0] < k0 + 1:
            raise GroupTooSmallError(group, rows.shape[0], k0 + 1)
        index = NeighbourIndex(group_data, scale)
        sq_dist, neighbours = index.knn(group_data, k0, exclude_self=True)
        return cls(rows, group_data, k0, index, neighbours, np.sqrt(sq_dist[:, k0 - 1]))


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
    gap=None,
    filter_search="exact",
):
    """Run the KNNOR steps for ``group``; ``scale`` is every index's
    :class:`NeighbourIndex` scale, ``targets`` the carried values of every
    row (or ``None``) and ``tolerance`` their allowed disagreement; ``gap``
    (or ``None``: measured here) the smallest non-zero distance from the
    group to the other rows, for "auto" ``max_dist_point``."""
    geometry = GroupGeometry.of(data, groups, group, n_neighbors, scale)
    class_rows, class_data, k0 = geometry.rows, geometry.data, geometry.k0
    class_index, neighbours, k_distances = (
        geometry.index,
        geometry.neighbours,
        geometry.k_distances,
    )
    n_class = class_rows.shape[0]
    seed_rank = np.empty(n_class, dtype=np.int64)
    seed_rank[np.argsort(k_distances, kind="stable")] = np.arange(n_class)

    if proportion_minority == "auto":
        proportion_minority = auto_proportion(k_distances)
    if max_dist_point == "auto":
        if gap is None:
            gap = nonzero_gap(class_data, data[groups != group])
        max_dist_point = auto_max_dist_point(class_data, gap)
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
        filter_search,
    )
    oversample_class = OVERSAMPLERS[
        filter_path(reliability_filter, rule, class_index, filter_search),
        bool(reliability_filter and targets is not None and tolerance < np.inf),
    ]
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
    stats["filter_search"] = filter_search
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
    scale=None,
    gaps=None,
    filter_search="exact",
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
    be from those of its nearest group rows. ``filter_search`` is
    ``"exact"`` (every verdict proven) or ``"graph"`` (verdicts from the
    neighbour lists alone: :mod:`knnor._kernels.graph`).

    ``scale`` and ``gaps`` let a caller that passes only part of the rows
    (:mod:`knnor.dask`: the groups and the other rows near them) give what
    depends on all of them: the power-of-two scale of every row
    (:func:`knnor._kernels.blas.power_of_two_scale`) and, per group, the
    smallest non-zero distance to the rows of other groups ("auto"
    ``max_dist_point``). The filter's verdicts depend on the rows near each
    candidate only.

    Returns a :class:`Synthesis`. Raises :class:`GroupTooSmallError` for a
    group with fewer than ``n_neighbors + 1`` rows.
    """
    grid = np.empty(0, dtype=np.int8) if grid is None else np.asarray(grid, dtype=np.int8)
    scale = power_of_two_scale(data) if scale is None else scale
    gaps = {} if gaps is None else gaps
    results = {}
    earlier = np.empty((0, data.shape[1]))  # no group may return another's rows
    with thread_limits(n_jobs), compile_notice():
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
                gap=gaps.get(group),
                filter_search=filter_search,
            )
            if reliability_filter and len(n_wanted) > 1:
                earlier = np.vstack([earlier, results[group].synthetic])
    no_walk = n_neighbors + 1 if isinstance(n_neighbors, numbers.Integral) else 1
    return assemble(results, data.shape[1], no_walk)
