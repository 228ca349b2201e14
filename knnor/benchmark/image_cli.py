"""``knnor-benchmark run --task image`` and ``report`` of image results (:mod:`.cli_commands`)."""

from pathlib import Path

from knnor.benchmark.image_protocol import TOO_SMALL
from knnor.benchmark.image_runner import (
    DEFAULT_IMAGE_CLASSIFIERS,
    DEFAULT_IMAGE_SAMPLERS,
    DEFAULT_IMAGE_SUITE,
    DEFAULT_IMBALANCE_RATIOS,
    IMAGE_CONTROL,
    IMAGE_SUITES,
    run_image_benchmark,
)
from knnor.benchmark.specs import split_specs

_OTHER_TASKS = {
    "--regressors": "--task regression",
    "--binary-only": "--task classification",
    "--strong-field": "--task classification",
    "--max-samples": "--task classification or regression",
    "--folds": "--task classification or regression (image runs use repeats)",
}


def _specs(values, default):
    return [spec for value in values for spec in split_specs(value)] if values else list(default)


def image_datasets(suite=None, names=None):
    """The image datasets of ``--suite`` (or ``--datasets``), loaded."""
    from knnor.datasets import IMAGE_DATASETS, load_image_dataset

    if names:
        chosen = split_specs(names)
    else:
        suite = suite or DEFAULT_IMAGE_SUITE
        if suite not in IMAGE_SUITES:
            raise ValueError(
                f"unknown image suite {suite!r}; choose from {', '.join(IMAGE_SUITES)}"
            )
        chosen = list(IMAGE_SUITES[suite])
    unknown = [name for name in chosen if name not in IMAGE_DATASETS]
    if unknown:
        raise ValueError(
            f"unknown image dataset {unknown[0]!r}; choose from {', '.join(IMAGE_DATASETS)}"
        )
    return [load_image_dataset(name) for name in dict.fromkeys(chosen)]


def write_image_report(results, out_dir, control):
    """Write the image report; print and return its path."""
    from knnor.benchmark.report.image import write_image_report as write

    path = write(results, out_dir, control=control)
    print(f"report: {path}")
    return path


def run_image(args):
    """Run the long-tailed image benchmark from parsed ``run`` arguments."""
    for flag, task in _OTHER_TASKS.items():
        value = getattr(args, flag.removeprefix("--").replace("-", "_"))
        if value not in (None, False):
            raise ValueError(f"{flag} is for {task}")
    ratios = args.imbalance_ratios or list(DEFAULT_IMBALANCE_RATIOS)  # parsed by argparse
    datasets = image_datasets(args.suite, args.datasets)
    out_dir = Path(args.out)
    results = run_image_benchmark(
        datasets,
        _specs(args.samplers, DEFAULT_IMAGE_SAMPLERS),
        _specs(args.classifiers, DEFAULT_IMAGE_CLASSIFIERS),
        imbalance_ratios=ratios,
        n_repeats=args.repeats,
        seed=args.seed,
        n_jobs=args.n_jobs,
        backend=args.backend,
        address=args.address,
        out_dir=out_dir,
        progress=not args.quiet,
    )
    status = results["status"]
    n_small, n_failed = int(status.eq(TOO_SMALL).sum()), int(status.eq("failed").sum())
    print(
        f"{len(results)} rows, {n_small} too small, {n_failed} failed: {out_dir / 'results.csv'}"
    )
    if not args.no_report and len(results):
        wanted = args.control or IMAGE_CONTROL
        labels = list(results["sampler"].unique())
        control = wanted if wanted in labels else labels[-1]
        if control != wanted:
            print(f"{wanted!r} was not run: the report tests against {control!r}")
        write_image_report(results, out_dir, control)
    return 0
