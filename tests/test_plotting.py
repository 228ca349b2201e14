"""knnor.plotting: the real vs synthetic grid shows what it says it shows."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from knnor.plotting import plot_real_vs_synthetic  # noqa: E402


def resampled(n_real=(10, 4), n_synthetic=(0, 6), shape=(5, 5)):
    """Images whose first pixel is their own row number, to trace them."""
    counts = [n_real[0], n_real[1], n_synthetic[0], n_synthetic[1]]
    y = np.repeat([0, 1, 0, 1], counts)
    X = np.zeros((len(y), *shape))
    X.reshape(len(y), -1)[:, 0] = np.arange(len(y))
    return X, y, sum(n_real)


def shown_rows(ax):
    return int(ax.images[0].get_array()[0, 0])


def test_each_row_shows_real_then_synthetic_images_of_its_class():
    X, y, n_original = resampled()
    figure = plot_real_vs_synthetic(X, y, n_original, n_images=3)
    axes = np.array(figure.axes).reshape(1, 6)  # only class 1 got synthetic images
    real = [shown_rows(ax) for ax in axes[0, :3]]
    synthetic = [shown_rows(ax) for ax in axes[0, 3:]]
    assert all(10 <= r < 14 for r in real), real  # class 1's real rows
    assert all(r >= 14 for r in synthetic), synthetic
    assert len(set(real)) == 3 and len(set(synthetic)) == 3
    assert axes[0, 0].get_ylabel() == "1"


def test_short_classes_leave_blank_cells_and_rgb_is_scaled():
    X, y, n_original = resampled(n_real=(10, 2), n_synthetic=(3, 1), shape=(4, 4, 3))
    figure = plot_real_vs_synthetic(X, y, n_original, n_images=4, classes=[0, 1])
    axes = np.array(figure.axes).reshape(2, 8)
    assert [len(ax.images) for ax in axes[1]] == [1, 1, 0, 0, 1, 0, 0, 0]
    shown = axes[0, 0].images[0].get_array()
    assert shown.min() >= 0 and shown.max() <= 1


def test_bad_input_is_refused():
    X, y, n_original = resampled()
    with pytest.raises(ValueError, match="n_original"):
        plot_real_vs_synthetic(X, y, len(X) + 1)
    with pytest.raises(ValueError, match="no synthetic images"):
        plot_real_vs_synthetic(X, y, len(X))
    with pytest.raises(ValueError, match="2 channels"):
        plot_real_vs_synthetic(np.zeros((20, 4, 4, 2)), y, n_original)
