"""The safe-but-not-too-safe map (alliance/core/zones.py) and its simulated dropout effect."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.core.simulate import SimulationParameters, ZoneEffect, simulate_program
from alliance.core.zones import (
    Zone,
    ZonePoint,
    ZoneThresholds,
    classify_zone,
    threat_zone_dropout_effect,
    zone_alerts,
    zone_distribution,
    zone_path,
)

T = ZoneThresholds()


@pytest.mark.parametrize(
    ("safety", "challenge", "zone"),
    [
        (8, 6, Zone.GROWTH),
        (6, 4, Zone.GROWTH),  # both cutoffs are inclusive
        (3, 7, Zone.THREAT),
        (5.9, 4, Zone.THREAT),
        (9, 2, Zone.COMFORT),
        (6, 3.9, Zone.COMFORT),
        (2, 1, Zone.DISENGAGED),
        (None, 5, None),
        (5, None, None),
        (float("nan"), 5, None),
    ],
)
def test_each_man_session_falls_in_one_zone(safety, challenge, zone):
    assert classify_zone(safety, challenge, T) == zone


def test_program_cutoffs_move_the_boundaries():
    strict = ZoneThresholds(safety_cutoff=8, challenge_cutoff=2)
    assert classify_zone(7, 4, T) == Zone.GROWTH
    assert classify_zone(7, 4, strict) == Zone.THREAT
    assert classify_zone(8, 1, strict) == Zone.COMFORT


def test_it_names_each_bad_setting():
    bad = ZoneThresholds(
        safety_cutoff=0, challenge_cutoff=11, threat_sessions=0, comfort_sessions=60
    )
    problems = bad.problems()
    assert len(problems) == 4
    assert problems[0].startswith("safety cutoff")
    assert problems[1].startswith("challenge cutoff")
    assert problems[2].startswith("threat sessions")
    assert problems[3].startswith("comfort sessions")
    assert ZoneThresholds().problems() == []


def _path(*rows):
    return zone_path(list(rows), T)


def test_two_threat_sessions_running_raise_one_alert():
    path = _path((1, 8, 6), (2, 3, 7), (3, 4, 8), (4, 2, 9))
    alerts = zone_alerts(path, T)
    assert [(a.zone, a.session_number, a.run_length) for a in alerts] == [(Zone.THREAT, 3, 2)]
    assert "repair" in alerts[0].detail


def test_a_session_without_ratings_breaks_a_run():
    path = _path((1, 3, 7), (2, None, 7), (3, 3, 7))
    assert zone_alerts(path, T) == []


def test_comfort_alerts_only_after_the_programs_number_of_sessions():
    rows = [(n, 9, 1) for n in range(1, 4)]
    assert zone_alerts(_path(*rows), T) == []
    alerts = zone_alerts(_path(*rows, (4, 9, 2)), T)
    assert [(a.zone, a.session_number) for a in alerts] == [(Zone.COMFORT, 4)]
    assert "compassionate challenge" in alerts[0].detail
    quick = ZoneThresholds(comfort_sessions=2)
    assert [a.session_number for a in zone_alerts(zone_path(rows, quick), quick)] == [2]


def test_the_path_is_in_session_order():
    path = _path((3, 8, 6), (1, 2, 1))
    assert path == [ZonePoint(1, 2, 1, Zone.DISENGAGED), ZonePoint(3, 8, 6, Zone.GROWTH)]


def test_distribution_counts_every_zone_and_the_unrated():
    counts = zone_distribution([Zone.GROWTH, Zone.GROWTH, Zone.THREAT, None])
    assert counts == {Zone.GROWTH: 2, Zone.THREAT: 1, Zone.COMFORT: 0, Zone.DISENGAGED: 0, None: 1}


def test_zones_leave_the_rest_of_the_program_unchanged_when_off():
    plain = simulate_program(200, rng=np.random.default_rng(7))
    again = simulate_program(200, rng=np.random.default_rng(7))
    assert plain.sessions.equals(again.sessions)
    neutral = simulate_program(
        200, rng=np.random.default_rng(7), zones=ZoneEffect(or_threat_zone=1.0)
    )
    # A neutral zone effect draws its ratings from a spawned generator: same men, same marks.
    assert neutral.sessions["mark"].equals(plain.sessions["mark"])
    assert neutral.participants["outcome"].equals(plain.participants["outcome"])
    assert set(neutral.sessions["zone"].dropna()) <= {z.value for z in Zone}


def test_the_analysis_recovers_a_known_threat_zone_effect():
    """Simulate 6,000 men with a threat-zone odds ratio of 2.0 and recover it within 20 %."""
    params = SimulationParameters()
    program = simulate_program(
        6000, rng=np.random.default_rng(20261205), params=params, zones=ZoneEffect(2.0)
    )
    effect = threat_zone_dropout_effect(program.sessions)
    assert effect.n_dropouts > 500
    assert 1.6 < effect.odds_ratio < 2.4
    assert effect.ci_low < 2.0 < effect.ci_high
    null = simulate_program(
        6000, rng=np.random.default_rng(20261205), params=params, zones=ZoneEffect(1.0)
    )
    assert 0.8 < threat_zone_dropout_effect(null.sessions).odds_ratio < 1.25


def test_the_analysis_refuses_a_frame_it_cannot_use():
    program = simulate_program(50, rng=np.random.default_rng(1))
    with pytest.raises(ValueError, match="'zone'"):
        threat_zone_dropout_effect(program.sessions)


def test_a_bad_zone_effect_is_refused():
    with pytest.raises(ValueError, match="or_threat_zone"):
        simulate_program(10, rng=np.random.default_rng(1), zones=ZoneEffect(0.0))
