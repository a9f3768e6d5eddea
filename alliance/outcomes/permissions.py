"""Who may import follow-up data and who may read the evaluation.

The evaluation is aggregate and de-identified: managers, supervisors, organization admins and
evaluators read it. The per-man research export (de-identified) is for evaluators, managers
and admins. Importing writes outcome records about identified men, so only managers and
admins do it. Facilitators and partner-safety workers get the same 404 as for a missing page.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import DASHBOARD_ROLES, AnyUser, require_membership
from alliance.outcomes.models import ResearchExport
from alliance.programs.models import Program
from alliance.programs.permissions import access_program_dashboard

EVALUATION_ROLES = DASHBOARD_ROLES
IMPORT_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER})
#: The research export is de-identified but per man: evaluators, who analyse it, and the
#: managers and admins answerable for the data. Supervisors read the aggregate report only.
EXPORT_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.EVALUATOR})


def access_follow_up_import(user: AnyUser) -> Membership:
    return require_membership(user, IMPORT_ROLES)


def access_evaluation(
    user: AnyUser, program_id: int | None
) -> tuple[Membership, QuerySet[Program]]:
    require_membership(user, EVALUATION_ROLES)
    return access_program_dashboard(user, program_id)


def access_research_export(
    user: AnyUser, program_id: int | None
) -> tuple[Membership, QuerySet[Program]]:
    """The programs an export may cover: one, or all the user's programs (same 404 otherwise)."""
    require_membership(user, EXPORT_ROLES)
    return access_program_dashboard(user, program_id)


def may_export(membership: Membership | None) -> bool:
    return membership is not None and membership.role in EXPORT_ROLES


def may_import(membership: Membership | None) -> bool:
    return membership is not None and membership.role in IMPORT_ROLES


def access_research_export_file(user: AnyUser, export_id: int) -> ResearchExport:
    """An export whoever could make it now may fetch: an export role in its organization that
    sees every program it covers (the same 404 for missing and forbidden)."""
    membership = require_membership(user, EXPORT_ROLES)
    export = ResearchExport.objects.filter(
        pk=export_id, organization_id=membership.organization_id
    ).first()
    if export is None:
        raise Http404("No such page.")
    _, visible = access_program_dashboard(user, None)
    if not set(export.program_ids) <= set(visible.values_list("pk", flat=True)):
        raise Http404("No such page.")
    return export
