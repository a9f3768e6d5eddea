"""Who may see the early warning. Missing and forbidden both raise the same ``Http404``.

The risk list and outreach are for the staff who can act on them (clinical roles, each
limited to the men they can already see).  The model card is aggregate and also open to
evaluators.  Participants and partner-safety workers never see a score.
"""

from __future__ import annotations

from django.http import Http404

from alliance.engagement.models import OutreachAlert
from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import CLINICAL_ROLES, AnyUser, require_membership
from alliance.participants.models import Enrollment
from alliance.participants.permissions import visible_participants

MODEL_CARD_ROLES = CLINICAL_ROLES | {Role.EVALUATOR}


def sees_risk(membership: Membership | None) -> bool:
    return membership is not None and membership.role in CLINICAL_ROLES


def access_risk_list(user: AnyUser) -> Membership:
    return require_membership(user, CLINICAL_ROLES)


def access_model_card(user: AnyUser) -> Membership:
    return require_membership(user, MODEL_CARD_ROLES)


def access_enrollment_for_outreach(user: AnyUser, enrollment_id: int) -> Enrollment:
    membership = require_membership(user, CLINICAL_ROLES)
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id, participant__in=visible_participants(membership)
        )
        .select_related("participant", "program__organization")
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrollment.")
    return enrollment


def access_outreach_alert(user: AnyUser, alert_id: int) -> OutreachAlert:
    membership = require_membership(user, CLINICAL_ROLES)
    alert = (
        OutreachAlert.objects.filter(
            pk=alert_id, enrollment__participant__in=visible_participants(membership)
        )
        .select_related("enrollment__participant", "enrollment__program__organization")
        .first()
    )
    if alert is None:
        raise Http404("No such alert.")
    return alert
