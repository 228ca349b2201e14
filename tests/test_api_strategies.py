"""Labels and the forms of sampling_strategy, binary and multiclass."""

import numpy as np
import pytest
from _data import assert_resampled_counts, binary_data, three_class_data
from imblearn.utils import check_sampling_strategy

from knnor import KNNOR

# ---------------------------------------------------------------------------
# labels and sampling_strategy


def test_binary_float_strategy_string_labels():
    X, y = binary_data()
    y = np.where(y == 1, "yes", "no")
    sampler = KNNOR(random_state=0, sampling_strategy=0.6)
    X_res, y_res = sampler.fit_resample(X, y)
    expected = check_sampling_strategy(0.6, y, "over-sampling")
    assert_resampled_counts(y, y_res, expected)
    assert y_res.dtype.kind == "U"


@pytest.mark.parametrize(
    "strategy",
    [
        "minority",
        "not minority",
        "not majority",
        "all",
        "auto",
        {"banana": 100, "cherry": 90},
        lambda y: {"cherry": 80},
    ],
    ids=["minority", "not_minority", "not_majority", "all", "auto", "dict", "callable"],
)
@pytest.mark.parametrize("container", ["ndarray", "object", "list"])
def test_multiclass_strategies(strategy, container):
    X, y = three_class_data()
    y_in = {"ndarray": y, "object": y.astype(object), "list": y.tolist()}[container]
    expected = check_sampling_strategy(strategy, y, "over-sampling")
    sampler = KNNOR(random_state=0, sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(X, y_in)

    assert_resampled_counts(y, np.asarray(y_res), expected)
    assert len(X_res) == len(y_res)
    assert {k: int(v) for k, v in sampler.sampling_strategy_.items()} == {
        k: int(v) for k, v in expected.items()
    }
    wanted = {label for label, n in expected.items() if n > 0}
    assert set(sampler.class_stats_) == wanted
    # Synthetic labels are the classes asked for, nothing else.
    assert set(np.asarray(y_res)[len(y) :]) == wanted


def test_float_strategy_rejected_for_multiclass():
    X, y = three_class_data()
    with pytest.raises(ValueError, match="binary"):
        KNNOR(random_state=0, sampling_strategy=0.5).fit_resample(X, y)
