"""Program-level practice figures: homework completion by session, and practice dose
against change on the self-compassion measure (SCS-SF total) through the core mixed model."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from alliance.core.practice import DoseEffect, fit_dose_effect
from alliance.measures.models import Score
from alliance.participants.models import Enrollment
from alliance.practice.models import Assignment, DoseEstimate, PracticeLog
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


def program_practice(program: Program) -> ProgramPractice:
    """Homework completion by session: three queries whatever the program's size. (The dose
    analysis is :func:`dose_panel`.)"""
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
    return ProgramPractice(completion=completion)


#: A stored estimate older than this is refitted on the next read.
DOSE_MAX_AGE = dt.timedelta(hours=6)


def dose_estimates(programs: Sequence[Program], *, now: dt.datetime) -> list[DoseEstimate]:
    """The stored dose estimate of each program, refitted where missing or stale.

    One query when every estimate is fresh (the dashboard's usual case); a stale or missing
    one costs two queries and a model fit, once per ``DOSE_MAX_AGE``.
    """
    ids = [p.pk for p in programs]
    stored = {e.program_id: e for e in DoseEstimate.objects.filter(program_id__in=ids)}
    out = []
    for program in programs:
        estimate = stored.get(program.pk)
        if estimate is None or now - estimate.computed_at > DOSE_MAX_AGE:
            estimate = refresh_dose_estimate(program, now=now)
        out.append(estimate)
    return out


#: Fewer men than this and the picture is left out (the estimate needs 10 anyway).
MIN_POINTS_FOR_PICTURE = 5


def dose_panel(programs: Sequence[Program], *, now: dt.datetime) -> list[dict[str, object]]:
    """What the dose panel shows for each program: the stored estimate and its picture."""
    from alliance.practice.charts import minutes_against_change_svg

    return [
        {
            "program": program,
            "dose": estimate,
            "svg": minutes_against_change_svg(estimate.points, measure="SCS-SF total")
            if len(estimate.points) >= MIN_POINTS_FOR_PICTURE
            else "",
        }
        for program, estimate in zip(programs, dose_estimates(programs, now=now), strict=True)
    ]


def completion_pictures(completion: Sequence[SessionCompletion]) -> list[str]:
    """One homework-completion-by-session picture per group."""
    from alliance.practice.charts import completion_by_session_svg

    by_group: dict[str, list[tuple[dt.date, int, int]]] = defaultdict(list)
    for row in completion:
        by_group[row.group].append((row.held_on, row.done, row.men))
    return [completion_by_session_svg(group, rows) for group, rows in sorted(by_group.items())]


def refresh_dose_estimate(program: Program, *, now: dt.datetime) -> DoseEstimate:
    """Fit the program's dose model now and store the result (or the reason there is none)."""
    dose, reason, points = _dose(program)
    values = {
        "computed_at": now,
        "per_hour": dose.per_hour if dose else None,
        "ci_low": dose.ci_low if dose else None,
        "ci_high": dose.ci_high if dose else None,
        "per_week": dose.per_week if dose else None,
        "men": dose.men if dose else 0,
        "observations": dose.observations if dose else 0,
        "reason": reason[:300],
        "points": points,
    }
    estimate, _ = DoseEstimate.objects.update_or_create(program=program, defaults=values)
    return estimate


def dose_frame(scores: pd.DataFrame, practice: pd.DataFrame) -> pd.DataFrame:
    """One row per score: weeks since his first score, and his practice hours before it.

    ``scores`` has ``participant``, ``day``, ``score``; ``practice`` has ``participant``,
    ``day``, ``minutes`` (done practice only).
    """
    scores = scores.sort_values(["participant", "day"]).reset_index(drop=True)
    first = scores.groupby("participant")["day"].transform("min")
    scores["weeks"] = (pd.to_datetime(scores["day"]) - pd.to_datetime(first)).dt.days / 7
    scores["row"] = range(len(scores))
    paired = scores[["row", "participant", "day"]].merge(
        practice, on="participant", how="inner", suffixes=("", "_log")
    )
    paired = paired[paired["day_log"] < paired["day"]]
    minutes = paired.groupby("row")["minutes"].sum()
    scores["practice_hours"] = scores["row"].map(minutes).fillna(0.0).astype(float) / 60
    return scores.drop(columns="row")


def man_points(frame: pd.DataFrame, practice: pd.DataFrame) -> list[list[float]]:
    """Per man with two or more scores: [practice minutes between his first and last score,
    change from first to last score]. No ids: for the picture only."""
    points = []
    for man, rows in frame.groupby("participant", sort=True):
        if len(rows) < 2:
            continue
        first, last = rows.iloc[0], rows.iloc[-1]
        mine = practice[
            (practice["participant"] == man)
            & (practice["day"] >= first["day"])
            & (practice["day"] < last["day"])
        ]
        points.append([float(mine["minutes"].sum()), float(last["score"] - first["score"])])
    return points


def _dose(program: Program) -> tuple[DoseEffect | None, str, list[list[float]]]:
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
        return None, "No self-compassion (SCS-SF) scores yet.", []
    scores["score"] = scores["score"].astype(float)
    frame = dose_frame(scores, practice)
    repeated = frame.groupby("participant").filter(lambda g: len(g) >= 2)
    points = man_points(repeated, practice)
    try:
        return fit_dose_effect(repeated), "", points
    except ValueError as exc:
        return None, f"Not enough data for the dose analysis: {exc}.", points
    except Exception:  # a singular fit must not break the page
        return None, "The model could not be fitted to these data.", points
