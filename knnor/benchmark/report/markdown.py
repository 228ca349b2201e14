"""The Markdown report of a benchmark run and the CSV files beside it."""

from pathlib import Path

import numpy as np
import pandas as pd

from knnor.benchmark.report.figures import figure_class, metric_figures
from knnor.benchmark.report.stats import (
    ALL_CLASSIFIERS,
    BLOCK,
    FAILED_SCORE,
    average_rank_table,
    classifier_tests,
    dataset_scores,
    nemenyi_groups,
    rank_blocks,
)
from knnor.benchmark.report.tables import (
    CELL,
    DEFAULT_METRICS,
    METRIC_LABELS,
    available_metrics,
    failures_table,
    summarise,
    timing_table,
)

_FAILURE_POLICY = (
    "A fold on which a sampler failed counts as score **0 for every metric** (ROC AUC "
    "included: a failure is treated as worse than chance) when a sampler's folds on a "
    "dataset are averaged; ranks are computed on those averages. A failing sampler is "
    "never dropped from a ranking: it pays for each failure in rank. A sampler with no "
    "rows at all for a dataset and classifier also scores 0 there. A metric that is "
    "undefined on a successful fold (NaN) is left out of that fold's average, and a "
    "dataset and classifier block where no successful fold defines the metric is left "
    "out of the ranks for that metric (listed below when it happens)."
)


def _cell(value):
    return str(value).replace("|", "\\|").replace("\n", " ")


def _markdown_table(frame):
    """A pipe table of already formatted cells (index ignored)."""
    lines = [
        "| " + " | ".join(_cell(c) for c in frame.columns) + " |",
        "|" + "---|" * len(frame.columns),
    ]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join(lines)


def _p(value):
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _p_text(value):
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def _number(value, digits=2):
    return "–" if pd.isna(value) else f"{value:.{digits}f}"


def _rank_markdown(table):
    """Average ranks with the best (lowest) rank of each column in bold."""
    shown = pd.DataFrame({"sampler": table.index})
    for column in table.columns:
        values = table[column].to_numpy()
        best = np.isclose(values, np.nanmin(values))
        shown[column] = [
            f"**{v:.2f}**" if is_best else f"{v:.2f}"
            for v, is_best in zip(values, best, strict=True)
        ]
    return _markdown_table(shown)


def _how_to_read(control, alpha):
    return (
        "For each metric, samplers are ranked on every dataset (1 = best; ties share the "
        "average rank) from their mean score over all repeats and folds, and the ranks are "
        "averaged over datasets, separately for each classifier. The *all classifiers* column "
        "averages over every dataset and classifier block and is descriptive only: blocks "
        "that share a dataset are not independent, so no test uses it. The Friedman test asks "
        "whether all samplers perform alike; the decision uses the Iman-Davenport F at "
        f"α = {alpha}. Only when it rejects are the post-hoc results meaningful: two samplers "
        "whose average ranks differ by at least the Nemenyi critical difference (CD) differ "
        f"significantly, and Holm's step-down test compares each sampler with the control, "
        f"**{control}** (positive z: ranks worse than the control). In the critical-difference "
        "diagrams (one figure per metric, one panel per classifier, datasets as blocks) rank 1, "
        "the best, is on the left; each sampler is drawn at its average rank, and a thick bar "
        "joins samplers whose average ranks differ by less than the CD, i.e. that cannot be "
        "told apart. The box plots show how each sampler's rank spreads over all dataset and "
        "classifier blocks. F1, precision and recall are those of the minority class (their "
        "macro averages over the classes on multi-class data)."
    )


def _friedman_markdown(tests, alpha, model="classifier"):
    rows = [
        [
            t.classifier,
            t.friedman.n_datasets,
            t.friedman.n_samplers,
            f"{t.friedman.statistic:.2f}",
            _p(t.friedman.pvalue),
            f"{t.friedman.iman_davenport:.2f}",
            _p(t.friedman.iman_davenport_pvalue),
            f"{t.cd:.2f}",
            "rejects" if t.rejects else "**does not reject**",
        ]
        for t in tests
    ]
    columns = [model, "N", "k", "χ²_F", "p (χ²)", "F_F (Iman-Davenport)", "p (F_F)"]
    table = pd.DataFrame(rows, columns=[*columns, f"CD (α = {alpha})", "decision"])
    notes = [
        f"- {t.classifier}: the Friedman test does not reject equal performance "
        f"({_p_text(t.friedman.iman_davenport_pvalue)}); its Nemenyi groups and Holm results "
        "are reported for completeness but are **not significant**."
        for t in tests
        if not t.rejects
    ]
    return [_markdown_table(table), "", *notes]


def _holm_markdown(tests, control, model="classifier"):
    rows = []
    for t in tests:
        for sampler, row in t.holm.iterrows():
            if not row["reject"]:
                result = "no difference"
            elif t.rejects:
                result = "better" if row["z"] > 0 else "worse"
            else:
                result = "n.s. (Friedman does not reject)"
            rows.append(
                [
                    t.classifier,
                    sampler,
                    f"{row['rank']:.2f}",
                    f"{t.mean_ranks[control]:.2f}",
                    f"{row['z']:+.2f}",
                    _p(row["pvalue"]),
                    _p(row["pvalue_holm"]),
                    result,
                ]
            )
    columns = [model, "sampler", "rank", f"{control} rank", "z", "p", "Holm p"]
    return _markdown_table(pd.DataFrame(rows, columns=[*columns, f"{control} is"]))


def _test_records(metric, tests, control):
    """Rows of friedman.csv and holm.csv for one metric."""
    friedman = [
        {
            "metric": metric,
            "classifier": t.classifier,
            **t.friedman._asdict(),
            "reject": t.rejects,
            "nemenyi_cd": t.cd,
        }
        for t in tests
    ]
    holm = [
        {
            "metric": metric,
            "classifier": t.classifier,
            "sampler": sampler,
            **row.to_dict(),
            "control": control,
            "control_rank": t.mean_ranks[control],
            "friedman_rejects": t.rejects,
            "significant": bool(row["reject"]) and t.rejects,
        }
        for t in tests
        for sampler, row in t.holm.iterrows()
    ]
    return friedman, holm


def _cd_panels(label, tests):
    """One critical-difference panel per tested classifier, titled with its Friedman result."""
    return [
        (
            f"{label}, {t.classifier}: N = {t.friedman.n_datasets} datasets, Friedman "
            f"{_p_text(t.friedman.iman_davenport_pvalue)}"
            + ("" if t.rejects else "; not significant"),
            t.mean_ranks,
            t.cd,
            nemenyi_groups(t.mean_ranks.to_numpy(), t.cd),
        )
        for t in tests
    ]


def _metric_section(
    results,
    metric,
    control,
    alpha,
    figure_cls,
    figure_dir,
    records,
    *,
    label=None,
    model="classifier",
    failed_score=FAILED_SCORE,
):
    """Markdown for one metric; appends the metric's CSV rows to ``records``.

    The results' ``classifier`` column holds the models; ``model`` names them
    in the text (the regression report passes ``"regressor"``), ``label`` the
    metric, and ``failed_score`` goes to :func:`dataset_scores`.
    """
    label = label or METRIC_LABELS.get(metric, metric)
    lines = [f"## {label} (`{metric}`)", ""]
    scores = dataset_scores(results, metric, failed_score)
    blocks = set(results[BLOCK].drop_duplicates().itertuples(index=False, name=None))
    dropped = sorted(blocks - set(scores.index))
    if dropped:
        where = ", ".join(f"{dataset} with {classifier}" for classifier, dataset in dropped)
        lines += [f"Left out, as no successful fold defines the metric: {where}.", ""]
    if scores.empty:
        return [*lines, "No dataset defines this metric; nothing to rank.", ""]

    ranks = rank_blocks(scores)
    everything = ALL_CLASSIFIERS if model == "classifier" else f"all {model}s"
    table = average_rank_table(ranks).rename(columns={ALL_CLASSIFIERS: everything})
    n_blocks = ranks.groupby(level="classifier").size().to_dict() | {everything: len(ranks)}
    records["ranks"] += [
        {
            "metric": metric,
            "classifier": classifier,
            "sampler": sampler,
            "average_rank": rank,
            "n_blocks": n_blocks[classifier],
        }
        for classifier in table.columns
        for sampler, rank in table[classifier].items()
    ]
    lines += ["### Average ranks (1 = best)", "", _rank_markdown(table), ""]

    tests, skipped = classifier_tests(scores, ranks, control, alpha)
    friedman, holm = _test_records(metric, tests, control)
    records["friedman"] += friedman
    records["holm"] += holm
    lines += [
        f"- {classifier}: {n} dataset(s), {k} sampler(s); too few to test."
        for classifier, n, k in skipped
    ]
    lines += [""] if skipped else []
    if tests:
        lines += ["### Friedman test and Nemenyi critical difference", ""]
        lines += [*_friedman_markdown(tests, alpha, model), ""]
        holm = _holm_markdown(tests, control, model)
        lines += [f"### Holm step-down test against {control}", "", holm]
        lines += [""]
    if figure_cls is not None:
        panels = _cd_panels(label, tests)
        lines += metric_figures(
            figure_cls, figure_dir, metric, label, panels, ranks, control, model=model
        )
    return lines


def _run_section(results, control, alpha):
    datasets = results.groupby("dataset", sort=True)[
        ["n_samples", "n_features", "imbalance_ratio"]
    ].first()
    samplers = sorted(results["sampler"].unique())
    classifiers = sorted(results["classifier"].unique())
    n_failed = int(results["status"].ne("ok").sum())
    shown = datasets.reset_index()
    shown["imbalance_ratio"] = shown["imbalance_ratio"].map(lambda v: _number(v, 1))
    shown.columns = ["dataset", "samples", "features", "imbalance ratio"]
    return [
        "## Run",
        "",
        f"- Datasets: {len(datasets)}",
        f"- Samplers: {len(samplers)} ({', '.join(samplers)}); control: **{control}**",
        f"- Classifiers: {len(classifiers)} ({', '.join(classifiers)})",
        f"- Resampling: {results['repeat'].nunique()} repeat(s) × "
        f"{results['fold'].nunique()} fold(s); {len(results)} rows, {n_failed} failed",
        f"- Significance level: α = {alpha}",
        "",
        _markdown_table(shown),
        "",
    ]


def closing_sections(timing, failures, files, timing_note="Median over successful rows."):
    """The Timing, Failures and Files sections that close every report, as lines.

    Parameters
    ----------
    timing : pandas.DataFrame
        :func:`~.tables.timing_table`.
    failures : pandas.DataFrame
        :func:`~.tables.failures_table` (its model column named as the report
        names it).
    files : str
        The text of the Files section: the CSV files beside report.md.
    timing_note : str
        The sentence under the Timing heading.

    Returns
    -------
    list of str
    """
    shown = timing.assign(
        median_fit_resample_seconds=timing["median_fit_resample_seconds"].map(
            lambda v: _number(v, 4)
        ),
        median_n_synthetic=timing["median_n_synthetic"].map(lambda v: _number(v, 0)),
    )
    shown.columns = ["sampler", "median fit_resample (s)", "median synthetic", "ok", "failed"]
    lines = ["## Timing", "", timing_note, "", _markdown_table(shown), "", "## Failures", ""]
    if failures.empty:
        return [*lines, "No failures.", "", "## Files", "", files, ""]
    shown = failures.copy()
    shown["first_error"] = shown["first_error"].map(
        lambda m: m if len(m) <= 160 else m[:157] + "..."
    )
    lines += [_markdown_table(shown), "", "Full messages are in failures.csv.", ""]
    return [*lines, "## Files", "", files, ""]


def write_report(
    results,
    out_dir,
    control="KNNOR",
    metrics=DEFAULT_METRICS,
    alpha=0.05,
):
    """Write the statistical report of a benchmark run into ``out_dir``.

    Writes summary.csv, ranks.csv, friedman.csv, holm.csv, timing.csv,
    failures.csv, report.md and, when matplotlib is installed, a
    critical-difference diagram and a rank box plot per metric (PNG and SVG)
    in ``figures/``. Without matplotlib the figures are skipped and report.md
    says so. Failed folds count as score 0 (see :mod:`.stats`).

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy benchmark results, one row per dataset, sampler, classifier,
        repeat and fold.
    out_dir : path-like
        Output directory, created if needed.
    control : str, default="KNNOR"
        Sampler the Holm test compares the others with.
    metrics : sequence of str, default=DEFAULT_METRICS
        Metric columns to report, higher being better for each. Those the
        results lack (precision and recall in results saved before they were
        recorded) are skipped, and report.md names them.
    alpha : float, default=0.05
        Significance level of every test.

    Returns
    -------
    pathlib.Path
        Path of report.md.
    """
    out_dir = Path(out_dir)
    metrics = list(metrics)
    used = {*CELL, "n_samples", "n_features", "imbalance_ratio", "repeat", "fold", "status"}
    used |= {"error", "fit_resample_seconds", "n_synthetic"}
    missing = used - set(results.columns)
    if missing:
        raise ValueError(f"results lack columns {sorted(missing)}")
    absent = [metric for metric in metrics if metric not in results.columns]
    metrics = available_metrics(results, metrics)
    if not metrics:
        raise ValueError(f"results lack every metric asked for: {absent}")
    if control not in set(results["sampler"]):
        raise ValueError(f"control sampler {control!r} is not in the results")
    out_dir.mkdir(parents=True, exist_ok=True)
    figure_cls = figure_class()

    summarise(results, metrics).to_csv(out_dir / "summary.csv", index=False)
    failures = failures_table(results)
    failures.to_csv(out_dir / "failures.csv", index=False)
    timing = timing_table(results)
    timing.to_csv(out_dir / "timing.csv", index=False)

    lines = ["# Benchmark report", "", *_run_section(results, control, alpha)]
    lines += ["## How to read this", "", _how_to_read(control, alpha), ""]
    lines += ["## Failure policy", "", _FAILURE_POLICY, ""]
    if figure_cls is None:
        lines += ["*matplotlib is not installed: figures were skipped.*", ""]
    if absent:
        names = ", ".join(f"`{metric}`" for metric in absent)
        lines += [f"*Not reported, as the results have no column for them: {names}.*", ""]

    records = {"ranks": [], "friedman": [], "holm": []}
    for metric in metrics:
        lines += _metric_section(
            results, metric, control, alpha, figure_cls, out_dir / "figures", records
        )
    for name, rows in records.items():
        pd.DataFrame(rows).to_csv(out_dir / f"{name}.csv", index=False)

    files = (
        "summary.csv (mean and sd over successful folds), ranks.csv, friedman.csv, holm.csv, "
        "timing.csv, failures.csv."
    )
    lines += closing_sections(timing, failures, files)
    report = out_dir / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    return report
