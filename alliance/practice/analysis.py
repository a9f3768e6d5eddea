"""Program-level practice figures: homework completion by session, and practice dose
against change on the self-compassion measure (SCS-SF total) through the core mixed model."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from alliance.core.practice import DoseEffect, fit_dose_effect
from alliance.measures.models import Score
from alliance.participants.models import Enrollment
from alliance.practice.models import Assignment, PracticeLog
from alliance.programs.models import Program

COMPASSION_INSTRUMENT = "scs_sf"
COMPASSION_SCALE = "total"


@dataclass(frozen=True)
class SessionCompletion:
    group: str
    held_on: dt.date
    practice: str
    men: int
    done: int


@dataclass(frozen=True)
class ProgramPractice:
    completion: list[SessionCompletion]
    dose: DoseEffect | None
    dose_reason: str


def program_practice(program: Program) -> ProgramPractice:
    """Four queries whatever the program's size."""
    assignments = list(
        Assignment.objects.filter(group__program=program, session__isnull=False)
        .select_related("group", "session", "practice")
        .order_by("group__name", "session__held_on")
    )
    men_by_group: dict[int, int] = defaultdict(int)
    for group_id in Enrollment.objects.filter(program=program).values_list("group_id", flat=True):
        if group_id is not None:
            men_by_group[group_id] += 1
    done: dict[int, set[int]] = defaultdict(set)
    logs = PracticeLog.objects.filter(enrollment__program=program, done=True)
    for assignment_id, enrollment_id in logs.values_list("assignment_id", "enrollment_id"):
        if assignment_id is not None:
            done[assignment_id].add(enrollment_id)
    completion = [
        SessionCompletion(
            group=a.group.name if a.group else "",
            held_on=a.session.held_on if a.session else a.due_on,
            practice=a.practice.title,
            men=men_by_group.get(a.group_id or 0, 0),
            done=len(done.get(a.pk, set())),
        )
        for a in assignments
    ]
    dose, reason = _dose(program)
    return ProgramPractice(completion=completion, dose=dose, dose_reason=reason)


def _dose(program: Program) -> tuple[DoseEffect | None, str]:
    scores = pd.DataFrame(
        list(
            Score.objects.filter(
                enrollment__program=program,
                instrument_id=COMPASSION_INSTRUMENT,
                scale_id=COMPASSION_SCALE,
                value__isnull=False,
            ).values_list("enrollment_id", "administered_on", "value")
        ),
        columns=["participant", "day", "score"],
    )
    practice = pd.DataFrame(
        list(
            PracticeLog.objects.filter(enrollment__program=program, done=True).values_list(
                "enrollment_id", "logged_on", "minutes"
            )
        ),
        columns=["participant", "day", "minutes"],
    )
    if scores.empty:
        return None, "No self-compassion (SCS-SF) scores yet."
    scores = scores.sort_values(["participant", "day"])
    first = scores.groupby("participant")["day"].transform("min")
    scores["weeks"] = [(d - f).days / 7 for d, f in zip(scores["day"], first, strict=True)]
    hours = []
    for man, day in zip(scores["participant"], scores["day"], strict=True):
        mine = practice[(practice["participant"] == man) & (practice["day"] < day)]
        hours.append(float(mine["minutes"].sum()) / 60)
    scores["practice_hours"] = hours
    repeated = scores.groupby("participant").filter(lambda g: len(g) >= 2)
    try:
        return fit_dose_effect(repeated), ""
    except ValueError as exc:
        return None, f"Not enough data for the dose analysis: {exc}."
    except Exception:  # a singular fit must not break the page
        return None, "The model could not be fitted to these data."
