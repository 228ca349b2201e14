"""
====================================================
Where each synthetic row comes from: ``provenance_``
====================================================

Every synthetic row is the end point of a walk from a seed toward its nearest neighbours
in the class. ``provenance_`` records the rows of ``X`` the walk used (the seed first, then
the neighbours, nearest first) and ``walk_weights_`` the weight of each in the result, so
each synthetic row can be traced back, checked and explained.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from knnor import KNNOR

data = load_breast_cancer()
X = StandardScaler().fit_transform(data.data)
y = data.target  # 0 = malignant (212 rows), 1 = benign (357)
sampler = KNNOR(random_state=0)
X_res, y_res = sampler.fit_resample(X, y)
n = len(X)
print("provenance_:", sampler.provenance_.shape, " walk_weights_:", sampler.walk_weights_.shape)
print(sampler.provenance_[:3])
print(sampler.walk_weights_[:3].round(3))

# %%
# A synthetic row is the weighted sum of its sources
# --------------------------------------------------
# The weights of a row sum to 1 and reproduce it exactly (padding, ``-1`` in
# ``provenance_`` for walks shortened by relaxation, has weight 0).
sources = np.where(sampler.provenance_ >= 0, sampler.provenance_, 0)
rebuilt = np.einsum("ij,ijk->ik", sampler.walk_weights_, X[sources])
print("largest difference:", np.abs(rebuilt - X_res[n:]).max())
print("weights sum to 1:", np.allclose(sampler.walk_weights_.sum(axis=1), 1))
print("every source is a malignant row:", bool((y[sampler.provenance_[:, 0]] == 0).all()))

# %%
# How the weight is spread along the walk
# ---------------------------------------
# With a step ``a`` drawn per row, the seed keeps ``(1 - a)^k`` and the ``j``-th
# neighbour gets ``a (1 - a)^(k - j)``: the nearest neighbours, walked last, weigh most,
# and the last weight is the step itself.
labels = ["seed"] + [f"neighbour {j}" for j in range(1, sampler.walk_weights_.shape[1])]
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
axes[0].boxplot(sampler.walk_weights_, tick_labels=labels)
axes[0].set_ylabel("weight in the synthetic row")
axes[0].set_title("walk_weights_")
axes[1].hist(sampler.walk_weights_[:, -1], bins=20, color="tab:orange")
axes[1].set_xlabel("step a (the last weight)")
axes[1].set_title("steps drawn, a ~ U(0, max_dist_point)")

# %%
# How often each row seeds
# ------------------------
# The seeds are visited in a random order, each once before any is used twice, so the
# counts differ by at most one while the seed set stays the same.
seed_counts = np.bincount(sampler.provenance_[:, 0], minlength=n)[y == 0]
print("seed uses per malignant row:", np.unique(seed_counts, return_counts=True))

# %%
# A single row, explained
# -----------------------
row = 0
for source, weight in zip(sampler.provenance_[row], sampler.walk_weights_[row], strict=True):
    if source >= 0:
        print(f"row {source:3d} of X ({data.target_names[y[source]]}) weight {weight:.3f}")
