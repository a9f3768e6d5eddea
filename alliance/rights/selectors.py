"""What the data-rights page shows an organization admin about her own organization."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from alliance.organizations.models import Membership
from alliance.participants.permissions import visible_participants
from alliance.rights.models import DataExport, RetentionPolicy, RetentionPurge
from alliance.rights.services import retention_cutoff


@dataclass(frozen=True)
class PolicyInForce:
    years: int
    #: True when the organization set its own period; False for the deployment default.
    own: bool
    default_years: int
    cutoff: dt.date


@dataclass(frozen=True)
class ExportRow:
    export: DataExport
    #: The man's code, only while he exists and the viewer may see him; else "".
    code: str


def policy_in_force(membership: Membership) -> PolicyInForce:
    organization = membership.organization
    policy = RetentionPolicy.objects.filter(organization=organization).first()
    default_years = int(settings.RETENTION_YEARS)
    years = policy.years if policy else default_years
    return PolicyInForce(
        years=years,
        own=policy is not None,
        default_years=default_years,
        cutoff=retention_cutoff(organization, years=years),
    )


def policy_changes(membership: Membership, *, limit: int = 50) -> list[Any]:
    """Every version of the organization's policy, newest first (who, when, what)."""
    history = RetentionPolicy.history
    return list(
        history.filter(organization_id=membership.organization_id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )


def exports(membership: Membership, *, limit: int = 200) -> list[ExportRow]:
    rows = list(
        DataExport.objects.filter(organization=membership.organization).select_related("actor")[
            :limit
        ]
    )
    codes = dict(
        visible_participants(membership)
        .filter(pk__in={row.participant_pk for row in rows})
        .values_list("pk", "code")
    )
    return [ExportRow(export=row, code=codes.get(row.participant_pk, "")) for row in rows]


def purges(membership: Membership, *, limit: int = 200) -> QuerySet[RetentionPurge]:
    return RetentionPurge.objects.filter(organization=membership.organization)[:limit]
