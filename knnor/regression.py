"""KNNORReg: KNNOR for imbalanced regression, rare targets over-sampled."""

import numbers
import warnings
from collections.abc import Callable, Mapping

import numpy as np
from imblearn.utils._validation import ArraysTransformer
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from knnor._adapter import (
    ENGINE_CONSTRAINTS,
    check_request_size,
    engine_arguments,
    output_dtypes,
    reject_non_numeric_columns,
    substitute_engine_docs,
)
from knnor._engine import GroupTooSmallError, output_grid, oversample
from knnor._relevance import box_plot_control_points, find_bumps, relevance_function
from knnor._typing import (
    Auto,
    FilterRule,
    FilterSearch,
    MatrixLike,
    RandomStateLike,
    Resampled,
)
from knnor.exceptions import KNNORWarning


@substitute_engine_docs
class KNNORReg(BaseEstimator):
    """KNNOR for imbalanced regression: new rows for rare target values.

    The relevance ``phi(y)`` in [0, 1] says how much each target value
    matters; values with ``phi >= rare_threshold`` are rare. Sorted by
    target, rows form contiguous *bumps*, alternately rare and common (a
    low tail, a high tail, or more). Each rare bump is over-sampled by the
    KNNOR walk: from a seed of the bump toward its nearest neighbours of the
    same bump, one after the other. The synthetic row is an affine
    combination ``x = sum_i w_i x_i`` of its sources (the seed and the rows
    walked, weights in ``walk_weights_``), and its target is the same
    combination of theirs, ``y = sum_i w_i y_i`` (clipped to
    ``[min y_i, max y_i]`` against rounding), so it always lies within the
    range of its sources' targets.

    A candidate is kept only if the reliability filter agrees: its nearest
    original rows in feature space are all of its bump (as for
    :class:`~knnor.KNNOR`, see ``filter_rule``), *and* the targets of those
    rows agree with the candidate's: each is within ``target_tolerance``
    times the bump's target standard deviation. A candidate surrounded by
    common rows, or by rare rows whose targets differ from the one it would
    get, is rejected.

    Read more in ``docs/regression.md``.

    Parameters
    ----------
    sampling_strategy : "balance", float or dict, default="balance"
        How many rows each rare bump grows to. ``"balance"``: the size of the
        largest common bump. A float ``r > 0``: ``round(r * size of the
        largest common bump)``. A dict ``{{bump: n_samples}}``: the size of
        the listed bumps, numbered from the lowest target as in ``bumps_``
        (rare bumps only). A bump never shrinks; bumps already large enough
        get no rows.

    relevance : "auto", array-like of shape (m, 2) or (m, 3), or callable, \
default="auto"
        The relevance function. ``"auto"``: box-plot extremes, as SMOTER and
        SMOGN define them: control points ``(adjL, 1)``, ``(median, 0)`` and
        ``(adjH, 1)`` at the whisker ends of R's ``boxplot.stats`` (those
        tails only that have values beyond the whiskers), joined by cubic
        Hermite pieces with zero slopes. Control points ``(y, phi)`` are
        joined by monotone PCHIP; ``(y, phi, slope)`` by cubic Hermite
        pieces with those slopes; ``phi`` is constant beyond the first and
        last points. A callable maps an array of targets to relevances in
        [0, 1].

    rare_threshold : float in (0, 1], default=0.8
        Targets with relevance at least this are rare (0.8 as in Branco et
        al.'s benchmarks).

    target_tolerance : float >= 0 or None, default=1.0
        How far, in standard deviations of the bump's targets, a candidate's
        target may be from the target of each of its nearest original rows.
        ``None``: no target check (the class-style filter only).

    {n_neighbors}

    {max_dist_point}

    {proportion_minority}

    reliability_filter : bool, default=True
        Keep a candidate only if its nearest original rows are of its bump
        (see ``filter_rule``), their targets agree with its own (see
        ``target_tolerance``), and it duplicates no original or generated
        row. ``False`` keeps every candidate.

    {filter_rule}

    {filter_neighbors}

    {filter_search}

    {random_state}

    {n_jobs}

    Attributes
    ----------
    control_points_ : ndarray of shape (m, 3) or (m, 2), or None
        The relevance control points used; ``None`` for a callable.

    relevance_ : callable
        The relevance function ``phi``, fitted on the ``y`` seen.

    bumps_ : list of Bump
        Every bump, from the lowest target: ``Bump(rare, n_samples, low,
        high)``, ``low``/``high`` its smallest and largest target.

    sampling_strategy_ : dict
        Number of rows generated per rare bump (bump index -> count).

    bump_stats_ : dict
        Per over-sampled bump, the counts of :attr:`KNNOR.class_stats_
        <knnor.KNNOR>` plus ``n_rejected_target`` (candidates whose target
        disagreed with their nearest rows') and ``target_tolerance``
        (absolute).

    provenance_ : ndarray of shape (n_synthetic, max_k + 1), dtype int64
        Row ``i`` describes synthetic row ``i`` (row ``n_samples + i`` of the
        output): the seed's row in the input, then the rows walked through,
        nearest first; ``-1`` pads walks shortened by relaxation.

    walk_weights_ : ndarray of shape (n_synthetic, max_k + 1)
        The weight of each ``provenance_`` row in synthetic row ``i`` and in
        its target (0 for padding); rows sum to 1.

    n_features_in_ : int
        Number of features seen during ``fit_resample``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit_resample``, when ``X`` has string
        feature names.

    Notes
    -----
    ``X`` keeps its dtype (DataFrames every column's; integer columns are
    rounded before the filter judges a row); ``y`` comes back float64, or
    float32 for a float32 ``y``. Sparse ``X`` is densified internally and
    returned sparse. If the attempt budget runs out before a bump reaches
    its size, a :class:`~knnor.KNNORWarning` (a ``UserWarning``) says so and
    the accepted rows are returned.

    References
    ----------
    .. [1] S. B. Belhaouari, A. Islam, K. Kassoul, A. Al-Fuqaha, A. Bouzerdoum,
       "Oversampling techniques for imbalanced data in regression", Expert
       Systems with Applications 252, 124118 (2024).
    .. [2] P. Branco, L. Torgo, R. P. Ribeiro, "SMOGN: a pre-processing
       approach for imbalanced regression", PMLR 74 (2017).

    Examples
    --------
    >>> import numpy as np
    >>> from knnor import KNNORReg
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(500, 3))
    >>> y = np.exp(X[:, 0] + 0.1 * rng.normal(size=500))  # a long high tail
    >>> sampler = KNNORReg(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> [bump.rare for bump in sampler.bumps_]
    [False, True]
    >>> n_rare = sampler.bumps_[1].n_samples
    >>> n_new = sampler.sampling_strategy_[1]
    >>> n_rare + n_new == sampler.bumps_[0].n_samples and len(y_res) == 500 + n_new
    True

    Each synthetic target is its sources' targets, weighted as the row is:

    >>> sources = y[sampler.provenance_.clip(min=0)]
    >>> bool(np.allclose(y_res[500:], (sampler.walk_weights_ * sources).sum(axis=1)))
    True
    """

    _parameter_constraints: dict = {
        "sampling_strategy": [
            StrOptions({"balance"}),
            Interval(numbers.Real, 0, None, closed="neither"),
            dict,
        ],
        "relevance": [StrOptions({"auto"}), "array-like", callable],
        "rare_threshold": [Interval(numbers.Real, 0, 1, closed="right")],
        "target_tolerance": [Interval(numbers.Real, 0, None, closed="left"), None],
        **ENGINE_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: str | float | Mapping[int, int] = "balance",
        relevance: Auto | ArrayLike | Callable[[np.ndarray], ArrayLike] = "auto",
        rare_threshold: float = 0.8,
        target_tolerance: float | None = 1.0,
        n_neighbors: int | Auto = 3,
        max_dist_point: float | Auto = 0.5,
        proportion_minority: float | Auto = 1.0,
        reliability_filter: bool = True,
        filter_rule: FilterRule = "unanimous",
        filter_neighbors: int | Auto = "auto",
        filter_search: FilterSearch = "exact",
        random_state: RandomStateLike = None,
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.rare_threshold = rare_threshold
        self.target_tolerance = target_tolerance
        self.n_neighbors = n_neighbors
        self.max_dist_point = max_dist_point
        self.proportion_minority = proportion_minority
        self.reliability_filter = reliability_filter
        self.filter_rule = filter_rule
        self.filter_neighbors = filter_neighbors
        self.filter_search = filter_search
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X: MatrixLike, y: ArrayLike) -> "KNNORReg":
        """Check the input and fit the relevance; returns ``self``."""
        self.fit_resample(X, y)
        return self

    def fit_resample(self, X: MatrixLike, y: ArrayLike) -> Resampled:
        """Resample the dataset.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Numeric data; DataFrame columns must all be numeric.

        y : array-like of shape (n_samples,)
            Continuous, finite targets.

        Returns
        -------
        X_resampled : {ndarray, dataframe, sparse matrix} of shape (n_samples_new, n_features)
            The original rows, unchanged and first, then the synthetic rows.

        y_resampled : {ndarray, series} of shape (n_samples_new,)
            The targets of ``X_resampled``.
        """
        self._validate_params()
        reject_non_numeric_columns(X, "KNNORReg")
        targets = _check_targets(y)
        X_in = X
        X = validate_data(
            self, X=X, reset=True, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32]
        )
        if X.shape[0] != targets.shape[0]:
            raise ValueError(
                f"KNNORReg: X has {X.shape[0]} rows but y has {targets.shape[0]}; "
                "pass one target per row."
            )
        grid = output_grid(output_dtypes(X_in, X))
        phi_values = self._fit_relevance(targets)
        bump_of_row, self.bumps_ = find_bumps(targets, phi_values, self.rare_threshold)
        self.sampling_strategy_ = rare_bump_growth(self.sampling_strategy, self.bumps_)
        n_wanted = {bump: n for bump, n in self.sampling_strategy_.items() if n > 0}
        check_request_size(n_wanted, X.shape[1], "KNNORReg")
        tolerance = {
            bump: np.inf
            if self.target_tolerance is None
            else self.target_tolerance * float(np.std(targets[bump_of_row == bump]))
            for bump in n_wanted
        }
        dense = X.toarray() if sparse.issparse(X) else X
        try:
            synthesis = oversample(
                np.ascontiguousarray(dense, dtype=np.float64),
                bump_of_row.astype(np.int64),
                n_wanted,
                **engine_arguments(self),
                grid=grid,
                random_state=check_random_state(self.random_state),
                targets=targets,
                tolerance=tolerance,
            )
        except GroupTooSmallError as error:
            bump = self.bumps_[error.group]
            raise ValueError(
                f"KNNORReg: the rare bump {error.group} (targets {bump.low:g} to "
                f"{bump.high:g}) has {error.n_rows} rows, fewer than n_neighbors + 1 = "
                f"{error.n_needed}; lower n_neighbors, or leave the bump out with "
                "sampling_strategy={bump: n_samples, ...}."
            ) from None

        self.bump_stats_ = synthesis.stats
        for bump, stats in self.bump_stats_.items():
            stats["target_tolerance"] = tolerance[bump]
            if stats["n_accepted"] < stats["n_requested"]:
                warnings.warn(
                    f"KNNORReg accepted {stats['n_accepted']} of the {stats['n_requested']} "
                    f"rows requested for bump {bump} after {stats['n_generated']} attempts "
                    f"({stats['n_rejected_filter']} rejected by the filter, "
                    f"{stats['n_rejected_target']} for their targets, "
                    f"{stats['n_rejected_duplicate']} duplicates); returning those.",
                    KNNORWarning,
                    stacklevel=2,
                )
        self.provenance_ = synthesis.provenance
        self.walk_weights_ = synthesis.weights
        return self._output(X_in, X, y, targets, synthesis)

    def _fit_relevance(self, targets):
        """Set ``relevance_`` and ``control_points_``; return phi of ``targets``."""
        if isinstance(self.relevance, str):
            points = box_plot_control_points(targets)
            if points.shape[0] < 2:
                median = float(np.median(targets))
                raise ValueError(
                    "KNNORReg: y has no box-plot extremes (no value beyond the whiskers "
                    f"{targets.min():g} to {targets.max():g}), so relevance='auto' finds no "
                    "rare targets. Say which targets are rare: relevance=[[low, 1], "
                    f"[{median:g}, 0], [high, 1]] as control points (y, phi), or a callable."
                )
        elif callable(self.relevance):
            points = None
        else:
            points = np.asarray(self.relevance, dtype=np.float64)
        self.control_points_ = points
        self.relevance_ = self.relevance if points is None else relevance_function(points)
        phi_values = np.asarray(self.relevance_(targets), dtype=np.float64)
        if phi_values.shape != targets.shape or not np.all((phi_values >= 0) & (phi_values <= 1)):
            raise ValueError(
                "KNNORReg: the relevance callable must return one value in [0, 1] per "
                f"target; it returned shape {phi_values.shape} with values outside [0, 1] "
                "or NaN."
            )
        if not np.any(phi_values >= self.rare_threshold):
            raise ValueError(
                f"KNNORReg: no target has relevance >= rare_threshold={self.rare_threshold} "
                f"(largest {phi_values.max():.3g}); lower rare_threshold or pass a relevance "
                "that marks the rare targets."
            )
        if np.all(phi_values >= self.rare_threshold):
            raise ValueError(
                f"KNNORReg: every target has relevance >= rare_threshold={self.rare_threshold}"
                ", so nothing is common to balance against; raise rare_threshold or pass a "
                "relevance with low values for the common targets."
            )
        return phi_values

    def _output(self, X_in, X, y_in, targets, synthesis):
        """Originals first, then synthetic rows, in the input's containers."""
        y_dtype = np.float32 if np.asarray(y_in).dtype == np.float32 else np.float64
        y_res = np.concatenate([targets, synthesis.values]).astype(y_dtype)
        synthetic = synthesis.rows.astype(X.dtype, copy=False)
        if sparse.issparse(X):
            X_res = sparse.vstack([X, sparse.csr_matrix(synthetic)], format=X.format)
        else:
            X_res = np.vstack([X, synthetic])
        X_res, _ = ArraysTransformer(X_in, np.empty(0)).transform(X_res, y_res)
        if hasattr(y_in, "to_numpy") and getattr(y_in, "ndim", 1) == 1:
            y_res = type(y_in)(y_res, name=y_in.name, index=getattr(X_res, "index", None))
        return X_res, y_res

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.target_tags.required = True
        return tags


def _check_targets(y):
    """``y`` as a finite float64 vector, or an error that says what is wrong."""
    if y is None:
        raise ValueError("KNNORReg requires y: pass the continuous targets.")
    values = np.asarray(y)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise ValueError(
            f"KNNORReg takes one continuous target per row; y has shape {values.shape}. "
            "For several targets, over-sample on one of them."
        )
    if values.dtype.kind not in "biuf":
        raise TypeError(
            f"KNNORReg: y must be numeric (continuous targets), got dtype {values.dtype}. "
            "For class labels use knnor.KNNOR."
        )
    values = values.astype(np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError(
            f"KNNORReg: y has {int(np.sum(~np.isfinite(values)))} NaN or infinite "
            "targets; drop or impute those rows first."
        )
    if values.shape[0] and values.min() == values.max():
        raise ValueError(
            f"KNNORReg: y is constant ({values[0]:g}); there is nothing rare to over-sample."
        )
    return values


def rare_bump_growth(sampling_strategy, bumps):
    """Rows to generate per rare bump (bump index -> count), from a
    ``sampling_strategy`` as :class:`KNNORReg` documents it."""
    rare = [i for i, bump in enumerate(bumps) if bump.rare]
    largest_common = max(bump.n_samples for bump in bumps if not bump.rare)
    if isinstance(sampling_strategy, dict):
        unknown = sorted(set(sampling_strategy) - set(rare), key=str)
        if unknown:
            raise ValueError(
                f"KNNORReg: sampling_strategy names {unknown}, which are not rare bumps; "
                f"the rare bumps are {rare} (see bumps_, numbered from the lowest target)."
            )
        sizes = {}
        for bump, size in sampling_strategy.items():
            if isinstance(size, bool) or not isinstance(size, numbers.Integral):
                raise TypeError(
                    f"KNNORReg: sampling_strategy asks for {size!r} rows in bump {bump}; "
                    "sizes must be integers."
                )
            sizes[bump] = int(size)
    elif sampling_strategy == "balance":
        sizes = dict.fromkeys(rare, largest_common)
    else:
        sizes = dict.fromkeys(rare, int(round(sampling_strategy * largest_common)))
    return {bump: max(0, size - bumps[bump].n_samples) for bump, size in sizes.items()}
