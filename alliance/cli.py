"""The ``alliance`` command.

``alliance demo`` builds the synthetic demo database and serves it; ``alliance serve`` runs the
production-like server (gunicorn + whitenoise) with one background worker beside it;
``alliance worker`` runs a background worker on its own; ``alliance createadmin`` makes the first
organization admin; every other word is passed to Django's management commands
(``alliance migrate``, ``alliance shell``, ...).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()


def _manage(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["alliance", *argv])
    return 0


def _demo_database_path() -> Path:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    return Path.cwd() / "alliance.sqlite3"


def _demo_partner_key() -> None:
    """The demo runs out of the box: without a configured key it makes one next to its database.

    Only ``alliance demo`` does this; a real server stops instead (see ``serve``).
    """
    if "ALLIANCE_PARTNER_KEY" in os.environ or "ALLIANCE_PARTNER_KEY_FILE" in os.environ:
        return
    from alliance.encryption import ensure_key_file

    database = _demo_database_path()
    key_file = ensure_key_file(database.with_name(database.name + ".partner-key"))
    os.environ["ALLIANCE_PARTNER_KEY_FILE"] = str(key_file)
    print(f"Demo partner-safety key: {key_file} (demo only; set ALLIANCE_PARTNER_KEY_FILE to it)")


def _partner_key_problem() -> str | None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    from alliance.encryption import require_partner_key
    from alliance.env import ConfigurationError

    try:
        require_partner_key()
    except ConfigurationError as exc:
        return str(exc)
    return None


def _start_worker() -> subprocess.Popen[bytes] | None:
    """One background worker beside the web server, stopped with it (``serve``, ``demo``).

    None when tasks run in the request (ALLIANCE_TASKS_BACKEND=immediate): there is no queue.
    """
    from django.conf import settings

    if settings.TASKS_BACKEND != "database":
        return None
    command = [sys.executable, "-m", "alliance.cli", "worker", "--stop-with", str(os.getpid())]
    return subprocess.Popen(command)


def _stop_worker(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    # SIGTERM lets the worker finish the task in hand (django-tasks-db's graceful shutdown).
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve(
    host: str, port: int, workers: int, *, with_worker: bool = True, setup: bool = True
) -> int:
    """Collect static files, migrate, and run gunicorn (and a task worker) in the foreground.

    ``setup=False`` (``--no-setup``): several app servers share one database, so the deploy
    runs ``collectstatic`` and ``migrate`` once and each server only serves.
    """
    problem = _partner_key_problem()
    if problem is not None:
        print(f"alliance serve: {problem}", file=sys.stderr)
        return 2
    if setup:
        _manage(["collectstatic", "--noinput", "-v", "0"])
        _manage(["migrate", "--noinput", "-v", "0"])
    else:
        _django_setup()
    from django.conf import settings
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "alliance.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        # Tokens masked and the client's real address in every log line (M1, M5).
        "--logger-class",
        "alliance.ops.gunicorn_logger.Logger",
        # X-Forwarded-Proto is believed from the same proxies as X-Forwarded-For, and from no
        # one when TRUSTED_PROXIES is empty (gunicorn's own default trusts 127.0.0.1).
        "--forwarded-allow-ips",
        ",".join(str(network) for network in settings.TRUSTED_PROXIES),
    ]
    background = _start_worker() if with_worker else None
    try:
        run()
    finally:
        _stop_worker(background)
    return 0


def _exit_when_gone(parent: int) -> None:
    """Stop this worker gracefully once the server that started it has gone (even if killed)."""
    while True:
        time.sleep(2)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
            return


def worker(args: argparse.Namespace) -> int:
    """Run background tasks (django-tasks-db's worker) until stopped; several may share one
    database. ``--batch`` runs what is queued and exits (for cron or a test)."""
    _django_setup()
    from django.conf import settings

    if settings.TASKS_BACKEND != "database":
        print(
            "alliance worker: ALLIANCE_TASKS_BACKEND is "
            f"{settings.TASKS_BACKEND!r}: tasks run in the request, no worker is needed.",
            file=sys.stderr,
        )
        return 2
    if args.stop_with is not None:
        threading.Thread(target=_exit_when_gone, args=(args.stop_with,), daemon=True).start()
    worker_id = _worker_id(args.worker_id)
    argv = ["db_worker", "--queue-name", "*", "--interval", str(args.interval), "--no-reload"]
    if args.batch:
        argv.append("--batch")
    if args.max_tasks is not None:
        argv += ["--max-tasks", str(args.max_tasks)]
    argv += ["--worker-id", worker_id, "-v", str(args.verbosity)]
    if args.batch:
        # A one-off run (cron, a test): due periodic jobs are queued first, then run with the rest.
        if args.schedule is True:
            from alliance.ops.scheduler import enqueue_due

            enqueue_due()
        return _manage(argv)
    # Heartbeats (so a task of a worker that died is given back) and periodic jobs.
    from alliance.ops import scheduler

    scheduler.start_background(worker_id, schedule=args.schedule is not False)
    try:
        return _manage(argv)
    finally:
        scheduler.forget(worker_id)


def _worker_id(name: str) -> str:
    """Unique per process even under a fixed name (a restarted worker is a new one, so the
    tasks its predecessor died holding are seen as orphaned): NAME-random, at most 64."""
    import secrets
    import socket

    suffix = secrets.token_hex(4)
    base = name or f"{socket.gethostname()}-{os.getpid()}"
    return f"{base[: 63 - len(suffix)]}-{suffix}"


def demo(args: argparse.Namespace) -> int:
    _demo_partner_key()
    _manage(["migrate", "--noinput", "-v", "0"])
    _django_setup()
    from alliance.demo.loader import build_demo, print_logins
    from alliance.engagement import outlooks, signals

    print(f"Building the demo program ({args.participants} men, seed {args.seed})...", flush=True)
    # One computation of every man's outlook at the end, not one task per attendance mark.
    with signals.suspended():
        summary = build_demo(participants=args.participants, seed=args.seed)
    outlooks.refresh_all()
    print_logins(summary)
    if args.no_serve:
        return 0
    print(f"Serving on http://{args.host}:{args.port} (Ctrl-C to stop)", flush=True)
    return serve(args.host, args.port, args.workers, with_worker=not args.no_worker)


def createadmin(args: argparse.Namespace) -> int:
    _manage(["migrate", "--noinput", "-v", "0"])
    _django_setup()
    import getpass

    from alliance.organizations.services import create_org_admin

    password = os.environ.get("ALLIANCE_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    user = create_org_admin(
        username=args.username,
        email=args.email,
        password=password,
        organization_name=args.organization,
        time_zone=args.time_zone,
    )
    print(f"Created organization admin {user.get_username()!r} for {args.organization!r}.")
    print(
        "Two-factor sign-in is required. At the first sign-in (after the password) Alliance "
        "shows a QR code:\nscan it with an authenticator app (FreeOTP, Aegis, Google or "
        "Microsoft Authenticator), type the\n6-digit code it shows, then keep the 10 recovery "
        "codes in a safe place; they are shown only once."
    )
    return 0


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise argparse.ArgumentTypeError("expected a whole number, at least 1")
    return value


#: The Django management commands an operator runs, by the name to type (``alliance NAME``),
#: shown by ``alliance --help`` after the commands above. Each has its own ``--help``.
MANAGEMENT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("migrate", "create or update the database tables"),
    ("check", "Django's checks (add --deploy for the production settings)"),
    ("backup", "write a checked backup of the database (--out FILE)"),
    ("restore", "restore a backup written by `alliance backup`"),
    ("send-reminders", "daily: reminders of due homework and unfinished check-outs"),
    ("send-pending", "every few minutes: send queued document e-mails, retry failed ones"),
    ("purge-closed", "daily: delete men whose enrollments ended longer ago than retention"),
    ("flag-missed-measures", "flag men who attended without a check-out"),
    ("alert-credentials", "daily: alert staff whose credentials expire in 60 or 30 days or today"),
    ("rotate-partner-key", "re-encrypt the at-rest data under the newest key"),
    ("totp-code", "the current two-factor code of a demo user (demo databases only)"),
    ("axes_reset_username", "lift a sign-in lockout at once"),
    ("shell", "a Python shell with the project loaded"),
)


def _epilog() -> str:
    width = max(len(name) for name, _ in MANAGEMENT_COMMANDS)
    lines = [f"  {name:<{width}}  {text}" for name, text in MANAGEMENT_COMMANDS]
    return (
        "maintenance commands (each has its own --help):\n"
        + "\n".join(lines)
        + "\n\nAny other Django management command also works, e.g. `alliance showmigrations`."
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alliance",
        description=__doc__.split("\n\n")[0],
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command")

    p_demo = sub.add_parser("demo", help="build the synthetic demo program and serve it")
    p_demo.add_argument("--no-serve", action="store_true", help="build the database and exit")
    p_demo.add_argument(
        "--participants",
        type=int,
        default=180,
        help="men in the current programs (default 180); twice as many former men (alumni) "
        "are added for the follow-up evaluation when there are 100 or more: 540 men in all",
    )
    p_demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    p_demo.add_argument("--host", default=DEFAULT_HOST)
    p_demo.add_argument("--port", type=int, default=DEFAULT_PORT)
    p_demo.add_argument("--workers", type=int, default=2)
    p_demo.add_argument(
        "--no-worker", action="store_true", help="serve without a background-task worker"
    )

    p_serve = sub.add_parser(
        "serve", help="run the production-like server (gunicorn) and one background worker"
    )
    p_serve.add_argument("--host", default=DEFAULT_HOST)
    p_serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    p_serve.add_argument("--workers", type=int, default=2)
    p_serve.add_argument(
        "--no-worker",
        action="store_true",
        help="no background worker (run `alliance worker` elsewhere)",
    )
    p_serve.add_argument(
        "--no-setup",
        action="store_true",
        help="skip collectstatic and migrate (done once per deploy when servers share a database)",
    )

    p_worker = sub.add_parser(
        "worker", help="run background tasks (evaluations, outlooks, exports) until stopped"
    )
    p_worker.add_argument(
        "--batch", action="store_true", help="run the tasks already queued, then exit"
    )
    p_worker.add_argument(
        "--max-tasks", type=_positive_int, help="exit after running this many tasks"
    )
    p_worker.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help="seconds to wait between looks at an empty queue (default 1)",
    )
    p_worker.add_argument(
        "--worker-id",
        default="",
        help="a name for the logs and task rows (a random suffix is added; default: host-pid)",
    )
    p_worker.add_argument("--verbosity", type=int, choices=[0, 1, 2], default=1)
    p_worker.add_argument(
        "--schedule",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="enqueue the periodic jobs (reminders, missed-measure flags, dose refits, e-mail "
        "retries) once per period, however many workers run (default: on, off with --batch)",
    )
    p_worker.add_argument("--stop-with", type=int, help=argparse.SUPPRESS)

    p_admin = sub.add_parser("createadmin", help="create an organization and its first admin")
    p_admin.add_argument("--username", required=True)
    p_admin.add_argument("--email", default="")
    p_admin.add_argument("--organization", required=True)
    p_admin.add_argument("--time-zone", default="UTC")
    sub.add_parser("partner-key", help="print a new partner-safety encryption key")
    p_instruments = sub.add_parser(
        "instruments", help="list, validate, score, import and export instrument definitions"
    )
    from alliance import instruments_cli

    instruments_cli.add_subparsers(p_instruments.add_subparsers(dest="instruments_command"))
    p_analyze = sub.add_parser("analyze", help="survival analysis of follow-up data from a CSV")
    from alliance import analyze_cli

    analyze_cli.add_subparsers(p_analyze.add_subparsers(dest="analyze_command"))
    p_engagement = sub.add_parser(
        "engagement", help="dropout early warning: fit, raise outreach alerts, evaluate"
    )
    from alliance import engagement_cli

    engagement_cli.add_subparsers(p_engagement.add_subparsers(dest="engagement_command"))
    p_export = sub.add_parser(
        "export-research",
        help="write the de-identified research export (CSV, SPSS, Stata or REDCap) to a zip",
    )
    p_export.add_argument("--organization", required=True, help="organization slug")
    p_export.add_argument("--program", type=int, help="one program's id (default: all)")
    p_export.add_argument(
        "--format", choices=["csv", "sav", "dta", "redcap"], default="csv", dest="fmt"
    )
    p_export.add_argument("--dates", choices=["shift", "intervals"], default="shift")
    p_export.add_argument("--output", required=True, help="the zip file to write")
    return parser


def export_research(args: argparse.Namespace) -> int:
    _django_setup()
    import datetime as dt
    import zoneinfo
    from pathlib import Path

    from alliance.core.outcomes.research import DateMode
    from alliance.organizations.models import Organization
    from alliance.outcomes.research_export import FileFormat, research_export
    from alliance.programs.models import Program

    organization = Organization.objects.filter(slug=args.organization).first()
    if organization is None:
        print(f"alliance export-research: no organization {args.organization!r}.", file=sys.stderr)
        return 2
    programs = Program.objects.filter(organization=organization)
    if args.program is not None:
        programs = programs.filter(pk=args.program)
        if not programs.exists():
            print(f"alliance export-research: no program {args.program} there.", file=sys.stderr)
            return 2
    today = dt.datetime.now(zoneinfo.ZoneInfo(organization.time_zone)).date()
    data, archive = research_export(
        programs, fmt=FileFormat(args.fmt), date_mode=DateMode(args.dates), produced=today
    )
    Path(args.output).write_bytes(archive)
    print(
        f"Wrote {args.output}: {len(data.enrollments.frame)} enrollments of {data.men} men, "
        f"{len(data.administrations.frame)} scores ({args.fmt}, dates {args.dates})."
    )
    return 0


OWN_COMMANDS = {
    "demo",
    "serve",
    "worker",
    "createadmin",
    "instruments",
    "engagement",
    "analyze",
    "partner-key",
    "export-research",
    "-h",
    "--help",
}


#: Top-level words that are Django management commands spelled with dashes.
COMMAND_ALIASES = {
    "flag-missed-measures": "flag_missed_measures",
    "send-reminders": "send_reminders",
    "purge-closed": "purge_closed",
    "totp-code": "totp_code",
    "rotate-partner-key": "rotate_partner_key",
    "send-pending": "send_pending",
    "alert-credentials": "alert_credentials",
}


def _run_alias(word: str, rest: Sequence[str]) -> int:
    """A management command typed with dashes: run it under the name typed, so that its usage
    line and errors say ``alliance totp-code``, not ``totp_code``."""
    _django_setup()
    from django.core.management import get_commands, load_command_class

    name = COMMAND_ALIASES[word]
    command = load_command_class(get_commands()[name], name)
    command.run_from_argv(["alliance", word, *rest])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMAND_ALIASES:
        return _run_alias(argv[0], argv[1:])
    if not argv or argv[0] not in OWN_COMMANDS:
        if not argv:
            build_parser().print_help()
            return 0
        return _manage(argv)
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        if args.participants < 20:
            print("alliance demo: --participants must be at least 20.", file=sys.stderr)
            return 2
        return demo(args)
    if args.command == "serve":
        return serve(
            args.host,
            args.port,
            args.workers,
            with_worker=not args.no_worker,
            setup=not args.no_setup,
        )
    if args.command == "worker":
        return worker(args)
    if args.command == "createadmin":
        return createadmin(args)
    if args.command == "partner-key":
        from alliance.encryption import new_key

        print(new_key())
        return 0
    if args.command == "instruments":
        from alliance import instruments_cli

        return instruments_cli.run(args)
    if args.command == "analyze":
        from alliance import analyze_cli

        return analyze_cli.run(args)
    if args.command == "export-research":
        return export_research(args)
    if args.command == "engagement":
        from alliance import engagement_cli

        return engagement_cli.run(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
