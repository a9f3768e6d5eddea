"""Bulk paths for alerts (alliance/measures/alerts/bulk.py) and a program's set-up rows
(alliance/programs/bulk.py): the same rules as the single-row services, a bad row refused by
number with nothing saved, and history rows naming who acted."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from alliance.measures.administration.bulk import record_administrations_bulk
from alliance.measures.alerts.bulk import Missed, Scored, raise_alerts_bulk
from alliance.measures.models import CHECKOUT, FACILITATOR_RATING, Alert, AlertKind, MeasureSettings
from alliance.participants.bulk import BulkRowError
from alliance.programs.bulk import Topic, add_curriculum_bulk, hold_sessions_bulk
from alliance.programs.models import CurriculumSession, Session, SessionStatus
from tests.bulk.test_writes import _checkouts

NOW = dt.datetime(2025, 3, 10, 21, 0, tzinfo=dt.UTC)


def _scored(world, values: list[list[int]]) -> list[Scored]:
    administrations, result = record_administrations_bulk(**_checkouts(world, values))
    return [
        Scored(
            administration_id=a.pk,
            enrollment_id=a.enrollment_id,
            session_id=a.session_id,
            instrument_id=CHECKOUT,
            administered_on=a.administered_on,
            total=float(total),
            raised_at=NOW,
        )
        for a, total in zip(administrations, result["total_score"], strict=True)
    ]


def test_bulk_alerts_follow_the_programs_own_thresholds(world) -> None:
    MeasureSettings.objects.create(
        program=world.program,
        checkout_cutoff=Decimal("7"),
        drop_points=Decimal("2"),
        low_rating_cutoff=Decimal("4"),
    )
    scored = _scored(world, [[8, 8, 8, 8], [6, 6, 7, 7]])  # totals 8 and 6.5

    alerts = raise_alerts_bulk(scored=scored)

    assert [(a.enrollment_id, a.kind) for a in alerts] == [
        (scored[1].enrollment_id, AlertKind.LOW_CHECKOUT)
    ]
    assert "below the program's cutoff of 7." in alerts[0].detail


def test_a_first_check_out_raises_no_drop_and_a_low_rating_raises_its_alert(world) -> None:
    [first] = _scored(world, [[9, 9, 9, 9]])
    # Alone, with no check-out before it, it raises no drop; rated low, it raises one alert.
    assert raise_alerts_bulk(scored=[dataclasses.replace(first, session_id=None)]) == []
    rating = dataclasses.replace(first, instrument_id=FACILITATOR_RATING, total=3.0)
    [low] = raise_alerts_bulk(scored=[rating])
    assert low.kind == AlertKind.LOW_FACILITATOR_RATING


def test_an_alert_raised_twice_is_refused_by_row_and_nothing_more_is_saved(world) -> None:
    scored = _scored(world, [[2, 2, 2, 2]])
    missed = Missed(
        enrollment_id=world.at_limit.pk,
        session_id=world.todays_session_a.pk,
        held_on=world.today,
        raised_at=NOW,
    )
    raise_alerts_bulk(scored=scored)
    before = Alert.objects.count()
    with pytest.raises(BulkRowError, match="row 1: low_checkout: this alert is already stored"):
        raise_alerts_bulk(scored=scored, missed=[missed])
    with pytest.raises(BulkRowError, match="row 2: missed_measure: repeats row 1"):
        raise_alerts_bulk(scored=[], missed=[missed, missed])
    assert Alert.objects.count() == before


def test_a_curriculum_in_bulk_is_numbered_on_with_a_history_row_naming_the_manager(world) -> None:
    program = world.program_b
    last = CurriculumSession.objects.filter(
        program=program, version=program.curriculum_version
    ).count()
    before = CurriculumSession.objects.count()
    with pytest.raises(BulkRowError, match=r"row 2 \(' '\): topic: give the session a topic"):
        add_curriculum_bulk(
            actor=world.mona, program=program, topics=[Topic("Welcome"), Topic(" ")]
        )
    assert CurriculumSession.objects.count() == before

    items = add_curriculum_bulk(
        actor=world.mona,
        program=program,
        topics=[Topic("Closing circle", is_core=True), Topic("Next steps")],
    )
    assert [i.topic for i in items] == ["Closing circle", "Next steps"]
    assert items[1].number == items[0].number + 1
    assert items[0].number > last or items[0].version > 1
    assert all(i.history.get().history_user == world.mona for i in items)


def test_only_sessions_that_have_taken_place_can_be_held(world) -> None:
    past, coming = world.sessions_c[0], world.sessions_c[-1]
    coming.held_on = world.today + dt.timedelta(days=7)
    past.status = SessionStatus.SCHEDULED
    with pytest.raises(BulkRowError, match=r"row 2 .*held_on: a session still to come"):
        hold_sessions_bulk(actor=world.bob, sessions=[past, coming], today=world.today)
    past.refresh_from_db()
    revision = past.revision
    Session.objects.filter(pk=past.pk).update(status=SessionStatus.SCHEDULED)
    past.refresh_from_db()
    hold_sessions_bulk(actor=world.bob, sessions=[past], today=world.today)
    past.refresh_from_db()
    assert (past.status, past.revision) == (SessionStatus.HELD, revision + 1)
    assert past.history.first().history_user == world.bob
