"""FHIR answers out and in: completed administrations as a Bundle, responses stored as forms.

Out: :func:`administration_bundle` (one administration: a QuestionnaireResponse and an
Observation per scale; the API's ``/api/v1/administrations/<pk>/fhir/`` uses it) and
:func:`responses_bundle` (many, one collection Bundle).

In: :func:`import_responses` matches each parsed response to a man (``Patient/<participant
id>``, within the organization) and his enrollment on that date, then to his open (scheduled
or started) administration of that measure on that date, or a new ad-hoc one, and stores it
through :func:`~alliance.measures.administration.services.submit_administration`, the
service a form uses, with the same checks.  **All or nothing per file**: every response is
checked, and if any is refused nothing at all is written and every refusal is listed with its
resource (or row) and linkId.  A response already imported (same identifier) is reported as
such and written again never.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet

from alliance.core.instruments.interchange.fhir import validated_resource
from alliance.core.instruments.interchange.fhir_administration import export_administration
from alliance.core.instruments.interchange.fhir_responses import ParsedResponse
from alliance.measures.administration.services import (
    clean_answers,
    new_key,
    start_administration,
    submit_administration,
)
from alliance.measures.errors import MeasureError
from alliance.measures.models import Administration, Channel, Occasion, Respondent, Status
from alliance.measures.registry import definition_for
from alliance.organizations.models import Organization
from alliance.participants.models import Enrollment


def administration_bundle(administration: Administration) -> dict[str, Any]:
    """One completed administration as a FHIR collection Bundle (numeric answers only).

    Raises :class:`MeasureError` when it is not complete or its instrument is not installed.
    """
    if administration.status != Status.COMPLETE:
        raise MeasureError("status: only a completed administration is exported.")
    try:
        definition = definition_for(administration.instrument_id, administration.instrument_version)
    except LookupError as exc:
        raise MeasureError(f"instrument_id: {exc}") from None
    answers = {
        r.item_id: r.value
        for r in administration.responses.all()
        if r.value is not None and definition.has_item(r.item_id)
    }
    authored = administration.submitted_at or administration.created_at
    return export_administration(
        definition,
        answers,
        administration_id=f"alliance-administration-{administration.pk}",
        subject=f"Patient/{administration.enrollment.participant_id}",
        authored=authored,
    )


def completed_administrations(
    *,
    organization: Organization,
    programs: Iterable[int] | None = None,
    instrument_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Administration]:
    """Completed administrations of the organization, filtered, oldest first."""
    rows = Administration.objects.filter(
        enrollment__program__organization=organization, status=Status.COMPLETE
    )
    if programs is not None:
        rows = rows.filter(enrollment__program_id__in=list(programs))
    if instrument_id:
        rows = rows.filter(instrument_id=instrument_id)
    if start:
        rows = rows.filter(administered_on__gte=start)
    if end:
        rows = rows.filter(administered_on__lte=end)
    return (
        rows.select_related("enrollment")
        .prefetch_related("responses")
        .order_by("administered_on", "pk")
    )


def responses_bundle(administrations: Iterable[Administration]) -> tuple[dict[str, Any], int]:
    """One collection Bundle with every administration's QuestionnaireResponse and
    Observations; returns it and how many administrations were left out (instrument no
    longer installed), which the caller reports."""
    entries: list[dict[str, Any]] = []
    skipped = 0
    for administration in administrations:
        try:
            entries.extend(administration_bundle(administration)["entry"])
        except MeasureError:
            skipped += 1
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    return validated_resource("Bundle", bundle), skipped


@dataclass(frozen=True)
class Imported:
    where: str
    administration_id: int
    replay: bool


class ImportRefused(MeasureError):
    """Nothing was written; ``problems`` names each resource (or row) and linkId."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def response_key(identifier: str) -> str:
    """The idempotency key for a response's identifier (fits the 64-character column)."""
    return "fhir-" + hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:59]


def import_responses(
    *,
    actor: User | None,
    organization: Organization,
    responses: Sequence[ParsedResponse],
    program_id: int | None = None,
    participants: QuerySet[Any] | None = None,
    now: dt.datetime | None = None,
) -> list[Imported]:
    """Store every response or none of them (see the module docstring).

    ``participants`` limits the men to those a caller may see (the API passes its
    ``visible_participants``).  Raises :class:`ImportRefused` listing every problem; nothing
    is written then.
    """
    problems: list[str] = []
    done: list[Imported] = []
    with transaction.atomic():
        for parsed in responses:
            problems.extend(parsed.problems)
            if parsed.problems:
                continue
            try:
                done.append(
                    _import_one(
                        parsed,
                        actor=actor,
                        organization=organization,
                        program_id=program_id,
                        participants=participants,
                        now=now,
                    )
                )
            except MeasureError as exc:
                problems.append(f"{parsed.where}: {exc}")
        if problems:
            raise ImportRefused(problems)
    return done


def _import_one(
    parsed: ParsedResponse,
    *,
    actor: User | None,
    organization: Organization,
    program_id: int | None,
    participants: QuerySet[Any] | None,
    now: dt.datetime | None,
) -> Imported:
    if parsed.instrument_id is None or parsed.administered_on is None or not parsed.participant_id:
        raise MeasureError("questionnaire and authored are needed")
    try:
        definition = definition_for(parsed.instrument_id, parsed.version)
    except LookupError as exc:
        raise MeasureError(f"questionnaire: {exc}") from None
    bad = []
    for link_id, value in parsed.answers.items():
        try:
            clean_answers(definition, {link_id: value})
        except MeasureError as exc:
            bad.append(f"linkId {link_id!r}: {exc}")
    if bad:
        raise MeasureError("; ".join(bad))
    if not parsed.answers:
        raise MeasureError("no answer to store")
    on = parsed.administered_on
    enrollments = Enrollment.objects.filter(
        participant_id=parsed.participant_id,
        participant__organization=organization,
        program__organization=organization,
        started_on__lte=on,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    if program_id is not None:
        enrollments = enrollments.filter(program_id=program_id)
    if participants is not None:  # an API caller: only the men his role lets him see
        enrollments = enrollments.filter(participant__in=participants)
    found = list(enrollments[:2])
    if not found:
        raise MeasureError(
            f"subject: no enrollment of man {parsed.participant_id} in this organization"
            + (" and program" if program_id is not None else "")
            + f" was active on {on.isoformat()}"
        )
    if len(found) > 1:
        raise MeasureError(
            f"subject: man {parsed.participant_id} was in two programs on {on.isoformat()}; "
            "choose one with --program"
        )
    enrollment = found[0]
    key = response_key(parsed.identifier) if parsed.identifier else None
    administration = None
    if key is not None:
        administration = Administration.objects.filter(idempotency_key=key).first()
        if administration is not None and administration.enrollment_id != enrollment.pk:
            raise MeasureError("identifier: already used for another man's response")
    if administration is None:
        # His scheduled or started form of this measure that day, if there is one.
        administration = (
            Administration.objects.filter(
                enrollment=enrollment,
                instrument_id=definition.id,
                administered_on=on,
                status=Status.PARTIAL,
            )
            .order_by("pk")
            .first()
        )
    if administration is None:
        administration = start_administration(
            actor=actor,
            enrollment=enrollment,
            definition=definition,
            respondent=Respondent.PARTICIPANT,
            channel=Channel.STAFF,
            administered_on=on,
            idempotency_key=key or new_key(),
            occasion=Occasion.OTHER,
        )
    elif administration.is_complete and administration.submission_key != key:
        raise MeasureError(f"{definition.title} on {on.isoformat()} was already completed")
    submission = submit_administration(
        actor=actor,
        administration=administration,
        answers=parsed.answers,
        submission_key=key or response_key(f"submit|{administration.pk}|{parsed.where}"),
        now=now,
    )
    return Imported(parsed.where, submission.administration.pk, submission.replay)
