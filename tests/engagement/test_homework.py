"""The early warning reads homework completion from the practice app."""

from __future__ import annotations

import datetime as dt

from alliance.core.engagement.features import person_session_frame
from alliance.engagement.selectors import engagement_frames
from alliance.participants.models import Enrollment
from alliance.practice.models import Assignment, Practice, PracticeLog, Via
from alliance.programs.models import Session


def test_homework_handed_out_at_sessions_and_done_on_time_reaches_the_features(world) -> None:
    practice = Practice.objects.get(slug="partner-experience")
    held = list(
        Session.objects.filter(group=world.group_a, held_on__lt=world.today).order_by("held_on")
    )
    first, second = held[0], held[1]
    on_first = Assignment.objects.create(
        practice=practice, group=world.group_a, session=first, due_on=second.held_on
    )
    on_second = Assignment.objects.create(
        practice=practice, group=world.group_a, session=second, due_on=held[2].held_on
    )
    Assignment.objects.create(  # his own, at the second session
        practice=practice, enrollment=world.good, session=second, due_on=held[2].held_on
    )

    def log(assignment: Assignment, on: dt.date, key: str) -> None:
        PracticeLog.objects.create(
            enrollment=world.good,
            practice=practice,
            assignment=assignment,
            logged_on=on,
            done=True,
            minutes=10,
            via=Via.LINK,
            idempotency_key=key,
        )

    log(on_first, first.held_on + dt.timedelta(days=2), "a")
    log(on_second, held[2].held_on + dt.timedelta(days=5), "late")  # after its due date

    frames = engagement_frames(Enrollment.objects.filter(pk=world.good.pk), today=world.today)
    rows = frames.sessions.set_index("session_number")
    assert rows.loc[1, "homework_set"] == 1
    assert rows.loc[1, "homework_done"] == 1
    assert rows.loc[2, "homework_set"] == 2
    assert rows.loc[2, "homework_done"] == 0
    assert rows.loc[3, "homework_set"] == 0

    frame = person_session_frame(frames.intake, frames.sessions).set_index("session_number")
    assert frame.loc[2, "homework_undone"] == 0.0  # only the first session's homework so far
    assert frame.loc[3, "homework_undone"] == 2 / 3  # 1 of 3 done on time


def test_men_of_other_groups_are_not_counted_for_group_homework(world) -> None:
    practice = Practice.objects.get(slug="partner-experience")
    first = Session.objects.filter(group=world.group_a).order_by("held_on").first()
    Assignment.objects.create(
        practice=practice, group=world.group_a, session=first, due_on=first.held_on
    )
    frames = engagement_frames(Enrollment.objects.filter(pk=world.man_b.pk), today=world.today)
    assert (frames.sessions["homework_set"] == 0).all()
