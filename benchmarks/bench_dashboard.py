"""Benchmark: render the program dashboard for 10,000 men and ~300,000 attendance marks.

Builds the synthetic demo (``alliance.demo.loader.build_demo``) into a fresh database, logs in
as the demo program manager and times ``GET /dashboard/`` through ``django.test.Client``
(the whole Django stack: middleware, session, queries, charts, template), interleaved with
``GET /login/`` as the trivial page of the same run, so the ratio says how much heavier the
dashboard is than a page that does almost nothing. Reports p50 / p95 after warm-up, and the
dashboard's query count at a small and at the full size (it must not grow with the men).

Run from the repository root::

    .venv/bin/python benchmarks/bench_dashboard.py                      # SQLite and PostgreSQL
    .venv/bin/python benchmarks/bench_dashboard.py --database sqlite
    .venv/bin/python benchmarks/bench_dashboard.py --database postgres  # via with-postgres.sh

``--database current`` measures whatever ``DATABASE_URL`` names (it must be empty or hold only
a previous demo); the other choices run one child process per database with ``current``,
SQLite in a temporary file and PostgreSQL in the throwaway cluster of
``scripts/with-postgres.sh``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULT_PREFIX = "BENCH-RESULT "
TARGET_P95_MS = 300.0


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation): the value below which ``share`` falls."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()


def _build(participants: int, seed: int, history_weeks: int) -> dict[str, Any]:
    from alliance.demo.loader import build_demo

    start = time.perf_counter()
    summary = build_demo(participants=participants, seed=seed, history_weeks=history_weeks)
    seconds = time.perf_counter() - start
    print(
        f"  built {summary.participants:,} men, {summary.sessions:,} sessions, "
        f"{summary.attendance:,} attendance rows in {seconds:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    return {
        "participants": summary.participants,
        "sessions": summary.sessions,
        "attendance": summary.attendance,
        "enrollments": sum(summary.enrollments_by_status.values()),
        "build_seconds": seconds,
    }


def _manager_client() -> Any:
    """The demo manager, signed in with the second factor passed (as after a real code)."""
    from _signin import verified_client

    return verified_client("manager")


def _dashboard_queries() -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _manager_client()
    client.get("/dashboard/")  # first request may fill caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200, response.status_code
    return len(queries)


def _time_pages(requests: int, warmup: int) -> dict[str, list[float]]:
    from django.test import Client

    from alliance import charts

    manager, anonymous = _manager_client(), Client()
    pages = {
        "dashboard": (manager, "/dashboard/"),
        "login": (anonymous, "/login/"),
    }
    # The charts are cached by their figures; also time the request that has to draw them
    # (the first view after attendance or a status changed).
    fresh = getattr(charts, "clear_cache", None)
    if fresh is not None:
        pages["dashboard_fresh_charts"] = (manager, "/dashboard/")
    times: dict[str, list[float]] = {name: [] for name in pages}
    for i in range(warmup + requests):
        # Interleaved so that all pages see the same machine load.
        for name, (client, url) in pages.items():
            if name == "dashboard_fresh_charts" and fresh is not None:
                fresh()
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, (url, response.status_code)
            if i >= warmup:
                times[name].append(elapsed * 1000)
    return times


def run_current(args: argparse.Namespace) -> dict[str, Any]:
    """Measure against the database DATABASE_URL names, in this process."""
    with tempfile.TemporaryDirectory(prefix="alliance-bench-static-") as static:
        # Static files as `alliance serve` has them: collected, with the hashed manifest.
        os.environ["STATIC_ROOT"] = static
        _setup_django()
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        return _measure(args)


def _measure(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    connection.ensure_connection()
    vendor = connection.vendor
    server = ".".join(map(str, connection.get_database_version()))
    print(f"== {vendor} {server}", file=sys.stderr, flush=True)
    call_command("migrate", verbosity=0)

    result: dict[str, Any] = {"vendor": vendor, "server_version": str(server), "queries": {}}
    for size in sorted(set(args.query_sizes) - {args.participants}):
        _build(size, args.seed, args.history_weeks)
        result["queries"][size] = _dashboard_queries()
    result["data"] = _build(args.participants, args.seed, args.history_weeks)
    result["queries"][args.participants] = _dashboard_queries()
    if vendor == "postgresql":
        # Fresh bulk-loaded tables have no planner statistics until autovacuum gets to them;
        # a production database would have them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    times = _time_pages(args.requests, args.warmup)
    result["times"] = times
    if args.profile:
        _profile(args.profile)
    return result


def _profile(path: str) -> None:
    import cProfile
    import pstats

    client = _manager_client()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get("/dashboard/")
    profiler.disable()
    profiler.dump_stats(path)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)


def _child(database: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--database", "current"]
    command += ["--participants", str(args.participants), "--seed", str(args.seed)]
    command += ["--history-weeks", str(args.history_weeks), "--requests", str(args.requests)]
    command += ["--warmup", str(args.warmup), "--query-sizes", *map(str, args.query_sizes)]
    env = dict(os.environ)
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        command = [str(ROOT / "scripts" / "with-postgres.sh"), *command]
    if args.profile:
        command += ["--profile", f"{args.profile}.{database}"]
    completed = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return dict(json.loads(line[len(RESULT_PREFIX) :]))
    raise SystemExit(f"{database}: the child printed no result")


def _markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| Database | Page | p50 | p95 | p95 ratio to login | p95 < 300 ms | queries at "
        + " / ".join(f"{int(n):,}" for n in sorted(results[0]["queries"], key=int))
        + " men |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        name = f"{r['vendor']} {r['server_version']}"
        counts = " / ".join(str(r["queries"][k]) for k in sorted(r["queries"], key=int))
        login = r["times"]["login"]
        l50, l95 = percentile(login, 0.5), percentile(login, 0.95)
        for key, page in [
            ("dashboard", "`/dashboard/`"),
            ("dashboard_fresh_charts", "`/dashboard/`, charts drawn afresh"),
        ]:
            if key not in r["times"]:
                continue
            d50, d95 = percentile(r["times"][key], 0.5), percentile(r["times"][key], 0.95)
            verdict = "met" if d95 < TARGET_P95_MS else "**missed**"
            lines.append(
                f"| {name} | {page} | {d50:.0f} ms | {d95:.0f} ms | "
                f"**{d95 / l95:.0f}×** (p50 {d50 / l50:.0f}×) | {verdict} | {counts} |"
            )
        lines.append(f"| {name} | `/login/` (trivial page) | {l50:.1f} ms | {l95:.1f} ms | 1 | | |")
    return "\n".join(lines)


def _data_line(results: list[dict[str, Any]]) -> str:
    parts = []
    for r in results:
        d = r["data"]
        parts.append(
            f"{r['vendor']}: {d['participants']:,} men, {d['enrollments']:,} enrollments, "
            f"{d['sessions']:,} sessions, {d['attendance']:,} attendance rows, "
            f"built in {d['build_seconds']:.0f} s"
        )
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument(
        "--database", choices=["sqlite", "postgres", "both", "current"], default="both"
    )
    parser.add_argument("--history-weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--query-sizes",
        type=int,
        nargs="*",
        default=[1_000],
        help="also build these sizes first and count the dashboard's queries there",
    )
    parser.add_argument("--profile", help="write a cProfile of 5 dashboard requests here")
    args = parser.parse_args()

    if args.database == "current":
        print(RESULT_PREFIX + json.dumps(run_current(args)), flush=True)
        return
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory(prefix="alliance-bench-") as tmp:
        results = [_child(db, args, Path(tmp)) for db in databases]
    print(
        f"\n{args.requests} requests per page after {args.warmup} warm-up, interleaved; "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}."
    )
    print(_data_line(results) + ".\n")
    print(_markdown(results))


if __name__ == "__main__":
    main()
