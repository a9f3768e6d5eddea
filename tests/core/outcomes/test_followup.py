"""Censoring by source, and the synthetic follow-up records."""

from __future__ import annotations

import datetime as dt

import numpy as np

from alliance.core.outcomes import OUTCOMES, ManAtRisk, OutcomeKind, Source, time_to_first_event
from alliance.core.outcomes.synthetic import synthesize_follow_up

D = dt.date
K = OutcomeKind


def test_official_and_partner_outcomes_are_censored_by_their_own_follow_up() -> None:
    men = [ManAtRisk(1, D(2024, 1, 1)), ManAtRisk(2, D(2024, 1, 1)), ManAtRisk(3, D(2024, 1, 1))]
    followups = [
        (1, Source.OFFICIAL_RECORD, D(2025, 1, 1)),
        (2, Source.OFFICIAL_RECORD, D(2024, 7, 1)),
        (2, Source.OFFICIAL_RECORD, D(2024, 12, 31)),
        (1, Source.PARTNER_REPORT, D(2024, 7, 1)),
    ]
    events = [
        (1, K.IPV_CHARGE, D(2023, 12, 1)),  # before exit: the index offence, not an outcome
        (1, K.IPV_CHARGE, D(2024, 3, 1)),
        (1, K.ANY_OFFENCE, D(2024, 2, 1)),
        (2, K.IPV_POLICE_REPORT, D(2025, 3, 1)),  # after the last search: not seen
        (1, K.PARTNER_PHYSICAL_ABUSE, D(2024, 9, 1)),  # after the last interview
        (3, K.IPV_CHARGE, D(2024, 2, 1)),  # never followed up: not in the analysis
    ]
    ipv = time_to_first_event(men, followups, events, OUTCOMES["ipv_official"])
    assert ipv.to_dict("records") == [
        {"participant_id": 1, "duration_days": 60.0, "event": 1},
        {"participant_id": 2, "duration_days": 365.0, "event": 0},
    ]
    anything = time_to_first_event(men, followups, events, OUTCOMES["any_official"])
    assert anything.duration_days.tolist() == [31.0, 365.0]
    partner = time_to_first_event(men, followups, events, OUTCOMES["partner_physical"])
    assert partner.to_dict("records") == [{"participant_id": 1, "duration_days": 182.0, "event": 0}]


def test_an_event_on_the_day_of_exit_has_positive_time() -> None:
    men = [ManAtRisk(1, D(2024, 1, 1))]
    out = time_to_first_event(
        men,
        [(1, Source.OFFICIAL_RECORD, D(2024, 6, 1))],
        [(1, K.VIOLENT_OFFENCE, D(2024, 1, 1))],
        OUTCOMES["violent_official"],
    )
    assert out.duration_days.tolist() == [0.5]


def test_synthetic_follow_up_is_front_loaded_and_lower_for_completers() -> None:
    n = 4000
    today = D(2026, 1, 1)
    exits = [D(2023, 1, 1)] * n
    completed = [i % 2 == 0 for i in range(n)]
    fu = synthesize_follow_up(
        np.random.default_rng(1),
        men=list(range(n)),
        exits=exits,
        completed=completed,
        risk=np.zeros(n),
        today=today,
    )
    men = [ManAtRisk(i, e) for i, e in enumerate(exits)]
    observed = [(m, s, end) for m, s, _, end, _ in fu.followups]
    partner = time_to_first_event(men, observed, fu.events, OUTCOMES["partner_any"])
    # ~75% reached at least once; partner events only inside an interview window.
    assert 0.8 * n < len(partner) < 0.99 * n
    assert partner.duration_days.max() <= 366
    official = time_to_first_event(men, observed, fu.events, OUTCOMES["any_official"])
    assert len(official) == n
    by_arm = official.assign(completed=completed).groupby("completed").event.mean()
    assert by_arm[True] < by_arm[False]
    # Checkpoints: 6 and 12 months, one window starting where the last ended.
    windows = [f for f in fu.followups if f[0] == 0 and f[1] is Source.PARTNER_REPORT]
    assert all(w[4] in (6, 12) for w in windows)
