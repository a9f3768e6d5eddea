"""Programs, their curriculum and rules, the groups that run them, sessions and attendance."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.core.compliance import AttendancePolicy
from alliance.core.program_policy import PRESETS
from alliance.core.vocabulary import AttendanceMark, Departure
from alliance.data_classes import DataClass
from alliance.organizations.models import Organization, Site


class CompetencyRule(models.TextChoices):
    NONE = "none", "None: attendance alone"
    ALL = "all", "All of the program's competencies"
    LISTED = "listed", "The competencies marked required"


DEPARTURE_LABELS = {
    Departure.STAYED: "Stayed to the end",
    Departure.LEFT_EARLY: "Left early",
    Departure.SENT_HOME: "Sent home",
}


class Program(models.Model):
    """A program: curriculum, attendance policy and completion criteria.

    The attendance policy fields mirror ``alliance.core.compliance.AttendancePolicy``; a blank
    limit means "no limit".
    """

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programs"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)

    # Attendance policy
    max_unexcused_absences = models.PositiveSmallIntegerField(null=True, blank=True)
    max_total_absences = models.PositiveSmallIntegerField(null=True, blank=True)
    max_excused_absences = models.PositiveSmallIntegerField(null=True, blank=True)
    late_minutes_as_absence = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Arriving this many minutes late or more counts as an unexcused absence.",
    )
    lates_per_unexcused_absence = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Every this many late arrivals count as one unexcused absence.",
    )
    makeup_sessions_allowed = models.PositiveSmallIntegerField(default=0)
    reinstatements_allowed = models.PositiveSmallIntegerField(default=0)
    reinstatement_resets_absences = models.BooleanField(default=True)

    # Completion criteria
    min_attended_sessions = models.PositiveSmallIntegerField(
        default=0, help_text="Sessions a man must attend to complete (rolling groups: N)."
    )
    max_program_days = models.PositiveIntegerField(null=True, blank=True)
    completion_criteria = models.TextField(
        blank=True, max_length=2000, help_text="What completion rests on besides attendance."
    )

    # The standard the defaults came from (alliance.core.program_policy.PRESETS), the
    # curriculum's shape and the reporting defaults.
    standard = models.CharField(
        max_length=32,
        choices=[(p.key, p.label) for p in PRESETS.values()],
        default="custom",
    )
    curriculum_length = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Sessions in one run of the curriculum."
    )
    session_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Length of one group session, in minutes."
    )
    meeting_interval_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days between sessions (7: weekly)."
    )
    report_interval_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days between progress reports to the referral source."
    )
    noncompliance_notice_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days within which non-compliance is reported."
    )
    max_group_size = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most men the standard allows in one group."
    )
    # Session-level rules and completion by competencies (issue 15).
    min_attended_hours = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Hours of attended sessions required to complete (empty: no hours rule).",
    )
    left_early_minutes_as_absence = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Leaving this many minutes or more before the end counts as an unexcused "
        "absence (empty: leaving early still counts as attended).",
    )
    sent_home_counts_as_attended = models.BooleanField(
        default=False,
        help_text="Off (the default): a man sent home has an unexcused absence.",
    )
    video_attendance_allowed = models.BooleanField(
        default=True, help_text="Men may attend by live video, with their identity confirmed."
    )
    leave_pauses_clock = models.BooleanField(
        default=True,
        help_text="Sessions missed during an approved leave are not absences and the leave "
        "pushes the deadline back.",
    )
    competencies_required = models.CharField(
        max_length=8,
        choices=CompetencyRule.choices,
        default=CompetencyRule.NONE,
        help_text="Which approved competencies completion needs.",
    )
    # Groups keep the curriculum version current when they started (see
    # alliance.programs.curriculum); this is the version new groups get.
    curriculum_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_program_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.site.time_zone)

    def attendance_policy(
        self, core_numbers: frozenset[int], competencies: frozenset[str] = frozenset()
    ) -> AttendancePolicy:
        """The engine's policy; ``competencies`` are the names completion needs
        (`alliance.programs.competencies.required_competencies`)."""
        return AttendancePolicy(
            max_unexcused_absences=self.max_unexcused_absences,
            max_total_absences=self.max_total_absences,
            max_excused_absences=self.max_excused_absences,
            late_minutes_as_absence=self.late_minutes_as_absence,
            lates_per_unexcused_absence=self.lates_per_unexcused_absence,
            makeup_sessions_allowed=self.makeup_sessions_allowed,
            reinstatements_allowed=self.reinstatements_allowed,
            reinstatement_resets_absences=self.reinstatement_resets_absences,
            required_core_sessions=core_numbers,
            min_attended_sessions=self.min_attended_sessions,
            max_program_days=self.max_program_days,
            min_attended_hours=self.min_attended_hours,
            left_early_minutes_as_absence=self.left_early_minutes_as_absence,
            sent_home_counts_as_attended=self.sent_home_counts_as_attended,
            leave_pauses_clock=self.leave_pauses_clock,
            required_competencies=competencies,
        )


class Competency(models.Model):
    """Something a man shows before he completes ("uses time-out"), in the program's words.

    Washington and Colorado complete men on demonstrated competencies rather than attendance
    alone (``bip_standards.md`` gap 7; WAC 388-60B-0400, Colorado DVOMB standards).
    """

    data_class = DataClass.OPERATIONAL

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="competencies")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=1000)
    order = models.PositiveSmallIntegerField(default=1)
    is_required = models.BooleanField(
        default=True, help_text="Needed to complete when the program requires the listed ones."
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="unique_competency_name")
        ]

    def __str__(self) -> str:
        return self.name


class CurriculumSession(models.Model):
    data_class = DataClass.OPERATIONAL

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="curriculum")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    version = models.PositiveIntegerField(default=1)
    topic = models.CharField(max_length=200)
    is_core = models.BooleanField(default=False)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    materials = models.TextField(
        blank=True, max_length=2000, help_text="Handouts, exercises, facilitator guide."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "version", "number"], name="unique_curriculum_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.topic}"


class GroupKind(models.TextChoices):
    CLOSED = "closed", "Closed cohort"
    ROLLING = "rolling", "Rolling (open enrollment)"


class Modality(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Live video"


WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class Group(models.Model):
    data_class = DataClass.OPERATIONAL

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=GroupKind.choices)
    starts_on = models.DateField()
    meeting_time = models.TimeField(default=dt.time(18, 30))
    # Who may open the group's pages (alliance.programs.permissions); kept equal to the lead
    # and co-facilitator below by the services.
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_groups"
    )
    is_active = models.BooleanField(default=True)
    # Where the group meets (the program's site gives who may see it).
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="groups"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    co_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    language = models.CharField(max_length=32, blank=True, default="English")
    modality = models.CharField(max_length=16, choices=Modality.choices, default=Modality.IN_PERSON)
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS, null=True, blank=True)
    curriculum_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="unique_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Session(models.Model):
    data_class = DataClass.OPERATIONAL
    data_class_fields = {
        "notes": DataClass.THERAPEUTIC,
    }

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    starts_at = models.DateTimeField()
    curriculum_session = models.ForeignKey(
        CurriculumSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    notes = models.TextField(blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    # When the session actually began and ended (local time), for hours and short sessions.
    actual_start = models.TimeField(null=True, blank=True)
    actual_end = models.TimeField(null=True, blank=True)
    # Bumped on every edit of the notes or status, so that two facilitators editing the same
    # session at once get a conflict instead of silently overwriting each other.
    revision = models.PositiveIntegerField(default=0)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # Attendance tallies, recounted whenever a mark is recorded, so that dashboards add up a
    # few hundred sessions instead of scanning every mark.
    marks_total = models.PositiveSmallIntegerField(default=0)
    marks_attended = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "held_on"]
        constraints = [
            models.UniqueConstraint(fields=["group", "held_on"], name="one_session_per_group_day")
        ]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{self.group} — {self.held_on:%-d %b %Y}"


class Holiday(models.Model):
    """A day the organization does not meet: schedules skip it."""

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="holidays"
    )
    day = models.DateField()
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "day"], name="one_holiday_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.day:%-d %b %Y})"


class Attendance(models.Model):
    data_class = DataClass.REPORTABLE
    data_class_fields = {
        "note": DataClass.THERAPEUTIC,
        # Why he was sent home or left (intoxicated, disruptive): a clinical observation.
        "departure_reason": DataClass.THERAPEUTIC,
    }

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.PROTECT, related_name="attendance"
    )
    mark = models.CharField(
        max_length=16, choices=[(m.value, m.value.title()) for m in AttendanceMark]
    )
    minutes_late = models.PositiveSmallIntegerField(default=0)
    is_makeup = models.BooleanField(
        default=False, help_text="Attended another group's session to make up a missed one."
    )
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=0)
    # Session-level facts (issue 15): when he came and went, how he left, and video.
    arrived_at = models.TimeField(null=True, blank=True)
    left_at = models.TimeField(null=True, blank=True)
    departure = models.CharField(
        max_length=16,
        blank=True,
        choices=[(d.value, DEPARTURE_LABELS[d]) for d in Departure],
    )
    departure_reason = models.CharField(max_length=300, blank=True)
    by_video = models.BooleanField(default=False)
    identity_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrollment"], name="one_mark_per_man_per_session"
            )
        ]
        indexes = [models.Index(fields=["enrollment", "session"])]

    def __str__(self) -> str:
        return f"{self.enrollment_id} @ {self.session_id}: {self.mark}"
