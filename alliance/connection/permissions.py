"""Who may see and record the connection map, the mentor list and mentoring holds.

- His network and loneliness trend: clinical staff who may see him (``access_participant``).
- Mentors and matches: the decision roles (organization admin, program manager, supervisor),
  for men they may see. A mentor never has an account: nothing here is shown to him.
- Mentoring holds: partner-safety workers only (they place and lift them; they see codes
  inside the compartment's pages, as elsewhere in it).
Missing and forbidden answer the same 404.
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
from alliance.participants.models import Participant
from alliance.participants.permissions import visible_participants
from alliance.programs.permissions import visible_programs

from .models import Mentor, MentoringHold, Mentorship, SupportPerson

SAFETY_ROLES = frozenset({Role.PARTNER_SAFETY})


def access_network(user: AnyUser, participant_id: int) -> tuple[Membership, Participant]:
    membership = require_membership(user, CLINICAL_ROLES)
    participant = visible_participants(membership).filter(pk=participant_id).first()
    if participant is None:
        raise Http404("No such participant.")
    return membership, participant


def access_support_person(user: AnyUser, participant_id: int, person_id: int) -> SupportPerson:
    _, participant = access_network(user, participant_id)
    person = SupportPerson.objects.filter(pk=person_id, participant=participant).first()
    if person is None:
        raise Http404("No such person in his network.")
    return person


def access_mentoring(user: AnyUser) -> Membership:
    return require_membership(user, DECISION_ROLES)


def visible_mentors(membership: Membership):  # type: ignore[no-untyped-def]
    return Mentor.objects.filter(
        organization=membership.organization,
        participant__in=visible_participants(membership),
    ).select_related("participant", "completed_enrollment__program")


def access_mentor(user: AnyUser, mentor_id: int) -> tuple[Membership, Mentor]:
    membership = access_mentoring(user)
    mentor = visible_mentors(membership).filter(pk=mentor_id).first()
    if mentor is None:
        raise Http404("No such mentor.")
    return membership, mentor


def access_mentorship(user: AnyUser, match_id: int) -> tuple[Membership, Mentorship]:
    membership = access_mentoring(user)
    match = (
        Mentorship.objects.filter(
            pk=match_id,
            mentor__in=visible_mentors(membership),
            mentee__participant__in=visible_participants(membership),
        )
        .select_related("mentor__participant", "mentee__participant", "mentee__program")
        .first()
    )
    if match is None:
        raise Http404("No such match.")
    return membership, match


def access_holds(user: AnyUser) -> Membership:
    return require_membership(user, SAFETY_ROLES)


def hold_participants(membership: Membership):  # type: ignore[no-untyped-def]
    """The men a partner-safety worker may place a hold on: those of her sites' programs."""
    return Participant.objects.filter(
        organization=membership.organization,
        enrollments__program__in=visible_programs(membership),
    ).distinct()


def access_hold(user: AnyUser, hold_id: int) -> tuple[Membership, MentoringHold]:
    membership = access_holds(user)
    hold = (
        MentoringHold.objects.filter(pk=hold_id, participant__in=hold_participants(membership))
        .select_related("participant")
        .first()
    )
    if hold is None:
        raise Http404("No such hold.")
    return membership, hold
