"""Compassion practice, homework, accountability work and facilitator self-practice.

Everything here is therapeutic material. None of it is reportable: no court, probation or
funder report may read these tables (see ``selectors.reportable_practice``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from alliance.data_classes import DataClass
from alliance.organizations.models import Organization
from alliance.participants.models import Enrollment
from alliance.programs.models import Group, Program, Session

RATING = [MinValueValidator(0), MaxValueValidator(10)]


class Practice(models.Model):
    """A practice in the library. ``organization`` empty: a built-in, shared by every agency."""

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    purpose = models.TextField()
    steps = models.TextField(help_text="One step per line.")
    script = models.TextField(help_text="The guided script, read aloud or followed on a phone.")
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    introduced_in_session = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Curriculum session number that introduces it."
    )
    audio_url = models.URLField(blank=True, help_text="The agency's own recording of the script.")
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["introduced_in_session", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="unique_practice_slug")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def step_list(self) -> list[str]:
        return [s for s in (line.strip() for line in self.steps.splitlines()) if s]


class Assignment(models.Model):
    """Homework: one practice for a whole group or one man, linked to a session, due by a date."""

    data_class = DataClass.THERAPEUTIC

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="assignments")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__isnull=True, enrollment__isnull=False)
                | Q(group__isnull=False, enrollment__isnull=True),
                name="assignment_group_xor_man",
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice} due {self.due_on}"


class PracticeLink(models.Model):
    """A man's phone link to his homework; only the SHA-256 of the token is stored."""

    data_class = DataClass.OPERATIONAL
    data_class_fields = {
        "token_hash": DataClass.SECURITY,
    }

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"practice link {self.pk}"


class LinkAttempt(models.Model):
    """A failed link lookup, by hashed client address, for the rate limit."""

    data_class = DataClass.SECURITY

    client_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"failed link lookup at {self.at}"


class PracticePin(models.Model):
    """His practice code and PIN: the sign-in for a man without his phone link.

    Both are stored only hashed: the code as SHA-256 (it is looked up), the PIN as a password
    hash (Argon2). Neither can be read back; the facilitator sees them once when set.
    """

    data_class = DataClass.OPERATIONAL
    data_class_fields = {
        "code_hash": DataClass.SECURITY,
        "pin_hash": DataClass.SECURITY,
    }

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="practice_pin"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    pin_hash = models.CharField(max_length=200)
    enabled = models.BooleanField(default=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"practice PIN for enrollment {self.enrollment_id}"


class PinAttempt(models.Model):
    """One PIN typed for his code, kept for the per-man limit on wrong PINs."""

    data_class = DataClass.SECURITY

    practice_pin = models.ForeignKey(PracticePin, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    succeeded = models.BooleanField()

    def __str__(self) -> str:
        return f"practice PIN attempt at {self.at}"


class PracticeSession(models.Model):
    """A man signed in with his code and PIN; the cookie holds a key, only its SHA-256 is here."""

    data_class = DataClass.SECURITY

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"practice session {self.pk}"


class Via(models.TextChoices):
    LINK = "link", "His phone link"
    SIGN_IN = "sign_in", "His code and PIN"
    STAFF = "staff", "Entered by staff"


class PracticeLog(models.Model):
    """One time he did (or did not do) a practice, with his state before and after (0–10)."""

    data_class = DataClass.THERAPEUTIC

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="logs")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="logs"
    )
    logged_on = models.DateField()
    done = models.BooleanField()
    minutes = models.PositiveSmallIntegerField(default=0)
    calm_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    calm_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    threat_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    threat_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    connection_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    connection_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    note = models.TextField(blank=True)
    via = models.CharField(max_length=8, choices=Via.choices)
    #: Sent with the form; a retry of the same submission finds this row instead of adding one.
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["logged_on", "pk"]

    def __str__(self) -> str:
        return f"{self.practice_id} on {self.logged_on}"


class AccountabilityLog(models.Model):
    """His structured account of one situation, with the self-check of what he told himself."""

    data_class = DataClass.THERAPEUTIC

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    written_on = models.DateField()
    situation = models.TextField()
    what_he_did = models.TextField()
    what_he_wanted = models.TextField(blank=True)
    belief_then = models.TextField(blank=True)
    effect_on_partner = models.TextField(blank=True)
    effect_on_children = models.TextField(blank=True)
    effect_on_others = models.TextField(blank=True)
    minimising = models.BooleanField(default=False)
    denying = models.BooleanField(default=False)
    blaming = models.BooleanField(default=False)
    could_do_instead = models.TextField(blank=True)
    repair_step = models.TextField(blank=True)
    via = models.CharField(max_length=8, choices=Via.choices)
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"accountability log of {self.written_on}"


class Feedback(models.Model):
    """A facilitator's reply on an accountability log."""

    data_class = DataClass.THERAPEUTIC

    log = models.ForeignKey(AccountabilityLog, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"feedback on log {self.log_id}"


class PlanGoal(models.Model):
    """One goal of his accountability plan, with its next review date and status.

    Every status change is kept as a :class:`PlanGoalChange` (who, when, from, to, why).
    """

    data_class = DataClass.THERAPEUTIC

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        MET = "met", "Met"
        REVISED = "revised", "Revised"
        DROPPED = "dropped", "Dropped"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    goal = models.CharField(max_length=300)
    review_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["review_on", "pk"]

    def __str__(self) -> str:
        return self.goal


class PlanGoalChange(models.Model):
    """One status change of a plan goal: who, when, from what to what, and why.

    The first row of a goal records its setting (``from_status`` empty).
    """

    data_class = DataClass.THERAPEUTIC

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=16, choices=PlanGoal.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PlanGoal.Status.choices)
    note = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"goal {self.goal_id}: {self.from_status or 'set'} to {self.to_status}"


class Supervision(models.Model):
    """Who supervises whom: a supervisor reads the self-practice of these facilitators."""

    data_class = DataClass.OPERATIONAL

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "facilitator"], name="unique_supervision")
        ]

    def __str__(self) -> str:
        return f"{self.supervisor_id} supervises {self.facilitator_id}"


class SelfPractice(models.Model):
    """A facilitator's own practice and reflection."""

    data_class = DataClass.OPERATIONAL

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    practised_on = models.DateField()
    minutes = models.PositiveSmallIntegerField(default=0)
    reflection = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-practised_on", "-pk"]

    def __str__(self) -> str:
        return f"self-practice on {self.practised_on}"


class StateMoment(models.TextChoices):
    BEFORE = "before", "Before group"
    AFTER = "after", "After group"


class FacilitatorState(models.Model):
    """How the facilitator felt before or after running one session, 0-10 each (calm, threat,
    connection): project-authored, not externally validated; private to him and the
    supervisors who supervise him (``Supervision``), never a performance measure
    (docs/pillars.md)."""

    data_class = DataClass.OPERATIONAL

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey("programs.Session", on_delete=models.CASCADE, related_name="+")
    moment = models.CharField(max_length=8, choices=StateMoment.choices)
    calm = models.PositiveSmallIntegerField(validators=RATING)
    threat = models.PositiveSmallIntegerField(validators=RATING)
    connection = models.PositiveSmallIntegerField(validators=RATING)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["facilitator", "session", "moment"], name="one_state_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"state {self.moment} session {self.session_id}"


class ReminderSettings(models.Model):
    """Where reminders go for one man, and whether he wants them at all."""

    data_class = DataClass.IDENTITY

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(blank=True)
    opted_out = models.BooleanField(default=False)
    last_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"reminders for enrollment {self.enrollment_id}"


class DoseEstimate(models.Model):
    """The program's practice-dose analysis, stored so the dashboard reads one row instead of
    fitting a mixed model on every request (``alliance.practice.analysis.dose_estimates``).

    ``per_hour`` empty: no estimate, and ``reason`` says why. ``points`` holds one
    ``[practice minutes, change in score]`` pair per man with two or more scores, no ids.
    """

    data_class = DataClass.OPERATIONAL

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField()
    per_hour = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    per_week = models.FloatField(null=True, blank=True)
    men = models.PositiveIntegerField(default=0)
    observations = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=300, blank=True)
    points = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"dose estimate for program {self.program_id}"

    @property
    def interval_excludes_zero(self) -> bool:
        if self.ci_low is None or self.ci_high is None:
            return False
        return self.ci_low > 0 or self.ci_high < 0
