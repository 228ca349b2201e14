"""DaskKNNOR on a local cluster: time per phase and peak memory per worker.

The data (``--rows`` x 10 features, 1% minority by default) is generated
partition by partition, each from its own seed, inside the workers: no
process ever holds it whole. The minority is a Gaussian blob that overlaps
the majority's, so that the filter rejects candidates and the context
matters. ``sampling_strategy=0.1`` asks for minority rows up to a tenth of
the majority (about 9x the minority).

    python benchmarks/bench_dask.py                   # 20M rows, 2 workers
    python benchmarks/bench_dask.py --rows 200000     # a smoke run in seconds

The output's partitions are not collected: a reduction over them (column
sums) reads every original and synthetic row, as writing them would.
"""

import argparse
import json
import resource
import sys
import time

import dask
import dask.array as da
import numpy as np
from _bench_machine import machine_report
from distributed import Client, LocalCluster

from knnor.dask import DaskKNNOR

N_FEATURES = 10


def partition(index, n_rows, minority_share, seed):
    """(X, y) of one partition: a seeded draw that depends on its index only."""
    rng = np.random.default_rng([seed, index])
    y = (rng.random(n_rows) < minority_share).astype(np.int8)
    X = rng.standard_normal((n_rows, N_FEATURES))
    X[y == 1] = X[y == 1] * 0.6 + 1.0  # the minority blob, overlapping the majority
    return X, y


def collections(n_rows, partition_rows, minority_share, seed):
    """Dask X and y whose partitions are generated on the workers."""
    sizes = [min(partition_rows, n_rows - start) for start in range(0, n_rows, partition_rows)]
    parts = [
        dask.delayed(partition, nout=2, pure=True)(i, size, minority_share, seed)
        for i, size in enumerate(sizes)
    ]
    pairs = list(zip(parts, sizes, strict=True))
    X = da.concatenate([da.from_delayed(p[0], (n, N_FEATURES), np.float64) for p, n in pairs])
    y = da.concatenate([da.from_delayed(p[1], (n,), np.int8) for p, n in pairs])
    return X, y


def peak_rss_mib():
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--partition-rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--minority-share", type=float, default=0.01)
    parser.add_argument("--ratio", type=float, default=0.1, help="sampling_strategy")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    with (
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        X, y = collections(args.rows, args.partition_rows, args.minority_share, args.seed)
        sampler = DaskKNNOR(sampling_strategy=args.ratio, random_state=args.seed)
        start = time.perf_counter()
        X_res, y_res = sampler.fit_resample(X, y)
        resample_seconds = time.perf_counter() - start
        start = time.perf_counter()
        column_sums, n_minority = dask.compute(X_res.sum(axis=0), (y_res == 1).sum())
        output_seconds = time.perf_counter() - start
        worker_peaks = sorted(client.run(peak_rss_mib).values())

    stats = sampler.class_stats_[1]
    figures = {
        "rows": args.rows,
        "partitions": X.numblocks[0],
        "workers": args.workers,
        "minority_rows": int(n_minority) - stats["n_accepted"],
        "synthetic_rows": stats["n_accepted"],
        "candidates": stats["n_generated"],
        "rejected_filter": stats["n_rejected_filter"],
        "rounds": sampler.n_rounds_,
        "context_rows": sampler.n_context_rows_,
        "seconds": {phase: round(s, 1) for phase, s in sampler.timings_.items()},
        "resample_seconds": round(resample_seconds, 1),
        "output_pass_seconds": round(output_seconds, 1),
        "total_seconds": round(resample_seconds + output_seconds, 1),
        "peak_rss_mib_per_worker": [round(m) for m in worker_peaks],
        "peak_rss_mib_client": round(peak_rss_mib()),
        "machine": machine_report(),
    }
    assert np.isfinite(column_sums).all()
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as out:
            out.write(text + "\n")
    return figures


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
