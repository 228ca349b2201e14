"""The named tuples the kernels take, so that no kernel reads a field by position.

numba compiles named tuples as typed records; they cannot enter a ``prange``
loop whole, so parallel kernels unpack the arrays they need before the loop.
"""

from typing import NamedTuple

import numpy as np


class KDTree(NamedTuple):
    """A balanced kd-tree: ``points[r]`` is row ``order[r]`` of the data;
    node ``i`` holds ``points[start[i]:end[i]]`` inside the box
    ``[lower[i], upper[i]]``; node ``i``'s children are ``2i+1`` and ``2i+2``."""

    points: np.ndarray
    order: np.ndarray
    start: np.ndarray
    end: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


class BlasRows(NamedTuple):
    """What the BLAS scan needs of its rows: the rows, a float32 copy of
    ``rows * scale``, the squared norms of ``rows * scale`` (float64, and
    rounded to float32 for the preselection test), and ``scale``."""

    rows: np.ndarray
    scaled32: np.ndarray
    scaled_sq_norms: np.ndarray
    scaled_sq_norms32: np.ndarray
    scale: float


class ClassSide(NamedTuple):
    """The group being over-sampled, as the walk and the filter see it.

    ``rows`` are the group's row numbers in the data (ascending; they break
    distance ties); ``neighbours`` each row's in-group neighbours, nearest
    first; ``reach`` how far each row's neighbour list is complete;
    ``hash_keys``/``hash_positions`` the sorted row hashes for duplicate checks.
    """

    data: np.ndarray
    tree: KDTree
    rows: np.ndarray
    neighbours: np.ndarray
    reach: np.ndarray
    hash_keys: np.ndarray
    hash_positions: np.ndarray


class OtherSide(NamedTuple):
    """Every row outside the group: its tree, original row numbers, each
    group row's list of nearby outside rows (tree positions, -1 padded) and
    how far that list is complete."""

    tree: KDTree
    rows: np.ndarray
    lists: np.ndarray
    reach: np.ndarray


class Seeding(NamedTuple):
    """Seeds: each group row's rank by k-distance (0 = densest) and the
    shuffled round-robin order they are taken in."""

    rank: np.ndarray
    order: np.ndarray


class VoteRule(NamedTuple):
    """A candidate needs ``quorum`` group rows among its ``n_votes`` nearest
    rows; ``(0, 0)`` is the paper's unanimous rule over ``floor(sqrt(k))``."""

    n_votes: int
    quorum: int


class Earlier(NamedTuple):
    """Rows generated for groups before this one, which no candidate may equal."""

    rows: np.ndarray
    hash_keys: np.ndarray
    hash_positions: np.ndarray


class Targets(NamedTuple):
    """A value carried along the walk (the regression target), one per group
    row, and how far a candidate's value may be from those of its nearest
    group rows. No values (``values.shape[0] == 0``): nothing to carry."""

    values: np.ndarray
    tolerance: float


class Budget(NamedTuple):
    """The generation loop's settings: points wanted, the parameters at
    relaxation level 0, the filter switch, the attempt budget, the RNG seed
    and the largest batch."""

    n_wanted: int
    k0: int
    max_dist0: float
    proportion0: float
    reliability_filter: bool
    max_attempts: int
    rng_seed: int
    max_batch: int


class Batch(NamedTuple):
    """Scratch for one batch of candidates: the rows, their walk weights
    (seed first), carried values and filter verdicts."""

    candidates: np.ndarray
    weights: np.ndarray
    values: np.ndarray
    verdicts: np.ndarray


class RowTable(NamedTuple):
    """A hash set of rows: ``positions[slot]`` is a row's position (-1: an
    empty slot) and ``keys[slot]`` its hash; the size is a power of two."""

    keys: np.ndarray
    positions: np.ndarray
