"""Figures to eyeball what a sampler made (needs matplotlib: ``pip install knnor[plot]``)."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plot_real_vs_synthetic(
    X_resampled: ArrayLike,
    y_resampled: ArrayLike,
    n_original: int,
    *,
    n_images: int = 6,
    classes: Sequence | None = None,
    cmap: str = "gray",
    random_state: int | None = 0,
) -> "Figure":
    """A grid of real and synthetic images, one row per class.

    Each row shows ``n_images`` real images of a class, then ``n_images``
    synthetic ones, drawn at random: enough to see whether the new images
    look like the class or like blurred averages.

    Parameters
    ----------
    X_resampled : ndarray of shape (n, H, W) or (n, H, W, C)
        What :meth:`KNNORImage.fit_resample` (or any sampler that puts the
        originals first) returned.
    y_resampled : ndarray of shape (n,)
        Their labels.
    n_original : int
        How many of the first images are real (``len(X)``).
    n_images : int, default=6
        Images of each kind per row (fewer when a class has fewer).
    classes : list or None, default=None
        The classes to show, one row each; ``None``: every class that got
        synthetic images.
    cmap : str, default="gray"
        Colour map of one-channel images.
    random_state : int or None, default=0
        Which images are drawn.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_digits
    >>> from knnor import KNNORImage
    >>> from knnor.plotting import plot_real_vs_synthetic
    >>> digits = load_digits()
    >>> X, y = digits.images, (digits.target == 1).astype(int)
    >>> X_res, y_res = KNNORImage(random_state=0).fit_resample(X, y)
    >>> figure = plot_real_vs_synthetic(X_res, y_res, len(X), n_images=4)
    >>> len(figure.axes)
    8
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("knnor.plotting needs matplotlib: pip install 'knnor[plot]'") from None
    images, labels = np.asarray(X_resampled), np.asarray(y_resampled)
    if images.ndim not in (3, 4) or labels.shape != images.shape[:1]:
        raise ValueError(
            "plot_real_vs_synthetic takes images of shape (n, H, W) or (n, H, W, C) and one "
            f"label each; got X_resampled {images.shape} and y_resampled {labels.shape}."
        )
    if images.ndim == 4 and images.shape[3] not in (1, 3, 4):
        raise ValueError(
            f"plot_real_vs_synthetic shows grey, RGB or RGBA images; these have "
            f"{images.shape[3]} channels. Pass one channel, e.g. X_resampled[..., 0]."
        )
    if not 0 <= n_original <= len(images):
        raise ValueError(f"n_original must be in [0, {len(images)}], got {n_original}.")
    is_synthetic = np.arange(len(images)) >= n_original
    if classes is None:
        classes = [c for c in np.unique(labels) if np.any(is_synthetic & (labels == c))]
    if not len(classes):
        raise ValueError("There are no synthetic images to show (n_original == len(X)).")
    rng = np.random.default_rng(random_state)
    low, high = float(images.min()), float(images.max())
    figure, axes = plt.subplots(
        len(classes),
        2 * n_images,
        figsize=(1.1 * 2 * n_images, 1.2 * len(classes)),
        squeeze=False,
    )
    for row, label in enumerate(classes):
        for kind, mask in ((0, ~is_synthetic), (1, is_synthetic)):
            rows = np.flatnonzero(mask & (labels == label))
            chosen = np.sort(rng.choice(rows, size=min(n_images, len(rows)), replace=False))
            for column in range(n_images):
                ax = axes[row, kind * n_images + column]
                ax.set_xticks([])
                ax.set_yticks([])
                if column < len(chosen):
                    _show(ax, images[chosen[column]], cmap, low, high)
                else:
                    ax.set_axis_off()
        axes[row, 0].set_ylabel(str(label))
    axes[0, 0].set_title("real", loc="left", fontsize="small")
    axes[0, n_images].set_title("synthetic", loc="left", fontsize="small")
    figure.tight_layout()
    return figure


def _show(ax, image, cmap, low, high):
    """One image on ``ax``, scaled to the whole set's range."""
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        ax.imshow(image, cmap=cmap, vmin=low, vmax=high)
    else:  # colour: scale to [0, 1] for imshow
        ax.imshow((image.astype(np.float64) - low) / ((high - low) or 1.0))
