"""The staff menu: which links a signed-in member sees, by role (issue 18, D5 and D32).

Each link is shown exactly when its view would let the member in: the decisions below use the
role sets the views' own ``access_*`` / ``require_*`` functions check (imported from each app's
``permissions``), so a link never leads to a 404 and a page a role needs is never left out.
``tests/web/test_navigation.py`` follows every link as every role and checks both halves.

Nothing of the menu is shown before two-factor sign-in is complete (D32): on the set-up and
verify pages the header holds only "Sign out".

The two reads (his groups, and today's sessions of those groups) happen only when a page
renders the menu, once per request, and do not grow with the number of men.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from alliance.audit.permissions import AUDIT_ROLES
from alliance.connection.permissions import SAFETY_ROLES as HOLD_ROLES
from alliance.court.permissions import QUEUE_ROLES
from alliance.fees.permissions import READ_ROLES as FEE_ROLES
from alliance.identity.permissions import IDENTITY_ROLES
from alliance.incidents.permissions import HANDLER_ROLES
from alliance.intake.permissions import INTAKE_ROLES
from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import CLINICAL_ROLES, DASHBOARD_ROLES, DECISION_ROLES
from alliance.outcomes.permissions import EVALUATION_ROLES
from alliance.programs.models import Session, SessionStatus
from alliance.programs.permissions import SETUP_ROLES, visible_groups
from alliance.safety.discrepancy import SIGNAL_ROLES
from alliance.safety.permissions import SAFETY_ROLES
from alliance.training.permissions import TEAM_ROLES as TRAINING_ROLES

#: Groups listed by name in the menu; past this, the menu ends with a link to all of them.
MAX_GROUPS = 12


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    hint: str = ""


@dataclass(frozen=True)
class Section:
    """One menu of the header: a ``<details>`` disclosure with its links."""

    label: str
    links: list[Link] = field(default_factory=list)


def _url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # an app not installed in this deployment: no link, not a 500
        return ""


def _links(*candidates: tuple[bool, str, str]) -> list[Link]:
    return [Link(label, url) for shown, label, url in candidates if shown and url]


class Menu:
    """The menu for one request; sections are built on first use."""

    def __init__(self, request: HttpRequest, membership: Membership | None) -> None:
        self.request = request
        self.membership = membership

    @cached_property
    def verified(self) -> bool:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified()) if callable(is_verified) else False

    @cached_property
    def today(self) -> dt.date:
        assert self.membership is not None
        zone = zoneinfo.ZoneInfo(self.membership.organization.time_zone)
        return timezone.localdate(timezone=zone)

    @cached_property
    def sections(self) -> list[Section]:
        if not self.verified or self.membership is None:
            return []
        role = Role(self.membership.role)
        sections = [
            self._work(role),
            self._program(role),
            self._safety(role),
            self._admin(role),
        ]
        return [s for s in sections if s.links]

    def _work(self, role: Role) -> Section:
        """His groups and today's sessions (every clinical role), the people he works with."""
        links: list[Link] = []
        if role in CLINICAL_ROLES:
            groups = list(
                visible_groups(self.membership)  # type: ignore[arg-type]
                .filter(is_active=True)
                .order_by("name", "pk")
                .values_list("pk", "name")[: MAX_GROUPS + 1]
            )
            sessions = list(
                Session.objects.filter(
                    group__in=visible_groups(self.membership),  # type: ignore[arg-type]
                    held_on=self.today,
                )
                .exclude(status=SessionStatus.CANCELLED)
                .order_by("starts_at", "pk")
                .values_list("pk", "group__name", "starts_at")[:MAX_GROUPS]
            )
            zone = zoneinfo.ZoneInfo(self.membership.organization.time_zone)  # type: ignore[union-attr]
            for pk, name, starts_at in sessions:
                local = timezone.localtime(starts_at, zone)
                links.append(Link(f"Today {local:%H:%M}: {name}", _url("session", pk)))
            links += [Link(name, _url("group", pk)) for pk, name in groups[:MAX_GROUPS]]
            if len(groups) > MAX_GROUPS:
                links.append(Link("All groups", _url("home") + "#groups"))
        links += _links(
            (role in CLINICAL_ROLES, "Participants", _url("participants")),
            (role in IDENTITY_ROLES, "Identities", _url("identities")),
            (role in INTAKE_ROLES, "Intake", _url("intake-home")),
            (role in CLINICAL_ROLES, "Engagement early warning", _url("engagement-risk")),
            (role in CLINICAL_ROLES, "Practice library", _url("practice-library")),
            (role in CLINICAL_ROLES, "Self-practice", _url("self-practice")),
            (role in DECISION_ROLES, "Alumni mentors", _url("connection-mentors")),
        )
        return Section("Groups and people" if role in CLINICAL_ROLES else "People", links)

    def _program(self, role: Role) -> Section:
        # Managers land on the dashboard (which lists the documents due); the others who see
        # the due queue have it on their home page.
        due = (
            _url("dashboard") + "#actions"
            if role == Role.PROGRAM_MANAGER
            else _url("home") + "#due-h"
        )
        return Section(
            "Program",
            _links(
                (role in DASHBOARD_ROLES, "Dashboard", _url("dashboard")),
                (role in QUEUE_ROLES, "Documents due", due),
                (role in EVALUATION_ROLES, "Evaluation", _url("evaluation")),
                (role in SETUP_ROLES, "Programs and groups", _url("programs:program_list")),
                (role in FEE_ROLES, "Fees", _url("fees:aging")),
                (role in TRAINING_ROLES, "Training and fidelity", _url("training-team")),
                (role in AUDIT_ROLES, "Access log", _url("access-log")),
            ),
        )

    def _safety(self, role: Role) -> Section:
        return Section(
            "Safety",
            _links(
                (role in SAFETY_ROLES, "Partner safety", _url("safety-home")),
                (role in SIGNAL_ROLES, "Discrepancy signal", _url("safety-signals")),
                (role in HOLD_ROLES, "Mentoring holds", _url("connection-holds")),
                (role in HANDLER_ROLES, "Incidents", _url("incidents")),
                (role in SETUP_ROLES, "Duty to warn", _url("incident-procedures")),
            ),
        )

    def _admin(self, role: Role) -> Section:
        return Section(
            "Settings",
            _links(
                (role == Role.ORG_ADMIN, "Settings", _url("settings")),
                (role == Role.ORG_ADMIN, "Data rights", _url("data-rights")),
            ),
        )

    @cached_property
    def search_url(self) -> str:
        """The participant search (built by the participant pages) for roles that may use it."""
        if not self.verified or self.membership is None:
            return ""
        if self.membership.role not in CLINICAL_ROLES:
            return ""
        return _url("participants:search") or _url("participant-search")


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``menu`` (see ``Menu``); ``membership`` is set by its own processor."""
    user = getattr(request, "user", None)
    membership = (
        getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    )
    return {"menu": Menu(request, membership)}
