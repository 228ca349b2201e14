"""What :mod:`knnor.dask` asks of each partition, and how the answers merge.

Every function here takes one partition (a numpy block or a pandas object)
and small shared arrays, and returns numpy arrays: the map side of the
map-reduce passes. Rows are named by their global index (the partition's
offset plus the row's position in it) so that merged answers, and the
engine's tie-breaks, do not depend on the partitioning. Nothing here imports
dask: these functions run on the workers.
"""

import numpy as np
from sklearn.neighbors import KDTree

from knnor._engine import nonzero_gap

#: Relative slack on radii measured here: sklearn's distances and the
#: engine's round differently, far below this.
RADIUS_MARGIN = 1e-9


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


def nearest_context(X_part, y_part, offset, classes, gathered, size, gap_codes):
    """Pass 3, the first guess: for each gathered row its ``size`` nearest rows
    of the classes not over-sampled in this partition, and each class of
    ``gap_codes``' smallest non-zero distance to the partition's rows of other
    classes ("auto" ``max_dist_point``, as the engine measures it).
    ``gathered`` is :func:`class_rows`' answer for all partitions.

    Returns ``(distances, indices, rows, codes, gaps)``: the first four are
    per gathered row, padded with inf and -1 to ``size``.
    """
    _, g_rows, g_codes = gathered
    gathered_codes = np.unique(g_codes)
    indices, rows, codes = _select(X_part, y_part, offset, classes, gathered_codes, False)
    n_found = min(size, indices.shape[0])
    n_g, n_features = g_rows.shape
    distances = np.full((n_g, size), np.inf)
    found = np.full((n_g, size), -1, dtype=np.int64)
    if n_found and n_g:
        dist, position = KDTree(rows).query(g_rows, k=n_found)
        distances[:, :n_found], found[:, :n_found] = dist, indices[position]
    else:
        position = np.zeros((n_g, 0), dtype=np.int64)
    near_rows = np.zeros((n_g, size, n_features))
    near_rows[:, :n_found] = rows[position]
    near_codes = np.full((n_g, size), -1, dtype=np.int64)
    near_codes[:, :n_found] = codes[position]
    all_rows, all_codes = as_rows(X_part), as_codes(y_part, classes)
    gaps = {
        code: nonzero_gap(g_rows[g_codes == code], all_rows[all_codes != code])
        for code in gap_codes
    }
    return distances, found, near_rows, near_codes, gaps


def merge_nearest(*answers):
    """Reduce of :func:`nearest_context`: per gathered row the ``size`` nearest
    of all answers in (distance, global index) order; the smallest gaps."""
    size = answers[0][0].shape[1]
    distances, found, rows, codes = (
        np.concatenate([answer[field] for answer in answers], axis=1) for field in range(4)
    )
    unset = np.where(found < 0, np.iinfo(np.int64).max, found)
    order = np.lexsort((unset, distances), axis=-1)[:, :size]
    gaps = {code: min(answer[4][code] for answer in answers) for code in answers[0][4]}
    return (
        np.take_along_axis(distances, order, axis=1),
        np.take_along_axis(found, order, axis=1),
        np.take_along_axis(rows, order[:, :, None], axis=1),
        np.take_along_axis(codes, order, axis=1),
        gaps,
    )


def rows_within(X_part, y_part, offset, classes, gathered_codes, queries, radii, known):
    """Pass 4, the verification: the partition's rows of the classes not
    over-sampled within ``radii`` (widened by :data:`RADIUS_MARGIN`) of a
    query, leaving out the global indices in ``known`` (sorted).

    Returns their (global index, row, class code).
    """
    indices, rows, codes = _select(X_part, y_part, offset, classes, gathered_codes, False)
    new = ~np.isin(indices, known, assume_unique=True)
    indices, rows, codes = indices[new], rows[new], codes[new]
    if not indices.size or not queries.shape[0]:
        return indices[:0], rows[:0], codes[:0]
    hits = KDTree(rows).query_radius(queries, r=radii * (1.0 + RADIUS_MARGIN))
    hit = np.unique(np.concatenate(list(hits))).astype(np.int64)
    return indices[hit], rows[hit], codes[hit]


def concatenate(*answers):
    """Reduce of :func:`class_rows` and :func:`rows_within`: the answers one after the other."""
    return tuple(np.concatenate([answer[field] for answer in answers]) for field in range(3))
