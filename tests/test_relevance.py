"""Tests of knnor._relevance: box-plot control points, phi, bumps.

Expected values are worked out by hand in the comments, from R's
``fivenum``/``boxplot.stats`` definitions and the cubic Hermite formulas.
"""

import pickle

import numpy as np
import pytest
from scipy.interpolate import PchipInterpolator

from knnor._relevance import (
    Bump,
    RelevanceFunction,
    _fivenum,
    box_plot_control_points,
    find_bumps,
    relevance_function,
)

# ---------------------------------------------------------------- fivenum / box plot


def test_fivenum_even_n():
    # n = 10: n4 = floor(13/2)/2 = 3, d = (1, 3, 5.5, 8, 10)
    # -> (x1, x3, (x5 + x6)/2, x8, x10) = (1, 3, 5.5, 8, 40)
    y = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 40], dtype=float)
    np.testing.assert_array_equal(_fivenum(np.sort(y)), [1, 3, 5.5, 8, 40])


def test_fivenum_odd_n_and_half_positions():
    # n = 7: n4 = floor(10/2)/2 = 2.5, d = (1, 2.5, 4, 5.5, 7)
    # -> (1, (2+3)/2, 4, (5+6)/2, 100)
    y = np.array([100, 6, 5, 4, 3, 2, 1], dtype=float)
    np.testing.assert_array_equal(_fivenum(np.sort(y)), [1, 2.5, 4, 5.5, 100])


def test_fivenum_single_value():
    np.testing.assert_array_equal(_fivenum(np.array([3.0])), [3, 3, 3, 3, 3])


def test_high_tail():
    # fivenum = (1, 3, 5.5, 8, 40); iqr = 8 - 3 = 5; fences 3 - 7.5 = -4.5 and 8 + 7.5 = 15.5
    # -> 40 is the only outlier; adjL = 1 (= min, nothing below), adjH = 9.
    y = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 40], dtype=float)
    cp = box_plot_control_points(y)
    assert cp.dtype == np.float64
    np.testing.assert_array_equal(cp, [[5.5, 0, 0], [9, 1, 0]])


def test_low_tail():
    # sorted (-30, 1, ..., 9): fivenum = (-30, 2, 4.5, 7, 9); iqr = 5;
    # fences 2 - 7.5 = -5.5 and 7 + 7.5 = 14.5 -> outlier -30; adjL = 1; nothing above adjH = 9.
    y = np.array([5, 1, 9, -30, 2, 8, 3, 7, 4, 6], dtype=float)
    np.testing.assert_array_equal(box_plot_control_points(y), [[1, 1, 0], [4.5, 0, 0]])


def test_both_tails():
    # sorted (-50, 1, ..., 9, 60), n = 11: n4 = floor(7)/2 = 3.5, d = (1, 3.5, 6, 8.5, 11)
    # fivenum = (-50, (2+3)/2, 5, (7+8)/2, 60) = (-50, 2.5, 5, 7.5, 60); iqr = 5;
    # fences -5 and 15 -> outliers -50, 60; adjL = 1, adjH = 9.
    y = np.array([-50, 1, 2, 3, 4, 5, 6, 7, 8, 9, 60], dtype=float)
    np.testing.assert_array_equal(box_plot_control_points(y), [[1, 1, 0], [5, 0, 0], [9, 1, 0]])


def test_ties():
    # sorted (1,1,1,2,2,2,3,3,3,50,50), n = 11, d = (1, 3.5, 6, 8.5, 11):
    # fivenum = (1, (1+2)/2, 2, (3+3)/2, 50) = (1, 1.5, 2, 3, 50); iqr = 1.5;
    # fences -0.75 and 5.25 -> outliers 50, 50; adjH = 3.
    y = np.array([3, 1, 50, 2, 3, 1, 2, 50, 3, 2, 1], dtype=float)
    np.testing.assert_array_equal(box_plot_control_points(y), [[2, 0, 0], [3, 1, 0]])


def test_hinges_are_fivenum_not_numpy_quantiles():
    # n = 6: n4 = floor(4.5)/2 = 2, d = (1, 2, 3.5, 5, 6): hinges x2 = 2 and x5 = 5,
    # iqr = 3, upper fence 5 + 4.5 = 9.5 -> 9.2 is NOT an outlier: no extremes.
    # (numpy's default quantiles 2.25 / 4.75 would give fence 8.5 and flag 9.2.)
    y = np.array([1, 2, 3, 4, 5, 9.2])
    q1, q3 = np.quantile(y, [0.25, 0.75])
    assert 9.2 > q3 + 1.5 * (q3 - q1)  # the case really discriminates
    np.testing.assert_array_equal(box_plot_control_points(y), [[3.5, 0, 0]])


def test_coef_changes_whiskers_and_zero_coef_means_no_outliers():
    y = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 40], dtype=float)
    # coef = 7: upper fence 8 + 35 = 43 -> no outlier.
    np.testing.assert_array_equal(box_plot_control_points(y, coef=7), [[5.5, 0, 0]])
    # R: coef == 0 -> do.out = FALSE, no outliers.
    np.testing.assert_array_equal(box_plot_control_points(y, coef=0), [[5.5, 0, 0]])


def test_constant_target_has_no_extremes():
    np.testing.assert_array_equal(box_plot_control_points(np.full(5, 2.0)), [[2, 0, 0]])


def test_degenerate_whisker_at_median_raises():
    # sorted (0, 5, 5, 5, 5, 5, 9): fivenum = (0, 5, 5, 5, 9), iqr 0 -> 0 and 9 are
    # outliers but adjL = adjH = median = 5.
    with pytest.raises(ValueError, match="control points"):
        box_plot_control_points([0, 5, 5, 5, 5, 5, 9])


@pytest.mark.parametrize(
    ("y", "coef"),
    [([], 1.5), ([[1.0, 2.0]], 1.5), ([1.0, np.nan], 1.5), ([1.0, 2.0], -1.0)],
)
def test_box_plot_bad_input(y, coef):
    with pytest.raises(ValueError):
        box_plot_control_points(y, coef=coef)


# ---------------------------------------------------------------- phi


def test_smoothstep_values_between_control_points():
    # (a, 1) -> (b, 0): phi = 1 - 3t^2 + 2t^3, t = (y - a)/(b - a)
    # t = 0.25: 1 - 0.1875 + 0.03125 = 0.84375; t = 0.5: 0.5; t = 0.75: 0.15625
    # (b, 0) -> (c, 1): phi = 3t^2 - 2t^3: t = 0.25 -> 0.15625
    phi = relevance_function([[10, 1, 0], [20, 0, 0], [40, 1, 0]])
    values = phi(np.array([12.5, 15.0, 17.5, 25.0, 30.0]))
    np.testing.assert_allclose(values, [0.84375, 0.5, 0.15625, 0.15625, 0.5], atol=1e-14)


def test_phi_at_and_beyond_control_points():
    phi = relevance_function([[10, 1, 0], [20, 0, 0], [40, 1, 0]])
    np.testing.assert_allclose(phi([10, 20, 40]), [1, 0, 1], atol=1e-14)
    # constant beyond the ends: the nearest end value
    np.testing.assert_allclose(phi([-1e9, 9.999, 40.001, 1e12]), [1, 1, 1, 1], atol=1e-12)


def test_two_point_box_plot_relevance_and_order_independence():
    # high tail only: (5.5, 0), (9, 1); t = 0.5 at 7.25 -> 0.5; below the median phi = 0
    cp = box_plot_control_points([1, 2, 3, 4, 5, 6, 7, 8, 9, 40])
    phi = relevance_function(cp)
    np.testing.assert_allclose(phi([1.0, 5.5, 7.25, 9.0, 40.0]), [0, 0, 0.5, 1, 1], atol=1e-14)
    shuffled = relevance_function(cp[::-1])
    np.testing.assert_array_equal(shuffled.control_points, phi.control_points)


def test_phi_output_type_shape_and_range():
    # non-zero user slopes overshoot [0, 1]: the result is clipped
    # with slopes -5 at both ends: phi(0.2) = -5 h10 + h01 - 5 h11
    # = -5(0.128) + 0.104 - 5(-0.032) = -0.376 before clipping
    phi = relevance_function([[0, 0, -5], [1, 1, -5]])
    grid = np.linspace(-1, 2, 303).reshape(3, 101)
    out = phi(grid)
    assert out.dtype == np.float64 and out.shape == (3, 101)
    assert out.min() == 0 and out.max() == 1
    assert phi(0.2) == 0
    assert phi(0.5).shape == ()


def test_phi_is_picklable():
    phi = relevance_function([[0, 1, 0], [1, 0, 0]])
    clone = pickle.loads(pickle.dumps(phi))
    np.testing.assert_array_equal(clone([0.25, 0.5]), phi([0.25, 0.5]))
    assert isinstance(clone, RelevanceFunction)


def test_two_column_is_scipy_pchip_and_monotone():
    cp = np.array([[0, 0.0], [2, 0.1], [3, 0.9], [7, 1.0], [9, 0.2]])
    phi = relevance_function(cp[[3, 0, 4, 1, 2]])  # order of rows does not matter
    ref = PchipInterpolator(cp[:, 0], cp[:, 1])
    grid = np.linspace(0, 9, 901)
    np.testing.assert_allclose(phi(grid), ref(grid), rtol=0, atol=1e-14)
    # monotone on each segment: non-decreasing up to 7, non-increasing after
    up, down = phi(grid[grid <= 7]), phi(grid[grid >= 7])
    assert np.all(np.diff(up) >= -1e-15) and np.all(np.diff(down) <= 1e-15)
    # constant beyond the ends
    np.testing.assert_allclose(phi([-5, 100]), [0.0, 0.2], atol=1e-14)
    # the stored slopes are PCHIP's: zero at the interior maximum (7, 1.0)
    np.testing.assert_allclose(phi.control_points[:, 2], ref.derivative()(cp[:, 0]))
    assert phi.control_points[3, 2] == 0


@pytest.mark.parametrize(
    "bad",
    [
        [[0, 1, 0]],  # one row
        [[0, 1, 0], [0, 0, 0]],  # duplicate y
        [[0, 1], [1, 0], [1, 0.5]],  # duplicate y, 2 columns
        [[0, 1.5], [1, 0]],  # phi > 1
        [[0, -0.1], [1, 0]],  # phi < 0
        [[0, np.nan], [1, 0]],  # NaN
        [[0, 1], [np.inf, 0]],  # inf
        [[0, 1, 0, 0], [1, 0, 0, 0]],  # 4 columns
        [0, 1, 2],  # 1-D
        [[0, "a"], [1, 0]],  # not numeric
    ],
)
def test_bad_control_points_raise(bad):
    with pytest.raises(ValueError, match="relevance"):
        relevance_function(bad)


def test_duplicate_y_message_says_how_to_fix():
    with pytest.raises(ValueError, match=r"distinct.*Fix"):
        relevance_function([[0, 1, 0], [0, 0, 0]])


# ---------------------------------------------------------------- bumps


def test_bumps_low_tail_middle_high_tail():
    # both tails: control points (1, 1), (5, 0), (9, 1) from test_both_tails
    y = np.array([60, 5, -50, 1, 3, 9, 4, 7, 2, 8, 6])
    phi = relevance_function(box_plot_control_points(y))
    bump_of_row, bumps = find_bumps(y, phi(y), threshold=0.8)
    # phi(1) = phi(9) = 1, phi(2) = 1 - 3(0.25)^2 + 2(0.25)^3 = 0.84375 >= 0.8,
    # phi(3) = phi(7) = 0.5 < 0.8, phi(8) = 0.84375 -> rare {-50, 1, 2}, {8, 9, 60}
    assert bumps == [
        Bump(True, 3, -50.0, 2.0),
        Bump(False, 5, 3.0, 7.0),
        Bump(True, 3, 8.0, 60.0),
    ]
    assert bump_of_row.dtype == np.int64
    np.testing.assert_array_equal(bump_of_row, [2, 1, 0, 0, 1, 2, 1, 1, 0, 2, 1])


def test_bumps_ties_at_boundary_stay_together():
    # ties data: phi = 0 for y <= 2, phi(3) = 1 (adjH); all three 3s are rare with the 50s
    y = np.array([3, 1, 50, 2, 3, 1, 2, 50, 3, 2, 1], dtype=float)
    phi = relevance_function(box_plot_control_points(y))
    bump_of_row, bumps = find_bumps(y, phi(y), threshold=0.5)
    assert bumps == [Bump(False, 6, 1.0, 2.0), Bump(True, 5, 3.0, 50.0)]
    np.testing.assert_array_equal(bump_of_row, np.where(y >= 3, 1, 0))


def test_two_separated_rare_high_bumps_with_user_control_points():
    # phi: 0 at 0, 1 at 10, 0 at 20, 1 at 30 (zero slopes): rare around 10 and from ~30 up
    phi = relevance_function([[0, 0, 0], [10, 1, 0], [20, 0, 0], [30, 1, 0]])
    y = np.array([0, 2, 9, 10, 11, 15, 20, 25, 29, 30, 35])
    # phi(9) = phi(11) = 3(0.9)^2 - 2(0.9)^3 = 0.972, phi(2) = 3(0.2)^2-2(0.2)^3 = 0.104,
    # phi(29) = 0.972, phi(25) = 0.5, phi(15) = 0.5
    bump_of_row, bumps = find_bumps(y, phi(y), threshold=0.9)
    assert bumps == [
        Bump(False, 2, 0.0, 2.0),
        Bump(True, 3, 9.0, 11.0),
        Bump(False, 3, 15.0, 25.0),
        Bump(True, 3, 29.0, 35.0),
    ]
    np.testing.assert_array_equal(bump_of_row, [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])


def test_bumps_threshold_is_inclusive_and_all_one_bump():
    y = np.array([1.0, 2.0, 3.0])
    _, bumps = find_bumps(y, np.array([0.8, 0.8, 0.8]), 0.8)
    assert bumps == [Bump(True, 3, 1.0, 3.0)]
    _, bumps = find_bumps(y, np.array([0.1, 0.2, 0.3]), 0.8)
    assert bumps == [Bump(False, 3, 1.0, 3.0)]


def test_bumps_empty():
    bump_of_row, bumps = find_bumps([], [], 0.5)
    assert bump_of_row.shape == (0,) and bump_of_row.dtype == np.int64 and bumps == []


@pytest.mark.parametrize(
    ("y", "phi_values", "threshold"),
    [
        ([1, 2], [0.1], 0.5),  # lengths differ
        ([1, np.nan], [0.1, 0.2], 0.5),  # NaN
        ([1, 2], [0.1, 0.2], 1.5),  # threshold out of range
        ([1, 1], [0.1, 0.9], 0.5),  # equal y on both sides of the threshold
    ],
)
def test_bumps_bad_input(y, phi_values, threshold):
    with pytest.raises(ValueError):
        find_bumps(y, phi_values, threshold)
