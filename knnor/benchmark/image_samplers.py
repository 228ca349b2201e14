"""The samplers of the image benchmark, by name: they take images and return images.

Every sampler's ``fit_resample`` takes images of shape ``(n, H, W[, C])`` and
returns the original images first, then the synthetic ones, in the input's
dtype and observed value range (rounded for integer pixels), as
:class:`knnor.KNNORImage` does:

- ``none``: the training set as it is;
- ``class_weight``: no resampling; the classifier weighs the classes instead
  (see :func:`knnor.benchmark.image_protocol.run_image_task`);
- ``random``: imbalanced-learn's ``RandomOverSampler`` on the flattened pixels;
- ``smote_pixels``: imbalanced-learn's ``SMOTE`` on the flattened pixels;
- ``smote_latent``: DeepSMOTE's recipe (Dablain et al., 2022) with PCA for the
  autoencoder: SMOTE in the space of ``PCA(n_components=0.95)`` fitted on the
  training set, the new codes decoded with ``inverse_transform``;
- ``knnor_pixels``: ``KNNORImage()``;
- ``knnor_latent``: ``KNNORImage(encoder=PCA(n_components=0.95))``.

Both SMOTEs use ``k_neighbors=3``, KNNORImage's ``n_neighbors``, so that every
neighbour-based sampler needs the same ``k + 1`` images per class
(:func:`min_class_size`) and sees neighbourhoods of the same size. Both
latent samplers use the same PCA (full SVD: deterministic).
"""

import numbers

import numpy as np
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.utils import check_sampling_strategy
from sklearn.decomposition import PCA

from knnor.benchmark.specs import instantiate, parse_spec, resolve
from knnor.image import KNNORImage, as_images

LATENT_COMPONENTS = 0.95
"""PCA's ``n_components`` in the latent samplers: the share of variance kept."""

NEIGHBOURS = 3
"""``k`` of every neighbour-based sampler (SMOTE's ``k_neighbors``, KNNOR's ``n_neighbors``)."""


def _flat(images):
    return images.reshape(images.shape[0], -1).astype(np.float64)


def _latent_pca(n_components):
    return PCA(n_components=n_components, svd_solver="full")


class NoResampling:
    """Return the training images unchanged: the baseline an oversampler must beat."""

    #: Whether the classifiers weigh the classes (balanced weights) instead.
    class_weighting = False

    def fit_resample(self, X, y):
        """Return ``X, y`` as given."""
        return X, y


class ClassWeighting(NoResampling):
    """No resampling: the classifiers get balanced class weights instead."""

    class_weighting = True


class PixelSampler:
    """An imbalanced-learn over-sampler run on the flattened pixels.

    Parameters
    ----------
    sampler : object with ``fit_resample``
        Takes rows ``(n, H*W*C)``; returns the originals first.
    """

    def __init__(self, sampler):
        self.sampler = sampler

    def fit_resample(self, X, y):
        """Resample the flattened images; return images like ``X``."""
        images = np.asarray(X)
        rows, y_res = self.sampler.fit_resample(_flat(images), y)
        return np.concatenate([images, as_images(rows[len(images) :], images)]), y_res


class LatentSMOTE:
    """SMOTE on PCA codes, decoded back to images (DeepSMOTE with PCA for the autoencoder).

    PCA is fitted on the flattened training images; SMOTE interpolates their
    codes; ``inverse_transform`` decodes the new codes, which are rounded
    (integer pixels) and clipped to the training images' range. The original
    images are returned untouched, first.

    Parameters
    ----------
    n_components : int or float, default=LATENT_COMPONENTS
        PCA's ``n_components`` (a float: the share of variance kept).
    k_neighbors : int, default=NEIGHBOURS
    sampling_strategy : str, float, dict or callable, default="auto"
    random_state : int or None, default=None
    """

    def __init__(
        self,
        n_components=LATENT_COMPONENTS,
        k_neighbors=NEIGHBOURS,
        sampling_strategy="auto",
        random_state=None,
    ):
        self.n_components = n_components
        self.k_neighbors = k_neighbors
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state

    def fit_resample(self, X, y):
        """Resample in the latent space; return images like ``X``."""
        images = np.asarray(X)
        pixels = _flat(images)
        self.encoder_ = _latent_pca(self.n_components).fit(pixels)
        codes = self.encoder_.transform(pixels)
        smote = SMOTE(
            sampling_strategy=self.sampling_strategy,
            k_neighbors=self.k_neighbors,
            random_state=self.random_state,
        )
        codes_res, y_res = smote.fit_resample(codes, y)
        new = codes_res[len(images) :]
        decoded = self.encoder_.inverse_transform(new) if len(new) else new
        return np.concatenate([images, as_images(decoded, images)]), y_res


def random_oversampler(random_state=None, **params):
    """``random``: RandomOverSampler on the flattened pixels."""
    return PixelSampler(RandomOverSampler(random_state=random_state, **params))


def smote_pixels(random_state=None, k_neighbors=NEIGHBOURS, **params):
    """``smote_pixels``: SMOTE on the flattened pixels."""
    return PixelSampler(SMOTE(k_neighbors=k_neighbors, random_state=random_state, **params))


def knnor_pixels(random_state=None, **params):
    """``knnor_pixels``: ``KNNORImage(**params)`` on the pixels."""
    return KNNORImage(random_state=random_state, **params)


def knnor_latent(random_state=None, n_components=LATENT_COMPONENTS, **params):
    """``knnor_latent``: ``KNNORImage(encoder=PCA(n_components))``."""
    return KNNORImage(encoder=_latent_pca(n_components), random_state=random_state, **params)


IMAGE_SAMPLERS = {
    "none": NoResampling,
    "random": random_oversampler,
    "class_weight": ClassWeighting,
    "smote_pixels": smote_pixels,
    "smote_latent": LatentSMOTE,
    "knnor_pixels": knnor_pixels,
    "knnor_latent": knnor_latent,
}
"""Image samplers by name: factories taking ``random_state`` and parameters."""


def make_image_sampler(spec, random_state):
    """Build the image sampler a specification names.

    Parameters
    ----------
    spec : str or Spec
        A key of :data:`IMAGE_SAMPLERS` or ``"package.module:ClassName"`` (a
        sampler taking images), optionally with JSON parameters and a label.
    random_state : int

    Returns
    -------
    object with ``fit_resample``
    """
    spec = parse_spec(spec)
    return instantiate(resolve(spec.name, IMAGE_SAMPLERS, "sampler"), spec.params, random_state)


def min_class_size(sampler):
    """Images a class needs for ``sampler`` to over-sample it: ``k + 1``, or 1.

    ``k`` is the integer ``n_neighbors`` or ``k_neighbors`` of the sampler
    (or of the imbalanced-learn sampler a :class:`PixelSampler` wraps).
    """
    inner = getattr(sampler, "sampler", sampler)
    for name in ("n_neighbors", "k_neighbors"):
        k = getattr(inner, name, None)
        if isinstance(k, numbers.Integral) and not isinstance(k, bool):
            return int(k) + 1
    return 1


def too_small_classes(sampler, y):
    """The classes ``sampler`` would over-sample that have fewer than :func:`min_class_size`.

    Parameters
    ----------
    sampler : object with ``fit_resample``
    y : ndarray of shape (n,)

    Returns
    -------
    list of (label, count)
        Smallest first; empty when the sampler can run.
    """
    needed = min_class_size(sampler)
    if needed <= 1:
        return []
    labels, counts = np.unique(y, return_counts=True)
    inner = getattr(sampler, "sampler", sampler)
    strategy = getattr(inner, "sampling_strategy", "auto")
    try:
        grown = {
            label
            for label, n in check_sampling_strategy(strategy, y, "over-sampling").items()
            if n > 0
        }
    except (ValueError, TypeError):  # the sampler will say what is wrong with it
        grown = set(labels[counts < counts.max()].tolist())
    small = [
        (label, int(n))
        for label, n in zip(labels.tolist(), counts.tolist(), strict=True)
        if label in grown and n < needed
    ]
    return sorted(small, key=lambda pair: pair[1])
