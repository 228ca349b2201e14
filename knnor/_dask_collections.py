"""The dask side of :class:`knnor.dask.DaskKNNOR`: the collections it takes
(checked and cut into delayed partitions), the tasks it maps over them, the
values it shares with every worker, and the collections it returns (the
input's partitions untouched, then partitions of synthetic rows)."""

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd

from knnor._adapter import reject_non_numeric_columns
from knnor._dask_plan import OWNER


def output_dtypes(X):
    """The dtype of each output column: a DataFrame's own, else the array's as ``KNNOR``'s."""
    return list(X.dtypes) if hasattr(X, "columns") else [array_dtype(X)] * X.shape[1]


def array_dtype(X):
    """The dtype ``KNNOR`` gives an array's output: float32 stays, the rest is float64."""
    return np.dtype(np.float32) if X.dtype == np.float32 else np.dtype(np.float64)


def partitions(X, y):
    """(X, y, X's partitions, y's partitions) as delayed objects, one pair per
    partition, after checking kinds, shapes and chunks."""
    for name, value in (("X", X), ("y", y)):
        if not isinstance(value, da.Array | dd.DataFrame | dd.Series):
            raise TypeError(
                f"{OWNER}.fit_resample takes dask collections; {name} is a "
                f"{type(value).__module__}.{type(value).__name__}. Wrap it "
                "(dask.array.from_array, dask.dataframe.from_pandas) or use knnor.KNNOR."
            )
    if isinstance(X, dd.Series) or (isinstance(X, da.Array) and X.ndim != 2):
        raise ValueError(f"{OWNER}: X must be 2-D (rows x features); got {type(X).__name__}.")
    if isinstance(y, dd.DataFrame) or (isinstance(y, da.Array) and y.ndim != 1):
        raise ValueError(f"{OWNER}: y must be 1-D: a dask array or Series of labels.")
    for name, value in (("X", X), ("y", y)):
        if isinstance(value, da.Array) and np.isnan(value.shape[0]):
            raise ValueError(
                f"{OWNER}: {name} has unknown chunk sizes; "
                f"call {name}.compute_chunk_sizes() first."
            )
    if isinstance(X, da.Array):
        if X.dtype.kind not in "biuf":
            raise TypeError(f"{OWNER} interpolates numbers; X has dtype {X.dtype}.")
        X = X.rechunk({1: -1})
        if isinstance(y, da.Array) and y.chunks[0] != X.chunks[0]:
            if y.shape[0] != X.shape[0]:
                raise ValueError(f"{OWNER}: X has {X.shape[0]} rows but y has {y.shape[0]}.")
            y = y.rechunk((X.chunks[0],))
        x_parts = list(X.to_delayed()[:, 0])
    else:
        reject_non_numeric_columns(X._meta, OWNER)
        x_parts = list(X.to_delayed())
    y_parts = list(y.to_delayed())
    if len(x_parts) != len(y_parts):
        raise ValueError(
            f"{OWNER}: X has {len(x_parts)} partitions but y has {len(y_parts)}; "
            "partition them alike (e.g. take y from the same DataFrame as X)."
        )
    return X, y, x_parts, y_parts


def current_client():
    """The current ``distributed`` client, or None."""
    try:
        from distributed import default_client
    except ImportError:  # pragma: no cover - dask without distributed
        return None
    try:
        return default_client()
    except ValueError:
        return None


def share(value):
    """``value`` once for every task: scattered to every worker of the current
    client (a lost worker's copy is not the last), else put in the graph."""
    client = current_client()
    if client is None:
        return dask.delayed(value)
    return client.scatter([value], broadcast=True, hash=False)[0]


def map_partitions(function, data, *shared):
    """``function(X part, y part, offset, *shared)`` for every partition, as delayed tasks."""
    call = dask.delayed(function, pure=True)
    return [
        call(xp, yp, int(offset), *shared)
        for xp, yp, offset in zip(data.x_parts, data.y_parts, data.offsets, strict=False)
    ]


def blocks(values, n_rows, build):
    """``values`` cut into pieces of at most ``n_rows`` rows, each made a
    partition by ``build`` (scattered first when there is a client)."""
    pieces = [values[i : i + n_rows] for i in range(0, len(values), n_rows)] or [values]
    client = current_client()
    if client is not None:
        return [
            build(piece, future)
            for piece, future in zip(pieces, client.scatter(pieces), strict=True)
        ]
    return [build(piece, dask.delayed(piece)) for piece in pieces]


def with_rows(data, synthetic, labels):
    """The input collections followed by partitions of the synthetic rows."""
    X, y = data.X, data.y
    n, n_rows = int(data.offsets[-1]), int(max(np.diff(data.offsets), default=1) or 1)
    index = pd.RangeIndex(n, n + synthetic.shape[0])
    if isinstance(X, da.Array):
        dtype = array_dtype(X)
        pieces = blocks(
            synthetic.astype(dtype), n_rows, lambda p, v: da.from_delayed(v, p.shape, dtype)
        )
        X_out = da.concatenate([X.astype(dtype), *pieces])
    else:
        frame = pd.DataFrame(synthetic, columns=X.columns, index=index).astype(X.dtypes.to_dict())
        X_out = dd.concat(
            [X, dd.from_delayed(blocks(frame, n_rows, lambda p, v: v), meta=X._meta)]
        )
    if isinstance(y, da.Array):
        y_new = labels.astype(y.dtype, copy=False)
        pieces = blocks(y_new, n_rows, lambda p, v: da.from_delayed(v, p.shape, y.dtype))
        y_out = da.concatenate([y, *pieces])
    else:
        series = pd.Series(labels, index=index, name=y.name, dtype=y.dtype)
        y_out = dd.concat(
            [y, dd.from_delayed(blocks(series, n_rows, lambda p, v: v), meta=y._meta)]
        )
    return X_out, y_out
