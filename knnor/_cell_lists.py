"""Each group row's nearby rows of other groups, found approximately by probing cells.

What ``filter_search="graph"`` lists instead of the exact other-group lists of
:func:`knnor._neighbourhood.filter_sides`, which cost a search of every
other row for every group row. Here the group's rows place ``m`` cell
centres (a few Lloyd steps from evenly spaced group rows); every other row
falls in the cell of its nearest centre, and each group row looks for its
nearest other rows in the ``N_PROBE`` cells of its nearest centres only.
With ``m ~ sqrt(N_PROBE * n_group)`` centres, that is about
``n_other * m + N_PROBE * n_group * n_other / m`` distances instead of
``n_group * n_other``, all as matrix products in fixed blocks (one BLAS
thread, so the lists do not depend on ``n_jobs``).
"""

from typing import NamedTuple

import numpy as np

#: Cells each group row looks into.
N_PROBE = 3
#: Lloyd steps that move the cell centres toward the group's rows.
LLOYD_STEPS = 2
#: Rows per block of products against the centres.
BLOCK_ROWS = 8192
#: Entries in one block of group rows x other rows of a cell.
BLOCK_ENTRIES = 2**22


def _nearest_centres(rows, centres, n_nearest):
    """Indices of each row's ``n_nearest`` nearest centres (any order)."""
    centre_sq = np.einsum("ij,ij->i", centres, centres)
    nearest = np.empty((rows.shape[0], n_nearest), dtype=np.int64)
    for start in range(0, rows.shape[0], BLOCK_ROWS):
        # |row|^2 is the same for every centre: it cannot change the order.
        scores = centre_sq - 2.0 * (rows[start : start + BLOCK_ROWS] @ centres.T)
        if n_nearest == 1:
            nearest[start : start + BLOCK_ROWS, 0] = scores.argmin(axis=1)
        else:
            nearest[start : start + BLOCK_ROWS] = np.argpartition(scores, n_nearest - 1, axis=1)[
                :, :n_nearest
            ]
    return nearest


def cell_centres(group_data, n_cells):
    """``n_cells`` centres: evenly spaced group rows, moved by Lloyd steps."""
    picks = np.linspace(0, group_data.shape[0] - 1, n_cells).round().astype(np.int64)
    centres = group_data[picks].copy()
    for _ in range(LLOYD_STEPS):
        cell = _nearest_centres(group_data, centres, 1)[:, 0]
        order = np.argsort(cell, kind="stable")
        used, first = np.unique(cell[order], return_index=True)
        sums = np.add.reduceat(group_data[order], first, axis=0)
        centres[used] = sums / np.diff(np.append(first, cell.shape[0]))[:, None]
    return centres


def _groups_of(cells, n_cells):
    """(positions sorted by cell, where each cell's run starts): cell ``c``'s
    members are ``positions[starts[c]:starts[c + 1]]``."""
    positions = np.argsort(cells, kind="stable")
    return positions, np.searchsorted(cells[positions], np.arange(n_cells + 1))


class CellLists(NamedTuple):
    """What :func:`cell_lists` finds: ``lists[i]``, positions in the other
    rows (-1 padded) near group row ``i``; and both sides' rows in cell
    order, so that the filter reads rows of the same cells one after the
    other (rows near each other in space, near each other in memory)."""

    lists: np.ndarray
    other_order: np.ndarray
    group_order: np.ndarray


def cell_lists(group_data, other_data, n_listed, radius_sq):
    """Up to ``n_listed`` other rows near each group row, as :class:`CellLists`.

    ``lists`` is an int64 array ``(n_group, n_listed)`` of positions in
    ``other_data``, -1 padded: the nearest other rows found in the probed
    cells within ``sqrt(radius_sq[i])`` of group row ``i``, nearest first.
    Approximate: a nearer row in a cell not probed is missed.
    """
    n_group = group_data.shape[0]
    n_cells = int(np.clip(round(np.sqrt(N_PROBE * n_group)), 1, n_group))
    n_probe = min(N_PROBE, n_cells)
    centres = cell_centres(group_data, n_cells)
    members, member_starts = _groups_of(_nearest_centres(other_data, centres, 1)[:, 0], n_cells)
    probes, probe_starts = _groups_of(
        _nearest_centres(group_data, centres, n_probe).ravel(), n_cells
    )
    group_sq = np.einsum("ij,ij->i", group_data, group_data)
    other_sq = np.einsum("ij,ij->i", other_data, other_data)

    found = np.full((n_group * n_probe, n_listed), -1, dtype=np.int64)
    found_sq = np.full((n_group * n_probe, n_listed), np.inf)
    for cell in range(n_cells):
        rows = members[member_starts[cell] : member_starts[cell + 1]]
        probing = probes[probe_starts[cell] : probe_starts[cell + 1]]  # (group row, probe) slots
        if rows.shape[0] == 0 or probing.shape[0] == 0:
            continue
        n_kept = min(n_listed, rows.shape[0])
        cell_data = other_data[rows]
        step = max(1, BLOCK_ENTRIES // rows.shape[0])
        for start in range(0, probing.shape[0], step):
            slots = probing[start : start + step]
            queries = slots // n_probe
            block = other_sq[rows] - 2.0 * (group_data[queries] @ cell_data.T)
            block += group_sq[queries, None]
            nearest = np.argpartition(block, n_kept - 1, axis=1)[:, :n_kept]
            found[slots, :n_kept] = rows[nearest]
            found_sq[slots, :n_kept] = np.take_along_axis(block, nearest, axis=1)

    found = found.reshape(n_group, n_probe * n_listed)
    found_sq = found_sq.reshape(n_group, n_probe * n_listed)
    found_sq[found_sq > radius_sq[:, None]] = np.inf
    best = np.argsort(found_sq, axis=1, kind="stable")[:, :n_listed]
    lists = np.take_along_axis(found, best, axis=1)
    lists[np.isinf(np.take_along_axis(found_sq, best, axis=1))] = -1
    group_cells = _nearest_centres(group_data, centres, 1)[:, 0]
    return CellLists(lists, members, np.argsort(group_cells, kind="stable"))
