"""knnor-benchmark's own checks: --version, numeric options, and a base install
without the benchmark extra."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import knnor
from knnor.benchmark.cli import main

ROOT = Path(__file__).resolve().parent.parent

# Loaded at start-up through PYTHONPATH: `import pandas` fails as it does where
# pandas is not installed.
PANDAS_BLOCKER = """
import sys


class BlockPandas:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


sys.meta_path.insert(0, BlockPandas())
"""


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"knnor-benchmark {knnor.__version__}"


@pytest.mark.parametrize(
    ("option", "value", "reason"),
    [
        ("--folds", "0", "must be at least 2, got 0"),
        ("--folds", "1", "must be at least 2, got 1"),
        ("--folds", "two", "expected a whole number, got 'two'"),
        ("--repeats", "0", "must be at least 1, got 0"),
        ("--max-samples", "-5", "must be at least 1, got -5"),
        ("--seed", "-1", "must be at least 0, got -1"),
        ("--n-jobs", "0", "0 runs nothing"),
        ("--n-jobs", "1.5", "expected a whole number"),
        ("--imbalance-ratios", "10,x", "imbalance ratios must be numbers, got 'x'"),
        ("--imbalance-ratios", "10,0.5", "an imbalance ratio must be at least 1, got 0.5"),
        ("--imbalance-ratios", "10,10", "expected distinct imbalance ratios"),
    ],
)
def test_numeric_options_are_refused_before_any_work(tmp_path, capsys, option, value, reason):
    out = tmp_path / "out"
    assert main(["run", "--suite", "quick", option, value, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"error: argument {option}: {reason}" in err
    assert not out.exists()  # nothing ran, nothing was written


@pytest.mark.parametrize("value", ["-1", "2"])
def test_valid_n_jobs_pass(value):
    from knnor.benchmark.cli_arguments import build_parser

    args = build_parser().parse_args(["run", "--n-jobs", value, "--imbalance-ratios", "10,2.5"])
    assert args.n_jobs == int(value)
    assert args.imbalance_ratios == [10, 2.5]


def run_without_pandas(tmp_path, *argv):
    (tmp_path / "sitecustomize.py").write_text(PANDAS_BLOCKER)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize("argv", [["--help"], ["run", "--suite", "quick"], ["datasets"]])
def test_without_the_extra_every_command_names_it(tmp_path, argv):
    done = run_without_pandas(tmp_path, "-m", "knnor.benchmark", *argv)
    assert done.returncode == 2, done.stderr
    assert 'pip install "knnor[benchmark]"' in done.stderr
    assert "needs pandas" in done.stderr
    assert "Traceback" not in done.stderr


def test_without_the_extra_the_package_and_version_still_work(tmp_path):
    check = (
        "import sys, knnor, knnor.benchmark, knnor.datasets; "
        "from knnor.data_augment import KNNOR; "
        "assert 'pandas' not in sys.modules; print(knnor.__version__)"
    )
    done = run_without_pandas(tmp_path, "-c", check)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == knnor.__version__
    done = run_without_pandas(tmp_path, "-m", "knnor.benchmark", "--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"knnor-benchmark {knnor.__version__}")


def test_the_blocker_blocks(tmp_path):
    # Without this, the tests above could pass on a machine where pandas imports.
    done = run_without_pandas(tmp_path, "-c", "import pandas")
    assert done.returncode == 1 and "No module named 'pandas'" in done.stderr


@pytest.mark.parametrize(
    ("backend", "module", "install"),
    [
        ("dask", "distributed", "pip install 'dask[distributed]'"),
        ("ray", "ray", "pip install 'ray[default]'"),
    ],
)
def test_a_cluster_backend_without_its_package_names_what_to_install(
    tmp_path, monkeypatch, capsys, backend, module, install
):
    monkeypatch.setitem(sys.modules, module, None)  # `import` and find_spec fail on it
    out = tmp_path / "out"
    assert main(["run", "--backend", backend, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"error: --backend {backend} needs {module}, which is not installed: {install}" in err
    assert not out.exists()  # refused before any work


def test_an_address_without_a_cluster_backend_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "--address", "tcp://127.0.0.1:8786", "--out", str(out)]) == 2
    assert "--address tcp://127.0.0.1:8786 is the scheduler of a cluster: add --backend dask" in (
        capsys.readouterr().err
    )
    assert not out.exists()
