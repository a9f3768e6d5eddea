"""Benchmark: `alliance instruments` start-up and end-to-end scoring, as ratios (issue 16).

1. ``alliance instruments list`` against ``python -c "import numpy, pandas"``: wall time of a
   fresh process, best of ``--repeats``, interleaved so both see the same machine load.
   Goal: within 1.5x.
2. ``alliance instruments score --definition scs_sf --responses R.csv --out S.csv`` on
   ``--rows`` administrations (12 items, answers 1-5, about 2 % missing, an id column) against
   pandas reading the same CSV and writing it back (``read_csv`` + ``to_csv``) in a fresh
   process, best of ``--score-repeats``. Goal: at most 2x.

Run from the repository root::

    .venv/bin/python benchmarks/bench_cli.py            # 1,000,000 rows
    .venv/bin/python benchmarks/bench_cli.py --rows 100000 --repeats 5
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed(command: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, env=env, capture_output=True)
    return time.perf_counter() - start


def _responses(path: Path, rows: int, seed: int) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    answers = rng.integers(1, 6, size=(rows, 12)).astype(float)
    answers[rng.random(answers.shape) < 0.02] = np.nan
    frame = pd.DataFrame(answers, columns=[f"scs_sf_{k:02d}" for k in range(1, 13)])
    frame.insert(0, "id", np.arange(rows))
    frame.to_csv(path, index=False)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--score-repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    python = sys.executable
    startup_alliance, startup_import = [], []
    for _ in range(args.repeats):
        startup_import.append(_timed([python, "-c", "import numpy, pandas"]))
        startup_alliance.append(_timed([python, "-m", "alliance.cli", "instruments", "list"]))
    result: dict[str, object] = {
        "startup_import_numpy_pandas_s": min(startup_import),
        "startup_instruments_list_s": min(startup_alliance),
        "startup_ratio": min(startup_alliance) / min(startup_import),
    }
    with tempfile.TemporaryDirectory() as tmp:
        responses, scores, copy = Path(tmp) / "r.csv", Path(tmp) / "s.csv", Path(tmp) / "c.csv"
        _responses(responses, args.rows, args.seed)
        header = responses.read_text(encoding="utf-8").split("\n", 1)[0]
        if "scs_sf_01" not in header:
            raise SystemExit("unexpected header")
        score_times, pandas_times = [], []
        io_script = (
            "import pandas as pd, sys; pd.read_csv(sys.argv[1]).to_csv(sys.argv[2], index=False)"
        )
        for _ in range(args.score_repeats):
            pandas_times.append(_timed([python, "-c", io_script, str(responses), str(copy)]))
            score = ["instruments", "score", "--definition", "scs_sf"]
            files = ["--responses", str(responses), "--out", str(scores)]
            score_times.append(_timed([python, "-m", "alliance.cli", *score, *files]))
        result.update(
            {
                "rows": args.rows,
                "score_end_to_end_s": min(score_times),
                "pandas_read_write_s": min(pandas_times),
                "score_ratio": min(score_times) / min(pandas_times),
            }
        )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
