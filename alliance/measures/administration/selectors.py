"""Reads: the session's measures (check-outs and ratings), its kiosks and roster, and what a
form shows for each item."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from alliance.core.compliance import IN_THE_ROOM
from alliance.core.instruments import InstrumentDefinition
from alliance.core.vocabulary import AttendanceMark
from alliance.measures.models import CHECKOUT, PROJECT_AUTHORED, Administration, Kiosk
from alliance.measures.registry import DEFINITION_LANGUAGE, item_label, item_wording
from alliance.participants.models import Enrollment
from alliance.programs.models import Session
from alliance.programs.selectors import session_rows

#: The facilitator rating's answer scale, 0 to 10, as the rating form offers it.
RATING_SCALE = range(0, 11)


@dataclass
class SessionMeasureRow:
    enrollment: Enrollment
    attended: bool
    checkout: float | None = None
    checkout_status: str = ""
    rating: dict[str, float] = field(default_factory=dict)
    rating_total: float | None = None


def session_measure_rows(session: Session) -> list[SessionMeasureRow]:
    """Each man on the session's list with his check-out and the facilitator's rating."""
    rows = []
    for row in session_rows(session):
        attended = row.attendance is not None and row.attendance.mark in IN_THE_ROOM
        rows.append(SessionMeasureRow(row.enrollment, attended))
    by_enrollment = {r.enrollment.pk: r for r in rows}
    administrations = Administration.objects.filter(
        session=session, instrument_id__in=PROJECT_AUTHORED
    ).prefetch_related("scores", "responses")
    for administration in administrations:
        target = by_enrollment.get(administration.enrollment_id)
        if target is None:
            continue
        total = next((s.value for s in administration.scores.all() if s.scale_id == "total"), None)
        if administration.instrument_id == CHECKOUT:
            target.checkout = total
            target.checkout_status = administration.status
        else:
            target.rating_total = total
            target.rating = {
                r.item_id: r.value for r in administration.responses.all() if r.value is not None
            }
    return rows


def open_kiosks(session: Session, *, now: dt.datetime | None = None) -> list[Kiosk]:
    now = now or timezone.now()
    return list(Kiosk.objects.filter(session=session, closed_at__isnull=True, expires_at__gt=now))


def kiosk_roster(session: Session) -> list[tuple[int, str]]:
    """(enrollment id, label) for each man expected at the session and not marked away.

    A man already marked absent or excused is left out (he is not in the room). The label is
    his initials; when two men share initials, each gets the last digits of his code
    ("JD 69"), as few as tell them apart, and nothing more about him.
    """
    away = {AttendanceMark.EXCUSED.value, AttendanceMark.UNEXCUSED.value}
    men = [
        (
            row.enrollment.pk,
            (row.enrollment.participant.initials or "?").upper(),
            row.enrollment.participant.code,
        )
        for row in session_rows(session)
        if row.enrollment.status == "active"
        and not (row.attendance is not None and row.attendance.mark in away)
    ]
    return [(man[0], label) for man, label in zip(men, _distinct_labels(men), strict=True)]


def _distinct_labels(men: list[tuple[int, str, str]]) -> list[str]:
    """Initials, with just enough of the code's last digits where initials repeat."""
    shared = Counter(initials for _, initials, _ in men)
    labels = [initials for _, initials, _ in men]
    width = 2
    while len(set(labels)) < len(labels) and width <= max((len(m[2]) for m in men), default=0):
        labels = [
            f"{initials} {_digits(code)[-width:]}" if shared[initials] > 1 else initials
            for _, initials, code in men
        ]
        width += 1
    return labels


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit()) or code


def item_rows(definition: InstrumentDefinition) -> list[tuple[str, str]]:
    """(item id, label) for a form."""
    return [(item.id, item_label(definition, item)) for item in definition.items]


@dataclass(frozen=True)
class FormItem:
    id: str
    label: str
    kind: str  # "choice" (radio buttons), "number", "text"
    choices: tuple[tuple[str, str], ...]
    min: float | None
    max: float | None
    step: float | None
    value: str
    low_anchor: str = ""
    high_anchor: str = ""
    #: Shown in English because it has no wording in his language (the page says so).
    fallback: bool = False


def _plain_number(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_items(
    definition: InstrumentDefinition,
    saved: dict[str, object],
    posted: dict[str, str],
    language: str = DEFINITION_LANGUAGE,
) -> list[FormItem]:
    """What a form shows for each item, worded in ``language`` where the definition has it:
    what he just posted, else what is saved."""
    items = []
    for item in definition.items:
        response = item.response
        current = posted.get(item.id) or _plain_number(saved.get(item.id))
        wording = item_wording(definition, item, language)
        anchors = wording.anchors
        choices: tuple[tuple[str, str], ...]
        if response.kind.value == "free_text":
            kind, choices = "text", ()
        elif response.kind.value == "yes_no":
            kind, choices = "choice", (("1", gettext("Yes")), ("0", gettext("No")))
        elif (
            response.step == 1
            and response.min is not None
            and response.max is not None
            and response.max - response.min <= 10
        ):
            kind = "choice"
            choices = tuple(
                (str(v), str(v)) for v in range(int(response.min), int(response.max) + 1)
            )
        else:
            kind, choices = "number", ()
        low = int(response.min) if response.min is not None else None
        high = int(response.max) if response.max is not None else None
        items.append(
            FormItem(
                id=item.id,
                label=wording.text,
                kind=kind,
                choices=choices,
                min=response.min,
                max=response.max,
                step=response.step,
                value=str(current),
                low_anchor=anchors.get(low, "") if low is not None else "",
                high_anchor=anchors.get(high, "") if high is not None else "",
                fallback=wording.fallback,
            )
        )
    return items
