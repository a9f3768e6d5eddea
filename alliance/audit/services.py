"""Writing the access log. Nothing here updates or deletes a row, except ``erase_subject``."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Subquery
from django.http import HttpRequest
from django.utils import timezone

from alliance.audit.models import AccessEvent, Outcome
from alliance.organizations.models import Membership
from alliance.participants.models import Enrollment, Participant

#: URL keyword arguments that name a man's record. A request to a pattern with one of these is
#: logged by ``AccessLogMiddleware`` without the view doing anything.
PARTICIPANT_KWARG = "participant_id"
ENROLLMENT_KWARG = "enrollment_id"
#: Keyword arguments whose value is a secret (a man's phone link or a kiosk code): replaced in
#: the stored path.
SECRET_KWARGS = frozenset({"token"})

_SUBJECTS = "_alliance_audit_subjects"

#: Refused requests at another organization's records: who and which page, never a code.
security_log = logging.getLogger("alliance.security")


@dataclass(frozen=True)
class Subject:
    participant_id: int | None
    enrollment_id: int | None = None


def record(
    request: HttpRequest,
    *,
    participant_id: int | None = None,
    enrollment_id: int | None = None,
) -> None:
    """Log that this request shows one man's record, for views whose URL does not name him
    (an alert page, an export). The row is written after the response, with its status."""
    if participant_id is None and enrollment_id is None:
        raise ValueError("record() needs a participant_id or an enrollment_id.")
    subjects: list[Subject] = getattr(request, _SUBJECTS, [])
    subjects.append(Subject(participant_id, enrollment_id))
    setattr(request, _SUBJECTS, subjects)


def record_use(request: HttpRequest) -> None:
    """Log a request that names no man (an API list of groups, say), so that every use of an
    integration key is in the access log; a request that already names men is left as is."""
    subjects: list[Subject] = getattr(request, _SUBJECTS, [])
    if not subjects:
        setattr(request, _SUBJECTS, [Subject(None, None)])


def outcome_of(status: int) -> Outcome:
    if status < 400:
        return Outcome.SHOWN
    if status in (403, 404):
        return Outcome.REFUSED
    return Outcome.FAILED


def subjects_of(request: HttpRequest) -> list[Subject]:
    """Who this request concerns: the explicit ``record()`` calls, else the URL's kwargs."""
    explicit: list[Subject] = getattr(request, _SUBJECTS, [])
    if explicit:
        return explicit
    match = request.resolver_match
    if match is None:
        return []
    participant_id = _as_int(match.kwargs.get(PARTICIPANT_KWARG))
    enrollment_id = _as_int(match.kwargs.get(ENROLLMENT_KWARG))
    if participant_id is None and enrollment_id is None:
        return []
    return [Subject(participant_id, enrollment_id)]


def write_events(*, request: HttpRequest, status: int, subjects: Sequence[Subject]) -> None:
    """One INSERT for the request, however many men it concerns.

    A subject known only by enrollment gets his participant id from a subquery inside the
    INSERT, so logging a page costs no extra SELECT.
    """
    user = request.user
    assert user.pk is not None, "only signed-in staff are logged"
    match = request.resolver_match
    url_name = (match.view_name if match is not None else "") or ""
    if status >= 400:
        subjects = _within_own_organization(user.pk, url_name, status, subjects)
    now = timezone.now()
    rows: Iterable[AccessEvent] = (
        AccessEvent(
            at=now,
            user_id=user.pk,
            username=user.get_username(),
            participant_id=_participant(subject),
            enrollment_id=subject.enrollment_id,
            url_name=url_name[:100],
            path=_path(request)[:300],
            method=(request.method or "")[:10],
            status=status,
            outcome=outcome_of(status),
        )
        for subject in subjects
    )
    AccessEvent.objects.bulk_create(list(rows))


def _within_own_organization(
    user_id: int, url_name: str, status: int, subjects: Sequence[Subject]
) -> list[Subject]:
    """Drop the record ids of a refused request about another organization's man.

    Each organization reads the log of its own men; a probe from outside must neither add
    rows to that log nor show the other agency's staff usernames there (finding L6). The row
    is still written, with no man named, so it belongs to no organization's log, and the
    attempt goes to the ``alliance.security`` log for the operator. Only a refused or failed
    request can concern another organization (a shown one passed an ``access_*`` check), so
    a served page costs no extra query.
    """
    own = Membership.objects.filter(user_id=user_id).values_list("organization_id", flat=True)
    organization_id = own.first()
    kept: list[Subject] = []
    for subject in subjects:
        owner = _organization_of(subject)
        if owner is None or owner == organization_id:
            kept.append(subject)  # his own organization's man, or no such record at all
            continue
        kept.append(Subject(None, None))
        security_log.warning(
            "Refused request at another organization's record: user id=%s page=%s status=%s",
            user_id,
            url_name,
            status,
        )
    return kept


def _organization_of(subject: Subject) -> int | None:
    if subject.participant_id is not None:
        participants = Participant.objects.filter(pk=subject.participant_id)
        return participants.values_list("organization_id", flat=True).first()
    if subject.enrollment_id is not None:
        enrollments = Enrollment.objects.filter(pk=subject.enrollment_id)
        return enrollments.values_list("participant__organization_id", flat=True).first()
    return None


def _participant(subject: Subject) -> int | Subquery | None:
    if subject.participant_id is not None or subject.enrollment_id is None:
        return subject.participant_id
    return Subquery(
        Enrollment.objects.filter(pk=subject.enrollment_id).values("participant_id")[:1]
    )


def _path(request: HttpRequest) -> str:
    path = request.path
    match = request.resolver_match
    if match is not None:
        for name in SECRET_KWARGS & set(match.kwargs):
            value = str(match.kwargs[name])
            if value:
                path = path.replace(value, f"<{name}>")
    return path


def _as_int(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


#: The path of a de-identified row (migration 0002 lets an UPDATE set exactly this).
ERASED_PATH = ""


def erase_subject(*, event_ids: Iterable[int]) -> int:
    """De-identify access-log rows about a man being purged (``alliance purge-closed``).

    The only change the database allows on the log: participant, enrollment and path are
    cleared; who, when, which page and the outcome stay, so staff remain accountable.
    """
    return AccessEvent.objects.filter(pk__in=list(event_ids)).update(
        participant=None, enrollment_id=None, path=ERASED_PATH
    )
