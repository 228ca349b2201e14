"""
=====================================================
Compare samplers with the benchmark's Python API
=====================================================

:func:`knnor.benchmark.run_benchmark` is what ``knnor-benchmark run`` calls: every sampler
in the training folds of the same repeated stratified folds, every classifier scored on
the untouched test folds. Here on four of the small KEEL sets that ship with knnor, so
nothing is downloaded, with three folds and two classifiers to stay quick. Needs the
``benchmark`` extra (pandas).
"""

# %%
import matplotlib.pyplot as plt

from knnor.benchmark import run_benchmark
from knnor.benchmark.report import average_ranks
from knnor.datasets import get_dataset

datasets = [get_dataset(name) for name in ["glass1", "ecoli3", "wisconsin", "yeast-1_vs_7"]]
results = run_benchmark(
    datasets,
    samplers=["none", "RandomOverSampler", "SMOTE", "BorderlineSMOTE", "KNNOR"],
    classifiers=["knn", "tree"],
    n_splits=3,
    n_repeats=1,
    seed=0,
    progress=False,
)
print(len(results), "rows;", (results["status"] != "ok").sum(), "failed")
print(results.columns.tolist())

# %%
# Mean scores over folds and data sets
# ------------------------------------
means = results.groupby(["classifier", "sampler"])[["f1", "gmean", "recall"]].mean()
print(means.round(3).to_string())

# %%
# Average ranks
# -------------
# Samplers are ranked on each data set (1 = best) and the ranks averaged, per classifier:
# the statistic the report's Friedman and Holm tests are built on. Four data sets are far
# too few for a conclusion; the full benchmark runs 100 (see the benchmark results).
ranks = average_ranks(results, "f1")
print(ranks.round(2).to_string())

ax = ranks.plot.barh(figsize=(7, 4))
ax.set_xlabel("average F1 rank (lower is better)")
ax.set_title("F1 ranks on four small KEEL sets")
ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
plt.tight_layout()
