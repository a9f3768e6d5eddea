"""The services' bulk write paths (used by the demo, and by a caseload import to come).

There is no page for them yet, so these call the services directly, in Riverside's world
(tests/factories.py): each path writes what its single-row service writes, names the bad row
and field, and saves nothing when one row is bad.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from alliance.core.enrollment import EnrollmentStatus
from alliance.core.vocabulary import AttendanceMark, ReferralSource
from alliance.measures.administration.bulk import Form, record_administrations_bulk
from alliance.measures.errors import MeasureError
from alliance.measures.models import (
    CHECKOUT,
    Administration,
    Channel,
    ItemResponse,
    Occasion,
    Respondent,
    Score,
)
from alliance.measures.registry import definition_for
from alliance.participants.bulk import (
    BulkRowError,
    Completion,
    EnrollmentRecord,
    StatusChange,
    complete_enrollments_bulk,
    create_participants_bulk,
    open_enrollments_bulk,
)
from alliance.participants.models import Enrollment, EnrollmentEvent, GroupAssignment, Participant
from alliance.programs.bulk import Mark, record_attendance_bulk
from alliance.programs.models import Attendance, Session
from alliance.programs.services import AttendanceError


def _men(world, *codes: str, **intake: object) -> list[Participant]:
    return [
        Participant(organization=world.riverside, code=code, birth_year=1980, **intake)
        for code in codes
    ]


def _record(world, participant: Participant, *changes: StatusChange) -> EnrollmentRecord:
    referred = world.group_a.starts_on - dt.timedelta(days=20)
    return EnrollmentRecord(
        enrollment=Enrollment(
            participant=participant,
            program=world.program,
            referral_source=ReferralSource.COURT.value,
            referred_on=referred,
        ),
        changes=changes,
    )


def test_bulk_enrollments_write_the_timeline_the_single_row_service_writes(world) -> None:
    start = world.group_a.starts_on
    [man] = create_participants_bulk(actor=world.mona, participants=_men(world, "RIV-601"))
    [enrollment] = open_enrollments_bulk(
        actor=world.mona,
        records=[
            _record(
                world,
                man,
                StatusChange(EnrollmentStatus.INTAKE, start - dt.timedelta(days=10), "Intake"),
                StatusChange(
                    EnrollmentStatus.ACTIVE, start, "Joined", group=world.group_a, actor=world.alice
                ),
            )
        ],
        today=world.today,
    )
    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert (stored.status, stored.started_on, stored.group_id) == (
        "active",
        start,
        world.group_a.pk,
    )
    timeline = list(
        EnrollmentEvent.objects.filter(enrollment=stored)
        .order_by("pk")
        .values_list("from_status", "to_status", "actor__username")
    )
    assert timeline == [
        ("", "referred", "mona"),
        ("referred", "intake", None),
        ("intake", "active", "alice"),
    ]
    assert GroupAssignment.objects.get(enrollment=stored).starts_on == start
    assert man.history.get().history_user == world.mona
    assert stored.history.get().history_user == world.mona


def test_a_bad_timeline_is_refused_by_row_and_nothing_is_saved(world) -> None:
    start = world.group_a.starts_on
    men = create_participants_bulk(actor=None, participants=_men(world, "RIV-601", "RIV-602"))
    good = _record(world, men[0])
    started_before_intake = _record(
        world,
        men[1],
        StatusChange(EnrollmentStatus.INTAKE, start, "Intake"),
        StatusChange(
            EnrollmentStatus.ACTIVE, start - dt.timedelta(days=1), "Joined", group=world.group_a
        ),
    )
    before = Enrollment.objects.count()
    with pytest.raises(BulkRowError, match=r"row 2 \(RIV-602\): effective_on: the date cannot"):
        open_enrollments_bulk(actor=None, records=[good, started_before_intake], today=world.today)
    assert Enrollment.objects.count() == before


def test_a_start_without_a_group_is_refused_like_the_single_row_service(world) -> None:
    [man] = create_participants_bulk(actor=None, participants=_men(world, "RIV-601"))
    start = world.group_a.starts_on
    record = _record(
        world,
        man,
        StatusChange(EnrollmentStatus.INTAKE, start, "Intake"),
        StatusChange(EnrollmentStatus.ACTIVE, start, "Joined"),
    )
    with pytest.raises(BulkRowError, match=r"row 1 \(RIV-601\): group: choose the group"):
        open_enrollments_bulk(actor=None, records=[record], today=world.today)


def test_an_unknown_referral_source_is_refused_by_row_and_field(world) -> None:
    [man] = create_participants_bulk(actor=None, participants=_men(world, "RIV-601"))
    record = _record(world, man)
    record.enrollment.referral_source = "neighbour"
    with pytest.raises(BulkRowError, match=r"row 1 \(RIV-601\): referral_source: 'neighbour'"):
        open_enrollments_bulk(actor=None, records=[record], today=world.today)


def test_bulk_participants_refuse_a_taken_code_and_a_bad_field_by_row(world) -> None:
    before = Participant.objects.count()
    with pytest.raises(BulkRowError, match="RIV-101 is already a participant"):
        create_participants_bulk(actor=None, participants=_men(world, "RIV-600", "RIV-101"))
    with pytest.raises(BulkRowError, match=r"row 2 \(RIV-600\): code: repeated"):
        create_participants_bulk(actor=None, participants=_men(world, "RIV-600", "RIV-600"))
    bad = _men(world, "RIV-600", "RIV-601")
    bad[1].prior_offences, bad[1].prior_ipv_offences = 1, 3
    with pytest.raises(BulkRowError, match=r"row 2 \(RIV-601\)"):
        create_participants_bulk(actor=None, participants=bad)
    assert Participant.objects.count() == before


def test_bulk_attendance_writes_what_record_attendance_writes(world) -> None:
    session = world.todays_session_a
    attended_before = world.good.attended_count
    record_attendance_bulk(
        actor=world.alice,
        marks=[
            Mark(session, world.good, AttendanceMark.PRESENT, minutes_late=10),
            Mark(session, world.at_limit, AttendanceMark.LATE, minutes_late=12),
        ],
        today=world.today,
    )
    marks = dict(
        Attendance.objects.filter(session=session).values_list("enrollment_id", "minutes_late")
    )
    assert marks == {world.good.pk: 0, world.at_limit.pk: 12}  # only a late mark keeps minutes
    session = Session.objects.get(pk=session.pk)
    assert (session.status, session.marks_total, session.marks_attended) == ("held", 2, 2)
    assert Enrollment.objects.get(pk=world.good.pk).attended_count == attended_before + 1
    stored = Attendance.objects.get(session=session, enrollment=world.good)
    assert stored.recorded_by == world.alice
    assert stored.history.get().history_user == world.alice


def test_bulk_attendance_refuses_a_man_of_another_program_or_a_second_mark(world) -> None:
    session = world.todays_session_a
    with pytest.raises(AttendanceError, match=r"row 2 \(RIV-201, .*\): He is not enrolled"):
        record_attendance_bulk(
            actor=world.alice,
            marks=[
                Mark(session, world.good, AttendanceMark.PRESENT),
                Mark(session, world.man_b, AttendanceMark.PRESENT),
            ],
        )
    assert not Attendance.objects.filter(session=session).exists()
    with pytest.raises(AttendanceError, match=r"row 1 .*already has a mark"):
        record_attendance_bulk(
            actor=world.alice,
            marks=[Mark(world.sessions_a[0], world.good, AttendanceMark.UNEXCUSED)],
        )
    with pytest.raises(AttendanceError, match=r"row 1 .*minutes_late: give the minutes"):
        record_attendance_bulk(
            actor=world.alice,
            marks=[Mark(session, world.good, AttendanceMark.LATE, minutes_late=-5)],
        )


def test_completion_in_bulk_needs_the_criteria_met(world) -> None:
    with pytest.raises(BulkRowError, match=r"row 1 \(RIV-101\): The completion criteria"):
        complete_enrollments_bulk(
            actor=world.bob,
            completions=[Completion(world.good, world.today)],
            today=world.today,
        )
    assert Enrollment.objects.get(pk=world.good.pk).status == "active"


def _checkouts(world, values: list[list[float]]):
    definition = definition_for(CHECKOUT)
    session = world.todays_session_a
    men = [world.good, world.at_limit]
    return dict(
        actor=None,
        definition=definition,
        forms=[
            Form(
                enrollment_id=m.pk,
                administered_on=world.today,
                key=f"k-{m.pk}",
                session_id=session.pk,
            )
            for m in men[: len(values)]
        ],
        answers=pd.DataFrame(values, columns=[item.id for item in definition.items]),
        respondent=Respondent.PARTICIPANT,
        channel=Channel.KIOSK,
        occasion=Occasion.SESSION,
        now=dt.datetime(2025, 3, 10, 9, 45, tzinfo=dt.UTC),
    )


def test_bulk_forms_are_scored_by_the_engine(world) -> None:
    administrations, result = record_administrations_bulk(
        **_checkouts(world, [[8, 8, 8, 8], [4, 5, 6, 7]])
    )
    assert list(result["total_score"]) == [8.0, 5.5]
    assert ItemResponse.objects.filter(administration__in=administrations).count() == 8
    totals = Score.objects.filter(administration__in=administrations, scale_id="total")
    assert sorted(totals.values_list("value", flat=True)) == [5.5, 8.0]
    assert all(a.history.get().history_user is None for a in administrations)


def test_a_bulk_answer_out_of_range_is_refused_by_row_and_item(world) -> None:
    with pytest.raises(MeasureError, match=r"row 2: .*got 11"):
        record_administrations_bulk(**_checkouts(world, [[8, 8, 8, 8], [4, 5, 11, 7]]))
    assert not Administration.objects.filter(idempotency_key__startswith="k-").exists()
