"""Benchmark: score 1,000,000 SCS-SF administrations (12 items).

Reports, from one process and one machine:

* the engine's time to score the whole frame (best of ``--repeats``);
* the ratio to the naive row-by-row reference scorer from the tests, timed on a subsample
  and extrapolated linearly to the full size (it is pure Python per row, so it scales
  linearly);
* the ratio to the time pandas takes merely to write the same responses to CSV and read them
  back (in a temporary directory), the floor for any CSV-in / CSV-out scoring job.

Run from the repository root::

    .venv/bin/python benchmarks/bench_scoring.py
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alliance.core.instruments import ENGINE_VERSION, get_bundled, score
from tests.core.instruments import reference


def make_responses(n_rows: int, seed: int) -> pd.DataFrame:
    """Integer answers 1-5 with about 2% missing cells, plus an id column."""
    rng = np.random.default_rng(seed)
    answers = rng.integers(1, 6, size=(n_rows, 12)).astype(np.float64)
    answers[rng.random(answers.shape) < 0.02] = np.nan
    frame = pd.DataFrame(answers, columns=[f"scs_sf_{i:02d}" for i in range(1, 13)])
    frame.insert(0, "administration", np.arange(n_rows))
    return frame


def best_of(repeats: int, fn: object) -> float:
    assert callable(fn)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    definition = get_bundled("scs_sf")
    frame = make_responses(args.rows, args.seed)
    score(definition, frame.head(1000), id_column="administration")  # warm-up

    engine = best_of(args.repeats, lambda: score(definition, frame, id_column="administration"))
    result = score(definition, frame, id_column="administration")
    assert result.ok

    sample = frame.head(args.naive_rows).drop(columns="administration")
    naive_sample = best_of(1, lambda: reference.score_frame(definition, sample))
    naive = naive_sample * args.rows / args.naive_rows

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "responses.csv"
        out_path = Path(tmp) / "scores.csv"

        def csv_round_trip() -> None:
            frame.to_csv(path, index=False)
            pd.read_csv(path)

        csv_io = best_of(args.repeats, csv_round_trip)
        # For context: the engine's output written to CSV as a scoring job would.
        write_out = best_of(1, lambda: result.frame.to_csv(out_path, index=False))

    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")
    print(f"engine {ENGINE_VERSION}; {args.rows:,} administrations of SCS-SF (12 items)")
    print(f"engine score():                 {engine:8.3f} s")
    print(
        f"naive reference (extrapolated): {naive:8.3f} s  "
        f"(timed on {args.naive_rows:,} rows: {naive_sample:.3f} s)"
    )
    print(f"pandas CSV write + read:        {csv_io:8.3f} s")
    print(f"writing the scores CSV:         {write_out:8.3f} s")
    print(f"naive / engine:                 {naive / engine:8.1f} x")
    print(f"engine / CSV write + read:      {engine / csv_io:8.3f}")


if __name__ == "__main__":
    main()
