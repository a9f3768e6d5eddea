"""Writes that set a program up: its policy, curriculum, groups, schedule and holidays.

Every write is one transaction and leaves a django-simple-history row naming who made it, so
the settings history pages can show who changed what, when, from what to what. A refusal
raises `SetupError`, whose ``field`` names the form field to show it next to.

Curriculum versions: a curriculum in use by a group that has started is never changed in
place. The first edit after a group started copies the curriculum into a new version and
changes the copy; groups that started keep theirs, groups that have not started move to the
new one (docs/programs.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alliance.core.program_policy import PolicyDraft, check_policy
from alliance.history import set_history_user
from alliance.organizations.models import Membership, Organization
from alliance.organizations.permissions import CLINICAL_ROLES
from alliance.programs.models import (
    CurriculumSession,
    Group,
    GroupKind,
    Holiday,
    Program,
    Session,
    SessionStatus,
)
from alliance.programs.signals import session_changed


class SetupError(ValueError):
    """A set-up change refused; ``field`` names the input, the message says why."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class PolicyRefused(ValueError):
    """A policy under which nobody could complete; ``problems`` name each field."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


PROGRAM_FIELDS = (
    "name",
    "site",
    "description",
    "standard",
    "curriculum_length",
    "session_minutes",
    "meeting_interval_days",
    "min_attended_sessions",
    "max_unexcused_absences",
    "max_excused_absences",
    "max_total_absences",
    "late_minutes_as_absence",
    "lates_per_unexcused_absence",
    "makeup_sessions_allowed",
    "reinstatements_allowed",
    "reinstatement_resets_absences",
    "max_program_days",
    "report_interval_days",
    "noncompliance_notice_days",
    "max_group_size",
    "completion_criteria",
    "min_attended_hours",
    "left_early_minutes_as_absence",
    "sent_home_counts_as_attended",
    "video_attendance_allowed",
    "leave_pauses_clock",
    "competencies_required",
)


def _actor(actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.is_authenticated else None


def _draft(values: Mapping[str, Any], *, closed_cohort_only: bool) -> PolicyDraft:
    return PolicyDraft(
        curriculum_length=values.get("curriculum_length"),
        min_attended_sessions=values.get("min_attended_sessions") or 0,
        meeting_interval_days=values.get("meeting_interval_days") or 0,
        session_minutes=values.get("session_minutes"),
        max_unexcused_absences=values.get("max_unexcused_absences"),
        max_excused_absences=values.get("max_excused_absences"),
        max_total_absences=values.get("max_total_absences"),
        late_minutes_as_absence=values.get("late_minutes_as_absence"),
        lates_per_unexcused_absence=values.get("lates_per_unexcused_absence"),
        makeup_sessions_allowed=values.get("makeup_sessions_allowed") or 0,
        reinstatements_allowed=values.get("reinstatements_allowed") or 0,
        max_program_days=values.get("max_program_days"),
        report_interval_days=values.get("report_interval_days"),
        noncompliance_notice_days=values.get("noncompliance_notice_days"),
        max_group_size=values.get("max_group_size"),
        closed_cohort_only=closed_cohort_only,
        min_attended_hours=values.get("min_attended_hours"),
        left_early_minutes_as_absence=values.get("left_early_minutes_as_absence"),
    )


@transaction.atomic
def save_program(
    *,
    actor: AbstractBaseUser | None,
    organization: Organization,
    values: Mapping[str, Any],
    program: Program | None = None,
) -> Program:
    """Create a program, or change one, refusing a policy nobody could complete.

    The curriculum-length rule applies to closed cohorts only: a program whose groups are all
    rolling cycles through its curriculum, so a man may attend more sessions than it has.
    """
    if values["site"].organization_id != organization.pk:
        raise SetupError("site", "choose one of your organization's sites.")
    rolling_only = (
        program is not None
        and program.groups.filter(kind=GroupKind.ROLLING).exists()
        and not program.groups.exclude(kind=GroupKind.ROLLING).exists()
    )
    problems = check_policy(_draft(values, closed_cohort_only=not rolling_only))
    if problems:
        raise PolicyRefused([(p.field, p.message) for p in problems])
    duplicate = Program.objects.filter(organization=organization, name=values["name"])
    if program is not None:
        duplicate = duplicate.exclude(pk=program.pk)
    if duplicate.exists():
        raise SetupError("name", "another program already has this name.")
    if program is None:
        program = Program(organization=organization)
    for name in PROGRAM_FIELDS:
        setattr(program, name, values[name])
    set_history_user(program, _actor(actor))
    program.save()
    return program


# --- Curriculum ----------------------------------------------------------------------------


def _program_today(program: Program) -> dt.date:
    return timezone.localdate(timezone=program.tzinfo)


def editable_version(program: Program, actor: Any) -> int:
    """The version an edit may change: the current one, or a fresh copy if it is in use."""
    current = program.curriculum_version
    today = _program_today(program)
    started = program.groups.filter(curriculum_version=current, starts_on__lte=today)
    if not started.exists():
        return current
    new = current + 1
    for item in CurriculumSession.objects.filter(program=program, version=current):
        copy = CurriculumSession(
            program=program,
            version=new,
            number=item.number,
            topic=item.topic,
            is_core=item.is_core,
            duration_minutes=item.duration_minutes,
            materials=item.materials,
        )
        set_history_user(copy, actor)
        copy.save()
    program.curriculum_version = new
    set_history_user(program, actor)
    program.save(update_fields=["curriculum_version"])
    # Groups that have not started yet run the newest curriculum.
    for group in program.groups.filter(curriculum_version=current, starts_on__gt=today):
        group.curriculum_version = new
        set_history_user(group, actor)
        group.save(update_fields=["curriculum_version"])
    return new


def current_curriculum(program: Program) -> list[CurriculumSession]:
    return list(
        CurriculumSession.objects.filter(
            program=program, version=program.curriculum_version
        ).order_by("number")
    )


CURRICULUM_FIELDS = ("topic", "is_core", "duration_minutes", "materials")


def check_curriculum_values(values: Mapping[str, Any]) -> None:
    """A curriculum session needs a topic that fits and, if given, a plausible length; shared
    with :func:`alliance.programs.bulk.add_curriculum_bulk`."""
    topic = str(values.get("topic") or "").strip()
    if not topic:
        raise SetupError("topic", "give the session a topic.")
    if len(topic) > 200:
        raise SetupError("topic", "at most 200 characters.")
    minutes = values.get("duration_minutes")
    if minutes is not None and not 1 <= minutes <= 600:
        raise SetupError("duration_minutes", "between 1 and 600 minutes.")


@transaction.atomic
def add_curriculum_session(
    *, actor: AbstractBaseUser | None, program: Program, values: Mapping[str, Any]
) -> CurriculumSession:
    """Add a session at the end of the current curriculum."""
    who = _actor(actor)
    version = editable_version(program, who)
    last = CurriculumSession.objects.filter(program=program, version=version).aggregate(
        n=Max("number")
    )["n"]
    check_curriculum_values(values)
    item = CurriculumSession(program=program, version=version, number=(last or 0) + 1)
    for name in CURRICULUM_FIELDS:
        setattr(item, name, values[name])
    set_history_user(item, who)
    item.save()
    return item


def _ineditable_version(item: CurriculumSession, who: Any) -> CurriculumSession:
    version = editable_version(item.program, who)
    if version == item.version:
        return item
    return CurriculumSession.objects.get(program=item.program, version=version, number=item.number)


@transaction.atomic
def update_curriculum_session(
    *, actor: AbstractBaseUser | None, item: CurriculumSession, values: Mapping[str, Any]
) -> CurriculumSession:
    who = _actor(actor)
    item = _ineditable_version(item, who)
    for name in CURRICULUM_FIELDS:
        setattr(item, name, values[name])
    set_history_user(item, who)
    item.save()
    return item


def _renumber(item: CurriculumSession, number: int, who: Any) -> None:
    item.number = number
    set_history_user(item, who)
    item.save(update_fields=["number"])


@transaction.atomic
def move_curriculum_session(
    *, actor: AbstractBaseUser | None, item: CurriculumSession, direction: str
) -> CurriculumSession:
    """Swap a session with the one before (``up``) or after (``down``) it."""
    if direction not in ("up", "down"):
        raise SetupError("direction", "move a session up or down.")
    who = _actor(actor)
    item = _ineditable_version(item, who)
    target = item.number - 1 if direction == "up" else item.number + 1
    neighbour = CurriculumSession.objects.filter(
        program=item.program, version=item.version, number=target
    ).first()
    if neighbour is None:
        raise SetupError("direction", f"session {item.number} is already at that end.")
    # The numbers are unique per version: park one on 0 (never a real number) while swapping,
    # without a history row, so the history shows the move as one change per session.
    original = item.number
    CurriculumSession.objects.filter(pk=item.pk).update(number=0)
    _renumber(neighbour, original, who)
    _renumber(item, target, who)
    return item


@transaction.atomic
def remove_curriculum_session(*, actor: AbstractBaseUser | None, item: CurriculumSession) -> None:
    """Remove a session; later sessions move up one place."""
    who = _actor(actor)
    item = _ineditable_version(item, who)
    program, version, number = item.program, item.version, item.number
    set_history_user(item, who)
    item.delete()
    for later in CurriculumSession.objects.filter(
        program=program, version=version, number__gt=number
    ).order_by("number"):
        _renumber(later, later.number - 1, who)


# --- Groups --------------------------------------------------------------------------------

GROUP_FIELDS = (
    "name",
    "program",
    "site",
    "kind",
    "starts_on",
    "weekday",
    "meeting_time",
    "capacity",
    "language",
    "modality",
    "facilitator",
    "co_facilitator",
)


def _check_facilitator(organization: Organization, field: str, user: Any) -> None:
    if user is None:
        return
    ok = Membership.objects.filter(
        user=user, organization=organization, role__in=CLINICAL_ROLES
    ).exists()
    if not ok:
        raise SetupError(field, "choose a member of your organization's clinical staff.")


@transaction.atomic
def save_group(
    *,
    actor: AbstractBaseUser | None,
    organization: Organization,
    values: Mapping[str, Any],
    group: Group | None = None,
) -> Group:
    """Create or change a group. The lead and co-facilitator are the group's facilitators."""
    program: Program = values["program"]
    if program.organization_id != organization.pk:
        raise SetupError("program", "choose one of your organization's programs.")
    site = values["site"]
    if site is not None and site.organization_id != organization.pk:
        raise SetupError("site", "choose one of your organization's sites.")
    _check_facilitator(organization, "facilitator", values["facilitator"])
    _check_facilitator(organization, "co_facilitator", values["co_facilitator"])
    if values["facilitator"] is not None and values["facilitator"] == values["co_facilitator"]:
        raise SetupError("co_facilitator", "the co-facilitator must be someone else.")
    capacity = values["capacity"]
    if capacity is not None and program.max_group_size and capacity > program.max_group_size:
        raise SetupError(
            "capacity",
            f"{program} follows a standard that allows at most {program.max_group_size} men "
            f"in a group ({program.get_standard_display()}).",
        )
    weekday = values["weekday"]
    if weekday is not None and values["starts_on"].weekday() != weekday:
        raise SetupError(
            "starts_on",
            f"{values['starts_on']:%A %-d %b %Y} is not a {_weekday_name(weekday)}, the "
            "group's meeting day.",
        )
    duplicate = Group.objects.filter(program=program, name=values["name"])
    if group is not None:
        duplicate = duplicate.exclude(pk=group.pk)
    if duplicate.exists():
        raise SetupError("name", "this program already has a group with this name.")
    if group is None:
        group = Group(curriculum_version=program.curriculum_version)
    elif group.program_id != program.pk:
        if group.sessions.exists():
            raise SetupError("program", "a group with sessions cannot move to another program.")
        group.curriculum_version = program.curriculum_version
    for name in GROUP_FIELDS:
        setattr(group, name, values[name])
    set_history_user(group, _actor(actor))
    group.save()
    group.facilitators.set([u for u in (group.facilitator, group.co_facilitator) if u])
    return group


def _weekday_name(weekday: int) -> str:
    return dt.date(2024, 1, 1 + weekday).strftime("%A")  # 1 Jan 2024 was a Monday


# --- Schedule ------------------------------------------------------------------------------


def holidays_of(organization_id: int) -> dict[dt.date, str]:
    return dict(Holiday.objects.filter(organization_id=organization_id).values_list("day", "name"))


def group_curriculum(group: Group) -> list[CurriculumSession]:
    """The curriculum version the group started with, in order."""
    return list(
        CurriculumSession.objects.filter(
            program_id=group.program_id, version=group.curriculum_version
        ).order_by("number")
    )


MAX_SCHEDULED = 104


@transaction.atomic
def generate_schedule(
    *,
    actor: AbstractBaseUser | None,
    group: Group,
    count: int,
    first_date: dt.date | None = None,
    until: dt.date | None = None,
) -> tuple[list[Session], list[tuple[dt.date, str]]]:
    """Add up to ``count`` sessions, one every program interval (a week unless the program
    says otherwise). The one schedule generator: the set-up page, the roster's older form and
    the demo call it.

    From ``first_date`` when given (a day someone chose), else from the meeting day after the
    group's last session (its start for a new group; a group without a meeting day meets on
    its start's weekday). A holiday or a day that already has a session is passed over and the
    session goes to the next meeting day, so a closed cohort still gets every curriculum
    session; ``until`` (inclusive) bounds the days, for a form that asks for a span of weeks.
    Curriculum topics continue from the sessions before: a closed cohort runs through its
    curriculum once, a rolling group cycles through it. Each session gets the group's
    facilitators and a history row naming ``actor``. Returns the sessions made and the
    holidays passed over.
    """
    if not 1 <= count <= MAX_SCHEDULED:
        raise SetupError("count", f"schedule between 1 and {MAX_SCHEDULED} sessions at a time.")
    who = _actor(actor)
    program = group.program
    interval = dt.timedelta(days=program.meeting_interval_days or 7)
    if first_date is not None:
        day = first_date
    else:
        last = group.sessions.order_by("-held_on").first()
        day = group.starts_on if last is None else last.held_on + interval
        weekday = group.weekday if group.weekday is not None else group.starts_on.weekday()
        while day.weekday() != weekday:
            day += dt.timedelta(days=1)
    holidays = holidays_of(program.organization_id)
    taken = set(group.sessions.values_list("held_on", flat=True))
    curriculum = group_curriculum(group)
    position = (
        group.sessions.exclude(status=SessionStatus.CANCELLED).filter(held_on__lt=day).count()
    )
    tz = program.tzinfo
    sessions: list[Session] = []
    skipped: list[tuple[dt.date, str]] = []
    while len(sessions) < count and (until is None or day <= until):
        if day in holidays or day in taken:
            if day in holidays:
                skipped.append((day, holidays[day]))
            day += interval
            continue
        topic = None
        if curriculum and (group.kind == GroupKind.ROLLING or position < len(curriculum)):
            topic = curriculum[position % len(curriculum)]
        position += 1
        session = Session(
            group=group,
            held_on=day,
            starts_at=dt.datetime.combine(day, group.meeting_time, tzinfo=tz),
            curriculum_session=topic,
            topic=topic.topic if topic else "",
        )
        set_history_user(session, who)
        sessions.append(session)
        day += interval
    created: list[Session] = bulk_create_with_history(
        sessions, Session, batch_size=500, default_user=who
    )
    created = list(Session.objects.filter(pk__in=[s.pk for s in created]).order_by("held_on"))
    facilitators = list(group.facilitators.values_list("pk", flat=True))
    Session.facilitators.through.objects.bulk_create(
        [
            Session.facilitators.through(session_id=s.pk, user_id=u)
            for s in created
            for u in facilitators
        ]
    )
    return created, skipped


def _refuse_if_marked(session: Session, doing: str) -> None:
    marks = session.attendance.count()
    if marks:
        raise SetupError(
            None,
            f"{marks} attendance mark(s) are already recorded for this session, so it was "
            f"held and cannot be {doing}. Correct the marks on the session page instead.",
        )


@transaction.atomic
def cancel_session(*, actor: AbstractBaseUser | None, session: Session, reason: str) -> Session:
    """Cancel a session that has not been held. A cancelled session is nobody's absence:
    it has no marks (refused otherwise), and the compliance engine only counts marks."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise SetupError(None, "this session is already cancelled.")
    _refuse_if_marked(session, "cancelled")
    if not reason.strip():
        raise SetupError("reason", "say why the session is cancelled (shown to the group).")
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason.strip()
    session.revision += 1
    set_history_user(session, _actor(actor))
    session.save()
    session_changed.send(sender=Session, session=session, change="cancelled", previous_start=None)
    return session


@transaction.atomic
def restore_session(*, actor: AbstractBaseUser | None, session: Session) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.CANCELLED:
        raise SetupError(None, "only a cancelled session can be restored.")
    session.status = SessionStatus.SCHEDULED
    session.cancel_reason = ""
    session.revision += 1
    set_history_user(session, _actor(actor))
    session.save()
    session_changed.send(sender=Session, session=session, change="restored", previous_start=None)
    return session


@transaction.atomic
def move_session(
    *, actor: AbstractBaseUser | None, session: Session, held_on: dt.date, starts_at: dt.time
) -> Session:
    """Move one session to another day or time; the rest of the schedule stays."""
    session = (
        Session.objects.select_for_update()
        .select_related("group__program__site")
        .get(pk=session.pk)
    )
    _refuse_if_marked(session, "moved")
    if session.status == SessionStatus.CANCELLED:
        raise SetupError(None, "restore the session before moving it.")
    clash = Session.objects.filter(group=session.group, held_on=held_on).exclude(pk=session.pk)
    if clash.exists():
        raise SetupError("held_on", f"the group already has a session on {held_on:%-d %b %Y}.")
    holiday = holidays_of(session.group.program.organization_id).get(held_on)
    if holiday:
        raise SetupError("held_on", f"{held_on:%-d %b %Y} is a holiday ({holiday}).")
    previous_start = session.starts_at
    session.held_on = held_on
    session.starts_at = dt.datetime.combine(held_on, starts_at, tzinfo=session.group.program.tzinfo)
    session.revision += 1
    set_history_user(session, _actor(actor))
    session.save()
    if session.starts_at != previous_start:
        session_changed.send(
            sender=Session, session=session, change="moved", previous_start=previous_start
        )
    return session


@transaction.atomic
def add_holiday(*, organization: Organization, day: dt.date, name: str) -> list[Session]:
    """Record a holiday; returns the sessions already scheduled on it (to cancel or move)."""
    if Holiday.objects.filter(organization=organization, day=day).exists():
        raise SetupError("day", f"{day:%-d %b %Y} is already a holiday.")
    Holiday.objects.create(organization=organization, day=day, name=name.strip())
    return list(
        Session.objects.filter(
            group__program__organization=organization,
            held_on=day,
            status=SessionStatus.SCHEDULED,
        ).select_related("group")
    )


def remove_holiday(*, holiday: Holiday) -> None:
    holiday.delete()
