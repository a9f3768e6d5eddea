"""``alliance engagement``: refit the dropout model, raise outreach alerts, evaluate.

    alliance engagement fit [--organization SLUG]
    alliance engagement alerts [--organization SLUG]
    alliance engagement evaluate --synthetic [--participants N] [--seed S] [--json]

Exit codes: 0 done, 1 the command ran but found nothing to do or failed a check, 2 bad usage.
"""

from __future__ import annotations

import argparse
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


def _evaluate(args: argparse.Namespace) -> int:
    if not args.synthetic:
        print("alliance engagement evaluate: only --synthetic is available.", file=sys.stderr)
        return 2
    if args.participants < 200:
        print("alliance engagement evaluate: --participants must be at least 200.", file=sys.stderr)
        return 2
    from alliance.core.engagement.evaluate import evaluate_synthetic

    result = evaluate_synthetic(args.participants, seed=args.seed)
    result["model_to_oracle_auc"] = result["model_auc"] / result["oracle_auc"]
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        for key, value in sorted(result.items()):
            print(f"{key:32} {value:.4f}" if isinstance(value, float) else f"{key:32} {value}")
    return 0


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
