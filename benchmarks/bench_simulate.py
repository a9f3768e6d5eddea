"""Time the synthetic program generator at 10k and 100k referred men.

Run with ``python benchmarks/bench_simulate.py``.  Each timing is reported as a ratio to a
baseline measured in the same process on the same machine: drawing as many standard
normals as the program has person-session rows, eight columns' worth, and building an
eight-column pandas frame from them (the size of the ``sessions`` frame).  Prints a
Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from alliance.core.simulate import simulate_program

SIZES = (10_000, 100_000)
REPEATS = {10_000: 5, 100_000: 2}


def best_of(repeats: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def baseline(rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.standard_normal((8, rows))
    pd.DataFrame({f"c{i}": values[i] for i in range(8)})


def main() -> None:
    print(f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")
    print()
    print("| men referred | person-session rows | simulate_program (s) | baseline (s) | ratio |")
    print("|---:|---:|---:|---:|---:|")
    for n in SIZES:
        rows = len(simulate_program(n, rng=np.random.default_rng(1)).sessions)
        seconds = best_of(REPEATS[n], lambda n=n: simulate_program(n, rng=np.random.default_rng(1)))
        base = best_of(REPEATS[n], lambda rows=rows: baseline(rows, 1))
        print(f"| {n:,} | {rows:,} | {seconds:.2f} | {base:.3f} | {seconds / base:.0f}x |")


if __name__ == "__main__":
    main()
