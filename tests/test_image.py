"""KNNORImage: shapes, dtypes and ranges kept, the encoder path, checks."""

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate
from sklearn.preprocessing import FunctionTransformer

from knnor import KNNOR, FlattenImages, KNNORImage


def make_images(shape=(6, 6), dtype=np.uint8, low=10, high=200, n=(60, 12), seed=0):
    """Two classes of noisy images: a bright top half vs a bright left half."""
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape[:2]))
    patterns = np.zeros((2, *shape[:2]))
    patterns[0, : shape[0] // 2] = 1
    patterns[1, :, : shape[1] // 2] = 1
    images, labels = [], []
    for label, count in enumerate(n):
        base = patterns[label].reshape(shape[:2] + (1,) * (len(shape) - 2))
        noise = rng.normal(0, 0.25, (count, *shape))
        values = low + (high - low) * np.clip(0.2 + 0.6 * base + noise, 0, 1)
        images.append(values)
        labels += [label] * count
    X = np.concatenate(images)
    if np.dtype(dtype).kind in "iu":
        X = np.rint(X)
    assert size  # shapes are never empty
    return X.astype(dtype), np.array(labels)


class RecordingPCA(PCA):
    """PCA that records the shapes it is called with and what it decodes."""

    calls: list = []
    decoded: list = []

    def fit(self, X, y=None):
        RecordingPCA.calls.append(("fit", np.shape(X)))
        return super().fit(X, y)

    def transform(self, X):
        RecordingPCA.calls.append(("transform", np.shape(X)))
        return super().transform(X)

    def inverse_transform(self, X):
        RecordingPCA.calls.append(("inverse_transform", np.shape(X)))
        RecordingPCA.decoded.append(np.array(X, copy=True))
        return super().inverse_transform(X)


CASES = {
    "uint8 grey": dict(shape=(6, 6), dtype=np.uint8, low=10, high=200),
    "uint8 rgb": dict(shape=(5, 5, 3), dtype=np.uint8, low=0, high=255),
    "uint16": dict(shape=(6, 6), dtype=np.uint16, low=100, high=4000),
    "float32": dict(shape=(6, 6), dtype=np.float32, low=-1.0, high=1.0),
    "float64 rgb": dict(shape=(4, 4, 3), dtype=np.float64, low=0.0, high=1.0),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("encoder", [None, "pca"])
def test_shape_dtype_range_and_originals_kept(case, encoder):
    X, y = make_images(**CASES[case])
    X_before = X.copy()
    sampler = KNNORImage(encoder=PCA(n_components=4) if encoder else None, random_state=0)
    with np.errstate(all="raise"):
        X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.dtype == X.dtype and X_res.shape[1:] == X.shape[1:]
    assert np.array_equal(X, X_before), "the caller's array changed"
    assert np.array_equal(X_res[: len(X)], X) and np.array_equal(y_res[: len(y)], y)
    synthetic = X_res[len(X) :]
    assert len(synthetic) == 48 and (y_res[len(y) :] == 1).all()
    assert synthetic.min() >= X.min() and synthetic.max() <= X.max()
    if X.dtype.kind in "iu":
        assert synthetic.dtype == X.dtype  # integers, so rounded
    flat = X_res.reshape(len(X_res), -1)
    assert len(np.unique(flat, axis=0)) == len(flat), "a returned image is a duplicate"


def test_pixels_equal_knnor_on_flattened_columns_of_the_same_dtype():
    # The pixel path is KNNOR on the flattened image, rounded to the dtype
    # before the filter, as KNNOR does for a DataFrame's integer columns.
    X, y = make_images(shape=(5, 5, 3))
    frame = pd.DataFrame(X.reshape(len(X), -1))
    X_tab, y_tab = KNNOR(random_state=3).fit_resample(frame, y)
    sampler = KNNORImage(random_state=3)
    X_img, y_img = sampler.fit_resample(X, y)
    assert np.array_equal(X_img.reshape(len(X_img), -1), X_tab.to_numpy())
    assert np.array_equal(y_img, y_tab)
    tabular = KNNOR(random_state=3).fit(frame, y)
    tabular.fit_resample(frame, y)
    assert np.array_equal(sampler.provenance_, tabular.provenance_)
    assert np.array_equal(sampler.walk_weights_, tabular.walk_weights_)


def test_identity_encoder_gives_the_pixel_path():
    X, y = make_images(shape=(6, 6), dtype=np.float64, low=0.0, high=1.0)
    identity = FunctionTransformer(lambda a: a, inverse_func=lambda a: a)
    X_enc, y_enc = KNNORImage(encoder=identity, random_state=1).fit_resample(X, y)
    X_pix, y_pix = KNNORImage(random_state=1).fit_resample(X, y)
    assert np.array_equal(X_enc, X_pix) and np.array_equal(y_enc, y_pix)


def test_encoder_sees_flat_images_and_decodes_only_accepted_codes():
    X, y = make_images(shape=(6, 6, 2), n=(80, 15))
    RecordingPCA.calls, RecordingPCA.decoded = [], []
    encoder = RecordingPCA(n_components=3)
    sampler = KNNORImage(encoder=encoder, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert not hasattr(encoder, "components_"), "the user's encoder was fitted in place"
    flat = (len(X), 72)
    assert RecordingPCA.calls[:2] == [("fit", flat), ("transform", flat)]
    decodes = [shape for name, shape in RecordingPCA.calls[2:] if name == "inverse_transform"]
    stats = sampler.class_stats_[1]
    n_decoded = stats["n_accepted"] + stats["n_rejected_decoded_duplicate"]
    assert sum(shape[0] for shape in decodes) == n_decoded
    assert all(shape[1] == 3 for shape in decodes)
    # Brute force: every decoded code's nearest original code is of class 1,
    # the unanimous filter's verdict with floor(sqrt(3)) = 1 voter.
    latent = sampler.encoder_.transform(X.reshape(len(X), -1))
    codes = np.concatenate(RecordingPCA.decoded)
    distances = ((codes[:, None, :] - latent[None, :, :]) ** 2).sum(axis=2)
    assert (y[distances.argmin(axis=1)] == 1).all()
    # The first decoded images are the synthetic images, rounded and clipped.
    first = sampler.encoder_.inverse_transform(RecordingPCA.decoded[0][:5])
    expected = np.clip(np.rint(first), X.min(), X.max()).astype(np.uint8)
    assert np.array_equal(X_res[len(X) : len(X) + 5].reshape(5, -1), expected)


def test_walk_weights_rebuild_the_codes():
    X, y = make_images(shape=(6, 6), dtype=np.float64, low=0.0, high=1.0)
    sampler = KNNORImage(encoder=PCA(n_components=4), random_state=0)
    RecordingPCA.decoded = []
    sampler.set_params(encoder=RecordingPCA(n_components=4)).fit_resample(X, y)
    latent = sampler.encoder_.transform(X.reshape(len(X), -1))
    codes = np.concatenate(RecordingPCA.decoded)
    sources = latent[np.maximum(sampler.provenance_, 0)]
    rebuilt = (sampler.walk_weights_[:, :, None] * sources).sum(axis=1)
    assert len(codes) == len(rebuilt)  # no decoded duplicate on this data
    np.testing.assert_allclose(rebuilt, codes, atol=1e-9)


@pytest.mark.parametrize("encoder", [None, "pca"])
def test_same_seed_same_images_whatever_n_jobs(encoder):
    X, y = make_images(shape=(6, 6))
    runs = [
        KNNORImage(
            encoder=PCA(n_components=5) if encoder else None, random_state=seed, n_jobs=n_jobs
        ).fit_resample(X, y)
        for seed, n_jobs in ((7, 1), (7, 2), (7, 1), (8, 1))
    ]
    for X_res, y_res in runs[1:3]:
        assert np.array_equal(X_res, runs[0][0]) and np.array_equal(y_res, runs[0][1])
    assert not np.array_equal(runs[3][0], runs[0][0]), "the seed changes nothing"


def test_pipeline_with_flatten_and_cross_validate():
    digits = load_digits()
    X, y = digits.images.astype(np.uint8), (digits.target == 1).astype(int)
    pipeline = Pipeline(
        [
            ("knnor", KNNORImage(encoder=PCA(n_components=0.95), random_state=0)),
            ("flatten", FlattenImages()),
            ("model", LogisticRegression(max_iter=2000)),
        ]
    )
    scores = cross_validate(pipeline, X, y, cv=3, scoring="balanced_accuracy")
    assert scores["test_score"].min() > 0.8


def test_flatten_images_round_trip_and_shape_check():
    X, _ = make_images(shape=(5, 5, 3))
    flatten = FlattenImages().fit(X)
    rows = flatten.transform(X)
    assert rows.shape == (len(X), 75) and np.array_equal(flatten.inverse_transform(rows), X)
    with pytest.raises(ValueError, match=r"fitted on images of shape \(5, 5, 3\)"):
        flatten.transform(X[:, :4])


class ScaledCodes:
    """A plain encoder (no get_params): the first pixels, scaled by 2."""

    def __init__(self):
        self.n_fits = 0

    def fit(self, X, y=None):
        self.n_fits += 1
        self.width_ = X.shape[1]
        return self

    def transform(self, X):
        return 2.0 * np.asarray(X, dtype=np.float64)

    def inverse_transform(self, codes):
        return codes / 2.0


def test_plain_object_encoder_is_copied_and_used():
    X, y = make_images(shape=(6, 6), dtype=np.float64, low=0.0, high=1.0)
    encoder = ScaledCodes()
    X_res, _ = KNNORImage(encoder=encoder, random_state=0).fit_resample(X, y)
    assert encoder.n_fits == 0, "the user's encoder was fitted in place"
    X_pix, _ = KNNORImage(random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(X_res, X_pix, atol=1e-12)  # a scaled space walks alike


class NoDecoder:
    def fit(self, X):
        return self

    def transform(self, X):
        return X


@pytest.mark.parametrize(
    "X, y, error, match",
    [
        (np.zeros((20, 36)), np.r_[[0] * 15, [1] * 5], ValueError, r"\(n, H, W\).*2-D"),
        ([np.zeros((4, 4))] * 9 + [np.zeros((5, 4))], [0] * 6 + [1] * 4, ValueError, "same shape"),
        (np.full((10, 4, 4), np.nan), [0] * 6 + [1] * 4, ValueError, "NaN"),
        (np.array([[["a"]]] * 10), [0] * 6 + [1] * 4, TypeError, "numbers"),
        (np.zeros((10, 4, 4)), [0] * 9, ValueError, "10 images but y has 9"),
        (pd.DataFrame(np.zeros((10, 4))), [0] * 6 + [1] * 4, TypeError, "use KNNOR"),
        (np.zeros((10, 4, 4)), [[0, 1]] * 10, ValueError, r"1-D class labels.*argmax"),
        (np.zeros((10, 4, 4)), np.linspace(0, 1, 10), ValueError, "continuous.*KNNORReg"),
    ],
)
def test_bad_input_gets_a_clear_error(X, y, error, match):
    with pytest.raises(error, match=match):
        KNNORImage().fit_resample(X, y)


def test_class_too_small_names_the_class_and_the_fix_before_encoding():
    X, y = make_images(n=(30, 3))
    labels = np.where(y == 1, "scratch", "good")
    RecordingPCA.calls = []
    with pytest.raises(ValueError, match=r"class 'scratch' has 3 images.*lower n_neighbors"):
        KNNORImage(encoder=RecordingPCA(2)).fit_resample(X, labels)
    assert RecordingPCA.calls == [], "heavy work ran before the check"


def test_encoder_without_inverse_transform_is_refused():
    X, y = make_images()
    with pytest.raises(TypeError, match="encoder must have.*no inverse_transform"):
        KNNORImage(encoder=NoDecoder()).fit_resample(X, y)


def test_fit_checks_without_generating():
    X, y = make_images()
    sampler = KNNORImage().fit(X, y)
    assert sampler.sampling_strategy_ == {1: 48}
    assert not hasattr(sampler, "provenance_")
