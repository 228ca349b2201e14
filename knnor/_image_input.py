"""Input checks of the image adapter, run before any heavy work.

Images are 3-D/4-D arrays that imbalanced-learn's 2-D validation rejects, so
they are checked here, with messages that name the class and the fix.
"""

import numpy as np
from sklearn.utils.multiclass import type_of_target

from knnor._adapter import check_label_types

#: Methods an encoder must have.
ENCODER_METHODS = ("fit", "transform", "inverse_transform")


def check_encoder(encoder):
    if encoder is None:
        return
    missing = [name for name in ENCODER_METHODS if not callable(getattr(encoder, name, None))]
    if missing:
        raise TypeError(
            f"KNNORImage: encoder must have fit, transform and inverse_transform; "
            f"{type(encoder).__name__} has no {', '.join(missing)}. Pass e.g. "
            "sklearn.decomposition.PCA(n_components=0.95), or wrap your model in a class "
            "with those three methods (see docs/image.md)."
        )


def check_images(X):
    """``X`` as an array of ``(n, H, W)`` or ``(n, H, W, C)`` finite numbers."""
    if hasattr(X, "dtypes") or hasattr(X, "tocsr"):
        raise TypeError(
            f"KNNORImage takes images as a numpy array of shape (n, H, W) or (n, H, W, C), "
            f"got {type(X).__name__}; for tables use KNNOR."
        )
    try:
        images = np.asarray(X)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            "KNNORImage: the images do not all have the same shape; resize them to one "
            f"(H, W[, C]) first ({error})."
        ) from None
    if images.dtype == object:
        raise ValueError(
            "KNNORImage: the images do not all have the same shape, or are not numbers; "
            "pass one numeric array of shape (n, H, W) or (n, H, W, C)."
        )
    if images.dtype.kind not in "biuf":
        raise TypeError(
            f"KNNORImage: images must be numbers, got dtype {images.dtype}; convert them, "
            "e.g. X.astype(np.float32)."
        )
    if images.ndim not in (3, 4):
        raise ValueError(
            f"KNNORImage takes images of shape (n, H, W) or (n, H, W, C), got {images.ndim}-D "
            f"X of shape {images.shape}. Reshape flattened images with "
            "X.reshape(n, H, W), or use KNNOR for tabular data."
        )
    if images.shape[0] == 0 or images[0].size == 0:
        raise ValueError(f"KNNORImage: X of shape {images.shape} holds no pixels.")
    if images.dtype.kind == "f" and not np.isfinite(images).all():
        raise ValueError(
            "KNNORImage: X contains NaN or infinite pixels; fill or drop those images first."
        )
    return images


def check_labels(y, n_images):
    """``y`` as 1-D class labels, one per image."""
    check_label_types(y)
    labels = np.asarray(y)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.ravel()
    if labels.ndim != 1:
        raise ValueError(
            f"KNNORImage: y must be 1-D class labels, got shape {labels.shape}; "
            "for one-hot labels pass y.argmax(axis=1)."
        )
    if labels.shape[0] != n_images:
        raise ValueError(
            f"KNNORImage: X has {n_images} images but y has {labels.shape[0]} labels; "
            "pass one label per image."
        )
    kind = type_of_target(labels)
    if kind not in ("binary", "multiclass"):
        raise ValueError(
            f"KNNORImage: y must be class labels, got a {kind} target; for rare target "
            "values use KNNORReg."
        )
    return labels
