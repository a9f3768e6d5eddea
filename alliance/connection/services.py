"""Writes of the connection map and of alumni mentoring: one function per action, each in one
transaction, each refusing bad input with a message that names the field.

Every write is attributable (the actor, a date and a timestamp on the row, and a history row by
django-simple-history). Nothing here reads the partner-safety compartment: a partner-safety
worker's "not suitable for mentoring" (:class:`MentoringHold`) is the only safety input, and it
carries no reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction

from alliance.core.connection import ROLE_DETAIL_MAX, Frequency, Supportive, role_problem
from alliance.core.enrollment import EnrollmentStatus
from alliance.participants.models import Enrollment, Participant

from .models import (
    ContactMode,
    EndReason,
    Mentor,
    MentorContact,
    MentoringHold,
    Mentorship,
    NetworkRole,
    SupportPerson,
    SupportReview,
)

Actor = AbstractBaseUser | AnonymousUser | None
NOTE_MAX = 280


class ConnectionRefused(ValueError):
    """A refused write; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _not_future(field: str, day: dt.date, today: dt.date) -> None:
    if day > today:
        raise ConnectionRefused(field, f"{day:%-d %b %Y} is in the future.")


def _choice(field: str, value: str, allowed: Iterable[object]) -> None:
    if value not in {str(v) for v in allowed}:
        raise ConnectionRefused(field, f"'{value}' is not one of the choices.")


# --- His network ------------------------------------------------------------------------------


@transaction.atomic
def add_support_person(
    *,
    actor: Actor,
    participant: Participant,
    role: str,
    role_detail: str,
    frequency: str,
    supportive: str,
    recorded_on: dt.date,
    today: dt.date,
    now: dt.datetime,
) -> SupportPerson:
    """Add one person to his network, by role, with the first review of contact and support."""
    _choice("role", role, NetworkRole)
    detail = role_detail.strip()
    if role == NetworkRole.OTHER and not detail:
        raise ConnectionRefused("role_detail", "say the role, for example 'cousin' or 'neighbour'.")
    if detail:
        problem = role_problem(detail)
        if problem:
            raise ConnectionRefused("role_detail", problem)
    _not_future("recorded_on", recorded_on, today)
    person = SupportPerson.objects.create(
        participant=participant,
        role=role,
        role_detail=detail[:ROLE_DETAIL_MAX],
        added_on=recorded_on,
        created_by=_user(actor),
        created_at=now,
    )
    _review(actor, person, frequency, supportive, True, recorded_on, now)
    return person


@transaction.atomic
def review_support_person(
    *,
    actor: Actor,
    person: SupportPerson,
    frequency: str,
    supportive: str,
    in_network: bool,
    recorded_on: dt.date,
    today: dt.date,
    now: dt.datetime,
) -> SupportReview:
    """Record how things stand now with one person in his network (history is kept)."""
    _not_future("recorded_on", recorded_on, today)
    if recorded_on < person.added_on:
        raise ConnectionRefused(
            "recorded_on", f"this person was added on {person.added_on:%-d %b %Y}; review after it."
        )
    return _review(actor, person, frequency, supportive, in_network, recorded_on, now)


def _review(
    actor: Actor,
    person: SupportPerson,
    frequency: str,
    supportive: str,
    in_network: bool,
    recorded_on: dt.date,
    now: dt.datetime,
) -> SupportReview:
    _choice("frequency", frequency, Frequency)
    _choice("supportive", supportive, Supportive)
    return SupportReview.objects.create(
        person=person,
        recorded_on=recorded_on,
        frequency=frequency,
        supportive=supportive,
        in_network=in_network,
        recorded_by=_user(actor),
        recorded_at=now,
    )


# --- Mentors ----------------------------------------------------------------------------------


def open_hold(participant_id: int) -> bool:
    return MentoringHold.objects.filter(
        participant_id=participant_id, lifted_on__isnull=True
    ).exists()


@transaction.atomic
def vet_mentor(
    *,
    actor: Actor,
    enrollment: Enrollment,
    vetted_on: dt.date,
    consented_on: dt.date,
    capacity: int,
    notes: str,
    today: dt.date,
    now: dt.datetime,
) -> Mentor:
    """Record a supervisor's vetting of a man who completed the program as a mentor."""
    if enrollment.status != EnrollmentStatus.COMPLETED:
        raise ConnectionRefused(
            "enrollment", "only a man who completed the program can be vetted as a mentor."
        )
    if Mentor.objects.filter(participant_id=enrollment.participant_id).exists():
        raise ConnectionRefused("enrollment", "he is already on the mentor list.")
    if open_hold(enrollment.participant_id):
        raise ConnectionRefused(
            "enrollment", "a partner-safety check has not cleared him for mentoring."
        )
    _not_future("vetted_on", vetted_on, today)
    _not_future("consented_on", consented_on, today)
    if not 1 <= capacity <= 5:
        raise ConnectionRefused("capacity", "a mentor takes between 1 and 5 men.")
    return Mentor.objects.create(
        organization_id=enrollment.participant.organization_id,
        participant_id=enrollment.participant_id,
        completed_enrollment=enrollment,
        vetted_by=_user(actor),
        vetted_on=vetted_on,
        vetting_notes=notes.strip()[:2000],
        consented_on=consented_on,
        capacity=capacity,
        created_at=now,
    )


@transaction.atomic
def update_mentor(
    *,
    actor: Actor,
    mentor: Mentor,
    active: bool,
    capacity: int,
    notes: str,
    consent_withdrawn_on: dt.date | None,
    today: dt.date,
) -> Mentor:
    """Change a mentor's standing: active or not, how many men, notes, withdrawn consent."""
    if not 1 <= capacity <= 5:
        raise ConnectionRefused("capacity", "a mentor takes between 1 and 5 men.")
    open_matches = mentor.matches.filter(ended_on__isnull=True).count()
    if capacity < open_matches:
        raise ConnectionRefused(
            "capacity", f"he mentors {open_matches} men now; end a match before lowering it."
        )
    if consent_withdrawn_on is not None:
        _not_future("consent_withdrawn_on", consent_withdrawn_on, today)
        if open_matches:
            raise ConnectionRefused(
                "consent_withdrawn_on",
                "end his matches first (reason: mentor withdrew his consent), telling each man.",
            )
        active = False
    if mentor.consent_withdrawn_on is not None:
        active = False  # a withdrawn consent stands; nothing here undoes it
    mentor.active = active
    mentor.capacity = capacity
    mentor.vetting_notes = notes.strip()[:2000]
    if consent_withdrawn_on is not None and mentor.consent_withdrawn_on is None:
        mentor.consent_withdrawn_on = consent_withdrawn_on
    mentor.save()
    return mentor


@transaction.atomic
def match_mentee(
    *,
    actor: Actor,
    mentor: Mentor,
    mentee: Enrollment,
    mentee_consented_on: dt.date,
    mentor_consented_on: dt.date,
    matched_on: dt.date,
    today: dt.date,
    now: dt.datetime,
) -> Mentorship:
    """Match an active man with a mentor, both having consented."""
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    if not mentor.active or not mentor.consents:
        raise ConnectionRefused("mentor", "this mentor is not active or has withdrawn his consent.")
    if mentee.status != EnrollmentStatus.ACTIVE:
        raise ConnectionRefused("mentee", "only a man active in the program can be matched.")
    if mentee.participant_id == mentor.participant_id:
        raise ConnectionRefused("mentee", "a man cannot mentor himself.")
    if mentee.participant.organization_id != mentor.organization_id:
        raise ConnectionRefused("mentee", "no such man in this organization.")
    if Mentorship.objects.filter(mentee=mentee, ended_on__isnull=True).exists():
        raise ConnectionRefused("mentee", "he already has a mentor; end that match first.")
    if open_hold(mentee.participant_id) or open_hold(mentor.participant_id):
        raise ConnectionRefused(
            "mentee", "a partner-safety check has not cleared this match for mentoring."
        )
    if mentor.matches.filter(ended_on__isnull=True).count() >= mentor.capacity:
        raise ConnectionRefused(
            "mentor", f"he already mentors {mentor.capacity} men, his capacity."
        )
    for field, day in (
        ("mentee_consented_on", mentee_consented_on),
        ("mentor_consented_on", mentor_consented_on),
        ("matched_on", matched_on),
    ):
        _not_future(field, day, today)
    if matched_on < mentor.vetted_on:
        raise ConnectionRefused(
            "matched_on", f"the mentor was vetted on {mentor.vetted_on:%-d %b %Y}; match after it."
        )
    if mentee_consented_on > matched_on:
        raise ConnectionRefused("mentee_consented_on", "he must consent on or before the match.")
    if mentor_consented_on > matched_on:
        raise ConnectionRefused("mentor_consented_on", "the mentor must consent on or before it.")
    return Mentorship.objects.create(
        mentor=mentor,
        mentee=mentee,
        mentee_consented_on=mentee_consented_on,
        mentor_consented_on=mentor_consented_on,
        matched_on=matched_on,
        matched_by=_user(actor),
        created_at=now,
    )


@transaction.atomic
def log_mentor_contact(
    *,
    actor: Actor,
    mentorship: Mentorship,
    contact_on: dt.date,
    mode: str,
    minutes: int,
    note: str,
    today: dt.date,
    now: dt.datetime,
) -> MentorContact:
    """Log one contact between mentor and mentee (date, mode, minutes, a brief note)."""
    _choice("mode", mode, ContactMode)
    _not_future("contact_on", contact_on, today)
    if contact_on < mentorship.matched_on:
        raise ConnectionRefused(
            "contact_on", f"the match began on {mentorship.matched_on:%-d %b %Y}."
        )
    if mentorship.ended_on is not None and contact_on > mentorship.ended_on:
        raise ConnectionRefused(
            "contact_on", f"the match ended on {mentorship.ended_on:%-d %b %Y}."
        )
    if not 1 <= minutes <= 600:
        raise ConnectionRefused("minutes", "between 1 and 600 minutes.")
    if len(note.strip()) > NOTE_MAX:
        raise ConnectionRefused("note", f"keep the note to {NOTE_MAX} characters.")
    return MentorContact.objects.create(
        mentorship=mentorship,
        contact_on=contact_on,
        mode=mode,
        minutes=minutes,
        note=note.strip(),
        recorded_by=_user(actor),
        recorded_at=now,
    )


@transaction.atomic
def end_mentorship(
    *,
    actor: Actor,
    mentorship: Mentorship,
    ended_on: dt.date,
    reason: str,
    note: str,
    mentor_told_on: dt.date | None,
    mentee_told_on: dt.date | None,
    today: dt.date,
) -> Mentorship:
    """End a match cleanly: a reason, a date, and both men told."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentorship.ended_on is not None:
        raise ConnectionRefused(
            "ended_on", f"this match already ended on {mentorship.ended_on:%-d %b %Y}."
        )
    _choice("reason", reason, EndReason)
    _not_future("ended_on", ended_on, today)
    if ended_on < mentorship.matched_on:
        raise ConnectionRefused(
            "ended_on", f"the match began on {mentorship.matched_on:%-d %b %Y}."
        )
    for field, told in (("mentor_told_on", mentor_told_on), ("mentee_told_on", mentee_told_on)):
        if told is None:
            raise ConnectionRefused(
                field, "record when he was told; a match ends with both men told."
            )
        _not_future(field, told, today)
    if len(note.strip()) > NOTE_MAX:
        raise ConnectionRefused("note", f"keep the note to {NOTE_MAX} characters.")
    mentorship.ended_on = ended_on
    mentorship.end_reason = reason
    mentorship.end_note = note.strip()
    mentorship.mentor_told_on = mentor_told_on
    mentorship.mentee_told_on = mentee_told_on
    mentorship.ended_by = _user(actor)
    mentorship.save()
    return mentorship


# --- The partner-safety worker's hold -------------------------------------------------------


@transaction.atomic
def place_mentoring_hold(
    *, actor: Actor, participant: Participant, placed_on: dt.date, today: dt.date
) -> MentoringHold:
    """Mark a man not suitable for mentoring (no reason is stored here)."""
    _not_future("placed_on", placed_on, today)
    if open_hold(participant.pk):
        raise ConnectionRefused("code", f"{participant.code} already has a mentoring hold.")
    return MentoringHold.objects.create(
        participant=participant, placed_on=placed_on, placed_by=_user(actor)
    )


@transaction.atomic
def lift_mentoring_hold(
    *, actor: Actor, hold: MentoringHold, lifted_on: dt.date, today: dt.date
) -> MentoringHold:
    _not_future("lifted_on", lifted_on, today)
    if hold.lifted_on is not None:
        raise ConnectionRefused("lifted_on", "this hold was already lifted.")
    if lifted_on < hold.placed_on:
        raise ConnectionRefused("lifted_on", f"it was placed on {hold.placed_on:%-d %b %Y}.")
    hold.lifted_on = lifted_on
    hold.lifted_by = _user(actor)
    hold.save()
    return hold
