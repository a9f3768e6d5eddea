"""Write a simulated program history into the database, for benchmarks and tests of the refit.

Men arrive in weekly cohorts of closed groups, one session a week; cohorts that started
within the last ``n_sessions`` weeks are still running on ``today``, so their men are active
and their later sessions do not exist yet.  Bulk inserts, no per-row services: this is test
data, not a record anyone entered (no history rows, no check-outs).
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
from alliance.demo.frames import frame_rows
from alliance.organizations.models import Organization, Site
from alliance.participants.models import Enrollment, GroupAssignment, Participant
from alliance.programs.models import Attendance, Group, GroupKind, Program, Session, SessionStatus


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
        program = Program.objects.create(
            organization=organization,
            site=site,
            name=program_name,
            min_attended_sessions=n_sessions,
        )
        first_monday = today - dt.timedelta(days=today.weekday(), weeks=cohorts - 1)
        groups = Group.objects.bulk_create(
            Group(
                program=program,
                name=f"Cohort {k + 1}",
                kind=GroupKind.CLOSED,
                starts_on=first_monday + dt.timedelta(weeks=k),
            )
            for k in range(cohorts)
        )
        session_objs = []
        for g in groups:
            for s in range(n_sessions):
                day = g.starts_on + dt.timedelta(weeks=s)
                if day > today:
                    break
                session_objs.append(
                    Session(
                        group=g,
                        held_on=day,
                        starts_at=dt.datetime.combine(day, g.meeting_time, tzinfo=tz),
                        status=SessionStatus.HELD,
                    )
                )
        Session.objects.bulk_create(session_objs, batch_size=2000)
        by_group: dict[int, list[Session]] = {}
        for obj in session_objs:
            by_group.setdefault(obj.group_id, []).append(obj)

        people = Participant.objects.bulk_create(
            (
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
            ),
            batch_size=2000,
        )
        enrollments = []
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
            enrollments.append(
                Enrollment(
                    participant=person,
                    program=program,
                    referral_source=str(row["referral_source"]),
                    status=status,
                    referred_on=group.starts_on - dt.timedelta(days=14),
                    started_on=started,
                    ended_on=ended,
                    status_changed_on=ended or started or group.starts_on,
                    attended_count=int(row["sessions_attended"]),
                )
            )
        Enrollment.objects.bulk_create(enrollments, batch_size=2000)
        GroupAssignment.objects.bulk_create(
            (
                GroupAssignment(
                    enrollment=e,
                    group=groups[int(row["participant_id"]) // cohort_size],
                    starts_on=groups[int(row["participant_id"]) // cohort_size].starts_on,
                    ends_on=e.ended_on,
                )
                for e, row in zip(enrollments, records, strict=True)
            ),
            batch_size=2000,
        )
        now = dt.datetime.combine(today, dt.time(12), tzinfo=tz)
        Attendance.objects.bulk_create(
            (
                Attendance(
                    session=session,
                    enrollment=e,
                    mark=str(mark["mark"]),
                    minutes_late=int(mark["minutes_late"]),
                    recorded_at=now,
                )
                for e, plan in zip(enrollments, plans, strict=True)
                for session, mark in plan
            ),
            batch_size=5000,
        )
    return program
