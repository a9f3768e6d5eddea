"""A small per-process cache of the evaluation's computed parts, keyed by what they read.

The evaluation fits three propensity models and six Cox models and reads every score; for
10,000 men that takes tens of seconds (docs/benchmarks.md), and the page and its PDF compute
the same thing. The key is the programs plus a fingerprint of every table the report reads:
the latest history row of enrollments, participants and outreach alerts (any save adds one),
and the largest id, row count and latest timestamp of follow-ups, outcome events, scores and
outreach actions. Any write the report could see changes the fingerprint, so a cached report
is never stale; the fingerprint itself is a handful of index-only aggregates.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.db.models import Count, Max, QuerySet

from alliance.engagement.models import OutreachAction, OutreachAlert
from alliance.measures.models import Administration, Score
from alliance.outcomes.models import FollowUp, OutcomeEvent
from alliance.participants.models import Enrollment, Participant
from alliance.programs.models import Program

MAX_ENTRIES = 8
_lock = threading.Lock()
_entries: OrderedDict[Hashable, dict[str, Any]] = OrderedDict()


def fingerprint() -> tuple[object, ...]:
    def newest(history: Any) -> object:
        return history.aggregate(m=Max("history_id"))["m"]

    def rows(model: Any, *extra: str) -> tuple[object, ...]:
        found = model.objects.aggregate(m=Max("pk"), n=Count("pk"), **{f: Max(f) for f in extra})
        return tuple(found.values())

    return (
        newest(Enrollment.history),
        newest(Participant.history),
        newest(OutreachAlert.history),
        rows(FollowUp),
        rows(OutcomeEvent),
        rows(Score, "scored_at"),
        rows(Administration, "submitted_at"),
        rows(OutreachAction),
    )


def cached(programs: QuerySet[Program], compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    key = (tuple(sorted(programs.values_list("pk", flat=True))), fingerprint())
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    value = compute()
    with _lock:
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
