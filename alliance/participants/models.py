"""Participants (pseudonymous, with intake covariates) and their enrollments in programs."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.core.compliance import STANDING_LABELS, Standing
from alliance.core.enrollment import (
    DischargeReason,
    EnrollmentStatus,
    ExitType,
    exit_type,
)
from alliance.core.vocabulary import (
    Education,
    Employment,
    IncomeBand,
    ReferralSource,
    RelationshipStatus,
)
from alliance.data_classes import DataClass
from alliance.organizations.models import Organization


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ").capitalize()) for m in enum]


class Participant(models.Model):
    """A man in the program, known by a pseudonymous code.

    The intake fields are those the literature links to dropout and re-offence
    (domain_science.md §1.2). The external risk score is recorded, not computed: licensed
    tools (ODARA, SARA, DVSI-R) are scored by trained assessors elsewhere.
    """

    data_class = DataClass.IDENTITY
    #: Intake covariates are facts about his situation, not who he is (the research export
    #: reads them; his code, initials and the assessor's name stay identity).
    data_class_fields = {
        name: DataClass.REPORTABLE
        for name in (
            "birth_year",
            "relationship_status",
            "employment",
            "education",
            "income_band",
            "prior_offences",
            "prior_ipv_offences",
            "substance_use_concern",
            "primary_language",
            "risk_tool",
            "risk_tool_version",
            "risk_score",
            "risk_band",
            "risk_assessed_on",
        )
    }

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="participants"
    )
    code = models.CharField(max_length=32, help_text="Pseudonymous code; never a name.")
    initials = models.CharField(max_length=4, blank=True, help_text="Shown on group rosters.")
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    relationship_status = models.CharField(
        max_length=24, choices=_choices(RelationshipStatus), default=RelationshipStatus.UNKNOWN
    )
    employment = models.CharField(
        max_length=24, choices=_choices(Employment), default=Employment.UNKNOWN
    )
    education = models.CharField(
        max_length=24, choices=_choices(Education), default=Education.UNKNOWN
    )
    income_band = models.CharField(
        max_length=16, choices=_choices(IncomeBand), default=IncomeBand.UNKNOWN
    )
    prior_offences = models.PositiveSmallIntegerField(null=True, blank=True)
    prior_ipv_offences = models.PositiveSmallIntegerField(null=True, blank=True)
    substance_use_concern = models.BooleanField(null=True, blank=True)
    primary_language = models.CharField(max_length=32, blank=True)

    risk_tool = models.CharField(max_length=64, blank=True)
    risk_tool_version = models.CharField(max_length=32, blank=True)
    risk_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    risk_band = models.CharField(max_length=32, blank=True)
    risk_assessed_on = models.DateField(null=True, blank=True)
    risk_assessor = models.CharField(max_length=120, blank=True)
    #: His identifier in the system a caseload was imported from: the key that makes importing
    #: the same file twice change nothing (``alliance.participants.caseload_import``).
    external_id = models.CharField(max_length=64, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="unique_participant_code"
            ),
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_participant_external_id",
            ),
            models.CheckConstraint(
                condition=models.Q(prior_ipv_offences__isnull=True)
                | models.Q(prior_offences__isnull=True)
                | models.Q(prior_ipv_offences__lte=models.F("prior_offences")),
                name="prior_ipv_within_prior_offences",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Enrollment(models.Model):
    data_class = DataClass.REPORTABLE
    data_class_fields = {
        "referral_contact_name": DataClass.IDENTITY,
        "referral_contact_email": DataClass.IDENTITY,
        "referral_contact_phone": DataClass.IDENTITY,
        "case_reference": DataClass.IDENTITY,
        "mandate_notes": DataClass.THERAPEUTIC,
    }

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="enrollments"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="enrollments"
    )
    referral_source = models.CharField(max_length=24, choices=_choices(ReferralSource))
    referral_agency = models.CharField(max_length=200, blank=True)
    #: The agency row that referred him (its reporting clocks and portal officers apply); the
    #: free-text ``referral_agency`` stays for agencies not set up in Alliance.
    agency = models.ForeignKey(
        "organizations.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    referral_contact_name = models.CharField(max_length=200, blank=True)
    referral_contact_email = models.EmailField(blank=True)
    referral_contact_phone = models.CharField(max_length=40, blank=True)
    case_reference = models.CharField(max_length=64, blank=True)
    mandate_notes = models.CharField(max_length=500, blank=True)

    status = models.CharField(
        max_length=16, choices=_choices(EnrollmentStatus), default=EnrollmentStatus.REFERRED
    )
    discharge_reason = models.CharField(
        max_length=24, choices=_choices(DischargeReason), blank=True
    )
    referred_on = models.DateField()
    started_on = models.DateField(null=True, blank=True, help_text="First day as active.")
    ended_on = models.DateField(null=True, blank=True)
    status_changed_on = models.DateField()
    reinstatements = models.PositiveSmallIntegerField(default=0)
    group = models.ForeignKey(
        "programs.Group",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrollments",
        help_text="The group he attends, or last attended; kept by the status services.",
    )

    # Compliance, recomputed by services whenever attendance or status changes, so that lists
    # and dashboards read it instead of re-running the engine for every man.
    standing = models.CharField(
        max_length=16, choices=[(s.value, STANDING_LABELS[s]) for s in Standing], blank=True
    )
    standing_reasons = models.JSONField(default=list, blank=True)
    actions_due = models.JSONField(default=list, blank=True)
    attended_count = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        # Covering indexes for the dashboard's GROUP BY queries: the counts are read from the
        # index alone, without visiting the table (docs/benchmarks.md).
        indexes = [
            models.Index(fields=["program", "status", "attended_count", "started_on"]),
            models.Index(fields=["program", "group", "status"]),
            models.Index(fields=["standing"]),
        ]

    def __str__(self) -> str:
        return f"{self.participant} in {self.program}"

    @property
    def is_mandated(self) -> bool:
        return self.referral_source in {"court", "probation", "child_protection"}

    @property
    def exit_type(self) -> ExitType | None:
        """Completed, unsuccessful or administrative; ``None`` while open."""
        return exit_type(self.status, self.discharge_reason)


class GroupAssignment(models.Model):
    """Which group an enrollment attends, and from when to when.

    Attendance is accepted only for sessions of a group he is assigned to on that date (or as
    a make-up).
    """

    data_class = DataClass.REPORTABLE

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey(
        "programs.Group", on_delete=models.PROTECT, related_name="assignments"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["group", "starts_on"])]

    def __str__(self) -> str:
        return f"enrollment {self.enrollment_id} in group {self.group_id} from {self.starts_on}"


class EnrollmentEvent(models.Model):
    """One status change: the timeline of an enrollment."""

    data_class = DataClass.REPORTABLE
    data_class_fields = {
        "reason": DataClass.THERAPEUTIC,
    }

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=_choices(EnrollmentStatus), blank=True)
    to_status = models.CharField(max_length=16, choices=_choices(EnrollmentStatus))
    effective_on = models.DateField()
    reason = models.CharField(max_length=500)
    discharge_reason = models.CharField(
        max_length=24, choices=_choices(DischargeReason), blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} on {self.effective_on}"


class CaseloadImport(models.Model):
    """One caseload file brought in, or refused: who, when, which file, what it held."""

    data_class = DataClass.OPERATIONAL

    class Outcome(models.TextChoices):
        IMPORTED = "imported", "Imported"
        REFUSED = "refused", "Refused, nothing written"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    rows = models.PositiveIntegerField(default=0)
    problems = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)
    enrollments = models.PositiveIntegerField(default=0)
    attendance = models.PositiveIntegerField(default=0)
    #: Rows of men imported before (same external id): left as they are.
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.outcome}, {self.rows} rows)"


class SignOffStatus(models.TextChoices):
    SIGNED_OFF = "signed_off", "Signed off, awaiting approval"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"


class CompetencySignOff(models.Model):
    """A facilitator's sign-off that he has shown one of the program's competencies, and the
    supervisor's approval or return.

    The fact (which competency, approved when, by whom) is reportable: a court may be told
    he demonstrated it without opening therapeutic data (``bip_standards.md`` gap 7). The
    evidence note and a return reason are clinical observations and stay therapeutic.
    One row per man and competency: a returned sign-off is signed off again on the same row
    (its history keeps every round).
    """

    data_class = DataClass.REPORTABLE
    data_class_fields = {
        "evidence_note": DataClass.THERAPEUTIC,
        "return_reason": DataClass.THERAPEUTIC,
    }

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="competency_sign_offs"
    )
    competency = models.ForeignKey(
        "programs.Competency", on_delete=models.PROTECT, related_name="sign_offs"
    )
    status = models.CharField(max_length=16, choices=SignOffStatus.choices)
    evidence_note = models.TextField(max_length=2000)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)
    return_reason = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["competency__order", "competency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "competency"], name="one_sign_off_per_competency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competency_id} for enrollment {self.enrollment_id}: {self.status}"


class LeaveOfAbsence(models.Model):
    """An approved break in treatment: sessions missed during it are not absences and, where
    the program's policy allows, its days push his deadline back (WAC 388-60B-0420(4): breaks
    need a supervisor's approval)."""

    data_class = DataClass.REPORTABLE
    data_class_fields = {"reason": DataClass.THERAPEUTIC}

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="leaves")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=500)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="leave_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"leave {self.starts_on} to {self.ends_on} (enrollment {self.enrollment_id})"
