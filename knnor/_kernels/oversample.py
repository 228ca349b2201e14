"""The KNNOR generation loop for one class: seeds, walk, filter, relaxation.

Candidates are produced in batches: a batch is drawn sequentially (seed
cursor, one uniform number per attempt), walked and filtered in parallel, then
scanned in attempt order. The scan applies acceptance and adaptive relaxation
exactly as a one-candidate-at-a-time loop would; as soon as the relaxation
state changes, the rest of the batch is dropped and regenerated with the new
state, reusing the same uniform numbers. The output is therefore independent
of the batch size and of the number of threads.
"""

import numpy as np
from numba import njit

from knnor._kernels.blas import blas_verdicts
from knnor._kernels.filter import (
    DUPLICATE,
    RELIABLE,
    WRONG_NEIGHBOURS,
    WRONG_TARGET,
    empty_row_table,
    equals_a_row,
    register_if_new,
)
from knnor._kernels.judge import (
    BLAS,
    GRAPH,
    TREE,
    UNFILTERED,
    VOTE,
    certificate_verdicts,
    graph_verdicts,
    target_verdicts,
    tree_verdicts,
    vote_verdicts,
    walk_batch,
)
from knnor._kernels.layout import Batch
from knnor._kernels.neighbours import tree_stack

PATIENCE = 10  # consecutive rejections before one relaxation step
FIRST_BATCH = 4096  # level-0 batch cap after a state change; doubles per whole batch used
STEP = 0.01  # relaxation step of max_dist_point and proportion_minority
K_FLOOR = 2
MAX_DIST_FLOOR = 0.01
PROPORTION_CEILING = 0.9

# Layout of the int64 statistics vector returned by ``oversample_class``.
STAT_ATTEMPTS = 0
STAT_ACCEPTED = 1
STAT_REJECTED_NEIGHBOURS = 2
STAT_REJECTED_DUPLICATES = 3
STAT_FINAL_LEVEL = 4
STAT_MAX_LEVEL = 5
STAT_REJECTED_TARGET = 6
N_STATS = 7


@njit(cache=True)
def relaxed_params(level, k0, max_dist0, proportion0):
    """(n_neighbors, max_dist_point, proportion_minority) at relaxation ``level``.

    Level 0 is the user's setting; each level lowers k by 1 (down to 2),
    max_dist_point by 0.01 (down to 0.01) and raises proportion_minority by
    0.01 (up to 0.9). A bound never moves a parameter past the user's value.
    """
    k = max(k0 - level, min(K_FLOOR, k0))
    max_dist = max(max_dist0 - STEP * level, min(MAX_DIST_FLOOR, max_dist0))
    proportion = min(proportion0 + STEP * level, max(PROPORTION_CEILING, proportion0))
    return k, max_dist, proportion


@njit(cache=True)
def max_relaxation_level(k0, max_dist0, proportion0):
    """First level at which every parameter has reached its bound."""
    level = 0
    while True:
        k, max_dist, proportion = relaxed_params(level, k0, max_dist0, proportion0)
        at_bounds = (
            k == min(K_FLOOR, k0)
            and max_dist == min(MAX_DIST_FLOOR, max_dist0)
            and proportion == max(PROPORTION_CEILING, proportion0)
        )
        if at_bounds:
            return level
        level += 1


@njit(cache=True)
def n_seeds_for(proportion, n_class):
    """Number of seeds: ``round(proportion * n_class)``, at least 1."""
    return max(1, min(n_class, int(proportion * n_class + 0.5)))


@njit(cache=True)
def visit_order(tree_position, seeds):
    """The batch's candidates in class-tree order of their seeds."""
    return np.argsort(tree_position[seeds])


def oversampler(path, check_targets):
    """:func:`oversample_class` for one filter ``path`` (a
    :mod:`knnor._kernels.judge` code) and ``check_targets`` (whether carried
    values are checked).

    Both are constants of the compiled function, so numba prunes the other
    paths' branches and compiles, and caches, only this path's kernels (the
    values a function closes over are part of its cache key).
    """

    @njit(cache=True)
    def oversample_class(
        class_side,
        other_side,
        blas_sides,
        seeding,
        vote_rule,
        grid,
        earlier,
        targets,
        budget,
    ):
        """Generate up to ``budget.n_wanted`` synthetic rows for one group.

        ``class_side``/``other_side`` (:class:`knnor._kernels.layout.ClassSide`,
        :class:`~knnor._kernels.layout.OtherSide`) are the group and every other
        row, as the walk and the filter see them; ``blas_sides`` both sides'
        :class:`~knnor._kernels.layout.BlasRows` for the BLAS filter, or two of
        no rows for the tree filter; ``seeding`` the seeds' ranks and order;
        ``vote_rule`` a :class:`~knnor._kernels.layout.VoteRule`; ``grid`` the
        output grid codes (:mod:`knnor._kernels.grid`) candidates are rounded to
        before they are judged; ``targets`` a
        :class:`~knnor._kernels.layout.Targets`; ``earlier`` the rows generated
        for the groups before this one, which a candidate must not equal
        either; ``budget`` the loop's settings (:class:`~knnor._kernels.layout.Budget`).

        Returns (synthetic rows, provenance, walk weights, carried values,
        stats): provenance row ``i`` holds the seed's row number then the rows
        walked through, padded with -1; weights row ``i`` the weight of each of
        those rows in the synthetic row (0 for padding); carried values are
        empty without ``targets``; the stats vector follows the ``STAT_*`` layout.
        """
        np.random.seed(budget.rng_seed)  # noqa: NPY002 (numba's own MT19937, seeded per call)
        n_wanted, k0, max_dist0, proportion0 = (
            budget.n_wanted,
            budget.k0,
            budget.max_dist0,
            budget.proportion0,
        )
        reliability_filter, max_attempts, max_batch = (
            budget.reliability_filter,
            budget.max_attempts,
            budget.max_batch,
        )
        class_data, class_rows, neighbours = (
            class_side.data,
            class_side.rows,
            class_side.neighbours,
        )
        seed_rank, seed_order = seeding
        n_class, n_features = class_data.shape
        carry = targets.values.shape[0] > 0
        synthetic = np.empty((n_wanted, n_features))
        provenance = np.full((n_wanted, k0 + 1), -1, dtype=np.int64)
        synthetic_weights = np.zeros((n_wanted, k0 + 1))
        synthetic_values = np.empty(n_wanted if carry else 0)
        stats = np.zeros(N_STATS, dtype=np.int64)
        registry = empty_row_table(n_wanted)
        has_earlier = earlier.rows.shape[0] > 0  # binary data: nothing to look up

        level_cap = max_relaxation_level(k0, max_dist0, proportion0)
        level = 0
        consecutive_rejections = 0
        cursor = 0
        accepted = 0
        attempts = 0

        level0_cap = FIRST_BATCH
        uniforms = np.empty(max_batch)  # drawn but not yet consumed, in order
        n_uniforms = 0
        seeds = np.empty(max_batch, dtype=np.int64)
        cursor_after = np.empty(max_batch, dtype=np.int64)
        alphas = np.empty(max_batch)
        batch = Batch(
            np.empty((max_batch, n_features)),
            np.empty((max_batch, k0 + 1)),
            np.empty(max_batch),
            np.empty(max_batch, dtype=np.int64),
        )
        tree_position = np.empty(n_class, dtype=np.int64)
        tree_position[class_side.tree.order] = np.arange(n_class)
        stack_size = max(
            tree_stack(class_side.tree)[0].shape[0], tree_stack(other_side.tree)[0].shape[0]
        )

        while accepted < n_wanted and attempts < max_attempts:
            k, max_dist, proportion = relaxed_params(level, k0, max_dist0, proportion0)
            n_seeds = n_seeds_for(proportion, n_class)
            n_check = max(1, int(np.sqrt(k)))
            if level > 0:
                n_batch = PATIENCE  # any acceptance changes the state again
            else:
                n_batch = min(max(32, (n_wanted - accepted) * 5 // 4), level0_cap)
            n_batch = min(n_batch, max_batch, max_attempts - attempts)

            # Sequential draw: seeds by round-robin, one uniform per attempt.
            position = cursor
            for b in range(n_batch):
                while seed_rank[seed_order[position]] >= n_seeds:
                    position = (position + 1) % n_class
                seeds[b] = seed_order[position]
                position = (position + 1) % n_class
                cursor_after[b] = position
                if b >= n_uniforms:
                    uniforms[b] = np.random.random()  # noqa: NPY002
                alphas[b] = uniforms[b] * max_dist
            n_uniforms = max(n_uniforms, n_batch)

            seeds_b, alphas_b = seeds[:n_batch], alphas[:n_batch]
            order = visit_order(tree_position, seeds_b)
            walk_batch(
                class_data,
                neighbours,
                grid,
                targets.values,
                seeds_b,
                alphas_b,
                k,
                order,
                batch.candidates,
                batch.weights,
                batch.values,
            )
            verdicts = batch.verdicts[:n_batch]
            if path == UNFILTERED:
                verdicts[:] = RELIABLE
            elif path == TREE:
                tree_verdicts(
                    class_side,
                    other_side,
                    batch.candidates,
                    seeds_b,
                    k,
                    n_check,
                    order,
                    stack_size,
                    verdicts,
                )
            elif path == GRAPH:
                graph_verdicts(
                    class_side,
                    other_side,
                    batch.candidates,
                    seeds_b,
                    k,
                    vote_rule.n_votes if vote_rule.n_votes > 0 else n_check,
                    vote_rule.quorum if vote_rule.n_votes > 0 else n_check,
                    order,
                    verdicts,
                )
            elif path == BLAS:
                certificate_verdicts(
                    class_side, other_side, batch.candidates, seeds_b, k, n_check, order, verdicts
                )
                blas_verdicts(
                    batch.candidates,
                    seeds_b,
                    neighbours,
                    k,
                    n_check,
                    verdicts,
                    blas_sides[0],
                    class_rows,
                    blas_sides[1],
                    other_side.rows,
                )
            else:
                vote_verdicts(
                    class_side.tree,
                    class_rows,
                    other_side.tree,
                    other_side.rows,
                    batch.candidates,
                    vote_rule,
                    order,
                    stack_size,
                    verdicts,
                )
            if check_targets:
                target_verdicts(
                    class_side.tree,
                    targets,
                    batch.candidates,
                    batch.values,
                    vote_rule.quorum if vote_rule.n_votes > 0 else n_check,
                    order,
                    stack_size,
                    verdicts,
                )

            # Sequential scan in attempt order.
            used = n_batch
            state_changed = False
            for b in range(n_batch):
                attempts += 1
                verdict = batch.verdicts[b]
                candidate = batch.candidates[b]
                if verdict == RELIABLE and reliability_filter:
                    seen_earlier = has_earlier and equals_a_row(
                        candidate, earlier.rows, earlier.hash_keys, earlier.hash_positions
                    )
                    if seen_earlier or not register_if_new(
                        registry, synthetic, accepted, candidate
                    ):
                        verdict = DUPLICATE
                elif verdict == RELIABLE:
                    synthetic[accepted] = candidate
                if verdict == RELIABLE:
                    provenance[accepted, 0] = class_rows[seeds[b]]
                    for step in range(k):
                        provenance[accepted, step + 1] = class_rows[neighbours[seeds[b], step]]
                    synthetic_weights[accepted] = batch.weights[b]
                    if carry:
                        synthetic_values[accepted] = batch.values[b]
                    accepted += 1
                    consecutive_rejections = 0
                    if level > 0:
                        level -= 1
                        state_changed = True
                else:
                    if verdict == WRONG_NEIGHBOURS:
                        stats[STAT_REJECTED_NEIGHBOURS] += 1
                    elif verdict == WRONG_TARGET:
                        stats[STAT_REJECTED_TARGET] += 1
                    else:
                        stats[STAT_REJECTED_DUPLICATES] += 1
                    consecutive_rejections += 1
                    if consecutive_rejections >= PATIENCE:
                        consecutive_rejections = 0
                        if level < level_cap:
                            level += 1
                            stats[STAT_MAX_LEVEL] = max(stats[STAT_MAX_LEVEL], level)
                            state_changed = True
                if state_changed or accepted == n_wanted or attempts == max_attempts:
                    used = b + 1
                    break
            cursor = cursor_after[used - 1]
            # Grow while batches bring no state change, which would waste the rest.
            level0_cap = FIRST_BATCH if state_changed else min(2 * level0_cap, max_batch)
            # Keep the uniforms of dropped candidates for the next batch.
            leftover = n_uniforms - used
            uniforms[:leftover] = uniforms[used:n_uniforms]
            n_uniforms = leftover

        stats[STAT_ATTEMPTS] = attempts
        stats[STAT_ACCEPTED] = accepted
        stats[STAT_FINAL_LEVEL] = level
        return (
            synthetic[:accepted],
            provenance[:accepted],
            synthetic_weights[:accepted],
            synthetic_values[: accepted if carry else 0],
            stats,
        )

    return oversample_class


OVERSAMPLERS = {
    key: oversampler(*key)
    for key in [
        (UNFILTERED, False),
        (TREE, False),
        (TREE, True),
        (BLAS, False),
        (BLAS, True),
        (VOTE, False),
        (VOTE, True),
        (GRAPH, False),
        (GRAPH, True),
    ]
}
"""The compiled :func:`oversampler` of each (path, check_targets)."""
