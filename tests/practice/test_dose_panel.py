"""The practice-dose panel on the program dashboard and the program practice page."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.measures.models import Administration, Channel, Respondent, Score, Status
from alliance.practice.analysis import DOSE_MAX_AGE
from alliance.practice.models import DoseEstimate, Practice, PracticeLog, Via
from tests.factories import add_men


def _scores_and_practice(world, men: int = 14) -> None:
    """Men practising 0 to ~70 minutes a week; SCS-SF at weeks 0, 4 and 8 rising with time
    and with practice (0.5 points per hour) plus a little noise."""
    rng = np.random.default_rng(7)
    practice = Practice.objects.get(slug="steady-breath")
    start = world.today - dt.timedelta(weeks=9)
    now = timezone.now()
    for k, enrollment in enumerate(add_men(world, men, first=700)):
        weekly = 5 * k
        hours = 0.0
        for week in range(9):
            day = start + dt.timedelta(weeks=week)
            if week in (0, 4, 8):
                value = 30 + (k % 3) + 0.2 * week + 0.5 * hours + rng.normal(0, 0.3)
                administration = Administration.objects.create(
                    enrollment=enrollment,
                    instrument_id="scs_sf",
                    instrument_version="1",
                    respondent=Respondent.PARTICIPANT,
                    channel=Channel.STAFF,
                    status=Status.COMPLETE,
                    administered_on=day,
                    idempotency_key=f"dose-{k}-{week}",
                )
                Score.objects.create(
                    administration=administration,
                    enrollment=enrollment,
                    instrument_id="scs_sf",
                    instrument_version="1",
                    engine_version="1",
                    confidentiality="therapeutic",
                    scale_id="total",
                    value=float(value),
                    administered_on=day,
                    scored_at=now,
                )
            if weekly:
                PracticeLog.objects.create(
                    enrollment=enrollment,
                    practice=practice,
                    logged_on=day + dt.timedelta(days=1),
                    done=True,
                    minutes=weekly,
                    via=Via.STAFF,
                    idempotency_key=f"dose-log-{k}-{week}",
                )
                hours += weekly / 60


def test_the_dashboard_shows_estimate_interval_n_picture_and_caveat(world, as_user) -> None:
    _scores_and_practice(world)
    for user in (world.mona, world.eve):
        page = as_user(user).get(f"/dashboard/?program={world.program.pk}")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Practice dose and self-compassion" in html
        assert "n = 14 men, 42 measurements" in html
        assert "95% interval" in html
        assert "not an effect of practice" in html
        assert html.count("<circle") == 14
        assert "RIV-70" not in html  # no man's code on the panel
    estimate = DoseEstimate.objects.get(program=world.program)
    assert estimate.ci_low < 0.5 < estimate.ci_high  # the simulated 0.5 points per hour
    assert estimate.interval_excludes_zero
    assert f"{estimate.per_hour:.2f}" in html


def test_without_scores_the_panel_says_why(world, as_user) -> None:
    html = as_user(world.mona).get("/dashboard/").content.decode()
    assert "No estimate yet for this program: No self-compassion (SCS-SF) scores yet." in html


def test_the_estimate_is_stored_and_refitted_only_when_stale(world, as_user, frozen_clock) -> None:
    client = as_user(world.mona)
    client.get("/dashboard/")
    first = DoseEstimate.objects.get(program=world.program)
    assert first.per_hour is None
    _scores_and_practice(world)
    with CaptureQueriesContext(connection) as queries:
        client.get("/dashboard/")
    assert not any("measures_score" in q["sql"] for q in queries.captured_queries)
    assert DoseEstimate.objects.get(program=world.program).per_hour is None
    frozen_clock.shift(DOSE_MAX_AGE + dt.timedelta(minutes=1))
    assert as_user(world.mona).get("/dashboard/").status_code == 200  # a fresh login
    assert DoseEstimate.objects.get(program=world.program).per_hour == pytest.approx(0.5, abs=0.2)


def test_the_program_practice_page_has_the_same_panel_and_completion_pictures(
    world, as_user
) -> None:
    from alliance.practice.models import Assignment

    _scores_and_practice(world)
    Assignment.objects.create(
        practice=Practice.objects.get(slug="steady-breath"),
        group=world.group_a,
        session=world.sessions_a[-2],
        due_on=world.today,
    )
    html = as_user(world.bob).get(f"/programs/{world.program.pk}/practice/").content.decode()
    assert "n = 14 men" in html
    assert "Homework done by session, " + world.group_a.name in html
    assert "0/18" in html  # written on the bar, not colour alone


def test_the_dashboard_links_to_each_programs_homework_pictures(world, as_user) -> None:
    html = as_user(world.mona).get("/dashboard/").content.decode()
    assert f'href="/programs/{world.program.pk}/practice/"' in html
