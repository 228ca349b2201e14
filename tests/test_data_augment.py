"""knnor.data_augment.KNNOR: knnor 0.1.4's call, run on the new engine."""

import re
import warnings
from collections import Counter

import numpy as np
import pytest

import knnor
from knnor import data_augment

# The toy table of knnor 0.1.4's documentation: three features, then the label;
# five rows of class 0, twelve of class 1 (one of them twice).
DOCUMENTED_TABLE = [
    [1.0, 2.0, 1.0, 0],
    [1, 3, 1, 0],
    [2, 1, 1, 0],
    [3, 2, 1, 0],
    [3, 1, 1, 0],
    [1, 3, 4, 1],
    [1, 4, 3, 1],
    [1, 4, 4, 1],
    [2, 3, 3, 1],
    [2, 3, 4, 1],
    [2, 4, 3, 1],
    [2, 4, 4, 1],
    [3, 2, 2, 1],
    [3, 3, 2, 1],
    [3, 3, 2, 1],
    [3, 4, 2, 1],
    [4, 3, 1, 1],
]


def test_the_documented_0_1_4_example_runs_as_written():
    # The usage section of knnor 0.1.4's documentation, call for call: its imports,
    # its table, a default data_augment.KNNOR(), the four returned arrays, and the
    # labels appended as a last column. (Its stray line `knnor=KNNOR()` is left out:
    # it raises NameError under 0.1.4 too, as KNNOR was never imported by name.)
    import numpy as np

    from knnor import data_augment

    table = np.array(DOCUMENTED_TABLE)
    print("Original Data:")
    print(table)
    X = table[:, :-1]
    y = table[:, -1]

    with pytest.warns(FutureWarning, match="knnor.KNNOR"):
        knnor = data_augment.KNNOR()
        X_new, y_new, X_aug_min, y_aug_min = knnor.fit_resample(X, y)
    y_new = y_new.reshape(-1, 1)

    print("KNNOR Data:")
    new_data = np.append(X_new, y_new, axis=1)
    print(new_data)

    # As 0.1.4 documents it: the 17 rows unchanged, then 12 - 5 = 7 rows of class 0.
    assert new_data.shape == (24, 4)
    np.testing.assert_array_equal(new_data[:17], table)
    np.testing.assert_array_equal(new_data[17:], np.c_[X_aug_min, y_aug_min])
    assert y_aug_min.tolist() == [0.0] * 7


def three_classes():
    """Twelve, five and four rows: two classes to grow, by different amounts."""
    rng = np.random.default_rng(3)
    centres = np.repeat([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]], [12, 5, 4], axis=0)
    return centres + rng.normal(scale=0.6, size=centres.shape), np.repeat(
        ["a", "b", "c"], [12, 5, 4]
    )


def legacy_call(X, y, **kwargs):
    """Call the 0.1.4 interface; return its four arrays and the new call it printed."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        result = data_augment.KNNOR(random_state=0).fit_resample(X, y, **kwargs)
    (warning,) = [w for w in record if w.category is FutureWarning]
    assert warning.filename == __file__  # it names the caller's line
    line = re.search(r"^    (X_res, y_res = knnor\.KNNOR\(.*)$", str(warning.message), re.M)
    return result, line.group(1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"num_nbrs": 2, "prop_minority": 1.0, "max_dist": 0.3},
        {"proportion": 0.8},
        {"proportion": 1.5, "num_nbrs": 1},
    ],
)
def test_the_printed_new_call_gives_the_same_rows(kwargs):
    X, y = three_classes()
    (X_res, y_res, X_new, y_new), new_call = legacy_call(X, y, **kwargs)
    namespace = {"knnor": knnor, "X": X, "y": y}
    exec(new_call, namespace)
    np.testing.assert_array_equal(namespace["X_res"], X_res)
    np.testing.assert_array_equal(namespace["y_res"], y_res)


@pytest.mark.parametrize("proportion", [1, 0.8, 1.5, 0.5])
def test_proportion_grows_each_smaller_class_as_0_1_4_did(proportion):
    X, y = three_classes()
    (X_res, y_res, X_new, y_new), _ = legacy_call(X, y, proportion=proportion)
    # 0.1.4's count_to_add: int(proportion * n_largest) - n_class for every class
    # that is not the largest, nothing when that is not positive.
    expected = {"b": max(0, int(12 * proportion) - 5), "c": max(0, int(12 * proportion) - 4)}
    added = Counter(y_new.tolist())
    assert {label: added.get(label, 0) for label in expected} == expected


def test_four_returns_originals_first_then_the_synthetic_rows():
    X, y = three_classes()
    (X_res, y_res, X_new, y_new), _ = legacy_call(X, y, num_nbrs=2)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    np.testing.assert_array_equal(X_new, X_res[len(X) :])
    np.testing.assert_array_equal(y_new, y_res[len(y) :])
    assert X_new.shape == (7 + 8, 2)
    assert y_new.tolist() == ["b"] * 7 + ["c"] * 8  # grouped by class, in sorted order


def test_warning_maps_each_parameter_by_name():
    X, y = three_classes()
    _, new_call = legacy_call(X, y, num_nbrs=2, prop_minority=0.75, max_dist=0.25)
    for expected in ("n_neighbors=2", "proportion_minority=0.75", "max_dist_point=0.25"):
        assert expected in new_call
    assert "sampling_strategy='not majority'" in new_call
    assert "random_state=0" in new_call


def test_nothing_to_grow_returns_the_data_and_empty_new_rows():
    X, y = three_classes()
    (X_res, y_res, X_new, y_new), _ = legacy_call(X, y, proportion=0.25)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    assert X_new.shape == (0, 2) and y_new.shape == (0,)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"prop_minority": 0}, "prop_minority"), ({"proportion": -1}, "proportion must")],
)
def test_bad_legacy_arguments_are_named(kwargs, message):
    X, y = three_classes()
    with pytest.raises(ValueError, match=message):
        data_augment.KNNOR().fit_resample(X, y, **kwargs)
