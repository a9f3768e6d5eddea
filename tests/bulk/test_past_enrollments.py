"""Past enrollments in bulk (participants.bulk.record_past_enrollments_bulk): alumni and a
program history for the dropout model. The path from referral to his status passes the core's
transition rules; a bad row is refused by number and code with nothing saved; each enrollment
gets a history row naming who recorded it."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.core.enrollment import EnrollmentStatus
from alliance.core.vocabulary import ReferralSource
from alliance.participants.bulk import (
    BulkRowError,
    PastEnrollment,
    create_participants_bulk,
    record_past_enrollments_bulk,
)
from alliance.participants.models import Enrollment, GroupAssignment, Participant


def _past(world, code: str, status: EnrollmentStatus, started, ended) -> PastEnrollment:
    [man] = create_participants_bulk(
        actor=None,
        participants=[Participant(organization=world.riverside, code=code, birth_year=1980)],
    )
    return PastEnrollment(
        Enrollment(
            participant=man,
            program=world.program,
            referral_source=ReferralSource.COURT.value,
            referred_on=dt.date(2023, 1, 9),
            started_on=started,
            ended_on=ended,
            status=status.value,
            attended_count=20,
        ),
        group=world.group_a,
    )


def test_past_enrollments_are_written_with_history_and_his_group(world) -> None:
    done = _past(
        world, "RIV-701", EnrollmentStatus.COMPLETED, dt.date(2023, 2, 6), dt.date(2023, 8, 7)
    )
    no_show = _past(world, "RIV-702", EnrollmentStatus.DROPPED_OUT, None, dt.date(2023, 2, 13))

    saved = record_past_enrollments_bulk(
        actor=world.mona, records=[done, no_show], today=world.today
    )

    assert [(e.status, e.status_changed_on) for e in saved] == [
        ("completed", dt.date(2023, 8, 7)),
        ("dropped_out", dt.date(2023, 2, 13)),
    ]
    assert all(e.history.get().history_user == world.mona for e in saved)
    assert GroupAssignment.objects.filter(enrollment=saved[0]).values_list(
        "starts_on", "ends_on"
    ).get() == (dt.date(2023, 2, 6), dt.date(2023, 8, 7))


@pytest.mark.parametrize(
    ("status", "started", "ended", "message"),
    [
        (
            EnrollmentStatus.COMPLETED,
            dt.date(2023, 2, 6),
            dt.date(2099, 1, 5),
            "effective_on: the date of a status change cannot be in the future",
        ),
        (EnrollmentStatus.COMPLETED, None, dt.date(2023, 8, 7), "cannot become completed"),
        (EnrollmentStatus.DROPPED_OUT, dt.date(2023, 2, 6), None, "ended_on: a dropped out"),
        (EnrollmentStatus.ACTIVE, dt.date(2023, 2, 6), dt.date(2023, 3, 6), "has not ended"),
    ],
    ids=["ends-in-the-future", "completed-without-start", "left-without-end", "active-ended"],
)
def test_a_past_enrollment_that_breaks_the_rules_is_refused_by_row(
    world, status, started, ended, message
) -> None:
    good = _past(
        world, "RIV-701", EnrollmentStatus.COMPLETED, dt.date(2023, 2, 6), dt.date(2023, 8, 7)
    )
    bad = _past(world, "RIV-702", status, started, ended)
    before = Enrollment.objects.count()
    with pytest.raises(BulkRowError, match=rf"row 2 \(RIV-702\): .*{message}"):
        record_past_enrollments_bulk(actor=world.mona, records=[good, bad], today=world.today)
    assert Enrollment.objects.count() == before
    assert not GroupAssignment.objects.filter(enrollment__participant__code="RIV-701").exists()
