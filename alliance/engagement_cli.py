"""``alliance engagement``: refit the dropout model, raise outreach alerts, evaluate.

    alliance engagement fit [--organization SLUG]
    alliance engagement alerts [--organization SLUG]
    alliance engagement evaluate --synthetic [--participants N] [--seed S] [--json]
    alliance engagement evaluate --sessions CSV --intake CSV [--split-date D] [--json]
    alliance engagement evaluate --database [--organization SLUG] [--split-date D] [--json]

``--sessions``/``--intake`` and ``--database`` are out-of-time backtests: the model is fitted
on men who started before the split date (default: the 70th percentile of start dates) and
scored on the men who started after (file format: docs/engagement.md).

Exit codes: 0 done, 1 the command ran but found nothing to do or failed a check, 2 bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import Any


def add_subparsers(subparsers: Any) -> None:
    fit = subparsers.add_parser(
        "fit", help="refit on each organization's history; adopt only if better held out"
    )
    fit.add_argument("--organization", help="organization slug (default: all)")
    alerts = subparsers.add_parser("alerts", help="raise outreach alerts for high-risk men")
    alerts.add_argument("--organization", help="organization slug (default: all)")
    ev = subparsers.add_parser("evaluate", help="evaluate against known truth")
    ev.add_argument("--synthetic", action="store_true", help="use the synthetic program simulator")
    ev.add_argument("--sessions", help="person-session CSV (see docs/engagement.md)")
    ev.add_argument("--intake", help="intake CSV, one row per man")
    ev.add_argument(
        "--database", action="store_true", help="the organization's own history, split by time"
    )
    ev.add_argument("--organization", help="organization slug (with --database)")
    ev.add_argument(
        "--split-date",
        type=_date,
        help="train on men who started before this date (default: 70th percentile of starts)",
    )
    ev.add_argument("--participants", type=int, default=5000)
    ev.add_argument("--seed", type=int, default=2026)
    ev.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "engagement_command", None)
    if command == "evaluate":
        return _evaluate(args)
    if command in ("fit", "alerts"):
        return _with_django(command, args.organization)
    print("alliance engagement: choose fit, alerts or evaluate (see --help).", file=sys.stderr)
    return 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"give a date as YYYY-MM-DD (got {text!r})") from None


def _evaluate(args: argparse.Namespace) -> int:
    chosen = [bool(args.synthetic), bool(args.sessions or args.intake), bool(args.database)]
    if sum(chosen) != 1:
        print(
            "alliance engagement evaluate: choose one of --synthetic, --sessions with --intake, "
            "or --database.",
            file=sys.stderr,
        )
        return 2
    if args.sessions or args.intake:
        return _evaluate_files(args)
    if args.database:
        return _evaluate_database(args)
    if args.participants < 200:
        print("alliance engagement evaluate: --participants must be at least 200.", file=sys.stderr)
        return 2
    from alliance.core.engagement.evaluate import evaluate_synthetic

    result = evaluate_synthetic(args.participants, seed=args.seed)
    result["model_to_oracle_auc"] = result["model_auc"] / result["oracle_auc"]
    return _print(result, as_json=args.json)


def _print(result: dict[str, Any], *, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        for key, value in sorted(result.items()):
            print(f"{key:32} {value:.4f}" if isinstance(value, float) else f"{key:32} {value}")
    return 0


def _evaluate_files(args: argparse.Namespace) -> int:
    from alliance.core.engagement.backtest import BacktestError, backtest, read_person_sessions

    if not (args.sessions and args.intake):
        print(
            "alliance engagement evaluate: --sessions needs --intake (and back).", file=sys.stderr
        )
        return 2
    try:
        with open(args.sessions, encoding="utf-8-sig") as f:
            sessions_text = f.read()
        with open(args.intake, encoding="utf-8-sig") as f:
            intake_text = f.read()
    except (OSError, UnicodeError) as exc:
        print(f"alliance engagement evaluate: cannot read {exc}", file=sys.stderr)
        return 2
    try:
        intake, sessions, starts = read_person_sessions(sessions_text, intake_text)
        result = backtest(intake, sessions, starts, split=args.split_date)
    except BacktestError as exc:
        print(f"alliance engagement evaluate: {exc}", file=sys.stderr)
        return 1
    return _print(result, as_json=args.json)


def _evaluate_database(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()
    import zoneinfo

    from django.utils import timezone

    from alliance.core.engagement.backtest import BacktestError
    from alliance.engagement.services import backtest_organization
    from alliance.organizations.models import Organization

    organizations = Organization.objects.all()
    if args.organization:
        organizations = organizations.filter(slug=args.organization)
    if organizations.count() != 1:
        print(
            "alliance engagement evaluate: name one organization with --organization SLUG"
            + (f" (no organization {args.organization!r})." if args.organization else "."),
            file=sys.stderr,
        )
        return 2
    org = organizations.get()
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(org.time_zone))
    try:
        result = backtest_organization(organization=org, today=today, split=args.split_date)
    except BacktestError as exc:
        print(f"alliance engagement evaluate: {org.slug}: {exc}", file=sys.stderr)
        return 1
    return _print(result, as_json=args.json)


def _with_django(command: str, slug: str | None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()
    import zoneinfo

    from django.utils import timezone

    from alliance.engagement.services import fit_dropout_model, raise_outreach_alerts
    from alliance.organizations.models import Organization

    organizations = Organization.objects.all()
    if slug:
        organizations = organizations.filter(slug=slug)
        if not organizations.exists():
            print(f"alliance engagement: no organization with slug {slug!r}.", file=sys.stderr)
            return 2
    for org in organizations:
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(org.time_zone))
        if command == "fit":
            result = fit_dropout_model(organization=org, today=today)
            version = f" (version {result.stored.version})" if result.stored else ""
            print(f"{org.slug}: {result.message}{version}")
        else:
            created = raise_outreach_alerts(organization=org, today=today)
            print(f"{org.slug}: {len(created)} new outreach alert(s).")
    return 0
