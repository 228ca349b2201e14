"""What the adapters share: input checks that run before any heavy work.

Every message names the parameter or class at fault and says how to fix it.
"""

import numbers
import os

import numpy as np

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
