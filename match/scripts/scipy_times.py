#!/usr/bin/python3
"""Print scipy.optimize.linear_sum_assignment times on the benchmark sizes.

The matrices match BenchmarkSolve's kind: seeded uniform random costs in [0, 1).
Each size reports the median of several runs, each on a fresh matrix.
"""
import statistics
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

SIZES = [(1000, 1000), (3000, 3000), (200, 1000), (1000, 3000)]


def runs_for(rows, cols):
    return 5 if rows * cols >= 9_000_000 else 15


def main():
    rng = np.random.default_rng(1)
    print(f"scipy {__import__('scipy').__version__}")
    print(f"{'size':>10} {'median ms':>10} {'min ms':>8}")
    for rows, cols in SIZES:
        times = []
        for _ in range(runs_for(rows, cols)):
            cost = rng.random((rows, cols))
            start = time.perf_counter()
            linear_sum_assignment(cost)
            times.append(time.perf_counter() - start)
        print(f"{rows}x{cols:<5} {statistics.median(times) * 1e3:10.2f} {min(times) * 1e3:8.2f}")


if __name__ == "__main__":
    main()
