"""The measures panels on pages owned by other apps (home, session, participant).

The owning page's view calls these and hands the result to its template, which includes
``measures/_home_alerts.html``, ``measures/_session_panel.html`` or
``measures/_participant_panel.html``; the templates only format. Each returns ``None`` for a
role that sees nothing clinical (an evaluator, a partner-safety worker), so the panel is
simply absent even if the page is later opened to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from alliance.core.enrollment import OPEN_STATUSES
from alliance.languages import language_of
from alliance.measures.administration.selectors import (
    RATING_SCALE,
    SessionMeasureRow,
    item_rows,
    open_kiosks,
    session_measure_rows,
)
from alliance.measures.administration.services import new_key
from alliance.measures.alerts.selectors import open_alerts, participant_alerts
from alliance.measures.forms import instrument_choices
from alliance.measures.models import CHECKOUT, FACILITATOR_RATING, Alert, Kiosk, KioskPin, Occasion
from alliance.measures.permissions import sees_clinical
from alliance.measures.registry import administrable, definition_for, has_wording
from alliance.measures.statistics.selectors import Trajectory, trajectories
from alliance.measures.statistics.zones import ZoneTrack, participant_zones
from alliance.organizations.models import Membership, Role
from alliance.participants.models import Enrollment, Participant
from alliance.programs.models import Group, Program, Session
from alliance.programs.permissions import visible_groups, visible_programs


@dataclass(frozen=True)
class HomeAlerts:
    """Open alerts about the men the user sees, and links to his groups' and programs' figures."""

    alerts: list[Alert]
    groups: list[Group]
    programs: list[Program]


def home_alerts(membership: Membership | None) -> HomeAlerts | None:
    if membership is None or not sees_clinical(membership):
        return None
    groups = visible_groups(membership).filter(is_active=True)
    programs = (
        visible_programs(membership).filter(groups__in=groups).distinct()
        if membership.role == Role.FACILITATOR
        else visible_programs(membership)
    )
    return HomeAlerts(alerts=open_alerts(membership), groups=list(groups), programs=list(programs))


@dataclass(frozen=True)
class SessionMeasures:
    """Each man's check-out and rating form (with a fresh form key), and the open kiosks."""

    session: Session
    rows: list[tuple[SessionMeasureRow, str]]
    items: list[tuple[str, str]]
    scale: range
    kiosks: list[Kiosk]


def session_measures(membership: Membership | None, session: Session) -> SessionMeasures | None:
    """For a session the caller already may see (checked by the view)."""
    if not sees_clinical(membership):
        return None
    return SessionMeasures(
        session=session,
        rows=[(row, new_key()) for row in session_measure_rows(session)],
        items=item_rows(definition_for(FACILITATOR_RATING)),
        scale=RATING_SCALE,
        kiosks=open_kiosks(session),
    )


@dataclass(frozen=True)
class ParticipantMeasures:
    """His alerts and trajectories, and the forms to record a measure.

    Every enrollment, open or closed, has its releases (a court report often comes after he
    completed); only open ones (``enrollments``) get the forms to record a measure.
    """

    alerts: list[Alert]
    trajectories: list[Trajectory]
    enrollments: Sequence[Enrollment]
    every_enrollment: Sequence[Enrollment]
    paper_choices: list[tuple[str, str]]
    #: Only instruments with wording in his language (a phone link to the others would
    #: show "Item 1 … Item N"); the session check-out first, the default.
    link_choices: list[tuple[str, str]]
    #: His language's name, for the note under the phone-link list.
    link_language: str
    zones: list[ZoneTrack]
    occasions: list[tuple[str, str]]


def phone_link_choices(language: str) -> list[tuple[str, str]]:
    """(id, title) of the instruments a phone link may send a man who reads ``language``: those
    with wording in it, the session check-out first (the default of the list)."""
    choices = [
        (d.id, d.title)
        for d in administrable()
        if d.respondent.value == "participant" and has_wording(d, language)
    ]
    return sorted(choices, key=lambda c: c[0] != CHECKOUT)


def participant_measures(
    membership: Membership | None, participant: Participant
) -> ParticipantMeasures | None:
    """For a man the caller already may see (``access_participant``, checked by the view)."""
    if not sees_clinical(membership):
        return None
    every = list(
        participant.enrollments.select_related("program", "group")
        .annotate(has_pin=Exists(KioskPin.objects.filter(enrollment=OuterRef("pk"))))
        .order_by("-referred_on")
    )
    open_statuses = {s.value for s in OPEN_STATUSES}
    current = next((e for e in every if e.status in open_statuses), None)
    language = language_of(
        primary_language=participant.primary_language,
        group_language=current.group.language if current and current.group else None,
    )
    return ParticipantMeasures(
        alerts=participant_alerts(participant),
        trajectories=trajectories(participant),
        enrollments=[e for e in every if e.status in open_statuses],
        every_enrollment=every,
        paper_choices=instrument_choices(),
        link_choices=phone_link_choices(language),
        link_language=language,
        occasions=Occasion.choices,
        zones=participant_zones(every),
    )
