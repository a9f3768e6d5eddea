"""The REST API: thin views over the pages' own access rules and services.

Every queryset starts from the same ``visible_*`` functions as the pages, so an integration
key acting as a facilitator sees exactly what that facilitator's pages show; a record outside
that scope is 404, as on the pages. Every request lands in the access log (each man it shows,
or one row naming no man).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import django_filters
from django import forms
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api import serializers as s
from alliance.api.models import IdempotentWrite
from alliance.api.openapi import RequiredBodySchema
from alliance.audit.services import record, record_use
from alliance.core.instruments.interchange import (
    InterchangeError,
    export_questionnaire,
)
from alliance.core.instruments.interchange.fhir_responses import ResponsesError, read_responses
from alliance.core.vocabulary import AttendanceMark
from alliance.http import actor
from alliance.measures.errors import MeasureError
from alliance.measures.fhir_responses import (
    ImportRefused,
    administration_bundle,
    import_responses,
)
from alliance.measures.models import Administration
from alliance.measures.registry import definition_for
from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import CLINICAL_ROLES, require_membership
from alliance.participants.models import Enrollment, Participant
from alliance.participants.permissions import visible_participants
from alliance.programs.models import Attendance, Group, Program, Session
from alliance.programs.permissions import access_session, visible_groups, visible_programs
from alliance.programs.services import AttendanceError, EditConflict, record_attendance
from alliance.reports.models import SentDocument
from alliance.reports.permissions import FACILITATOR_KINDS, SEND_ROLES

READ_ROLES = CLINICAL_ROLES | {Role.EVALUATOR}
#: The largest id a database integer holds (a larger one would overflow SQLite's driver).
MAX_ID = 2**63 - 1

_ERROR = OpenApiResponse(
    response=OpenApiTypes.OBJECT, description="A JSON object naming what is wrong."
)
#: Answers every endpoint may give besides its success: a bad filter or page (400, 404),
#: no or a revoked key (401), a role or scope that does not fit (404, as on the pages).
READ_ERRORS = {400: _ERROR, 401: _ERROR, 403: _ERROR, 404: _ERROR}


def _documented(serializer: type) -> Any:
    """The success and error answers of a read-only viewset, for the schema."""
    return extend_schema_view(
        list=extend_schema(responses={200: serializer(many=True), **READ_ERRORS}),
        retrieve=extend_schema(responses={200: serializer, **READ_ERRORS}),
    )


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A record id in a filter: a whole number in the database's range."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$"})
class InstrumentIdFilter(django_filters.CharFilter):
    """An instrument id (``alliance_checkout``, ``scs_sf``)."""


def _django(request: Request) -> HttpRequest:
    return request._request


class _Logged:
    """Writes the access-log subjects of what a response shows.

    Ids in URLs are digits (anything else is 404 before a view runs).
    """

    log_participant: str | None = None  # attribute path from a row to its participant id
    lookup_value_regex = "[0-9]+"

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        if request.user is not None and request.user.is_authenticated:
            record_use(_django(request))
        finished: Response = super().finalize_response(  # type: ignore[misc]
            request, response, *args, **kwargs
        )
        return finished

    def _log(self, request: Request, rows: Any) -> None:
        if self.log_participant is None:
            return
        for row in rows:
            value: Any = row
            for part in self.log_participant.split("."):
                value = getattr(value, part)
            record(_django(request), participant_id=value)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        page = self.paginate_queryset(queryset)  # type: ignore[attr-defined]
        rows = page if page is not None else list(queryset)
        self._log(request, rows)
        serializer = self.get_serializer(rows, many=True)  # type: ignore[attr-defined]
        if page is not None:
            return self.get_paginated_response(serializer.data)  # type: ignore[attr-defined,no-any-return]
        return Response(serializer.data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()  # type: ignore[attr-defined]
        self._log(request, [row])
        return Response(self.get_serializer(row).data)  # type: ignore[attr-defined]


def _membership(request: Request, roles: frozenset[Role] = READ_ROLES) -> Membership:
    return require_membership(request.user, roles)


@_documented(s.ProgramSerializer)
class ProgramViewSet(_Logged, viewsets.ReadOnlyModelViewSet[Program]):
    """Programs at the sites the key (or staff member) covers."""

    serializer_class = s.ProgramSerializer

    queryset = Program.objects.none()  # the schema's model; rows come from get_queryset

    def get_queryset(self) -> QuerySet[Program]:
        if getattr(self, "swagger_fake_view", False):
            return Program.objects.none()
        return visible_programs(_membership(self.request)).select_related("site").order_by("pk")


class GroupFilter(django_filters.FilterSet):
    # Plain numbers, not choices: an id outside the caller's scope filters to nothing
    # (a choice field would answer 400 and so tell that the id exists elsewhere).
    program = IdFilter(field_name="program_id")

    class Meta:
        model = Group
        fields = ["program", "is_active"]


@_documented(s.GroupSerializer)
class GroupViewSet(_Logged, viewsets.ReadOnlyModelViewSet[Group]):
    serializer_class = s.GroupSerializer
    filterset_class = GroupFilter

    queryset = Group.objects.none()  # the schema's model; rows come from get_queryset

    def get_queryset(self) -> QuerySet[Group]:
        if getattr(self, "swagger_fake_view", False):
            return Group.objects.none()
        return visible_groups(_membership(self.request, CLINICAL_ROLES)).order_by("pk")


class SessionFilter(django_filters.FilterSet):
    group = IdFilter(field_name="group_id")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Session
        fields = ["group", "status", "held_after", "held_before"]


@_documented(s.SessionSerializer)
class SessionViewSet(_Logged, viewsets.ReadOnlyModelViewSet[Session]):
    serializer_class = s.SessionSerializer
    filterset_class = SessionFilter

    queryset = Session.objects.none()  # the schema's model; rows come from get_queryset

    def get_queryset(self) -> QuerySet[Session]:
        if getattr(self, "swagger_fake_view", False):
            return Session.objects.none()
        groups = visible_groups(_membership(self.request, CLINICAL_ROLES))
        return Session.objects.filter(group__in=groups).order_by("held_on", "pk")


@_documented(s.ParticipantSerializer)
class ParticipantViewSet(_Logged, viewsets.ReadOnlyModelViewSet[Participant]):
    """Men by pseudonymous code only: no name, contact, case reference or free text."""

    serializer_class = s.ParticipantSerializer
    log_participant = "pk"

    queryset = Participant.objects.none()  # the schema's model; rows come from get_queryset

    def get_queryset(self) -> QuerySet[Participant]:
        if getattr(self, "swagger_fake_view", False):
            return Participant.objects.none()
        return visible_participants(_membership(self.request, CLINICAL_ROLES)).order_by("pk")


class EnrollmentFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    group = IdFilter(field_name="group_id")
    participant = IdFilter(field_name="participant_id")

    class Meta:
        model = Enrollment
        fields = ["program", "group", "status", "participant"]


@_documented(s.EnrollmentSerializer)
class EnrollmentViewSet(_Logged, viewsets.ReadOnlyModelViewSet[Enrollment]):
    serializer_class = s.EnrollmentSerializer
    filterset_class = EnrollmentFilter
    log_participant = "participant_id"

    queryset = Enrollment.objects.none()  # the schema's model; rows come from get_queryset

    def get_queryset(self) -> QuerySet[Enrollment]:
        if getattr(self, "swagger_fake_view", False):
            return Enrollment.objects.none()
        membership = _membership(self.request, CLINICAL_ROLES)
        return (
            Enrollment.objects.filter(
                participant__in=visible_participants(membership),
                program__in=visible_programs(membership),
            )
            .select_related("participant")
            .order_by("pk")
        )


class AttendanceFilter(django_filters.FilterSet):
    session = IdFilter(field_name="session_id")
    enrollment = IdFilter(field_name="enrollment_id")

    class Meta:
        model = Attendance
        fields = ["session", "enrollment"]


@_documented(s.AttendanceSerializer)
class AttendanceViewSet(
    _Logged,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Attendance],
):
    """Attendance marks; POST records one through the attendance page's own service."""

    serializer_class = s.AttendanceSerializer
    filterset_class = AttendanceFilter
    log_participant = "enrollment.participant_id"

    queryset = Attendance.objects.none()  # the schema's model; rows come from get_queryset

    def get_queryset(self) -> QuerySet[Attendance]:
        if getattr(self, "swagger_fake_view", False):
            return Attendance.objects.none()
        membership = _membership(self.request, CLINICAL_ROLES)
        return (
            Attendance.objects.filter(
                session__group__in=visible_groups(membership),
                enrollment__participant__in=visible_participants(membership),
            )
            .select_related("enrollment")
            .order_by("pk")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="The same key with the same body replays the first answer and "
                "writes nothing again (1-100 characters).",
            )
        ],
        request=s.AttendanceWriteSerializer,
        responses={
            201: s.AttendanceSerializer,
            **READ_ERRORS,
            409: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="The mark changed since the revision you sent, or the "
                "Idempotency-Key was used for a different request.",
            ),
            422: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="He may not be marked at this session (not yet assigned, the "
                "session cancelled, ...).",
            ),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _membership(request, CLINICAL_ROLES)  # a role that may not mark anyone: 404 first
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 100:
            raise ValidationError(
                {"Idempotency-Key": "Send an Idempotency-Key header (1-100 characters)."}
            )
        form = s.AttendanceWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        fingerprint = hashlib.sha256(
            json.dumps(data, sort_keys=True, default=str).encode()
        ).hexdigest()
        user = actor(_django(request))
        earlier = IdempotentWrite.objects.filter(user=user, key=key).first()
        if earlier is not None:
            return _replay(earlier, fingerprint)
        try:
            with transaction.atomic():
                answer = self._record(request, data)
                IdempotentWrite.objects.create(
                    user=user,
                    key=key,
                    request_sha256=fingerprint,
                    status=answer.status_code,
                    body=answer.data,
                )
        except IntegrityError:
            # The same key raced in from a second connection: answer as the first did.
            earlier = IdempotentWrite.objects.get(user=user, key=key)
            return _replay(earlier, fingerprint)
        return answer

    def _record(self, request: Request, data: dict[str, Any]) -> Response:
        session = access_session(request.user, data["session"])
        membership = _membership(request, CLINICAL_ROLES)
        enrollment = Enrollment.objects.filter(
            pk=data["enrollment"],
            program=session.group.program,
            participant__in=visible_participants(membership),
        ).first()
        if enrollment is None:
            raise Http404("No such participant in this session's program.")
        record(_django(request), participant_id=enrollment.participant_id)
        try:
            attendance = record_attendance(
                actor=actor(_django(request)),
                session=session,
                enrollment=enrollment,
                mark=AttendanceMark(data["mark"]),
                minutes_late=data.get("minutes_late", 0),
                expected_revision=data.get("expected_revision"),
            )
        except EditConflict as exc:
            return Response(
                {"detail": str(exc), "current_revision": exc.current_revision},
                status=status.HTTP_409_CONFLICT,
            )
        except AttendanceError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(s.AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)


def _replay(earlier: IdempotentWrite, fingerprint: str) -> Response:
    if earlier.request_sha256 != fingerprint:
        return Response(
            {"detail": "This Idempotency-Key was used for a different request."},
            status=status.HTTP_409_CONFLICT,
        )
    return Response(earlier.body, status=earlier.status, headers={"Idempotent-Replayed": "true"})


class AdministrationFilter(django_filters.FilterSet):
    enrollment = IdFilter(field_name="enrollment_id")
    instrument_id = InstrumentIdFilter(field_name="instrument_id")
    administered_after = django_filters.DateFilter(field_name="administered_on", lookup_expr="gte")

    class Meta:
        model = Administration
        fields = ["enrollment", "instrument_id", "status", "administered_after"]


@_documented(s.AdministrationSerializer)
class AdministrationViewSet(_Logged, viewsets.ReadOnlyModelViewSet[Administration]):
    """Questionnaires and check-outs with their scores (answers to single items stay in
    Alliance; the FHIR export carries them)."""

    serializer_class = s.AdministrationSerializer
    filterset_class = AdministrationFilter
    log_participant = "enrollment.participant_id"

    queryset = Administration.objects.none()  # the schema's model; rows come from get_queryset

    def get_queryset(self) -> QuerySet[Administration]:
        if getattr(self, "swagger_fake_view", False):
            return Administration.objects.none()
        membership = _membership(self.request, CLINICAL_ROLES)
        return (
            Administration.objects.filter(
                enrollment__participant__in=visible_participants(membership),
                enrollment__program__in=visible_programs(membership),
            )
            .select_related("enrollment")
            .prefetch_related("scores")
            .order_by("pk")
        )


class SentDocumentFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    enrollment = IdFilter(field_name="enrollment_id")

    class Meta:
        model = SentDocument
        fields = ["program", "enrollment", "kind", "recipient_kind"]


@_documented(s.SentDocumentSerializer)
class SentDocumentViewSet(_Logged, viewsets.ReadOnlyModelViewSet[SentDocument]):
    """What was sent to whom and when (metadata; the document itself stays on its page)."""

    serializer_class = s.SentDocumentSerializer
    filterset_class = SentDocumentFilter

    queryset = SentDocument.objects.none()  # the schema's model; rows come from get_queryset

    def get_queryset(self) -> QuerySet[SentDocument]:
        if getattr(self, "swagger_fake_view", False):
            return SentDocument.objects.none()
        membership = _membership(self.request, CLINICAL_ROLES)
        documents = SentDocument.objects.filter(program__in=visible_programs(membership)).order_by(
            "pk"
        )
        if membership.role in SEND_ROLES:
            return documents
        return documents.filter(
            kind__in=list(FACILITATOR_KINDS),
            enrollment__participant__in=visible_participants(membership),
        )

    def _log(self, request: Request, rows: Any) -> None:
        for row in rows:
            if row.enrollment_id is not None:
                record(_django(request), enrollment_id=row.enrollment_id)


# --- FHIR: questionnaires out, one administration as a Bundle ------------------------------


class FhirJSONRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class FhirJSONParser(JSONParser):
    media_type = "application/fhir+json"


@extend_schema(
    parameters=[
        OpenApiParameter(
            "instrument_id",
            {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$"},
            OpenApiParameter.PATH,
        )
    ],
    responses={200: OpenApiTypes.OBJECT, **READ_ERRORS},
    description="A bundled or program instrument as a FHIR R4 Questionnaire (wording only "
    "where the instrument's licence lets Alliance hold it).",
)
class QuestionnaireView(APIView):
    renderer_classes = [JSONRenderer, FhirJSONRenderer]

    def get(self, request: Request, instrument_id: str) -> Response:
        _membership(request)
        try:
            definition = definition_for(instrument_id)
        except LookupError:
            raise Http404("No such instrument.") from None
        record_use(_django(request))
        return Response(export_questionnaire(definition))


@extend_schema(
    parameters=[
        OpenApiParameter(
            "pk", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, OpenApiParameter.PATH
        )
    ],
    responses={200: OpenApiTypes.OBJECT, **READ_ERRORS},
    description="One completed administration as a FHIR R4 collection Bundle: a "
    "QuestionnaireResponse (numeric answers; free-text answers stay in Alliance) and one "
    "Observation per scale score. The subject is the API's participant id.",
)
class AdministrationBundleView(APIView):
    renderer_classes = [JSONRenderer, FhirJSONRenderer]

    def get(self, request: Request, pk: int) -> Response:
        membership = _membership(request, CLINICAL_ROLES)
        # The path takes any signed whole number (so a negative one gets this API's JSON 404,
        # not the site's HTML one); only a positive id in the database's range is an id.
        if not 0 < pk <= MAX_ID:
            raise Http404("No such administration.")
        administration = (
            Administration.objects.filter(
                pk=pk,
                enrollment__participant__in=visible_participants(membership),
                enrollment__program__in=visible_programs(membership),
            )
            .select_related("enrollment")
            .first()
        )
        if administration is None:
            raise Http404("No such administration.")
        record(_django(request), participant_id=administration.enrollment.participant_id)
        if administration.status != "complete":
            raise ValidationError({"status": "Only a completed administration is exported."})
        try:
            bundle = administration_bundle(administration)
        except (MeasureError, InterchangeError) as exc:
            raise ValidationError({"answers": str(exc)}) from None
        return Response(bundle)


QUESTIONNAIRE_RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["resourceType", "status", "questionnaire", "subject", "authored", "item"],
    "properties": {
        "resourceType": {"type": "string", "enum": ["QuestionnaireResponse"]},
        "status": {"type": "string", "enum": ["completed", "amended"]},
        "questionnaire": {
            "type": "string",
            "pattern": "^https://alliance[.]example/fhir/Questionnaire/[a-z][a-z0-9-]{0,63}$",
        },
        "subject": {
            "type": "object",
            "required": ["reference"],
            "properties": {"reference": {"type": "string", "pattern": "^Patient/[1-9][0-9]{0,8}$"}},
        },
        "authored": {
            "type": "string",
            "pattern": "^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$",
        },
        "identifier": {
            "type": "object",
            "properties": {"system": {"type": "string"}, "value": {"type": "string"}},
        },
        "item": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["linkId"],
                "properties": {
                    "linkId": {"type": "string"},
                    "answer": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"valueInteger": {"type": "integer"}},
                        },
                    },
                },
            },
        },
    },
}


@extend_schema(
    parameters=[
        OpenApiParameter(
            "Idempotency-Key",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            required=False,
            description="Needed when the resource has no identifier: the same key with the "
            "same body replays the first answer and writes nothing again (1-100 characters).",
        )
    ],
    request={"application/json": QUESTIONNAIRE_RESPONSE_SCHEMA},
    responses={
        201: OpenApiTypes.OBJECT,
        200: OpenApiTypes.OBJECT,
        **READ_ERRORS,
        409: _ERROR,
        422: OpenApiResponse(
            response=OpenApiTypes.OBJECT,
            description="Refused, nothing written: 'problems' names each linkId.",
        ),
    },
    description="Store a completed FHIR R4 QuestionnaireResponse (or a Bundle of them) as "
    "completed forms, with the same checks and scoring as a form: all or nothing. The man is "
    "Patient/<participant id>; the questionnaire is the canonical URL Alliance exports. "
    "Idempotent by the resource's identifier, or by the Idempotency-Key header.",
)
class QuestionnaireResponseView(APIView):
    schema = RequiredBodySchema()
    renderer_classes = [JSONRenderer, FhirJSONRenderer]
    parser_classes = [JSONParser, FhirJSONParser]

    def post(self, request: Request) -> Response:
        membership = _membership(request, CLINICAL_ROLES)  # may write answers, as a form
        if not isinstance(request.data, dict):
            raise ValidationError({"resourceType": "Send one JSON object."})
        try:
            parsed = read_responses(json.dumps(request.data))
        except ResponsesError as exc:
            raise ValidationError({"resourceType": str(exc)}) from None
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100 or (not key and any(p.identifier is None for p in parsed)):
            raise ValidationError(
                {
                    "Idempotency-Key": "Give the resource an identifier, or send an "
                    "Idempotency-Key header (1-100 characters)."
                }
            )
        self._named_things_exist(membership, parsed)
        if not key:
            return self._store(request, membership, parsed)
        fingerprint = hashlib.sha256(
            json.dumps(request.data, sort_keys=True, default=str).encode()
        ).hexdigest()
        user = actor(_django(request))
        earlier = IdempotentWrite.objects.filter(user=user, key=key).first()
        if earlier is not None:
            return _replay(earlier, fingerprint)
        try:
            with transaction.atomic():
                answer = self._store(request, membership, parsed)
                if answer.status_code < 300:
                    IdempotentWrite.objects.create(
                        user=user,
                        key=key,
                        request_sha256=fingerprint,
                        status=answer.status_code,
                        body=answer.data,
                    )
        except IntegrityError:
            earlier = IdempotentWrite.objects.get(user=user, key=key)
            return _replay(earlier, fingerprint)
        return answer

    @staticmethod
    def _named_things_exist(membership: Membership, parsed: list[Any]) -> None:
        """A questionnaire Alliance does not have, or a man this key may not see: 404, as
        for a GET of either (never telling whether the man exists elsewhere)."""
        visible = visible_participants(membership)
        for response in parsed:
            if response.instrument_id is not None:
                try:
                    definition_for(response.instrument_id)
                except LookupError:
                    raise Http404("No such questionnaire.") from None
            pid = response.participant_id
            if pid is not None and (pid > MAX_ID or not visible.filter(pk=pid).exists()):
                raise Http404("No such participant.")

    def _store(self, request: Request, membership: Membership, parsed: list[Any]) -> Response:
        try:
            done = import_responses(
                actor=actor(_django(request)),
                organization=membership.organization,
                responses=parsed,
                participants=visible_participants(membership),
            )
        except ImportRefused as exc:
            return Response(
                {"detail": "Nothing was stored.", "problems": exc.problems},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        for item in done:
            administration = Administration.objects.select_related("enrollment").get(
                pk=item.administration_id
            )
            record(_django(request), participant_id=administration.enrollment.participant_id)
        body = {
            "stored": [
                {
                    "resource": d.where,
                    "administration": d.administration_id,
                    "already_stored": d.replay,
                }
                for d in done
            ]
        }
        fresh = any(not d.replay for d in done)
        return Response(body, status=status.HTTP_201_CREATED if fresh else status.HTTP_200_OK)
