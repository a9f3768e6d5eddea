"""Reads for the organization's settings pages (its letterhead: ``organizations.letterhead``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from alliance.organizations.models import Membership, Organization, Site, StaffInvitation
from alliance.practice.models import Supervision
from alliance.programs.models import Group


def sites_of(organization: Organization) -> QuerySet[Site]:
    return Site.objects.filter(organization=organization).order_by("-is_active", "name")


@dataclass
class StaffRow:
    membership: Membership
    sites: list[Site]
    groups: list[Group]
    supervisees: list[AbstractBaseUser]


def staff_row(membership: Membership) -> StaffRow:
    """One staff member with his sites, groups and supervisees."""
    return staff_rows(membership.organization, only=membership)[0]


def staff_rows(organization: Organization, *, only: Membership | None = None) -> list[StaffRow]:
    """Every staff member (or ``only`` one), active first, with his sites, groups and
    supervisees."""
    memberships = Membership.objects.filter(organization=organization)
    if only is not None:
        memberships = memberships.filter(pk=only.pk)
    memberships = (
        memberships.select_related("user")
        .prefetch_related("sites")
        .order_by("-user__is_active", "user__last_name", "user__username")
    )
    user_ids = [m.user_id for m in memberships]
    groups: dict[int, list[Group]] = {}
    for group in (
        Group.objects.filter(program__organization=organization, facilitators__in=user_ids)
        .distinct()
        .prefetch_related("facilitators")
    ):
        for facilitator in group.facilitators.all():
            groups.setdefault(facilitator.pk, []).append(group)
    supervisees: dict[int, list[AbstractBaseUser]] = {}
    for supervision in Supervision.objects.filter(supervisor_id__in=user_ids).select_related(
        "facilitator"
    ):
        supervisees.setdefault(supervision.supervisor_id, []).append(supervision.facilitator)
    return [
        StaffRow(m, list(m.sites.all()), groups.get(m.user_id, []), supervisees.get(m.user_id, []))
        for m in memberships
    ]


def open_invitations(organization: Organization) -> QuerySet[StaffInvitation]:
    return StaffInvitation.objects.filter(
        organization=organization,
        accepted_at=None,
        revoked_at=None,
        expires_at__gt=timezone.now(),
    ).prefetch_related("sites")


def supervisee_choices(organization: Organization) -> QuerySet[AbstractBaseUser]:
    return (
        get_user_model()
        .objects.filter(membership__organization=organization, is_active=True)
        .order_by("last_name", "username")
    )


@dataclass
class HistoryRow:
    at: dt.datetime
    who: str
    subject: str
    action: str
    changes: list[str] = field(default_factory=list)


_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
#: Never shown: nothing here yet (the logo's bytes are not in the history; its type is).
_HIDDEN: frozenset[str] = frozenset()


def _who(record: object) -> str:
    user = getattr(record, "history_user", None)
    if user is None:
        return "—"
    return str(user.get_full_name() or user.get_username())


def _describe(value: object) -> str:
    if value in ("", None):
        return "(blank)"
    if isinstance(value, list):  # m2m: a list of {"site": id, ...} dicts
        return ", ".join(str(v) for v in value) or "(none)"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _rows_for(records: list[Any], subject_of: Callable[[Any], str]) -> list[HistoryRow]:
    rows = []
    # The previous version by history id, not by date: two saves within the same clock tick
    # (or under a frozen test clock) must still be told apart.
    last: dict[int, Any] = {}
    for record in sorted(records, key=lambda r: r.history_id):
        previous = last.get(record.id)
        last[record.id] = record
        changes: list[str] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in _HIDDEN:
                    continue
                if change.field == "sites":
                    old = _site_names(change.old)
                    new = _site_names(change.new)
                    changes.append(f"sites: {old} → {new}")
                else:
                    label = change.field.replace("_", " ")
                    changes.append(f"{label}: {_describe(change.old)} → {_describe(change.new)}")
        if record.history_change_reason:
            changes.append(record.history_change_reason)
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing shown here
        rows.append(
            HistoryRow(
                at=record.history_date,
                who=_who(record),
                subject=subject_of(record),
                action=_ACTIONS.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return rows


def _site_names(entries: Iterable[Any] | None) -> str:
    ids = sorted(e["site"] for e in entries or [] if isinstance(e, dict) and "site" in e)
    if not ids:
        return "(none)"
    names = dict(Site.objects.filter(pk__in=ids).values_list("pk", "name"))
    return ", ".join(names.get(i, f"site {i}") for i in ids)


def settings_history(organization: Organization, *, limit: int = 200) -> list[HistoryRow]:
    """Who changed the organization, its sites and its staff's roles and scopes, newest first."""
    org_records = list(
        Organization.history.filter(id=organization.pk).select_related("history_user")
    )
    site_records = list(
        Site.history.filter(organization_id=organization.pk).select_related("history_user")
    )
    member_records = list(
        Membership.history.filter(organization_id=organization.pk).select_related(
            "history_user", "user"
        )
    )
    rows = (
        _rows_for(org_records, lambda r: "Organization")
        + _rows_for(site_records, lambda r: f"Site {r.name}")
        + _rows_for(
            member_records,
            lambda r: (
                f"Staff {r.user.get_full_name() or r.user.get_username()} ({r.get_role_display()})"
            ),
        )
    )
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows[:limit]
