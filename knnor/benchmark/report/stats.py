"""Ranks and the tests on them: Friedman with Iman-Davenport, Nemenyi, Holm.

The analysis follows Demšar (2006), "Statistical comparisons of classifiers over
multiple data sets", JMLR 7: samplers are ranked on each dataset, the Friedman
test (with the Iman-Davenport correction) asks whether they differ at all, and
the Nemenyi critical difference and Holm's step-down test against a control
sampler say which differences can be trusted. Tests are run per classifier with
datasets as blocks, because blocks must be independent.

Failure policy: a fold on which a sampler failed counts as score 0 for every
metric, ROC AUC included (0 is the worst value each metric can take; for AUC a
failure is thus treated as worse than chance), when averaging the sampler's
folds on a dataset. A failing sampler therefore keeps its place in every
ranking and pays for the failure in rank instead of being dropped.
"""

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

FAILED_SCORE = 0.0
ALL_CLASSIFIERS = "all classifiers"
BLOCK = ["classifier", "dataset"]
"""Index of a rank block: tests need independent blocks, so each classifier has its own."""


def dataset_scores(results, metric, failed_score=FAILED_SCORE):
    """Score of each sampler on each dataset and classifier, the values that are ranked.

    The score is the mean of the metric over all of the sampler's folds, a
    failed fold counting as ``failed_score`` (default 0). See the module docstring for
    the full failure policy.

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy benchmark results.
    metric : str
        Metric column, higher is better.
    failed_score : float, default=FAILED_SCORE
        Value of a failed fold, and of a sampler absent from a block. The
        regression report passes ``-inf``: one failed fold ranks the sampler
        last on that dataset, as an error metric has no worst finite value.

    Returns
    -------
    pandas.DataFrame
        One row per (classifier, dataset) block, one column per sampler.
    """
    failed = results["status"].ne("ok")
    frame = results[[*BLOCK, "sampler"]].assign(value=results[metric].mask(failed, failed_score))
    scores = frame.groupby([*BLOCK, "sampler"], sort=True)["value"].mean().unstack("sampler")
    defined = (
        (~failed & results[metric].notna())
        .groupby([results["classifier"], results["dataset"]])
        .any()
    )
    return scores[defined.reindex(scores.index)].fillna(failed_score)


def rank_blocks(scores):
    """Rank samplers within each block: 1 is the best score, ties share the average rank.

    Parameters
    ----------
    scores : pandas.DataFrame
        Blocks as rows, samplers as columns, higher is better.

    Returns
    -------
    pandas.DataFrame
        Ranks with the same shape and labels as ``scores``.
    """
    return scores.rank(axis=1, ascending=False, method="average")


def average_rank_table(ranks):
    """Average block ranks per classifier, plus over every dataset and classifier block.

    Separate from :func:`average_ranks` so that the report ranks each metric once.
    """
    table = ranks.groupby(level="classifier").mean().T
    table[ALL_CLASSIFIERS] = ranks.mean()
    table.columns.name = None
    return table.sort_values(ALL_CLASSIFIERS, kind="stable")


def average_ranks(results, metric):
    """Average rank of each sampler per classifier, over datasets.

    Within each dataset (and classifier), samplers are ranked by their
    :func:`dataset_scores` (failed folds count as 0), higher being better and
    ties getting average ranks; ranks are then averaged over datasets. The
    ``"all classifiers"`` column averages over every dataset and classifier
    block; it is descriptive only, as blocks sharing a dataset are not
    independent.

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy benchmark results.
    metric : str
        Metric column, higher is better.

    Returns
    -------
    pandas.DataFrame
        Samplers as rows (best overall first), classifiers and
        ``"all classifiers"`` as columns.
    """
    return average_rank_table(rank_blocks(dataset_scores(results, metric)))


class FriedmanResult(NamedTuple):
    """Friedman test of a datasets x samplers score matrix."""

    statistic: float
    pvalue: float
    iman_davenport: float
    iman_davenport_pvalue: float
    n_datasets: int
    n_samplers: int


def friedman_test(score_matrix):
    """Friedman test that all samplers perform alike, with the Iman-Davenport F.

    Each row (dataset) is ranked separately; tied scores get average ranks and
    the chi-square statistic is corrected for ties as in
    :func:`scipy.stats.friedmanchisquare`. Iman and Davenport's F is less
    conservative than the chi-square and is the one Demšar (2006) recommends
    for the decision.

    Parameters
    ----------
    score_matrix : array-like of shape (n_datasets, n_samplers)
        Scores, at least two datasets and two samplers.

    Returns
    -------
    FriedmanResult
        Chi-square statistic and p-value (k - 1 degrees of freedom),
        Iman-Davenport F and p-value (k - 1 and (k - 1)(N - 1) degrees of
        freedom). When every dataset ties all samplers the statistics are 0
        and the p-values 1; when all datasets rank the samplers identically
        F is infinite and its p-value 0.
    """
    scores = np.asarray(score_matrix, dtype=float)
    n, k = scores.shape
    if n < 2 or k < 2:
        raise ValueError(f"need at least 2 datasets and 2 samplers, got {n} x {k}")
    ranks = stats.rankdata(-scores, axis=1)
    ties = sum(
        float(np.sum(counts**3 - counts))
        for counts in (np.unique(row, return_counts=True)[1] for row in ranks)
    )
    correction = 1.0 - ties / (n * k * (k**2 - 1))
    if correction <= 0:
        return FriedmanResult(0.0, 1.0, 0.0, 1.0, n, k)
    rank_sums = ranks.sum(axis=0)
    chi2 = (12.0 / (n * k * (k + 1)) * np.sum(rank_sums**2) - 3.0 * n * (k + 1)) / correction
    denominator = n * (k - 1) - chi2
    if denominator <= 0:
        f_stat, f_p = math.inf, 0.0
    else:
        f_stat = (n - 1) * chi2 / denominator
        f_p = float(stats.f.sf(f_stat, k - 1, (k - 1) * (n - 1)))
    return FriedmanResult(float(chi2), float(stats.chi2.sf(chi2, k - 1)), f_stat, f_p, n, k)


def nemenyi_cd(n_samplers, n_datasets, alpha=0.05):
    """Nemenyi critical difference between average ranks.

    Two samplers whose average ranks over ``n_datasets`` differ by at least
    the critical difference perform significantly differently at level
    ``alpha``. ``q_alpha`` is the studentized range quantile with infinite
    degrees of freedom divided by sqrt(2), as in Demšar (2006), Table 5.

    Parameters
    ----------
    n_samplers : int
        Number of samplers compared, k.
    n_datasets : int
        Number of datasets (blocks), N.
    alpha : float, default=0.05
        Significance level.

    Returns
    -------
    float
        ``q_alpha * sqrt(k (k + 1) / (6 N))``.

    Examples
    --------
    >>> round(nemenyi_cd(5, 30), 3)
    1.114
    """
    k = n_samplers
    q_alpha = stats.studentized_range.ppf(1 - alpha, k, np.inf) / math.sqrt(2)
    return float(q_alpha * math.sqrt(k * (k + 1) / (6.0 * n_datasets)))


def nemenyi_groups(sorted_ranks, cd):
    """Maximal runs of samplers whose average ranks differ by less than ``cd``.

    These are the groups a critical-difference diagram joins with a bar: no
    pair inside a group is significantly different.

    Parameters
    ----------
    sorted_ranks : sequence of float
        Average ranks in increasing order.
    cd : float
        Critical difference.

    Returns
    -------
    list of tuple of int
        ``(first, last)`` positions of each group of two or more samplers.
    """
    groups = []
    for first, low in enumerate(sorted_ranks):
        last = first
        while last + 1 < len(sorted_ranks) and sorted_ranks[last + 1] - low < cd:
            last += 1
        if last > first and (not groups or last > groups[-1][1]):
            groups.append((first, last))
    return groups


def holm_adjust(pvalues):
    """Holm step-down adjusted p-values, in the order given.

    Rejecting every hypothesis whose adjusted p-value is at most alpha is
    Holm's procedure: compare the i-th smallest p with alpha / (m - i + 1)
    and stop at the first that is not rejected.

    Parameters
    ----------
    pvalues : array-like of shape (m,)
        Unadjusted p-values.

    Returns
    -------
    numpy.ndarray of shape (m,)
        ``max over j <= i of min(1, (m - j + 1) p_(j))`` for the i-th smallest.
    """
    p = np.asarray(pvalues, dtype=float)
    m = p.size
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    return adjusted


def holm_vs_control(ranks, control, n_datasets, alpha=0.05):
    """Compare every sampler with a control by average rank, with Holm's correction.

    Uses ``z = (R_i - R_control) / sqrt(k (k + 1) / (6 N))`` and a two-sided
    normal p-value (Demšar 2006, Section 3.2.2); a positive z means the
    sampler ranks worse than the control.

    Parameters
    ----------
    ranks : pandas.Series
        Average rank per sampler, the control included.
    control : str
        Name of the control sampler.
    n_datasets : int
        Number of datasets the ranks average over, N.
    alpha : float, default=0.05
        Family-wise significance level.

    Returns
    -------
    pandas.DataFrame
        Indexed by the other samplers, smallest p first: rank, z, pvalue,
        pvalue_holm and reject.
    """
    ranks = pd.Series(ranks, dtype=float)
    if control not in ranks.index:
        raise ValueError(f"control sampler {control!r} not among {list(ranks.index)}")
    k = len(ranks)
    others = ranks.drop(control)
    z = (others - ranks[control]) / math.sqrt(k * (k + 1) / (6.0 * n_datasets))
    pvalues = 2.0 * stats.norm.sf(np.abs(z.to_numpy()))
    adjusted = holm_adjust(pvalues)
    table = pd.DataFrame(
        {
            "rank": others,
            "z": z,
            "pvalue": pvalues,
            "pvalue_holm": adjusted,
            "reject": adjusted <= alpha,
        }
    )
    table.index.name = "sampler"
    return table.sort_values("pvalue", kind="stable")


class ClassifierTests(NamedTuple):
    """Friedman, Nemenyi and Holm results of one classifier for one metric."""

    classifier: str
    friedman: FriedmanResult
    cd: float
    mean_ranks: pd.Series
    holm: pd.DataFrame
    rejects: bool


def classifier_tests(scores, ranks, control, alpha):
    """Run the tests per classifier, with datasets as blocks.

    Returns the tests and, for each classifier with fewer than two datasets or
    samplers, a ``(classifier, n_datasets, n_samplers)`` tuple, as it cannot be tested.
    """
    tests, skipped = [], []
    for classifier, block in ranks.groupby(level="classifier"):
        n, k = block.shape
        if n < 2 or k < 2:
            skipped.append((classifier, n, k))
            continue
        friedman = friedman_test(scores.loc[classifier])
        mean_ranks = block.mean().sort_values(kind="stable")
        tests.append(
            ClassifierTests(
                classifier,
                friedman,
                nemenyi_cd(k, n, alpha),
                mean_ranks,
                holm_vs_control(mean_ranks, control, n, alpha),
                bool(friedman.iman_davenport_pvalue <= alpha),
            )
        )
    return tests, skipped
