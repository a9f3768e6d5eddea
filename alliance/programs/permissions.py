"""Access to groups and sessions."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.http import Http404

from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import CLINICAL_ROLES, AnyUser, require_membership
from alliance.programs.models import (
    Competency,
    CurriculumSession,
    Group,
    Holiday,
    Program,
    Session,
)


def visible_programs(membership: Membership) -> QuerySet[Program]:
    programs = Program.objects.filter(organization=membership.organization)
    if membership.role == Role.ORG_ADMIN:
        return programs
    return programs.filter(site__in=membership.sites.all())


def visible_groups(membership: Membership) -> QuerySet[Group]:
    groups = Group.objects.filter(program__organization=membership.organization)
    if membership.role == Role.ORG_ADMIN:
        return groups
    if membership.role == Role.FACILITATOR:
        return groups.filter(facilitators=membership.user)
    return groups.filter(program__site__in=membership.sites.all())


def access_group(user: AnyUser, group_id: int) -> Group:
    membership = require_membership(user, CLINICAL_ROLES)
    group = (
        visible_groups(membership)
        .select_related("program__site", "program__organization")
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise Http404("No such group.")
    return group


def access_session(user: AnyUser, session_id: int) -> Session:
    membership = require_membership(user, CLINICAL_ROLES)
    session = (
        Session.objects.filter(group__in=visible_groups(membership), pk=session_id)
        .select_related("group__program__site", "curriculum_session")
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session


def access_program_dashboard(
    user: AnyUser, program_id: int | None
) -> tuple[Membership, QuerySet[Program]]:
    """The programs a dashboard may cover: one program, or all the user can see."""
    from alliance.organizations.permissions import DASHBOARD_ROLES

    membership = require_membership(user, DASHBOARD_ROLES)
    programs = visible_programs(membership)
    if program_id is not None:
        programs = programs.filter(pk=program_id)
        if not programs.exists():
            raise Http404("No such program.")
    return membership, programs


#: Roles that set programs up: the organization admin (every program) and program managers
#: (the programs of their sites).
SETUP_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER})


def may_set_up(membership: Membership | None) -> bool:
    return membership is not None and membership.role in SETUP_ROLES


def access_setup(user: AnyUser) -> Membership:
    """A user who may set programs up (the pages that list or create)."""
    return require_membership(user, SETUP_ROLES)


def access_org_admin(user: AnyUser) -> Membership:
    return require_membership(user, frozenset({Role.ORG_ADMIN}))


def access_managed_program(user: AnyUser, program_id: int) -> tuple[Membership, Program]:
    membership = require_membership(user, SETUP_ROLES)
    program = (
        visible_programs(membership)
        .select_related("site", "organization")
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise Http404("No such program.")
    return membership, program


def access_managed_group(user: AnyUser, group_id: int) -> tuple[Membership, Group]:
    membership = require_membership(user, SETUP_ROLES)
    group = (
        Group.objects.filter(program__in=visible_programs(membership), pk=group_id)
        .select_related("program__site", "program__organization", "site")
        .first()
    )
    if group is None:
        raise Http404("No such group.")
    return membership, group


def access_managed_session(user: AnyUser, session_id: int) -> tuple[Membership, Session]:
    membership = require_membership(user, SETUP_ROLES)
    session = (
        Session.objects.filter(group__program__in=visible_programs(membership), pk=session_id)
        .select_related("group__program__site")
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return membership, session


def access_curriculum_item(user: AnyUser, item_id: int) -> tuple[Membership, CurriculumSession]:
    """A session of a program's current curriculum (older versions are read-only)."""
    membership = require_membership(user, SETUP_ROLES)
    item = (
        CurriculumSession.objects.filter(
            program__in=visible_programs(membership),
            pk=item_id,
            version=F("program__curriculum_version"),
        )
        .select_related("program__site")
        .first()
    )
    if item is None:
        raise Http404("No such curriculum session.")
    return membership, item


def access_holiday(user: AnyUser, holiday_id: int) -> Holiday:
    membership = access_org_admin(user)
    holiday = Holiday.objects.filter(organization=membership.organization, pk=holiday_id).first()
    if holiday is None:
        raise Http404("No such holiday.")
    return holiday


def access_competency(user: AnyUser, competency_id: int) -> tuple[Membership, Competency]:
    """A competency of a program the user sets up (same 404 for missing and forbidden)."""
    membership = require_membership(user, SETUP_ROLES)
    competency = (
        Competency.objects.filter(program__in=visible_programs(membership), pk=competency_id)
        .select_related("program__site")
        .first()
    )
    if competency is None:
        raise Http404("No such competency.")
    return membership, competency
