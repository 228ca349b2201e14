"""What the adapters share: input checks that run before any heavy work.

Every message names the parameter or class at fault and says how to fix it.
"""

import numbers
import os

import numpy as np
from imblearn.utils import Substitution
from sklearn.utils._param_validation import Interval, StrOptions

#: Constraints of the parameters every adapter passes to the engine.
ENGINE_CONSTRAINTS = {
    "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "max_dist_point": [Interval(numbers.Real, 0, 1, closed="right"), StrOptions({"auto"})],
    "proportion_minority": [Interval(numbers.Real, 0, 1, closed="right"), StrOptions({"auto"})],
    "reliability_filter": ["boolean"],
    "filter_rule": [StrOptions({"unanimous", "majority"})],
    "filter_neighbors": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "filter_search": [StrOptions({"exact", "graph"})],
    "random_state": ["random_state"],
    "n_jobs": [numbers.Integral, None],
}

#: Docs of those parameters, substituted into each adapter's docstring by
#: :data:`substitute_engine_docs`. "Group" is a class for KNNOR and a bump of
#: rare targets for KNNORReg.
ENGINE_DOCS = {
    "n_neighbors": """n_neighbors : int or "auto", default=3
        Number of same-group neighbours a seed walks through (the paper
        uses 5; 3 ranks better on 100 KEEL sets, see ``docs/algorithm.md``).
        ``"auto"`` uses the authors' rule made deterministic: half of the
        smallest number, over the group's points, of group points closer to
        that point than its mean squared distance to the group (at least 1).""",
    "max_dist_point": """max_dist_point : float in (0, 1] or "auto", default=0.5
        Upper bound of the step ``alpha ~ U(0, max_dist_point)`` taken toward
        each neighbour. ``"auto"``: the group diameter and the smallest
        non-zero distance from the group to any other row, smaller over
        larger, clipped to [0.01, 1].""",
    "proportion_minority": """proportion_minority : float in (0, 1] or "auto", default=1.0
        Share of the group used as seeds: the points with the smallest
        distance to their ``n_neighbors``-th neighbour (``round(p * n)``
        points, at least one). The paper uses 0.9, leaving the sparsest
        tenth out; every row seeds by default. ``"auto"``: the elbow of the
        sorted k-distances (the point farthest below their chord), at least
        0.5.""",
    "filter_rule": """filter_rule : {"unanimous", "majority"}, default="unanimous"
        How many of the candidate's ``filter_neighbors`` nearest original
        rows must be of its group: all of them (the paper's rule), or more
        than half (more candidates near other groups are kept: higher
        minority F1, lower recall and G-mean on the KEEL benchmark).""",
    "filter_neighbors": """filter_neighbors : int or "auto", default="auto"
        Number of nearest original rows that vote. ``"auto"``:
        ``floor(sqrt(k))`` under the unanimous rule, following ``k`` as the
        relaxation shortens the walk (the paper's), and ``n_neighbors``
        under the majority rule; at most the group size minus one.""",
    "filter_search": """filter_search : {"exact", "graph"}, default="exact"
        How the filter finds a candidate's nearest original rows.
        ``"exact"`` proves every verdict, searching all the data when the
        neighbour lists do not settle it. ``"graph"`` decides from the lists
        alone: the walk's rows, their in-group neighbours and their nearby
        rows of other groups, found by probing a few cells of the data
        instead of searching it all. Much faster on large, high-dimensional
        data; a verdict can differ from the exact one when a nearer row was
        missed (``benchmarks/bench_vs_smote.py --agreement`` measures how
        often). ``class_stats_`` records which was used.""",
    "random_state": """random_state : int, RandomState instance or None, default=None
        Controls the seed order and the steps. The same value gives
        bit-identical output whatever ``n_jobs``.""",
    "n_jobs": """n_jobs : int or None, default=None
        Threads for the neighbour searches and the filter. ``None`` means 1
        unless in a :func:`joblib.parallel_backend` context; ``-1`` means all
        processors.""",
}
substitute_engine_docs = Substitution(**ENGINE_DOCS)


def engine_arguments(estimator):
    """The keyword arguments of :func:`knnor._engine.oversample` that come
    straight from an adapter's parameters (the random state excepted)."""
    return {
        "n_neighbors": estimator.n_neighbors,
        "max_dist_point": estimator.max_dist_point,
        "proportion_minority": estimator.proportion_minority,
        "reliability_filter": estimator.reliability_filter,
        "filter_rule": estimator.filter_rule,
        "filter_neighbors": estimator.filter_neighbors,
        "filter_search": estimator.filter_search,
        "n_jobs": estimator.n_jobs,
    }


#: Environment variable that overrides the memory bound on requested rows (bytes, or "none").
MEMORY_LIMIT_VARIABLE = "KNNOR_MEMORY_LIMIT"
#: Bytes the engine needs per synthetic value: the row, its candidate and the output copy.
BYTES_PER_VALUE = 3 * 8


def reject_non_numeric_columns(X, owner):
    """Name the DataFrame columns ``owner`` cannot interpolate."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(dtypes, "items"):
        return
    bad = [
        str(column)
        for column, dtype in dtypes.items()
        if not (getattr(dtype, "kind", "O") in "biuf" or str(dtype).startswith("Sparse"))
    ]
    if bad:
        raise TypeError(
            f"{owner} interpolates numbers; these columns are not numeric: "
            f"{', '.join(bad)}. Encode them (e.g. with OneHotEncoder) first."
        )


def name_the_imputer(error, owner):
    """``error`` with the fix in front when it is scikit-learn's NaN refusal.

    scikit-learn's message suggests estimators that accept NaN, which does not
    help a sampler: the walk needs every value, so the imputer must come first.
    """
    if "NaN" not in str(error):
        return error
    return ValueError(
        f"{owner} needs every value to place its rows: impute the missing ones before it, "
        f"in the pipeline, e.g. imblearn.pipeline.make_pipeline(SimpleImputer(), {owner}(), "
        "model), so that the imputer is fitted on the training folds only "
        "(from sklearn.impute import SimpleImputer).\n" + str(error)
    )


def output_dtypes(X, validated):
    """The dtype each column of the resampled ``X`` is returned in.

    DataFrames keep every column's dtype; arrays and sparse matrices take the
    validated array's.
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "items"):
        return list(dtypes)
    return [validated.dtype] * validated.shape[1]


def _label_kind(value):
    if isinstance(value, numbers.Number):
        return "number"
    return "string" if isinstance(value, str) else type(value).__name__


def check_label_types(y):
    """Reject labels that mix types (e.g. 1 and "1"), which cannot be sorted."""
    values = np.asarray(y)
    if values.dtype != object:
        return
    kinds = {_label_kind(value) for value in values.ravel()}
    if len(kinds) > 1:
        raise TypeError(
            f"y mixes label types ({', '.join(sorted(kinds))}); give every label the same "
            "type, e.g. y.astype(str)."
        )


def check_strategy_counts(strategy, y, n_features, owner):
    """Check a dict (or a callable's dict) of target counts before imblearn reads it.

    imbalanced-learn accepts floats, strings and booleans as counts and fails
    later, deep inside the sampler; this names the class instead. Counts too
    large for memory are refused here too, before they overflow anything.
    """
    if callable(strategy):
        strategy = strategy(y)
        if not isinstance(strategy, dict):
            raise TypeError(
                f"{owner}: sampling_strategy is a callable that returned "
                f"{type(strategy).__name__}; it must return a dict {{class: n_samples}}."
            )
    if not isinstance(strategy, dict):
        return
    for label, count in strategy.items():
        if isinstance(count, bool) or not isinstance(count, numbers.Integral):
            raise TypeError(
                f"{owner}: sampling_strategy asks for {count!r} samples of class {label!r}; "
                "counts must be integers, e.g. {" + f"{label!r}: {_as_count(count)}" + "}."
            )
    check_request_size(strategy, n_features, owner)


def _as_count(count):
    try:
        return int(round(float(count)))
    except (TypeError, ValueError):
        return 100


def available_memory():
    """Bytes of memory the system can still give, or None where unknown."""
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def check_request_size(n_wanted, n_features, owner):
    """Refuse a request for more synthetic rows than memory can hold.

    ``n_wanted`` maps a class to its number of rows. The bound is the
    memory available now, or the environment variable ``KNNOR_MEMORY_LIMIT``
    (bytes; ``none`` to switch the check off).
    """
    setting = os.environ.get(MEMORY_LIMIT_VARIABLE, "").strip().lower()
    if setting == "none":
        return
    limit = int(float(setting)) if setting else available_memory()
    if limit is None:
        return
    n_rows = sum(max(0, int(n)) for n in n_wanted.values())
    needed = n_rows * max(1, n_features) * BYTES_PER_VALUE
    if needed > limit:
        largest = max(n_wanted, key=lambda label: n_wanted[label])
        raise ValueError(
            f"{owner}: sampling_strategy asks for {n_rows:,} synthetic rows "
            f"({n_wanted[largest]:,} of class {largest!r}), about "
            f"{needed / 2**30:,.1f} GiB for {n_features} features, more than the "
            f"{limit / 2**30:,.1f} GiB available. Ask for fewer rows, or set "
            f"{MEMORY_LIMIT_VARIABLE} (bytes, or 'none') to override."
        )
