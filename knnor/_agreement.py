"""How often ``filter_search="graph"`` disagrees with the exact filter.

Both filters judge the *same* candidates: walks from seeds drawn uniformly
from the group, with steps drawn as the engine draws them at relaxation
level 0. (A run of each filter would not do: their different verdicts change
the relaxation and so every later candidate.) Used by the benchmarks; not
part of the public API.
"""

from dataclasses import dataclass

import numpy as np

from knnor._engine import GroupGeometry, thread_limits
from knnor._kernels.blas import blas_verdicts, power_of_two_scale
from knnor._kernels.filter import RELIABLE
from knnor._kernels.judge import (
    BLAS,
    TREE,
    VOTE,
    certificate_verdicts,
    graph_verdicts,
    tree_verdicts,
    vote_verdicts,
    walk_batch,
)
from knnor._kernels.neighbours import tree_stack
from knnor._neighbourhood import filter_path, filter_sides


@dataclass
class Agreement:
    """Counts over ``n_candidates`` candidates: accepted by both filters,
    rejected by both, accepted by the graph filter only (false accepts) and
    rejected by it only (false rejects)."""

    n_candidates: int
    both_accept: int
    both_reject: int
    false_accepts: int
    false_rejects: int

    @property
    def agreement(self):
        """Share of candidates with the same verdict (accept or reject)."""
        return (self.both_accept + self.both_reject) / max(1, self.n_candidates)


def _exact_verdicts(sides, path, candidates, seeds, k, n_check, order, verdicts):
    class_side, other_side, blas_sides, rule = sides
    stack_size = max(
        tree_stack(class_side.tree)[0].shape[0], tree_stack(other_side.tree)[0].shape[0]
    )
    if path == TREE:
        tree_verdicts(
            class_side, other_side, candidates, seeds, k, n_check, order, stack_size, verdicts
        )
    elif path == BLAS:
        certificate_verdicts(
            class_side, other_side, candidates, seeds, k, n_check, order, verdicts
        )
        blas_verdicts(
            candidates,
            seeds,
            class_side.neighbours,
            k,
            n_check,
            verdicts,
            blas_sides[0],
            class_side.rows,
            blas_sides[1],
            other_side.rows,
        )
    elif path == VOTE:
        vote_verdicts(
            class_side.tree,
            class_side.rows,
            other_side.tree,
            other_side.rows,
            candidates,
            rule,
            order,
            stack_size,
            verdicts,
        )


def filter_agreement(
    data,
    groups,
    group,
    n_candidates,
    *,
    n_neighbors=3,
    max_dist_point=0.5,
    filter_rule="unanimous",
    filter_neighbors="auto",
    seed=0,
    n_jobs=None,
):
    """:class:`Agreement` of the graph and exact filters on ``n_candidates``
    candidates of ``group`` (float64 ``data``, int64 ``groups``)."""
    rng = np.random.default_rng(seed)
    with thread_limits(n_jobs):
        geometry = GroupGeometry.of(data, groups, group, n_neighbors, power_of_two_scale(data))
        k = geometry.k0
        seeds = rng.integers(0, geometry.rows.shape[0], n_candidates).astype(np.int64)
        alphas = rng.uniform(0.0, float(max_dist_point), n_candidates)
        order = np.argsort(seeds, kind="stable")
        candidates = np.empty((n_candidates, data.shape[1]))
        walk_batch(
            geometry.data,
            geometry.neighbours,
            np.empty(0, dtype=np.int8),
            np.empty(0),
            seeds,
            alphas,
            k,
            order,
            candidates,
            np.empty((n_candidates, k + 1)),
            np.empty(0),
        )
        verdicts = {}
        for search in ("exact", "graph"):
            sides = filter_sides(
                data,
                groups,
                geometry.rows,
                geometry.data,
                geometry.index,
                geometry.neighbours,
                geometry.k_distances,
                True,
                filter_rule,
                filter_neighbors,
                k,
                search,
            )
            rule = sides[3]
            n_check = max(1, int(np.sqrt(k)))
            n_votes, quorum = (rule.n_votes, rule.quorum) if rule.n_votes else (n_check, n_check)
            verdicts[search] = np.empty(n_candidates, dtype=np.int64)
            if search == "graph":
                graph_verdicts(
                    sides[0],
                    sides[1],
                    candidates,
                    seeds,
                    k,
                    n_votes,
                    quorum,
                    order,
                    verdicts[search],
                )
            else:
                path = filter_path(True, rule, geometry.index)
                _exact_verdicts(
                    sides, path, candidates, seeds, k, n_check, order, verdicts[search]
                )
    exact, graph = verdicts["exact"] == RELIABLE, verdicts["graph"] == RELIABLE
    return Agreement(
        n_candidates,
        int((exact & graph).sum()),
        int((~exact & ~graph).sum()),
        int((graph & ~exact).sum()),
        int((exact & ~graph).sum()),
    )
