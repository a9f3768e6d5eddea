"""Staff training register, credentials with expiry alerts, and fidelity observations.

These are staff records. None of them is about a man, and none reaches a court or probation
document, the research export, a chart or the dropout model (an import-linter contract in
``pyproject.toml`` keeps those builders from importing this app at all). The free text of an
observation may describe what happened in a group, so it is classed therapeutic.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.core.training import MAX_HOURS_PER_ENTRY, EntryKind
from alliance.data_classes import DataClass


class Preset(models.TextChoices):
    NONE = "none", "No training requirement"
    CALIFORNIA = "california", "California (PC 1203.098)"
    WASHINGTON = "washington", "Washington (WAC 388-60B)"
    TEXAS = "texas", "Texas (TDCJ-CJAD BIPP guidelines)"
    COLORADO = "colorado", "Colorado (DVOMB standards)"
    CUSTOM = "custom", "Custom (set the figures below)"


class Kind(models.TextChoices):
    CORE = EntryKind.CORE.value, "Core training"
    CONTINUING = EntryKind.CONTINUING.value, "Continuing education"
    TRAINEE = EntryKind.TRAINEE.value, "Supervised trainee hours (co-facilitation)"


class TrainingRequirement(models.Model):
    """What a program requires of its facilitators and supervisors (zero: not required)."""

    data_class = DataClass.OPERATIONAL

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="training_requirement"
    )
    preset = models.CharField(max_length=16, choices=Preset.choices, default=Preset.NONE)
    core_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(0))
    trainee_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(0))
    ce_hours_per_year = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    observation_every_months = models.PositiveSmallIntegerField(default=0)
    due_soon_days = models.PositiveSmallIntegerField(default=60)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"training requirement of program {self.program_id} ({self.preset})"


class TrainingEntry(models.Model):
    """Hours of training one staff member completed on one day."""

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_entries"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    topic = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    completed_on = models.DateField()
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01")),
            MaxValueValidator(MAX_HOURS_PER_ENTRY),
        ],
    )
    evidence_note = models.TextField(max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        indexes = [models.Index(fields=["person", "kind", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.hours} h on {self.completed_on}"


class Credential(models.Model):
    """A licence, certificate or registration, with its issue and (optional) expiry date."""

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_credentials"
    )
    name = models.CharField(max_length=120)
    issuer = models.CharField(max_length=200, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["expires_on", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class CredentialAlert(models.Model):
    """One alert per credential, threshold (60, 30, 0 days before expiry) and expiry date, so
    the daily job raises each once and a renewed credential (a new expiry date) re-arms them."""

    data_class = DataClass.OPERATIONAL

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="alerts")
    threshold_days = models.PositiveSmallIntegerField()
    expires_on = models.DateField()
    raised_on = models.DateField()

    class Meta:
        ordering = ["expires_on", "threshold_days"]
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "threshold_days", "expires_on"],
                name="one_credential_alert_per_threshold",
            )
        ]

    def __str__(self) -> str:
        return f"credential {self.credential_id}: {self.threshold_days} days before expiry"


class Observation(models.Model):
    """A supervisor's fidelity observation of one facilitator, scored on a checklist."""

    data_class = DataClass.OPERATIONAL
    # What was said in the group may be described here: kept out of every document like notes.
    data_class_fields = {
        "strengths": DataClass.THERAPEUTIC,
        "feedback": DataClass.THERAPEUTIC,
        "follow_up": DataClass.THERAPEUTIC,
        "facilitator_comment": DataClass.THERAPEUTIC,
    }

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observations_of"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        "programs.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    observed_on = models.DateField()
    checklist = models.CharField(max_length=64)
    checklist_version = models.CharField(max_length=16)
    #: item id → 0, 1 or 2 (items left unscored are absent).
    scores = models.JSONField(default=dict)
    strengths = models.TextField(max_length=2000, blank=True)
    feedback = models.TextField(max_length=2000, blank=True)
    follow_up = models.TextField(max_length=2000, blank=True)
    recorded_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    facilitator_comment = models.TextField(max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-observed_on", "-pk"]

    def __str__(self) -> str:
        return f"observation {self.pk} of {self.facilitator_id} on {self.observed_on}"
