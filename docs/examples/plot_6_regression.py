"""
==============================================
Rare target values: ``KNNORReg``
==============================================

In imbalanced regression the rare part is a range of the target: here the high tail of a
skewed target. :class:`~knnor.KNNORReg` finds the rare *bumps* of targets, grows them with
the KNNOR walk (each new target the same weighted combination of its sources' targets as
its features) and filters candidates whose nearest rows disagree.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from imblearn.pipeline import make_pipeline
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import KFold, cross_validate

from knnor import KNNORReg

rng = np.random.RandomState(0)
X = rng.normal(size=(1500, 4))
y = np.exp(X[:, 0] + 0.3 * X[:, 1] + 0.2 * rng.normal(size=1500))  # a long high tail

sampler = KNNORReg(random_state=0)
X_res, y_res = sampler.fit_resample(X, y)
for index, bump in enumerate(sampler.bumps_):
    kind = "rare" if bump.rare else "common"
    print(
        f"bump {index}: {kind:6} {bump.n_samples:4d} rows, y in [{bump.low:.2f}, {bump.high:.2f}]"
    )
for index, stats in sampler.bump_stats_.items():
    print(
        f"bump {index}: {stats['n_accepted']} rows added, "
        f"{stats['n_rejected_filter']} rejected by the filter, "
        f"{stats['n_rejected_target']} for their target"
    )

# %%
# The targets before and after: the synthetic rows fill the rare tail only.
fig, ax = plt.subplots(figsize=(7, 3.8))
bins = np.linspace(y.min(), y.max(), 50)
ax.hist(y, bins=bins, color="lightgray", label="original")
ax.hist(y_res[len(y) :], bins=bins, color="tab:orange", alpha=0.8, label="synthetic")
ax.axvline(sampler.bumps_[-1].low, ls="--", c="k", lw=1, label="rare bump starts")
ax.set_xlabel("y")
ax.legend()

# %%
# Every synthetic target is its sources' targets weighted by ``walk_weights_``:
sources = np.where(sampler.provenance_ >= 0, sampler.provenance_, 0)
print(np.allclose((sampler.walk_weights_ * y[sources]).sum(axis=1), y_res[len(y) :]))

# %%
# In a pipeline, scored on the rare targets
# -----------------------------------------
# The sampler runs on the training folds only. The mean absolute error on the rows of
# the rare bump is what over-sampling is meant to improve.
rare_low = sampler.bumps_[-1].low


def rare_mae(model, X_test, y_test):
    rare = y_test >= rare_low
    return -np.abs(model.predict(X_test[rare]) - y_test[rare]).mean()


forest = RandomForestRegressor(n_estimators=50, min_samples_leaf=3, random_state=0)
cv = KFold(n_splits=4, shuffle=True, random_state=0)
scoring = {"MAE": "neg_mean_absolute_error", "rare MAE": rare_mae}
for name, model in {
    "random forest": forest,
    "KNNORReg + random forest": make_pipeline(KNNORReg(random_state=0), forest),
}.items():
    scores = cross_validate(model, X, y, cv=cv, scoring=scoring)
    print(
        f"{name:29} MAE {-scores['test_MAE'].mean():.3f}  "
        f"rare MAE {-scores['test_rare MAE'].mean():.3f}"
    )
