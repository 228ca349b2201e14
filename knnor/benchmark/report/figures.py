"""Figures of the report: critical-difference diagrams and rank box plots.

matplotlib is an optional extra: it is imported only when a figure is drawn,
so the tables and the Markdown report work without it.
"""

import math
import re


def figure_class():
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


def _rank_boxplot(figure_cls, ranks, title, control, model="classifier"):
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
    ax.set_xlabel(f"rank on a dataset with a {model} (1 = best)")
    ax.set_title(title, fontsize=10)
    return fig


def metric_figures(
    figure_cls, figure_dir, metric, label, panels, ranks, control, model="classifier"
):
    """Save one metric's CD diagram (when a classifier was tested) and rank box plot.

    ``panels`` holds a (title, mean ranks, CD, Nemenyi groups) tuple per tested
    classifier; ``ranks`` the per-block ranks; ``model`` names the models in
    the text (``"regressor"`` in the regression report). Returns the Markdown
    showing both.
    """
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", metric)
    lines = []
    if panels:
        figure = _cd_figure(figure_cls, panels, control)
        lines += _save(figure, figure_dir, f"cd_{slug}", f"Critical-difference diagram, {label}")
    title = f"{label}: ranks on {len(ranks)} dataset and {model} blocks; diamonds: means"
    figure = _rank_boxplot(figure_cls, ranks, title, control, model)
    return lines + _save(figure, figure_dir, f"ranks_{slug}", f"Rank distribution, {label}")
