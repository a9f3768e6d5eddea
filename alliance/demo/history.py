"""Write a simulated program history into the database, for benchmarks and tests of the refit.

Men arrive in weekly cohorts of closed groups, one session a week; cohorts that started
within the last ``n_sessions`` weeks are still running on ``today``, so their men are active
and their later sessions do not exist yet. Written through the services as the demo is: the
program and its cohorts through the set-up services and the one schedule generator, the men
through ``create_participants_bulk`` and ``record_past_enrollments_bulk`` and their marks
through ``record_attendance_bulk`` (checked, with history rows; no check-outs).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction

from alliance.core.enrollment import EnrollmentStatus
from alliance.core.simulate import simulate_program
from alliance.core.vocabulary import AttendanceMark
from alliance.demo.frames import frame_rows, model_defaults
from alliance.organizations.models import Organization, Site
from alliance.participants.bulk import (
    PastEnrollment,
    create_participants_bulk,
    record_past_enrollments_bulk,
)
from alliance.participants.models import Enrollment, Participant
from alliance.programs.bulk import Mark, hold_sessions_bulk, record_attendance_bulk
from alliance.programs.models import Group, GroupKind, Program, Session
from alliance.programs.setup_services import (
    GROUP_FIELDS,
    PROGRAM_FIELDS,
    generate_schedule,
    save_group,
    save_program,
)


def load_synthetic_history(
    *,
    organization: Organization,
    site: Site,
    participants: int,
    seed: int,
    today: dt.date,
    cohort_size: int = 12,
    program_name: str = "Synthetic history",
) -> Program:
    sim = simulate_program(participants, rng=np.random.default_rng(seed))
    n_sessions = sim.parameters.n_sessions
    men = sim.participants
    records = frame_rows(men)
    sessions_by_man = {
        int(str(pid)): frame for pid, frame in sim.sessions.groupby("participant_id", sort=True)
    }
    cohorts = (participants + cohort_size - 1) // cohort_size
    tz = zoneinfo.ZoneInfo(site.time_zone)
    with transaction.atomic():
        program = save_program(
            actor=None,
            organization=organization,
            values={
                **model_defaults(Program, PROGRAM_FIELDS),
                "name": program_name,
                "site": site,
                "min_attended_sessions": n_sessions,
            },
        )
        first_monday = today - dt.timedelta(days=today.weekday(), weeks=cohorts - 1)
        groups: list[Group] = []
        by_group: dict[int, list[Session]] = {}
        for k in range(cohorts):
            starts = first_monday + dt.timedelta(weeks=k)
            group = save_group(
                actor=None,
                organization=organization,
                values={
                    **model_defaults(Group, GROUP_FIELDS),
                    "name": f"Cohort {k + 1}",
                    "program": program,
                    "site": None,
                    "kind": GroupKind.CLOSED,
                    "starts_on": starts,
                },
            )
            so_far = min(n_sessions, (today - starts).days // 7 + 1)
            by_group[group.pk], _ = generate_schedule(actor=None, group=group, count=so_far)
            groups.append(group)
        hold_sessions_bulk(
            actor=None, sessions=[s for held in by_group.values() for s in held], today=today
        )
        people = create_participants_bulk(
            actor=None,
            participants=[
                Participant(
                    organization=organization,
                    code=f"SYN-{seed}-{int(row['participant_id']):06d}",
                    birth_year=int(row["birth_year"]),
                    relationship_status=str(row["relationship_status"]),
                    employment=str(row["employment"]),
                    education=str(row["education"]),
                    income_band=str(row["income_band"]),
                    prior_offences=int(row["prior_offences"]),
                    prior_ipv_offences=int(row["prior_ipv_offences"]),
                    substance_use_concern=bool(row["substance_use_concern"]),
                    risk_tool="ODARA-like (simulated)",
                    risk_score=int(row["risk_score"]),
                )
                for row in records
            ],
        )
        past = []
        plans: list[list[tuple[Session, dict[str, Any]]]] = []
        for person, row in zip(people, records, strict=True):
            pid = int(row["participant_id"])
            group = groups[pid // cohort_size]
            held = by_group.get(group.pk, [])
            mine = sessions_by_man.get(pid)
            if row["no_show"] or mine is None or not held:
                status = EnrollmentStatus.DROPPED_OUT
                started: dt.date | None = None
                ended: dt.date | None = group.starts_on
                plans.append([])
            else:
                marks = mine.iloc[: len(held)]
                left_after = row["dropout_after_session"]
                finished_in_time = len(marks) == len(mine)
                if not finished_in_time:
                    status = EnrollmentStatus.ACTIVE  # still running today: outcome unknown
                elif not pd.isna(left_after):
                    status = EnrollmentStatus.DROPPED_OUT
                elif len(held) < n_sessions:
                    status = EnrollmentStatus.ACTIVE
                else:
                    status = EnrollmentStatus.COMPLETED
                started = group.starts_on
                ended = None if status == EnrollmentStatus.ACTIVE else held[len(marks) - 1].held_on
                mark_rows = frame_rows(marks)
                plans.append(list(zip(held, mark_rows, strict=False)))
            enrollment = Enrollment(
                participant=person,
                program=program,
                referral_source=str(row["referral_source"]),
                status=status,
                referred_on=group.starts_on - dt.timedelta(days=14),
                started_on=started,
                ended_on=ended,
                attended_count=int(row["sessions_attended"]),
            )
            past.append(PastEnrollment(enrollment, group=group))
        enrollments = record_past_enrollments_bulk(actor=None, records=past, today=today)
        now = dt.datetime.combine(today, dt.time(12), tzinfo=tz)
        record_attendance_bulk(
            actor=None,
            marks=[
                Mark(
                    session,
                    e,
                    AttendanceMark(str(mark["mark"])),
                    minutes_late=int(mark["minutes_late"]),
                    recorded_at=now,
                )
                for e, plan in zip(enrollments, plans, strict=True)
                for session, mark in plan
            ],
            refresh_standings=False,
        )
    return program
