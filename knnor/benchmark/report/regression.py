"""The Markdown report of a regression benchmark run and the CSV files beside it.

The statistics are those of the classification report (:mod:`.stats`): for
each metric, samplers are ranked per dataset and regressor, ranks are averaged
over datasets, and the Friedman test, the Nemenyi critical difference and
Holm's test against a control are run per regressor with datasets as blocks.
Two things differ. Error metrics are better when lower: they are negated
before ranking. And a failure has no natural score for an unbounded error, so
a failed fold ranks its sampler last on that dataset (score ``-inf``). Folds
skipped because their training targets have no extremes are left out for
every sampler alike.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from knnor.benchmark.regression_metrics import REGRESSION_METRICS
from knnor.benchmark.report.figures import figure_class
from knnor.benchmark.report.markdown import _markdown_table, _metric_section, closing_sections
from knnor.benchmark.report.tables import failures_table, summarise, timing_table

REGRESSION_REPORT_METRICS = ("sera", "utility_f1", "phi_rmse", "rare_mae", "rmse", "mae")
"""Metrics of the regression report, in report order."""

REGRESSION_METRIC_LABELS = {
    "sera": "SERA",
    "utility_f1": "Utility-based F1",
    "phi_rmse": "φ-weighted RMSE",
    "rare_mae": "MAE on rare targets",
    "rmse": "RMSE",
    "mae": "MAE",
}

FAILED_RANK_SCORE = -np.inf
"""Score of a failed fold in the ranking: the sampler ranks last on that dataset."""

_SKIPPED = "skipped"

_FAILURE_POLICY = (
    "Folds whose training targets have no box-plot extremes (status `skipped: no extremes "
    "in training fold`) have no relevance function: they are left out for every sampler "
    "alike. A fold on which a sampler (or a regressor) failed gives that sampler the "
    "**worst possible score** on the dataset and regressor: it ranks last there, tied with "
    "any other sampler that failed there, and is never dropped from a ranking. (An error has "
    "no worst finite value, so the classification report's 'score 0' does not carry over.) "
    "A metric that is undefined on a successful fold (utility-based F1 and MAE on rare "
    "targets when the test fold has no rare target) is left out of that fold's average, "
    "and a dataset and regressor block where no successful fold defines the metric is left "
    "out of the ranks for that metric (listed below when it happens)."
)


def _how_to_read(control, alpha):
    return (
        "The relevance φ of every fold is fitted on its **training** targets: box-plot "
        "extremes (φ = 1 at and beyond the whisker ends that have values beyond them, 0 at "
        "the median); a target is rare when φ ≥ 0.8. Every sampler over-samples the rare "
        "targets of the training fold; every regressor is fitted on the resampled fold and "
        "scored on the untouched test fold with the training φ. SERA (squared error-relevance "
        "area), φ-weighted RMSE and MAE on rare targets weigh the errors on rare targets; "
        "RMSE and MAE weigh all targets alike; the utility-based F1 (higher is better) asks "
        "whether rare targets are predicted as rare and close. For each metric, samplers are "
        "ranked on every dataset (1 = best: the lowest error, or the highest utility-based "
        "F1; ties share the average rank) from their mean over all repeats and folds, and "
        "the ranks are averaged over datasets, separately for each regressor. The *all "
        "regressors* column averages over every dataset and regressor block and is "
        "descriptive only: blocks that share a dataset are not independent. The Friedman "
        "test asks whether all samplers perform alike; the decision uses the Iman-Davenport "
        f"F at α = {alpha}. Only when it rejects are the post-hoc results meaningful: two "
        "samplers whose average ranks differ by at least the Nemenyi critical difference (CD) "
        "differ significantly, and Holm's step-down test compares each sampler with the "
        f"control, **{control}** (positive z: ranks worse than the control). In the "
        "critical-difference diagrams (one panel per regressor) rank 1, the best, is on the "
        "left, and a thick bar joins samplers that cannot be told apart."
    )


def _split(results):
    """The rows that are ranked (model column renamed ``classifier``) and the skipped ones."""
    skipped = results["status"].str.startswith(_SKIPPED)
    return results[~skipped].rename(columns={"regressor": "classifier"}), results[skipped]


def _for_ranking(frame, metrics):
    """Negate the error metrics, so that higher is better for every ranked column."""
    negated = {metric: -frame[metric] for metric in metrics if not REGRESSION_METRICS[metric][1]}
    return frame.assign(**negated)


def dataset_means(results, metric):
    """Mean of ``metric`` per regressor and dataset (rows) and sampler (columns).

    Means are over the successful folds, NaN (undefined) values left out;
    skipped folds are not counted. The values are in the metric's own units
    (errors are not negated).

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy regression results.
    metric : str

    Returns
    -------
    pandas.DataFrame
        Index (regressor, dataset), one column per sampler.
    """
    ok = results[results["status"].eq("ok")]
    table = ok.groupby(["regressor", "dataset", "sampler"], sort=True)[metric].mean()
    table = table.unstack("sampler")
    table.columns.name = None
    return table


def _run_section(results, ranked, skipped, control, alpha):
    datasets = results.groupby("dataset", sort=True)[["n_samples", "n_features", "n_rare"]].first()
    folds = skipped.drop_duplicates(["dataset", "repeat", "fold"]).groupby("dataset").size()
    datasets["skipped"] = folds.reindex(datasets.index).fillna(0).astype(int)
    samplers = sorted(results["sampler"].unique())
    regressors = sorted(results["regressor"].unique())
    shown = datasets.reset_index()
    shown.columns = ["dataset", "samples", "features", "rare targets", "skipped folds"]
    n_failed = int(ranked["status"].ne("ok").sum())
    return [
        "## Run",
        "",
        f"- Datasets: {len(datasets)}",
        f"- Samplers: {len(samplers)} ({', '.join(samplers)}); control: **{control}**",
        f"- Regressors: {len(regressors)} ({', '.join(regressors)})",
        f"- Resampling: {results['repeat'].nunique()} repeat(s) × "
        f"{results['fold'].nunique()} fold(s) of k-fold cross-validation; {len(results)} rows, "
        f"{n_failed} failed, {len(skipped)} skipped (no extremes in the training fold)",
        f"- Significance level: α = {alpha}",
        "",
        "Rare targets: box-plot extremes of the whole dataset (for description only; each "
        "fold's relevance comes from its training fold).",
        "",
        _markdown_table(shown),
        "",
    ]


def write_regression_report(
    results, out_dir, control="knnor", metrics=REGRESSION_REPORT_METRICS, alpha=0.05
):
    """Write the statistical report of a regression benchmark run into ``out_dir``.

    Writes report.md, summary.csv (mean and sd per dataset, sampler, regressor
    and metric over the successful folds), ``means_<metric>.csv`` (per-dataset
    means, regressors x datasets by samplers), ranks.csv, friedman.csv,
    holm.csv, timing.csv, failures.csv and, when matplotlib is installed, a
    critical-difference diagram and a rank box plot per metric in ``figures/``.

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy results of :func:`knnor.benchmark.regression_runner.run_regression_benchmark`.
    out_dir : path-like
        Output directory, created if needed.
    control : str, default="knnor"
        Sampler the Holm test compares the others with.
    metrics : sequence of str, default=REGRESSION_REPORT_METRICS
        Keys of :data:`~knnor.benchmark.regression_metrics.REGRESSION_METRICS`.
    alpha : float, default=0.05
        Significance level of every test.

    Returns
    -------
    pathlib.Path
        Path of report.md.
    """
    out_dir = Path(out_dir)
    metrics = list(metrics)
    unknown = [metric for metric in metrics if metric not in REGRESSION_METRICS]
    if unknown:
        raise ValueError(f"unknown regression metrics {unknown}")
    used = {"dataset", "sampler", "regressor", "repeat", "fold", "status", "error"}
    used |= {"n_samples", "n_features", "n_rare", "fit_resample_seconds", "n_synthetic"}
    missing = (used | set(metrics)) - set(results.columns)
    if missing:
        raise ValueError(f"results lack columns {sorted(missing)}")
    if control not in set(results["sampler"]):
        raise ValueError(f"control sampler {control!r} is not in the results")
    out_dir.mkdir(parents=True, exist_ok=True)
    figure_cls = figure_class()
    ranked, skipped = _split(results)
    as_regressor = {"classifier": "regressor"}

    summarise(ranked, metrics).rename(columns=as_regressor).to_csv(
        out_dir / "summary.csv", index=False
    )
    for metric in metrics:
        dataset_means(results, metric).to_csv(out_dir / f"means_{metric}.csv")
    failures = failures_table(ranked).rename(columns=as_regressor)
    failures.to_csv(out_dir / "failures.csv", index=False)
    timing = timing_table(ranked)
    timing.to_csv(out_dir / "timing.csv", index=False)

    lines = ["# Regression benchmark report", ""]
    lines += _run_section(results, ranked, skipped, control, alpha)
    lines += ["## How to read this", "", _how_to_read(control, alpha), ""]
    lines += ["## Failure policy", "", _FAILURE_POLICY, ""]
    if figure_cls is None:
        lines += ["*matplotlib is not installed: figures were skipped.*", ""]

    records = {"ranks": [], "friedman": [], "holm": []}
    scored = _for_ranking(ranked, metrics)
    for metric in metrics:
        label = REGRESSION_METRIC_LABELS.get(metric, metric)
        better = "higher" if REGRESSION_METRICS[metric][1] else "lower"
        if scored.empty:
            lines += [f"## {label} (`{metric}`)", "", "Every fold was skipped.", ""]
            continue
        section = _metric_section(
            scored,
            metric,
            control,
            alpha,
            figure_cls,
            out_dir / "figures",
            records,
            label=label,
            model="regressor",
            failed_score=FAILED_RANK_SCORE,
        )
        note = f"{better.capitalize()} is better; per-dataset means: `means_{metric}.csv`."
        lines += [*section[:2], note, "", *section[2:]]
    for name, rows in records.items():
        pd.DataFrame(rows).rename(columns=as_regressor).to_csv(
            out_dir / f"{name}.csv", index=False
        )

    files = (
        "summary.csv (mean and sd over successful folds), "
        + ", ".join(f"means_{metric}.csv" for metric in metrics)
        + " (per-dataset means), ranks.csv, friedman.csv, holm.csv, timing.csv, failures.csv."
    )
    lines += closing_sections(
        timing, failures, files, "Median over successful rows (skipped folds excluded)."
    )
    report = out_dir / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    return report


__all__ = [
    "REGRESSION_METRIC_LABELS",
    "REGRESSION_REPORT_METRICS",
    "dataset_means",
    "write_regression_report",
]
