"""The dataset container and the encoding every reader shares."""

import textwrap
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
from sklearn.utils import Bunch

NOMINAL_ENCODINGS = ("onehot", "ordinal")
Nominal = Literal["onehot", "ordinal"]


@dataclass(eq=False)
class Dataset:
    """A classification dataset ready for an oversampler.

    Parameters
    ----------
    name : str
        Name of the dataset (file stem, folder name or remote identifier).
    X : ndarray of shape (n_samples, n_features), dtype float64
        Features; nominal attributes encoded, NaN where a value is missing.
    y : ndarray of shape (n_samples,)
        Class labels as strings, as written in the source.
    feature_names : list of str
        One name per column of ``X``; a one-hot column is named ``attr=value``.
    source : str
        Where the data came from (``"quick"``, ``"dir"``, ``"file"``, ...).
    n_missing : int
        Number of NaN cells in ``X``: a missing one-hot attribute counts once per
        column it spans, so the count always matches ``np.isnan(X).sum()``.
    nominal_features : tuple of str, default=()
        The input attributes that were nominal, before encoding.
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    source: str
    n_missing: int
    nominal_features: tuple[str, ...] = ()

    def __post_init__(self):
        # Other code builds Datasets too; catch shape slips where they happen.
        if self.X.ndim != 2 or self.y.ndim != 1 or len(self.X) != len(self.y):
            raise ValueError(
                f"{self.name}: X must be 2-D and y 1-D with as many rows, "
                f"got X {self.X.shape} and y {self.y.shape}"
            )
        if len(self.feature_names) != self.X.shape[1]:
            raise ValueError(
                f"{self.name}: {len(self.feature_names)} feature names for "
                f"{self.X.shape[1]} columns"
            )

    @property
    def n_samples(self) -> int:
        """Number of rows."""
        return self.X.shape[0]

    @property
    def n_features(self) -> int:
        """Number of columns of ``X`` after encoding."""
        return self.X.shape[1]

    @property
    def class_counts(self) -> dict[str, int]:
        """Rows per class, largest class first (ties by label, for a stable order)."""
        labels, counts = np.unique(self.y, return_counts=True)
        pairs = zip(labels.tolist(), counts.tolist(), strict=True)
        return dict(sorted(pairs, key=lambda pair: (-pair[1], pair[0])))

    @property
    def n_classes(self) -> int:
        """Number of distinct labels."""
        return len(np.unique(self.y))

    @property
    def imbalance_ratio(self) -> float:
        """Size of the largest class over the size of the smallest."""
        counts = list(self.class_counts.values())
        return counts[0] / counts[-1]

    def summary(self) -> dict:
        """The row :func:`list_datasets` reports for this dataset."""
        return {
            "name": self.name,
            "source": self.source,
            "n_samples": self.n_samples,
            "n_features": self.n_features,
            "n_classes": self.n_classes,
            "imbalance_ratio": self.imbalance_ratio,
            "class_counts": self.class_counts,
            "n_missing": self.n_missing,
        }

    def to_bunch(self, as_frame: bool = False) -> Bunch:
        """The dataset as scikit-learn's loaders return one.

        Parameters
        ----------
        as_frame : bool, default=False
            ``data`` as a pandas DataFrame and ``target`` as a Series, and
            ``frame`` holding both (needs pandas).

        Returns
        -------
        Bunch
            ``data``, ``target`` (the class labels themselves), ``feature_names``,
            ``target_names`` (the labels, sorted), ``frame`` (None unless
            ``as_frame``), ``DESCR`` and ``name``.
        """
        data, target, frame = self.X, self.y, None
        if as_frame:
            try:
                import pandas as pd
            except ImportError:
                raise ImportError("as_frame=True needs pandas: pip install pandas") from None
            data = pd.DataFrame(self.X, columns=self.feature_names)
            target = pd.Series(self.y, name="class")
            frame = pd.concat([data, target], axis=1)
        return Bunch(
            data=data,
            target=target,
            feature_names=list(self.feature_names),
            target_names=np.unique(self.y),
            frame=frame,
            DESCR=describe(self),
            name=self.name,
        )


def describe(dataset):
    """The ``DESCR`` text: source, size, classes, nominal attributes, missing values."""
    counts = ", ".join(f"{label} {n}" for label, n in dataset.class_counts.items())
    nominal = ", ".join(dataset.nominal_features) or "none"
    lines = [
        f"{dataset.name} (source: {dataset.source})",
        "",
        f"{dataset.n_samples} rows, {dataset.n_features} features, {dataset.n_classes} classes.",
        f"Class counts: {counts}; imbalance ratio {dataset.imbalance_ratio:.2f}.",
        f"Nominal attributes (encoded, see feature_names): {nominal}.",
    ]
    missing = np.isnan(dataset.X).sum(axis=0)
    if not missing.any():
        lines.append("Missing values: none.")
        return "\n".join(lines)
    where = ", ".join(
        f"{name} ({int(n)})" for name, n in zip(dataset.feature_names, missing, strict=True) if n
    )
    lines.append(f"Missing values: {dataset.n_missing} cells, NaN in X, in columns {where}.")
    advice = (
        "KNNOR and most estimators refuse NaN: impute inside the pipeline, before the "
        "sampler, so that the imputer is fitted on the training folds only, e.g. "
        "imblearn.pipeline.make_pipeline(SimpleImputer(), KNNOR(), model) "
        "(from sklearn.impute import SimpleImputer)."
    )
    return "\n".join([*lines, textwrap.fill(advice, 88)])


class Column(NamedTuple):
    """One input attribute before encoding.

    ``categories`` is None for a numeric attribute, whose ``values`` are floats
    with NaN for missing; otherwise ``values`` are integer codes into
    ``categories``, with -1 for missing.
    """

    name: str
    values: np.ndarray
    categories: list[str] | None = None


def check_nominal(nominal):
    """Refuse an unknown nominal encoding before any file is read."""
    if nominal not in NOMINAL_ENCODINGS:
        raise ValueError(f"nominal must be one of {NOMINAL_ENCODINGS}, got {nominal!r}")


def build_dataset(name, columns, y, *, nominal, source):
    """Encode the columns and assemble a :class:`Dataset`.

    Parameters
    ----------
    name, source : str
        Copied to the dataset.
    columns : list of Column
        Input attributes in output order.
    y : array-like of str
        Class labels.
    nominal : {"onehot", "ordinal"}
        One 0/1 column per category, in the declared order, or a single column
        holding the category's index.
    """
    check_nominal(nominal)
    y = np.asarray(y, dtype=str)
    onehot = nominal == "onehot"
    names = []
    for column in columns:
        if column.categories is not None and onehot:
            names.extend(f"{column.name}={value}" for value in column.categories)
        else:
            names.append(column.name)
    # Filled in place: one-hot blocks of large files would otherwise be held twice.
    X = np.empty((len(y), len(names)))
    start = 0
    for column in columns:
        if column.categories is None:
            X[:, start] = column.values
            start += 1
        elif not onehot:
            X[:, start] = np.where(column.values < 0, np.nan, column.values)
            start += 1
        else:
            width = len(column.categories)
            block = X[:, start : start + width]
            block[...] = column.values[:, None] == np.arange(width)
            block[column.values < 0] = np.nan
            start += width
    nominal_features = tuple(column.name for column in columns if column.categories is not None)
    return Dataset(name, X, y, names, source, int(np.isnan(X).sum()), nominal_features)


def infer_column(name, tokens, missing):
    """Type an untyped text column (CSV, object parquet) from its values.

    Numeric when every present value parses as a float; otherwise nominal with
    the distinct values sorted, since the file declares no order.
    """
    present = tokens[~missing]
    try:
        numbers = present.astype(np.float64)
    except ValueError:
        categories = sorted(set(present.tolist()))
        codes = np.full(len(tokens), -1, dtype=np.intp)
        codes[~missing] = np.searchsorted(np.asarray(categories, dtype=str), present)
        return Column(name, codes, categories)
    values = np.full(len(tokens), np.nan)
    values[~missing] = numbers
    return Column(name, values)
