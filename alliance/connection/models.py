"""The connection map (his support network by role, never by name) and alumni mentoring.

Everything here is therapeutic data about a man: it never reaches a court, probation or funder
document, nor the research export (docs/connection.md). People in his network are named by
their role only; mentors and mentees are men known to the program by their codes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from alliance.core.connection import ROLE_DETAIL_MAX, Frequency, Supportive
from alliance.data_classes import DataClass


class NetworkRole(models.TextChoices):
    BROTHER = "brother", "Brother"
    SISTER = "sister", "Sister"
    PARENT = "parent", "Parent"
    OTHER_FAMILY = "other_family", "Other family member"
    SPONSOR = "sponsor", "Sponsor (AA, NA or similar)"
    FRIEND = "friend", "Friend"
    FRIEND_FROM_WORK = "friend_from_work", "Friend from work"
    WORKMATE = "workmate", "Workmate"
    FAITH_COMMUNITY = "faith_community", "Faith community"
    COUNSELLOR = "counsellor", "Counsellor"
    NEIGHBOUR = "neighbour", "Neighbour"
    OTHER = "other", "Other (say the role)"


class ContactFrequency(models.TextChoices):
    DAILY = Frequency.DAILY.value, "Daily"
    WEEKLY = Frequency.WEEKLY.value, "Weekly"
    MONTHLY = Frequency.MONTHLY.value, "Monthly"
    RARELY = Frequency.RARELY.value, "Rarely"


class SupportsChange(models.TextChoices):
    YES = Supportive.YES.value, "Supportive of his change"
    MIXED = Supportive.MIXED.value, "Mixed"
    NO = Supportive.NO.value, "Not supportive"
    UNSURE = Supportive.UNSURE.value, "Not sure"


class SupportPerson(models.Model):
    """One person in his network, by role. Their contact and support are in the reviews."""

    data_class = DataClass.THERAPEUTIC

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="support_people"
    )
    role = models.CharField(max_length=24, choices=NetworkRole.choices)
    role_detail = models.CharField(max_length=ROLE_DETAIL_MAX, blank=True)
    added_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["participant", "added_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="other", role_detail__gt="") | ~Q(role="other"),
                name="other_role_says_which",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role_label} of participant {self.participant_id}"

    @property
    def role_label(self) -> str:
        if self.role == NetworkRole.OTHER:
            return self.role_detail
        label = self.get_role_display()
        return f"{label} ({self.role_detail})" if self.role_detail else label


class SupportReview(models.Model):
    """A dated review, recorded by staff with him: contact, support, still in his life."""

    data_class = DataClass.THERAPEUTIC

    person = models.ForeignKey(SupportPerson, on_delete=models.CASCADE, related_name="reviews")
    recorded_on = models.DateField()
    frequency = models.CharField(max_length=8, choices=ContactFrequency.choices)
    supportive = models.CharField(max_length=8, choices=SupportsChange.choices)
    in_network = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "recorded_on", "pk"]
        indexes = [models.Index(fields=["person", "recorded_on"])]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.recorded_on}: {self.frequency}, {self.supportive}"


class Mentor(models.Model):
    """A man who completed the program, vetted by a supervisor to mentor men in it."""

    data_class = DataClass.THERAPEUTIC

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="mentors"
    )
    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.PROTECT, related_name="mentor"
    )
    completed_enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.PROTECT, related_name="+"
    )
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    vetted_on = models.DateField()
    vetting_notes = models.TextField(blank=True, max_length=2000)
    consented_on = models.DateField()
    consent_withdrawn_on = models.DateField(null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "vetted_on", "pk"]

    def __str__(self) -> str:
        return f"Mentor {self.participant_id}"

    @property
    def consents(self) -> bool:
        return self.consent_withdrawn_on is None


class EndReason(models.TextChoices):
    GOAL_MET = "goal_met", "Mentee finished the program"
    MENTEE_WITHDREW = "mentee_withdrew", "Mentee withdrew his consent"
    MENTOR_WITHDREW = "mentor_withdrew", "Mentor withdrew his consent"
    NOT_WORKING = "not_working", "The match was not working"
    SAFETY = "safety", "A safety or suitability concern"
    MENTEE_LEFT = "mentee_left", "Mentee left the program"
    OTHER = "other", "Other"


class Mentorship(models.Model):
    """One mentor matched with one mentee, with the mentee's consent and the mentor's."""

    data_class = DataClass.THERAPEUTIC

    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="matches")
    mentee = models.ForeignKey(
        "participants.Enrollment", on_delete=models.PROTECT, related_name="mentorships"
    )
    mentee_consented_on = models.DateField()
    mentor_consented_on = models.DateField()
    matched_on = models.DateField()
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.CharField(max_length=280, blank=True)
    mentor_told_on = models.DateField(null=True, blank=True)
    mentee_told_on = models.DateField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-matched_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(ended_on__isnull=True), name="one_open_mentor_each"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | (
                    ~Q(end_reason="")
                    & Q(mentor_told_on__isnull=False)
                    & Q(mentee_told_on__isnull=False)
                ),
                name="ended_with_reason_and_both_told",
            ),
        ]

    def __str__(self) -> str:
        return f"Mentor {self.mentor_id} with enrollment {self.mentee_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class ContactMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    TEXT = "text", "Messages"


class MentorContact(models.Model):
    """A logged contact between mentor and mentee. The note is brief and non-clinical."""

    data_class = DataClass.THERAPEUTIC

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="contacts")
    contact_on = models.DateField()
    mode = models.CharField(max_length=12, choices=ContactMode.choices)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    note = models.CharField(max_length=280, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-contact_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.mode} on {self.contact_on}"


class MentoringHold(models.Model):
    """A partner-safety worker's "not suitable for mentoring" on a man, with no reason given.

    The worker places it from the compartment's side; this app never reads partner data, only
    whether a hold is open. A hold blocks matching him as a mentee or vetting him as a mentor.
    """

    data_class = DataClass.OPERATIONAL

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="mentoring_holds"
    )
    placed_on = models.DateField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_on = models.DateField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(lifted_on__isnull=True),
                name="one_open_mentoring_hold",
            )
        ]

    def __str__(self) -> str:
        return f"Mentoring hold on participant {self.participant_id}"
