"""Load: 50 men checking out at kiosks while 10 facilitators browse, against ``alliance serve``.

1. builds the demo database (``build_demo``) and adds the load's own group: 50 men with kiosk
   PINs, one session a day for ``--sessions`` days from tomorrow, each with an open kiosk, and
   10 facilitator logins who also run the demo's groups at the first site;
2. starts ``alliance serve`` (gunicorn, ``--workers``) on 127.0.0.1;
3. runs ``locustfile.py`` headless for ``--seconds``;
4. prints throughput and p50/p95/p99 per request type and the error count (must be 0), then
   checks the database: every acknowledged check-out stored exactly once (by its idempotency
   key), and nothing stored that was not acknowledged.

Run from the repository root::

    .venv/bin/python benchmarks/load/run_load.py --database sqlite
    scripts/with-postgres.sh .venv/bin/python benchmarks/load/run_load.py --database current

Exit status 0 only if there were no errors and every submission is in the database once.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LOAD_PASSWORD = "load-facilitator-" + "x" * 8
LOAD_GROUP = "Load test group"


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()


# --- stages run inside Django (child processes, so the parent never holds a connection) ----


def prepare(fixture: Path, *, men: int, facilitators: int, sessions: int, demo: int) -> None:
    _django()
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from alliance.demo.loader import build_demo
    from alliance.measures.administration.tokens import issue_kiosk_pin, open_kiosk
    from alliance.organizations.models import Authenticator, Membership, Role
    from alliance.participants.models import Participant
    from alliance.programs.models import Group, GroupKind, Program, Session
    from tests.factories import enroll, make_participant

    summary = build_demo(participants=demo, seed=2026)
    program = Program.objects.select_related("site", "organization").order_by("pk").first()
    assert program is not None
    site, organization = program.site, program.organization
    staff = []
    for k in range(1, facilitators + 1):
        user = get_user_model().objects.create_user(f"loadfac{k:02d}", password=LOAD_PASSWORD)
        membership = Membership.objects.create(
            user=user, organization=organization, role=Role.FACILITATOR
        )
        membership.sites.set([site])
        # Staff sign in with a second factor: each load facilitator gets a confirmed
        # authenticator whose key the locustfile uses to compute the current code.
        Authenticator.objects.create(user=user, name="Load authenticator", confirmed=True)
        staff.append(user)
    groups = list(Group.objects.filter(program__site=site))
    for group in groups:
        group.facilitators.add(*staff)
    today = summary.today
    load_group = Group.objects.create(
        program=program,
        name=LOAD_GROUP,
        kind=GroupKind.ROLLING,
        starts_on=today,
        meeting_time=dt.time(18, 30),
    )
    load_group.facilitators.add(*staff)
    enrollments = []
    for k in range(men):
        participant = make_participant(organization, f"LOAD-{k:03d}")
        Participant.objects.filter(pk=participant.pk).update(initials=f"L{k:02d}")
        enrollments.append(
            enroll(
                participant,
                program,
                referred_on=today - dt.timedelta(days=14),
                group=load_group,
                started_on=today,
            )
        )
    tz = program.tzinfo
    kiosks = []
    for day in range(sessions):
        # From tomorrow: a kiosk can be opened ahead of its day, but not once the day is over,
        # and midnight in the demo's time zone may pass while the demo is being built.
        held_on = today + dt.timedelta(days=day + 1)
        session = Session.objects.create(
            group=load_group,
            held_on=held_on,
            starts_at=dt.datetime.combine(held_on, dt.time(18, 30), tzinfo=tz),
        )
        _kiosk, token = open_kiosk(actor=staff[0], session=session, now=timezone.now())
        kiosks.append(token)
    pins = [
        {"enrollment": e.pk, "pin": issue_kiosk_pin(actor=staff[0], enrollment=e)}
        for e in enrollments
    ]
    recent = Session.objects.filter(group__in=groups, held_on__lte=today).order_by("-held_on")
    participant_ids = Participant.objects.filter(
        enrollments__assignments__group__in=groups
    ).values_list("pk", flat=True)
    fixture.write_text(
        json.dumps(
            {
                "men": pins,
                "kiosks": kiosks,
                "facilitators": [
                    {
                        "username": u.get_username(),
                        "password": LOAD_PASSWORD,
                        "totp_key": Authenticator.objects.get(user=u).key,
                    }
                    for u in staff
                ],
                "pages": {
                    "sessions": [f"/sessions/{s.pk}/" for s in recent[:40]],
                    "groups": [f"/groups/{g.pk}/" for g in groups],
                    "participants": [
                        f"/participants/{pk}/" for pk in sorted(set(participant_ids))[:60]
                    ],
                },
                "demo": {"participants": summary.participants, "attendance": summary.attendance},
            }
        ),
        encoding="utf-8",
    )


def verify(keys_file: Path, result: Path) -> None:
    _django()
    from django.db.models import Count

    from alliance.measures.models import Administration

    sent_and_seen = json.loads(keys_file.read_text(encoding="utf-8"))
    acknowledged, sent = set(sent_and_seen["acknowledged"]), set(sent_and_seen["sent"])
    load = Administration.objects.filter(session__group__name=LOAD_GROUP)
    complete = load.filter(status="complete")
    stored = set(complete.values_list("submission_key", flat=True))
    duplicates = (
        load.values("enrollment", "session").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    by_key = (
        Administration.objects.filter(submission_key__in=sent)
        .values("submission_key")
        .annotate(n=Count("id"))
    )
    result.write_text(
        json.dumps(
            {
                "acknowledged": len(acknowledged),
                "stored": len(stored),
                "missing": len(acknowledged - stored),
                "stored_never_sent": len(stored - sent),
                # sent when the clock ran out, the reply never read: allowed, reported
                "stored_not_acknowledged": len(stored - acknowledged),
                "keys_stored_more_than_once": sum(1 for row in by_key if row["n"] != 1),
                "duplicate_check_outs": duplicates,
            }
        ),
        encoding="utf-8",
    )


# --- the run --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, __file__, *args], cwd=ROOT, env=env, check=True)


def _wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"alliance serve exited with {process.returncode}")
        try:
            urllib.request.urlopen(url + "/login/", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit("alliance serve did not answer in time")


def run(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="alliance-load-"))
    env = dict(os.environ)
    if not env.get("ALLIANCE_PARTNER_KEY") and not env.get("ALLIANCE_PARTNER_KEY_FILE"):
        # The demo holds partner records and the server refuses to start without their key:
        # a throwaway key for this run's throwaway database.
        from cryptography.fernet import Fernet

        env["ALLIANCE_PARTNER_KEY"] = Fernet.generate_key().decode()
    if args.database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{work / 'load.sqlite3'}"
    elif "DATABASE_URL" not in env:
        raise SystemExit("--database current needs DATABASE_URL (see scripts/with-postgres.sh)")
    env.update(
        {
            "STATIC_ROOT": str(work / "static"),
            "SECRET_KEY": secrets.token_urlsafe(32),
            "LOG_LEVEL": "ERROR",
            # Longer than the users' pauses, so that a kept-alive connection is never closed
            # by the server just as the client reuses it (a reverse proxy's concern in
            # production, not the application's).
            "GUNICORN_CMD_ARGS": "--keep-alive 30",
            "LOAD_FIXTURE": str(work / "fixture.json"),
            "LOAD_KEYS_OUT": str(work / "keys.json"),
            "LOAD_MEN": str(args.men),
            "LOAD_FACILITATORS": str(args.facilitators),
            "LOAD_THINK": str(args.think),
        }
    )
    engine = "sqlite" if env["DATABASE_URL"].startswith("sqlite") else "postgresql"
    print(f"Building the database ({engine}) in {work} ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "alliance.cli", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    _stage(
        env,
        "prepare",
        str(work / "fixture.json"),
        f"--men={args.men}",
        f"--facilitators={args.facilitators}",
        f"--sessions={args.sessions}",
        f"--demo={args.demo}",
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with (work / "server.log").open("wb") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "alliance.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(url, server)
        print(
            f"alliance serve on {url} ({args.workers} workers); {args.men} men and "
            f"{args.facilitators} facilitators for {args.seconds} s ...",
            flush=True,
        )
        users = args.men + args.facilitators
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "60",
                "--host",
                url,
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(60)
    _stage(env, "verify", str(work / "keys.json"), str(work / "verify.json"))
    results = json.loads((work / "keys.json").read_text(encoding="utf-8"))
    rows = [*results["requests"], {**results["total"], "name": "Aggregated"}]
    checks = json.loads((work / "verify.json").read_text(encoding="utf-8"))
    fixture = json.loads((work / "fixture.json").read_text(encoding="utf-8"))
    report = {
        "engine": engine,
        "seconds": args.seconds,
        "men": args.men,
        "facilitators": args.facilitators,
        "workers": args.workers,
        "demo": fixture["demo"],
        "requests": rows,
        "errors": results["errors"],
        "database_check": checks,
    }
    print(
        f"\n{'request':<28} {'count':>6} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    )
    for row in rows:
        print(
            f"{row['name']:<28} {row['requests']:>6} {row['failures']:>5} {row['rps']:>7.1f} "
            f"{row['p50_ms']:>6.0f} {row['p95_ms']:>6.0f} {row['p99_ms']:>6.0f}"
        )
    print("\nDatabase check:", json.dumps(checks))
    print("LOAD-RESULT " + json.dumps(report), flush=True)
    total = next((r for r in rows if r["name"] == "Aggregated"), None)
    errors = total["failures"] if total else -1
    ok = (
        errors == 0
        and checks["missing"] == 0
        and checks["stored_never_sent"] == 0
        and checks["keys_stored_more_than_once"] == 0
        and checks["duplicate_check_outs"] == 0
    )
    print("PASS" if ok else "FAIL", flush=True)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="stage")
    p_prepare = sub.add_parser("prepare")
    p_prepare.add_argument("fixture", type=Path)
    p_verify = sub.add_parser("verify")
    p_verify.add_argument("keys", type=Path)
    p_verify.add_argument("result", type=Path)
    for p in (parser, p_prepare):
        p.add_argument("--men", type=int, default=50)
        p.add_argument("--facilitators", type=int, default=10)
        p.add_argument("--sessions", type=int, default=30, help="kiosks (check-outs per man)")
        p.add_argument("--demo", type=int, default=180, help="men in the demo program")
    parser.add_argument("--database", choices=["sqlite", "current"], default="sqlite")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second")
    parser.add_argument("--think", type=float, default=1.0, help="scale the users' pauses")
    args = parser.parse_args(argv)
    if args.stage == "prepare":
        prepare(
            args.fixture,
            men=args.men,
            facilitators=args.facilitators,
            sessions=args.sessions,
            demo=args.demo,
        )
        return 0
    if args.stage == "verify":
        verify(args.keys, args.result)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
