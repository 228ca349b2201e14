"""Relevance phi(y) of target values, for imbalanced regression.

Relevance maps each target value to [0, 1]; values whose relevance reaches a
threshold are the *rare* ones that SMOTER/SMOGN-style oversamplers generate
around. The definitions follow Ribeiro (2011, "Utility-based regression", PhD
thesis, University of Porto) as implemented in the R packages uba, UBL
(Branco, Ribeiro & Torgo) and IRon (Ribeiro & Moniz):

* :func:`box_plot_control_points` is ``phi.control(y, method="extremes",
  coef=coef)`` (the "extremes" relevance), whose control points come from R's
  ``boxplot.stats``;
* :func:`relevance_function` interpolates control points with piecewise cubic
  Hermite polynomials (``phi()`` in those packages);
* :func:`find_bumps` splits the training rows into consecutive runs of rare and
  common target values (the "bumps" SMOGN and SMOTER oversample one by one).

Only numpy and scipy are used.
"""

from typing import NamedTuple

import numpy as np
from scipy.interpolate import CubicHermiteSpline, PchipInterpolator

__all__ = [
    "Bump",
    "RelevanceFunction",
    "box_plot_control_points",
    "find_bumps",
    "relevance_function",
]

_FIX_HINT = (
    "Fix: pass `relevance` as an (m, 2) array of (y, phi) rows or an (m, 3) array of "
    "(y, phi, slope) rows, with m >= 2 distinct finite y values and phi in [0, 1]."
)


def _fivenum(y_sorted):
    """Tukey's five-number summary of a sorted, non-empty 1-D array.

    Exactly R's ``stats::fivenum``: with ``n4 = floor((n + 3) / 2) / 2`` and
    1-based positions ``d = (1, n4, (n + 1) / 2, n + 1 - n4, n)`` it returns
    ``0.5 * (x[floor(d)] + x[ceiling(d)])``: minimum, lower hinge, median,
    upper hinge, maximum. The hinges are *not* numpy's quantiles.
    """
    n = y_sorted.size
    n4 = np.floor((n + 3) / 2) / 2
    d = np.array([1.0, n4, (n + 1) / 2, n + 1 - n4, float(n)])
    lo = np.floor(d).astype(np.intp) - 1
    hi = np.ceil(d).astype(np.intp) - 1
    return 0.5 * (y_sorted[lo] + y_sorted[hi])


def box_plot_control_points(y, coef=1.5):
    """Control points of the box-plot ("extremes") relevance of a target.

    This is UBL/uba/IRon ``phi.control(y, method="extremes", coef=coef)`` for
    ``extr.type="both"`` with the standard (symmetric) box plot. The box plot
    is R's ``boxplot.stats(y, coef)``: ``stats = fivenum(y)`` (0-based; Tukey's hinges,
    not numpy quantiles), ``iqr = stats[3] - stats[1]``; values outside
    ``[stats[1] - coef * iqr, stats[3] + coef * iqr]`` are outliers, and the
    whisker ends ``adjL``/``adjH`` are the minimum/maximum of the other values.

    Parameters
    ----------
    y : array-like of shape (n,)
        Finite target values (n >= 1).
    coef : float, default=1.5
        Whisker length in IQRs; ``coef=0`` means no outliers (as in R), hence
        no extremes.

    Returns
    -------
    control_points : ndarray of shape (m, 3), float64
        Rows ``(y_value, phi, slope)`` sorted by ``y_value``:
        ``(adjL, 1, 0)`` only if some ``y < adjL``; ``(median, 0, 0)``
        always; ``(adjH, 1, 0)`` only if some ``y > adjH``. A single (median)
        row means "no extreme values": this function does not raise for it,
        the caller decides.

    Raises
    ------
    ValueError
        If ``y`` is empty, not 1-D or not finite, if ``coef`` is negative or
        not finite, or if a whisker end with outliers beyond it equals the
        median (zero spread on that side), so that its control point cannot
        be placed at a y distinct from the median's.

    Notes
    -----
    Matched against the R sources, read through the code index: ``phi.extremes``
    in IRon's ``R/phi.R`` (nunompmoniz/IRon, ``asym=FALSE`` branch) and in
    uba's ``R/phi.R`` (R. P. Ribeiro; UBL's ``phi.control`` is the same code,
    and UBL's ``src/phi.f90``, paobranco/UBL, evaluates it "adapted from uba")
    add ``c(extr$stats[1], 1, 0)`` when ``any(extr$out < extr$stats[1])``,
    ``c(extr$stats[3], 0, 0)``, and ``c(extr$stats[5], 1, 0)`` when
    ``any(extr$out > extr$stats[5])``, with ``extr <- boxplot.stats(y, coef =
    coef)``; R's ``grDevices::boxplot.stats`` and ``stats::fivenum`` are
    reproduced above. Where a side has no extremes those packages add
    ``(min(y), 0, 0)`` (or ``(max(y), 0, 0)``) instead; we add nothing, which
    gives the same phi everywhere because phi is held constant beyond the
    outermost control points. (It changes only uba's bump bookkeeping for
    utility-based metrics; see
    ``knnor.benchmark.regression_metrics.utility_f1``.) IRon's default
    ``asym=TRUE`` (adjusted box plot, robustbase) is not what UBL/SMOGN use
    and is not implemented.
    """
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(
            f"box_plot_control_points needs a non-empty 1-D target y, got shape {y.shape}."
        )
    if not np.all(np.isfinite(y)):
        raise ValueError("box_plot_control_points needs finite target values (no NaN or inf).")
    coef = float(coef)
    if not np.isfinite(coef) or coef < 0:
        raise ValueError(
            f"coef must be a finite number >= 0 (as in R's boxplot.stats), got {coef}."
        )

    ys = np.sort(y)
    stats = _fivenum(ys)
    median = stats[2]
    rows = []
    if coef > 0:  # R: coef == 0 -> do.out = FALSE, no outliers at all
        iqr = stats[3] - stats[1]
        out = (ys < stats[1] - coef * iqr) | (ys > stats[3] + coef * iqr)
        if np.any(out):
            inner = ys[~out]
            adj_low, adj_high = inner[0], inner[-1]
            if ys[0] < adj_low:
                rows.append((adj_low, 1.0, 0.0))
            rows.append((median, 0.0, 0.0))
            if ys[-1] > adj_high:
                rows.append((adj_high, 1.0, 0.0))
            if len({r[0] for r in rows}) != len(rows):
                raise ValueError(
                    "The box-plot relevance is degenerate for this target: a whisker end "
                    f"equals the median ({median!r}) although there are outliers beyond it "
                    "(zero spread between the hinge and the median), so phi cannot go from 0 "
                    "at the median to 1 at that whisker end. Give the relevance explicitly "
                    "as control points instead."
                )
            return np.array(rows, dtype=np.float64)
    return np.array([(median, 0.0, 0.0)], dtype=np.float64)


def _validate_control_points(control_points):
    try:
        cp = np.array(control_points, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"Invalid `relevance` control points: not a numeric array ({exc}). {_FIX_HINT}"
        ) from None
    if cp.ndim != 2 or cp.shape[1] not in (2, 3):
        raise ValueError(
            f"Invalid `relevance` control points: expected shape (m, 2) or (m, 3), "
            f"got {cp.shape}. {_FIX_HINT}"
        )
    if cp.shape[0] < 2:
        raise ValueError(
            f"Invalid `relevance` control points: need at least 2 rows, got {cp.shape[0]}. "
            f"{_FIX_HINT}"
        )
    if not np.all(np.isfinite(cp)):
        raise ValueError(
            f"Invalid `relevance` control points: all entries must be finite. {_FIX_HINT}"
        )
    cp = cp[np.argsort(cp[:, 0], kind="stable")]
    if np.any(np.diff(cp[:, 0]) <= 0):
        dup = cp[1:, 0][np.diff(cp[:, 0]) <= 0]
        raise ValueError(
            "Invalid `relevance` control points: y values must be distinct, got "
            f"duplicates {np.unique(dup).tolist()}. {_FIX_HINT}"
        )
    if np.any((cp[:, 1] < 0) | (cp[:, 1] > 1)):
        raise ValueError(
            f"Invalid `relevance` control points: phi values must lie in [0, 1], got "
            f"{cp[:, 1].tolist()}. {_FIX_HINT}"
        )
    return cp


class RelevanceFunction:
    """Relevance phi(y), a piecewise cubic Hermite interpolant of control points.

    Built by :func:`relevance_function`; calling it on an array of target
    values returns their relevance (float64, same shape, in [0, 1]). It is a
    plain picklable object (safe to send to worker processes).

    Attributes
    ----------
    control_points : ndarray of shape (m, 3)
        The sorted control points as rows ``(y, phi, slope)``. With 2-column
        input the slope column holds the Fritsch-Carlson (PCHIP) slopes scipy
        chose at the knots. Read-only.
    """

    def __init__(self, control_points):
        cp = _validate_control_points(control_points)
        x, phi = cp[:, 0], cp[:, 1]
        if cp.shape[1] == 3:
            self._spline = CubicHermiteSpline(x, phi, cp[:, 2], extrapolate=True)
            slopes = cp[:, 2]
        else:
            self._spline = PchipInterpolator(x, phi, extrapolate=True)
            slopes = self._spline.derivative()(x)
        full = np.column_stack([x, phi, slopes])
        full.setflags(write=False)
        self.control_points = full
        self._lo = float(x[0])
        self._hi = float(x[-1])

    def __call__(self, values):
        """Relevance of ``values`` (array-like of finite floats), same shape.

        Values outside the control points' range get the relevance of the
        nearest end control point; results are clipped to [0, 1]. NaN in
        gives NaN out: callers pass finite values.
        """
        v = np.asarray(values, dtype=np.float64)
        out = self._spline(np.clip(v, self._lo, self._hi))
        return np.clip(np.asarray(out, dtype=np.float64), 0.0, 1.0)

    def __repr__(self):
        rows = ", ".join(f"({x:g}, {p:g}, {s:g})" for x, p, s in self.control_points)
        return f"RelevanceFunction([{rows}])"


def relevance_function(control_points):
    """Relevance function phi interpolating user or box-plot control points.

    Parameters
    ----------
    control_points : array-like of shape (m, 2) or (m, 3)
        Rows ``(y, phi)`` or ``(y, phi, slope)``, in any order (they are
        sorted by y), m >= 2, finite, y distinct, phi in [0, 1]. The output
        of :func:`box_plot_control_points` qualifies when it has >= 2 rows.

        * 3 columns: piecewise cubic Hermite interpolation with the given
          slopes (:class:`scipy.interpolate.CubicHermiteSpline`). With zero
          slopes, as for the box-plot relevance, phi between a point
          ``(a, 1)`` and a point ``(b, 0)`` is ``1 - 3 t**2 + 2 t**3`` with
          ``t = (y - a) / (b - a)`` -- UBL's "extremes" phi.
        * 2 columns: monotone piecewise cubic interpolation
          (:class:`scipy.interpolate.PchipInterpolator`, Fritsch-Carlson),
          which never overshoots between points.

    Returns
    -------
    phi : RelevanceFunction
        Callable: ``phi(values)`` is a float64 ndarray of the same shape, in
        [0, 1]. Outside the control points' range phi is constant, equal to
        its value at the nearest end point. Pass finite values only (NaN in
        gives NaN out). ``phi.control_points`` holds the sorted ``(y, phi,
        slope)`` rows.

    Raises
    ------
    ValueError
        If the control points are not an (m, 2)/(m, 3) finite numeric array
        with m >= 2, distinct y values and phi in [0, 1]; the message names
        ``relevance`` and says how to fix it.

    Notes
    -----
    uba/UBL/IRon evaluate phi with their own ``pchip`` code: for the box-plot
    control points (zero slopes) it is the same cubic. For 2-column
    (``method="range"``) input they start from the mean of the two adjacent
    secants (zero at both ends) and apply the Fritsch-Carlson correction,
    whereas scipy's PCHIP uses a weighted harmonic mean and one-sided end
    slopes: both are monotone between points but the curves differ slightly.
    They also apply the Fritsch-Carlson correction to user-given slopes,
    which we use unchanged (then clip phi to [0, 1]).

    Examples
    --------
    >>> import numpy as np
    >>> from knnor._relevance import relevance_function
    >>> phi = relevance_function([[0.0, 1.0, 0.0], [4.0, 0.0, 0.0], [8.0, 1.0, 0.0]])
    >>> phi(np.array([-5.0, 0.0, 1.0, 2.0, 4.0, 6.0, 8.0, 100.0])).tolist()
    [1.0, 1.0, 0.84375, 0.5, 0.0, 0.5, 1.0, 1.0]
    >>> pchip = relevance_function([[0.0, 0.0], [10.0, 0.5], [20.0, 1.0]])
    >>> pchip(np.array([-1.0, 10.0, 25.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    return RelevanceFunction(control_points)


class Bump(NamedTuple):
    """A maximal run of consecutive (sorted by y) rows that are all rare or all common.

    Attributes
    ----------
    rare : bool
        True if the rows' relevance is >= the threshold.
    n_samples : int
        Number of rows in the bump.
    low, high : float
        Smallest and largest target value in the bump.
    """

    rare: bool
    n_samples: int
    low: float
    high: float


def find_bumps(y, phi_values, threshold):
    """Split rows into bumps: maximal runs of rare or common target values.

    Rows are sorted by y (stable sort); a bump is a maximal run of
    consecutive sorted rows that are all rare (``phi >= threshold``) or all
    common (``phi < threshold``). Bumps alternate rare/common and are
    numbered 0, 1, 2, ... from the lowest y. Rows with equal y have equal
    phi (phi is a function of y), so they always fall in the same bump.

    Parameters
    ----------
    y : array-like of shape (n,)
        Finite target values.
    phi_values : array-like of shape (n,)
        Relevance of each row, ``phi(y)``.
    threshold : float
        Relevance threshold in [0, 1]; rows with ``phi >= threshold`` are rare.

    Returns
    -------
    bump_of_row : ndarray of shape (n,), int64
        Bump id of each row, in the rows' original order.
    bumps : list of Bump
        ``bumps[k]`` describes bump ``k``: ``Bump(rare, n_samples, low, high)``.

    Raises
    ------
    ValueError
        If the arrays are not 1-D of equal length or not finite, if the
        threshold is not in [0, 1], or if rows with equal y are on different
        sides of the threshold (phi_values is then not a function of y).
    """
    y = np.asarray(y, dtype=np.float64)
    phi_values = np.asarray(phi_values, dtype=np.float64)
    if y.ndim != 1 or phi_values.shape != y.shape:
        raise ValueError(
            f"find_bumps needs 1-D y and phi_values of the same length, got shapes "
            f"{y.shape} and {phi_values.shape}."
        )
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(phi_values))):
        raise ValueError("find_bumps needs finite y and phi_values (no NaN or inf).")
    threshold = float(threshold)
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}.")
    n = y.size
    if n == 0:
        return np.empty(0, dtype=np.int64), []

    order = np.argsort(y, kind="stable")
    ys = y[order]
    rare = phi_values[order] >= threshold
    tie = ys[1:] == ys[:-1]
    if np.any(tie & (rare[1:] != rare[:-1])):
        raise ValueError(
            "find_bumps: rows with equal y have phi values on both sides of the "
            "threshold; phi_values must be phi(y) for a single relevance function."
        )
    starts = np.flatnonzero(np.r_[True, rare[1:] != rare[:-1]])
    ends = np.r_[starts[1:], n]
    sorted_ids = np.repeat(np.arange(starts.size, dtype=np.int64), ends - starts)
    bump_of_row = np.empty(n, dtype=np.int64)
    bump_of_row[order] = sorted_ids
    bumps = [
        Bump(bool(rare[s]), int(e - s), float(ys[s]), float(ys[e - 1]))
        for s, e in zip(starts, ends, strict=True)
    ]
    return bump_of_row, bumps
