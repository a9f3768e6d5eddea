"""Plain builders for test data.

Each function makes one thing with sensible defaults and returns it. Enrollments go through
the real services (``refer_participant`` and ``change_enrollment_status``) and attendance
through ``record_attendance``, so that timelines, group assignments and the stored standing
are exactly what the application would have written.

``build_world`` assembles the named personas used by the web and browser tests. It takes
"today" as an argument (the program's local date) so that the web tests can freeze the clock
with time_machine and the browser test, whose cookies live in a real browser, can use the
real date.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from alliance.core.enrollment import EnrollmentStatus
from alliance.core.vocabulary import AttendanceMark, ReferralSource
from alliance.organizations.models import Agency, Membership, Organization, Role, Site
from alliance.participants.models import Enrollment, Participant
from alliance.participants.services import (
    change_enrollment_status,
    refer_participant,
    refresh_standing,
)
from alliance.portal.models import OfficerAccount
from alliance.programs.models import (
    Attendance,
    CurriculumSession,
    Group,
    GroupKind,
    Program,
    Session,
)
from alliance.programs.services import record_attendance, recount_session

#: Auckland is 13 hours ahead of UTC in March, so a 09:30 session starts on the previous UTC
#: day: a good place to catch dates shown in the server's time zone instead of the program's.
TIME_ZONE = "Pacific/Auckland"
PASSWORD = "correct horse battery staple"

P = AttendanceMark.PRESENT
L = AttendanceMark.LATE
E = AttendanceMark.EXCUSED
U = AttendanceMark.UNEXCUSED


def make_organization(name: str = "Riverside", *, time_zone: str = TIME_ZONE) -> Organization:
    return Organization.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), time_zone=time_zone
    )


def make_site(organization: Organization, name: str, *, time_zone: str = TIME_ZONE) -> Site:
    return Site.objects.create(organization=organization, name=name, time_zone=time_zone)


def make_program(
    site: Site,
    name: str = "Respectful Relationships",
    *,
    curriculum: int = 24,
    core: Iterable[int] = (1, 5, 10),
    **policy: object,
) -> Program:
    """A program with ``curriculum`` numbered sessions (``core`` marked core) and a policy.

    The default policy: two unexcused absences, three excused, 30 minutes late counts as an
    absence, 20 sessions to complete within 180 days, one reinstatement.
    """
    defaults: dict[str, object] = {
        "max_unexcused_absences": 2,
        "max_excused_absences": 3,
        "late_minutes_as_absence": 30,
        "min_attended_sessions": 20,
        "max_program_days": 180,
        "reinstatements_allowed": 1,
    }
    defaults.update(policy)
    program = Program.objects.create(
        organization=site.organization, site=site, name=name, **defaults
    )
    core_numbers = set(core)
    CurriculumSession.objects.bulk_create(
        CurriculumSession(program=program, number=n, topic=f"Topic {n}", is_core=n in core_numbers)
        for n in range(1, curriculum + 1)
    )
    return program


def make_group(
    program: Program,
    name: str,
    *,
    kind: GroupKind = GroupKind.CLOSED,
    starts_on: dt.date,
    meeting_time: dt.time = dt.time(18, 30),
    facilitators: Sequence[AbstractBaseUser] = (),
) -> Group:
    group = Group.objects.create(
        program=program, name=name, kind=kind, starts_on=starts_on, meeting_time=meeting_time
    )
    group.facilitators.set(facilitators)
    return group


def make_sessions(group: Group, days: Sequence[dt.date]) -> list[Session]:
    """One session per day, following the curriculum in order, starting at the meeting time
    in the program's time zone."""
    program = group.program
    tz = zoneinfo.ZoneInfo(program.site.time_zone)
    curriculum = {c.number: c for c in CurriculumSession.objects.filter(program=program)}
    sessions = []
    for number, day in enumerate(sorted(days), start=1):
        session = Session.objects.create(
            group=group,
            held_on=day,
            starts_at=dt.datetime.combine(day, group.meeting_time, tzinfo=tz),
            curriculum_session=curriculum.get(number),
        )
        session.facilitators.set(group.facilitators.all())
        sessions.append(session)
    return sessions


def make_officer(username: str, agency: Agency) -> AbstractBaseUser:
    """A probation officer or court clerk with a portal account for ``agency`` (no membership)."""
    user = make_user(username)
    user.email = f"{username}@example.org"
    user.save(update_fields=["email"])
    OfficerAccount.objects.create(user=user, agency=agency, created_at=timezone.now())
    return user


def make_user(
    username: str,
    *,
    organization: Organization | None = None,
    role: Role | None = None,
    sites: Sequence[Site] = (),
    password: str = PASSWORD,
) -> AbstractBaseUser:
    """A staff member; with a role, also their Membership (limited to ``sites``)."""
    user = get_user_model().objects.create_user(
        username=username,
        password=password,
        first_name=username.capitalize(),
        last_name="Tester",
    )
    if role is not None:
        assert organization is not None
        membership = Membership.objects.create(user=user, organization=organization, role=role)
        membership.sites.set(sites)
    return user


def make_participant(organization: Organization, code: str, **intake: object) -> Participant:
    return Participant.objects.create(organization=organization, code=code, **intake)


def enroll(
    participant: Participant,
    program: Program,
    *,
    referred_on: dt.date,
    status: EnrollmentStatus = EnrollmentStatus.ACTIVE,
    group: Group | None = None,
    started_on: dt.date | None = None,
    referral_source: ReferralSource = ReferralSource.PROBATION,
    actor: AbstractBaseUser | None = None,
) -> Enrollment:
    """Refer him and move him on to ``status`` (referred, intake or active) via the services.

    Intake is recorded four days after the referral; activation on ``started_on`` in ``group``.
    """
    enrollment = refer_participant(
        actor=actor,
        participant=participant,
        program=program,
        referral_source=referral_source,
        referred_on=referred_on,
        referral_agency="Riverside Probation",
        referral_contact_name="P. Officer",
    )
    if status is EnrollmentStatus.REFERRED:
        return enrollment
    intake_on = referred_on + dt.timedelta(days=4)
    change_enrollment_status(
        actor=actor,
        enrollment=enrollment,
        target=EnrollmentStatus.INTAKE,
        effective_on=intake_on,
        reason="Intake interview held",
    )
    if status is EnrollmentStatus.INTAKE:
        return Enrollment.objects.get(pk=enrollment.pk)
    assert status is EnrollmentStatus.ACTIVE, "enroll() stops at referred, intake or active"
    assert group is not None
    assert started_on is not None
    change_enrollment_status(
        actor=actor,
        enrollment=enrollment,
        target=EnrollmentStatus.ACTIVE,
        effective_on=started_on,
        reason="Joined the group",
        group=group,
    )
    return Enrollment.objects.get(pk=enrollment.pk)


def mark(
    session: Session,
    enrollment: Enrollment,
    value: AttendanceMark,
    *,
    minutes_late: int = 0,
    actor: AbstractBaseUser | None = None,
) -> Attendance:
    """Record one mark through the service (refreshes his stored standing)."""
    return record_attendance(
        actor=actor,
        session=session,
        enrollment=enrollment,
        mark=value,
        minutes_late=minutes_late,
    )


def fill_attendance(
    sessions: Sequence[Session], enrollment: Enrollment, marks: str, *, actor=None
) -> None:
    """Marks written as a register line, one letter per session: P, L (15 min), E, U or '.'.

    Bulk-inserted for speed, then his standing is refreshed once, as the service would.
    """
    letters = {"P": P, "L": L, "E": E, "U": U}
    rows = [
        Attendance(
            session=session,
            enrollment=enrollment,
            mark=letters[letter].value,
            minutes_late=15 if letter == "L" else 0,
            recorded_by=actor,
            recorded_at=dt.datetime.combine(session.held_on, dt.time(12), tzinfo=dt.UTC),
        )
        for session, letter in zip(sessions, marks, strict=False)
        if letter != "."
    ]
    Attendance.objects.bulk_create(rows)
    Session.objects.filter(pk__in=[r.session_id for r in rows]).update(status="held")
    for row in rows:
        recount_session(row.session)
    refresh_standing(Enrollment.objects.select_related("program__site").get(pk=enrollment.pk))


def weekly(last: dt.date, count: int) -> list[dt.date]:
    """``count`` dates a week apart, ending on ``last``."""
    return [last - dt.timedelta(weeks=k) for k in range(count - 1, -1, -1)]


@dataclass
class World:
    """Riverside, its staff personas and the men in their groups.

    Site 1 (North) runs "Respectful Relationships": group A (closed, Mondays 09:30, Alice
    and Fred) and group C (rolling, Thursdays, nobody here facilitates it). Site 2 (South)
    runs "Safe at Home": group B (rolling, Mondays 18:30, Charlie), who must see nothing of
    site 1. Ian coordinates intake at North (appointments, assessments, agreements).
    """

    today: dt.date
    riverside: Organization
    north: Site
    south: Site
    program: Program
    program_b: Program
    group_a: Group
    group_b: Group
    group_c: Group
    sessions_a: list[Session]
    sessions_b: list[Session]
    sessions_c: list[Session]
    alice: AbstractBaseUser
    fred: AbstractBaseUser
    charlie: AbstractBaseUser
    bob: AbstractBaseUser
    mona: AbstractBaseUser
    olga: AbstractBaseUser
    eve: AbstractBaseUser
    petra: AbstractBaseUser
    ines: AbstractBaseUser
    ian: AbstractBaseUser
    outsider: AbstractBaseUser
    good: Enrollment
    at_limit: Enrollment
    breach: Enrollment
    late_joiner: Enrollment
    in_intake: Enrollment
    man_b: Enrollment
    man_c: Enrollment
    #: Agencies (alliance.portal): A referred RIV-101 (world.good); B referred nobody here.
    agency_a: Agency
    agency_b: Agency
    #: Otto, probation officer of agency A; Ada, of agency B (portal accounts, no membership).
    otto: AbstractBaseUser
    ada: AbstractBaseUser
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def todays_session_a(self) -> Session:
        return self.sessions_a[-1]

    @property
    def todays_session_b(self) -> Session:
        return self.sessions_b[-1]


def build_world(today: dt.date) -> World:
    riverside = make_organization("Riverside")
    north = make_site(riverside, "Riverside North")
    south = make_site(riverside, "Riverside South")
    program = make_program(north, "Respectful Relationships")
    program_b = make_program(south, "Safe at Home", max_unexcused_absences=3)

    alice = make_user("alice", organization=riverside, role=Role.FACILITATOR, sites=[north])
    fred = make_user("fred", organization=riverside, role=Role.FACILITATOR, sites=[north])
    charlie = make_user("charlie", organization=riverside, role=Role.FACILITATOR, sites=[south])
    bob = make_user("bob", organization=riverside, role=Role.SUPERVISOR, sites=[north])
    mona = make_user("mona", organization=riverside, role=Role.PROGRAM_MANAGER, sites=[north])
    olga = make_user("olga", organization=riverside, role=Role.ORG_ADMIN)
    eve = make_user("eve", organization=riverside, role=Role.EVALUATOR, sites=[north])
    petra = make_user("petra", organization=riverside, role=Role.PARTNER_SAFETY, sites=[north])
    ines = make_user("ines", organization=riverside, role=Role.INTAKE, sites=[north])
    ian = make_user("ian", organization=riverside, role=Role.INTAKE, sites=[north])
    elsewhere = make_organization("Elsewhere")
    outsider = make_user("oscar", organization=elsewhere, role=Role.ORG_ADMIN)

    start = today - dt.timedelta(weeks=8)
    group_a = make_group(
        program, "Group A", starts_on=start, meeting_time=dt.time(9, 30), facilitators=[alice, fred]
    )
    group_c = make_group(
        program, "Group C", kind=GroupKind.ROLLING, starts_on=start + dt.timedelta(days=3)
    )
    group_b = make_group(
        program_b, "Group B", kind=GroupKind.ROLLING, starts_on=start, facilitators=[charlie]
    )
    sessions_a = make_sessions(group_a, weekly(today, 9))
    sessions_c = make_sessions(group_c, weekly(today - dt.timedelta(days=4), 8))
    sessions_b = make_sessions(group_b, weekly(today, 6))

    referred = start - dt.timedelta(days=11)

    def man(code: str, prog: Program, group: Group | None, started: dt.date | None, **kw):
        participant = make_participant(riverside, code, birth_year=1985, primary_language="en")
        return enroll(
            participant, prog, referred_on=referred, group=group, started_on=started, **kw
        )

    good = man("RIV-101", program, group_a, start)
    at_limit = man("RIV-102", program, group_a, start)
    breach = man("RIV-103", program, group_a, start)
    late_joiner = man("RIV-104", program, group_a, start + dt.timedelta(weeks=5))
    in_intake = man("RIV-105", program, None, None, status=EnrollmentStatus.INTAKE)
    man_c = man("RIV-301", program, group_c, start + dt.timedelta(days=3))
    man_b = man("RIV-201", program_b, group_b, start + dt.timedelta(weeks=3))

    agency_a = Agency.objects.create(
        organization=riverside,
        name="Riverside Probation",
        kind=Agency.Kind.PROBATION,
        email="probation@example.org",
    )
    agency_b = Agency.objects.create(
        organization=riverside, name="County Court", kind=Agency.Kind.COURT
    )
    Enrollment.objects.filter(pk=good.pk).update(agency=agency_a)
    otto = make_officer("otto", agency_a)
    ada = make_officer("ada", agency_b)

    past_a = sessions_a[:-1]  # today's session is left for the tests to mark
    fill_attendance(past_a, good, "PPPPPPPP")
    fill_attendance(past_a, at_limit, "PPUPPUPP")
    fill_attendance(past_a, breach, "PUPUPUPP")
    fill_attendance(past_a[5:], late_joiner, "PPP")
    fill_attendance(sessions_c, man_c, "PPPPPPPP")
    fill_attendance(sessions_b[:-1], man_b, "PLPPP")

    return World(
        today=today,
        riverside=riverside,
        north=north,
        south=south,
        program=program,
        program_b=program_b,
        group_a=group_a,
        group_b=group_b,
        group_c=group_c,
        sessions_a=sessions_a,
        sessions_b=sessions_b,
        sessions_c=sessions_c,
        alice=alice,
        fred=fred,
        charlie=charlie,
        bob=bob,
        mona=mona,
        olga=olga,
        eve=eve,
        petra=petra,
        ines=ines,
        ian=ian,
        outsider=outsider,
        good=Enrollment.objects.get(pk=good.pk),
        at_limit=Enrollment.objects.get(pk=at_limit.pk),
        breach=Enrollment.objects.get(pk=breach.pk),
        late_joiner=Enrollment.objects.get(pk=late_joiner.pk),
        in_intake=in_intake,
        man_b=Enrollment.objects.get(pk=man_b.pk),
        man_c=Enrollment.objects.get(pk=man_c.pk),
        agency_a=agency_a,
        agency_b=agency_b,
        otto=otto,
        ada=ada,
    )


def add_men(world: World, count: int, *, first: int = 500) -> list[Enrollment]:
    """``count`` more men in group A, each with a full register, for query-count tests."""
    start = world.group_a.starts_on
    added = []
    for k in range(count):
        participant = make_participant(world.riverside, f"RIV-{first + k}")
        enrollment = enroll(
            participant,
            world.program,
            referred_on=start - dt.timedelta(days=11),
            group=world.group_a,
            started_on=start,
        )
        fill_attendance(world.sessions_a[:-1], enrollment, "PPLPEPUP")
        added.append(enrollment)
    return added
