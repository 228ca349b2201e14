"""KNNORImage: KNNOR for rare image classes, on pixels or in a latent space."""

import numbers
import warnings
from typing import Any

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from knnor._adapter import (
    ENGINE_CONSTRAINTS,
    check_request_size,
    check_strategy_counts,
    engine_arguments,
    substitute_engine_docs,
)
from knnor._engine import GroupTooSmallError, output_grid, oversample
from knnor._image_input import check_encoder, check_images, check_labels
from knnor._typing import Auto, FilterRule, FilterSearch, RandomStateLike, SamplingStrategy
from knnor.exceptions import KNNORWarning

#: Engine calls at most, the first included, to replace decoded duplicates.
MAX_DECODE_ROUNDS = 10
#: Counts of the engine's stats that add up over rounds.
COUNTS = (
    "n_generated",
    "n_accepted",
    "n_rejected_filter",
    "n_rejected_duplicate",
    "n_rejected_decoded_duplicate",
)


@substitute_engine_docs
class KNNORImage(BaseOverSampler):
    """KNNOR for images: new images of rare classes, on pixels or in a latent space.

    ``X`` holds images of shape ``(n, H, W)`` or ``(n, H, W, C)``. Without an
    ``encoder`` KNNOR runs on the flattened pixels: each synthetic image is
    an affine combination of images of its class (the seed and the
    neighbours it walked toward, weights in ``walk_weights_``), kept only if
    the reliability filter agrees. With an ``encoder`` (any object with
    ``fit``, ``transform`` and ``inverse_transform``, e.g.
    ``sklearn.decomposition.PCA(0.95)`` or a wrapped autoencoder) a clone is
    fitted on the flattened images, KNNOR *and its filter* run on the codes,
    and only the accepted codes are decoded. Interpolating codes instead of
    pixels gives sharper images when the encoder captures the images' shape
    (DeepSMOTE, Dablain et al. 2022).

    The output keeps the input's shape, dtype and value range: synthetic
    images are clipped to the observed range ``[X.min(), X.max()]`` and
    rounded when the dtype is an integer (pixel interpolation never leaves
    that range; decoded images can). The original images come back first and
    untouched, never round-tripped through the encoder. A decoded image that
    rounds to an original or to another synthetic image is dropped
    (``n_rejected_decoded_duplicate`` in ``class_stats_``).

    Read more in ``docs/image.md``.

    Parameters
    ----------
    encoder : object or None, default=None
        ``None``: KNNOR on pixels. Otherwise an unfitted transformer whose
        ``fit`` and ``transform`` take flattened images of shape
        ``(n, H*W*C)`` and whose ``inverse_transform`` maps codes back to
        ``(m, H*W*C)`` (or ``(m, H, W[, C])``). It is cloned (deep-copied if it
        has no ``get_params``), never fitted in place.

    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers: ``"auto"`` grows every class
        but the majority to the majority's size.

    {n_neighbors}

    {max_dist_point}

    {proportion_minority}

    reliability_filter : bool, default=True
        Keep only candidates whose nearest real images (pixels or codes, the
        space KNNOR runs in) are of their class (see ``filter_rule``).

    {filter_rule}

    {filter_neighbors}

    {filter_search}

    {random_state}

    {n_jobs}

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of images to make for each class.

    encoder_ : object or None
        The fitted clone of ``encoder``.

    image_shape_ : tuple
        ``(H, W)`` or ``(H, W, C)``.

    class_stats_ : dict
        Per class: the counts of the engine (``n_requested``, ``n_accepted``,
        ``n_rejected_filter``, ...) and ``n_rejected_decoded_duplicate``.

    provenance_ : ndarray of shape (n_synthetic, n_neighbors + 1)
        Row indices into ``X`` of each synthetic image's seed, then the
        images walked toward (-1 padded).

    walk_weights_ : ndarray of shape (n_synthetic, n_neighbors + 1)
        The weight of each of those images in the synthetic image (or code).

    See Also
    --------
    KNNOR : The same sampler for tabular data.
    FlattenImages : Flattens images for the estimator after the sampler.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.decomposition import PCA
    >>> from knnor import KNNORImage
    >>> digits = load_digits()  # 8x8 images, grey levels 0 to 16
    >>> X, y = digits.images.astype(np.uint8), (digits.target == 1).astype(int)
    >>> X.shape, np.bincount(y)
    ((1797, 8, 8), array([1615,  182]))
    >>> sampler = KNNORImage(encoder=PCA(n_components=0.95), random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape[1:], X_res.dtype, np.bincount(y_res)
    ((8, 8), dtype('uint8'), array([1615, 1615]))
    >>> bool((X_res[: len(X)] == X).all())
    True
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        **ENGINE_CONSTRAINTS,
        "encoder": "no_validation",
    }

    def __init__(
        self,
        encoder: Any = None,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        n_neighbors: int | Auto = 3,
        max_dist_point: float | Auto = 0.5,
        proportion_minority: float | Auto = 1.0,
        reliability_filter: bool = True,
        filter_rule: FilterRule = "unanimous",
        filter_neighbors: int | Auto = "auto",
        filter_search: FilterSearch = "exact",
        random_state: RandomStateLike = None,
        n_jobs: int | None = None,
    ) -> None:
        super().__init__(sampling_strategy=sampling_strategy)
        self.encoder = encoder
        self.n_neighbors = n_neighbors
        self.max_dist_point = max_dist_point
        self.proportion_minority = proportion_minority
        self.reliability_filter = reliability_filter
        self.filter_rule = filter_rule
        self.filter_neighbors = filter_neighbors
        self.filter_search = filter_search
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit_resample(self, X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Resample the images.

        Parameters
        ----------
        X : array-like of shape (n_samples, H, W) or (n_samples, H, W, C)
            Images of any numeric dtype, finite.

        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        X_resampled : ndarray of shape (n_samples_new, H, W) or (n_samples_new, H, W, C)
            The original images, unchanged and first, then the synthetic ones;
            ``X``'s dtype.

        y_resampled : ndarray of shape (n_samples_new,)
            The labels of ``X_resampled``.
        """
        images, y, classes, codes, n_wanted = self._check_inputs(X, y)
        labels = classes.tolist()
        self.image_shape_ = images.shape[1:]
        self.n_features_in_ = int(np.prod(self.image_shape_))
        pixels = images.reshape(images.shape[0], -1)
        space = self._fit_encoder(pixels)
        # On pixels the engine rounds candidates to the dtype before judging them.
        grid = output_grid([images.dtype] * pixels.shape[1]) if self.encoder_ is None else None
        random_state = check_random_state(self.random_state)
        seen = {_image_key(image) for image in images}
        rounds, remaining, self.class_stats_ = [], dict(n_wanted), {}
        while remaining and len(rounds) < MAX_DECODE_ROUNDS:
            try:
                synthesis = oversample(
                    space,
                    codes.astype(np.int64),
                    remaining,
                    **engine_arguments(self),
                    grid=grid,
                    random_state=random_state,
                )
            except GroupTooSmallError as error:  # n_neighbors="auto" can ask for more
                raise _too_small(labels[error.group], error.n_rows, error.n_needed) from None
            synthetic = self._to_images(synthesis.rows, images)
            keep = _new_and_distinct(synthetic, seen)
            rounds.append((synthetic[keep], synthesis.groups[keep], synthesis, keep))
            for code, stats in synthesis.stats.items():
                n_dropped = int(np.sum((synthesis.groups == code) & ~keep))
                stats["n_rejected_decoded_duplicate"] = n_dropped
                stats["n_accepted"] -= n_dropped
                _merge_stats(self.class_stats_, labels[code], stats)
            # Decoding alone made the shortfall: ask the engine again for what it cost.
            remaining = {
                code: n_wanted[code] - self.class_stats_[labels[code]]["n_accepted"]
                for code, asked in remaining.items()
                if synthesis.stats[code]["n_rejected_decoded_duplicate"] > 0
                and synthesis.stats[code]["n_accepted"]
                + synthesis.stats[code]["n_rejected_decoded_duplicate"]
                == asked
            }
        for label, stats in self.class_stats_.items():
            stats["n_requested"] = int(self.sampling_strategy_[label])
            self._warn_shortfall(label, stats)
        synthetic, groups, self.provenance_, self.walk_weights_ = _by_class(rounds, n_wanted)
        X_res = np.concatenate([images, synthetic])
        y_res = np.concatenate([y, classes[groups].astype(y.dtype, copy=False)])
        return X_res, y_res

    def fit(self, X: ArrayLike, y: ArrayLike) -> "KNNORImage":
        """Check the images, labels and parameters and set ``sampling_strategy_``.

        Use :meth:`fit_resample` to get the images; this only validates.
        """
        self._check_inputs(X, y)
        return self

    def _fit_resample(self, X, y):  # pragma: no cover - fit_resample does the work
        raise NotImplementedError

    def _check_inputs(self, X, y):
        """Every check that runs before heavy work; sets ``sampling_strategy_``.

        Returns the images, the 1-D labels, the sorted classes, each row's
        class code and the number of images wanted per code.
        """
        self._validate_params()
        check_encoder(self.encoder)
        images = check_images(X)
        y = check_labels(y, images.shape[0])
        check_strategy_counts(self.sampling_strategy, y, images[0].size, "KNNORImage")
        self.sampling_strategy_ = check_sampling_strategy(
            self.sampling_strategy, y, self._sampling_type
        )
        classes, codes = np.unique(y, return_inverse=True)
        labels = classes.tolist()
        code_of = {label: code for code, label in enumerate(labels)}
        n_wanted = {code_of[label]: n for label, n in self.sampling_strategy_.items() if n > 0}
        self._check_class_sizes(labels, codes, n_wanted)
        check_request_size(
            {labels[code]: n for code, n in n_wanted.items()}, images[0].size, "KNNORImage"
        )
        return images, y, classes, codes, n_wanted

    def _check_class_sizes(self, labels, codes, n_wanted):
        """Name a class too small for the walk before any heavy work."""
        if not isinstance(self.n_neighbors, numbers.Integral):
            return
        counts = np.bincount(codes, minlength=len(labels))
        for code in n_wanted:
            if counts[code] < self.n_neighbors + 1:
                raise _too_small(labels[code], int(counts[code]), self.n_neighbors + 1)

    def _fit_encoder(self, pixels):
        """Set ``encoder_``; return the float64 rows KNNOR runs on."""
        if self.encoder is None:
            self.encoder_ = None
            return np.ascontiguousarray(pixels, dtype=np.float64)
        self.encoder_ = clone(self.encoder, safe=False)  # deep copy without get_params
        self.encoder_.fit(pixels)
        codes = np.asarray(self.encoder_.transform(pixels))
        if codes.ndim != 2 or codes.shape[0] != pixels.shape[0]:
            raise ValueError(
                f"KNNORImage: encoder.transform returned shape {codes.shape} for "
                f"{pixels.shape[0]} images; it must return one row of codes per image, "
                "shape (n_images, n_components)."
            )
        if not np.isfinite(codes).all():
            raise ValueError("KNNORImage: encoder.transform returned NaN or infinite codes.")
        return np.ascontiguousarray(codes, dtype=np.float64)

    def _to_images(self, rows, images):
        """Synthetic rows (pixels or codes) as images of ``images``' dtype and range."""
        n_new = rows.shape[0]
        if self.encoder_ is None:
            return rows.astype(images.dtype).reshape((n_new,) + images.shape[1:])
        decoded = np.asarray(self.encoder_.inverse_transform(rows)) if n_new else rows
        if decoded.size != n_new * images[0].size:
            raise ValueError(
                f"KNNORImage: encoder.inverse_transform returned shape {decoded.shape} for "
                f"{n_new} codes; it must return {n_new} images of {images[0].size} pixels."
            )
        return as_images(decoded, images)

    def _warn_shortfall(self, label, stats):
        if stats["n_accepted"] < stats["n_requested"]:
            warnings.warn(
                f"KNNORImage accepted {stats['n_accepted']} of the {stats['n_requested']} "
                f"images requested for class {label!r} after {stats['n_generated']} "
                f"attempts ({stats['n_rejected_filter']} rejected by the filter, "
                f"{stats['n_rejected_duplicate']} duplicates, "
                f"{stats['n_rejected_decoded_duplicate']} duplicates once decoded); "
                "returning those.",
                KNNORWarning,
                stacklevel=3,
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = False
        return tags


def as_images(rows, like):
    """Rows (flattened or not) as images of ``like``'s shape, dtype and value range.

    Integer pixels are rounded; every pixel is clipped to ``[like.min(), like.max()]``.
    """
    images = np.asarray(rows, dtype=np.float64).reshape((-1, *like.shape[1:]))
    if like.dtype.kind in "biu":
        images = np.rint(images)
    if like.size:
        images = np.clip(images, like.min(), like.max())
    return images.astype(like.dtype)


class FlattenImages(TransformerMixin, BaseEstimator):
    """Flatten images ``(n, H, W[, C])`` to rows ``(n, H*W*C)`` for the next step.

    Put it after :class:`KNNORImage` in an ``imblearn.pipeline.Pipeline``:
    the sampler needs images, most estimators need rows.

    Examples
    --------
    >>> import numpy as np
    >>> from knnor.image import FlattenImages
    >>> FlattenImages().fit_transform(np.zeros((5, 8, 8, 3))).shape
    (5, 192)
    """

    def fit(self, X: ArrayLike, y: Any = None) -> "FlattenImages":
        """Record the image shape."""
        self.image_shape_ = check_images(X).shape[1:]
        self.n_features_in_ = int(np.prod(self.image_shape_))
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Flatten each image."""
        check_is_fitted(self)
        images = check_images(X)
        if images.shape[1:] != self.image_shape_:
            raise ValueError(
                f"FlattenImages was fitted on images of shape {self.image_shape_}, "
                f"got {images.shape[1:]}."
            )
        return images.reshape(images.shape[0], -1)

    def inverse_transform(self, X: ArrayLike) -> np.ndarray:
        """Rows back to images."""
        check_is_fitted(self)
        return np.asarray(X).reshape((-1,) + tuple(self.image_shape_))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.requires_fit = True
        return tags


def _too_small(label, n_rows, n_needed):
    return ValueError(
        f"KNNORImage: class {label!r} has {n_rows} images, fewer than n_neighbors + 1 = "
        f"{n_needed}; lower n_neighbors or leave this class out of sampling_strategy."
    )


def _image_key(image):
    """Bytes equal for equal images (-0.0 made 0.0)."""
    return (image + 0.0 if image.dtype.kind == "f" else image).tobytes()


def _new_and_distinct(synthetic, seen):
    """Mask of the images not in ``seen`` (the keys of images kept so far), each
    counted once; ``seen`` takes the new keys."""
    keep = np.ones(synthetic.shape[0], dtype=bool)
    for i, image in enumerate(synthetic):
        key = _image_key(image)
        keep[i] = key not in seen
        seen.add(key)
    return keep


def _merge_stats(class_stats, label, stats):
    """Add one engine call's stats for ``label`` to ``class_stats``."""
    if label not in class_stats:
        class_stats[label] = stats
        return
    for name in COUNTS:
        class_stats[label][name] += stats[name]


def _by_class(rounds, n_wanted):
    """The kept images of every round, grouped by class in the order asked for:
    images, class codes, provenance and walk weights (padded to one width)."""
    width = max(synthesis.provenance.shape[1] for *_, synthesis, _ in rounds)

    def padded(block, fill):
        out = np.full((block.shape[0], width), fill, dtype=block.dtype)
        out[:, : block.shape[1]] = block
        return out

    images = np.concatenate([kept for kept, *_ in rounds])
    groups = np.concatenate([codes for _, codes, *_ in rounds])
    provenance = np.concatenate([padded(s.provenance[keep], -1) for *_, s, keep in rounds])
    weights = np.concatenate([padded(s.weights[keep], 0.0) for *_, s, keep in rounds])
    rank = {code: position for position, code in enumerate(n_wanted)}
    order = np.argsort([rank[code] for code in groups], kind="stable")
    return images[order], groups[order], provenance[order], weights[order]
