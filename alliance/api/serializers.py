"""What the API shows of each record: pseudonymous codes, never identity, never partner data,
never free-text clinical notes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.core.vocabulary import AttendanceMark
from alliance.measures.models import Administration, Score
from alliance.participants.models import Enrollment, Participant
from alliance.programs.models import Attendance, Group, Program, Session
from alliance.reports.models import SentDocument


class ProgramSerializer(serializers.ModelSerializer[Program]):
    site = serializers.CharField(source="site.name", read_only=True)

    class Meta:
        model = Program
        fields = ["id", "name", "site"]


class GroupSerializer(serializers.ModelSerializer[Group]):
    meeting_time = serializers.SerializerMethodField(
        help_text="Local time at the group's site, HH:MM."
    )

    @extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"})
    def get_meeting_time(self, group: Group) -> str:
        return group.meeting_time.strftime("%H:%M")

    class Meta:
        model = Group
        fields = ["id", "program", "name", "kind", "starts_on", "meeting_time", "is_active"]


class SessionSerializer(serializers.ModelSerializer[Session]):
    class Meta:
        model = Session
        fields = ["id", "group", "held_on", "starts_at", "topic", "status"]


class ParticipantSerializer(serializers.ModelSerializer[Participant]):
    class Meta:
        model = Participant
        fields = ["id", "code", "created_at"]


class EnrollmentSerializer(serializers.ModelSerializer[Enrollment]):
    participant_code = serializers.CharField(source="participant.code", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "participant",
            "participant_code",
            "program",
            "group",
            "status",
            "referral_source",
            "referred_on",
            "started_on",
            "ended_on",
            "attended_count",
            "standing",
        ]


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    class Meta:
        model = Attendance
        fields = ["id", "session", "enrollment", "mark", "minutes_late", "is_makeup", "revision"]


class AttendanceWriteSerializer(serializers.Serializer[dict[str, Any]]):
    """One mark, as the attendance page takes it (the same service records it)."""

    session = serializers.IntegerField(min_value=1)
    enrollment = serializers.IntegerField(min_value=1)
    mark = serializers.ChoiceField(choices=[m.value for m in AttendanceMark])
    minutes_late = serializers.IntegerField(min_value=0, max_value=600, default=0)
    expected_revision = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class ScoreSerializer(serializers.ModelSerializer[Score]):
    class Meta:
        model = Score
        fields = ["scale_id", "value", "band", "missing"]


class AdministrationSerializer(serializers.ModelSerializer[Administration]):
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Administration
        fields = [
            "id",
            "enrollment",
            "instrument_id",
            "instrument_version",
            "occasion",
            "respondent",
            "channel",
            "status",
            "administered_on",
            "scores",
        ]


class SentDocumentSerializer(serializers.ModelSerializer[SentDocument]):
    class Meta:
        model = SentDocument
        fields = [
            "id",
            "kind",
            "program",
            "enrollment",
            "period_start",
            "period_end",
            "recipient_kind",
            "recipient_organization",
            "sent_at",
            "pdf_sha256",
            "corrects",
        ]
