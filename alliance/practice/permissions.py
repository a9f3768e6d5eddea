"""Who may see and write practice and accountability work. Missing and forbidden: same 404.

Facilitators reach the men of their own groups, supervisors, managers and admins the men of
their sites (``visible_participants``); evaluators and partner-safety workers see none of it.
A supervisor reads the self-practice of the facilitators he supervises (``Supervision``).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import CLINICAL_ROLES, AnyUser, require_membership
from alliance.participants.models import Enrollment
from alliance.participants.permissions import visible_participants
from alliance.practice.models import AccountabilityLog, PlanGoal, Practice, Supervision
from alliance.programs.models import Group
from alliance.programs.permissions import access_group

#: Roles that add and edit their agency's own practices.
LIBRARY_EDITORS = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR})


def sees_practice(membership: Membership | None) -> bool:
    return membership is not None and membership.role in CLINICAL_ROLES


def visible_practices(membership: Membership) -> QuerySet[Practice]:
    from django.db.models import Q

    return Practice.objects.filter(
        Q(organization__isnull=True) | Q(organization=membership.organization)
    )


def access_practice(user: AnyUser, practice_id: int) -> Practice:
    membership = require_membership(user, CLINICAL_ROLES)
    practice = visible_practices(membership).filter(pk=practice_id).first()
    if practice is None:
        raise Http404("No such practice.")
    return practice


def access_practice_for_edit(user: AnyUser, practice_id: int) -> Practice:
    """Only the agency's own practices; built-ins are copied, never edited in place."""
    membership = require_membership(user, LIBRARY_EDITORS)
    practice = Practice.objects.filter(pk=practice_id, organization=membership.organization).first()
    if practice is None:
        raise Http404("No such practice.")
    return practice


def access_enrollment(user: AnyUser, enrollment_id: int) -> Enrollment:
    membership = require_membership(user, CLINICAL_ROLES)
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id, participant__in=visible_participants(membership)
        )
        .select_related("participant", "program__site", "program__organization")
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrollment.")
    return enrollment


def access_group_for_homework(user: AnyUser, group_id: int) -> Group:
    return access_group(user, group_id)


def access_accountability_log(user: AnyUser, log_id: int) -> AccountabilityLog:
    membership = require_membership(user, CLINICAL_ROLES)
    log = (
        AccountabilityLog.objects.filter(
            pk=log_id, enrollment__participant__in=visible_participants(membership)
        )
        .select_related("enrollment__participant")
        .first()
    )
    if log is None:
        raise Http404("No such log.")
    return log


def access_plan_goal(user: AnyUser, goal_id: int) -> PlanGoal:
    membership = require_membership(user, CLINICAL_ROLES)
    goal = (
        PlanGoal.objects.filter(
            pk=goal_id, enrollment__participant__in=visible_participants(membership)
        )
        .select_related("enrollment__participant")
        .first()
    )
    if goal is None:
        raise Http404("No such goal.")
    return goal


def supervised_facilitator_ids(membership: Membership) -> set[int]:
    """Facilitators whose self-practice this user may read: himself and those he supervises."""
    ids = set(
        Supervision.objects.filter(
            supervisor_id=membership.user_id,
            facilitator__membership__organization=membership.organization,
        ).values_list("facilitator_id", flat=True)
    )
    return ids | {membership.user_id}
