"""Who may see and post fees.

Fees are kept apart from the clinical record: facilitators, partner-safety workers and
evaluators see nothing of them. A supervisor reads (completion sign-off may depend on them
where an agency requires it); the intake coordinator, who does the financial evaluation at
intake and takes money at the desk, assesses bands, records payments and asks for waivers;
program managers and the organization admin also post charges, refunds and corrections and
decide waivers (never their own request). Missing and forbidden both answer 404.
"""

from __future__ import annotations

from django.http import Http404

from alliance.fees.models import LedgerEntry, Waiver
from alliance.organizations.models import Agency, Membership, Role
from alliance.organizations.permissions import AnyUser, require_membership
from alliance.participants.models import Enrollment
from alliance.participants.permissions import visible_participants
from alliance.programs.models import Program
from alliance.programs.permissions import visible_programs

#: Read fee accounts, statements, receipts and the reports.
READ_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR, Role.INTAKE})
#: Assess a band, record a payment, ask for a waiver.
DESK_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.INTAKE})
#: Post charges, refunds and corrections; decide waivers; set schedules; export to accounting.
MANAGER_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER})


def sees_fees(membership: Membership | None) -> bool:
    return membership is not None and membership.role in READ_ROLES


def may_post_payments(membership: Membership | None) -> bool:
    return membership is not None and membership.role in DESK_ROLES


def may_manage_fees(membership: Membership | None) -> bool:
    return membership is not None and membership.role in MANAGER_ROLES


def access_fee_reports(user: AnyUser, roles: frozenset[Role] = READ_ROLES) -> Membership:
    return require_membership(user, roles)


def access_fee_account(
    user: AnyUser, enrollment_id: int, roles: frozenset[Role] = READ_ROLES
) -> tuple[Membership, Enrollment]:
    membership = require_membership(user, roles)
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id, participant__in=visible_participants(membership)
        )
        .select_related("participant", "program__organization", "program__site", "agency")
        .first()
    )
    if enrollment is None:
        raise Http404("No such fee account.")
    return membership, enrollment


def access_entry(
    user: AnyUser, entry_id: int, roles: frozenset[Role] = READ_ROLES
) -> tuple[Membership, LedgerEntry]:
    membership = require_membership(user, roles)
    entry = (
        LedgerEntry.objects.filter(
            pk=entry_id,
            organization=membership.organization,
            enrollment__participant__in=visible_participants(membership),
        )
        .select_related("enrollment__participant", "enrollment__program__organization")
        .first()
    )
    if entry is None:
        raise Http404("No such entry.")
    return membership, entry


def access_waiver(user: AnyUser, waiver_id: int) -> tuple[Membership, Waiver]:
    membership = require_membership(user, MANAGER_ROLES)
    waiver = (
        Waiver.objects.filter(
            pk=waiver_id, enrollment__participant__in=visible_participants(membership)
        )
        .select_related("enrollment__participant", "enrollment__program__organization")
        .first()
    )
    if waiver is None:
        raise Http404("No such waiver.")
    return membership, waiver


def access_fee_program(user: AnyUser, program_id: int) -> tuple[Membership, Program]:
    membership = require_membership(user, MANAGER_ROLES)
    program = (
        visible_programs(membership)
        .select_related("organization", "site")
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise Http404("No such program.")
    return membership, program


def access_agency_policy(user: AnyUser, agency_id: int) -> tuple[Membership, Agency]:
    membership = require_membership(user, frozenset({Role.ORG_ADMIN}))
    agency = Agency.objects.filter(organization=membership.organization, pk=agency_id).first()
    if agency is None:
        raise Http404("No such agency.")
    return membership, agency
