"""The daily sweep, ``alliance flag-missed-measures``: due and missed scheduled measures and
missed check-outs, named per man, raised once however often it runs, resolved when done.

In the personas' world nobody has an SCS-SF yet: every active man is past his 14 days from
activation, so each has a missed intake measure (the default schedule).
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from alliance import cli
from alliance.measures.models import Alert, MeasureSchedule
from tests.factories import World
from tests.measures.conftest import answers


def sweep() -> str:
    out = io.StringIO()
    call_command("flag_missed_measures", stdout=out)
    return out.getvalue()


def scheduled(enrollment, key: str) -> Alert:
    return Alert.objects.get(enrollment=enrollment, schedule_key=key)


def test_it_names_each_man_who_missed_his_intake_measure(world: World) -> None:
    output = sweep()
    alert = scheduled(world.good, "scs_sf:intake")
    assert alert.kind == "missed_scheduled"
    assert alert.acknowledged_at is None
    assert alert.detail == (
        "Self-Compassion Scale - Short Form (SCS-SF) at intake was not done within 14 days "
        "of his activation on 13 Jan 2025."
    )
    missed_intake = Alert.objects.filter(schedule_key="scs_sf:intake").values_list(
        "enrollment__participant__code", flat=True
    )
    # RIV-105 is still at intake: not active, so not asked.
    assert sorted(missed_intake) == [
        "RIV-101",
        "RIV-102",
        "RIV-103",
        "RIV-104",
        "RIV-201",
        "RIV-301",
    ]
    assert "missed_scheduled" in output


def test_it_flags_missed_check_outs_and_ratings_of_past_held_sessions(world: World) -> None:
    sweep()
    last_week = world.sessions_a[-2]
    # The check-out keeps its own alert (one per man and session); the rating is scheduled.
    assert Alert.objects.filter(
        enrollment=world.good, session=last_week, kind="missed_measure", schedule_key=""
    ).exists()
    rating = scheduled(world.good, f"alliance_facilitator_rating:every_session:{last_week.pk}")
    assert rating.kind == "missed_scheduled"
    assert rating.session == last_week
    # Today's session has not passed: nothing is missed for it yet.
    assert not Alert.objects.filter(session=world.todays_session_a).exists()


def all_alerts() -> list[tuple[object, ...]]:
    return sorted(
        Alert.objects.values_list("enrollment_id", "kind", "session_id", "schedule_key"),
        key=str,
    )


def test_running_it_twice_raises_nothing_twice(world: World) -> None:
    sweep()
    first = all_alerts()
    sweep()
    again = all_alerts()
    assert again == first
    assert len(first) > 20


def test_the_dashed_command_name_runs_the_sweep(monkeypatch) -> None:
    # Django's command runner closes every database connection when it finishes, so the
    # alias is checked where it is resolved rather than by running it inside a test.
    seen: list[list[str]] = []
    monkeypatch.setattr(cli, "_run_alias", lambda word, rest: seen.append([word, *rest]) or 0)
    assert cli.main(["flag-missed-measures"]) == 0
    assert seen == [["flag-missed-measures"]]
    assert cli.COMMAND_ALIASES["flag-missed-measures"] == "flag_missed_measures"


def test_an_acknowledged_alert_is_not_raised_again(world: World, as_user) -> None:
    sweep()
    alert = scheduled(world.good, "scs_sf:intake")
    as_user(world.alice).post(f"/alerts/{alert.pk}/acknowledge/")
    sweep()
    assert Alert.objects.filter(enrollment=world.good, schedule_key="scs_sf:intake").count() == 1
    assert scheduled(world.good, "scs_sf:intake").acknowledged_by == world.alice


def test_a_due_measure_becomes_missed_when_its_time_passes(world: World, frozen_clock) -> None:
    type(world.good).objects.filter(pk=world.good.pk).update(
        started_on=world.today - dt.timedelta(days=3)
    )
    sweep()
    due = scheduled(world.good, "scs_sf:intake")
    assert due.kind == "measure_due"
    assert due.detail.endswith("at intake is due by 21 Mar 2025.")
    frozen_clock.move_to(dt.datetime(2025, 3, 21, 12, tzinfo=dt.UTC))
    sweep()
    due.refresh_from_db()
    assert due.acknowledged_at is not None
    assert due.acknowledged_by is None
    missed = Alert.objects.get(
        enrollment=world.good, kind="missed_scheduled", schedule_key="scs_sf:intake"
    )
    assert missed.acknowledged_at is None


def test_entering_the_form_resolves_the_alert(world: World, as_user) -> None:
    sweep()
    client = as_user(world.alice)
    items = {f"scs_sf_{k:02d}": 3 for k in range(1, 13)}
    response = client.post(
        f"/enrollments/{world.good.pk}/measures/paper/",
        {
            "instrument": "scs_sf",
            "administered_on": "2025-03-10",
            "occasion": "intake",
            **answers(items),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sweep()
    alert = scheduled(world.good, "scs_sf:intake")
    assert alert.acknowledged_at is not None
    assert alert.acknowledged_by is None
    page = client.get(f"/participants/{world.good.participant_id}/?tab=measures").content.decode()
    assert "no longer due" in page


def test_session_n_and_midpoint_follow_the_programs_schedule(world: World, as_user) -> None:
    as_user(world.mona).post(
        f"/programs/{world.program.pk}/measures/schedule/",
        {"instrument": "urica_dv", "when": "session_number", "session_number": "3"},
    )
    as_user(world.mona).post(
        f"/programs/{world.program.pk}/measures/schedule/",
        {"instrument": "dass21", "when": "midpoint"},
    )
    assert MeasureSchedule.objects.filter(program=world.program).count() == 6
    sweep()
    third = world.sessions_a[2]
    alert = scheduled(world.good, "urica_dv:session_number:3")
    assert alert.session == third
    assert f"at his session 3 ({third.held_on:%-d %b %Y}) was not done" in alert.detail
    # 20 sessions required: nobody in group A has reached his 10th yet.
    assert not Alert.objects.filter(schedule_key__startswith="dass21:midpoint").exists()


def test_taking_an_entry_off_the_schedule_resolves_its_alerts(world: World, as_user) -> None:
    sweep()
    client = as_user(world.mona)
    client.post(
        f"/programs/{world.program.pk}/measures/schedule/",
        {"instrument": "urica_dv", "when": "intake"},
    )
    entry = MeasureSchedule.objects.get(
        program=world.program, instrument_id="scs_sf", when="intake"
    )
    client.post(f"/programs/{world.program.pk}/measures/schedule/{entry.pk}/remove/")
    sweep()
    assert scheduled(world.good, "scs_sf:intake").acknowledged_at is not None
    assert scheduled(world.good, "urica_dv:intake").acknowledged_at is None


def test_the_alerts_reach_only_staff_who_see_the_man(world: World, as_user) -> None:
    sweep()
    home = as_user(world.alice).get("/").content.decode()
    assert "Missed scheduled measure" in home
    assert "RIV-101" in home
    other = as_user(world.charlie).get("/").content.decode()
    assert "RIV-101" not in other
    assert "RIV-201" in other
