"""Safety incidents flagged by staff, the actions taken on them, and each program's
duty-to-warn procedure.

An incident is ``partner`` class (``alliance.data_classes``): what he said or did that puts his
partner (or himself) at risk, and what was done about it, which often names her or reveals
that she was warned. So its free text is encrypted at rest and it never reaches him (his
data-rights export leaves the whole model out, as it leaves out the partner compartment), a
facilitator other than the one who flagged it, the research export or a log. Its kind and
date alone are ``clinical-reportable``: a court document may carry them, and only for an
incident the supervisor marked as reportable when closing it (``alliance.incidents.reportable``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.data_classes import DataClass
from alliance.encryption import EncryptedTextField
from alliance.organizations.models import Organization
from alliance.participants.models import Enrollment, Participant
from alliance.programs.models import Program, Session

#: The most a flag, an action note or a closing note may hold, in characters.
MAX_ACCOUNT_CHARS = 2000
MAX_NOTE_CHARS = 1000


class IncidentKind(models.TextChoices):
    THREAT = "threat", "Threat"
    NEW_VIOLENCE = "new_violence", "New violence disclosed or seen"
    WEAPON = "weapon", "Weapon"
    SUICIDE_RISK = "suicide_risk", "Suicide risk"
    ORDER_VIOLATION = "order_violation", "Protective-order violation"
    OTHER = "other", "Other safety concern"


#: Kinds whose occurrence (kind and date only) a supervisor may report to a court. Suicide
#: risk is his health, not a fact a mandate makes reportable; "other" says too little.
COURT_REPORTABLE_KINDS = frozenset(
    {
        IncidentKind.THREAT,
        IncidentKind.NEW_VIOLENCE,
        IncidentKind.WEAPON,
        IncidentKind.ORDER_VIOLATION,
    }
)


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class DutyToWarnProcedure(models.Model):
    """What staff must do when an incident is flagged, and how soon.

    One row per organization with ``program`` empty (the default) and at most one per program
    (which replaces the default for that program). Without any row the built-in clocks apply
    (``alliance.incidents.selectors.DEFAULT_PROCEDURE``).
    """

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(
        max_length=5000,
        help_text="The steps staff follow: who is called, in what order, what is written down.",
    )
    respond_within_hours = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(168)]
    )
    immediate_within_hours = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="When the person flagging says there is immediate risk.",
    )
    partner_notice_business_days = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(30)],
        help_text="Business days the partner-safety worker has to tell a partner who asked.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "program"], name="one_procedure_per_program"
            ),
            # NULLs are distinct in a unique index: the default row needs its own constraint.
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(program__isnull=True),
                name="one_default_procedure",
            ),
        ]

    def __str__(self) -> str:
        return f"Duty-to-warn procedure {self.pk}"


class Incident(models.Model):
    data_class = DataClass.PARTNER
    #: The part a court document may carry (for an incident marked reportable).
    data_class_fields = {
        "kind": DataClass.REPORTABLE,
        "occurred_at": DataClass.REPORTABLE,
    }

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="incidents")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="+")
    #: The enrollment's program, kept for scoping lists and choosing the procedure.
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField()
    account = EncryptedTextField(help_text="What was said or seen.")
    immediate_risk = models.BooleanField()
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    flagged_at = models.DateTimeField()
    #: The procedure's clock when it was flagged (a later change of the procedure does not
    #: move a deadline already running).
    respond_by = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closing_note = EncryptedTextField(blank=True)
    court_reportable = models.BooleanField(default=False)
    #: The new offence recorded as an outcome event from this incident (its kind and date).
    offence_kind = models.CharField(max_length=40, blank=True)
    offence_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-flagged_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        # Never the account: __str__ ends up in logs and error pages.
        return f"Incident {self.pk}"


class ActionKind(models.TextChoices):
    PARTNER_CONTACTED = "partner_contacted", "Partner contacted (warned)"
    POLICE_INFORMED = "police_informed", "Police informed"
    SUPERVISOR_CONSULTED = "supervisor_consulted", "Supervisor consulted"
    CRISIS_LINE = "crisis_line", "Crisis line or emergency health service"
    NONE_NEEDED = "none_needed", "No action needed (give the reason)"
    OTHER = "other", "Other action (say what)"


#: Actions that are not understood without a note.
NOTE_REQUIRED = frozenset({ActionKind.NONE_NEEDED, ActionKind.OTHER})


class IncidentAction(models.Model):
    """One thing done about an incident: who, when, what. Never edited."""

    data_class = DataClass.PARTNER

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=24, choices=ActionKind.choices)
    taken_at = models.DateTimeField()
    note = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["taken_at", "pk"]

    def __str__(self) -> str:
        return f"Incident action {self.pk} ({self.kind})"
