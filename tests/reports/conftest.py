"""Reports tests use the web personas (Riverside, frozen at Monday 10 March 2025 in Auckland),
plus a completed man, a discharged man, and sentinel therapeutic data on every one of them."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from alliance.core.enrollment import DischargeReason, EnrollmentStatus
from alliance.measures.models import Administration, Alert, ItemResponse, Release, Score
from alliance.participants.models import Enrollment
from alliance.participants.services import change_enrollment_status
from alliance.practice.models import AccountabilityLog
from alliance.programs.models import Attendance, Session
from tests.factories import (
    World,
    enroll,
    fill_attendance,
    make_group,
    make_participant,
    make_program,
    make_sessions,
    weekly,
)
from tests.web.conftest import (  # noqa: F401
    _fast_passwords,
    _static_without_collectstatic,
    as_user,
    frozen_clock,
    world,
)

TODAY = dt.date(2025, 3, 10)

#: Therapeutic facts planted in the database; none may reach a document without a release.
#: The released measure (SCS-SF) has its own score; the check-out stays unreleased.
RELEASED_TITLE = "Self-Compassion Scale - Short Form"
RELEASED_VALUE = "41.73"
UNRELEASED_TITLE = "Alliance session check-out"
SENTINELS = [
    RELEASED_TITLE,
    RELEASED_VALUE,
    UNRELEASED_TITLE,
    "29.61",
    "SENTINEL-BAND",
    "SENTINEL-CHECKOUT-ANSWER",
    "SENTINEL-ALERT",
    "SENTINEL-SESSION-NOTE",
    "SENTINEL-ATTENDANCE-NOTE",
    "SENTINEL-ACCOUNTABILITY",
]
ALWAYS_ABSENT = [s for s in SENTINELS if s not in (RELEASED_TITLE, RELEASED_VALUE)]


def _score(enrollment: Enrollment, instrument_id: str, value: float, key: str) -> None:
    administration = Administration.objects.create(
        enrollment=enrollment,
        instrument_id=instrument_id,
        instrument_version="1.0.0",
        confidentiality="therapeutic",
        respondent="participant",
        channel="staff",
        status="complete",
        administered_on=TODAY - dt.timedelta(days=7),
        idempotency_key=f"{key}-{enrollment.pk}-{instrument_id}",
    )
    ItemResponse.objects.create(
        administration=administration,
        item_id="q1",
        value=1,
        text="SENTINEL-CHECKOUT-ANSWER",
        answered_at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC),
    )
    Score.objects.create(
        administration=administration,
        enrollment=enrollment,
        instrument_id=instrument_id,
        instrument_version="1.0.0",
        engine_version="1.0.0",
        confidentiality="therapeutic",
        scale_id="total",
        value=value,
        band="SENTINEL-BAND" if instrument_id != "scs_sf" else "",
        administered_on=TODAY - dt.timedelta(days=7),
        scored_at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC),
    )


def plant_sentinels(enrollment: Enrollment) -> None:
    _score(enrollment, "scs_sf", float(RELEASED_VALUE), "s")
    _score(enrollment, "alliance_checkout", 29.61, "c")
    Alert.objects.create(
        enrollment=enrollment,
        kind="low_checkout",
        detail="SENTINEL-ALERT",
        created_at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC),
    )
    AccountabilityLog.objects.create(
        enrollment=enrollment,
        written_on=TODAY - dt.timedelta(days=3),
        situation="SENTINEL-ACCOUNTABILITY",
        what_he_did="SENTINEL-ACCOUNTABILITY",
        via="staff",
        idempotency_key=f"acc-{enrollment.pk}",
    )
    Attendance.objects.filter(enrollment=enrollment).update(note="SENTINEL-ATTENDANCE-NOTE")
    Session.objects.filter(attendance__enrollment=enrollment).update(notes="SENTINEL-SESSION-NOTE")


#: The organization each test release is signed for (a release must name its recipient).
RELEASE_NAMES = {
    "court": "District Court",
    "probation": "Riverside Probation",
    "child_protection": "Riverside Child Protection",
    "funder": "State Programs Office",
    "other": "His own counsellor",
}


def release_for(enrollment: Enrollment, kind: str = "probation", **kw) -> Release:
    kw.setdefault("recipient_name", RELEASE_NAMES[kind])
    return Release.objects.create(
        enrollment=enrollment,
        recipient_kind=kind,
        instrument_ids=["scs_sf"],
        signed_on=TODAY - dt.timedelta(days=20),
        expires_on=TODAY + dt.timedelta(days=200),
        **kw,
    )


@pytest.fixture
def reports_world(world: World) -> World:  # noqa: F811
    """Adds ``completed`` (a short course at North, facilitated by Alice) and ``discharged``
    (RIV-103, discharged for non-compliance), and sentinels on every man of interest."""
    short = make_program(
        world.north, "Short Course", curriculum=3, core=(1,), min_attended_sessions=3
    )
    group = make_group(
        short, "Group S", starts_on=TODAY - dt.timedelta(weeks=4), facilitators=[world.alice]
    )
    sessions = make_sessions(group, weekly(TODAY - dt.timedelta(weeks=1), 3))
    man = make_participant(world.riverside, "RIV-401")
    completed = enroll(
        man,
        short,
        referred_on=TODAY - dt.timedelta(weeks=6),
        group=group,
        started_on=sessions[0].held_on,
    )
    fill_attendance(sessions, completed, "PPP")
    change_enrollment_status(
        actor=world.mona,
        enrollment=Enrollment.objects.get(pk=completed.pk),
        target=EnrollmentStatus.COMPLETED,
        effective_on=TODAY - dt.timedelta(days=2),
        reason="All sessions attended",
    )
    discharged_man = make_participant(world.riverside, "RIV-402")
    discharged = enroll(
        discharged_man,
        world.program,
        referred_on=world.group_a.starts_on - dt.timedelta(days=11),
        group=world.group_a,
        started_on=world.group_a.starts_on,
    )
    fill_attendance(world.sessions_a[:-1], discharged, "PUUUPPPP")
    change_enrollment_status(
        actor=world.mona,
        enrollment=Enrollment.objects.get(pk=discharged.pk),
        target=EnrollmentStatus.DISCHARGED,
        effective_on=TODAY - dt.timedelta(days=1),
        reason="Three unexcused absences in a row",
        discharge_reason=DischargeReason.NON_COMPLIANCE,
    )
    world.extra["completed"] = Enrollment.objects.get(pk=completed.pk)
    world.extra["discharged"] = Enrollment.objects.get(pk=discharged.pk)
    for enrollment in (world.good, world.breach, completed, discharged):
        plant_sentinels(enrollment)
    return world


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
