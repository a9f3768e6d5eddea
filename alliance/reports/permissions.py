"""Who may read and send mandated reports.

Sending a document to a court or probation is a decision about a man's record, so it belongs to
the roles that sign off on enrollment decisions: program managers, supervisors (for their sites)
and organization admins. A facilitator may read the compliance report of the men in her own
groups, to talk it through with him, but sends nothing and sees no other document or the log.
Evaluators and partner-safety workers see none of it; outsiders get the same 404 as for a
missing record.
"""

from __future__ import annotations

from django.http import Http404

from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import (
    CLINICAL_ROLES,
    DECISION_ROLES,
    AnyUser,
    require_membership,
)
from alliance.participants.models import Enrollment
from alliance.participants.permissions import visible_participants
from alliance.programs.models import Program
from alliance.programs.permissions import visible_programs
from alliance.reports.models import DocumentKind, SentDocument

SEND_ROLES = DECISION_ROLES
#: What a facilitator may read (never send) about the men in her groups.
FACILITATOR_KINDS = frozenset({DocumentKind.COMPLIANCE_REPORT})


def access_enrollment_reports(user: AnyUser, enrollment_id: int) -> tuple[Membership, Enrollment]:
    membership = require_membership(user, CLINICAL_ROLES)
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id, participant__in=visible_participants(membership)
        )
        .select_related("participant", "program__site", "program__organization", "group")
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrollment.")
    return membership, enrollment


def access_enrollment_document(
    user: AnyUser, enrollment_id: int, kind: str
) -> tuple[Membership, Enrollment]:
    membership, enrollment = access_enrollment_reports(user, enrollment_id)
    if kind not in DocumentKind.values or kind == DocumentKind.MONTHLY_AGGREGATE:
        raise Http404("No such document.")
    if not may_read(membership, kind):
        raise Http404("No such document.")
    return membership, enrollment


def access_enrollment_for_sending(
    user: AnyUser, enrollment_id: int, kind: str
) -> tuple[Membership, Enrollment]:
    require_membership(user, SEND_ROLES)
    return access_enrollment_document(user, enrollment_id, kind)


def access_program_reports(user: AnyUser, program_id: int) -> tuple[Membership, Program]:
    membership = require_membership(user, SEND_ROLES)
    program = (
        visible_programs(membership)
        .select_related("site", "organization")
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise Http404("No such program.")
    return membership, program


def access_sent_document(user: AnyUser, document_id: int) -> SentDocument:
    membership = require_membership(user, SEND_ROLES)
    document = (
        SentDocument.objects.filter(pk=document_id, program__in=visible_programs(membership))
        .select_related("program", "enrollment__participant")
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    if document.enrollment is not None and not (
        visible_participants(membership).filter(pk=document.enrollment.participant_id).exists()
    ):
        raise Http404("No such document.")
    return document


def may_send(membership: Membership | None) -> bool:
    return membership is not None and membership.role in SEND_ROLES


def may_read(membership: Membership | None, kind: str) -> bool:
    if membership is None:
        return False
    if membership.role in SEND_ROLES:
        return True
    return membership.role == Role.FACILITATOR and kind in FACILITATOR_KINDS
