"""Benchmark the engagement early warning.

1. **Fit** the hazard (forward-chaining CV + final fit + recalibration) on ~1,000,000
   simulated person-session rows (pure core, no database).
2. **Score** every active man of a 10,000-participant organization written to a fresh SQLite
   database by ``alliance.demo.history`` (queries + features + projection), target
   under 2 s; the same scoring in core alone for 10,000 men, all treated as active.
3. **Facilitator home** with the risk list for an org-admin who sees every active man, as a
   ratio to ``GET /login/`` (the trivial page) in the same process.

Run from the repository root::

    .venv/bin/python benchmarks/bench_engagement.py [--rows-men 80000] [--org-men 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def bench_fit(men: int) -> None:
    from alliance.core.engagement import fit_with_validation, person_session_frame
    from alliance.core.engagement.evaluate import synthetic_frames
    from alliance.core.simulate import simulate_program

    program = simulate_program(men, rng=np.random.default_rng(1))
    intake, sessions = synthetic_frames(program)
    sessions = sessions[sessions["session_number"] < program.parameters.n_sessions]
    t0 = time.perf_counter()
    frame = person_session_frame(intake, sessions)
    t1 = time.perf_counter()
    ids = frame["participant_id"].unique()
    _model, cv = fit_with_validation(frame, pd.Series(ids, index=ids))
    t2 = time.perf_counter()
    print(
        f"fit: {len(frame):,} person-session rows from {men:,} men; features {t1 - t0:.2f} s, "
        f"4-fold CV + fit + recalibration {t2 - t1:.2f} s; CV AUC {cv.refit['auc']:.3f}"
    )


def bench_score_core(men: int) -> None:
    from alliance.core.engagement import cold_start_model, outlooks, person_session_frame
    from alliance.core.engagement.evaluate import synthetic_frames
    from alliance.core.simulate import simulate_program

    program = simulate_program(men, rng=np.random.default_rng(2))
    intake, sessions = synthetic_frames(program)
    sessions = sessions.drop(columns="dropped_out_after")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        frame = person_session_frame(intake, sessions)
        ids = frame["participant_id"].unique()
        found = outlooks(cold_start_model(), frame, sessions_left=pd.Series(10, index=ids))
        times.append(time.perf_counter() - t0)
    print(
        f"score (core only): {len(found):,} men, {len(sessions):,} marks: best {min(times):.2f} s"
    )


def bench_database(men: int, cohort: int) -> None:
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django_otp import DEVICE_ID_SESSION_KEY

    from alliance.demo.history import load_synthetic_history
    from alliance.engagement.selectors import risk_rows
    from alliance.organizations.models import Authenticator, Membership, Organization, Role, Site
    from alliance.participants.models import Enrollment

    org = Organization.objects.create(name="Bench", slug="bench", time_zone="UTC")
    site = Site.objects.create(organization=org, name="Main", time_zone="UTC")
    today = dt.date(2026, 3, 2)
    t0 = time.perf_counter()
    load_synthetic_history(
        organization=org, site=site, participants=men, seed=3, today=today, cohort_size=cohort
    )
    print(f"load: {men:,} men written in {time.perf_counter() - t0:.1f} s")
    active = Enrollment.objects.filter(status="active").count()
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        rows = risk_rows(Enrollment.objects.all(), organization_id=org.pk, today=today)
        times.append(time.perf_counter() - t0)
    print(
        f"score (database): {len(rows):,} active men of {men:,} (active count {active:,}): "
        f"median {statistics.median(times):.2f} s, best {min(times):.2f} s"
    )

    user = get_user_model().objects.create_user("admin", password="x")
    Membership.objects.create(user=user, organization=org, role=Role.ORG_ADMIN)
    client = Client()
    client.force_login(user)
    # Every staff page needs the second factor: mark the session as a real code would.
    device = Authenticator.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    home, trivial = [], []
    for _ in range(7):
        t0 = time.perf_counter()
        assert client.get("/").status_code == 200
        home.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        client.get("/login/")
        trivial.append(time.perf_counter() - t0)
    h, t = statistics.median(home[2:]), statistics.median(trivial[2:])
    print(
        f"home with risk list: median {1000 * h:.0f} ms vs /login/ {1000 * t:.1f} ms "
        f"(ratio {h / t:.0f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows-men", type=int, default=80000)
    parser.add_argument("--org-men", type=int, default=10000)
    # 300 men start each week, so the last ~19 weekly cohorts (about half the men) are active.
    parser.add_argument("--cohort-size", type=int, default=300)
    args = parser.parse_args()
    bench_fit(args.rows_men)
    bench_score_core(args.org_men)
    bench_database(args.org_men, args.cohort_size)


if __name__ == "__main__":
    main()
