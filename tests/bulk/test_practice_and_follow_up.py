"""Bulk paths for practice (alliance/practice/bulk.py) and follow-up (alliance/outcomes/bulk.py).

The demo and imports write through these: each row gets its single-row service's checks, a
bad row is refused by its number and the man's code, nothing is saved then, and the rows name
who acted (a plan goal's history row, a follow-up's import record)."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.core.outcomes.followup import OutcomeKind, Source
from alliance.organizations.models import Membership
from alliance.outcomes.bulk import EventRecord, FollowUpRecord, record_follow_up_bulk
from alliance.outcomes.models import FollowUp, FollowUpImport, OutcomeEvent
from alliance.participants.bulk import BulkRowError
from alliance.practice.bulk import (
    GoalRecord,
    GoalStep,
    add_plan_goals_bulk,
    assign_practice_bulk,
    log_practice_bulk,
    write_accountability_logs_bulk,
)
from alliance.practice.models import (
    AccountabilityLog,
    Assignment,
    PlanGoal,
    PlanGoalChange,
    Practice,
    PracticeLog,
    Via,
)
from alliance.practice.services import ensure_builtin_library
from tests.factories import make_participant


def _practice() -> Practice:
    ensure_builtin_library()
    return Practice.objects.filter(organization__isnull=True).order_by("pk").first()


def _log(enrollment, key: str, **fields: object) -> PracticeLog:
    values: dict[str, object] = {
        "enrollment": enrollment,
        "practice": _practice(),
        "logged_on": dt.date(2025, 3, 8),
        "done": True,
        "minutes": 10,
        "calm_before": 4,
        "calm_after": 7,
        "via": Via.LINK,
        "idempotency_key": key,
    }
    return PracticeLog(**(values | fields))


def test_practice_logs_are_checked_like_one_and_a_bad_row_saves_nothing(world) -> None:
    good = _log(world.good, "k-1")
    out_of_range = _log(world.at_limit, "k-2", calm_after=11)
    code = world.at_limit.participant.code
    with pytest.raises(BulkRowError, match=rf"row 2 \({code}\): Ratings go from 0 to 10"):
        log_practice_bulk(logs=[good, out_of_range])
    assert not PracticeLog.objects.exists()

    log_practice_bulk(logs=[_log(world.good, "k-1", done=False, minutes=12)])
    assert PracticeLog.objects.get().minutes == 0  # as log_practice: no minutes if not done
    with pytest.raises(BulkRowError, match=r"row 2: idempotency_key: k-1 was already used"):
        log_practice_bulk(logs=[_log(world.good, "k-3"), _log(world.good, "k-1")])
    assert PracticeLog.objects.count() == 1


def test_an_accountability_log_without_what_he_did_is_refused_by_row(world) -> None:
    log = AccountabilityLog(
        enrollment=world.good,
        written_on=dt.date(2025, 3, 8),
        situation="She asked about money.",
        via=Via.LINK,
        idempotency_key="a-1",
    )
    code = world.good.participant.code
    with pytest.raises(BulkRowError, match=rf"row 1 \({code}\): Describe the situation"):
        write_accountability_logs_bulk(logs=[log])
    assert not AccountabilityLog.objects.exists()


def test_homework_for_a_session_of_another_group_is_refused(world) -> None:
    wrong = Assignment(
        practice=_practice(),
        group=world.group_a,
        session=world.sessions_b[0],
        due_on=dt.date(2025, 3, 17),
    )
    with pytest.raises(BulkRowError, match="row 1: That session belongs to another group"):
        assign_practice_bulk(actor=world.alice, assignments=[wrong])
    assert not Assignment.objects.exists()
    right = Assignment(practice=_practice(), group=world.group_a, due_on=dt.date(2025, 3, 17))
    [saved] = assign_practice_bulk(actor=world.alice, assignments=[right])
    assert saved.assigned_by == world.alice


def _evening(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(17), tzinfo=dt.UTC)


def test_plan_goals_keep_every_step_and_a_history_row_naming_their_author(world) -> None:
    set_on = dt.date(2025, 1, 6)
    record = GoalRecord(
        goal=PlanGoal(
            enrollment=world.good,
            goal="Take a time-out before my voice rises.",
            review_on=dt.date(2025, 4, 1),
            created_by=world.alice,
        ),
        set_at=_evening(set_on),
        steps=(
            GoalStep("in_progress", _evening(set_on + dt.timedelta(14)), "Practising it."),
            GoalStep("met", _evening(set_on + dt.timedelta(42))),
        ),
    )
    [goal] = add_plan_goals_bulk(actor=world.bob, records=[record])

    goal.refresh_from_db()
    assert goal.status == "met"
    steps = list(goal.changes.values_list("from_status", "to_status", "changed_by"))
    assert steps == [
        ("", "open", world.alice.pk),
        ("open", "in_progress", world.alice.pk),
        ("in_progress", "met", world.alice.pk),
    ]
    assert goal.history.get().history_user == world.alice


def test_a_revised_goal_without_a_note_is_refused_by_row_and_nothing_is_saved(world) -> None:
    def record(enrollment, *steps: GoalStep) -> GoalRecord:
        goal = PlanGoal(enrollment=enrollment, goal="A goal.", review_on=dt.date(2025, 4, 1))
        return GoalRecord(goal=goal, set_at=_evening(dt.date(2025, 1, 6)), steps=steps)

    later = _evening(dt.date(2025, 2, 3))
    code = world.at_limit.participant.code
    with pytest.raises(BulkRowError, match=rf"row 2 \({code}\): note: say how the goal"):
        add_plan_goals_bulk(
            actor=world.alice,
            records=[record(world.good), record(world.at_limit, GoalStep("revised", later))],
        )
    with pytest.raises(BulkRowError, match=r"row 1 .*status: the goal is already open"):
        add_plan_goals_bulk(
            actor=world.alice, records=[record(world.good, GoalStep("open", later))]
        )
    assert not PlanGoal.objects.exists()
    assert not PlanGoalChange.objects.exists()
    assert not PlanGoal.history.exists()


def _exited(world) -> int:
    return world.good.participant_id


def test_follow_up_is_written_with_an_import_record_naming_who_brought_it_in(world) -> None:
    man = _exited(world)
    batch = record_follow_up_bulk(
        actor=world.mona,
        organization=world.riverside,
        filename="records.csv",
        follow_ups=[
            FollowUpRecord(man, Source.OFFICIAL_RECORD, dt.date(2024, 6, 1), dt.date(2025, 3, 1)),
            FollowUpRecord(
                man, Source.PARTNER_REPORT, dt.date(2024, 6, 1), dt.date(2024, 12, 1), 6
            ),
        ],
        events=[EventRecord(man, OutcomeKind.PARTNER_PHYSICAL_ABUSE, dt.date(2024, 9, 1))],
        today=world.today,
    )
    assert (batch.imported_by, batch.rows, batch.follow_ups, batch.events) == (world.mona, 3, 2, 1)
    assert set(FollowUp.objects.values_list("recorded_by", "imported_in")) == {
        (world.mona.pk, batch.pk)
    }
    assert OutcomeEvent.objects.get().source == Source.PARTNER_REPORT


@pytest.mark.parametrize(
    ("follow_ups", "events", "message"),
    [
        (
            [(Source.OFFICIAL_RECORD, dt.date(2024, 6, 1), dt.date(2024, 12, 1), None)],
            [(OutcomeKind.PARTNER_PHYSICAL_ABUSE, dt.date(2024, 9, 1))],
            r"row 2 \(RIV-\d+\): date: 2024-09-01 is outside every partner interview window",
        ),
        (
            [(Source.PARTNER_REPORT, dt.date(2024, 6, 1), dt.date(2024, 12, 1), 9)],
            [],
            r"row 1 \(RIV-\d+\): checkpoint_months: '9': partner interviews are at 6 or 12",
        ),
        (
            [(Source.OFFICIAL_RECORD, dt.date(2024, 6, 1), dt.date(2099, 1, 1), None)],
            [],
            r"row 1 \(RIV-\d+\): window_end: 2099-01-01 is in the future",
        ),
    ],
    ids=["partner-event-outside-her-windows", "checkpoint", "future-window"],
)
def test_a_bad_follow_up_row_is_refused_by_row_and_field_and_nothing_is_saved(
    world, follow_ups, events, message
) -> None:
    man = _exited(world)
    with pytest.raises(BulkRowError, match=message):
        record_follow_up_bulk(
            actor=world.mona,
            organization=world.riverside,
            filename="records.csv",
            follow_ups=[FollowUpRecord(man, *row) for row in follow_ups],
            events=[EventRecord(man, *row) for row in events],
            today=world.today,
        )
    assert not FollowUpImport.objects.exists()
    assert not FollowUp.objects.exists()
    assert not OutcomeEvent.objects.exists()


def test_a_man_of_another_organization_is_refused(world) -> None:
    elsewhere = Membership.objects.get(user=world.outsider).organization
    man = make_participant(elsewhere, "ELS-001").pk
    with pytest.raises(BulkRowError, match=r"row 1 .*participant: not a participant of this"):
        record_follow_up_bulk(
            actor=world.mona,
            organization=world.riverside,
            filename="records.csv",
            follow_ups=[
                FollowUpRecord(man, Source.OFFICIAL_RECORD, dt.date(2024, 6, 1), world.today)
            ],
            events=[],
            today=world.today,
        )
    assert not FollowUp.objects.exists()
