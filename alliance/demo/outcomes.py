"""Synthetic follow-up for the demo organization, so its evaluation page has curves.

The demo's live cohorts cover only the last six months, so few men have finished and none has
been followed for long. When the demo is full-sized (at least ``ALUMNI_MIN_MEN`` men; ``make
demo`` builds 180), this step first adds *alumni*: twice as many men who went through the same
programs one to four years earlier, drawn by the simulator (intake covariates, shared latent
risk, completion), with enrollments but no session-level records, written through
``create_participants_bulk`` and ``record_past_enrollments_bulk``. Small demos built by tests
stay as they are.

A demo step (``alliance.demo.loader.DEMO_STEPS``): for every man who started and has left, the
records a program would have by the demo's "today" — an official-record search from exit to
today and partner interviews at 6 and 12 months where they have fallen due and the partner was
reached — drawn from the simulator's Weibull re-offence model
(:mod:`alliance.core.outcomes.synthetic`). Riskier men (more prior offences, higher external
risk score) re-offend sooner, and leave the program more often, so the raw completer gap is
larger than the weighted one, as in the literature.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.enrollment import EnrollmentStatus
from alliance.core.outcomes.synthetic import synthesize_follow_up
from alliance.core.simulate import simulate_program
from alliance.demo.cohorts import participant_from_simulated
from alliance.organizations.models import Organization
from alliance.outcomes.bulk import EventRecord, FollowUpRecord, record_follow_up_bulk
from alliance.outcomes.models import FollowUp, OutcomeEvent
from alliance.outcomes.selectors import EXITED
from alliance.participants.bulk import (
    PastEnrollment,
    create_participants_bulk,
    record_past_enrollments_bulk,
)
from alliance.participants.models import Enrollment, Participant
from alliance.programs.models import Program

SEED_OFFSET = 6  # keep the follow-up draws independent of other demo steps with the same seed
ALUMNI_MIN_MEN = 100
ALUMNI_PER_MAN = 2


@dataclass(frozen=True)
class DemoFollowUp:
    alumni: int
    follow_ups: int
    outcome_events: int


def _standardize(x: np.ndarray) -> np.ndarray:
    x = np.where(np.isfinite(x), x, np.nanmean(x) if np.isfinite(x).any() else 0.0)
    sd = float(x.std())
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


@transaction.atomic
def add_follow_up(*, seed: int, today: dt.date) -> DemoFollowUp:
    if FollowUp.objects.exists() or OutcomeEvent.objects.exists():
        raise RuntimeError("The demo already has follow-up records.")
    rng = np.random.default_rng(seed + SEED_OFFSET)
    men_now = Participant.objects.count()
    alumni = _add_alumni(rng, ALUMNI_PER_MAN * men_now, today) if men_now >= ALUMNI_MIN_MEN else 0
    rows = list(
        Enrollment.objects.filter(status__in=EXITED, started_on__isnull=False, ended_on__lt=today)
        .order_by("participant_id", "ended_on")
        .values_list(
            "participant_id",
            "ended_on",
            "status",
            "participant__organization_id",
            "participant__prior_offences",
            "participant__risk_score",
        )
    )
    latest = {r[0]: r for r in rows}  # one exit per man: his latest
    if not latest:
        return DemoFollowUp(alumni, 0, 0)
    men = list(latest.values())
    exits = [r[1] for r in men if r[1] is not None]  # all of them: ended_on < today above
    prior = np.array([np.nan if r[4] is None else float(r[4]) for r in men])
    score = np.array([np.nan if r[5] is None else float(r[5]) for r in men])
    risk = _standardize(_standardize(prior) + _standardize(score))
    synthetic = synthesize_follow_up(
        rng,
        men=[r[0] for r in men],
        exits=exits,
        completed=[r[2] == EnrollmentStatus.COMPLETED for r in men],
        risk=risk,
        today=today,
    )
    importer = User.objects.filter(membership__role="program_manager").order_by("pk").first()
    if importer is None:
        raise RuntimeError("The demo's follow-up is imported by a program manager; none found.")
    record_follow_up_bulk(
        actor=importer,
        organization=Organization.objects.get(pk=men[0][3]),
        filename="demo-follow-up.csv",
        follow_ups=[
            FollowUpRecord(man, source, start, end, checkpoint)
            for man, source, start, end, checkpoint in synthetic.followups
        ],
        events=[EventRecord(man, kind, on) for man, kind, on in synthetic.events],
        today=today,
    )
    return DemoFollowUp(alumni, len(synthetic.followups), len(synthetic.events))


def _add_alumni(rng: np.random.Generator, count: int, today: dt.date) -> int:
    """``count`` simulated men who referred one to four years ago and have left."""
    programs = list(Program.objects.select_related("organization").order_by("pk"))
    if not programs or count == 0:
        return 0
    sim = simulate_program(count, rng=rng, reference_year=today.year - 2)
    people = sim.participants
    referred_days = rng.integers(365, 4 * 365, size=count)
    participants, enrollments = [], []
    r: Any  # a namedtuple row from the simulator
    for i, r in enumerate(people.itertuples(index=False)):
        program = programs[i % len(programs)]
        referred = today - dt.timedelta(days=int(referred_days[i]))
        started = referred + dt.timedelta(days=21)
        participants.append(
            participant_from_simulated(r, organization=program.organization, code=f"AL-{i + 1:04d}")
        )
        if r.outcome == "no_show":
            status, start_on = EnrollmentStatus.DROPPED_OUT, None
            ended = referred + dt.timedelta(days=35)
        elif r.outcome == "completed":
            status, start_on = EnrollmentStatus.COMPLETED, started
            ended = started + dt.timedelta(weeks=int(program.min_attended_sessions or 20) + 2)
        else:
            status, start_on = EnrollmentStatus.DROPPED_OUT, started
            ended = started + dt.timedelta(weeks=int(r.dropout_after_session) + 3)
        if ended >= today:
            # A long program drawn late (a 52-week completer referred a year ago) would end in
            # the future, which the enrollment rules refuse: he referred early enough to have
            # left yesterday instead.
            early = ended - today + dt.timedelta(days=1)
            referred, ended = referred - early, ended - early
            start_on = start_on - early if start_on is not None else None
        enrollments.append(
            Enrollment(
                program=program,
                referral_source=str(r.referral_source),
                referred_on=referred,
                started_on=start_on,
                ended_on=ended,
                status=status,
                status_changed_on=ended,
                attended_count=int(r.sessions_attended),
            )
        )
    created = create_participants_bulk(actor=None, participants=participants)
    for participant, enrollment in zip(created, enrollments, strict=True):
        enrollment.participant = participant
    record_past_enrollments_bulk(
        actor=None, records=[PastEnrollment(e) for e in enrollments], today=today
    )
    return count
