"""Follow-up after the program: what was searched or asked (FollowUp) and what was found
(OutcomeEvent).

A ``FollowUp`` is the denominator: an official-record search over a window, or a partner
interview at 6 or 12 months covering the months since exit or the last interview. Without it
an absence of events means nothing, so the analysis censors each man at the end of his latest
follow-up from the source in question (``alliance.core.outcomes.followup``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from alliance.core.outcomes.followup import OutcomeKind, Source
from alliance.data_classes import DataClass
from alliance.organizations.models import Organization
from alliance.participants.models import Participant


def _choices(values: type[Source] | type[OutcomeKind]) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ").capitalize()) for m in values]


class FollowUpImport(models.Model):
    """One CSV file imported: who brought which records in, and when."""

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    rows = models.PositiveIntegerField()
    follow_ups = models.PositiveIntegerField()
    events = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows} rows)"


class FollowUp(models.Model):
    data_class = DataClass.REPORTABLE
    #: A partner follow-up reveals that she was contacted, even when it found nothing.
    data_class_partner_rows = models.Q(source=Source.PARTNER_REPORT)

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="follow_ups"
    )
    source = models.CharField(max_length=24, choices=_choices(Source))
    window_start = models.DateField()
    window_end = models.DateField(help_text="Last day the search or the interview covers.")
    checkpoint_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Partner interviews only: 6 or 12."
    )
    imported_in = models.ForeignKey(
        FollowUpImport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_up_rows",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant_id", "source", "window_end"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gte=models.F("window_start")),
                name="follow_up_window_ordered",
            ),
            models.UniqueConstraint(
                fields=["participant", "source", "window_start", "window_end"],
                name="unique_follow_up_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.window_start}–{self.window_end}"


class OutcomeEvent(models.Model):
    data_class = DataClass.REPORTABLE
    #: A partner follow-up reveals that she was contacted, even when it found nothing.
    data_class_partner_rows = models.Q(source=Source.PARTNER_REPORT) | models.Q(
        kind__startswith="partner_"
    )

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="outcome_events"
    )
    kind = models.CharField(max_length=40, choices=_choices(OutcomeKind))
    source = models.CharField(max_length=24, choices=_choices(Source))
    occurred_on = models.DateField()
    imported_in = models.ForeignKey(
        FollowUpImport, null=True, blank=True, on_delete=models.PROTECT, related_name="event_rows"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant_id", "occurred_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind", "occurred_on"], name="unique_outcome_event"
            )
        ]
        indexes = [models.Index(fields=["source", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} on {self.occurred_on}"


class EvaluationSnapshot(models.Model):
    """The program evaluation last computed for one set of programs, and whether it is due.

    Computing it takes tens of seconds at 10,000 men, so a background task does it
    (alliance/outcomes/evaluation_store.py) and the page shows this stored result with its
    time. ``fingerprint`` says which state of the records it was computed from; when the
    records have moved on, ``requested_fingerprint`` marks the recomputation under way.
    Aggregates only (curves, counts, effect sizes): no path to any man, never exported.
    """

    data_class = DataClass.THERAPEUTIC

    #: The programs' ids, ascending, comma-separated ("" for none).
    scope = models.CharField(max_length=1000, unique=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    #: The report's parts as the page renders them (pickled; written only by the task).
    parts = models.BinaryField(null=True, blank=True)
    requested_fingerprint = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"evaluation of programs [{self.scope}] computed {self.computed_at}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Being produced"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ResearchExport(models.Model):
    """One de-identified research export: asked for on the page, produced by a background task,
    downloadable until ``expires_at``, after which its file is deleted.

    De-identified per-man data (scores among them), so therapeutic; no path to any man (study
    ids are random per export) and never part of any other export.
    """

    data_class = DataClass.THERAPEUTIC

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    #: The programs it covers (ids); the downloader must see every one of them.
    program_ids = models.JSONField(default=list)
    file_format = models.CharField(max_length=16)
    date_mode = models.CharField(max_length=16)
    produced_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    enrollments = models.PositiveIntegerField(default=0)
    men = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"research export {self.pk} ({self.file_format}, {self.status})"
