"""Scores for imbalanced regression: errors where the relevance phi is high.

Every metric takes ``(y_true, y_pred, phi)``: the true and predicted targets
of a test fold and the relevance function phi fitted on the *training* fold
(a :class:`knnor._relevance.RelevanceFunction`, or for the metrics other than
:func:`utility_f1` any callable mapping an array of targets to relevance
values in [0, 1]). :data:`REGRESSION_METRICS` lists them with their
direction. Sources matched (read through the code index):

* SERA: ``sera`` in IRon's ``R/nonstdMetrics.R`` (nunompmoniz/IRon; Ribeiro &
  Moniz 2020, Machine Learning 109:1803-1835).
* Utility-based F1: uba's C code by R. P. Ribeiro, as vendored in IRon's
  ``src/util.c`` (``util_value``, ``benefcost_lin``) and ``src/bump.c``
  (``bumps_set``), and uba's ``u_metrics.c`` (``precision``, ``recall``,
  ``harmonic_mean``) and ``R/util.R`` (``util.setup`` defaults: ``p = 0.5``);
  the formulas of Ribeiro (2011, PhD thesis) and Branco, Torgo & Ribeiro
  (2017, SMOGN, PMLR 74:36-50), also quoted in the comments of UBL's
  ``R/metrics.R`` (paobranco/UBL).
"""

import numpy as np

__all__ = [
    "REGRESSION_METRICS",
    "mae",
    "phi_weighted_rmse",
    "rare_mae",
    "rmse",
    "sera",
    "utility_f1",
    "utility_values",
]


def _check_targets(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.ndim != 1 or y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError(
            "y_true and y_pred must be non-empty 1-D arrays of the same length, got shapes "
            f"{y_true.shape} and {y_pred.shape}."
        )
    if not (np.all(np.isfinite(y_true)) and np.all(np.isfinite(y_pred))):
        raise ValueError("y_true and y_pred must be finite (no NaN or inf).")
    return y_true, y_pred


def _relevance(phi, values):
    out = np.asarray(phi(values), dtype=np.float64)
    if out.shape != values.shape:
        raise ValueError(
            f"phi returned shape {out.shape} for targets of shape {values.shape}; it must "
            "map an array of targets to one relevance value each."
        )
    if not np.all(np.isfinite(out)) or np.any((out < 0) | (out > 1)):
        raise ValueError("phi must return finite relevance values in [0, 1].")
    return out


def sera(y_true, y_pred, phi, step=0.001):
    """Squared Error-Relevance Area (SERA) of Ribeiro & Moniz (2020).

    ``SER_t = sum over i with phi(y_true_i) >= t of (y_pred_i - y_true_i)**2``
    and ``SERA = integral_0^1 SER_t dt``, by the trapezoidal rule on
    ``t = 0, step, 2 step, ...`` up to 1, exactly as IRon's ``sera()``
    (``th <- seq(0, 1, step)``, ``phi >= th``, areas
    ``step * (SER[k-1] + SER[k]) / 2``). Lower is better; 0 for perfect
    predictions. Errors on rows of relevance 0 count only at ``t = 0`` (half
    a step), so SERA is essentially the relevance-weighted squared error
    ``sum phi_i e_i**2`` (equal to it in the limit ``step -> 0``).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        Finite true and predicted targets.
    phi : callable
        Relevance function (fitted on the training fold).
    step : float, default=0.001
        Spacing of the relevance thresholds, in (0, 1].

    Returns
    -------
    float
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    step = float(step)
    if not 0 < step <= 1:
        raise ValueError(f"step must be in (0, 1], got {step}.")
    phi_true = _relevance(phi, y_true)
    sq = (y_pred - y_true) ** 2
    # R's seq(0, 1, by = step): from + (0:n) * by with n = floor(1/by + 1e-10), capped at 1.
    n_steps = int(np.floor(1.0 / step + 1e-10))
    thresholds = np.minimum(np.arange(n_steps + 1) * step, 1.0)
    order = np.argsort(phi_true, kind="stable")
    phi_sorted = phi_true[order]
    # tail[k] = sum of squared errors of the rows from sorted position k on.
    tail = np.r_[np.cumsum(sq[order][::-1])[::-1], 0.0]
    ser = tail[np.searchsorted(phi_sorted, thresholds, side="left")]
    return float(np.sum(step * (ser[:-1] + ser[1:]) / 2))


def phi_weighted_rmse(y_true, y_pred, phi):
    """Relevance-weighted RMSE: ``sqrt(sum phi_i e_i**2 / sum phi_i)``.

    ``phi_i = phi(y_true_i)`` and ``e_i = y_pred_i - y_true_i``: the RMSE with
    each row weighted by the relevance of its true value, so the score is a
    root-mean-square error over "relevance mass" (rows of relevance 0 do not
    count). Lower is better. NaN when ``sum phi_i == 0`` (no relevant row).

    Note: the R experiment scripts of Branco, Torgo, Ribeiro and Moniz
    (``rmse_phi = sqrt(mean(phi(trues) * (trues - preds)^2))``) divide by the
    number of rows ``n`` instead of ``sum phi_i``; that score equals this one
    times ``sqrt(sum phi_i / n)`` and so also shrinks as the test fold holds
    more common values. We implement the normalised weighted RMSE.
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    w = _relevance(phi, y_true)
    total = w.sum()
    if total <= 0:
        return float("nan")
    return float(np.sqrt(np.sum(w * (y_pred - y_true) ** 2) / total))


def rmse(y_true, y_pred, phi=None):
    """Root mean squared error (``phi`` is accepted and ignored). Lower is better."""
    y_true, y_pred = _check_targets(y_true, y_pred)
    return float(np.sqrt(np.mean((y_pred - y_true) ** 2)))


def mae(y_true, y_pred, phi=None):
    """Mean absolute error (``phi`` is accepted and ignored). Lower is better."""
    y_true, y_pred = _check_targets(y_true, y_pred)
    return float(np.mean(np.abs(y_pred - y_true)))


def rare_mae(y_true, y_pred, phi, threshold=0.8):
    """MAE on the rows whose true value is rare: ``phi(y_true) >= threshold``.

    Lower is better. NaN when no true value is rare (nothing to score).
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    rare = _relevance(phi, y_true) >= threshold
    if not rare.any():
        return float("nan")
    return float(np.mean(np.abs(y_pred[rare] - y_true[rare])))


def _tolerance_noise(y):
    # uba loss.setup: tloss = tau * sd(|mean(y) - y|) * sqrt(log(n)/n), tau = 3
    # (Cherkassky & Ma 2002), with R's sd (ddof = 1).
    n = y.size
    if n < 2:
        return 0.0
    return float(3.0 * np.std(np.abs(y.mean() - y), ddof=1) * np.sqrt(np.log(n) / n))


def _bumps_info(control_points, tloss):
    """uba ``bumps_set``: left minimum, maximum and loss tolerance of each bump of phi.

    A port of ``bumps_set`` (IRon ``src/bump.c``). Critical points are the
    control points with zero slope, plus (our choice) both end points, where
    our phi is flat by construction; runs of critical points with equal phi
    are merged into their mean y.
    """
    x, a, b = control_points[:, 0], control_points[:, 1], control_points[:, 2]
    m = x.size
    crit = np.flatnonzero(b == 0)
    crit = np.union1d(crit, [0, m - 1])
    bleft, bmax, bloss = [-np.inf], [-np.inf], [np.inf]
    k = 0
    in_bump = True
    sum_b, nb = x[crit[0]], 1
    for i in range(crit.size - 1):
        d1 = a[crit[i + 1]] - a[crit[i]]
        if d1 == 0:
            sum_b += x[crit[i + 1]]
            nb += 1
            continue
        if d1 < 0 and in_bump:  # the maximum of bump k
            bmax[k] = sum_b / nb
            if np.isfinite(bmax[k]) and np.isfinite(bleft[k]):
                bloss[k] = abs(bmax[k] - bleft[k])
            in_bump = False
        elif d1 > 0 and (not in_bump or k == 0):  # the left minimum of a new bump
            k += 1
            bleft.append(sum_b / nb)
            bmax.append(np.nan)
            bloss.append(np.nan)
            if np.isfinite(bmax[k - 1]) and np.isfinite(bleft[k]):
                delta = abs(bmax[k - 1] - bleft[k])
                bloss[k - 1] = 2 * delta if delta < bloss[k - 1] else 2 * bloss[k - 1]
            in_bump = True
        sum_b, nb = x[crit[i + 1]], 1
    if k > 0:
        if in_bump:
            bmax[k] = sum_b / nb
            if np.isfinite(bmax[k]) and np.isfinite(bleft[k]):
                bloss[k] = 2 * abs(bmax[k] - bleft[k])
        else:
            k += 1
            bleft.append(sum_b / nb)
            bmax.append(np.inf)
            bloss.append(np.nan)
            if np.isfinite(bmax[k - 1]) and np.isfinite(bleft[k]):
                delta = abs(bmax[k - 1] - bleft[k])
                bloss[k - 1] = 2 * delta if delta < bloss[k - 1] else 2 * bloss[k - 1]
        if not np.isfinite(bmax[0]):
            bloss[0] = bloss[1]
        if not np.isfinite(bmax[k]):
            bloss[k] = bloss[k - 1]
    else:  # "standard regression": a single bump with the noise tolerance
        bloss[0] = tloss
    return np.array(bleft), np.array(bmax), np.array(bloss)


def utility_values(y_true, y_pred, phi, p=0.5, tloss=None):
    """Utility ``U(y_pred_i, y_true_i)`` of each prediction, in [-1, 1] (uba ``util``).

    Ribeiro (2011): ``U = phi(y) (1 - Gamma_B) - phi_p(y_hat, y) Gamma_C`` with
    ``phi_p = p phi(y) + (1 - p) phi(y_hat)``, ``Gamma_B = min(1, L / l_B)``
    (``Gamma_B = 1`` when ``l_B == 0``), ``Gamma_C = min(1, L / l_C)``
    (``1`` when ``l_C == 0``), ``L = |y_hat - y|``. The loss tolerances
    ``l_B``, ``l_C`` come from the bumps of phi (``benefcost_lin``): for a
    true value in a bump, ``l_B`` is the distance to the bump's left minimum
    (prediction below) or to the next bump's left minimum (prediction above),
    ``l_C`` the distance to the previous/next bump's maximum, each capped by
    the bump's tolerance (twice the distance from its left minimum to its
    maximum, or to the next minimum if closer). A perfect prediction has
    utility ``phi(y)``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
    phi : RelevanceFunction
        Needs ``phi.control_points`` (rows ``(y, phi, slope)``), as made by
        :func:`knnor._relevance.relevance_function`.
    p : float, default=0.5
        Weight of the true value's relevance in the cost (uba default).
    tloss : float, optional
        Loss tolerance used only when phi has no bump with a left minimum
        (e.g. relevance only for low extremes), where uba falls back to its
        "standard regression" tolerance ``loss.control(y)$tloss =
        3 sd(|mean(y) - y|) sqrt(log(n) / n)``. By default computed with that
        formula from ``y_true`` (uba's callers usually pass the training
        target).

    Returns
    -------
    ndarray of shape (n,)
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    control_points = getattr(phi, "control_points", None)
    if control_points is None:
        raise TypeError(
            "utility-based metrics need the relevance's control points: pass the "
            "callable made by knnor._relevance.relevance_function (it has "
            "`control_points`), not an arbitrary function."
        )
    control_points = np.asarray(control_points, dtype=np.float64)
    p = float(p)
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}.")
    if tloss is None:
        tloss = _tolerance_noise(y_true)
    bleft, bmax, bloss = _bumps_info(control_points, float(tloss))
    n_bumps = bleft.size

    phi_true = _relevance(phi, y_true)
    phi_pred = _relevance(phi, y_pred)
    # bump of each true value: the last bump whose left minimum is <= y (bleft[0] = -inf)
    if n_bumps > 1:
        i = np.searchsorted(bleft, y_true, side="right") - 1
    else:
        i = np.zeros(y_true.size, dtype=np.intp)
    down = y_pred <= y_true
    has_prev = i > 0
    has_next = i + 1 < n_bumps
    prev_i = np.maximum(i - 1, 0)
    next_i = np.minimum(i + 1, n_bumps - 1)

    loss_b = np.full(y_true.size, np.inf)
    sel = down & has_prev
    loss_b[sel] = np.abs(y_true[sel] - bleft[i[sel]])
    sel = ~down & has_next & np.isfinite(bleft[next_i])
    loss_b[sel] = np.abs(y_true[sel] - bleft[next_i[sel]])
    l_b = np.where(loss_b < bloss[i], loss_b, bloss[i])

    loss_c = np.full(y_true.size, np.inf)
    sel = down & has_prev & np.isfinite(bmax[prev_i])
    loss_c[sel] = np.abs(y_true[sel] - bmax[prev_i[sel]])
    sel = ~down & has_next & np.isfinite(bmax[next_i])
    loss_c[sel] = np.abs(y_true[sel] - bmax[next_i[sel]])
    l_c = np.where(loss_c < bloss[i], loss_c, bloss[i])

    loss = np.abs(y_true - y_pred)
    with np.errstate(divide="ignore", invalid="ignore"):
        benefit = np.where((l_b == 0) | (loss > l_b), 0.0, 1.0 - loss / l_b)
        cost = np.where((l_c == 0) | (loss > l_c), 1.0, loss / l_c)
    joint = p * phi_true + (1 - p) * phi_pred
    return phi_true * benefit - joint * cost


def utility_f1(y_true, y_pred, phi, threshold=0.8, *, p=0.5, tloss=None):
    """Utility-based F1 of Branco, Ribeiro & Torgo (uba ``util``, ``umetric="Fm"``).

    With ``u_i`` the utilities of :func:`utility_values` (default ``p=0.5``):

    * precision ``= sum_P (1 + u_i) / sum_P (1 + phi(y_hat_i))`` over the rows
      ``P`` whose prediction is rare, ``phi(y_hat_i) >= t``,
    * recall ``= sum_R (1 + u_i) / sum_R (1 + phi(y_i))`` over the rows ``R``
      whose true value is rare, ``phi(y_i) >= t``,
    * ``F1 = 2 prec rec / (prec + rec)``, and 0 when either is 0.

    This is uba's C ``precision``/``recall``/``harmonic_mean`` (``>=`` the
    event threshold, weights 1, ``use.util = TRUE``) and the published
    formulas (Ribeiro 2011; Branco et al. 2017, which write ``> t``). Higher
    is better; 1 for perfect predictions. Precision can slightly exceed 1
    when a rare prediction is close to a more relevant true value (a
    property of the published definition).

    Conventions: no rare prediction -> precision 0 (uba returns a tiny
    constant), so F1 = 0; precision and recall both 0 -> 0.0; **no rare true
    value -> NaN** (recall is undefined and the fold says nothing about rare
    values; average with ``nanmean`` or drop such folds).

    Differences from uba, all from phi's representation: uba's box-plot phi
    with one tail also has a ``(min(y), 0, 0)`` (or ``(max(y), 0, 0)``)
    control point, which moves that bump's left minimum from the median to
    ``(min(y) + median) / 2``; we treat both end control points as flat
    (uba only zero-slope ones); and with only a low tail uba uses its noise
    tolerance ``tloss`` (see :func:`utility_values`). Some experiment scripts
    of the same authors instead restrict both numerators to rows where
    true value *and* prediction are rare; we follow uba and the papers.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
    phi : RelevanceFunction
        Relevance made by :func:`knnor._relevance.relevance_function`.
    threshold : float, default=0.8
        Relevance from which a value is rare.
    p, tloss
        See :func:`utility_values`.

    Returns
    -------
    float
    """
    u = utility_values(y_true, y_pred, phi, p=p, tloss=tloss)
    y_true, y_pred = _check_targets(y_true, y_pred)
    phi_true = _relevance(phi, y_true)
    phi_pred = _relevance(phi, y_pred)
    true_rare = phi_true >= threshold
    if not true_rare.any():
        return float("nan")
    recall = np.sum(1 + u[true_rare]) / np.sum(1 + phi_true[true_rare])
    pred_rare = phi_pred >= threshold
    precision = (
        np.sum(1 + u[pred_rare]) / np.sum(1 + phi_pred[pred_rare]) if pred_rare.any() else 0.0
    )
    if precision == 0 or recall == 0:
        return 0.0
    return float(2 * precision * recall / (precision + recall))


REGRESSION_METRICS = {
    "sera": (sera, False),
    "phi_rmse": (phi_weighted_rmse, False),
    "utility_f1": (utility_f1, True),
    "rmse": (rmse, False),
    "mae": (mae, False),
    "rare_mae": (rare_mae, False),
}
"""Metric name -> ``(function(y_true, y_pred, phi), greater_is_better)``, in report order."""
