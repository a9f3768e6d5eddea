"""Reads of the connection map: his network now and over time, his UCLA-3 trend, mentors, and
his isolation at each session for the dropout model (``alliance.engagement.selectors``).

The rules themselves (snapshots, the isolation index) are ``alliance.core.connection``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db.models import Count, Q, QuerySet

from alliance.core.connection import (
    Frequency,
    Isolation,
    NetworkSnapshot,
    Review,
    Supportive,
    isolation_at,
    network_over_time,
)
from alliance.core.enrollment import EnrollmentStatus
from alliance.measures.models import Score
from alliance.organizations.models import Membership
from alliance.participants.models import Enrollment, Participant
from alliance.participants.permissions import visible_participants

from .models import Mentor, MentoringHold, Mentorship, SupportPerson, SupportReview

UCLA3 = "ucla3"


@dataclass(frozen=True)
class PersonNow:
    person: SupportPerson
    latest: SupportReview | None
    reviews: int


@dataclass(frozen=True)
class LonelinessReading:
    day: dt.date
    total: float
    band: str
    program: str


@dataclass(frozen=True)
class ConnectionMap:
    people: list[PersonNow]
    former: list[PersonNow]
    snapshots: list[NetworkSnapshot]
    loneliness: list[LonelinessReading]
    isolation: Isolation
    mentorship: Mentorship | None
    is_mentor: bool


def _as_review(row: SupportReview) -> Review:
    return Review(
        contact_id=row.person_id,
        recorded_on=row.recorded_on,
        frequency=Frequency(row.frequency),
        supportive=Supportive(row.supportive),
        in_network=row.in_network,
    )


def loneliness_trend(participant: Participant) -> list[LonelinessReading]:
    """His UCLA-3 totals over all his enrollments, oldest first (scored forms only)."""
    rows = (
        Score.objects.filter(
            enrollment__participant=participant,
            instrument_id=UCLA3,
            scale_id="total",
            missing=False,
            value__isnull=False,
        )
        .select_related("enrollment__program")
        .order_by("administered_on", "pk")
    )
    return [
        LonelinessReading(
            day=s.administered_on,
            total=float(s.value),  # type: ignore[arg-type]
            band=s.band.replace("_", " "),
            program=str(s.enrollment.program),
        )
        for s in rows
    ]


def connection_map(participant: Participant, *, today: dt.date) -> ConnectionMap:
    people = list(
        SupportPerson.objects.filter(participant=participant).prefetch_related(
            "reviews__recorded_by"
        )
    )
    reviews = [r for p in people for r in p.reviews.all()]
    now: list[PersonNow] = []
    former: list[PersonNow] = []
    for person in people:
        own = sorted(person.reviews.all(), key=lambda r: (r.recorded_on, r.pk))
        row = PersonNow(person=person, latest=own[-1] if own else None, reviews=len(own))
        (now if row.latest is None or row.latest.in_network else former).append(row)
    core_reviews = [_as_review(r) for r in reviews]
    loneliness = loneliness_trend(participant)
    mentorship = (
        Mentorship.objects.filter(mentee__participant=participant, ended_on__isnull=True)
        .select_related("mentor__participant")
        .first()
    )
    return ConnectionMap(
        people=now,
        former=former,
        snapshots=network_over_time(core_reviews),
        loneliness=loneliness,
        isolation=isolation_at(
            today, loneliness=[(r.day, r.total) for r in loneliness], reviews=core_reviews
        ),
        mentorship=mentorship,
        is_mentor=Mentor.objects.filter(participant=participant).exists(),
    )


@dataclass(frozen=True)
class Panel:
    """What his page's panel shows: four queries, none growing with the number of men."""

    people: list[PersonNow]
    loneliness: list[LonelinessReading]
    mentorship: Mentorship | None


def panel(participant: Participant) -> Panel:
    people = []
    for person in SupportPerson.objects.filter(participant=participant).prefetch_related("reviews"):
        own = sorted(person.reviews.all(), key=lambda r: (r.recorded_on, r.pk))
        latest = own[-1] if own else None
        if latest is None or latest.in_network:
            people.append(PersonNow(person=person, latest=latest, reviews=len(own)))
    return Panel(
        people=people,
        loneliness=loneliness_trend(participant),
        mentorship=Mentorship.objects.filter(mentee__participant=participant, ended_on__isnull=True)
        .select_related("mentor__participant")
        .first(),
    )


def isolation_at_sessions(rows: pd.DataFrame) -> np.ndarray:
    """His isolation index at each (enrollment ``participant_id``, ``held_on``) row; NaN where
    neither his UCLA-3 nor his network had been recorded by that date. Three queries."""
    if rows.empty:
        return np.zeros(0)
    enrollment_ids = sorted({int(v) for v in rows["participant_id"]})
    owner = dict(
        Enrollment.objects.filter(pk__in=enrollment_ids).values_list("pk", "participant_id")
    )
    men = set(owner.values())
    loneliness: dict[int, list[tuple[dt.date, float]]] = defaultdict(list)
    for man, day, value in Score.objects.filter(
        enrollment__participant_id__in=men,
        instrument_id=UCLA3,
        scale_id="total",
        missing=False,
        value__isnull=False,
    ).values_list("enrollment__participant_id", "administered_on", "value"):
        if value is not None:
            loneliness[man].append((day, float(value)))
    reviews: dict[int, list[Review]] = defaultdict(list)
    for review in SupportReview.objects.filter(person__participant_id__in=men).select_related(
        "person"
    ):
        reviews[review.person.participant_id].append(_as_review(review))
    out = np.full(len(rows), np.nan)
    measured = set(loneliness) | set(reviews)
    for k, (enrollment, day) in enumerate(
        zip(rows["participant_id"], rows["held_on"], strict=True)
    ):
        owner_id = owner.get(int(enrollment))
        if owner_id is None or owner_id not in measured:
            continue
        man = owner_id
        index = isolation_at(day, loneliness=loneliness[man], reviews=reviews[man]).index
        out[k] = np.nan if index is None else index
    return out


# --- Mentoring --------------------------------------------------------------------------------


def mentors_with_load(mentors: QuerySet[Mentor]) -> QuerySet[Mentor]:
    return mentors.annotate(
        open_matches=Count("matches", filter=Q(matches__ended_on__isnull=True))
    ).order_by("-active", "participant__code")


def completed_men(membership: Membership) -> QuerySet[Enrollment]:
    """Completed enrollments of men he may see who are not mentors yet (the vetting choices)."""
    return (
        Enrollment.objects.filter(
            status=EnrollmentStatus.COMPLETED,
            participant__in=visible_participants(membership),
        )
        .exclude(participant_id__in=Mentor.objects.values("participant_id"))
        .select_related("participant", "program")
        .order_by("participant__code", "-ended_on")
    )


def matchable_mentees(membership: Membership) -> QuerySet[Enrollment]:
    """Active enrollments he may see, without an open mentor."""
    return (
        Enrollment.objects.filter(
            status=EnrollmentStatus.ACTIVE,
            participant__in=visible_participants(membership),
        )
        .exclude(pk__in=Mentorship.objects.filter(ended_on__isnull=True).values("mentee_id"))
        .select_related("participant", "program")
        .order_by("participant__code")
    )


def holds_on(participant_ids: set[int]) -> set[int]:
    return set(
        MentoringHold.objects.filter(
            participant_id__in=participant_ids, lifted_on__isnull=True
        ).values_list("participant_id", flat=True)
    )
