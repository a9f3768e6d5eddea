"""Program presets from named standards, and the check that a policy can be completed.

A preset fills a program's attendance policy, curriculum length, session length, completion
criteria and reporting defaults from one jurisdiction's standard, and carries the citation
shown next to the form so that a program manager can check every number against its source.
Numbers the standard does not set are left empty (``None``) and the preset's ``notes`` say so:
the program decides them, and the form leaves them editable like every other field.

`check_policy` refuses a policy under which no man could ever complete: more sessions required
than a closed cohort offers, a deadline shorter than the sessions take at the meeting
interval, negative allowances. It returns every problem, each naming its field, so that the
form can show them next to the inputs.

Sources are condensed in ``shared/research/bip_standards.md`` §1 (December 2026 review).

References
----------
California Penal Code § 1203.097 (52 weekly sessions of at least 2 hours; at most 3 absences
for good cause; progress reports at least every 3 months).
Washington Administrative Code chapter 388-60B (treatment levels 1–4 with minimum durations of
6, 9, 12 and 18 months; weekly groups of at most 12; at least 90 minutes for 4–12 men;
non-compliance reported to the court within 7 days; breaks limited to 30 days).
Ontario Ministry of the Attorney General, Partner Assault Response program (12 sessions).
BC Corrections Relationship Violence Prevention: Respectful Relationships (10 × 2.5 h,
groups of 6–12) followed by Relationship Violence (17 sessions).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from types import MappingProxyType

from alliance.core.compliance import AttendancePolicy, PolicyError

__all__ = [
    "PRESETS",
    "PolicyDraft",
    "PolicyProblem",
    "ProgramPreset",
    "check_policy",
    "preset_for",
]


@dataclass(frozen=True)
class ProgramPreset:
    """One standard's defaults for a program; ``None`` (the default of every number) means the
    standard sets no number, and a preset names only the numbers its standard sets.

    Attributes
    ----------
    key
        Stable identifier stored on the program (``Program.standard``).
    label
        What the picker shows.
    citation
        The rule the numbers come from, as a reader would look it up.
    source_url
        Where the rule can be read.
    curriculum_length
        Sessions in one run of the curriculum.
    session_minutes
        Length of one group session, in minutes.
    meeting_interval_days
        Days between sessions (7: weekly).
    min_attended_sessions
        Sessions a man must attend to complete.
    max_unexcused_absences, max_excused_absences, max_total_absences
        Absence allowances (``None``: no limit set by the standard).
    makeup_sessions_allowed
        Make-up sessions that may cancel an absence.
    max_program_days
        Days from the start by which he must complete.
    report_interval_days
        Days between progress reports to the referral source.
    noncompliance_notice_days
        Days within which non-compliance must be reported.
    max_group_size
        Most men in one group.
    completion_criteria
        What completion rests on besides attendance, in the standard's words.
    notes
        What the standard leaves to the program, and how numbers were derived.
    competencies_required
        Which approved competencies completion needs: "none", "all" or "listed"
        (``Program.competencies_required``).
    """

    key: str
    label: str
    citation: str
    source_url: str = ""
    curriculum_length: int | None = None
    session_minutes: int | None = None
    meeting_interval_days: int = 7
    min_attended_sessions: int | None = None
    max_unexcused_absences: int | None = None
    max_excused_absences: int | None = None
    max_total_absences: int | None = None
    makeup_sessions_allowed: int = 0
    max_program_days: int | None = None
    report_interval_days: int | None = None
    noncompliance_notice_days: int | None = None
    max_group_size: int | None = None
    completion_criteria: str = ""
    notes: str = ""
    competencies_required: str = "none"

    def form_values(self) -> dict[str, object]:
        """The fields a program form is filled with (everything but the citation text)."""
        skip = {"key", "label", "citation", "source_url", "notes"}
        values: dict[str, object] = {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip
        }
        values["standard"] = self.key
        return values


def _washington(level: int, months: int) -> ProgramPreset:
    weeks = round(months * 52 / 12)
    return ProgramPreset(
        key=f"wa-level-{level}",
        label=f"Washington level {level} ({months} months minimum, WAC 388-60B)",
        citation=(
            f"WAC 388-60B-0400: level {level} treatment lasts at least {months} months; weekly "
            "single-gender groups of at most 12 men, at least 90 minutes for 4–12 men; "
            "non-compliance reported to the court within 7 days (WAC 388-60B-0420)."
        ),
        source_url="https://apps.leg.wa.gov/wac/default.aspx?cite=388-60B-0400",
        curriculum_length=weeks,
        session_minutes=90,
        min_attended_sessions=weeks,
        noncompliance_notice_days=7,
        max_group_size=12,
        completion_criteria=(
            "Core competencies: adherence to the accountability plan, 6 months free of "
            "violence, and knowledge of his own motivations (WAC 388-60B-0400)."
        ),
        notes=(
            f"The rule sets a minimum of {months} months, not a number of sessions: "
            f"{weeks} weekly sessions is {months} months of weeks. Absence limits are the "
            "program's; breaks over 30 days need a supervisor's approval. Groups of 3 or "
            "fewer men may meet for 60 minutes. Completion needs the program's "
            "competencies approved: list them on the program's Competencies page."
        ),
        competencies_required="all",
    )


_PRESETS: tuple[ProgramPreset, ...] = (
    ProgramPreset(
        key="ca-52",
        label="California 52-week (PC 1203.097)",
        citation=(
            "California Penal Code § 1203.097: 52 weekly sessions of at least 2 hours, "
            "consecutive attendance with at most 3 absences for good cause, progress reports "
            "to the court or probation at least every 3 months."
        ),
        source_url="http://danielsonkin.com/1203.html",
        curriculum_length=52,
        session_minutes=120,
        min_attended_sessions=52,
        max_unexcused_absences=0,
        max_excused_absences=3,
        max_total_absences=3,
        report_interval_days=90,
        completion_criteria="52 sessions attended; same-gender group.",
        notes=(
            "The code sets no deadline in days and no reporting clock for violations; the "
            "2022 state audit recommended reporting violations within about 2 business days."
        ),
    ),
    _washington(1, 6),
    _washington(2, 9),
    _washington(3, 12),
    _washington(4, 18),
    ProgramPreset(
        key="on-par-12",
        label="Ontario PAR, 12 sessions",
        citation=(
            "Ontario Ministry of the Attorney General, Partner Assault Response (PAR) program: "
            "12 sessions, with partner support contact and progress updates."
        ),
        source_url="https://www.ontario.ca/page/partner-assault-response-program",
        curriculum_length=12,
        min_attended_sessions=12,
        completion_criteria="12 sessions attended.",
        notes=(
            "The program sets the session length, the absence limits and the reporting "
            "schedule agreed with the court."
        ),
    ),
    ProgramPreset(
        key="bc-rr",
        label="BC Respectful Relationships (10 × 2.5 h)",
        citation=(
            "BC Corrections Relationship Violence Prevention, phase 1: Respectful "
            "Relationships, 10 psycho-educational sessions of 2.5 hours, groups of 6–12, "
            "co-facilitated."
        ),
        source_url=(
            "https://www2.gov.bc.ca/gov/content/justice/criminal-justice/"
            "bcs-criminal-justice-system/if-you-are-convicted-of-a-crime/"
            "serving-custody-sentence/sentence-of-less-than-two-years/bc-custody-programs"
        ),
        curriculum_length=10,
        session_minutes=150,
        min_attended_sessions=10,
        max_group_size=12,
        completion_criteria="10 sessions attended; then intake for Relationship Violence.",
        notes="Absence limits are the program's. Men are referred at medium or high risk.",
    ),
    ProgramPreset(
        key="bc-rv",
        label="BC Relationship Violence (17 sessions)",
        citation=(
            "BC Corrections Relationship Violence Prevention, phase 2: Relationship Violence, "
            "17 sessions after an intake appointment and a liaison visit."
        ),
        source_url="https://www.strohhealth.com/rvp/rr-groups/",
        curriculum_length=17,
        min_attended_sessions=17,
        max_group_size=12,
        completion_criteria="17 sessions attended, after Respectful Relationships.",
        notes="The source gives no session length; the program sets it.",
    ),
    ProgramPreset(
        key="custom",
        label="Custom (no standard)",
        citation="No standard: every number is the program's own.",
    ),
)

#: Presets by key, in the order the picker shows them.
PRESETS: MappingProxyType[str, ProgramPreset] = MappingProxyType({p.key: p for p in _PRESETS})


def preset_for(key: str) -> ProgramPreset:
    """The preset named ``key``; ``KeyError`` names the known keys."""
    try:
        return PRESETS[key]
    except KeyError:
        raise KeyError(f"unknown standard {key!r}; known: {', '.join(PRESETS)}") from None


@dataclass(frozen=True)
class PolicyDraft:
    """The program fields that decide whether completion is possible.

    ``closed_cohort_only`` is true when every group of the program runs the curriculum once
    (closed cohorts): a man then cannot attend more sessions than the curriculum has, except
    through make-ups. Rolling groups cycle through the curriculum, so the limit does not apply.
    """

    curriculum_length: int | None
    min_attended_sessions: int
    meeting_interval_days: int
    session_minutes: int | None = None
    max_unexcused_absences: int | None = None
    max_excused_absences: int | None = None
    max_total_absences: int | None = None
    late_minutes_as_absence: int | None = None
    lates_per_unexcused_absence: int | None = None
    makeup_sessions_allowed: int = 0
    reinstatements_allowed: int = 0
    max_program_days: int | None = None
    report_interval_days: int | None = None
    noncompliance_notice_days: int | None = None
    max_group_size: int | None = None
    closed_cohort_only: bool = True
    min_attended_hours: int | None = None
    left_early_minutes_as_absence: int | None = None


@dataclass(frozen=True)
class PolicyProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def check_policy(draft: PolicyDraft) -> list[PolicyProblem]:
    """Every reason no man could complete under ``draft``; empty when it can be applied.

    The engine's own checks (`AttendancePolicy.validate`) run first; then:

    * ``min_attended_sessions`` > ``curriculum_length`` + ``makeup_sessions_allowed`` in a
      closed cohort: the cohort ends before he can attend enough sessions;
    * ``max_program_days`` < (``min_attended_sessions`` − 1) × ``meeting_interval_days`` + 1:
      even attending every session, the deadline passes first (the first session is day 1);
    * ``min_attended_hours`` more than a closed cohort's sessions (make-ups included) last;
    * lengths, intervals and optional limits that must be at least 1.
    """
    problems: list[PolicyProblem] = []
    for name in (
        "curriculum_length",
        "session_minutes",
        "meeting_interval_days",
        "report_interval_days",
        "noncompliance_notice_days",
        "max_group_size",
    ):
        value = getattr(draft, name)
        if value is not None and value < 1:
            # The interval is the one of these a program must have; the others may be empty.
            tail = " day" if name == "meeting_interval_days" else " (or empty)"
            problems.append(PolicyProblem(name, f"must be at least 1{tail}, got {value}"))
    # The engine checks one field at a time and stops at the first; asking it once per field
    # lists every field it refuses.
    engine_fields = {
        "max_unexcused_absences": draft.max_unexcused_absences,
        "max_excused_absences": draft.max_excused_absences,
        "max_total_absences": draft.max_total_absences,
        "late_minutes_as_absence": draft.late_minutes_as_absence,
        "lates_per_unexcused_absence": draft.lates_per_unexcused_absence,
        "makeup_sessions_allowed": draft.makeup_sessions_allowed,
        "reinstatements_allowed": draft.reinstatements_allowed,
        "min_attended_sessions": draft.min_attended_sessions,
        "max_program_days": draft.max_program_days,
        "min_attended_hours": draft.min_attended_hours,
        "left_early_minutes_as_absence": draft.left_early_minutes_as_absence,
    }
    for name, value in engine_fields.items():
        try:
            AttendancePolicy(**{name: value}).validate()  # type: ignore[arg-type]
        except PolicyError as exc:
            problems.append(PolicyProblem(exc.field, exc.message))
    if problems:
        return problems
    required = draft.min_attended_sessions
    if (
        draft.closed_cohort_only
        and draft.curriculum_length is not None
        and required > draft.curriculum_length + draft.makeup_sessions_allowed
    ):
        problems.append(
            PolicyProblem(
                "min_attended_sessions",
                f"{required} sessions are required but a closed cohort offers "
                f"{draft.curriculum_length} and {draft.makeup_sessions_allowed} make-up(s): "
                "nobody could complete. Lower the requirement, lengthen the curriculum or "
                "allow make-ups.",
            )
        )
    hours = draft.min_attended_hours
    if (
        hours is not None
        and draft.closed_cohort_only
        and draft.curriculum_length is not None
        and draft.session_minutes is not None
    ):
        offered = (draft.curriculum_length + draft.makeup_sessions_allowed) * draft.session_minutes
        if hours * 60 > offered:
            problems.append(
                PolicyProblem(
                    "min_attended_hours",
                    f"{hours} hours are required but a closed cohort offers "
                    f"{offered // 60} h {offered % 60:02d} min of sessions (make-ups "
                    "included): nobody could complete.",
                )
            )
    if draft.max_program_days is not None and required > 0:
        shortest = (required - 1) * draft.meeting_interval_days + 1
        if draft.max_program_days < shortest:
            problems.append(
                PolicyProblem(
                    "max_program_days",
                    f"{draft.max_program_days} days is too short: {required} sessions every "
                    f"{draft.meeting_interval_days} days take at least {shortest} days even "
                    "with perfect attendance.",
                )
            )
    return problems
