"""KNNORReg's speed beside KNNOR and the regression baselines, in one run.

The data is ``make_regression`` with its target made skewed (``exp`` of the
standardised target: a long high tail). Every method grows the rare bump by
the same number of rows. KNNOR runs on the same rows with the rare targets as
its minority class and the same request, so the ratio KNNORReg / KNNOR is what
the regression adapter (relevance, bumps, target check) costs on top of the
engine. The pure-Python baselines (resreg, knnor-reg 0.0.3) run only at sizes
up to ``--python-max`` rows; the numpy ones (our SMOTER, SMOGN) at every size.
``--legacy-python PATH`` adds smogn 0.1.2 and ImbalancedLearningRegression 0.0.2,
which need numpy < 2: PATH is the interpreter of a virtual environment that has
them (``pip install "numpy<2" "pandas<2.2" smogn ImbalancedLearningRegression``);
they run once each, in a child process, on the same data.

Usage::

    python benchmarks/bench_regression.py                 # 5k and 100k rows
    python benchmarks/bench_regression.py --sizes 5000 --repeats 3

Times are the best of ``--repeats`` runs after one warm-up run (numba's
compile excluded); the table gives each method's time and its ratio to
KNNORReg. Absolute times on a shared machine are noise; the ratios are the
result.
"""

import argparse
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import make_regression

from knnor import KNNOR, KNNORReg

try:  # run as a script from the repository root or from benchmarks/
    from _bench_machine import machine_report
except ImportError:  # pragma: no cover
    from benchmarks._bench_machine import machine_report

from knnor.benchmark.regression_samplers import REGRESSION_SAMPLERS

PYTHON_BASELINES = ("resreg_smoter", "resreg_wercs", "knnor_reg_003")
NUMPY_BASELINES = ("random", "gaussian_noise", "smoter", "smogn")


def skewed_regression(n_samples, n_features, seed=0):
    """``make_regression`` with a long high tail in the target."""
    X, y = make_regression(
        n_samples=n_samples, n_features=n_features, noise=10.0, random_state=seed
    )
    return X, np.exp((y - y.mean()) / y.std())


def best_time(run, repeats):
    """Best wall time of ``repeats`` calls of ``run`` after one warm-up call."""
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def legacy_time(python, package, X, y):
    """Seconds ``package`` (smogn or iblr) takes under interpreter ``python``."""
    script = Path(__file__).with_name("_bench_legacy_regression.py")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.npz"
        np.savez(path, X=X, y=y)
        done = subprocess.run(
            [python, str(script), str(path), package], capture_output=True, text=True
        )
    if done.returncode:
        return None
    return float(done.stdout.strip().splitlines()[-1])


def measure(n_samples, n_features, repeats, python_max, n_jobs, legacy_python=None):
    X, y = skewed_regression(n_samples, n_features)
    regressor = KNNORReg(random_state=0, n_jobs=n_jobs).fit(X, y)
    rare_bump = next(iter(regressor.sampling_strategy_))
    n_new = regressor.sampling_strategy_[rare_bump]
    rare = y >= regressor.bumps_[rare_bump].low
    labels = rare.astype(int)
    methods = {
        "KNNORReg": lambda: KNNORReg(random_state=0, n_jobs=n_jobs).fit_resample(X, y),
        "KNNOR (binary, same rows)": lambda: KNNOR(
            sampling_strategy={1: int(rare.sum()) + n_new}, random_state=0, n_jobs=n_jobs
        ).fit_resample(X, labels),
    }
    names = list(NUMPY_BASELINES)
    if n_samples <= python_max:
        names += PYTHON_BASELINES
    for name in names:
        methods[name] = _baseline(name, X, y)
    rows = []
    for label, run in methods.items():
        if run is None:
            rows.append((label, None))
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows.append((label, best_time(run, repeats if label[:5] == "KNNOR" else 1)))
    if legacy_python and n_samples <= python_max:
        for package, label in (("smogn", "smogn 0.1.2"), ("iblr", "ImbalancedLearningRegression")):
            rows.append((label, legacy_time(legacy_python, package, X, y)))
    return n_new, int(rare.sum()), rows


def _baseline(name, X, y):
    sampler = REGRESSION_SAMPLERS[name](random_state=0)
    try:
        sampler.fit_resample(X[:50], y[:50])
    except ImportError:
        return None
    except ValueError:
        pass  # too small a sample for this sampler; the real run decides
    return lambda: sampler.fit_resample(X, y)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,100000")
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--python-max", type=int, default=5000)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--legacy-python", help="interpreter with smogn (numpy < 2)")
    args = parser.parse_args(argv)
    print("\n".join(machine_report()))
    for size in map(int, args.sizes.split(",")):
        n_new, n_rare, rows = measure(
            size, args.features, args.repeats, args.python_max, args.n_jobs, args.legacy_python
        )
        reference = dict(rows)["KNNORReg"]
        print(f"\n## {size:,} rows x {args.features} features: {n_rare} rare, {n_new} new rows")
        print("| method | seconds | ratio to KNNORReg |\n|---|---:|---:|")
        for label, seconds in rows:
            if seconds is None:
                print(f"| {label} | not installed or failed | |")
            else:
                print(f"| {label} | {seconds:.3f} | {seconds / reference:.2f} |")


if __name__ == "__main__":
    main()
