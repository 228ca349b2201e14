"""KNNORWarning: every shortfall warning has it, and it is still a UserWarning."""

import warnings

import numpy as np
import pytest
from _data import binary_data, hopeless_data

import knnor
from knnor import KNNOR, KNNORImage, KNNORReg, KNNORWarning


def hopeless_regression():
    """hopeless_data's minority rows carry rare high targets: the rare bump's walks fail."""
    X, y = hopeless_data()
    rng = np.random.default_rng(0)
    return X, np.where(y == 1, 100.0 + rng.normal(size=len(y)), rng.normal(size=len(y)))


def hopeless_images():
    X, y = hopeless_data()
    return X.reshape(-1, 1, 2), y


@pytest.mark.parametrize(
    ("sampler", "data", "name"),
    [
        (KNNOR(random_state=0), hopeless_data, "KNNOR"),
        (KNNORReg(random_state=0), hopeless_regression, "KNNORReg"),
        (KNNORImage(random_state=0), hopeless_images, "KNNORImage"),
    ],
)
def test_every_shortfall_is_a_knnor_warning(sampler, data, name):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        sampler.fit_resample(*data())
    shortfalls = [w for w in record if f"{name} accepted" in str(w.message)]
    assert shortfalls, [str(w.message) for w in record]
    assert all(w.category is KNNORWarning for w in shortfalls)


def test_knnor_warning_is_a_user_warning_that_filters_alone():
    assert issubclass(KNNORWarning, UserWarning)
    assert knnor.KNNORWarning is knnor.exceptions.KNNORWarning
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.filterwarnings("ignore", category=KNNORWarning)
        KNNOR(random_state=0).fit_resample(*hopeless_data())  # the shortfall is silenced
        with pytest.raises(UserWarning, match="not a shortfall"):
            warnings.warn("not a shortfall", UserWarning, stacklevel=1)


def test_no_knnor_warning_when_every_class_is_filled():
    with warnings.catch_warnings():
        warnings.simplefilter("error", KNNORWarning)
        KNNOR(random_state=0).fit_resample(*binary_data())
