"""Statistical report of a benchmark run: ranks, Friedman and post-hoc tests, figures.

The analysis follows Demšar (2006), "Statistical comparisons of classifiers over
multiple data sets", JMLR 7: samplers are ranked on each dataset, the Friedman
test (with the Iman-Davenport correction) asks whether they differ at all, and
the Nemenyi critical difference and Holm's step-down test against a control
sampler say which differences can be trusted. Tests are run per classifier with
datasets as blocks, because blocks must be independent.

Failure policy: a fold on which a sampler failed counts as score 0 for every
metric, ROC AUC included (0 is the worst value each metric can take; for AUC a
failure is thus treated as worse than chance), when averaging the sampler's
folds on a dataset. A failing sampler therefore keeps its place in every
ranking and pays for the failure in rank instead of being dropped.
"""

import math
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

DEFAULT_METRICS = ("f1", "gmean", "balanced_accuracy", "roc_auc", "average_precision")
FAILED_SCORE = 0.0
ALL_CLASSIFIERS = "all classifiers"

_BLOCK = ["classifier", "dataset"]
_CELL = ["dataset", "sampler", "classifier"]
_METRIC_LABELS = {
    "f1": "F1",
    "gmean": "G-mean",
    "balanced_accuracy": "Balanced accuracy",
    "roc_auc": "ROC AUC",
    "average_precision": "Average precision",
}
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


# ---------------------------------------------------------------------------
# tables


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
        Metric columns to summarise.

    Returns
    -------
    pandas.DataFrame
        Columns dataset, sampler, classifier, metric, mean, sd (sample standard
        deviation), n_ok and n_failed.
    """
    long = results.assign(ok=results["status"].eq("ok")).melt(
        id_vars=[*_CELL, "ok"], value_vars=list(metrics), var_name="metric"
    )
    long["value"] = long["value"].where(long["ok"])
    long["failed"] = ~long["ok"]
    return (
        long.groupby([*_CELL, "metric"], sort=True)
        .agg(
            mean=("value", "mean"),
            sd=("value", "std"),
            n_ok=("ok", "sum"),
            n_failed=("failed", "sum"),
        )
        .reset_index()
    )


def dataset_scores(results, metric):
    """Score of each sampler on each dataset and classifier, the values that are ranked.

    The score is the mean of the metric over all of the sampler's folds, a
    failed fold counting as ``FAILED_SCORE`` (0). See the module docstring for
    the full failure policy.

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy benchmark results.
    metric : str
        Metric column, higher is better.

    Returns
    -------
    pandas.DataFrame
        One row per (classifier, dataset) block, one column per sampler.
    """
    failed = results["status"].ne("ok")
    frame = results[[*_BLOCK, "sampler"]].assign(value=results[metric].mask(failed, FAILED_SCORE))
    scores = frame.groupby([*_BLOCK, "sampler"], sort=True)["value"].mean().unstack("sampler")
    defined = (
        (~failed & results[metric].notna())
        .groupby([results["classifier"], results["dataset"]])
        .any()
    )
    return scores[defined.reindex(scores.index)].fillna(FAILED_SCORE)


def rank_blocks(scores):
    """Rank samplers within each block: 1 is the best score, ties share the average rank.

    Parameters
    ----------
    scores : pandas.DataFrame
        Blocks as rows, samplers as columns, higher is better.

    Returns
    -------
    pandas.DataFrame
        Ranks with the same shape and labels as ``scores``.
    """
    return scores.rank(axis=1, ascending=False, method="average")


def _average_ranks(ranks):
    """Average block ranks per classifier, plus over every dataset and classifier block."""
    table = ranks.groupby(level="classifier").mean().T
    table[ALL_CLASSIFIERS] = ranks.mean()
    table.columns.name = None
    return table.sort_values(ALL_CLASSIFIERS, kind="stable")


def average_ranks(results, metric):
    """Average rank of each sampler per classifier, over datasets.

    Within each dataset (and classifier), samplers are ranked by their
    :func:`dataset_scores` (failed folds count as 0), higher being better and
    ties getting average ranks; ranks are then averaged over datasets. The
    ``"all classifiers"`` column averages over every dataset and classifier
    block; it is descriptive only, as blocks sharing a dataset are not
    independent.

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy benchmark results.
    metric : str
        Metric column, higher is better.

    Returns
    -------
    pandas.DataFrame
        Samplers as rows (best overall first), classifiers and
        ``"all classifiers"`` as columns.
    """
    return _average_ranks(rank_blocks(dataset_scores(results, metric)))


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
        failed.groupby(_CELL, sort=True)
        .agg(n_failed=("status", "size"), first_error=("error", "first"))
        .reset_index()
    )
    n_rows = results.groupby(_CELL).size().rename("n_rows")
    table = table.join(n_rows, on=_CELL)
    table["first_error"] = table["first_error"].fillna("")
    return table[[*_CELL, "n_failed", "n_rows", "first_error"]]


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


# ---------------------------------------------------------------------------
# statistics


class FriedmanResult(NamedTuple):
    """Friedman test of a datasets x samplers score matrix."""

    statistic: float
    pvalue: float
    iman_davenport: float
    iman_davenport_pvalue: float
    n_datasets: int
    n_samplers: int


def friedman_test(score_matrix):
    """Friedman test that all samplers perform alike, with the Iman-Davenport F.

    Each row (dataset) is ranked separately; tied scores get average ranks and
    the chi-square statistic is corrected for ties as in
    :func:`scipy.stats.friedmanchisquare`. Iman and Davenport's F is less
    conservative than the chi-square and is the one Demšar (2006) recommends
    for the decision.

    Parameters
    ----------
    score_matrix : array-like of shape (n_datasets, n_samplers)
        Scores, at least two datasets and two samplers.

    Returns
    -------
    FriedmanResult
        Chi-square statistic and p-value (k - 1 degrees of freedom),
        Iman-Davenport F and p-value (k - 1 and (k - 1)(N - 1) degrees of
        freedom). When every dataset ties all samplers the statistics are 0
        and the p-values 1; when all datasets rank the samplers identically
        F is infinite and its p-value 0.
    """
    scores = np.asarray(score_matrix, dtype=float)
    n, k = scores.shape
    if n < 2 or k < 2:
        raise ValueError(f"need at least 2 datasets and 2 samplers, got {n} x {k}")
    ranks = stats.rankdata(-scores, axis=1)
    ties = sum(
        float(np.sum(counts**3 - counts))
        for counts in (np.unique(row, return_counts=True)[1] for row in ranks)
    )
    correction = 1.0 - ties / (n * k * (k**2 - 1))
    if correction <= 0:
        return FriedmanResult(0.0, 1.0, 0.0, 1.0, n, k)
    rank_sums = ranks.sum(axis=0)
    chi2 = (12.0 / (n * k * (k + 1)) * np.sum(rank_sums**2) - 3.0 * n * (k + 1)) / correction
    denominator = n * (k - 1) - chi2
    if denominator <= 0:
        f_stat, f_p = math.inf, 0.0
    else:
        f_stat = (n - 1) * chi2 / denominator
        f_p = float(stats.f.sf(f_stat, k - 1, (k - 1) * (n - 1)))
    return FriedmanResult(float(chi2), float(stats.chi2.sf(chi2, k - 1)), f_stat, f_p, n, k)


def nemenyi_cd(n_samplers, n_datasets, alpha=0.05):
    """Nemenyi critical difference between average ranks.

    Two samplers whose average ranks over ``n_datasets`` differ by at least
    the critical difference perform significantly differently at level
    ``alpha``. ``q_alpha`` is the studentized range quantile with infinite
    degrees of freedom divided by sqrt(2), as in Demšar (2006), Table 5.

    Parameters
    ----------
    n_samplers : int
        Number of samplers compared, k.
    n_datasets : int
        Number of datasets (blocks), N.
    alpha : float, default=0.05
        Significance level.

    Returns
    -------
    float
        ``q_alpha * sqrt(k (k + 1) / (6 N))``.

    Examples
    --------
    >>> round(nemenyi_cd(5, 30), 3)
    1.114
    """
    k = n_samplers
    q_alpha = stats.studentized_range.ppf(1 - alpha, k, np.inf) / math.sqrt(2)
    return float(q_alpha * math.sqrt(k * (k + 1) / (6.0 * n_datasets)))


def nemenyi_groups(sorted_ranks, cd):
    """Maximal runs of samplers whose average ranks differ by less than ``cd``.

    These are the groups a critical-difference diagram joins with a bar: no
    pair inside a group is significantly different.

    Parameters
    ----------
    sorted_ranks : sequence of float
        Average ranks in increasing order.
    cd : float
        Critical difference.

    Returns
    -------
    list of tuple of int
        ``(first, last)`` positions of each group of two or more samplers.
    """
    groups = []
    for first, low in enumerate(sorted_ranks):
        last = first
        while last + 1 < len(sorted_ranks) and sorted_ranks[last + 1] - low < cd:
            last += 1
        if last > first and (not groups or last > groups[-1][1]):
            groups.append((first, last))
    return groups


def holm_adjust(pvalues):
    """Holm step-down adjusted p-values, in the order given.

    Rejecting every hypothesis whose adjusted p-value is at most alpha is
    Holm's procedure: compare the i-th smallest p with alpha / (m - i + 1)
    and stop at the first that is not rejected.

    Parameters
    ----------
    pvalues : array-like of shape (m,)
        Unadjusted p-values.

    Returns
    -------
    numpy.ndarray of shape (m,)
        ``max over j <= i of min(1, (m - j + 1) p_(j))`` for the i-th smallest.
    """
    p = np.asarray(pvalues, dtype=float)
    m = p.size
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    return adjusted


def holm_vs_control(ranks, control, n_datasets, alpha=0.05):
    """Compare every sampler with a control by average rank, with Holm's correction.

    Uses ``z = (R_i - R_control) / sqrt(k (k + 1) / (6 N))`` and a two-sided
    normal p-value (Demšar 2006, Section 3.2.2); a positive z means the
    sampler ranks worse than the control.

    Parameters
    ----------
    ranks : pandas.Series
        Average rank per sampler, the control included.
    control : str
        Name of the control sampler.
    n_datasets : int
        Number of datasets the ranks average over, N.
    alpha : float, default=0.05
        Family-wise significance level.

    Returns
    -------
    pandas.DataFrame
        Indexed by the other samplers, smallest p first: rank, z, pvalue,
        pvalue_holm and reject.
    """
    ranks = pd.Series(ranks, dtype=float)
    if control not in ranks.index:
        raise ValueError(f"control sampler {control!r} not among {list(ranks.index)}")
    k = len(ranks)
    others = ranks.drop(control)
    z = (others - ranks[control]) / math.sqrt(k * (k + 1) / (6.0 * n_datasets))
    pvalues = 2.0 * stats.norm.sf(np.abs(z.to_numpy()))
    adjusted = holm_adjust(pvalues)
    table = pd.DataFrame(
        {
            "rank": others,
            "z": z,
            "pvalue": pvalues,
            "pvalue_holm": adjusted,
            "reject": adjusted <= alpha,
        }
    )
    table.index.name = "sampler"
    return table.sort_values("pvalue", kind="stable")


# ---------------------------------------------------------------------------
# figures


def _figure_class():
    """matplotlib's Figure, or None when matplotlib (an optional extra) is missing.

    Figures are built from ``Figure`` directly, never through pyplot, so that
    drawing works headless and leaves the caller's pyplot backend alone.
    """
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return Figure


def _save(fig, directory, stem, description):
    """Write ``stem``.png and ``stem``.svg; return Markdown showing the PNG, linking the SVG."""
    directory.mkdir(parents=True, exist_ok=True)
    fig.savefig(directory / f"{stem}.png", dpi=200)
    fig.savefig(directory / f"{stem}.svg", metadata={"Date": None})
    return [f"![{description}](figures/{stem}.png) ([SVG](figures/{stem}.svg))", ""]


# Vertical layout of one CD panel, in inches from its top.
_CD_AXIS_Y = 0.85
_CD_GROUP_STEP = 0.1
_CD_ROW_STEP = 0.2


def _cd_label(name, rank):
    return f"{name} ({rank:.2f})"


def _cd_panel_height(k, n_groups):
    return _CD_AXIS_Y + 0.27 + n_groups * _CD_GROUP_STEP + math.ceil(k / 2) * _CD_ROW_STEP + 0.1


def _draw_cd_panel(ax, panel, size, side, control):
    """Draw one Demšar critical-difference diagram, rank 1 (best) on the left.

    Coordinates are inches from the panel's top left corner; ``side`` inches
    on each side of the rank axis hold the sampler names.
    """
    title, ranks, cd, groups = panel
    names, values = list(ranks.index), ranks.to_numpy()
    k = len(values)
    width, height = size
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    lo, hi = side, width - side

    def x(rank):
        return lo + (rank - 1) / (k - 1) * (hi - lo)

    ax.text(width / 2, 0.06, title, ha="center", va="top", fontsize=9)
    cd_end = min(1 + cd, k)
    ax.plot([x(1), x(cd_end)], [0.5, 0.5], color="black", lw=1.2)
    for end in (1, cd_end):
        ax.plot([x(end)] * 2, [0.46, 0.54], color="black", lw=1.2)
    beyond = "" if cd_end == 1 + cd else " (longer than the axis)"
    ax.text(x(1), 0.44, f"CD = {cd:.2f}{beyond}", ha="left", va="bottom", fontsize=9)

    y_axis = _CD_AXIS_Y
    ax.plot([lo, hi], [y_axis, y_axis], color="black", lw=1)
    for tick in range(1, k + 1):
        ax.plot([x(tick)] * 2, [y_axis - 0.07, y_axis], color="black", lw=1)
        ax.text(x(tick), y_axis - 0.09, str(tick), ha="center", va="bottom", fontsize=9)
        if tick < k:
            ax.plot([x(tick + 0.5)] * 2, [y_axis - 0.035, y_axis], color="black", lw=0.7)

    y_group = y_axis + 0.15
    for first, last in groups:
        ax.plot(
            [x(values[first]) - 0.05, x(values[last]) + 0.05],
            [y_group, y_group],
            color="black",
            lw=3.5,
            solid_capstyle="butt",
        )
        y_group += _CD_GROUP_STEP

    row0 = y_axis + 0.27 + len(groups) * _CD_GROUP_STEP
    n_left = math.ceil(k / 2)
    for position, (name, rank) in enumerate(zip(names, values, strict=True)):
        if position < n_left:
            y_row, x_end, ha, sign = row0 + position * _CD_ROW_STEP, lo - 0.2, "right", -1
        else:
            y_row, x_end, ha, sign = row0 + (k - 1 - position) * _CD_ROW_STEP, hi + 0.2, "left", 1
        ax.plot([x(rank), x(rank), x_end], [y_axis, y_row, y_row], color="black", lw=0.8)
        ax.text(
            x_end + sign * 0.06,
            y_row,
            _cd_label(name, rank),
            ha=ha,
            va="center",
            fontsize=9,
            fontweight="bold" if name == control else "normal",
        )


def _cd_figure(figure_cls, panels, control):
    """One figure with a critical-difference panel per classifier, stacked.

    The figure is 6.5 inches wide unless long sampler names need more to
    leave the rank axis at least 3.5 inches.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    bold = FontProperties(weight="bold")
    longest = max(
        TextPath((0, 0), _cd_label(name, rank), size=9, prop=bold).get_extents().width / 72
        for _, ranks, _, _ in panels
        for name, rank in ranks.items()
    )
    # Names start 0.26 inch from the axis; TextPath runs ~7% short of Agg's text.
    side = 0.4 + 1.1 * longest
    width = max(6.5, 2 * side + 3.5)
    heights = [_cd_panel_height(len(r), len(groups)) for _, r, _, groups in panels]
    total = sum(heights)
    fig = figure_cls(figsize=(width, total))
    top = total
    for panel, height in zip(panels, heights, strict=True):
        top -= height
        ax = fig.add_axes((0, top / total, 1, height / total))
        _draw_cd_panel(ax, panel, (width, height), side, control)
    return fig


def _rank_boxplot(figure_cls, ranks, title, control):
    """Box plot of per-block ranks per sampler, best mean rank at the top, rank 1 on the left."""
    order = list(ranks.mean().sort_values(kind="stable").index)
    k = len(order)
    fig = figure_cls(figsize=(6.5, 1.3 + 0.32 * k), layout="constrained")
    ax = fig.add_subplot()
    ax.boxplot(
        [ranks[name].to_numpy() for name in order],
        orientation="horizontal",
        tick_labels=order,
        widths=0.6,
        showmeans=True,
        medianprops={"color": "black"},
        meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "black"},
    )
    for label in ax.get_yticklabels():
        if label.get_text() == control:
            label.set_fontweight("bold")
    ax.set_ylim(k + 0.5, 0.5)
    ax.set_xlim(0.5, k + 0.5)
    ax.set_xticks(range(1, k + 1))
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("rank on a dataset with a classifier (1 = best)")
    ax.set_title(title, fontsize=10)
    return fig


# ---------------------------------------------------------------------------
# Markdown


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
        "classifier blocks."
    )


class _ClassifierTests(NamedTuple):
    """Friedman, Nemenyi and Holm results of one classifier for one metric."""

    classifier: str
    friedman: FriedmanResult
    cd: float
    mean_ranks: pd.Series
    holm: pd.DataFrame
    rejects: bool


def _classifier_tests(scores, ranks, control, alpha):
    """Run the tests per classifier; also name the classifiers with too few datasets."""
    tests, skipped = [], []
    for classifier, block in ranks.groupby(level="classifier"):
        n, k = block.shape
        if n < 2 or k < 2:
            skipped.append(f"- {classifier}: {n} dataset(s), {k} sampler(s); too few to test.")
            continue
        friedman = friedman_test(scores.loc[classifier])
        mean_ranks = block.mean().sort_values(kind="stable")
        tests.append(
            _ClassifierTests(
                classifier,
                friedman,
                nemenyi_cd(k, n, alpha),
                mean_ranks,
                holm_vs_control(mean_ranks, control, n, alpha),
                bool(friedman.iman_davenport_pvalue <= alpha),
            )
        )
    return tests, skipped


def _friedman_markdown(tests, alpha):
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
    columns = ["classifier", "N", "k", "χ²_F", "p (χ²)", "F_F (Iman-Davenport)", "p (F_F)"]
    table = pd.DataFrame(rows, columns=[*columns, f"CD (α = {alpha})", "decision"])
    notes = [
        f"- {t.classifier}: the Friedman test does not reject equal performance "
        f"({_p_text(t.friedman.iman_davenport_pvalue)}); its Nemenyi groups and Holm results "
        "are reported for completeness but are **not significant**."
        for t in tests
        if not t.rejects
    ]
    return [_markdown_table(table), "", *notes]


def _holm_markdown(tests, control):
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
    columns = ["classifier", "sampler", "rank", f"{control} rank", "z", "p", "Holm p"]
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


def _metric_figures(figure_cls, figure_dir, metric, label, tests, ranks, control):
    """Save the metric's CD diagram and rank box plot; return their Markdown."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", metric)
    lines = []
    if tests:
        panels = [
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
        figure = _cd_figure(figure_cls, panels, control)
        lines += _save(figure, figure_dir, f"cd_{slug}", f"Critical-difference diagram, {label}")
    title = f"{label}: ranks on {len(ranks)} dataset and classifier blocks; diamonds: means"
    figure = _rank_boxplot(figure_cls, ranks, title, control)
    return lines + _save(figure, figure_dir, f"ranks_{slug}", f"Rank distribution, {label}")


def _metric_section(results, metric, control, alpha, figure_cls, figure_dir, records):
    """Markdown for one metric; appends the metric's CSV rows to ``records``."""
    label = _METRIC_LABELS.get(metric, metric)
    lines = [f"## {label} (`{metric}`)", ""]
    scores = dataset_scores(results, metric)
    blocks = set(results[_BLOCK].drop_duplicates().itertuples(index=False, name=None))
    dropped = sorted(blocks - set(scores.index))
    if dropped:
        where = ", ".join(f"{dataset} with {classifier}" for classifier, dataset in dropped)
        lines += [f"Left out, as no successful fold defines the metric: {where}.", ""]
    if scores.empty:
        return [*lines, "No dataset defines this metric; nothing to rank.", ""]

    ranks = rank_blocks(scores)
    table = _average_ranks(ranks)
    n_blocks = ranks.groupby(level="classifier").size().to_dict() | {ALL_CLASSIFIERS: len(ranks)}
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

    tests, skipped = _classifier_tests(scores, ranks, control, alpha)
    friedman, holm = _test_records(metric, tests, control)
    records["friedman"] += friedman
    records["holm"] += holm
    lines += [*skipped, ""] if skipped else []
    if tests:
        lines += ["### Friedman test and Nemenyi critical difference", ""]
        lines += [*_friedman_markdown(tests, alpha), ""]
        lines += [f"### Holm step-down test against {control}", "", _holm_markdown(tests, control)]
        lines += [""]
    if figure_cls is not None:
        lines += _metric_figures(figure_cls, figure_dir, metric, label, tests, ranks, control)
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
    says so. Failed folds count as score 0 (see the module docstring).

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
        Metric columns to report, higher being better for each.
    alpha : float, default=0.05
        Significance level of every test.

    Returns
    -------
    pathlib.Path
        Path of report.md.
    """
    out_dir = Path(out_dir)
    metrics = list(metrics)
    used = {*_CELL, "n_samples", "n_features", "imbalance_ratio", "repeat", "fold", "status"}
    used |= {"error", "fit_resample_seconds", "n_synthetic", *metrics}
    missing = used - set(results.columns)
    if missing:
        raise ValueError(f"results lack columns {sorted(missing)}")
    if control not in set(results["sampler"]):
        raise ValueError(f"control sampler {control!r} is not in the results")
    out_dir.mkdir(parents=True, exist_ok=True)
    figure_cls = _figure_class()

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

    records = {"ranks": [], "friedman": [], "holm": []}
    for metric in metrics:
        lines += _metric_section(
            results, metric, control, alpha, figure_cls, out_dir / "figures", records
        )
    for name, rows in records.items():
        pd.DataFrame(rows).to_csv(out_dir / f"{name}.csv", index=False)

    shown = timing.assign(
        median_fit_resample_seconds=timing["median_fit_resample_seconds"].map(
            lambda v: _number(v, 4)
        ),
        median_n_synthetic=timing["median_n_synthetic"].map(lambda v: _number(v, 0)),
    )
    shown.columns = ["sampler", "median fit_resample (s)", "median synthetic", "ok", "failed"]
    lines += [
        "## Timing",
        "",
        "Median over successful rows.",
        "",
        _markdown_table(shown),
        "",
        "## Failures",
        "",
    ]
    if failures.empty:
        lines += ["No failures.", ""]
    else:
        shown = failures.copy()
        shown["first_error"] = shown["first_error"].map(
            lambda m: m if len(m) <= 160 else m[:157] + "..."
        )
        lines += [_markdown_table(shown), "", "Full messages are in failures.csv.", ""]
    lines += [
        "## Files",
        "",
        "summary.csv (mean and sd over successful folds), ranks.csv, friedman.csv, holm.csv, "
        "timing.csv, failures.csv.",
        "",
    ]
    report = out_dir / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    return report
