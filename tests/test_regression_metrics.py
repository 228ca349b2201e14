"""Tests of knnor.benchmark.regression_metrics on small hand-computed cases."""

import numpy as np
import pytest

from knnor._relevance import relevance_function
from knnor.benchmark.regression_metrics import (
    REGRESSION_METRICS,
    _bumps_info,
    mae,
    phi_weighted_rmse,
    rare_mae,
    rmse,
    sera,
    utility_f1,
    utility_values,
)


def step_phi(values):
    """A step relevance: 0 below 2, 0.5 on [2, 3), 1 from 3 on."""
    v = np.asarray(values, dtype=float)
    return np.select([v >= 3, v >= 2], [1.0, 0.5], 0.0)


# y_true (1, 2, 3, 4) -> phi (0, 0.5, 1, 1); errors (1, 2, 0, 3) -> squared (1, 4, 0, 9)
Y_TRUE = np.array([1.0, 2.0, 3.0, 4.0])
Y_PRED = np.array([2.0, 4.0, 3.0, 7.0])


# ---------------------------------------------------------------- SERA


def test_sera_coarse_step_by_hand():
    # SER_t: t = 0 -> all rows: 14; 0 < t <= 0.5 -> rows with phi >= t: 4 + 0 + 9 = 13;
    # t > 0.5 -> 9. On t = 0, .25, .5, .75, 1: SER = 14, 13, 13, 9, 9
    # (at t = 0.5 the row of phi 0.5 counts: >=). Trapezoids of width 0.25:
    # 0.25 * (13.5 + 13 + 11 + 9) = 11.625
    assert sera(Y_TRUE, Y_PRED, step_phi, step=0.25) == pytest.approx(11.625, abs=1e-12)


def test_sera_default_step_by_hand():
    # exact integral = sum phi_i e_i^2 = 0.5 * 4 + 9 = 11; the trapezoids add
    # 0.001 * (14 - 13) / 2 on [0, 0.001] and 0.001 * (13 - 9) / 2 on [0.5, 0.501].
    assert sera(Y_TRUE, Y_PRED, step_phi) == pytest.approx(11.0025, abs=1e-9)


def test_sera_step_not_dividing_one_stops_like_r_seq():
    # R: seq(0, 1, 0.3) = 0, .3, .6, .9 -> SER 14, 13, 9, 9
    # 0.3 * (13.5 + 11 + 9) = 10.05
    assert sera(Y_TRUE, Y_PRED, step_phi, step=0.3) == pytest.approx(10.05, abs=1e-12)


def test_sera_perfect_predictions_is_zero_and_bad_step():
    assert sera(Y_TRUE, Y_TRUE, step_phi) == 0.0
    with pytest.raises(ValueError):
        sera(Y_TRUE, Y_PRED, step_phi, step=0)


# ---------------------------------------------------------------- simple errors


def test_phi_weighted_rmse_by_hand():
    # sum phi e^2 = 0 * 1 + 0.5 * 4 + 1 * 0 + 1 * 9 = 11; sum phi = 2.5 -> sqrt(4.4)
    assert phi_weighted_rmse(Y_TRUE, Y_PRED, step_phi) == pytest.approx(np.sqrt(4.4))
    # no relevant row -> NaN
    assert np.isnan(phi_weighted_rmse([0.0, 1.0], [5.0, 5.0], step_phi))


def test_rmse_mae_by_hand():
    assert rmse(Y_TRUE, Y_PRED) == pytest.approx(np.sqrt(14 / 4))
    assert mae(Y_TRUE, Y_PRED, step_phi) == pytest.approx(6 / 4)


def test_rare_mae_by_hand():
    # rare (phi >= 0.8): y = 3, 4 with |e| = 0, 3 -> 1.5
    assert rare_mae(Y_TRUE, Y_PRED, step_phi) == pytest.approx(1.5)
    # threshold 0.5 is inclusive: y = 2, 3, 4 -> (2 + 0 + 3) / 3
    assert rare_mae(Y_TRUE, Y_PRED, step_phi, threshold=0.5) == pytest.approx(5 / 3)
    assert np.isnan(rare_mae([0.0, 1.0], [5.0, 5.0], step_phi))


@pytest.mark.parametrize(
    ("y_true", "y_pred"),
    [([1.0, 2.0], [1.0]), ([], []), ([1.0, np.nan], [1.0, 2.0]), ([[1.0]], [[1.0]])],
)
def test_bad_targets_raise(y_true, y_pred):
    with pytest.raises(ValueError):
        rmse(y_true, y_pred)


def test_bad_phi_output_raises():
    with pytest.raises(ValueError, match="phi"):
        rare_mae(Y_TRUE, Y_PRED, lambda v: np.full(v.shape, 2.0))


# ---------------------------------------------------------------- utility / F1

# both tails: phi = 1 at 0 and 10, 0 at 5 (zero slopes)
BOTH = relevance_function([[0, 1, 0], [5, 0, 0], [10, 1, 0]])


def test_bumps_both_tails():
    # bump 0: left min -inf, max 0, tolerance 2 * (5 - 0); bump 1: left min 5, max 10,
    # tolerance 2 * (10 - 5)
    bleft, bmax, bloss = _bumps_info(BOTH.control_points, tloss=0.0)
    np.testing.assert_array_equal(bleft, [-np.inf, 5])
    np.testing.assert_array_equal(bmax, [0, 10])
    np.testing.assert_array_equal(bloss, [10, 10])


def test_bumps_high_tail_only():
    # (5.5, 0), (9, 1): the first rise opens bump 1 at 5.5 with max 9, tolerance 2 * 3.5;
    # bump 0 has no maximum so it takes bump 1's tolerance
    cp = relevance_function([[5.5, 0, 0], [9, 1, 0]]).control_points
    bleft, bmax, bloss = _bumps_info(cp, tloss=0.0)
    np.testing.assert_array_equal(bleft, [-np.inf, 5.5])
    np.testing.assert_array_equal(bmax, [-np.inf, 9])
    np.testing.assert_array_equal(bloss, [7, 7])


def test_bumps_two_high_bumps_and_plateau():
    cp = relevance_function([[0, 0, 0], [10, 1, 0], [20, 0, 0], [30, 1, 0]]).control_points
    bleft, bmax, bloss = _bumps_info(cp, tloss=0.0)
    # bump 1: min 0, max 10; bump 2: min 20, max 30; tolerance of bump 1 is
    # 2 * min(10 - 0, 20 - 10) = 20, bump 2: 2 * (30 - 20) = 20, bump 0 copies bump 1
    np.testing.assert_array_equal(bleft, [-np.inf, 0, 20])
    np.testing.assert_array_equal(bmax, [-np.inf, 10, 30])
    np.testing.assert_array_equal(bloss, [20, 20, 20])
    # a plateau of equal relevance (2, 0), (4, 0) is merged into its mean 3
    cp = relevance_function([[0, 1, 0], [2, 0, 0], [4, 0, 0], [6, 1, 0]]).control_points
    bleft, bmax, bloss = _bumps_info(cp, tloss=0.0)
    np.testing.assert_array_equal(bleft, [-np.inf, 3])
    np.testing.assert_array_equal(bmax, [0, 6])
    np.testing.assert_array_equal(bloss, [6, 6])


def test_utility_values_by_hand():
    y_true = np.array([10, 10, 5, 0, 5.0])
    y_pred = np.array([10, 7.5, 10, 5, 5.0])
    # A (10 -> 10): L = 0, Gamma_B = Gamma_C = 0 -> u = phi(10) = 1
    # B (10 -> 7.5, below, bump 1): l_B = min(|10 - 5|, 10) = 5, Gamma_B = 0.5;
    #   l_C = min(|10 - bmax_0 = 0|, 10) = 10, Gamma_C = 0.25; phi(7.5) = 0.5,
    #   phi_p = 0.5 * 1 + 0.5 * 0.5 = 0.75 -> u = 1 * 0.5 - 0.75 * 0.25 = 0.3125
    # C (5 -> 10, above, bump 1 is the last): l_B = l_C = 10, Gamma_C = 0.5;
    #   phi(5) = 0 -> u = 0 - (0.5 * 0 + 0.5 * 1) * 0.5 = -0.25
    # D (0 -> 5, above, bump 0): l_B = min(|0 - 5|, 10) = 5, L = 5 -> Gamma_B = 1;
    #   l_C = min(|0 - 10|, 10) = 10, Gamma_C = 0.5 -> u = 0 - (0.5 + 0) * 0.5 = -0.25
    # E (5 -> 5): u = phi(5) = 0
    u = utility_values(y_true, y_pred, BOTH)
    np.testing.assert_allclose(u, [1, 0.3125, -0.25, -0.25, 0], atol=1e-12)


def test_utility_f1_by_hand():
    y_true = np.array([10, 10, 5, 0, 5.0])
    y_pred = np.array([10, 7.5, 10, 5, 5.0])
    # rare predictions (phi >= 0.8): A, C -> precision = (2 + 0.75) / (2 + 2) = 11/16
    # rare true values: A, B, D -> recall = (2 + 1.3125 + 0.75) / (2 + 2 + 2) = 65/96
    # F1 = 2 (11/16)(65/96) / (11/16 + 65/96) = 715/1048
    assert utility_f1(y_true, y_pred, BOTH) == pytest.approx(715 / 1048, abs=1e-12)


def test_utility_f1_perfect_is_one_and_conventions():
    y = np.array([0.0, 1.0, 5.0, 9.0, 10.0])
    assert utility_f1(y, y, BOTH) == pytest.approx(1.0)
    # no rare prediction and a rare true value: precision 0 -> F1 0.0 (not NaN)
    assert utility_f1(y, np.full(5, 5.0), BOTH) == 0.0
    # no rare true value -> NaN (documented)
    assert np.isnan(utility_f1([4.0, 5.0, 6.0], [0.0, 5.0, 10.0], BOTH))


def test_utility_low_tail_only_uses_noise_tolerance():
    low = relevance_function([[0, 1, 0], [5, 0, 0]])
    # no bump with a left minimum: l_B = l_C = tloss. y = 0 -> 0.5 with tloss = 2:
    # Gamma_B = Gamma_C = 0.25, phi(0.5) = 1 - 3(0.1)^2 + 2(0.1)^3 = 0.972,
    # u = 1 * 0.75 - (0.5 + 0.486) * 0.25 = 0.5035
    u = utility_values([0.0, 5.0], [0.5, 5.0], low, tloss=2.0)
    np.testing.assert_allclose(u, [0.5035, 0.0], atol=1e-12)
    # default tloss: 3 * sd(|mean(y) - y|) * sqrt(log(n) / n) on y_true (uba loss.control)
    y_true = np.array([0.0, 1.0, 2.0, 3.0])
    tloss = 3 * np.sqrt(1 / 3) * np.sqrt(np.log(4) / 4)
    np.testing.assert_allclose(
        utility_values(y_true, y_true + 0.3, low),
        utility_values(y_true, y_true + 0.3, low, tloss=tloss),
        atol=1e-12,
    )


def test_utility_needs_control_points():
    with pytest.raises(TypeError, match="control_points"):
        utility_f1(Y_TRUE, Y_PRED, step_phi)


# ---------------------------------------------------------------- registry


def test_registry_order_and_directions():
    assert list(REGRESSION_METRICS) == [
        "sera",
        "phi_rmse",
        "utility_f1",
        "rmse",
        "mae",
        "rare_mae",
    ]
    assert {k: v[1] for k, v in REGRESSION_METRICS.items()} == {
        "sera": False,
        "phi_rmse": False,
        "utility_f1": True,
        "rmse": False,
        "mae": False,
        "rare_mae": False,
    }
    y = np.array([0.0, 1.0, 5.0, 9.0, 10.0])
    for name, (func, _) in REGRESSION_METRICS.items():
        value = func(y, y, BOTH)
        assert value == (1.0 if name == "utility_f1" else 0.0), name
