"""Reads for the set-up pages: program lists, group capacity, the settings history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from alliance.core.enrollment import EnrollmentStatus
from alliance.organizations.models import Membership, Role, Site
from alliance.participants.models import GroupAssignment
from alliance.programs.models import CurriculumSession, Group, Program, Session
from alliance.programs.permissions import visible_programs


def managed_programs(membership: Membership) -> QuerySet[Program]:
    return (
        visible_programs(membership)
        .select_related("site")
        .annotate(
            group_count=Count("groups", filter=Q(groups__is_active=True), distinct=True),
        )
        .order_by("name")
    )


def managed_sites(membership: Membership) -> QuerySet[Site]:
    """Sites a program may be set up at: all the organization's for its admin, else his."""
    sites = Site.objects.filter(organization=membership.organization)
    if membership.role == Role.ORG_ADMIN:
        return sites
    return sites.filter(pk__in=membership.sites.all())


def managed_groups(membership: Membership, program: Program | None = None) -> QuerySet[Group]:
    groups = Group.objects.filter(program__in=visible_programs(membership))
    if program is not None:
        groups = groups.filter(program=program)
    return (
        groups.select_related("program", "site", "facilitator", "co_facilitator")
        .annotate(session_count=Count("sessions"))
        .order_by("program__name", "name")
    )


def men_in_group(group: Group, *, on: dt.date | None = None) -> int:
    """Active men assigned to the group now (or on ``on``)."""
    assignments = GroupAssignment.objects.filter(
        group=group, enrollment__status=EnrollmentStatus.ACTIVE
    )
    if on is None:
        assignments = assignments.filter(ends_on__isnull=True)
    else:
        assignments = assignments.filter(starts_on__lte=on).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on)
        )
    return assignments.values("enrollment").distinct().count()


def capacity_warning(group: Group) -> str | None:
    """A sentence when the group holds more men than its capacity, else ``None``."""
    if group.capacity is None:
        return None
    men = men_in_group(group)
    if men <= group.capacity:
        return None
    return (
        f"{group.name} now has {men} men for a capacity of {group.capacity}. "
        "Consider another group or raising the capacity."
    )


def staff_choices(membership: Membership) -> QuerySet[Membership]:
    from alliance.organizations.permissions import CLINICAL_ROLES

    return (
        Membership.objects.filter(organization=membership.organization, role__in=CLINICAL_ROLES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def group_sessions(group: Group) -> list[Session]:
    return list(group.sessions.select_related("curriculum_session").order_by("held_on"))


# --- Settings history ----------------------------------------------------------------------

#: Bookkeeping fields, and session notes (clinical text, read on the session page only).
HIDDEN_FIELDS = frozenset({"revision", "marks_total", "marks_attended", "notes"})


@dataclass(frozen=True)
class HistoryRow:
    when: dt.datetime
    who: str
    what: str
    kind: str
    changes: list[tuple[str, Any, Any]]


def _label(record: Any, field: str, value: Any) -> Any:
    """A foreign key as the object's name rather than its id, where it still exists."""
    if value is None or value == "":
        return value
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %b %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    model_field = record.instance_type._meta.get_field(field)
    if model_field.is_relation and model_field.related_model is not None:
        target = model_field.related_model._default_manager.filter(pk=value).first()
        if target is not None:
            getter = getattr(target, "get_username", None)
            return getter() if callable(getter) else str(target)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return value


def _rows(history: QuerySet[Any], describe: Any) -> list[HistoryRow]:
    rows: list[HistoryRow] = []
    previous: dict[int, Any] = {}
    for record in history.select_related("history_user").order_by("history_date", "history_id"):
        before = previous.get(record.id)
        changes: list[tuple[str, Any, Any]] = []
        if before is not None:
            delta = record.diff_against(before)
            changes = [
                (
                    str(record.instance_type._meta.get_field(c.field).verbose_name),
                    _label(record, c.field, c.old),
                    _label(record, c.field, c.new),
                )
                for c in delta.changes
                if c.field not in HIDDEN_FIELDS
            ]
        previous[record.id] = record
        kind = {"+": "created", "~": "changed", "-": "removed"}[record.history_type]
        if kind == "changed" and not changes:
            continue
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=record.history_user.get_username() if record.history_user else "system",
                what=describe(record),
                kind=kind,
                changes=changes,
            )
        )
    return rows


def program_history(program: Program) -> list[HistoryRow]:
    """Every change to the program's policy and curriculum, newest first."""
    rows = _rows(Program.history.filter(id=program.pk), lambda r: "policy")
    rows += _rows(
        CurriculumSession.history.filter(program_id=program.pk),
        lambda r: f"curriculum v{r.version}, session {r.number} ({r.topic})",
    )
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows


def group_history(group: Group) -> list[HistoryRow]:
    """Every change to the group's settings and its schedule, newest first."""
    rows = _rows(Group.history.filter(id=group.pk), lambda r: "group settings")
    rows += _rows(
        Session.history.filter(group_id=group.pk),
        lambda r: f"session of {r.held_on:%-d %b %Y}",
    )
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows
