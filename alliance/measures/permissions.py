"""Who may see and write measures. Missing and forbidden both raise the same ``Http404``.

Facilitators reach only the men of their own groups; supervisors, managers and admins the men
of their sites; evaluators only aggregate figures (no codes, no answers); partner-safety
workers nothing clinical at all.
"""

from __future__ import annotations

from django.http import Http404

from alliance.measures.models import Alert, Kiosk, Release
from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import (
    CLINICAL_ROLES,
    AnyUser,
    require_membership,
)
from alliance.participants.models import Enrollment
from alliance.participants.permissions import visible_participants
from alliance.programs.models import Program
from alliance.programs.permissions import visible_groups, visible_programs

#: Roles that see the program's measures page: aggregate figures, no codes for the evaluator.
MEASURES_PAGE_ROLES = CLINICAL_ROLES | {Role.EVALUATOR}
#: Roles that set a program's alert thresholds and measure schedule.
CONFIGURE_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER})
#: Roles that record and revoke a man's score release; facilitators read them, nobody else.
SCORE_RELEASE_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR})


def sees_clinical(membership: Membership | None) -> bool:
    return membership is not None and membership.role in CLINICAL_ROLES


def may_configure(membership: Membership | None) -> bool:
    return membership is not None and membership.role in CONFIGURE_ROLES


def access_enrollment(user: AnyUser, enrollment_id: int) -> Enrollment:
    """An enrollment whose measures the user may read and write."""
    membership = require_membership(user, CLINICAL_ROLES)
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id,
            participant__in=visible_participants(membership),
        )
        .select_related("participant", "program__site")
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrollment.")
    return enrollment


def may_manage_score_releases(membership: Membership | None) -> bool:
    return membership is not None and membership.role in SCORE_RELEASE_ROLES


def access_score_releases(
    user: AnyUser, enrollment_id: int, *, write: bool = False
) -> tuple[Membership, Enrollment]:
    """An enrollment whose score releases the user may read (clinical staff who see him) or, with
    ``write``, record (supervisors, managers and organization admins who see him)."""
    membership = require_membership(user, SCORE_RELEASE_ROLES if write else CLINICAL_ROLES)
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id,
            participant__in=visible_participants(membership),
        )
        .select_related("participant", "program__site")
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrollment.")
    return membership, enrollment


def access_score_release(user: AnyUser, release_id: int) -> Release:
    """A score release the user may revoke."""
    membership = require_membership(user, SCORE_RELEASE_ROLES)
    release = (
        Release.objects.filter(
            pk=release_id,
            enrollment__participant__in=visible_participants(membership),
        )
        .select_related("enrollment")
        .first()
    )
    if release is None:
        raise Http404("No such release.")
    return release


def access_alert(user: AnyUser, alert_id: int) -> Alert:
    membership = require_membership(user, CLINICAL_ROLES)
    alert = (
        Alert.objects.filter(
            pk=alert_id,
            enrollment__participant__in=visible_participants(membership),
        )
        .select_related("enrollment__participant")
        .first()
    )
    if alert is None:
        raise Http404("No such alert.")
    return alert


def access_program_measures(user: AnyUser, program_id: int) -> tuple[Membership, Program]:
    membership = require_membership(user, MEASURES_PAGE_ROLES)
    program = visible_programs(membership).filter(pk=program_id).first()
    if program is None:
        raise Http404("No such program.")
    return membership, program


def access_program_settings(user: AnyUser, program_id: int) -> Program:
    membership = require_membership(user, CONFIGURE_ROLES)
    program = visible_programs(membership).filter(pk=program_id).first()
    if program is None:
        raise Http404("No such program.")
    return program


def access_kiosk(user: AnyUser, kiosk_id: int) -> Kiosk:
    """A kiosk of a session the user may run."""
    membership = require_membership(user, CLINICAL_ROLES)
    kiosk = (
        Kiosk.objects.filter(pk=kiosk_id, session__group__in=visible_groups(membership))
        .select_related("session__group__program")
        .first()
    )
    if kiosk is None:
        raise Http404("No such kiosk.")
    return kiosk
