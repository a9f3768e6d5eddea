"""A cohort of men who have left Riverside's North program, and their follow-up as CSV."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np

from alliance.core.enrollment import EnrollmentStatus
from alliance.core.outcomes.synthetic import synthesize_follow_up
from alliance.participants.models import Enrollment, Participant
from tests.factories import World

COLUMNS = "participant,record,source,kind,date,window_start,window_end,checkpoint_months"


def add_exited_men(world: World, count: int = 80, *, seed: int = 11) -> list[Enrollment]:
    """``count`` men who started in 2022-23 and left, about 60% completing; riskier men leave."""
    rng = np.random.default_rng(seed)
    enrollments = []
    for k in range(count):
        risk = float(rng.normal())
        completed = rng.random() < 1 / (1 + np.exp(-(0.4 - 0.8 * risk)))
        participant = Participant.objects.create(
            organization=world.riverside,
            code=f"EXT-{k:03d}",
            birth_year=int(1995 - 6 * rng.normal()),
            prior_offences=int(max(0, round(2 + 2 * risk))),
            employment="unemployed" if risk > 0.5 else "full_time",
        )
        started = dt.date(2022, 1, 10) + dt.timedelta(days=int(rng.integers(0, 300)))
        ended = started + dt.timedelta(days=int(rng.integers(30, 180)))
        enrollments.append(
            Enrollment.objects.create(
                participant=participant,
                program=world.program,
                referral_source="court",
                status=EnrollmentStatus.COMPLETED if completed else EnrollmentStatus.DROPPED_OUT,
                referred_on=started - dt.timedelta(days=14),
                started_on=started,
                ended_on=ended,
                status_changed_on=ended,
                attended_count=20 if completed else int(rng.integers(1, 12)),
            )
        )
    return enrollments


def follow_up_csv(enrollments: list[Enrollment], today: dt.date, *, seed: int = 5) -> str:
    rng = np.random.default_rng(seed)
    risk = np.array([float(e.participant.prior_offences or 0) for e in enrollments])
    fu = synthesize_follow_up(
        rng,
        men=[e.participant_id for e in enrollments],
        exits=[e.ended_on for e in enrollments],
        completed=[e.status == EnrollmentStatus.COMPLETED for e in enrollments],
        risk=(risk - risk.mean()) / risk.std(),
        today=today,
    )
    code = {e.participant_id: e.participant.code for e in enrollments}
    out = io.StringIO()
    out.write(COLUMNS + "\n")
    for man, source, start, end, checkpoint in fu.followups:
        out.write(f"{code[man]},follow_up,{source},,,{start},{end},{checkpoint or ''}\n")
    for man, kind, on in fu.events:
        out.write(f"{code[man]},event,,{kind},{on},,,\n")
    return out.getvalue()
