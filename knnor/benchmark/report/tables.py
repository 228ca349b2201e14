"""Descriptive tables of a benchmark run: per-cell summaries, failures, timing."""

import pandas as pd

from knnor.benchmark.protocol import METRICS

DEFAULT_METRICS = tuple(METRICS)
METRIC_LABELS = {
    "f1": "F1",
    "gmean": "G-mean",
    "precision": "Minority precision",
    "recall": "Minority recall",
    "balanced_accuracy": "Balanced accuracy",
    "roc_auc": "ROC AUC",
    "average_precision": "Average precision",
}
CELL = ["dataset", "sampler", "classifier"]


def available_metrics(results, metrics):
    """The metrics that are columns of ``results``, in the order asked for.

    Results saved before a metric was recorded (precision and recall are the
    latest) lack its column; they are still reported on the others.
    """
    return [metric for metric in metrics if metric in results.columns]


def summarise(results, metrics=DEFAULT_METRICS):
    """Mean and standard deviation of each metric per dataset, sampler and classifier.

    Statistics are taken over the successful folds (all repeats); ``n_failed``
    says how many folds they leave out, so the summary describes what the
    sampler achieved when it ran, while the ranks apply the failure policy.

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy benchmark results, one row per dataset, sampler, classifier,
        repeat and fold.
    metrics : sequence of str, default=DEFAULT_METRICS
        Metric columns to summarise; those the results lack are skipped.

    Returns
    -------
    pandas.DataFrame
        Columns dataset, sampler, classifier, metric, mean, sd (sample standard
        deviation), n_ok and n_failed.
    """
    long = results.assign(ok=results["status"].eq("ok")).melt(
        id_vars=[*CELL, "ok"], value_vars=available_metrics(results, metrics), var_name="metric"
    )
    long["value"] = long["value"].where(long["ok"])
    long["failed"] = ~long["ok"]
    return (
        long.groupby([*CELL, "metric"], sort=True)
        .agg(
            mean=("value", "mean"),
            sd=("value", "std"),
            n_ok=("ok", "sum"),
            n_failed=("failed", "sum"),
        )
        .reset_index()
    )


def failures_table(results):
    """Every failure, grouped by dataset, sampler and classifier.

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy benchmark results.

    Returns
    -------
    pandas.DataFrame
        Columns dataset, sampler, classifier, n_failed, n_rows (folds run)
        and first_error (the message of the earliest failed repeat and fold).
    """
    failed = results[results["status"].ne("ok")].sort_values(["repeat", "fold"], kind="stable")
    table = (
        failed.groupby(CELL, sort=True)
        .agg(n_failed=("status", "size"), first_error=("error", "first"))
        .reset_index()
    )
    n_rows = results.groupby(CELL).size().rename("n_rows")
    table = table.join(n_rows, on=CELL)
    table["first_error"] = table["first_error"].fillna("")
    return table[[*CELL, "n_failed", "n_rows", "first_error"]]


def timing_table(results):
    """Median ``fit_resample`` time and number of synthetic samples per sampler.

    Medians are over successful rows, so that a few slow folds or failures do
    not hide the typical cost.

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy benchmark results.

    Returns
    -------
    pandas.DataFrame
        One row per sampler, fastest first.
    """
    ok = results[results["status"].eq("ok")].groupby("sampler")
    table = pd.DataFrame(
        {
            "median_fit_resample_seconds": ok["fit_resample_seconds"].median(),
            "median_n_synthetic": ok["n_synthetic"].median(),
            "ok_rows": ok.size(),
            "failed_rows": results["status"].ne("ok").groupby(results["sampler"]).sum(),
        }
    )
    table["ok_rows"] = table["ok_rows"].fillna(0).astype(int)
    table.index.name = "sampler"
    return table.sort_values("median_fit_resample_seconds", kind="stable").reset_index()
