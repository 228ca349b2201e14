"""The tests on ranks behind the benchmark report: Friedman, Iman-Davenport, Nemenyi, Holm.

Where possible the expected values are the ones published in the worked example
of Demšar (2006), "Statistical comparisons of classifiers over multiple data
sets", JMLR 7, Section 3.2.2 and Table 6, not a retyping of the implementation.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from knnor.benchmark.report import (
    friedman_test,
    holm_adjust,
    holm_vs_control,
    nemenyi_cd,
    nemenyi_groups,
    rank_blocks,
)

# ---------------------------------------------------------------------------
# Demšar (2006), Table 6: AUC of C4.5 and of C4.5 with m and/or cf tuned

DEMSAR_CLASSIFIERS = ["C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf"]
DEMSAR_AUC = pd.DataFrame(
    {
        "adult (sample)": [0.763, 0.768, 0.771, 0.798],
        "breast cancer": [0.599, 0.591, 0.590, 0.569],
        "breast cancer wisconsin": [0.954, 0.971, 0.968, 0.967],
        "cmc": [0.628, 0.661, 0.654, 0.657],
        "ionosphere": [0.882, 0.888, 0.886, 0.898],
        "iris": [0.936, 0.931, 0.916, 0.931],
        "liver disorders": [0.661, 0.668, 0.609, 0.685],
        "lung cancer": [0.583, 0.583, 0.563, 0.625],
        "lymphography": [0.775, 0.838, 0.866, 0.875],
        "mushroom": [1.000, 1.000, 1.000, 1.000],
        "primary tumor": [0.940, 0.962, 0.965, 0.962],
        "rheum": [0.619, 0.666, 0.614, 0.669],
        # Printed 0.975 and 0.975 but ranked 2 and 3: the unrounded AUCs differ.
        "voting": [0.972, 0.981, 0.9751, 0.975],
        "wine": [0.957, 0.978, 0.946, 0.970],
    },
    index=DEMSAR_CLASSIFIERS,
).T
# The ranks printed in parentheses in Table 6, and their averages.
DEMSAR_RANKS = [
    [4, 3, 2, 1],
    [1, 2, 3, 4],
    [4, 1, 2, 3],
    [4, 1, 3, 2],
    [4, 2, 3, 1],
    [1, 2.5, 4, 2.5],
    [3, 2, 4, 1],
    [2.5, 2.5, 4, 1],
    [4, 3, 2, 1],
    [2.5, 2.5, 2.5, 2.5],
    [4, 2.5, 1, 2.5],
    [3, 2, 4, 1],
    [4, 1, 2, 3],
    [3, 1, 4, 2],
]
DEMSAR_AVERAGE_RANKS = pd.Series([3.143, 2.000, 2.893, 1.964], index=DEMSAR_CLASSIFIERS)


# ---------------------------------------------------------------------------
# Friedman and Iman-Davenport


def test_friedman_demsar_2006_worked_example():
    ranks = rank_blocks(DEMSAR_AUC)
    np.testing.assert_array_equal(ranks, DEMSAR_RANKS)
    average = ranks.mean().to_numpy()
    assert average.round(3).tolist() == DEMSAR_AVERAGE_RANKS.tolist()

    # chi2_F and Iman and Davenport's F_F (the two-way ANOVA F of the ranks)
    # both weigh the spread of the average ranks around (k + 1) / 2 against the
    # spread of all ranks. The paper takes the latter as if nothing tied,
    # N k (k^2 - 1) / 12, and prints chi2_F = 9.28, F_F = 3.69:
    n, k = ranks.shape
    between = n * np.sum((average - (k + 1) / 2) ** 2)
    untied = n * k * (k**2 - 1) / 12
    assert round(n * (k - 1) * between / untied, 2) == 9.28
    assert round((n - 1) * between / (untied - between), 2) == 3.69

    # But Table 6 ties (a pair on iris, lung cancer and primary tumor, all four
    # on mushroom), which shrinks the spread by sum(t^3 - t) / 12; friedman_test
    # uses the actual spread, as R's friedman.test and scipy do (10.228 here).
    total = np.sum((ranks.to_numpy() - (k + 1) / 2) ** 2)
    assert total == untied - (3 * (2**3 - 2) + (4**3 - 4)) / 12
    result = friedman_test(DEMSAR_AUC)
    assert round(result.statistic, 3) == 10.228
    assert result.statistic == pytest.approx(n * (k - 1) * between / total)
    assert result.pvalue == pytest.approx(stats.chi2.sf(result.statistic, k - 1))
    assert result.iman_davenport == pytest.approx((n - 1) * between / (total - between))
    # "F_F is distributed according to the F distribution with 3 and 39 degrees
    # of freedom. The critical value of F(3, 39) for alpha = 0.05 is 2.85."
    assert result.iman_davenport_pvalue == pytest.approx(stats.f.sf(result.iman_davenport, 3, 39))
    assert round(stats.f.isf(0.05, 3, 39), 2) == 2.85
    assert result.iman_davenport > 2.85
    assert (result.n_datasets, result.n_samplers) == (14, 4)


@pytest.mark.parametrize("decimals", [None, 1], ids=["no ties", "ties"])
def test_friedman_chi2_matches_scipy(decimals):
    scores = np.random.default_rng(0).uniform(size=(12, 5))
    scores[:, 0] += 0.3  # a real difference, so the p-values are not trivial
    if decimals is not None:
        scores = scores.round(decimals)
    result = friedman_test(scores)
    expected = stats.friedmanchisquare(*scores.T)
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.pvalue == pytest.approx(expected.pvalue)


def test_friedman_degenerate_matrices():
    assert friedman_test(np.ones((4, 3)))[:4] == (0.0, 1.0, 0.0, 1.0)
    same_order = friedman_test(np.tile([0.9, 0.5, 0.1], (4, 1)))
    assert same_order.statistic == pytest.approx(4 * 2)  # N (k - 1), complete agreement
    assert same_order.iman_davenport == math.inf
    assert same_order.iman_davenport_pvalue == 0.0
    with pytest.raises(ValueError, match="at least 2"):
        friedman_test(np.ones((1, 3)))


# ---------------------------------------------------------------------------
# Nemenyi


def test_nemenyi_demsar_2006_worked_example():
    # "The critical value (Table 5(a)) is 2.569 and the corresponding CD is 1.25";
    # "At p=0.10, CD is 2.291 sqrt(4 5 / (6 14)) = 1.12."
    cd_05, cd_10 = nemenyi_cd(4, 14), nemenyi_cd(4, 14, 0.10)
    assert round(cd_05, 2) == 1.25
    assert round(cd_10, 2) == 1.12
    ordered = DEMSAR_AVERAGE_RANKS.sort_values()  # C4.5+m+cf, C4.5+m, C4.5+cf, C4.5
    # At 0.05 even the best and the worst are closer than the CD: one group.
    assert nemenyi_groups(ordered.to_numpy(), cd_05) == [(0, 3)]
    # At 0.10 C4.5 is worse than C4.5+m and C4.5+m+cf, and C4.5+cf is in both groups.
    assert nemenyi_groups(ordered.to_numpy(), cd_10) == [(0, 2), (2, 3)]


def test_nemenyi_cd_demsar_table_5():
    # Demšar (2006), Table 5a: q_0.05 = 2.728 for k = 5.
    assert nemenyi_cd(5, 30, 0.05) == pytest.approx(2.728 * math.sqrt(5 * 6 / (6 * 30)), abs=1e-3)


@pytest.mark.parametrize(
    "k, q_alpha",
    # Demšar (2006), Table 5a (alpha = 0.05).
    [(2, 1.960), (3, 2.343), (4, 2.569), (6, 2.850), (10, 3.164)],
)
def test_nemenyi_q_alpha_table(k, q_alpha):
    n = 14
    assert nemenyi_cd(k, n) / math.sqrt(k * (k + 1) / (6 * n)) == pytest.approx(q_alpha, abs=1e-3)


def test_nemenyi_q_alpha_at_ten_percent():
    # Demšar (2006), Table 5b: q_0.10 = 2.291 for k = 4.
    assert nemenyi_cd(4, 6, 0.10) / math.sqrt(4 * 5 / 36) == pytest.approx(2.291, abs=1e-3)


def test_nemenyi_groups_are_maximal_runs():
    assert nemenyi_groups([1.0, 1.5, 2.8, 3.0], 1.0) == [(0, 1), (2, 3)]
    # (2, 3) lies inside (1, 3) and is not repeated.
    assert nemenyi_groups([1.0, 1.5, 2.2, 2.7], 1.3) == [(0, 2), (1, 3)]
    assert nemenyi_groups([1.0, 2.0, 3.0], 0.5) == []


def test_nemenyi_groups_split_at_a_difference_of_exactly_cd():
    # Demšar (2006): two classifiers differ significantly "if the corresponding
    # average ranks differ by at least the critical difference", so a group,
    # which joins samplers that cannot be told apart, stops short of a gap of
    # exactly CD. Every value is a binary fraction: the gaps are exactly 0.75.
    ranks, cd = [1.0, 1.75, 2.25, 2.5], 0.75
    assert ranks[1] - ranks[0] == cd
    assert ranks[3] - ranks[1] == cd
    assert nemenyi_groups(ranks, cd) == [(1, 2), (2, 3)]


# ---------------------------------------------------------------------------
# Holm


def test_holm_adjust_hand_example():
    # Sorted: 0.005 * 4 = 0.02; 0.01 * 3 = 0.03; 0.03 * 2 = 0.06; max(0.04 * 1, 0.06) = 0.06.
    adjusted = holm_adjust([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(adjusted, [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(holm_adjust([0.5, 0.9]), [1.0, 1.0])


def test_holm_vs_control_demsar_2006_worked_example():
    # Control C4.5; SE = sqrt(4 5 / (6 14)) = 0.488. The paper's table:
    #   C4.5+m+cf  z = (3.143 - 1.964) / 0.488 = 2.416  p = 0.016  alpha / 3 = 0.017
    #   C4.5+m     z = (3.143 - 2.000) / 0.488 = 2.342  p = 0.019  alpha / 2 = 0.025
    #   C4.5+cf    z = (3.143 - 2.893) / 0.488 = 0.512  p = 0.607  alpha / 1 = 0.050
    # "The Holm procedure rejects the first and then the second hypothesis ...
    # The third hypothesis cannot be rejected."
    table = holm_vs_control(DEMSAR_AVERAGE_RANKS, "C4.5", n_datasets=14)
    assert list(table.index) == ["C4.5+m+cf", "C4.5+m", "C4.5+cf"]
    assert (-table["z"]).round(3).tolist() == [2.416, 2.342, 0.512]  # here z < 0: better
    assert table["pvalue"].round(3).tolist()[:2] == [0.016, 0.019]
    # The paper prints 0.607, a little below 2 (1 - Phi(0.512)) = 0.609.
    assert table["pvalue"].iloc[2] == pytest.approx(0.607, abs=2e-3)
    assert table["reject"].tolist() == [True, True, False]
    # By hand: 3 * 0.01568 = 0.0470; 2 * 0.01916 = 0.0383 is raised to 0.0470 by
    # the step-down order; 1 * 0.6084 stays.
    assert table["pvalue_holm"].round(4).tolist() == [0.0470, 0.0470, 0.6084]


def test_holm_vs_control_hand_example():
    # k = 3, N = 6: standard error sqrt(3 * 4 / 36); z = 1 / se and 2 / se.
    ranks = pd.Series({"B": 3.0, "KNNOR": 1.0, "A": 2.0})
    table = holm_vs_control(ranks, "KNNOR", n_datasets=6, alpha=0.05)
    se = math.sqrt(3 * 4 / (6 * 6))
    p_a, p_b = 2 * stats.norm.sf(1 / se), 2 * stats.norm.sf(2 / se)  # 0.0833, 0.00053
    assert list(table.index) == ["B", "A"]
    np.testing.assert_allclose(table["z"], [2 / se, 1 / se])
    np.testing.assert_allclose(table["pvalue"], [p_b, p_a])
    np.testing.assert_allclose(table["pvalue_holm"], [2 * p_b, p_a])
    assert table["reject"].tolist() == [True, False]
    with pytest.raises(ValueError, match="control"):
        holm_vs_control(ranks, "SMOTE", 6)
