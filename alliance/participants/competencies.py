"""Writes and reads for a man's competencies and his leaves of absence.

A facilitator signs a competency off with a note of the evidence; a supervisor (a decision
role, someone other than who signed it off) approves it or returns it with a reason. Only
an approved competency counts towards completion and appears in reports. A leave of absence
is approved by a decision role when it is recorded. Every write refreshes his standing, in
the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alliance.core.enrollment import EnrollmentStatus
from alliance.history import set_history_user
from alliance.participants.models import (
    CompetencySignOff,
    Enrollment,
    LeaveOfAbsence,
    SignOffStatus,
)
from alliance.participants.services import program_today, refresh_standing
from alliance.programs.competencies import required_competencies
from alliance.programs.models import Competency


class CompetencyError(ValueError):
    """A sign-off, review or leave refused; ``field`` names the input, the message says why."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


def _require_active(enrollment: Enrollment) -> None:
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise CompetencyError(None, "His enrollment is not active.")


def _locked(enrollment: Enrollment) -> Enrollment:
    return (
        Enrollment.objects.select_for_update().select_related("program__site").get(pk=enrollment.pk)
    )


@transaction.atomic
def sign_off_competency(
    *,
    actor: User | None,
    enrollment: Enrollment,
    competency: Competency,
    evidence_note: str,
    today: dt.date | None = None,
) -> CompetencySignOff:
    """Sign a competency off for him, or sign it off again after it was returned."""
    enrollment = _locked(enrollment)
    _require_active(enrollment)
    if competency.program_id != enrollment.program_id or not competency.is_active:
        raise CompetencyError("competency", "choose one of his program's competencies in use.")
    note = evidence_note.strip()
    if not note:
        raise CompetencyError("evidence_note", "say what he did or said that shows it.")
    if len(note) > 2000:
        raise CompetencyError("evidence_note", "keep the note to 2000 characters.")
    sign_off = (
        CompetencySignOff.objects.select_for_update()
        .filter(enrollment=enrollment, competency=competency)
        .first()
    )
    if sign_off is not None and sign_off.status != SignOffStatus.RETURNED:
        state = "approved" if sign_off.status == SignOffStatus.APPROVED else "awaiting approval"
        raise CompetencyError("competency", f"“{competency.name}” is already {state}.")
    if sign_off is None:
        sign_off = CompetencySignOff(enrollment=enrollment, competency=competency)
    sign_off.status = SignOffStatus.SIGNED_OFF
    sign_off.evidence_note = note
    sign_off.signed_off_by = actor
    sign_off.signed_off_on = today or program_today(enrollment)
    sign_off.reviewed_by = None
    sign_off.reviewed_on = None
    sign_off.return_reason = ""
    set_history_user(sign_off, actor)
    sign_off.save()
    return sign_off


def _reviewable(actor: User | None, sign_off: CompetencySignOff) -> CompetencySignOff:
    current = CompetencySignOff.objects.select_for_update().get(pk=sign_off.pk)
    if current.status != SignOffStatus.SIGNED_OFF:
        raise CompetencyError(None, "This sign-off is not awaiting approval any more.")
    if actor is not None and current.signed_off_by_id == actor.pk:
        raise CompetencyError(
            None, "You signed this competency off; another supervisor must approve it."
        )
    return current


@transaction.atomic
def approve_competency(
    *, actor: User | None, sign_off: CompetencySignOff, today: dt.date | None = None
) -> CompetencySignOff:
    """Approve a sign-off: from today it counts towards completion and is reportable."""
    enrollment = _locked(sign_off.enrollment)
    _require_active(enrollment)
    current = _reviewable(actor, sign_off)
    current.status = SignOffStatus.APPROVED
    current.reviewed_by = actor
    current.reviewed_on = today or program_today(enrollment)
    set_history_user(current, actor)
    current.save()
    refresh_standing(enrollment, today=today)
    return current


@transaction.atomic
def return_competency(
    *, actor: User | None, sign_off: CompetencySignOff, reason: str, today: dt.date | None = None
) -> CompetencySignOff:
    """Send a sign-off back to the facilitators with the reason; it can be signed off again."""
    enrollment = _locked(sign_off.enrollment)
    _require_active(enrollment)
    reason = reason.strip()
    if not reason:
        raise CompetencyError("reason", "say why it goes back, so the facilitator can act on it.")
    current = _reviewable(actor, sign_off)
    current.status = SignOffStatus.RETURNED
    current.reviewed_by = actor
    current.reviewed_on = today or program_today(enrollment)
    current.return_reason = reason[:500]
    set_history_user(current, actor)
    current.save()
    return current


@dataclass(frozen=True)
class CompetencyRow:
    """One of his program's competencies and where he stands on it."""

    competency: Competency
    sign_off: CompetencySignOff | None
    required: bool

    @property
    def status_label(self) -> str:
        if self.sign_off is None:
            return "Not signed off"
        return self.sign_off.get_status_display()


def competency_rows(enrollment: Enrollment) -> list[CompetencyRow]:
    """His program's competencies in use (and retired ones he was signed off for)."""
    competencies = list(enrollment.program.competencies.order_by("order", "pk"))
    if not competencies:
        return []
    required = required_competencies(enrollment.program)
    sign_offs = {
        s.competency_id: s
        for s in enrollment.competency_sign_offs.select_related("signed_off_by", "reviewed_by")
    }
    rows = []
    for competency in competencies:
        if not competency.is_active and competency.pk not in sign_offs:
            continue
        rows.append(
            CompetencyRow(competency, sign_offs.get(competency.pk), competency.name in required)
        )
    return rows


def approved_competencies(
    enrollment: Enrollment, *, as_of: dt.date | None = None
) -> list[tuple[str, dt.date]]:
    """The reportable fact: competencies approved (by ``as_of``), by name and day, in the
    program's order. Reads neither the evidence note nor a return reason."""
    rows = enrollment.competency_sign_offs.filter(
        status=SignOffStatus.APPROVED, reviewed_on__isnull=False
    )
    if as_of is not None:
        rows = rows.filter(reviewed_on__lte=as_of)
    pairs = rows.order_by("competency__order", "competency_id").values_list(
        "competency__name", "reviewed_on"
    )
    return [(name, on) for name, on in pairs if on is not None]


@transaction.atomic
def record_leave(
    *,
    actor: User | None,
    enrollment: Enrollment,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str,
) -> LeaveOfAbsence:
    """Record an approved leave of absence (the actor approves it) and refresh his standing."""
    enrollment = _locked(enrollment)
    _require_active(enrollment)
    reason = reason.strip()
    if not reason:
        raise CompetencyError("reason", "say why he is on leave.")
    if ends_on < starts_on:
        raise CompetencyError("ends_on", "the leave cannot end before it starts.")
    if enrollment.started_on is None or starts_on < enrollment.started_on:
        started = enrollment.started_on.strftime("%-d %b %Y") if enrollment.started_on else "-"
        raise CompetencyError(
            "starts_on", f"the leave cannot start before he started the program ({started})."
        )
    if (ends_on - starts_on).days > 365:
        raise CompetencyError("ends_on", "a leave cannot last more than a year.")
    overlapping = enrollment.leaves.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlapping is not None:
        raise CompetencyError(
            "starts_on",
            f"it overlaps his leave from {overlapping.starts_on:%-d %b %Y} to "
            f"{overlapping.ends_on:%-d %b %Y}.",
        )
    leave = LeaveOfAbsence(
        enrollment=enrollment,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason[:500],
        approved_by=actor,
        recorded_at=timezone.now(),
    )
    set_history_user(leave, actor)
    leave.save()
    refresh_standing(enrollment)
    return leave
