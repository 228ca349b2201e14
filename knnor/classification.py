"""KNNOR as an imbalanced-learn over-sampler."""

import warnings

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from knnor._adapter import (
    ENGINE_CONSTRAINTS,
    check_label_types,
    check_request_size,
    check_strategy_counts,
    engine_arguments,
    name_the_imputer,
    output_dtypes,
    reject_non_numeric_columns,
    substitute_engine_docs,
)
from knnor._engine import GroupTooSmallError, output_grid, oversample
from knnor._typing import (
    Auto,
    FilterRule,
    FilterSearch,
    MatrixLike,
    RandomStateLike,
    Resampled,
    SamplingStrategy,
)
from knnor.exceptions import KNNORWarning

PAPER_PARAMS = {
    "n_neighbors": 5,
    "max_dist_point": 0.5,
    "proportion_minority": 0.9,
    "filter_rule": "unanimous",
    "filter_neighbors": "auto",
}
"""The KNNOR paper's algorithm: ``KNNOR(**PAPER_PARAMS)`` behaves exactly as
this package's 0.1.0 defaults did (the authors' reference settings)."""


@substitute_engine_docs
class KNNOR(BaseOverSampler):
    """K-Nearest Neighbour OveRsampling (KNNOR) with a reliability filter.

    For each class to over-sample, KNNOR takes the points of the class as
    seeds (optionally only the densest), walks from a seed toward its nearest
    same-class neighbours one after the other, and keeps the point reached
    only if its nearest neighbours among the original data belong to the
    class. ``KNNOR(**PAPER_PARAMS)`` is the paper's algorithm exactly; the
    defaults depart from it where the KEEL benchmark says they should.
    When candidates keep being rejected, the parameters are relaxed step by
    step and restored after each success, as in the authors' reference code.

    Read more in the algorithm page of the documentation (``docs/algorithm.md``).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to how many samples, exactly as in
        imbalanced-learn: a ratio (binary only), one of ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'``, ``'auto'``, a dict
        ``{{class: n_samples}}`` or a callable returning such a dict.

    {n_neighbors}

    {max_dist_point}

    {proportion_minority}

    reliability_filter : bool, default=True
        Keep a candidate only if enough of its nearest original rows belong
        to the class (see ``filter_rule``) and it duplicates no original or
        already generated row. ``False`` gives plain chained interpolation
        (for ablations): every candidate is kept, none is checked.

    {filter_rule}

    {filter_neighbors}

    {filter_search}

    {random_state}

    {n_jobs}

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples to generate per class.

    class_stats_ : dict
        Per over-sampled class, a dict with ``n_requested``, ``n_generated``
        (candidates tried), ``n_accepted``, ``n_rejected_filter`` (a nearest
        neighbour of another class), ``n_rejected_duplicate``, the parameters
        used (``n_neighbors``, ``max_dist_point``, ``proportion_minority``,
        ``n_seeds``; "auto" values resolved), ``max_relaxation_level`` and the
        parameters in force at the end (``final_n_neighbors``,
        ``final_max_dist_point``, ``final_proportion_minority``) and
        ``filter_search``.

    provenance_ : ndarray of shape (n_synthetic, max_k + 1), dtype int64
        Row ``i`` describes synthetic sample ``i`` (row ``n_samples + i`` of
        the resampled ``X``): column 0 is the row of the input ``X`` used as
        seed, the next columns the rows walked through, nearest first;
        ``-1`` pads walks shortened by relaxation.

    walk_weights_ : ndarray of shape (n_synthetic, max_k + 1)
        The weight of each ``provenance_`` row in synthetic sample ``i``
        (0 for padding): the walk's end point is this affine combination of
        its sources, ``(1 - a)^k`` for the seed and ``a (1 - a)^(k - j)`` for
        the ``j``-th row walked, with ``a`` the step drawn. Rows sum to 1
        (rounding to an integer or float32 output moves the point slightly).

    n_features_in_ : int
        Number of features seen during ``fit_resample``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit_resample``, when ``X`` has string
        feature names.

    Notes
    -----
    Synthetic points are computed in float64; ``X`` of dtype float32 gives
    float32 output, integer arrays give float64. Sparse input is densified
    internally (memory ``n_samples * n_features``) and returned sparse.
    If the attempt budget (50 per requested point plus 1000) runs out before
    a class reaches its target, a :class:`~knnor.KNNORWarning` (a
    ``UserWarning``) gives the counts reached and the accepted points are
    returned.

    References
    ----------
    .. [1] A. Islam, S. B. Belhaouari, A. U. Rehman, H. Bensmail, "KNNOR: An
       oversampling technique for imbalanced datasets", Applied Soft
       Computing 115, 108288 (2022).

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from knnor import KNNOR
    >>> X, y = make_classification(n_samples=500, weights=[0.9, 0.1],
    ...                            random_state=0)
    >>> sorted(Counter(y.tolist()).items())
    [(0, 449), (1, 51)]
    >>> sampler = KNNOR(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 449), (1, 449)]
    >>> stats = sampler.class_stats_[1]
    >>> stats["n_accepted"] == stats["n_requested"] == 398
    True
    >>> stats["n_generated"] == 398 + stats["n_rejected_filter"] + stats["n_rejected_duplicate"]
    True

    Each synthetic row can be traced to the rows it came from: its seed, then
    the ``n_neighbors`` rows it walked toward.

    >>> sampler.provenance_.shape
    (398, 4)
    >>> bool((y[sampler.provenance_[:, 0]] == 1).all())
    True
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        **ENGINE_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
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
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_neighbors = n_neighbors
        self.max_dist_point = max_dist_point
        self.proportion_minority = proportion_minority
        self.reliability_filter = reliability_filter
        self.filter_rule = filter_rule
        self.filter_neighbors = filter_neighbors
        self.filter_search = filter_search
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit_resample(self, X: MatrixLike, y: ArrayLike) -> Resampled:
        """Resample the dataset.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Numeric data; DataFrame columns must all be numeric.

        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        X_resampled : {ndarray, dataframe, sparse matrix} of shape (n_samples_new, n_features)
            The original rows, unchanged and first, then the synthetic rows.

        y_resampled : {ndarray, series} of shape (n_samples_new,)
            The labels of ``X_resampled``.
        """
        reject_non_numeric_columns(X, "KNNOR")
        check_label_types(y)
        one_hot = np.ndim(y) == 2 and np.shape(y)[1] > 1  # a column vector is 1-D labels
        if one_hot:
            y_one_hot, y = y, _labels_of_one_hot(y)
        check_strategy_counts(self.sampling_strategy, y, np.shape(X)[-1], "KNNOR")
        resampled = super().fit_resample(X, y)
        if one_hot:
            resampled = resampled[0], _one_hot_like(y_one_hot, resampled[1], resampled[0])
        for label, stats in self.class_stats_.items():
            if stats["n_accepted"] < stats["n_requested"]:
                warnings.warn(
                    f"KNNOR accepted {stats['n_accepted']} of the "
                    f"{stats['n_requested']} samples requested for class {label!r} "
                    f"after {stats['n_generated']} attempts "
                    f"({stats['n_rejected_filter']} rejected by the filter, "
                    f"{stats['n_rejected_duplicate']} duplicates); returning those.",
                    KNNORWarning,
                    stacklevel=2,
                )
        return resampled

    def _check_X_y(self, X, y, accept_sparse=None):
        X_in = X
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        try:
            X, y = validate_data(
                self,
                X=X,
                y=y,
                reset=True,
                accept_sparse=["csr", "csc"],
                dtype=[np.float64, np.float32],
            )
        except ValueError as error:
            raise name_the_imputer(error, "KNNOR") from None
        self._output_grid = output_grid(output_dtypes(X_in, X))
        return X, y, binarize_y

    def _fit_resample(self, X, y):
        classes, codes = np.unique(y, return_inverse=True)
        labels = classes.tolist()  # Python scalars, for readable dict keys
        code_of = {label: code for code, label in enumerate(labels)}
        n_wanted = {code_of[label]: n for label, n in self.sampling_strategy_.items() if n > 0}
        check_request_size({labels[code]: n for code, n in n_wanted.items()}, X.shape[1], "KNNOR")
        dense = X.toarray() if sparse.issparse(X) else X
        try:
            synthesis = oversample(
                np.ascontiguousarray(dense, dtype=np.float64),
                codes.astype(np.int64),
                n_wanted,
                **engine_arguments(self),
                grid=self._output_grid,
                random_state=check_random_state(self.random_state),
            )
        except GroupTooSmallError as error:
            raise ValueError(
                f"Class {labels[error.group]!r} has {error.n_rows} samples, fewer than "
                f"n_neighbors + 1 = {error.n_needed}; lower n_neighbors or leave this "
                "class out of sampling_strategy."
            ) from None

        self.class_stats_ = {labels[code]: stats for code, stats in synthesis.stats.items()}
        self.provenance_ = synthesis.provenance
        self.walk_weights_ = synthesis.weights
        synthetic = synthesis.rows.astype(X.dtype, copy=False)
        y_new = classes[synthesis.groups].astype(y.dtype, copy=False)
        if sparse.issparse(X):
            X_res = sparse.vstack([X, sparse.csr_matrix(synthetic)], format=X.format)
        else:
            X_res = np.vstack([X, synthetic])
        return X_res, np.hstack([y, y_new])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


def _labels_of_one_hot(y):
    """Column index of the single 1 in each row of a one-hot ``y``."""
    indicator = np.asarray(y)
    if (
        indicator.shape[1] < 2
        or not np.isin(indicator, (0, 1)).all()
        or not (indicator.sum(axis=1) == 1).all()
    ):
        raise ValueError(
            "KNNOR: a 2-D y must be one-hot (exactly one 1 per row, two or more "
            f"columns); got shape {indicator.shape}. Pass class labels as a 1-D y instead."
        )
    return indicator.argmax(axis=1)


def _one_hot_like(y, labels, X_res):
    """``labels`` one-hot encoded with ``y``'s columns, dtype and container."""
    indicator = np.zeros((len(labels), y.shape[1]), dtype=np.asarray(y).dtype)
    indicator[np.arange(len(labels)), np.asarray(labels)] = 1
    columns = getattr(y, "columns", None)
    if columns is None:
        return indicator
    return type(y)(indicator, columns=columns, index=getattr(X_res, "index", None))
