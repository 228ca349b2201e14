"""What :mod:`knnor.dask` decides on the client, in numpy: the counts each
class is over-sampled to, the memory budget, and which synthetic rows the
first guess already proves right (the others go to the partitions).
"""

import numbers
from collections.abc import Mapping

import numpy as np

from knnor._adapter import check_strategy_counts
from knnor._dask_parts import RADIUS_MARGIN
from knnor._neighbourhood import vote_rule

OWNER = "DaskKNNOR"
#: Synthetic rows certified at a time (bounds the anchors' temporary copy).
CHUNK_ROWS = 65536


def strategy_from_counts(strategy, classes, counts, n_features):
    """``sampling_strategy`` resolved from the class counts alone, as
    imbalanced-learn's ``check_sampling_strategy`` resolves it from ``y``
    for an over-sampler (a dict class -> rows to add, sorted by class).

    A callable receives a stand-in ``y``: the labels sorted, with the same counts.
    """
    target = dict(zip(classes.tolist(), counts.tolist(), strict=True))
    if len(target) < 2:
        raise ValueError(f"{OWNER}: y needs more than 1 class; got {len(target)}.")
    if callable(strategy):
        answer = strategy(np.repeat(classes, counts))
        check_strategy_counts(lambda _: answer, None, n_features, OWNER)
        strategy = answer
    majority = max(target, key=target.get)
    n_majority = target[majority]
    if isinstance(strategy, Mapping):
        check_strategy_counts(dict(strategy), None, n_features, OWNER)
        wanted = _from_dict(strategy, target)
    elif isinstance(strategy, str):
        minority = min(target, key=target.get)
        chosen = {
            "minority": [minority],
            "not minority": [c for c in target if c != minority],
            "not majority": [c for c in target if c != majority],
            "auto": [c for c in target if c != majority],
            "all": list(target),
        }[strategy]
        wanted = {c: n_majority - target[c] for c in chosen}
    elif isinstance(strategy, numbers.Real):
        if len(target) != 2:
            raise ValueError(
                f"{OWNER}: sampling_strategy can be a float only when y has two classes; "
                f"it has {len(target)}. Use a dict {{class: n_samples}}."
            )
        wanted = {c: int(n_majority * strategy - n) for c, n in target.items() if c != majority}
        if any(n <= 0 for n in wanted.values()):
            raise ValueError(
                f"{OWNER}: sampling_strategy={strategy} asks for fewer minority rows than "
                "there are; increase the ratio."
            )
    return dict(sorted(wanted.items()))


def _from_dict(strategy, target):
    """Rows to add per class for a dict of target counts, checked as imbalanced-learn does."""
    absent = set(strategy) - set(target)
    if absent:
        raise ValueError(f"{OWNER}: sampling_strategy names classes absent from y: {absent}.")
    for label, n in strategy.items():
        if n < target[label]:
            raise ValueError(
                f"{OWNER}: sampling_strategy asks for {n} samples of class {label!r}, which "
                f"has {target[label]}; an over-sampler only adds rows."
            )
    return {label: n - target[label] for label, n in strategy.items()}


def check_budget(counts, n_features, budget):
    """Refuse to gather the classes to over-sample when they exceed ``budget``
    bytes as float64 rows. ``counts`` maps each such class to its rows."""
    n_rows = sum(counts.values())
    needed = n_rows * n_features * 8
    if needed > budget:
        listed = ", ".join(f"{label!r}: {n:,}" for label, n in counts.items())
        raise ValueError(
            f"{OWNER} gathers the classes it over-samples on the client: {n_rows:,} rows "
            f"({listed}) x {n_features} features x 8 bytes = {needed:,} bytes "
            f"({needed / 2**30:.2f} GiB), more than memory_budget={budget:,} bytes. Raise "
            "memory_budget if the client has the memory, or over-sample fewer classes."
        )


def class_rank(stats, filter_rule, filter_neighbors, n_class):
    """How many of a candidate's nearest class rows the filter may look past
    other rows for: ``floor(sqrt(k0))`` (the paper's rule, ``k`` only
    shrinks), else the vote's quorum. Only other rows nearer than that class
    row can change an accepted candidate's verdict."""
    k0 = stats["n_neighbors"]
    quorum = vote_rule(filter_rule, filter_neighbors, k0, n_class)[1]
    return quorum or max(1, int(np.sqrt(k0)))


def radii(synthetic, groups, geometries, ranks):
    """(radius, nearest): each synthetic row's distance to its
    ``ranks[group]``-th nearest row of its class, and the gathered positions
    of those nearest class rows (-1 padded), from the engine's own index."""
    radius = np.empty(synthetic.shape[0])
    nearest = np.full((synthetic.shape[0], max(ranks.values(), default=1)), -1, dtype=np.int64)
    for code, rank in ranks.items():
        mine = np.flatnonzero(groups == code)
        if mine.size:
            geometry = geometries[code]
            sq_dist, position = geometry.index.knn(np.ascontiguousarray(synthetic[mine]), rank)
            radius[mine] = np.sqrt(sq_dist[:, -1])
            nearest[mine, :rank] = geometry.rows[position]
    return radius, nearest


def certified(synthetic, anchors, radius, g_rows, reach):
    """Which synthetic rows the context is proven to hold every row of the
    other classes within ``radius`` of.

    ``reach[i]`` is how far around gathered row ``i`` the context holds every
    such row; a row outside it is at least ``reach - |m - anchor|`` from
    ``m`` for every anchor (gathered positions, -1 padded: the walk's rows
    and the nearest class rows serve).
    """
    low, high = 1.0 - RADIUS_MARGIN, 1.0 + RADIUS_MARGIN
    proven = np.empty(synthetic.shape[0], dtype=bool)
    for start in range(0, synthetic.shape[0], CHUNK_ROWS):
        part = slice(start, start + CHUNK_ROWS)
        rows = np.maximum(anchors[part], 0)
        gap = np.linalg.norm(g_rows[rows] - synthetic[part, None, :], axis=2)
        bound = np.where(anchors[part] >= 0, reach[rows] * low - gap * high, -np.inf)
        proven[part] = bound.max(axis=1, initial=-np.inf) > radius[part] * high
    return proven


def grid_slack(dtypes, max_abs):
    """How far rounding a synthetic row to the output ``dtypes`` can move it:
    half a unit per integer column, half an ulp of the largest value per
    float32 or float16 column, and a hair for float64 arithmetic."""
    per_column = []
    for dtype in dtypes:
        dtype = np.dtype(getattr(dtype, "numpy_dtype", dtype))
        if dtype.kind in "biu":
            per_column.append(0.5)
        elif dtype.kind == "f" and dtype.itemsize < 8:
            per_column.append(max_abs * np.finfo(dtype).eps)
    return float(np.hypot.reduce(per_column, initial=0.0) + max_abs * 1e-12)


def walk_balls(geometries, n_gathered, slack):
    """Per gathered row, the radius around it that holds every candidate a
    walk from it can make: its ``k0``-th nearest class row's distance (a walk
    stays in the hull of the seed and its first ``k0`` neighbours) plus the
    output grid's ``slack``, widened by :data:`RADIUS_MARGIN`.

    Fetching every row of the other classes within it makes the run exact
    twice over: a rejected candidate that equals such a row is a duplicate,
    not a wrong-neighbours reject; and it lets :func:`certified` prove most
    accepted candidates without asking the partitions again.
    """
    ball = np.zeros(n_gathered)
    for geometry in geometries.values():
        ball[geometry.rows] = geometry.k_distances + slack
    return ball * (1.0 + RADIUS_MARGIN)
