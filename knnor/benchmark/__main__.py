"""``python -m knnor.benchmark``: the ``knnor-benchmark`` command."""

from knnor.benchmark.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
