"""
=============================
Over-sample a binary data set
=============================

A binary problem with one class ten times rarer than the other: KNNOR balances it, and
inside an imbalanced-learn pipeline it does so on the training folds only, so the
cross-validated scores are honest.
"""

# %%
# The data: 1,000 rows, 10 % of them in the minority class
# ---------------------------------------------------------
from collections import Counter

import matplotlib.pyplot as plt
from imblearn.pipeline import make_pipeline
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate

from knnor import KNNOR

X, y = make_classification(
    n_samples=1000,
    n_features=2,
    n_informative=2,
    n_redundant=0,
    n_clusters_per_class=1,
    weights=[0.9, 0.1],
    class_sep=0.8,
    random_state=4,
)
print(Counter(y.tolist()))

# %%
# Resample
# --------
# ``fit_resample`` returns the original rows first, unchanged, then the synthetic ones;
# ``class_stats_`` says how many candidates the reliability filter rejected on the way.
sampler = KNNOR(random_state=0)
X_res, y_res = sampler.fit_resample(X, y)
print(Counter(y_res.tolist()))
stats = sampler.class_stats_[1]
print(
    f"{stats['n_generated']} candidates, {stats['n_accepted']} accepted, "
    f"{stats['n_rejected_filter']} rejected by the filter"
)

fig, axes = plt.subplots(1, 2, figsize=(9, 4), sharex=True, sharey=True)
for ax, (title, rows, labels) in zip(
    axes, [("original", X, y), ("after KNNOR", X_res, y_res)], strict=True
):
    ax.scatter(*rows[labels == 0].T, s=6, c="lightgray", label="majority")
    ax.scatter(*rows[labels == 1].T, s=6, c="tab:orange", label="minority")
    ax.set_title(title)
axes[0].legend()

# %%
# In a pipeline
# -------------
# The sampler runs in ``fit`` only: the test folds are scored as they are.
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scoring = ["f1", "balanced_accuracy"]
for name, model in {
    "logistic regression": LogisticRegression(),
    "KNNOR + logistic regression": make_pipeline(KNNOR(random_state=0), LogisticRegression()),
}.items():
    scores = cross_validate(model, X, y, cv=cv, scoring=scoring)
    print(
        f"{name:28} F1 {scores['test_f1'].mean():.3f}  "
        f"balanced accuracy {scores['test_balanced_accuracy'].mean():.3f}"
    )
