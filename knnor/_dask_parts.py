"""What :mod:`knnor.dask` asks of each partition, and how the answers merge.

Every function here takes one partition (a numpy block or a pandas object)
and small shared arrays, and returns numpy arrays: the map side of the
map-reduce passes. Rows are named by their global index (the partition's
offset plus the row's position in it) so that merged answers, and the
engine's tie-breaks, do not depend on the partitioning. Nothing here imports
dask: these functions run on the workers.
"""

import numpy as np

from knnor._engine import nonzero_gap, power_of_two_scale
from knnor._neighbourhood import NeighbourIndex

#: Relative slack on radii measured here: numpy's distances and the
#: engine's round differently, far below this.
RADIUS_MARGIN = 1e-9
#: Rows asked per query at first; a query whose every slot fills asks 4x more.
FIRST_COUNT = 16


def as_rows(X_part):
    """A partition of ``X`` as a C-contiguous float64 matrix (what the engine reads)."""
    values = X_part.to_numpy() if hasattr(X_part, "to_numpy") else X_part
    return np.ascontiguousarray(values, dtype=np.float64)


def as_labels(y_part):
    """A partition of ``y`` as a 1-D numpy array."""
    return np.asarray(y_part.to_numpy() if hasattr(y_part, "to_numpy") else y_part).ravel()


def as_codes(y_part, classes):
    """A partition of ``y`` as positions in ``classes`` (every label, sorted)."""
    return np.searchsorted(classes, as_labels(y_part)).astype(np.int64)


def summary(X_part, y_part, index):
    """Pass 1: the partition's length, class counts, largest absolute value
    and number of missing or infinite values."""
    rows, labels = as_rows(X_part), as_labels(y_part)
    if rows.shape[0] != labels.shape[0]:
        raise ValueError(
            f"DaskKNNOR: partition {index} of X has {rows.shape[0]} rows but y's has "
            f"{labels.shape[0]}; give X and y the same partitions."
        )
    finite = np.isfinite(rows)
    classes, counts = np.unique(labels, return_counts=True)
    return {
        "n_rows": rows.shape[0],
        "classes": classes,
        "counts": counts,
        "max_abs": float(np.abs(rows[finite]).max()) if finite.any() else 0.0,
        "n_not_finite": int(rows.size - finite.sum()),
    }


def _select(X_part, y_part, offset, classes, gathered_codes, gathered):
    """(global index, row, class code) of the partition's rows of the classes
    to over-sample (``gathered``) or of the others."""
    codes = as_codes(y_part, classes)
    keep = np.flatnonzero(np.isin(codes, gathered_codes) == gathered)
    return offset + keep, as_rows(X_part)[keep], codes[keep]


def class_rows(X_part, y_part, offset, classes, gathered_codes):
    """Pass 2: (global index, row, class code) of the rows of the classes to over-sample."""
    return _select(X_part, y_part, offset, classes, gathered_codes, True)


def gaps(X_part, y_part, classes, gathered, gap_codes):
    """Each class of ``gap_codes``' smallest non-zero distance to the
    partition's rows of other classes ("auto" ``max_dist_point``, measured as
    the engine measures it: the smallest over partitions is the gap)."""
    _, g_rows, g_codes = gathered
    rows, codes = as_rows(X_part), as_codes(y_part, classes)
    return {code: nonzero_gap(g_rows[g_codes == code], rows[codes != code]) for code in gap_codes}


def rows_within(X_part, y_part, offset, classes, gathered_codes, queries, radii, known):
    """The context and verification passes: the partition's rows of the
    classes not over-sampled within ``radii`` (widened by
    :data:`RADIUS_MARGIN`) of a query, leaving out the global indices in
    ``known`` (sorted).

    Returns their (global index, row, class code).
    """
    indices, rows, codes = _select(X_part, y_part, offset, classes, gathered_codes, False)
    new = ~np.isin(indices, known, assume_unique=True)
    indices, rows, codes = indices[new], rows[new], codes[new]
    if not indices.size or not queries.shape[0]:
        return indices[:0], rows[:0], codes[:0]
    largest = max(np.abs(rows).max(), np.abs(queries).max())
    index = NeighbourIndex(rows, power_of_two_scale(np.array([largest])))
    radius_sq = (radii * (1.0 + RADIUS_MARGIN)) ** 2
    hits, asked, k = [], np.arange(queries.shape[0]), FIRST_COUNT
    while asked.size:  # the engine's exact search, k rows at a time
        k = min(k, rows.shape[0])
        batch = np.ascontiguousarray(queries[asked])
        _, found = index.knn_within(batch, k, radius_sq[asked], np.argsort(batch[:, 0]))
        listed = (found >= 0) & (found < rows.shape[0])  # empty slots hold NO_ROW
        hits.append(found[listed])
        asked = asked[listed[:, -1]] if k < rows.shape[0] else asked[:0]
        k *= 4
    hit = np.unique(np.concatenate(hits))
    return indices[hit], rows[hit], codes[hit]


def concatenate(*answers):
    """Reduce of :func:`class_rows` and :func:`rows_within`: the answers one after the other."""
    return tuple(np.concatenate([answer[field] for answer in answers]) for field in range(3))
