"""Who may deliver documents, invite officers, and what an officer sees.

Staff side: delivering a document is part of sending it, so it belongs to the roles that send
(``alliance.reports.permissions.SEND_ROLES``); inviting an agency's officers belongs to the
organization admin and program managers. Officer side: a signed-in user with an
:class:`OfficerAccount` sees the deliveries made to his own agency's portal about men his agency
referred, nothing else; anything else answers 404, the same as a record that does not exist.
Officers have no staff membership, so every staff page already answers them 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from alliance.organizations.models import Agency, Membership, Role
from alliance.organizations.permissions import AnyUser, require_membership
from alliance.portal.models import Channel, Delivery, OfficerAccount
from alliance.reports.models import SentDocument
from alliance.reports.permissions import SEND_ROLES, access_sent_document

INVITE_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER})


def access_document_deliveries(user: AnyUser, document_id: int) -> tuple[Membership, SentDocument]:
    membership = require_membership(user, SEND_ROLES)
    return membership, access_sent_document(user, document_id)


def access_agency_officers(user: AnyUser, agency_id: int) -> tuple[Membership, Agency]:
    membership = require_membership(user, INVITE_ROLES)
    agency = Agency.objects.filter(pk=agency_id, organization=membership.organization).first()
    if agency is None:
        raise Http404("No such agency.")
    return membership, agency


def officer_of(user: AnyUser) -> OfficerAccount | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        OfficerAccount.objects.select_related("agency__organization")
        .filter(user_id=user.pk)
        .first()
    )


def require_officer(user: AnyUser) -> OfficerAccount:
    account = officer_of(user)
    if account is None:
        raise Http404("No such page.")
    return account


def portal_deliveries(account: OfficerAccount) -> QuerySet[Delivery]:
    """What his agency's portal holds: documents delivered to it about men it referred."""
    return (
        Delivery.objects.filter(
            channel=Channel.PORTAL,
            agency=account.agency,
            document__enrollment__agency=account.agency,
            document__program__organization=account.agency.organization,
        )
        .select_related("document__program", "document__enrollment__participant", "acknowledged_by")
        .defer("document__html", "document__pdf")
    )


def access_portal_delivery(user: AnyUser, delivery_id: int) -> tuple[OfficerAccount, Delivery]:
    account = require_officer(user)
    delivery = portal_deliveries(account).filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404("No such document.")
    return account, delivery
