"""The caseload import: a program's men, referrals, groups and past attendance from one file.

One row per man (see :data:`COLUMNS`). The whole file is checked first and every problem is
listed as row (line of the file), column, problem; the first ``MAX_LISTED`` are kept and the
rest counted, as in the follow-up import. Nothing is written unless every row is right; then
all of it is written in one transaction through the bulk write paths the demo uses
(``create_participants_bulk``, ``open_enrollments_bulk``, ``record_attendance_bulk``), so an
imported man passes the same rules as one recorded by hand. A dry run does the same writes
and rolls them back, so its preview counts what would really be created.

Re-importing is safe: ``external_id`` (his id in the old system) is kept on the participant,
and a row whose external id is already in the organization is left as it is (its code must
match). Every import, refused or not, is logged (:class:`CaseloadImport`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from alliance.core.enrollment import EnrollmentStatus, TransitionError
from alliance.core.vocabulary import (
    AttendanceMark,
    Education,
    Employment,
    IncomeBand,
    ReferralSource,
    RelationshipStatus,
)
from alliance.identity.caseload import (
    IDENTITY_COLUMNS,
    identity_from_row,
    save_imported_identities,
)
from alliance.identity.services import IdentityDetails
from alliance.organizations.models import Membership
from alliance.participants.bulk import (
    BulkRowError,
    EnrollmentRecord,
    StatusChange,
    create_participants_bulk,
    open_enrollments_bulk,
    refresh_standings_bulk,
)
from alliance.participants.caseload_file import (
    MAX_VALUE_CHARS,
    Column,
    UnreadableFile,
    read_table,
)
from alliance.participants.models import CaseloadImport, Enrollment, Participant
from alliance.participants.services import validate_participant
from alliance.programs.bulk import Mark, record_attendance_bulk
from alliance.programs.models import Group, Program, Session, SessionStatus
from alliance.programs.permissions import visible_programs
from alliance.programs.services import AttendanceError

#: Problems listed on the page; the rest are counted.
MAX_LISTED = 100
REASON = "Imported from the caseload file"


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(m.value for m in enum)


COLUMNS: tuple[Column, ...] = (
    Column(
        "external_id",
        True,
        "His id in your old system or spreadsheet: importing the same "
        "file again leaves men already imported as they are.",
        "OLD-0001",
    ),
    Column("code", True, "The pseudonymous code Alliance shows (never his name).", "P-0001"),
    Column("initials", False, "Up to 4 letters, shown on group rosters.", "JD"),
    *(Column(name, False, text, example) for name, text, example in IDENTITY_COLUMNS),
    Column("birth_year", False, "Four digits.", "1985"),
    Column("relationship_status", False, _values(RelationshipStatus), "separated"),
    Column("employment", False, _values(Employment), "full_time"),
    Column("education", False, _values(Education), "high_school"),
    Column("income_band", False, _values(IncomeBand), "middle"),
    Column("prior_offences", False, "Number of prior offences.", "1"),
    Column(
        "prior_ipv_offences",
        False,
        "Of which against a partner (not more than the prior offences).",
        "1",
    ),
    Column("substance_use_concern", False, "yes or no.", "no"),
    Column("primary_language", False, "His language.", "English"),
    Column("program", True, "The name of the program, as in Alliance.", "Batterer Intervention"),
    Column("referral_source", True, _values(ReferralSource), "court"),
    Column("referred_on", True, "Referral date, YYYY-MM-DD.", "2026-09-01"),
    Column("referral_agency", False, "Court, probation office or agency.", "Superior Court"),
    Column("case_reference", False, "Court case or probation number.", "CR-2026-0417"),
    Column("mandate_notes", False, "The mandate (e.g. 52 weeks, PC 1203.097).", "52 weeks"),
    Column("referral_contact_name", False, "Probation officer or caseworker.", "P. Officer"),
    Column("referral_contact_email", False, "Their e-mail.", "officer@example.org"),
    Column("referral_contact_phone", False, "Their phone.", "555-0100"),
    Column(
        "intake_on",
        False,
        "Intake date, YYYY-MM-DD (blank: still referred, or the start date if he is in a group).",
        "2026-09-03",
    ),
    Column(
        "group",
        False,
        "The name of his group in that program (blank: not in a group yet).",
        "Monday evening",
    ),
    Column(
        "started_on",
        False,
        "First day in the group, YYYY-MM-DD (required with a group).",
        "2026-09-07",
    ),
    Column(
        "attendance",
        False,
        "Past sessions of his group, separated by ';': a date, "
        "optionally followed by a mark (" + _values(AttendanceMark) + "; present if "
        "none). Late marks may add minutes: '2026-09-14 late 10'.",
        "2026-09-07; 2026-09-14 excused",
    ),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)


@dataclass(frozen=True)
class Problem:
    line: int  # line of the file; the header is line 1
    column: str
    reason: str


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    rows: int = 0
    participants: int = 0
    enrollments: int = 0
    attendance: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    #: What would be (or was) created, for the preview: (line, code, program, group, marks).
    created: list[tuple[int, str, str, str, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def unlisted(self) -> int:
        return self.problem_count - len(self.problems)

    def add(self, line: int, column: str, reason: str) -> None:
        self.problem_count += 1
        self.problems.append(Problem(line, column, reason))
        if len(self.problems) >= 2 * MAX_LISTED:  # memory stays bounded on a bad file
            self.trim()

    def trim(self) -> None:
        self.problems.sort(key=lambda p: (p.line, p.column))
        del self.problems[MAX_LISTED:]


@dataclass
class _Row:
    line: int
    participant: Participant
    enrollment: Enrollment
    changes: list[StatusChange]
    marks: list[tuple[Session, AttendanceMark, int]]
    identity: IdentityDetails | None = None


class _Refused(Exception):
    """Raised inside the write transaction to roll it back (a dry run, or a bulk refusal)."""


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ENTRY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[\s:]+([a-z_]+))?(?:\s+(\d{1,3}))?$")
_REFERRAL_TEXT = frozenset(
    {
        "referral_agency",
        "case_reference",
        "mandate_notes",
        "referral_contact_name",
        "referral_contact_email",
        "referral_contact_phone",
    }
)
_TRUE, _FALSE = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


class _Checker:
    """Parses and checks one row, collecting its problems by column."""

    def __init__(self, line: int, row: dict[str, str], today: dt.date) -> None:
        self.line, self.row, self.today = line, row, today
        self.errors: list[Problem] = []

    def bad(self, column: str, reason: str) -> None:
        self.errors.append(Problem(self.line, column, reason))

    def text(self, column: str, *, max_length: int) -> str:
        value = self.row.get(column, "")
        if len(value) > max_length:
            self.bad(column, f"longer than {max_length} characters")
            return ""
        return value

    def choice(self, column: str, enum: type[StrEnum], default: str) -> str:
        """The value of ``column`` from ``enum``; ``default`` if blank ("" means required)."""
        raw = self.row.get(column, "").lower().replace(" ", "_").replace("-", "_")
        if not raw:
            if not default:
                self.bad(column, "required")
            return default
        if raw not in {m.value for m in enum}:
            self.bad(column, f"{self.row[column]!r} is not one of: {_values(enum)}")
            return default
        return raw

    def number(self, column: str) -> int | None:
        raw = self.row.get(column, "")
        if not raw:
            return None
        if not raw.isdigit() or len(raw) > 4:
            self.bad(column, f"{raw!r} is not a whole number")
            return None
        return int(raw)

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        raw = self.row.get(column, "")
        if not raw:
            if required:
                self.bad(column, "required")
            return None
        try:
            if not _DATE.match(raw):
                raise ValueError
            day = dt.date.fromisoformat(raw)
        except ValueError:
            self.bad(column, f"{raw!r} is not a date written YYYY-MM-DD")
            return None
        if day > self.today:
            self.bad(column, f"{raw} is in the future")
            return None
        return day

    def boolean(self, column: str) -> bool | None:
        raw = self.row.get(column, "").lower()
        if not raw:
            return None
        if raw in _TRUE or raw in _FALSE:
            return raw in _TRUE
        self.bad(column, f"{self.row[column]!r} is not yes or no")
        return None


@dataclass
class _Context:
    membership: Membership
    today: dt.date
    programs: dict[str, Program]
    groups: dict[tuple[int, str], Group]
    sessions: dict[tuple[int, dt.date], Session]
    known_external: dict[str, str]  # external id -> code, in the whole organization
    known_codes: set[str]
    seen_external: dict[str, int] = field(default_factory=dict)
    seen_codes: dict[str, int] = field(default_factory=dict)


def _context(membership: Membership, today: dt.date) -> _Context:
    programs = list(visible_programs(membership))
    groups = list(Group.objects.filter(program__in=programs))
    sessions = Session.objects.filter(group__in=groups).exclude(status=SessionStatus.CANCELLED)
    organization = membership.organization
    stored = Participant.objects.filter(organization=organization)
    return _Context(
        membership=membership,
        today=today,
        programs={p.name.strip().lower(): p for p in programs},
        groups={(g.program_id, g.name.strip().lower()): g for g in groups},
        sessions={(s.group_id, s.held_on): s for s in sessions.order_by("-pk")},
        known_external=dict(stored.exclude(external_id="").values_list("external_id", "code")),
        known_codes=set(stored.values_list("code", flat=True)),
    )


def _check_row(line: int, row: dict[str, str], ctx: _Context) -> tuple[list[Problem], _Row | None]:
    """The row's problems, and the records to write if it is new and right (``None`` if it was
    imported before)."""
    c = _Checker(line, row, ctx.today)
    if "" in row:
        c.bad("", row[""])
    long = [k for k, v in row.items() if k in COLUMN_NAMES and len(v) > MAX_VALUE_CHARS]
    for column in long:
        c.bad(column, f"longer than {MAX_VALUE_CHARS} characters")
    if long:
        return c.errors, None
    external_id = c.text("external_id", max_length=64)
    code = c.text("code", max_length=32)
    for column, value in (("external_id", external_id), ("code", code)):
        if not value and not any(p.column == column for p in c.errors):
            c.bad(column, "required")
    if external_id in ctx.seen_external:
        c.bad("external_id", f"repeats row {ctx.seen_external[external_id]}")
    if code in ctx.seen_codes:
        c.bad("code", f"repeats row {ctx.seen_codes[code]}")
    if external_id:
        ctx.seen_external.setdefault(external_id, line)
    if code:
        ctx.seen_codes.setdefault(code, line)
    previous_code = ctx.known_external.get(external_id) if external_id else None
    if previous_code is not None:
        if code and previous_code != code:
            c.bad("code", "this external_id was imported before with another code")
        return c.errors, None
    if code in ctx.known_codes:
        c.bad("code", f"{code} is already a participant here (with another or no external_id)")

    participant = Participant(
        organization=ctx.membership.organization,
        code=code,
        external_id=external_id,
        initials=c.text("initials", max_length=4),
        birth_year=c.number("birth_year"),
        relationship_status=c.choice("relationship_status", RelationshipStatus, "unknown"),
        employment=c.choice("employment", Employment, "unknown"),
        education=c.choice("education", Education, "unknown"),
        income_band=c.choice("income_band", IncomeBand, "unknown"),
        prior_offences=c.number("prior_offences"),
        prior_ipv_offences=c.number("prior_ipv_offences"),
        substance_use_concern=c.boolean("substance_use_concern"),
        primary_language=c.text("primary_language", max_length=32),
    )
    if code and external_id:
        try:
            validate_participant(participant, check_unique=False)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # a check constraint of the model
                message = " ".join(error.messages)
                if "prior_ipv_within_prior_offences" in message:
                    c.bad("prior_ipv_offences", "more than prior_offences")
                else:
                    c.bad("", message)
            else:
                for name, messages in error.message_dict.items():
                    column = name if name in COLUMN_NAMES else ""
                    c.bad(column, " ".join(messages))

    program = None
    program_name = row.get("program", "")
    if not program_name:
        c.bad("program", "required")
    else:
        program = ctx.programs.get(program_name.lower())
        if program is None:
            c.bad("program", f"no program named {program_name!r} among your programs")
    source = c.choice("referral_source", ReferralSource, "")
    referred_on = c.date("referred_on", required=True)
    intake_on = c.date("intake_on")
    started_on = c.date("started_on")
    group = None
    group_name = row.get("group", "")
    if group_name and program is not None:
        group = ctx.groups.get((program.pk, group_name.lower()))
        if group is None:
            c.bad("group", f"no group named {group_name!r} in {program.name}")
    if group_name and not row.get("started_on"):
        c.bad("started_on", "required when he is in a group")
    if row.get("started_on") and not group_name:
        c.bad("group", "required when he has a start date")
    if referred_on and intake_on and intake_on < referred_on:
        c.bad("intake_on", "before the referral date")
    first_step = intake_on or referred_on
    if started_on and first_step and started_on < first_step:
        c.bad("started_on", "before the intake or referral date")
    marks = _marks(c, row.get("attendance", ""), group, started_on, ctx)

    enrollment = Enrollment(
        participant=participant,
        program=program,
        referral_source=source,
        referred_on=referred_on or ctx.today,  # a missing date has refused the row above
        referral_agency=c.text("referral_agency", max_length=200),
        case_reference=c.text("case_reference", max_length=64),
        mandate_notes=c.text("mandate_notes", max_length=500),
        referral_contact_name=c.text("referral_contact_name", max_length=200),
        referral_contact_email=c.text("referral_contact_email", max_length=254),
        referral_contact_phone=c.text("referral_contact_phone", max_length=40),
    )
    try:
        enrollment.clean_fields(
            exclude=[f.name for f in Enrollment._meta.fields if f.name not in _REFERRAL_TEXT]
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():  # field errors only: no constraints
            c.bad(name, " ".join(messages))
    changes: list[StatusChange] = []
    intake = intake_on or started_on
    if intake is not None:
        changes.append(StatusChange(EnrollmentStatus.INTAKE, intake, REASON))
    if started_on and group is not None:
        changes.append(StatusChange(EnrollmentStatus.ACTIVE, started_on, REASON, group=group))
    identity, problems = identity_from_row(
        row, organization_id=ctx.membership.organization_id, today=ctx.today
    )
    for column, reason in problems.items():
        c.bad(column, reason)
    if c.errors:
        return c.errors, None
    return [], _Row(line, participant, enrollment, changes, marks, identity)


def _marks(
    c: _Checker,
    raw: str,
    group: Group | None,
    started_on: dt.date | None,
    ctx: _Context,
) -> list[tuple[Session, AttendanceMark, int]]:
    if not raw:
        return []
    if group is None or started_on is None:
        c.bad("attendance", "past attendance needs his group and start date")
        return []
    marks: list[tuple[Session, AttendanceMark, int]] = []
    seen: set[dt.date] = set()
    for entry in (e.strip().lower() for e in raw.split(";")):
        if not entry:
            continue
        found = _ENTRY.match(entry)
        if found is None:
            c.bad("attendance", f"{entry!r} is not 'YYYY-MM-DD' or 'YYYY-MM-DD mark'")
            continue
        try:
            day = dt.date.fromisoformat(found.group(1))
        except ValueError:
            c.bad("attendance", f"{found.group(1)!r} is not a date")
            continue
        mark_name = found.group(2) or AttendanceMark.PRESENT.value
        if mark_name not in {m.value for m in AttendanceMark}:
            c.bad("attendance", f"{mark_name!r} is not one of: {_values(AttendanceMark)}")
            continue
        minutes = int(found.group(3) or 0)
        if day in seen:
            c.bad("attendance", f"{day} is given twice")
            continue
        seen.add(day)
        session = ctx.sessions.get((group.pk, day))
        if session is None:
            c.bad("attendance", f"{group.name} has no session on {day} (schedule it first)")
        elif day < started_on:
            c.bad("attendance", f"{day} is before his start date")
        elif day > ctx.today:
            c.bad("attendance", f"{day} is in the future")
        else:
            marks.append((session, AttendanceMark(mark_name), minutes))
    return marks


def _line_of(error: Exception, rows: list[_Row]) -> tuple[int, str, str]:
    """Map a bulk path's refusal, "row N (code[, date]): [field: ]detail", to the file's line
    (found by the man's code: the attendance path numbers marks, not men) and column."""
    found = re.match(r"^row \d+ \(([^,)]*)[^)]*\): (?:(\w+): )?(.*)$", str(error))
    if found is None:
        return 1, "", str(error)
    code, column, detail = found.groups()
    line = next((row.line for row in rows if row.participant.code == code), 1)
    if column and (column not in COLUMN_NAMES or isinstance(error, AttendanceError)):
        detail, column = f"{column}: {detail}", ""
    if isinstance(error, AttendanceError):
        column = "attendance"
    return line, column or "", detail


def import_caseload(
    *,
    membership: Membership,
    content: bytes,
    filename: str,
    today: dt.date,
    dry_run: bool,
) -> ImportReport:
    """Check the whole file; unless ``dry_run``, write all of it or none of it, and log it."""
    report = ImportReport(filename=filename[:255], dry_run=dry_run)
    try:
        table = read_table(content, filename)
    except UnreadableFile as exc:
        report.add(exc.line, "", str(exc))
        return _finish(report, membership)
    report.rows = len(table.rows)
    missing = [name for name in REQUIRED if name not in table.header]
    for name in missing:
        report.add(1, name, "missing from the header")
    unknown = [h for h in table.header if h not in COLUMN_NAMES]
    for name in unknown[:20]:
        report.add(1, name or "(blank)", "not a column of the caseload template")
    repeated = sorted({h for h in table.header if h and table.header.count(h) > 1})
    for name in repeated:
        report.add(1, name, "appears twice in the header")
    if missing or unknown or repeated:
        return _finish(report, membership)
    ctx = _context(membership, today)
    rows: list[_Row] = []
    for line, values in table.rows:
        problems, checked = _check_row(line, values, ctx)
        for problem in problems:
            report.add(problem.line, problem.column, problem.reason)
        if checked is not None:
            rows.append(checked)
        elif not problems:
            report.unchanged += 1
    if report.ok:
        try:
            with transaction.atomic():
                _write(report, rows, membership, today)
                if dry_run:
                    raise _Refused
        except _Refused:
            pass
        except (BulkRowError, AttendanceError, TransitionError) as exc:
            report.add(*_line_of(exc, rows))
        except IntegrityError:
            # Another import of the same men committed between the check and the write.
            report.add(1, "", "another import of these men ran at the same time: check again")
    return _finish(report, membership)


def _write(report: ImportReport, rows: list[_Row], membership: Membership, today: dt.date) -> None:
    actor: User = membership.user
    participants = create_participants_bulk(actor=actor, participants=[r.participant for r in rows])
    for row, participant in zip(rows, participants, strict=True):
        row.enrollment.participant = participant
    given = [(p, r.identity) for r, p in zip(rows, participants, strict=True) if r.identity]
    save_imported_identities(actor=actor, identities=given, today=today)
    enrollments = open_enrollments_bulk(
        actor=actor,
        records=[
            EnrollmentRecord(row.enrollment, tuple(row.changes), reason=REASON) for row in rows
        ],
        today=today,
    )
    for row, enrollment in zip(rows, enrollments, strict=True):
        row.enrollment = enrollment
    marks = [
        Mark(session=session, enrollment=row.enrollment, mark=mark, minutes_late=minutes)
        for row in rows
        for session, mark, minutes in row.marks
    ]
    if marks:
        record_attendance_bulk(actor=actor, marks=marks, refresh_standings=False, today=today)
    active = [e for e in enrollments if e.started_on is not None]
    if active:
        refresh_standings_bulk(enrollments=active, today=today)
    report.participants, report.enrollments, report.attendance = len(rows), len(rows), len(marks)
    report.created = [
        (
            row.line,
            row.participant.code,
            row.enrollment.program.name,
            row.enrollment.group.name if row.enrollment.group else "",
            len(row.marks),
        )
        for row in rows
    ]


def _finish(report: ImportReport, membership: Membership) -> ImportReport:
    report.trim()
    if not report.dry_run:
        CaseloadImport.objects.create(
            organization=membership.organization,
            imported_by=membership.user,
            filename=report.filename,
            outcome=CaseloadImport.Outcome.IMPORTED
            if report.ok
            else CaseloadImport.Outcome.REFUSED,
            rows=report.rows,
            problems=report.problem_count,
            participants=report.participants,
            enrollments=report.enrollments,
            attendance=report.attendance,
            unchanged=report.unchanged,
        )
    return report


def import_log(membership: Membership) -> list[CaseloadImport]:
    """The organization's last imports, newest first (a program manager sees his own)."""
    log = CaseloadImport.objects.filter(organization=membership.organization)
    if not membership.is_org_admin:
        log = log.filter(imported_by=membership.user)
    return list(log.select_related("imported_by")[:20])
