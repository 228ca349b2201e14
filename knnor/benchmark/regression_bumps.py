"""What every benchmark regression sampler shares: which rows to add where.

The relevance phi and a threshold split the target into bumps
(:mod:`knnor._relevance`); :func:`rare_bump_plan` counts the rows each rare
bump gets, by the rule of :func:`knnor.regression.rare_bump_growth`, so that
every sampler of the benchmark and ``KNNORReg`` ask for the same number of
rows. :class:`BumpOversampler` turns a per-bump generator into
``fit_resample``. Kept apart from the samplers because both the samplers
written from the papers and the wrappers of other packages build on it.
"""

from collections import namedtuple
from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_X_y

from knnor._relevance import box_plot_control_points, find_bumps, relevance_function
from knnor.regression import rare_bump_growth

BumpPlan = namedtuple("BumpPlan", ["bump", "rows", "n_new"])
"""One rare bump: its id, the indices of its rows in ``y``, the rows to add."""


def _relevance_values(y, relevance):
    """phi(y) for ``relevance`` = "auto", control points, or a callable."""
    if callable(relevance):
        phi = relevance
    elif isinstance(relevance, str):
        if relevance != "auto":
            raise ValueError(
                f"relevance must be 'auto', control points or a callable, got {relevance!r}"
            )
        points = box_plot_control_points(y)
        if len(points) < 2:  # only the median: no extremes, nothing is relevant
            return np.zeros_like(y)
        phi = relevance_function(points)
    else:
        phi = relevance_function(relevance)  # validates the (m, 2)/(m, 3) control points
    values = np.asarray(phi(y), dtype=float).reshape(-1)
    if values.shape != y.shape or not np.all((values >= 0) & (values <= 1)):
        raise ValueError("the relevance function must give one value in [0, 1] per target")
    return values


def _check_sampling_strategy(sampling_strategy):
    """``sampling_strategy`` as :func:`knnor.regression.rare_bump_growth` takes
    it: "balance" or a finite float > 0 (the benchmark takes no dict)."""
    if isinstance(sampling_strategy, str) and sampling_strategy == "balance":
        return sampling_strategy
    if isinstance(sampling_strategy, Real) and not isinstance(sampling_strategy, bool):
        ratio = float(sampling_strategy)
        if np.isfinite(ratio) and ratio > 0:
            return ratio
    raise ValueError(
        f"sampling_strategy must be 'balance' or a float > 0, got {sampling_strategy!r}"
    )


def rare_bump_plan(y, relevance, rare_threshold, sampling_strategy):
    """Resolve the relevance, split ``y`` into bumps and count the rows each rare bump gets.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
    relevance : "auto", array-like of shape (m, 2) or (m, 3), or callable
        "auto": box-plot control points of ``y``; an array: control points
        ``(y, phi[, slope])`` given to :func:`knnor._relevance.relevance_function`;
        a callable: phi itself, mapping an array of targets to [0, 1].
    rare_threshold : float
        Bumps whose relevance reaches it are rare (as :func:`find_bumps` decides).
    sampling_strategy : "balance" or float > 0
        "balance": every rare bump grows to the size of the largest common
        bump; a float ``r``: to ``int(round(r * that size))``. Never shrinks
        (:func:`knnor.regression.rare_bump_growth`, the rule KNNORReg uses).

    Returns
    -------
    phi : ndarray of shape (n_samples,)
        Relevance of every row.
    bump_of_row : ndarray of int64
    bumps : list of Bump
    plan : list of BumpPlan
        One entry per rare bump, lowest target first, ``n_new >= 0``.
        Empty when there is no rare bump.

    Raises
    ------
    ValueError
        For a bad ``relevance``/``sampling_strategy``, or when there are rare
        bumps but no common one to size them by.
    """
    if not isinstance(rare_threshold, Real) or not 0 <= rare_threshold <= 1:
        raise ValueError(f"rare_threshold must be in [0, 1], got {rare_threshold!r}")
    phi = _relevance_values(y, relevance)
    bump_of_row, bumps = find_bumps(y, phi, rare_threshold)
    bump_of_row = np.asarray(bump_of_row, dtype=np.int64)
    if not any(b.rare for b in bumps):
        _check_sampling_strategy(sampling_strategy)  # still validate it
        return phi, bump_of_row, bumps, []
    if all(b.rare for b in bumps):
        raise ValueError(
            "every target is rare at this threshold: no common bump to size the rare ones by"
        )
    growth = rare_bump_growth(_check_sampling_strategy(sampling_strategy), bumps)
    plan = [
        BumpPlan(bump_id, np.flatnonzero(bump_of_row == bump_id), n_new)
        for bump_id, n_new in growth.items()
    ]
    return phi, bump_of_row, bumps, plan


def check_k(k):
    if not isinstance(k, Integral) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k must be an int >= 1, got {k!r}")


def check_pert(pert):
    if not isinstance(pert, Real) or not np.isfinite(pert) or pert < 0:
        raise ValueError(f"pert must be a float >= 0, got {pert!r}")


class BumpOversampler:
    """Shared ``fit_resample``: validate, plan per rare bump, generate, stack.

    Subclasses implement ``_generate(Xb, yb, n_new, rng) -> (X_new, y_new)``
    for the rows ``Xb, yb`` of one rare bump.

    Fitted attributes (set by ``fit_resample``)
    -------------------------------------------
    relevance_ : ndarray of shape (n_samples,)
        phi of every original row.
    bumps_ : list of Bump
        The bumps of ``y``, lowest target first.
    n_synthetic_ : dict
        Bump id -> number of synthetic rows added to it (rare bumps only).
    """

    def __init__(
        self,
        *,
        relevance="auto",
        rare_threshold=0.8,
        sampling_strategy="balance",
        random_state=None,
    ):
        self.relevance = relevance
        self.rare_threshold = rare_threshold
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state

    def _check_params(self):
        """Validate the sampler's own parameters (hook)."""

    def fit_resample(self, X, y):
        """Oversample every rare bump of ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features.
        y : array-like of shape (n_samples,)
            Numeric target.

        Returns
        -------
        X_resampled : ndarray of shape (n_samples + n_new, n_features)
        y_resampled : ndarray of shape (n_samples + n_new,)
            The original rows first, unchanged, then the synthetic rows.
        """
        X, y = check_X_y(X, y, dtype=np.float64, y_numeric=True)
        self._check_params()
        rng = np.random.default_rng(self.random_state)
        phi, _, bumps, plan = rare_bump_plan(
            y, self.relevance, self.rare_threshold, self.sampling_strategy
        )
        self.relevance_ = phi
        self.bumps_ = bumps
        self.n_synthetic_ = {}
        X_parts, y_parts = [X], [y]
        for entry in plan:
            self.n_synthetic_[entry.bump] = entry.n_new
            if entry.n_new == 0:
                continue
            X_new, y_new = self._generate(X[entry.rows], y[entry.rows], entry.n_new, rng)
            X_parts.append(np.asarray(X_new, dtype=np.float64).reshape(entry.n_new, X.shape[1]))
            y_parts.append(np.asarray(y_new, dtype=np.float64).reshape(entry.n_new))
        return np.concatenate(X_parts), np.concatenate(y_parts)

    def _generate(self, Xb, yb, n_new, rng):  # pragma: no cover - abstract
        raise NotImplementedError
