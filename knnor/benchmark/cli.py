"""``knnor-benchmark``: list datasets, run the benchmark, write its report.

The options are in :mod:`.cli_arguments`, the commands in :mod:`.cli_commands`. This
module only checks that the ``benchmark`` extra is installed, so that a base install
says what to install instead of failing on an import.
"""

import argparse
import sys

import knnor

PROG = "knnor-benchmark"
EXTRA_HINT = 'pip install "knnor[benchmark]"'


def missing_requirement():
    """The module the benchmark needs and cannot import, or None.

    pandas is the one the ``benchmark`` extra adds that every command needs
    (matplotlib and pyarrow are optional: figures and parquet files are skipped
    without them).
    """
    try:
        import pandas  # noqa: F401
    except ImportError:
        return "pandas"
    return None


def main(argv=None):
    """Run ``knnor-benchmark`` with ``argv`` (default: the command line).

    Returns
    -------
    int
        Exit status: 0 on success (and after ``--help`` or ``--version``), 2 on a
        usage or data error or without the ``benchmark`` extra, 130 when
        interrupted (the finished tasks stay cached).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    version = argparse.ArgumentParser(prog=PROG, add_help=False)
    version.add_argument("--version", action="version", version=f"%(prog)s {knnor.__version__}")
    try:
        version.parse_known_args(argv)  # --version answers even without the extra
    except SystemExit as done:
        return done.code
    missing = missing_requirement()
    if missing is not None:
        print(
            f"{PROG}: error: the benchmark needs {missing}, which the 'benchmark' extra "
            f"installs: {EXTRA_HINT}",
            file=sys.stderr,
        )
        return 2

    from knnor.benchmark.cli_arguments import build_parser

    try:  # argparse exits on --help (0) and on a bad option (2, after its message)
        args = build_parser().parse_args(argv)
    except SystemExit as done:
        return done.code
    try:
        return args.func(args)
    except (ValueError, ImportError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "\ninterrupted: finished tasks are cached; run the same command to resume",
            file=sys.stderr,
        )
        return 130
