"""One compiled entry to the generation loop per filter path.

:func:`knnor._kernels.oversample.oversample_class` takes its filter path and
whether carried values are checked as compile-time constants. Called from
Python with plain ints it would be retyped on every call to find them, so
each (path, check_targets) pair has its own entry here, which compiles and
caches only that pair's kernels on first use.
"""

from numba import njit

from knnor._kernels.judge import BLAS, TREE, UNFILTERED, VOTE
from knnor._kernels.oversample import oversample_class


def _entry(path, check_targets):
    """``oversample_class`` with ``path`` and ``check_targets`` fixed.

    numba caches each entry apart: the values it closes over are part of
    its cache key."""

    @njit(cache=True)
    def entry(class_side, other_side, blas_sides, seeding, vote_rule, grid, earlier, targets,
              budget):  # fmt: skip
        return oversample_class(
            path, check_targets, class_side, other_side, blas_sides, seeding, vote_rule, grid,
            earlier, targets, budget,
        )  # fmt: skip

    return entry


OVERSAMPLE_ENTRIES = {
    key: _entry(*key)
    for key in [
        (UNFILTERED, False),
        (TREE, False),
        (TREE, True),
        (BLAS, False),
        (BLAS, True),
        (VOTE, False),
        (VOTE, True),
    ]
}
"""``oversample_class`` for each (path, check_targets), with the same other arguments."""
