"""The Markdown report of a long-tailed image benchmark run and the CSV files beside it.

The statistics are those of the other reports (:mod:`.stats`), with one
(dataset, imbalance ratio) pair as a block: for each metric and classifier,
samplers are ranked on every block from their mean over the repeats, ranks
are averaged over the blocks, and the Friedman test (Iman-Davenport), the
Nemenyi critical difference and Holm's test against a control (default
``knnor_latent``) are run per classifier. A row whose sampler could not run
-- ``failed``, or ``too small`` (a class of the draw has fewer than the
``k + 1`` images the sampler needs) -- scores 0 on every metric, the worst
value, as in the classification report: the sampler ranks last on that
block (tied with the others that could not run) and is never dropped.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from knnor.benchmark.image_protocol import IMAGE_METRICS, TOO_SMALL
from knnor.benchmark.report.figures import figure_class
from knnor.benchmark.report.markdown import (
    _markdown_table,
    _metric_section,
    _number,
    closing_sections,
)
from knnor.benchmark.report.stats import FAILED_SCORE
from knnor.benchmark.report.tables import failures_table, summarise, timing_table

IMAGE_METRIC_LABELS = {
    "balanced_accuracy": "ACSA (balanced accuracy)",
    "gmean": "G-mean of class recalls",
    "macro_f1": "Macro-F1",
}

_FAILURE_POLICY = (
    "A sampler that needs `k + 1` images of every class it over-samples (SMOTE's "
    "`k_neighbors` and KNNORImage's `n_neighbors`, 3 by default) cannot run when the "
    "long-tailed draw keeps fewer images of a class; its rows have the status `too small` "
    "and name the class. Such a row, like a `failed` one, counts as score **0 for every "
    "metric** (the worst value) when a sampler's repeats on a block are averaged, so the "
    "sampler ranks last on that block, tied with any other sampler that could not run "
    "there, and is never dropped from a ranking. The tables of mean scores average the "
    "successful rows only and show `too small` or `failed` where there are none."
)


def block_label(dataset, ratio):
    """The name of a (dataset, imbalance ratio) block: ``"mnist5k IR 100"``."""
    return f"{dataset} IR {ratio:g}"


def _blocks(results):
    """The results as the shared statistics read them: block labels as ``dataset``."""
    labels = [
        block_label(d, r)
        for d, r in zip(results["dataset"], results["imbalance_ratio"], strict=True)
    ]
    return results.assign(dataset=labels, fold=0)


def _block_order(results):
    """Block labels sorted by dataset, then imbalance ratio."""
    pairs = results[["dataset", "imbalance_ratio"]].drop_duplicates()
    pairs = pairs.sort_values(["dataset", "imbalance_ratio"], kind="stable")
    return [block_label(d, r) for d, r in pairs.itertuples(index=False)]


def mean_scores(results, metrics=IMAGE_METRICS):
    """Mean and sd of each metric per dataset, ratio, sampler and classifier.

    Over the successful repeats; ``n_too_small`` and ``n_failed`` count the others.

    Returns
    -------
    pandas.DataFrame
    """
    ok = results["status"].eq("ok")
    long = results.assign(
        ok=ok,
        too_small=results["status"].eq(TOO_SMALL),
        failed=~ok & results["status"].ne(TOO_SMALL),
    ).melt(
        id_vars=[
            "dataset",
            "imbalance_ratio",
            "sampler",
            "classifier",
            "ok",
            "too_small",
            "failed",
        ],
        value_vars=list(metrics),
        var_name="metric",
    )
    long["value"] = long["value"].where(long["ok"])
    keys = ["dataset", "imbalance_ratio", "classifier", "sampler", "metric"]
    return (
        long.groupby(keys, sort=True)
        .agg(
            mean=("value", "mean"),
            sd=("value", "std"),
            n_ok=("ok", "sum"),
            n_too_small=("too_small", "sum"),
            n_failed=("failed", "sum"),
        )
        .reset_index()
    )


def _means_markdown(means, metric, samplers, blocks):
    """One pipe table: (classifier, sampler) rows, blocks as columns, best per column in bold."""
    table = means[means["metric"].eq(metric)]
    labels = zip(table["dataset"], table["imbalance_ratio"], strict=True)
    table = table.assign(block=[block_label(d, r) for d, r in labels])
    lines = []
    for classifier, part in table.groupby("classifier", sort=True):
        values = part.pivot(index="sampler", columns="block", values="mean")
        values = values.reindex(index=samplers, columns=blocks)
        small = part.pivot(index="sampler", columns="block", values="n_too_small")
        small = small.reindex(index=samplers, columns=blocks).fillna(0)
        for sampler in samplers:
            cells = [classifier, sampler]
            for block in blocks:
                value = values.loc[sampler, block]
                if pd.isna(value):
                    cells.append(TOO_SMALL if small.loc[sampler, block] > 0 else "failed")
                elif np.isclose(value, np.nanmax(values[block].to_numpy())):
                    cells.append(f"**{value:.3f}**")
                else:
                    cells.append(f"{value:.3f}")
            lines.append(cells)
    return _markdown_table(pd.DataFrame(lines, columns=["classifier", "sampler", *blocks]))


def _run_section(results, control, alpha):
    profile = (
        results.groupby(["dataset", "imbalance_ratio"], sort=True)[
            ["n_train", "n_head", "n_tail", "n_test"]
        ]
        .first()
        .reset_index()
    )
    profile["realised IR"] = (profile["n_head"] / profile["n_tail"]).map(lambda v: _number(v, 1))
    profile["imbalance_ratio"] = profile["imbalance_ratio"].map(lambda v: f"{v:g}")
    profile.columns = [
        "dataset",
        "IR",
        "training images",
        "head",
        "tail",
        "test images",
        "head/tail",
    ]
    samplers = list(dict.fromkeys(results["sampler"]))
    classifiers = list(dict.fromkeys(results["classifier"]))
    status = results["status"]
    n_small, n_failed = int(status.eq(TOO_SMALL).sum()), int(status.eq("failed").sum())
    return [
        "## Run",
        "",
        f"- Datasets: {', '.join(profile['dataset'].unique())}",
        f"- Imbalance ratios: {', '.join(profile['IR'].unique())}",
        f"- Samplers: {len(samplers)} ({', '.join(samplers)}); control: **{control}**",
        f"- Classifiers: {len(classifiers)} ({', '.join(classifiers)})",
        f"- Repeats: {results['repeat'].nunique()} (each a new test split, long-tailed draw "
        f"and seed); {len(results)} rows, {n_small} too small, {n_failed} failed",
        f"- Significance level: α = {alpha}",
        "",
        "The training sets of the first repeat (the head is the first class, the tail the "
        "last; the test set is balanced):",
        "",
        _markdown_table(profile),
        "",
    ]


def _how_to_read(control, alpha):
    return (
        "Each repeat holds out a balanced test set, then draws a long-tailed training set "
        "from the rest: class c of C keeps floor(n_max · IR^(−c/(C−1))) images (CIFAR-10-LT's "
        "profile), n_max being the largest class of the pool. Every sampler resamples the "
        "training images; every classifier flattens the images, divides the pixels by their "
        "largest value and is scored on the test set. ACSA, the average class-specific "
        "accuracy, is the mean of the class recalls (the balanced accuracy; on a balanced test "
        "set, the accuracy too); the G-mean is their geometric mean (0 once a class is never "
        "recognised); macro-F1 averages the class F1 scores. A *block* is one dataset at one "
        "imbalance ratio; the rank tables and figures call it a dataset. For each metric and "
        "classifier, samplers are ranked on every block (1 = best; ties share the average "
        "rank) from their mean over the repeats, and the ranks are averaged over the blocks. "
        "The *all classifiers* column is descriptive only. The Friedman test asks whether all "
        f"samplers perform alike (Iman-Davenport F at α = {alpha}); only when it rejects are "
        "the post-hoc results meaningful: samplers whose average ranks differ by at least the "
        "Nemenyi critical difference (CD) differ significantly, and Holm's step-down test "
        f"compares each sampler with the control, **{control}** (positive z: ranks worse "
        "than the control). Blocks that share a dataset are not independent, so the tests are "
        "optimistic when one dataset contributes several ratios."
    )


def _weighting_lines(results):
    weighted = results[results["weighting"].fillna("").ne("")]
    if weighted.empty:
        return []
    how = weighted.groupby("classifier", sort=True)["weighting"].first()
    text = {
        "class_weight": '`class_weight="balanced"`',
        "sample_weight": "balanced `sample_weight` passed to `fit`",
        "none": "**none**: the classifier takes neither class nor sample weights, so its "
        "`class_weight` rows are those of `none`",
    }
    return [
        "## Class weighting",
        "",
        "The `class_weight` sampler resamples nothing; the classifier weighs the classes "
        "instead, each inversely to its frequency:",
        "",
        *[f"- {classifier}: {text.get(kind, kind)}" for classifier, kind in how.items()],
        "",
    ]


def _too_small_lines(results):
    small = results[results["status"].eq(TOO_SMALL)]
    if small.empty:
        return []
    lines = ["Samplers that could not run, by block:", ""]
    for (dataset, ratio), part in small.groupby(["dataset", "imbalance_ratio"], sort=True):
        first = part.sort_values("repeat", kind="stable").iloc[0]
        reason = first["error"].split(";")[0].removeprefix(f"{TOO_SMALL}: ")
        samplers = ", ".join(dict.fromkeys(part["sampler"]))
        lines.append(f"- {block_label(dataset, ratio)}: {samplers} ({reason})")
    return [*lines, ""]


def write_image_report(
    results, out_dir, control="knnor_latent", metrics=IMAGE_METRICS, alpha=0.05
):
    """Write the statistical report of an image benchmark run into ``out_dir``.

    Writes report.md, means.csv (mean and sd per dataset, ratio, classifier,
    sampler and metric over the successful repeats), summary.csv (the same per
    block label), ranks.csv, friedman.csv, holm.csv, timing.csv, failures.csv
    (``too small`` rows included) and, with matplotlib, a critical-difference
    diagram and a rank box plot per metric in ``figures/``.

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy results of :func:`knnor.benchmark.image_runner.run_image_benchmark`.
    out_dir : path-like
    control : str, default="knnor_latent"
    metrics : sequence of str, default=IMAGE_METRICS
    alpha : float, default=0.05

    Returns
    -------
    pathlib.Path
        Path of report.md.
    """
    out_dir = Path(out_dir)
    metrics = list(metrics)
    used = {"dataset", "imbalance_ratio", "sampler", "classifier", "repeat", "status", "error"}
    used |= {"n_train", "n_head", "n_tail", "n_test", "fit_resample_seconds", "n_synthetic"}
    missing = (used | set(metrics)) - set(results.columns)
    if missing:
        raise ValueError(f"results lack columns {sorted(missing)}")
    if control not in set(results["sampler"]):
        raise ValueError(f"control sampler {control!r} is not in the results")
    results = results.assign(
        error=results["error"].fillna(""),
        weighting=results.get("weighting", pd.Series("", index=results.index)).fillna(""),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    figure_cls = figure_class()
    ranked = _blocks(results)
    samplers = list(dict.fromkeys(results["sampler"]))
    blocks = _block_order(results)

    means = mean_scores(results, metrics)
    means.to_csv(out_dir / "means.csv", index=False)
    summarise(ranked, metrics).to_csv(out_dir / "summary.csv", index=False)
    failures = failures_table(ranked)
    failures.to_csv(out_dir / "failures.csv", index=False)
    timing = timing_table(ranked)
    timing.to_csv(out_dir / "timing.csv", index=False)

    lines = ["# Long-tailed image benchmark report", "", *_run_section(results, control, alpha)]
    lines += ["## How to read this", "", _how_to_read(control, alpha), ""]
    lines += ["## Failure policy", "", _FAILURE_POLICY, "", *_too_small_lines(results)]
    lines += _weighting_lines(results)
    if figure_cls is None:
        lines += ["*matplotlib is not installed: figures were skipped.*", ""]
    lines += ["## Mean scores", ""]
    lines += ["Means over the successful repeats; the best of each classifier and block in bold."]
    lines += [""]
    for metric in metrics:
        label = IMAGE_METRIC_LABELS.get(metric, metric)
        lines += [f"### {label}", "", _means_markdown(means, metric, samplers, blocks), ""]

    records = {"ranks": [], "friedman": [], "holm": []}
    for metric in metrics:
        lines += _metric_section(
            ranked,
            metric,
            control,
            alpha,
            figure_cls,
            out_dir / "figures",
            records,
            label=IMAGE_METRIC_LABELS.get(metric, metric),
            failed_score=FAILED_SCORE,
        )
    for name, rows in records.items():
        pd.DataFrame(rows).to_csv(out_dir / f"{name}.csv", index=False)

    files = (
        "means.csv (mean and sd over successful repeats, per dataset and ratio), summary.csv "
        "(the same per block), ranks.csv, friedman.csv, holm.csv, timing.csv, failures.csv."
    )
    lines += closing_sections(timing, failures, files)
    report = out_dir / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    return report


__all__ = ["IMAGE_METRIC_LABELS", "block_label", "mean_scores", "write_image_report"]
