"""Statistical report of a benchmark run: ranks, Friedman and post-hoc tests, figures.

Split by concern: :mod:`.stats` ranks the samplers and tests the ranks (and
states the failure policy), :mod:`.tables` summarises the raw results,
:mod:`.figures` draws (matplotlib being optional) and :mod:`.markdown` writes
report.md and the CSV files. Everything public is importable from here.
"""

from knnor.benchmark.report.markdown import write_report
from knnor.benchmark.report.stats import (
    ALL_CLASSIFIERS,
    FAILED_SCORE,
    FriedmanResult,
    average_ranks,
    dataset_scores,
    friedman_test,
    holm_adjust,
    holm_vs_control,
    nemenyi_cd,
    nemenyi_groups,
    rank_blocks,
)
from knnor.benchmark.report.tables import (
    DEFAULT_METRICS,
    failures_table,
    summarise,
    timing_table,
)

__all__ = [
    "ALL_CLASSIFIERS",
    "DEFAULT_METRICS",
    "FAILED_SCORE",
    "FriedmanResult",
    "average_ranks",
    "dataset_scores",
    "failures_table",
    "friedman_test",
    "holm_adjust",
    "holm_vs_control",
    "nemenyi_cd",
    "nemenyi_groups",
    "rank_blocks",
    "summarise",
    "timing_table",
    "write_report",
]
