"""
=============================================
Rare image classes: ``KNNORImage`` on digits
=============================================

:class:`~knnor.KNNORImage` takes images, ``(n, H, W)`` or ``(n, H, W, C)``, and returns
new images of the rare classes in the same shape, dtype and value range. Here on
scikit-learn's 8x8 digits, with three classes cut down to 15 images each, first on the
pixels, then in the latent space of a PCA, where the walk and the filter run on codes and
only accepted codes are decoded.
"""

# %%
from collections import Counter

import numpy as np
from imblearn.pipeline import make_pipeline
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

from knnor import FlattenImages, KNNORImage
from knnor.plotting import plot_real_vs_synthetic

digits = load_digits()
images, labels = digits.images, digits.target
train, test = train_test_split(np.arange(len(labels)), stratify=labels, random_state=0)
rng = np.random.default_rng(0)
rare = [3, 5, 8]
keep = np.concatenate(
    [
        rng.choice(train[labels[train] == c], 15, replace=False)
        if c in rare
        else train[labels[train] == c]
        for c in range(10)
    ]
)
X, y = images[keep], labels[keep]
print(X.shape, X.dtype, sorted(Counter(y.tolist()).items()))

# %%
# On the pixels
# -------------
sampler = KNNORImage(random_state=0)
X_res, y_res = sampler.fit_resample(X, y)
print(X_res.shape, sorted(Counter(y_res[len(X) :].tolist()).items()))
figure = plot_real_vs_synthetic(X_res, y_res, len(X), classes=rare, n_images=5)

# %%
# In a PCA latent space
# ---------------------
# The encoder is cloned and fitted on the flattened images; originals come back untouched.
latent = KNNORImage(encoder=PCA(n_components=0.95), random_state=0)
X_lat, y_lat = latent.fit_resample(X, y)
print("originals untouched:", np.array_equal(X_lat[: len(X)], X))
figure = plot_real_vs_synthetic(X_lat, y_lat, len(X), classes=rare, n_images=5)

# %%
# In a pipeline
# -------------
# ``FlattenImages`` turns the images into rows for the classifier. Balanced accuracy on a
# test set with every class at its full size:
for name, sampler in {
    "no over-sampling": None,
    "KNNORImage (pixels)": KNNORImage(random_state=0),
    "KNNORImage (PCA codes)": latent,
}.items():
    model = make_pipeline(sampler, FlattenImages(), LogisticRegression(max_iter=2000))
    model.fit(X, y)
    score = balanced_accuracy_score(labels[test], model.predict(images[test]))
    print(f"{name:24} {score:.3f}")
