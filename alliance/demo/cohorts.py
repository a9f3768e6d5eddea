"""The demo's programs, groups, sessions and men, placed on a calendar from the simulator.

Men, their attendance and their dropout come from ``alliance.core.simulate``; this module only
places them on a calendar and hands them to the services' bulk write paths, then asks the
compliance engine for every man's standing, exactly as the application does.

Nothing here is real: codes, initials and agencies are invented.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.contrib.auth.models import User

from alliance.core.compliance import IN_THE_ROOM, Standing
from alliance.core.enrollment import DischargeReason, EnrollmentStatus
from alliance.core.simulate import SimulationParameters, simulate_program
from alliance.core.vocabulary import AttendanceMark, ReferralSource
from alliance.demo.curriculum import FOUNDATIONS, OPEN_DOOR, harbour_topics
from alliance.demo.frames import model_defaults
from alliance.organizations.models import Organization
from alliance.participants.bulk import (
    Completion,
    EnrollmentRecord,
    StatusChange,
    complete_enrollments_bulk,
    create_participants_bulk,
    open_enrollments_bulk,
    refresh_standings_bulk,
)
from alliance.participants.models import Enrollment, Participant
from alliance.programs.bulk import (
    Mark,
    Topic,
    add_curriculum_bulk,
    hold_sessions_bulk,
    record_attendance_bulk,
)
from alliance.programs.models import CurriculumSession, Group, GroupKind, Program, Session
from alliance.programs.setup_services import GROUP_FIELDS, generate_schedule, save_group

AGENCIES = {
    ReferralSource.COURT: ("County Criminal Court", "Clerk of the domestic violence docket"),
    ReferralSource.PROBATION: ("Probation Service, North Office", "Probation officer on duty"),
    ReferralSource.CHILD_PROTECTION: ("Children's Services", "Family case worker"),
    ReferralSource.SELF: ("", ""),
    ReferralSource.OTHER: ("Community health centre", "Referring counsellor"),
}


@dataclass
class ProgramSpec:
    name: str
    site: int
    kind: str
    topics: list[tuple[str, bool]]
    policy: dict[str, object]
    groups: list[
        tuple[str, int, int | None, list[str]]
    ]  # name, weekday offset, start week, facilitators
    share: float


def program_specs(today: dt.date, history_weeks: int) -> list[ProgramSpec]:
    return [
        ProgramSpec(
            "Foundations (24-week closed cohort)",
            0,
            GroupKind.CLOSED,
            FOUNDATIONS,
            dict(
                max_unexcused_absences=3,
                max_total_absences=5,
                late_minutes_as_absence=20,
                lates_per_unexcused_absence=3,
                makeup_sessions_allowed=2,
                reinstatements_allowed=1,
                min_attended_sessions=20,
                max_program_days=240,
            ),
            [
                ("Foundations — spring cohort", 1, -30, ["facilitator2"]),
                ("Foundations — summer cohort", 0, -16, ["facilitator", "facilitator2"]),
                ("Foundations — autumn cohort", 2, -5, ["facilitator2"]),
            ],
            0.38,
        ),
        ProgramSpec(
            "Open Door (20-session rolling group)",
            0,
            GroupKind.ROLLING,
            OPEN_DOOR,
            dict(
                max_unexcused_absences=2,
                max_total_absences=4,
                late_minutes_as_absence=15,
                lates_per_unexcused_absence=3,
                makeup_sessions_allowed=2,
                reinstatements_allowed=1,
                min_attended_sessions=20,
                max_program_days=200,
            ),
            [
                ("Open Door — {weekday}", 0, None, ["facilitator"]),
                ("Open Door — {weekday}", 3, None, ["facilitator2"]),
                ("Open Door — {weekday} evening", 4, None, ["facilitator"]),
            ],
            0.37,
        ),
        ProgramSpec(
            "Harbour 52-week program",
            1,
            GroupKind.ROLLING,
            harbour_topics(52),
            dict(
                max_unexcused_absences=1,
                max_excused_absences=3,
                late_minutes_as_absence=15,
                makeup_sessions_allowed=3,
                reinstatements_allowed=1,
                min_attended_sessions=49,
                max_program_days=420,
            ),
            [
                ("Harbour — {weekday}", 1, None, ["facilitator3"]),
                ("Harbour — {weekday} morning", 5, None, ["facilitator3"]),
            ],
            0.25,
        ),
    ]


def participant_from_simulated(
    row: Any, *, organization: Organization, code: str, initials: str = ""
) -> Participant:
    """An unsaved Participant with the intake facts of one simulated man (a namedtuple row)."""
    score = int(row.risk_score)
    return Participant(
        organization=organization,
        code=code,
        initials=initials,
        birth_year=int(row.birth_year),
        relationship_status=str(row.relationship_status),
        employment=str(row.employment),
        education=str(row.education),
        income_band=str(row.income_band),
        prior_offences=int(row.prior_offences),
        prior_ipv_offences=int(row.prior_ipv_offences),
        substance_use_concern=bool(row.substance_use_concern),
        primary_language=str(row.primary_language),
        risk_tool="Synthetic actuarial score",
        risk_tool_version="demo",
        risk_score=score,
        risk_band="low" if score <= 2 else "moderate" if score <= 5 else "high",
        risk_assessor="Intake assessor (demo)",
    )


@dataclass
class _Man:
    participant: Participant
    enrollment: Enrollment
    group: Group
    marks: list[tuple[Session, str, int]] = field(default_factory=list)
    events: list[tuple[str, str, dt.date, str, str]] = field(default_factory=list)


class Builder:
    def __init__(
        self,
        *,
        rng: np.random.Generator,
        today: dt.date,
        tz: zoneinfo.ZoneInfo,
        users: dict[str, User],
    ) -> None:
        self.rng, self.today, self.tz, self.users = rng, today, tz, users
        self.men: list[_Man] = []
        self.code_counter = 0
        self.programs: list[tuple[Program, frozenset[int]]] = []
        self._facilitators: dict[int, User] = {}

    # --- calendar -------------------------------------------------------------------------
    def _group(
        self,
        program: Program,
        spec: ProgramSpec,
        name: str,
        weekday_offset: int,
        start_week: int | None,
        facilitators: list[str],
        history_weeks: int,
        curriculum: list[CurriculumSession],
    ) -> tuple[Group, list[Session]]:
        # Offset 0 meets on today's weekday, so the facilitator has a session today.
        first = self.today - dt.timedelta(weeks=history_weeks) + dt.timedelta(days=weekday_offset)
        if start_week is not None:
            first = self.today + dt.timedelta(weeks=start_week, days=weekday_offset)
        count = len(curriculum) if spec.kind == GroupKind.CLOSED else history_weeks + 3
        name = name.format(weekday=first.strftime("%A"))
        lead, *co = [self.users[f] for f in facilitators]
        group = save_group(
            actor=None,
            organization=program.organization,
            values={
                **model_defaults(Group, GROUP_FIELDS),
                "name": name,
                "program": program,
                "site": None,
                "kind": spec.kind,
                "starts_on": first,
                "meeting_time": dt.time(18, 30),
                "facilitator": lead,
                "co_facilitator": co[0] if co else None,
            },
        )
        sessions, _ = generate_schedule(actor=None, group=group, count=count)
        past = [session for session in sessions if session.held_on < self.today]
        hold_sessions_bulk(actor=None, sessions=past, today=self.today)
        return group, sessions

    def add_program(self, program: Program, spec: ProgramSpec, n: int, history_weeks: int) -> None:
        curriculum = add_curriculum_bulk(
            actor=None,
            program=program,
            topics=[Topic(topic, is_core=core) for topic, core in spec.topics],
        )
        core = frozenset(c.number for c in curriculum if c.is_core)
        self.programs.append((program, core))
        groups = [
            self._group(program, spec, name, wd, sw, fac, history_weeks, curriculum)
            for name, wd, sw, fac in spec.groups
        ]
        # Rolling groups complete after N attended sessions, so a man with absences needs a few
        # more weeks than N: simulate some spare sessions and stop once he has attended N.
        spare = 0 if spec.kind == GroupKind.CLOSED else 6
        params = dataclasses.replace(SimulationParameters(), n_sessions=len(spec.topics) + spare)
        sim = simulate_program(n, rng=self.rng, params=params, reference_year=self.today.year)
        rows_by_man = {
            pid: frame for pid, frame in sim.sessions.groupby("participant_id", sort=False)
        }
        for record in sim.participants.itertuples(index=False):
            group, sessions = groups[int(self.rng.integers(len(groups)))]
            if spec.kind == GroupKind.CLOSED:
                join_index = 0
            else:
                # Rolling: join any week of the history, a few still waiting for their first.
                # Skewed early so that some men have had time to finish.
                join_index = int((history_weeks + 4) * self.rng.beta(0.8, 1.4))
            man_rows = rows_by_man.get(record.participant_id)
            self._add_man(program, spec, group, sessions, join_index, record, man_rows)

    # --- one man --------------------------------------------------------------------------
    def _add_man(
        self,
        program: Program,
        spec: ProgramSpec,
        group: Group,
        sessions: list[Session],
        join_index: int,
        rec: Any,
        rows: pd.DataFrame | None,
    ) -> None:
        r = rec  # a namedtuple row from the simulator
        self.code_counter += 1
        prefix = "NS" if program.site.name == "Northside" else "HB"
        letters = "ABCDEFGHJKLMNPRSTW"
        initials = "".join(letters[int(i)] for i in self.rng.integers(0, len(letters), 2))
        participant = participant_from_simulated(
            r,
            organization=program.organization,
            code=f"{prefix}-{self.code_counter:04d}",
            initials=initials,
        )
        first_session = sessions[min(join_index, len(sessions) - 1)]
        start = first_session.held_on
        referred = start - dt.timedelta(days=int(self.rng.integers(14, 36)))
        intake = referred + dt.timedelta(days=int(self.rng.integers(3, 21)))
        participant.risk_assessed_on = min(intake, self.today)
        source = ReferralSource(str(r.referral_source))
        agency, contact = AGENCIES[source]
        enrollment = Enrollment(
            program=program,
            referral_source=source.value,
            referral_agency=agency,
            referral_contact_name=contact,
            referral_contact_email="referrals@example.org" if agency else "",
            case_reference=f"DV-{self.rng.integers(10000, 99999)}"
            if source.value in ("court", "probation")
            else "",
            referred_on=min(referred, self.today),
            status=EnrollmentStatus.REFERRED,
            status_changed_on=min(referred, self.today),
        )
        man = _Man(participant, enrollment, group)
        self.men.append(man)
        man.events.append(
            ("", EnrollmentStatus.REFERRED, enrollment.referred_on, "Referral received", "")
        )
        if referred > self.today:
            return
        if intake > self.today:
            return
        man.events.append(
            (
                EnrollmentStatus.REFERRED,
                EnrollmentStatus.INTAKE,
                # A timeline runs forward (the services refuse a start dated before the
                # intake): an intake drawn after his first session is dated on that session.
                min(intake, start),
                "Intake interview held",
                "",
            )
        )
        if bool(r.no_show) or rows is None:
            gone = start + dt.timedelta(days=14)
            if gone <= self.today:
                man.events.append(
                    (
                        EnrollmentStatus.INTAKE,
                        EnrollmentStatus.DROPPED_OUT,
                        gone,
                        "Did not come to a first session; no contact after two calls",
                        "",
                    )
                )
            return
        if start >= self.today:
            return  # waiting for his first session
        man.events.append(
            (EnrollmentStatus.INTAKE, EnrollmentStatus.ACTIVE, start, f"Joined {group.name}", "")
        )
        enrollment.started_on = start
        last_held = start
        dropped_after = r.dropout_after_session
        needed = int(program.min_attended_sessions) if spec.kind == GroupKind.ROLLING else 10**6
        attended = 0
        row: Any
        for row in rows.itertuples(index=False):
            if attended >= needed:
                break
            index = join_index + int(row.session_number) - 1
            if index >= len(sessions) or sessions[index].held_on >= self.today:
                break
            man.marks.append((sessions[index], str(row.mark), int(row.minutes_late)))
            # Enough sessions in the room for the synthetic history; the compliance engine
            # decides later what they count as.
            attended += AttendanceMark(str(row.mark)) in IN_THE_ROOM
            last_held = sessions[index].held_on
        else:
            index = join_index + len(rows)
            if pd.notna(dropped_after):
                # After dropping out he misses the sessions until the program closes his file.
                for extra in range(index, min(index + 2, len(sessions))):
                    if sessions[extra].held_on >= self.today:
                        break
                    man.marks.append((sessions[extra], AttendanceMark.UNEXCUSED.value, 0))
                closing = last_held + dt.timedelta(days=21)
                if closing <= self.today:
                    mandated = source.value in ("court", "probation", "child_protection")
                    if mandated and self.rng.random() < 0.35:
                        man.events.append(
                            (
                                EnrollmentStatus.ACTIVE,
                                EnrollmentStatus.DISCHARGED,
                                closing,
                                "Absence limit exceeded; referral agency notified",
                                DischargeReason.NON_COMPLIANCE,
                            )
                        )
                    else:
                        man.events.append(
                            (
                                EnrollmentStatus.ACTIVE,
                                EnrollmentStatus.DROPPED_OUT,
                                closing,
                                "Stopped attending; outreach unanswered",
                                "",
                            )
                        )
                return
        # Still in the program: a few leave for other reasons.
        draw = self.rng.random()
        if draw < 0.03 and last_held < self.today - dt.timedelta(days=7):
            man.events.append(
                (
                    EnrollmentStatus.ACTIVE,
                    EnrollmentStatus.TRANSFERRED,
                    last_held + dt.timedelta(days=3),
                    "Moved; transferred to a program near his new home",
                    "",
                )
            )
        elif draw < 0.05 and last_held < self.today - dt.timedelta(days=7):
            man.events.append(
                (
                    EnrollmentStatus.ACTIVE,
                    EnrollmentStatus.DISCHARGED,
                    last_held + dt.timedelta(days=2),
                    "New charge reported by probation",
                    DischargeReason.NEW_OFFENCE,
                )
            )

    # --- writing --------------------------------------------------------------------------
    def flush(self) -> None:
        """Write the men through the services' bulk paths (validated, with history rows)."""
        participants = create_participants_bulk(
            actor=None, participants=[m.participant for m in self.men]
        )
        records = []
        for man, participant in zip(self.men, participants, strict=True):
            man.enrollment.participant = participant
            records.append(
                EnrollmentRecord(
                    enrollment=man.enrollment,
                    changes=tuple(self._changes(man)),
                    reason=man.events[0][3],
                )
            )
        open_enrollments_bulk(actor=None, records=records, today=self.today)
        record_attendance_bulk(
            actor=None,
            marks=[
                Mark(
                    session=session,
                    enrollment=man.enrollment,
                    mark=AttendanceMark(mark),
                    minutes_late=minutes,
                    recorded_by=self._first_facilitator(man.group),
                    recorded_at=session.starts_at + dt.timedelta(hours=2),
                )
                for man in self.men
                for session, mark, minutes in man.marks
            ],
            refresh_standings=False,  # stored below, once completions are in
        )
        self._complete_and_assess()

    def _changes(self, man: _Man) -> list[StatusChange]:
        changes = []
        for _, to_status, day, reason, discharge in man.events[1:]:
            target = EnrollmentStatus(to_status)
            closing = target in (EnrollmentStatus.DISCHARGED, EnrollmentStatus.TRANSFERRED)
            activating = target is EnrollmentStatus.ACTIVE
            changes.append(
                StatusChange(
                    target=target,
                    effective_on=day,
                    reason=reason,
                    discharge_reason=DischargeReason(discharge) if discharge else None,
                    group=man.group if activating else None,
                    actor=self.users["supervisor"]
                    if closing
                    else self._first_facilitator(man.group)
                    if activating
                    else None,
                )
            )
        return changes

    def _first_facilitator(self, group: Group) -> User:
        if group.pk not in self._facilitators:
            self._facilitators[group.pk] = group.facilitators.order_by("pk")[0]
        return self._facilitators[group.pk]

    def _complete_and_assess(self) -> None:
        """Store every man's standing from the compliance engine, then sign off most of the
        completions it finds (the rest still await sign-off) and store theirs again."""
        started = [m.enrollment for m in self.men if m.enrollment.started_on is not None]
        refresh_standings_bulk(enrollments=started, today=self.today)
        completions = []
        for man in self.men:
            e = man.enrollment
            if e.status == EnrollmentStatus.ACTIVE and e.standing == Standing.COMPLETED.value:
                last = max(session.held_on for session, _, _ in man.marks)
                done = min(last + dt.timedelta(days=int(self.rng.integers(1, 8))), self.today)
                if self.rng.random() < 0.8:
                    completions.append(Completion(enrollment=e, effective_on=done))
        complete_enrollments_bulk(
            actor=self.users["supervisor"], completions=completions, today=self.today
        )
        refresh_standings_bulk(enrollments=[c.enrollment for c in completions], today=self.today)
