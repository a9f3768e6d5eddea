"""Benchmark: the worker's peak memory and time computing the 10,000-man evaluation (issue 16).

Copies a built demo database (``alliance demo --no-serve --participants 10000``; the copy keeps
the original clean for the next run), enqueues the evaluation of every program (the task the
evaluation page enqueues) and runs ``alliance worker --batch`` in its own process. Peak memory
is that process's maximum resident set (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``,
KiB on Linux); the baseline is a worker that runs an empty queue (Django and the app loaded,
nothing computed), so the difference is what the evaluation itself needs.

Run from the repository root::

    .venv/bin/python benchmarks/bench_worker_memory.py --sqlite /tmp/demo10k.sqlite3
    scripts/with-postgres.sh .venv/bin/python benchmarks/bench_worker_memory.py --current

``ALLIANCE_PARTNER_KEY`` (or ``_FILE``) must be the key the demo was built with.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _worker(env: dict[str, str]) -> tuple[float, int]:
    """(seconds, peak RSS in MiB) of one `alliance worker --batch` run in a fresh process."""
    code = (
        "import resource, subprocess, sys, time, json\n"
        "start = time.perf_counter()\n"
        "subprocess.run([sys.executable, '-m', 'alliance.cli', 'worker', '--batch', "
        "'--interval', '0', '--verbosity', '0'], check=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([time.perf_counter() - start, peak]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    seconds, peak_kib = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, peak_kib // 1024


def _enqueue(env: dict[str, str]) -> None:
    code = (
        "from alliance.outcomes.tasks import compute_evaluation_task\n"
        "from alliance.programs.models import Program\n"
        "compute_evaluation_task.enqueue("
        "program_ids=sorted(Program.objects.values_list('pk', flat=True)))\n"
    )
    subprocess.run(
        [sys.executable, "-m", "alliance.cli", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", type=Path, help="a built demo database (copied first)")
    parser.add_argument("--current", action="store_true", help="use DATABASE_URL as it is")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ALLIANCE_TASKS_BACKEND": "database"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    work = Path(tempfile.mkdtemp(prefix="alliance-worker-bench-"))
    try:
        if args.sqlite:
            copy = work / "demo.sqlite3"
            shutil.copy(args.sqlite, copy)
            env["DATABASE_URL"] = f"sqlite:///{copy}"
        elif not args.current:
            raise SystemExit("give --sqlite FILE or --current (DATABASE_URL)")
        # Drain whatever the build left queued, then the empty-queue baseline.
        _worker(env)
        idle_s, idle_mib = _worker(env)
        _enqueue(env)
        start = time.perf_counter()
        busy_s, busy_mib = _worker(env)
        print(
            json.dumps(
                {
                    "engine": "sqlite" if args.sqlite else "current",
                    "evaluation_worker_s": round(busy_s, 1),
                    "evaluation_worker_peak_mib": busy_mib,
                    "idle_worker_s": round(idle_s, 1),
                    "idle_worker_peak_mib": idle_mib,
                    "wall_s": round(time.perf_counter() - start, 1),
                    "own_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                },
                indent=2,
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
