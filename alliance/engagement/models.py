"""Stored dropout models (versioned) and the outreach workflow they prompt.

Each active man's current outlook is stored (``StoredOutlook``), recomputed by a background
task whenever his attendance, check-outs or status change (alliance/engagement/outlooks.py),
so pages read it instead of running the model. Also stored is what people did with it:
alerts, acknowledgements, actions and outcomes, each attributable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.core.engagement.outreach import (
    ACTION_LABELS,
    OUTCOME_LABELS,
    STATUS_LABELS,
    ActionKind,
    OutreachOutcome,
    OutreachStatus,
)
from alliance.data_classes import DataClass
from alliance.organizations.models import Organization


def _choices(
    enum: type[ActionKind] | type[OutreachOutcome] | type[OutreachStatus],
) -> list[tuple[str, str]]:
    labels = {
        ActionKind: ACTION_LABELS,
        OutreachOutcome: OUTCOME_LABELS,
        OutreachStatus: STATUS_LABELS,
    }[enum]
    return [(m.value, labels[m]) for m in enum]


class ModelSource(models.TextChoices):
    COLD_START = "cold_start", "Cold start (literature)"
    REFIT = "refit", "Refit on this organization's history"


class DropoutModel(models.Model):
    """One version of an organization's hazard model: coefficients, scaler and metrics.

    ``parameters`` is ``HazardModel.to_dict()``; at most one version per organization is
    active, and when none is, the cold-start model is used.
    """

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="dropout_models"
    )
    version = models.PositiveIntegerField()
    source = models.CharField(max_length=16, choices=ModelSource.choices)
    parameters = models.JSONField()
    metrics = models.JSONField(default=dict)
    is_active = models.BooleanField(default=False)
    decision = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organization", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "version"], name="unique_dropout_model_version"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_active=True),
                name="one_active_dropout_model",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} dropout model v{self.version} ({self.source})"


class OutreachAlert(models.Model):
    """A prompt to reach out to one man, with the score and reasons as they were then."""

    data_class = DataClass.THERAPEUTIC

    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.CASCADE, related_name="outreach_alerts"
    )
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_two = models.FloatField(help_text="P(drop out within the next two sessions).")
    before_completion = models.FloatField()
    band = models.CharField(max_length=16)
    factors = models.JSONField(default=list)
    model_version = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=_choices(OutreachStatus), default=OutreachStatus.OPEN
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=_choices(OutreachOutcome), blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["enrollment", "status"])]

    def __str__(self) -> str:
        return f"outreach {self.pk} for enrollment {self.enrollment_id}: {self.status}"


class OutreachAction(models.Model):
    data_class = DataClass.THERAPEUTIC

    alert = models.ForeignKey(OutreachAlert, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=32, choices=_choices(ActionKind))
    note = models.CharField(max_length=500, blank=True)
    done_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["done_on", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.done_on}"


class StoredOutlook(models.Model):
    """A man's current dropout outlook, as the model last computed it from his record.

    Derived data: recomputed from attendance and measures (never edited), so it keeps no
    history; ``computed_on`` and ``model_version`` tell a page whether it is due again.
    """

    data_class = DataClass.THERAPEUTIC

    enrollment = models.OneToOneField(
        "participants.Enrollment", on_delete=models.CASCADE, related_name="stored_outlook"
    )
    next_two = models.FloatField(help_text="P(drop out within the next two sessions).")
    before_completion = models.FloatField()
    band = models.CharField(max_length=16)
    factors = models.JSONField(default=list)
    #: The active stored model's version, or None for the literature cold start.
    model_version = models.PositiveIntegerField(null=True, blank=True)
    #: The day (program time zone) whose record it was computed from: his age is counted then.
    computed_on = models.DateField()
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"outlook of enrollment {self.enrollment_id}: {self.band}"
