"""Zone alerts are raised through the measures alerts as answers arrive."""

from __future__ import annotations

from alliance.core.zones import Zone
from alliance.measures.alerts.zones import enrollment_path
from alliance.measures.configuration.selectors import settings_for
from alliance.measures.configuration.services import update_zone_settings
from alliance.measures.models import Alert, AlertKind
from tests.factories import World
from tests.pillars.conftest import record_zone


def test_two_threat_sessions_running_raise_one_threat_alert(zoned: World) -> None:
    alerts = Alert.objects.filter(enrollment=zoned.good, kind=AlertKind.THREAT_ZONE)
    assert alerts.count() == 1
    alert = alerts.get()
    assert alert.session == zoned.sessions_a[:-1][-1]
    assert "threat zone 2 sessions running" in alert.detail


def test_four_comfort_sessions_raise_a_comfort_alert_and_growth_raises_none(zoned: World) -> None:
    comfort = Alert.objects.get(enrollment=zoned.at_limit, kind=AlertKind.COMFORT_ZONE)
    assert comfort.session == zoned.sessions_a[:-1][-1]
    assert "compassionate challenge" in comfort.detail
    assert not Alert.objects.filter(
        enrollment=zoned.breach, kind__in=[AlertKind.THREAT_ZONE, AlertKind.COMFORT_ZONE]
    ).exists()


def test_a_rerun_adds_no_second_alert(zoned: World) -> None:
    last = zoned.sessions_a[:-1][-1]
    record_zone(zoned, zoned.good, last, safety=None, challenge=9)  # a correction, same zone
    assert Alert.objects.filter(enrollment=zoned.good, kind=AlertKind.THREAT_ZONE).count() == 1


def test_the_path_follows_the_programs_cutoffs(zoned: World) -> None:
    program = zoned.good.program
    path = enrollment_path(zoned.good, settings_for(program))
    assert [z.point.zone for z in path] == [Zone.GROWTH, Zone.GROWTH, Zone.THREAT, Zone.THREAT]
    update_zone_settings(
        program=program,
        zone_safety_cutoff=3,
        zone_challenge_cutoff=4,
        zone_threat_sessions=2,
        zone_comfort_sessions=4,
    )
    path = enrollment_path(zoned.good, settings_for(program))
    assert [z.point.zone for z in path][-2:] == [Zone.GROWTH, Zone.GROWTH]


def test_one_half_of_a_session_is_on_the_path_without_a_zone(world: World) -> None:
    session = world.sessions_a[0]
    record_zone(world, world.good, session, safety=5, challenge=None)
    (only,) = enrollment_path(world.good, settings_for(world.good.program))
    assert only.point.safety == 5
    assert only.point.challenge is None
    assert only.point.zone is None
