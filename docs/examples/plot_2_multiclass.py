"""
=============================================
Multi-class data and a ``sampling_strategy``
=============================================

``sampling_strategy`` takes every form imbalanced-learn accepts. With a dict, each listed
class grows to the number of rows given, and the other classes are left alone.
"""

# %%
from collections import Counter

import matplotlib.pyplot as plt
from sklearn.datasets import make_classification

from knnor import KNNOR

X, y = make_classification(
    n_samples=1200,
    n_features=2,
    n_informative=2,
    n_redundant=0,
    n_classes=3,
    n_clusters_per_class=1,
    weights=[0.75, 0.2, 0.05],
    class_sep=1.2,
    random_state=2,
)
print("before:", sorted(Counter(y.tolist()).items()))

# %%
# Grow class 1 to 500 rows and class 2 to 300; class 0 stays as it is.
sampler = KNNOR(sampling_strategy={1: 500, 2: 300}, random_state=0)
X_res, y_res = sampler.fit_resample(X, y)
print("after: ", sorted(Counter(y_res.tolist()).items()))
for label, stats in sampler.class_stats_.items():
    print(
        f"class {label}: {stats['n_requested']} requested, {stats['n_accepted']} accepted, "
        f"{stats['n_rejected_filter']} rejected by the filter"
    )

# %%
# The synthetic rows (crosses) stay inside their class's region.
fig, ax = plt.subplots(figsize=(6, 5))
n = len(X)
for label, colour in zip(range(3), ["lightgray", "tab:blue", "tab:orange"], strict=True):
    ax.scatter(*X[y == label].T, s=8, c=colour, label=f"class {label}")
    synthetic = X_res[n:][y_res[n:] == label]
    if len(synthetic):
        ax.scatter(*synthetic.T, s=10, marker="x", c=colour, alpha=0.6)
ax.legend()
ax.set_title("original rows (dots) and synthetic rows (crosses)")

# %%
# The other forms
# ---------------
# ``"not majority"`` (the same as ``"auto"`` for an over-sampler) grows every class to the
# majority's size; ``"minority"`` only the smallest one; a callable returns the dict.
strategies = {
    "'not majority'": "not majority",
    "'minority'": "minority",
    "callable": lambda y: {2: 2 * Counter(y)[2]},  # double class 2
}
for name, strategy in strategies.items():
    _, y_strategy = KNNOR(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
    print(f"{name:>14}:", sorted(Counter(y_strategy.tolist()).items()))
