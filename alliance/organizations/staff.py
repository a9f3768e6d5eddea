"""Staff accounts: invitations, roles and scopes, deactivation.

An invitation token is made, stored (SHA-256 only) and rate-limited like a man's tokens
(``alliance.organizations.participant_tokens``): it is sent only in the e-mail, a copy of the
database opens no invitation, and no log line carries it (security events name the invitation
by id). A link works once, for :data:`INVITATION_DAYS` days.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.sessions.models import Session as DjangoSession
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from alliance.history import set_change_reason
from alliance.organizations import invitations
from alliance.organizations.models import Membership, Organization, Role, Site, StaffInvitation
from alliance.organizations.permissions import CLINICAL_ROLES, DECISION_ROLES
from alliance.practice.models import Supervision
from alliance.programs.models import Group, Session

INVITATION_DAYS = invitations.INVITATION_DAYS
security_log = logging.getLogger("alliance.security")


#: A change refused, naming the form field at fault (the same refusal accepting an invitation
#: raises for a taken username or a weak password).
StaffChangeRefused = invitations.AccountRefused
InvitationUnusable = invitations.InvitationUnusable
ASK = "your administrator"


@dataclass(frozen=True)
class Invited:
    invitation: StaffInvitation
    #: The link as e-mailed; shown once to the admin too (for the console back-end in a demo).
    link: str


def invite_staff(
    *,
    actor: User,
    organization: Organization,
    email: str,
    role: Role,
    sites: Sequence[Site],
    base_url: str,
    now: dt.datetime | None = None,
) -> Invited:
    """Record an invitation and e-mail its link (after commit) to ``email``."""
    email = email.strip().lower()
    if get_user_model().objects.filter(email__iexact=email, is_active=True).exists():
        raise StaffChangeRefused(
            "email", "Someone with this e-mail address already has an account."
        )
    if any(site.organization_id != organization.pk for site in sites):
        raise StaffChangeRefused("sites", "Choose sites of this organization.")
    now = now or timezone.now()
    with transaction.atomic():
        invitation, link = invitations.create(
            StaffInvitation,
            scope={"organization": organization},
            email=email,
            actor=actor,
            url_name="staff-invitation",
            base_url=base_url,
            now=now,
            role=role,
        )
        invitation.sites.set(sites)
        transaction.on_commit(lambda: _send_invitation(invitation, link))
    security_log.warning(
        "Staff invitation %s created by user id=%s for role %s", invitation.pk, actor.pk, role
    )
    return Invited(invitation, link)


def _send_invitation(invitation: StaffInvitation, link: str) -> None:
    organization = invitation.organization
    body = (
        f"You are invited to join {organization.name} on Alliance as "
        f"{invitation.get_role_display().lower()}.\n\n"
        f"Open this link to choose your password and set up two-factor sign-in:\n{link}\n\n"
        f"The link works once and expires on {invitation.expires_at:%d %B %Y}. If you did not "
        "expect this message, ignore it.\n"
    )
    try:
        send_mail(
            f"Your invitation to {organization.name} on Alliance",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [invitation.email],
        )
    except (OSError, smtplib.SMTPException):
        # The invitation is saved; the admin can send a new one once e-mail works.
        security_log.warning("Staff invitation %s could not be e-mailed", invitation.pk)


def _grant(user: User, invitation: StaffInvitation, now: dt.datetime) -> None:
    membership = Membership.objects.create(
        user=user, organization=invitation.organization, role=invitation.role
    )
    membership.sites.set(invitation.sites.all())


def accept_invitation(
    *,
    invitation: StaffInvitation,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
    now: dt.datetime | None = None,
) -> User:
    """Create the invitee's account with the invited role and sites; the invitation is spent."""
    user = invitations.create_account(
        queryset=StaffInvitation.objects.all(),
        invitation=invitation,
        ask=ASK,
        username=username,
        first_name=first_name,
        last_name=last_name,
        password=password,
        grant=_grant,
        now=now,
    )
    security_log.warning("Staff invitation %s accepted: new user id=%s", invitation.pk, user.pk)
    return user


@transaction.atomic
def revoke_invitation(*, invitation: StaffInvitation, now: dt.datetime | None = None) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = now or timezone.now()
        invitation.save(update_fields=["revoked_at"])


def _names(items: Sequence[object]) -> str:
    return ", ".join(sorted(str(i) for i in items)) or "none"


def change_staff(
    *,
    actor: AbstractBaseUser,
    membership: Membership,
    role: Role,
    sites: Sequence[Site],
    groups: Sequence[Group],
    supervisees: Sequence[AbstractBaseUser],
) -> Membership:
    """Set a staff member's role and scopes: sites, groups he facilitates, facilitators he
    supervises. Role and sites are kept by simple-history; a change of groups or supervisees
    adds a history row whose change reason says before → after."""
    organization = membership.organization
    user = membership.user
    if membership.user_id == actor.pk and role != Role.ORG_ADMIN:
        raise StaffChangeRefused(
            "role", "You cannot take the organization admin role from yourself."
        )
    if any(s.organization_id != organization.pk for s in sites):
        raise StaffChangeRefused("sites", "Choose sites of this organization.")
    if any(g.program.organization_id != organization.pk for g in groups):
        raise StaffChangeRefused("groups", "Choose groups of this organization.")
    if groups and role not in CLINICAL_ROLES:
        raise StaffChangeRefused("groups", "Only clinical staff can facilitate groups.")
    if supervisees and role not in DECISION_ROLES:
        raise StaffChangeRefused(
            "supervisees", "Only a supervisor, program manager or admin supervises facilitators."
        )
    if any(s.pk == user.pk for s in supervisees):
        raise StaffChangeRefused("supervisees", "Nobody supervises himself.")
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        # Closed groups keep their facilitators (the form offers only active ones).
        old_groups = list(
            Group.objects.filter(
                facilitators=user, program__organization=organization, is_active=True
            )
        )
        supervisions = Supervision.objects.filter(supervisor=user).select_related("facilitator")
        old_supervisees = [s.facilitator for s in supervisions]
        changes = []
        if {g.pk for g in old_groups} != {g.pk for g in groups}:
            changes.append(f"Groups: {_names(old_groups)} → {_names(groups)}")
            for group in old_groups:
                group.facilitators.remove(user)
            for group in groups:
                group.facilitators.add(user)
        if {u.pk for u in old_supervisees} != {u.pk for u in supervisees}:
            changes.append(
                f"Supervisees: {_names([u.get_username() for u in old_supervisees])} → "
                f"{_names([u.get_username() for u in supervisees])}"
            )
            Supervision.objects.filter(supervisor=user).delete()
            Supervision.objects.bulk_create(
                Supervision(supervisor_id=user.pk, facilitator_id=s.pk) for s in supervisees
            )
        locked.role = role
        if changes:
            set_change_reason(locked, "; ".join(changes))
        locked.save()
        if {s.pk for s in locked.sites.all()} != {s.pk for s in sites}:
            locked.sites.set(sites)
    return locked


def _end_sessions(user: AbstractBaseUser) -> int:
    """Delete every Django session of ``user``; returns how many."""
    ended = 0
    for session in DjangoSession.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@dataclass(frozen=True)
class Deactivated:
    sessions_ended: int
    groups_moved: int
    sessions_moved: int
    supervisees_moved: int


def caseload_of(user: AbstractBaseUser, organization: Organization) -> tuple[int, int]:
    """(active groups he facilitates, facilitators he supervises)."""
    groups = Group.objects.filter(
        facilitators__pk=user.pk, program__organization=organization, is_active=True
    ).count()
    return groups, Supervision.objects.filter(supervisor_id=user.pk).count()


def deactivate_staff(
    *,
    actor: AbstractBaseUser,
    membership: Membership,
    successor: Membership | None,
    today: dt.date,
) -> Deactivated:
    """Close a staff account in one transaction: he can no longer sign in, his open sessions
    end at once, his groups, coming sessions and supervisees pass to ``successor``. His
    records (attendance he marked, notes he wrote) stay, attributed to him."""
    user = membership.user
    if user.pk == actor.pk:
        raise StaffChangeRefused("successor", "You cannot deactivate your own account.")
    groups_count, supervisees_count = caseload_of(user, membership.organization)
    if successor is None and (groups_count or supervisees_count):
        raise StaffChangeRefused("successor", "Choose who takes over his groups and supervisees.")
    if successor is not None:
        if successor.organization_id != membership.organization_id or successor.pk == membership.pk:
            raise StaffChangeRefused(
                "successor", "Choose another staff member of this organization."
            )
        if not successor.user.is_active:
            raise StaffChangeRefused("successor", "Choose an active staff member.")
        if groups_count and successor.role not in CLINICAL_ROLES:
            raise StaffChangeRefused("successor", "His groups need a clinical staff member.")
        if supervisees_count and successor.role not in DECISION_ROLES:
            raise StaffChangeRefused(
                "successor", "His supervisees need a supervisor, program manager or admin."
            )
    with transaction.atomic():
        user_model = get_user_model()
        locked = user_model.objects.select_for_update().get(pk=user.pk)
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        moved_groups = moved_sessions = moved_supervisees = 0
        if successor is not None:
            heir = successor.user
            groups = Group.objects.filter(
                facilitators=user, program__organization=membership.organization
            )
            for group in groups:
                group.facilitators.remove(user)
                group.facilitators.add(heir)
                moved_groups += 1
            for session in Session.objects.filter(facilitators=user, held_on__gte=today):
                session.facilitators.remove(user)
                session.facilitators.add(heir)
                moved_sessions += 1
            for supervision in Supervision.objects.filter(supervisor=user):
                if supervision.facilitator_id != heir.pk:
                    Supervision.objects.get_or_create(
                        supervisor=heir, facilitator_id=supervision.facilitator_id
                    )
                supervision.delete()
                moved_supervisees += 1
        set_change_reason(
            membership,
            f"Deactivated; caseload to {successor.user.get_username() if successor else 'nobody'}",
        )
        membership.save()
        ended = _end_sessions(user)
    security_log.warning(
        "Staff account deactivated: user id=%s by user id=%s; %s sessions ended",
        user.pk,
        actor.pk,
        ended,
    )
    return Deactivated(ended, moved_groups, moved_sessions, moved_supervisees)
