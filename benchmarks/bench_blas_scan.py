"""The exact BLAS scan against the machine's single-precision GEMM rate.

The reliability filter and the neighbour search on many features scan every
row with float32 products (``knnor._kernels.blas``). This script times, on one
thread, the bare products of the scan's tiles (``CHUNK`` queries x ``BLOCK``
rows) and the whole exact search (:func:`blas_knn`, k=12, the filter's
other-class lists) on the same rows, and prints both as GFLOP/s of the
products (``2 * queries * rows * features``) and their ratio::

    python benchmarks/bench_blas_scan.py
    python benchmarks/bench_blas_scan.py --shapes 10000x90000x50,2000x18000x784
"""

import argparse
import time

import numba
import numpy as np
from threadpoolctl import threadpool_limits

from knnor._kernels.blas import BLOCK, CHUNK, _products, blas_knn, blas_rows, power_of_two_scale


def best_of(repeats, run):
    """Shortest of ``repeats`` timed calls of ``run`` (after one warm-up)."""
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(n_queries, n_rows, n_features, repeats):
    rng = np.random.default_rng(0)
    queries, rows = rng.normal(size=(n_queries, n_features)), rng.normal(size=(n_rows, n_features))
    blas = blas_rows(rows, power_of_two_scale(np.vstack([queries, rows])))
    queries32 = (queries * blas.scale).astype(np.float32)

    def tiles():
        for first in range(0, n_queries, CHUNK):
            for start in range(0, n_rows, BLOCK):
                _products(
                    queries32[first : first + CHUNK],
                    blas.scaled32,
                    start,
                    min(start + BLOCK, n_rows),
                )

    flops = 2.0 * n_queries * n_rows * n_features
    gemm = flops / best_of(repeats, tiles) / 1e9
    scan = flops / best_of(repeats, lambda: blas_knn(blas, queries, 12, False)) / 1e9
    print(
        f"| {n_queries} x {n_rows} x {n_features} | {gemm:.1f} | {scan:.1f} | {scan / gemm:.0%} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shapes", default="10000x90000x50,2000x18000x784")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    numba.set_num_threads(1)
    print(f"one thread; tiles of {CHUNK} queries x {BLOCK} rows")
    print("| queries x rows x features | tile sgemm GFLOP/s | exact scan GFLOP/s | scan / sgemm |")
    print("|---|---:|---:|---:|")
    with threadpool_limits(1, "blas"):
        for shape in args.shapes.split(","):
            measure(*map(int, shape.split("x")), args.repeats)


if __name__ == "__main__":
    main()
