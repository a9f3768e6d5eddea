"""Access to participants and enrollments."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from alliance.core.enrollment import EnrollmentStatus
from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import (
    CLINICAL_ROLES,
    DECISION_ROLES,
    HISTORY_ROLES,
    AnyUser,
    require_membership,
)
from alliance.participants.models import CompetencySignOff, Enrollment, Participant
from alliance.programs.permissions import SETUP_ROLES, visible_groups, visible_programs


def visible_participants(membership: Membership) -> QuerySet[Participant]:
    participants = Participant.objects.filter(organization=membership.organization)
    if membership.role == Role.ORG_ADMIN:
        return participants
    if membership.role == Role.FACILITATOR:
        groups = visible_groups(membership)
        # Men in her groups, and men referred to a program she runs who have not started yet
        # (she records their intake and brings them into her group).
        waiting = Q(
            enrollments__status__in=[EnrollmentStatus.REFERRED, EnrollmentStatus.INTAKE],
            enrollments__program__groups__in=groups,
        )
        return participants.filter(
            Q(enrollments__assignments__group__in=groups) | waiting
        ).distinct()
    return participants.filter(enrollments__program__in=visible_programs(membership)).distinct()


def access_participant(user: AnyUser, participant_id: int) -> Participant:
    membership = require_membership(user, CLINICAL_ROLES)
    participant = visible_participants(membership).filter(pk=participant_id).first()
    if participant is None:
        raise Http404("No such participant.")
    return participant


def access_participant_history(user: AnyUser, participant_id: int) -> Participant:
    require_membership(user, HISTORY_ROLES)
    return access_participant(user, participant_id)


def access_enrollment_for_decision(user: AnyUser, enrollment_id: int) -> Enrollment:
    """Enrollment actions. Facilitators may only activate; the rest need a decision role."""
    membership = require_membership(user, CLINICAL_ROLES)
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id, participant__in=visible_participants(membership)
        )
        .select_related("participant", "program__site")
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrollment.")
    return enrollment


def may_decide(membership: Membership | None) -> bool:
    return membership is not None and membership.role in DECISION_ROLES


def may_read_history(membership: Membership | None) -> bool:
    return membership is not None and membership.role in HISTORY_ROLES


def access_caseload_import(user: AnyUser) -> Membership:
    """Who may import a caseload: the organization admin (every program) and program managers
    (the programs of their sites, as in set-up)."""
    return require_membership(user, SETUP_ROLES)


def access_sign_off_for_review(user: AnyUser, sign_off_id: int) -> CompetencySignOff:
    """A competency sign-off that this decision role may approve or return."""
    membership = require_membership(user, DECISION_ROLES)
    item = (
        CompetencySignOff.objects.filter(
            pk=sign_off_id, enrollment__participant__in=visible_participants(membership)
        )
        .select_related("enrollment__program__site", "competency")
        .first()
    )
    if item is None:
        raise Http404("No such sign-off.")
    return item
