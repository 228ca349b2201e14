"""
=============================================
Tune KNNOR's parameters with ``GridSearchCV``
=============================================

KNNOR is a step of an ``imblearn.pipeline.Pipeline`` like any other, so its parameters are
tuned with scikit-learn's search tools under the name ``<step>__<parameter>``. The sampler
runs on the training part of each split only: the validation rows are never resampled.
"""

# %%
import matplotlib.pyplot as plt
import pandas as pd
from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from knnor import KNNOR

X, y = make_classification(
    n_samples=1500, n_features=8, n_informative=4, weights=[0.93, 0.07], random_state=0
)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

pipeline = Pipeline(
    [
        ("scale", StandardScaler()),
        ("knnor", KNNOR(random_state=0)),
        ("classify", KNeighborsClassifier()),
    ]
)

# %%
# The grid: the walk's length, its step bound and the filter's rule; ``None`` as the
# sampler is the baseline without over-sampling.
grid = [
    {
        "knnor__n_neighbors": [3, 5],
        "knnor__max_dist_point": [0.25, 0.5, 1.0],
        "knnor__filter_rule": ["unanimous", "majority"],
    },
    {"knnor": [None]},
]
search = GridSearchCV(
    pipeline,
    grid,
    scoring="f1",
    cv=StratifiedKFold(n_splits=4, shuffle=True, random_state=0),
    n_jobs=1,
)
search.fit(X_train, y_train)
print("best parameters:", search.best_params_)
print(f"validation F1 {search.best_score_:.3f}, test F1 {search.score(X_test, y_test):.3f}")

# %%
# Every configuration, best first:
results = pd.DataFrame(search.cv_results_)
columns = ["params", "mean_test_score", "std_test_score", "rank_test_score"]
print(results[columns].sort_values("rank_test_score").to_string(index=False))

# %%
# The validation F1 of each setting of KNNOR, beside the baseline without it:
tried = results[results["param_knnor__n_neighbors"].notna()]
fig, ax = plt.subplots(figsize=(7, 4))
for (rule, k), group in tried.groupby(["param_knnor__filter_rule", "param_knnor__n_neighbors"]):
    ax.plot(
        group["param_knnor__max_dist_point"],
        group["mean_test_score"],
        "o-",
        label=f"{rule}, n_neighbors={k}",
    )
baseline = results.loc[results["param_knnor__n_neighbors"].isna(), "mean_test_score"].iloc[0]
ax.axhline(baseline, ls="--", c="k", label="no over-sampling")
ax.set_xlabel("max_dist_point")
ax.set_ylabel("mean validation F1")
ax.legend(fontsize=8)
