"""Reader for CSV and parquet tables with a user-named target column."""

import csv
import os
from pathlib import Path

import numpy as np

from knnor.datasets._dataset import (
    Column,
    Dataset,
    Nominal,
    build_dataset,
    check_nominal,
    infer_column,
)
from knnor.datasets._keel import decode

#: Cells read as missing in a CSV file (pandas' usual markers plus KEEL's).
CSV_MISSING = frozenset({"", "?", "<null>", "NA", "N/A", "NaN", "nan", "null", "None"})


def read_table(
    path: str | os.PathLike,
    target: str,
    nominal: Nominal = "onehot",
    *,
    name: str | None = None,
) -> Dataset:
    """Read a ``.csv`` (first row: column names) or ``.parquet`` file.

    A text column is numeric when every present value parses as a number, and
    nominal otherwise, its categories sorted (a parquet categorical keeps its
    own order). In a CSV, the cells in :data:`CSV_MISSING` are missing.

    Parameters
    ----------
    path : str or path-like
        The file; its suffix picks the format.
    target : str
        Name of the class column; every other column is an input.
    nominal : {"onehot", "ordinal"}, default="onehot"
        Encoding of nominal columns, as in :func:`read_keel`.
    name : str, optional
        Dataset name; the file stem by default.

    Returns
    -------
    Dataset
        With ``source="file"``.

    Raises
    ------
    ValueError
        For an unknown suffix, a missing target column, or a missing label.
    ImportError
        For parquet without pandas and pyarrow.
    """
    check_nominal(nominal)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        columns, y, absent = _read_csv(path, target)
    elif suffix == ".parquet":
        columns, y, absent = _read_parquet(path, target)
    else:
        raise ValueError(f"{path}: read_table reads .csv and .parquet files, not {suffix!r}")
    if absent.any():
        row = np.flatnonzero(absent)[0] + 1
        raise ValueError(f"{path}: class label missing in data row {row}")
    name = path.stem if name is None else name
    return build_dataset(name, columns, y, nominal=nominal, source="file")


def _check_target(path, header, target):
    if target not in header:
        raise ValueError(f"{path}: no target column {target!r}; the columns are {header}")


def _read_csv(path, target):
    """Input columns, labels as written, and where labels are missing."""
    rows = list(csv.reader(decode(path.read_bytes()).splitlines()))
    if not rows:
        raise ValueError(f"{path}: empty file")
    header = [cell.strip() for cell in rows[0]]
    _check_target(path, header, target)
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if not body:
        raise ValueError(f"{path}: no data rows under the header")
    for number, row in enumerate(body, start=1):
        if len(row) != len(header):
            raise ValueError(
                f"{path}: data row {number} has {len(row)} cells, the header {len(header)}"
            )
    table = np.strings.strip(np.array(body, dtype=str).reshape(len(body), len(header)))
    missing = np.isin(table, list(CSV_MISSING))
    columns = [
        infer_column(column, table[:, j], missing[:, j])
        for j, column in enumerate(header)
        if column != target
    ]
    j = header.index(target)
    return columns, table[:, j], missing[:, j]


def _read_parquet(path, target):
    """Input columns, labels as text, and where labels are missing."""
    try:
        import pandas as pd
    except ImportError as error:
        raise ImportError(
            "reading parquet needs pandas and pyarrow: pip install pandas pyarrow"
        ) from error
    frame = pd.read_parquet(path)
    frame.columns = [str(column) for column in frame.columns]
    _check_target(path, list(frame.columns), target)
    columns = []
    for column, series in frame.items():
        if column == target:
            continue
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = [str(value) for value in series.cat.categories]
            columns.append(Column(column, series.cat.codes.to_numpy(np.intp), categories))
        elif pd.api.types.is_numeric_dtype(series.dtype):
            columns.append(Column(column, series.to_numpy(np.float64, na_value=np.nan)))
        else:
            tokens = np.array([str(value).strip() for value in series], dtype=str)
            columns.append(infer_column(column, tokens, series.isna().to_numpy()))
    labels = frame[target]
    y = np.array([str(value).strip() for value in labels], dtype=str)
    return columns, y, labels.isna().to_numpy()
