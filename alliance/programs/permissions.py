"""Access to groups and sessions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import CLINICAL_ROLES, AnyUser, require_membership
from alliance.programs.models import Group, Program, Session


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
