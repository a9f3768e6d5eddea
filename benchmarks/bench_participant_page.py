"""Benchmark: a man's page for a facilitator, first view and repeat view.

Builds the demo (``build_demo``, 180 men by default) into a temporary SQLite file, signs the
demo facilitator in (second factor passed) and times, interleaved so that every request sees
the same machine load:

* ``GET /login/`` — the trivial page, the baseline of the same run;
* ``GET /participants/<id>/`` for each man in the facilitator's groups with the measure
  picture cache emptied first (``first view``: every trajectory drawn afresh);
* the same pages again with the cache warm (``repeat view``).

Run from the repository root::

    .venv/bin/python benchmarks/bench_participant_page.py [--participants 180] [--men 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=180)
    parser.add_argument("--men", type=int, default=20, help="pages timed in each round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alliance-bench-") as tmp:
        sys.path.insert(0, str(ROOT))
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'demo.sqlite3'}"
        os.environ["STATIC_ROOT"] = str(Path(tmp) / "static")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
        if not os.environ.get("ALLIANCE_PARTNER_KEY"):
            from cryptography.fernet import Fernet

            os.environ["ALLIANCE_PARTNER_KEY"] = Fernet.generate_key().decode()
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from _signin import verified_client

        from alliance.demo.loader import build_demo
        from alliance.measures import charts
        from alliance.participants.models import Enrollment

        build_demo(participants=args.participants, seed=2026)
        facilitator = verified_client("facilitator")
        anonymous = Client()
        men = list(
            Enrollment.objects.filter(group__facilitators__username="facilitator")
            .values_list("participant_id", flat=True)
            .distinct()[: args.men]
        )
        times: dict[str, list[float]] = {"login": [], "first view": [], "repeat view": []}

        def timed(name: str, client: Client, url: str) -> None:
            start = time.perf_counter()
            response = client.get(url)
            times[name].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)

        facilitator.get(f"/participants/{men[0]}/")  # warm-up: templates, imports
        for man in men:
            timed("login", anonymous, "/login/")
            charts.clear_cache()
            timed("first view", facilitator, f"/participants/{man}/")
            timed("repeat view", facilitator, f"/participants/{man}/")
        base = statistics.median(times["login"])
        print(f"{args.participants} demo men, {len(men)} participant pages, SQLite")
        print("| Request | median | p95 | ratio to /login/ (median) |")
        print("|---|---:|---:|---:|")
        for name, values in times.items():
            values.sort()
            p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
            median = statistics.median(values)
            print(f"| {name} | {median:.0f} ms | {p95:.0f} ms | {median / base:.0f}x |")


if __name__ == "__main__":
    main()
