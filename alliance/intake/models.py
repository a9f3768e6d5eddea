"""Intake: the appointment, the structured assessment, external risk scores, the placement and
the treatment plan (bip_standards.md, gap 5: WAC 388-60B-0400, DVOMB, Rhode Island, Texas).

The assessment and its collateral contacts are therapeutic (``alliance.data_classes``): they
never reach a court document, the research export or a log. A facilitator reads the treatment
plan and the placement level, never the assessment (``alliance.intake.permissions``).

External risk instruments (ODARA, SARA, DVSI-R, B-SAFER, DVRNA, ...) are licensed work of their
authors: Alliance records the instrument's name, version, score, band, assessor and date, never
its items (docs/DESIGN, "Instruments and copyright").

The participant agreement (versioned text per program, signed copies kept as PDFs) and
uploaded documents hold files: those are encrypted at rest with the partner compartment's key
(``alliance.encryption.EncryptedBinaryField``) and leave only in his own data-rights export.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.data_classes import DataClass
from alliance.encryption import EncryptedBinaryField
from alliance.organizations.models import Site
from alliance.participants.models import Enrollment
from alliance.programs.models import Program

#: Free text in the assessment is bounded: a structured record, not a transcript.
NOTE_CHARS = 2000
SHORT_NOTE_CHARS = 1000


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    KEPT = "kept", "Kept"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class IntakeAppointment(models.Model):
    """One individual intake appointment: when, where, with whom, and whether it was kept."""

    data_class = DataClass.REPORTABLE

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="intake_appointments"
    )
    starts_at = models.DateTimeField()
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    with_whom = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"intake appointment at {self.starts_at:%Y-%m-%d %H:%M} ({self.status})"


class Answer(models.TextChoices):
    """A screening question's answer; "not asked" stays distinct from "no"."""

    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known / declined"
    NOT_ASKED = "not_asked", "Not asked yet"


class SubstanceUse(models.TextChoices):
    NONE = "none", "No current use of concern"
    SOME = "some", "Use, not a current concern"
    CONCERN = "concern", "Use of concern"
    DEPENDENCE = "dependence", "Possible dependence: refer for assessment"
    NOT_ASKED = "not_asked", "Not asked yet"


class ProtectiveOrder(models.TextChoices):
    NONE = "none", "None known"
    ACTIVE = "active", "Active order"
    EXPIRED = "expired", "Expired order"
    UNKNOWN = "unknown", "Not known"


class Assessment(models.Model):
    """The structured intake assessment of one enrollment; each save kept in its history.

    Yes/no screens are choices (so "not asked" differs from "no"), each with bounded notes.
    """

    data_class = DataClass.THERAPEUTIC
    #: Whether an order exists is a legal fact the court holds already; the assessment's
    #: dates say only that one was done. Everything else is what he told the assessor.
    data_class_fields = {
        "protective_order": DataClass.REPORTABLE,
        "completed_on": DataClass.REPORTABLE,
    }

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="intake_assessment"
    )
    violence_history = models.CharField(max_length=NOTE_CHARS, blank=True)
    most_recent_incident = models.CharField(max_length=NOTE_CHARS, blank=True)
    threats = models.CharField(max_length=16, choices=Answer.choices, default=Answer.NOT_ASKED)
    threats_notes = models.CharField(max_length=SHORT_NOTE_CHARS, blank=True)
    weapons_access = models.CharField(
        max_length=16, choices=Answer.choices, default=Answer.NOT_ASKED
    )
    weapons_notes = models.CharField(max_length=SHORT_NOTE_CHARS, blank=True)
    strangulation = models.CharField(
        max_length=16, choices=Answer.choices, default=Answer.NOT_ASKED
    )
    strangulation_notes = models.CharField(max_length=SHORT_NOTE_CHARS, blank=True)
    stalking = models.CharField(max_length=16, choices=Answer.choices, default=Answer.NOT_ASKED)
    stalking_notes = models.CharField(max_length=SHORT_NOTE_CHARS, blank=True)
    substance_use = models.CharField(
        max_length=16, choices=SubstanceUse.choices, default=SubstanceUse.NOT_ASKED
    )
    substance_notes = models.CharField(max_length=SHORT_NOTE_CHARS, blank=True)
    mental_health_notes = models.CharField(max_length=SHORT_NOTE_CHARS, blank=True)
    prior_treatment_notes = models.CharField(max_length=SHORT_NOTE_CHARS, blank=True)
    children_in_home = models.CharField(
        max_length=16, choices=Answer.choices, default=Answer.NOT_ASKED
    )
    children_notes = models.CharField(max_length=SHORT_NOTE_CHARS, blank=True)
    protective_order = models.CharField(
        max_length=16, choices=ProtectiveOrder.choices, default=ProtectiveOrder.UNKNOWN
    )
    protective_order_notes = models.CharField(max_length=SHORT_NOTE_CHARS, blank=True)
    summary = models.CharField(max_length=NOTE_CHARS, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"intake assessment of enrollment {self.enrollment_id}"


class CollateralSource(models.TextChoices):
    """Who else was asked. His partner is not among them: what she says is partner-safety
    data and stays in the partner-safety worker's compartment (docs/partner-safety.md)."""

    POLICE_REPORT = "police_report", "Police report"
    PROBATION = "probation", "Probation or parole officer"
    COURT_RECORD = "court_record", "Court record"
    CHILD_PROTECTION = "child_protection", "Child protection worker"
    PRIOR_PROVIDER = "prior_provider", "Earlier treatment provider"
    OTHER_PROFESSIONAL = "other_professional", "Other professional"


class CollateralContact(models.Model):
    """One collateral source contacted for the assessment, and what it said."""

    data_class = DataClass.THERAPEUTIC

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="collateral_contacts"
    )
    source = models.CharField(max_length=24, choices=CollateralSource.choices)
    contacted_on = models.DateField()
    what_they_said = models.CharField(max_length=SHORT_NOTE_CHARS)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["contacted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.source} contacted on {self.contacted_on}"


class RiskScore(models.Model):
    """An external risk instrument's result, scored by a trained assessor; never its items.

    Every score is kept here; the most recent one is also copied to the man's
    ``Participant.risk_*`` fields, which the research export and the dropout model read.
    """

    data_class = DataClass.REPORTABLE
    data_class_fields = {"assessor": DataClass.IDENTITY}

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="risk_scores")
    instrument = models.CharField(max_length=64)
    instrument_version = models.CharField(max_length=32, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2)
    band = models.CharField(max_length=32, blank=True)
    assessor = models.CharField(max_length=120)
    assessed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["assessed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.instrument} {self.score} on {self.assessed_on}"


class Level(models.TextChoices):
    """Treatment levels of WAC 388-60B-0400 (minimum lengths 6/9/12/18 months), and screening
    out (Rhode Island: a man unsuitable for group goes back to court with the reasons)."""

    LEVEL_1 = "level_1", "Level 1 (at least 6 months)"
    LEVEL_2 = "level_2", "Level 2 (at least 9 months)"
    LEVEL_3 = "level_3", "Level 3 (at least 12 months)"
    LEVEL_4 = "level_4", "Level 4 (at least 18 months)"
    NOT_SUITABLE = "not_suitable", "Not suitable for group: back to the referral source"


class Placement(models.Model):
    """A treatment level decided for an enrollment, with its reason. The latest one applies;
    earlier ones stay as the record of level changes (WAC: documented, supervisor-approved)."""

    data_class = DataClass.REPORTABLE
    data_class_fields = {"reason": DataClass.THERAPEUTIC}

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="placements")
    level = models.CharField(max_length=16, choices=Level.choices)
    reason = models.CharField(max_length=SHORT_NOTE_CHARS)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.level} from {self.decided_on}"


class TreatmentPlan(models.Model):
    """His individual treatment plan: its focus and when it is next reviewed.

    Its goals are accountability-plan goals (``practice.PlanGoal``), created through
    ``practice.services.add_plan_goal`` and tied to the plan by :class:`TreatmentPlanGoal`,
    so the facilitator follows them where she follows every other goal.
    """

    data_class = DataClass.THERAPEUTIC
    data_class_fields = {"written_on": DataClass.REPORTABLE, "review_on": DataClass.REPORTABLE}

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="treatment_plan"
    )
    focus = models.CharField(max_length=NOTE_CHARS, blank=True)
    written_on = models.DateField()
    review_on = models.DateField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"treatment plan of enrollment {self.enrollment_id}"


class TreatmentPlanGoal(models.Model):
    """Which accountability-plan goals came from the treatment plan."""

    data_class = DataClass.THERAPEUTIC

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="plan_goals")
    goal = models.OneToOneField(
        "practice.PlanGoal", on_delete=models.CASCADE, related_name="treatment_plan_link"
    )

    def __str__(self) -> str:
        return f"goal {self.goal_id} of plan {self.plan_id}"


class AgreementVersion(models.Model):
    """One version of a program's participant agreement text; editing writes a new version."""

    data_class = DataClass.OPERATIONAL

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="agreement_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="unique_agreement_version")
        ]

    def __str__(self) -> str:
        return f"agreement version {self.number} of program {self.program_id}"


class SignatureMethod(models.TextChoices):
    DRAWN = "drawn", "Typed name and drawn signature"
    TYPED = "typed", 'Typed name and "I agree" confirmation (no drawing)'


class SigningChannel(models.TextChoices):
    TABLET = "tablet", "On the program's tablet (staff opened)"
    PHONE = "phone", "On his phone (one-time link)"


class SignedAgreement(models.Model):
    """His signature on one version of the agreement, and the PDF made of it. Never changed."""

    data_class = DataClass.REPORTABLE
    data_class_fields = {
        "typed_name": DataClass.IDENTITY,
        "signature_png": DataClass.IDENTITY,
        "pdf": DataClass.IDENTITY,
    }

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="signed_agreements"
    )
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(max_length=120)
    method = models.CharField(max_length=8, choices=SignatureMethod.choices)
    signature_png = EncryptedBinaryField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=SigningChannel.choices)
    signed_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = EncryptedBinaryField()
    pdf_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"agreement version {self.version_id} signed at {self.signed_at:%Y-%m-%d}"

    def attachment_name(self, field: str) -> str:
        """The file name his data-rights export gives ``field``."""
        return f"agreement-{self.pk}.pdf" if field == "pdf" else f"signature-{self.pk}.png"


class AgreementLink(models.Model):
    """A one-time phone link to sign the agreement; only the token's SHA-256 is stored."""

    data_class = DataClass.OPERATIONAL
    data_class_fields = {"token_hash": DataClass.SECURITY}

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"agreement link {self.pk}"


class DocumentKind(models.TextChoices):
    COURT_ORDER = "court_order", "Court order"
    RELEASE = "release", "Signed release of information"
    ASSESSMENT = "assessment", "Assessment or evaluation"
    OTHER = "other", "Other"


class DocumentType(models.TextChoices):
    """What an upload may be, as sniffed from its content (``alliance.intake.documents``)."""

    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG image"
    PNG = "image/png", "PNG image"


class ParticipantDocument(models.Model):
    """A document uploaded to his record, encrypted at rest.

    Therapeutic as a whole: an assessment or release says things about him that a court
    document, the research export or a log must not carry.
    """

    data_class = DataClass.THERAPEUTIC
    data_class_fields = {
        "content_type": DataClass.OPERATIONAL,
        "size": DataClass.OPERATIONAL,
        "sha256": DataClass.OPERATIONAL,
        "uploaded_at": DataClass.OPERATIONAL,
    }

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    content_type = models.CharField(max_length=32, choices=DocumentType.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = EncryptedBinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} document {self.pk}"

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
            self.content_type
        ]

    def attachment_name(self, field: str) -> str:
        return f"document-{self.pk}.{self.extension}"
