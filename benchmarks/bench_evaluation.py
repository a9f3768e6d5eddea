"""Benchmark: the program evaluation (page and PDF) and the research export for 10,000 men.

Uses a demo database (``alliance demo --no-serve --participants 10000``: 10,000 men in the
programs plus 20,000 alumni, all with follow-up) in a SQLite file, logs in as the demo
organization admin (who sees every program) with ``django.test.Client`` and times, interleaved
so that every request sees the same machine load:

* ``GET /login/`` (the trivial page: the baseline of the same run);
* ``GET /evaluation/`` (flow, change on measures, alert actions, three outcomes each with raw
  and weighted Kaplan-Meier curves and Cox models, six SVG charts);
* ``GET /evaluation/report.pdf`` (the same, through WeasyPrint);
* both again with the evaluation cache emptied first (``_fresh``: the first view after new
  records, which computes every analysis);
* ``POST /evaluation/export/`` as CSV and as SPSS ``.sav`` (shifted dates).

Run from the repository root::

    .venv/bin/python benchmarks/bench_evaluation.py --sqlite /tmp/demo10k.sqlite3
    .venv/bin/python benchmarks/bench_evaluation.py --build 10000   # builds into a temp file

``--profile FILE`` also profiles one evaluation page and prints the top functions.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _setup(database: Path, static: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["STATIC_ROOT"] = static
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def _client() -> Any:
    """The demo organization admin (every program), past the second factor."""
    from _signin import verified_client

    return verified_client("admin")


def _time(requests: int, warmup: int, only: list[str] | None) -> dict[str, list[float]]:
    from django.test import Client

    admin, anonymous = _client(), Client()
    form = {"dates": "shift"}
    from django.test import override_settings

    from alliance.outcomes.models import EvaluationSnapshot

    # The analyses run in a background task (alliance/outcomes/evaluation_store.py): compute
    # the first result in this process, then time the pages as users meet them, a worker
    # computing the next result elsewhere ("fresh": records changed since the last result).
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate):
        start = time.perf_counter()
        admin.get("/evaluation/")
        print(
            f"  analyses (the task): {(time.perf_counter() - start) * 1000:.0f} ms", file=sys.stderr
        )

    pages: dict[str, tuple[Any, str, str, dict[str, str] | None]] = {
        "login": (anonymous, "get", "/login/", None),
        "evaluation_fresh": (admin, "get", "/evaluation/", None),
        "evaluation": (admin, "get", "/evaluation/", None),
        "evaluation_pdf": (admin, "get", "/evaluation/report.pdf", None),
        "evaluation_pdf_fresh": (admin, "get", "/evaluation/report.pdf", None),
        "export_csv": (admin, "post", "/evaluation/export/", {**form, "format": "csv"}),
        "export_sav": (admin, "post", "/evaluation/export/", {**form, "format": "sav"}),
    }
    if only:
        pages = {name: page for name, page in pages.items() if name in only or name == "login"}
    times: dict[str, list[float]] = {name: [] for name in pages}
    for i in range(warmup + requests):
        for name, (client, method, url, data) in pages.items():
            if name.endswith("_fresh"):
                EvaluationSnapshot.objects.update(fingerprint="", requested_fingerprint="")
            start = time.perf_counter()
            response = getattr(client, method)(url, data) if data else client.get(url)
            elapsed = time.perf_counter() - start
            assert response.status_code in (200, 302), (url, response.status_code)
            if i >= warmup:
                times[name].append(elapsed * 1000)
            print(f"  {name}: {elapsed * 1000:.0f} ms", file=sys.stderr, flush=True)
    return times


def _profile(path: str) -> None:
    import cProfile
    import pstats

    from django.test import override_settings

    client = _client()
    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ).enable()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get("/evaluation/")
    profiler.disable()
    profiler.dump_stats(path)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)


def _scope() -> dict[str, int]:
    from alliance.outcomes.models import FollowUp, OutcomeEvent
    from alliance.participants.models import Enrollment, Participant

    return {
        "men": Participant.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "follow_ups": FollowUp.objects.count(),
        "outcome_events": OutcomeEvent.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", type=Path, help="an existing demo database (SQLite file)")
    parser.add_argument("--build", type=int, help="build a demo of this many men instead")
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--profile")
    parser.add_argument("--only", help="comma-separated requests to time (login always is)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alliance-bench-") as tmp:
        database = args.sqlite or Path(tmp) / "demo.sqlite3"
        _setup(database, str(Path(tmp) / "static"))
        if args.build:
            from alliance.demo.loader import build_demo

            build_demo(participants=args.build, seed=2026)
        scope = _scope()
        times = _time(args.requests, args.warmup, args.only.split(",") if args.only else None)
        if args.profile:
            _profile(args.profile)
    import django
    import weasyprint

    print(
        f"\nPython {platform.python_version()}, Django {django.__version__}, "
        f"WeasyPrint {weasyprint.__version__}; {scope}; {args.requests} timed requests each "
        f"after {args.warmup} warm-up, interleaved.\n"
    )
    login = statistics.median(times["login"])
    print("| Request | median | min | max | ratio to `/login/` (median) |")
    print("|---|---:|---:|---:|---:|")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"| {name} | {median:,.0f} ms | {min(values):,.0f} ms | {max(values):,.0f} ms | "
            f"{median / login:,.0f}x |"
        )


if __name__ == "__main__":
    main()
