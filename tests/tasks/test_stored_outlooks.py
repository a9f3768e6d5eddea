"""Stored outlooks (alliance/engagement/outlooks.py) give what the model gave per view.

Same inputs, same output: the outlooks a page computed before they were stored
(``compute_outlooks`` on all the active men at once) equal the ones it now reads from the stored
rows, after an attendance event and a status change, each refreshed by its task for one man.
Equal means the same men in the same order with the same bands and reasons, and probabilities
equal to 12 significant digits: the hazard is a matrix product, and BLAS may round the last bit
differently for one man than for a whole caseload.
"""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.core.enrollment import EnrollmentStatus
from alliance.engagement import outlooks
from alliance.engagement.models import StoredOutlook
from alliance.engagement.selectors import risk_rows, with_intake_measures
from alliance.participants.models import Enrollment
from alliance.participants.services import change_enrollment_status
from tests.factories import P, U, mark

pytestmark = pytest.mark.django_db


def _computed(world) -> list:
    active = list(
        with_intake_measures(
            Enrollment.objects.filter(
                program__organization=world.riverside, status=EnrollmentStatus.ACTIVE
            )
        ).select_related("participant", "program")
    )
    return outlooks.compute_outlooks(active, organization_id=world.riverside.pk, today=world.today)


def _read(world) -> list:
    rows = risk_rows(
        Enrollment.objects.filter(program__organization=world.riverside),
        organization_id=world.riverside.pk,
        today=world.today,
    )
    return [r.outlook for r in rows]


def _same(found: list, expected: list) -> bool:
    assert [o.participant_id for o in found] == [o.participant_id for o in expected]
    for a, b in zip(found, expected, strict=True):
        assert (a.band, a.factors) == (b.band, b.factors)
        assert a.next_two == pytest.approx(b.next_two, rel=1e-12)
        assert a.before_completion == pytest.approx(b.before_completion, rel=1e-12)
    return True


def test_stored_outlooks_equal_the_computed_ones(world) -> None:
    expected = _computed(world)
    assert len(expected) >= 4
    assert outlooks.refresh_all() == len(expected)
    assert StoredOutlook.objects.count() == len(expected)
    assert _same(_read(world), expected)


def test_an_attendance_mark_forgets_his_outlook_and_its_task_stores_the_new_one(
    world, django_capture_on_commit_callbacks
) -> None:
    outlooks.refresh_all()
    before = StoredOutlook.objects.get(enrollment=world.breach)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mark(world.todays_session_a, world.breach, U)
    # In the writing transaction: the old outlook is gone, so no page can show it.
    assert not StoredOutlook.objects.filter(enrollment=world.breach).exists()
    assert callbacks
    for callback in callbacks:  # after commit: the task (immediate backend in the tests)
        callback()
    after = StoredOutlook.objects.get(enrollment=world.breach)
    assert after.next_two != before.next_two
    assert _same(_read(world), _computed(world))


def test_a_page_after_an_event_but_before_the_worker_shows_the_current_outlook(world) -> None:
    outlooks.refresh_all()
    mark(world.todays_session_a, world.good, P)  # its task never runs (no commit in this test)
    assert _same(_read(world), _computed(world))
    assert StoredOutlook.objects.filter(enrollment=world.good).exists()  # stored by the page


def test_a_man_who_leaves_loses_his_stored_outlook(world, django_capture_on_commit_callbacks):
    outlooks.refresh_all()
    with django_capture_on_commit_callbacks(execute=True):
        change_enrollment_status(
            enrollment=world.breach,
            target=EnrollmentStatus.DROPPED_OUT,
            actor=world.alice,
            effective_on=world.today,
            reason="Stopped coming",
        )
    assert not StoredOutlook.objects.filter(enrollment=world.breach).exists()
    assert world.breach.pk not in {o.participant_id for o in _read(world)}
    assert _same(_read(world), _computed(world))


def test_a_day_old_outlook_is_shown_and_refreshed(world, frozen_clock) -> None:
    outlooks.refresh_all()
    StoredOutlook.objects.update(computed_on=world.today - dt.timedelta(days=1))
    assert _same(_read(world), _computed(world))
    # The page asked for a refresh (run at once by the immediate backend in the tests).
    assert set(StoredOutlook.objects.values_list("computed_on", flat=True)) == {world.today}


def test_a_mans_outlook_is_the_same_on_every_page(world) -> None:
    # An external risk score is expressed among the organization's active men, whoever looks:
    # his own page (his enrollments only) and the whole list give him the same numbers.
    for score, enrollment in enumerate(
        Enrollment.objects.filter(program__organization=world.riverside), start=10
    ):
        participant = enrollment.participant
        participant.risk_tool = "ODARA"
        participant.risk_score = score
        participant.save()
    alone = outlooks.compute_outlooks(
        list(
            with_intake_measures(Enrollment.objects.filter(pk=world.breach.pk)).select_related(
                "participant", "program"
            )
        ),
        organization_id=world.riverside.pk,
        today=world.today,
    )
    among_all = next(o for o in _computed(world) if o.participant_id == world.breach.pk)
    assert _same(alone, [among_all])
    assert _same(_read(world), _computed(world))
