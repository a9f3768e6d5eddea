"""The reportable part of incidents, for court and probation documents.

Only an incident a supervisor closed as reportable, and only its kind and date: both fields
are declared ``clinical-reportable`` on the otherwise ``partner``-class model, and
``require_fields`` refuses to read anything else here. ``alliance.reports`` imports this
module and nothing else of this app (pyproject's import contracts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from alliance.data_classes import REPORTABLE_WITHOUT_RELEASE, require_fields
from alliance.incidents.models import Incident, IncidentKind, IncidentStatus
from alliance.participants.models import Enrollment

FIELDS = ("kind", "occurred_at")


@dataclass(frozen=True)
class ReportableIncident:
    kind: str
    occurred_on: dt.date


def reportable_incidents(
    enrollment: Enrollment, *, start: dt.date | None, end: dt.date
) -> list[ReportableIncident]:
    """Kind and date of the reportable incidents of this enrollment between ``start`` and
    ``end`` (the program's days)."""
    require_fields(Incident, FIELDS, REPORTABLE_WITHOUT_RELEASE, builder="court documents")
    zone = enrollment.program.tzinfo
    rows = (
        Incident.objects.filter(
            enrollment=enrollment, status=IncidentStatus.CLOSED, court_reportable=True
        )
        .order_by("occurred_at")
        .values_list(*FIELDS)
    )
    out = []
    for kind, occurred_at in rows:
        day = timezone.localdate(occurred_at, timezone=zone)
        if (start is None or day >= start) and day <= end:
            out.append(ReportableIncident(kind=IncidentKind(kind).label, occurred_on=day))
    return out
