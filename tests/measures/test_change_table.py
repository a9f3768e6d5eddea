"""The program measures page's change table, and the evaluation's d_z beside it, both pair each
man's first and last score (one pairing, keyed by enrollment); checked against a naive
computation from the stored scores."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import statistics
from collections import defaultdict

import numpy as np
import pytest

from alliance.core.outcomes import cohens_dz
from alliance.measures.administration.services import start_administration, submit_administration
from alliance.measures.models import CHECKOUT, ItemResponse, Score
from alliance.measures.registry import definition_for
from alliance.measures.statistics.selectors import change_table, first_and_last_scores
from alliance.outcomes.measures_change import measure_changes
from alliance.programs.models import Program
from tests.factories import World
from tests.measures.test_pictures import ITEMS, checkouts, fill_group
from tests.web.helpers import text


def one_paper_checkout(world: World, enrollment, day: dt.date, value: float) -> None:
    administration = start_administration(
        actor=world.alice,
        enrollment=enrollment,
        definition=definition_for(CHECKOUT),
        respondent="paper",
        channel="staff",
        administered_on=day,
        idempotency_key=f"paper-{enrollment.pk}-{day}",
    )
    submit_administration(
        actor=world.alice,
        administration=administration,
        answers=dict.fromkeys(ITEMS, value),
        submission_key=f"paper-s-{enrollment.pk}-{day}",
    )


def naive_checkout_figures(program: Program) -> dict[str, object]:
    """First and last check-out total per man, SD of the first ones, alpha of the answers,
    and the Jacobson-Truax classes without a cutoff (no norms for the check-out)."""
    by_man: dict[int, list[tuple[dt.date, int, float]]] = defaultdict(list)
    for s in Score.objects.filter(
        enrollment__program=program, instrument_id=CHECKOUT, scale_id="total"
    ):
        by_man[s.enrollment_id].append((s.administered_on, s.administration_id, s.value))
    ends = {e: (min(rows), max(rows)) for e, rows in by_man.items()}
    firsts = [first[2] for first, _ in ends.values()]
    pairs = {e: (f[2], last[2]) for e, (f, last) in ends.items() if last[0] > f[0]}
    answers: dict[int, dict[str, float]] = defaultdict(dict)
    for r in ItemResponse.objects.filter(
        administration__enrollment__program=program, administration__instrument_id=CHECKOUT
    ):
        answers[r.administration_id][r.item_id] = r.value
    matrix = np.array([[row[i] for i in ITEMS] for row in answers.values()])
    c = np.cov(matrix, rowvar=False)
    alpha = 4 / 3 * (1 - np.trace(c) / c.sum())  # Cronbach (1951), eq. 2
    sd = statistics.stdev(firsts)
    s_diff = math.sqrt(2) * sd * math.sqrt(1 - alpha)
    rc = [(post - pre) / s_diff for pre, post in pairs.values()]
    return {
        "men_with_a_score": len(firsts),
        "forms": len(matrix),
        "pairs": pairs,
        "minimum": 1.96 * s_diff,
        "improved": sum(r > 1.96 for r in rc),
        "unchanged": sum(-1.96 <= r <= 1.96 for r in rc),
        "deteriorated": sum(r < -1.96 for r in rc),
    }


@pytest.fixture
def scored(world: World) -> World:
    fill_group(world)
    checkouts(world, world.man_c, [5, 6, 7, 8, 9, 9, 9, 9])
    # One score only: part of the SD of first scores, but no pair of his own.
    one_paper_checkout(world, world.in_intake, world.sessions_a[0].held_on, 2)
    return world


def test_the_change_table_pairs_each_mans_first_and_last_check_out(scored: World, as_user) -> None:
    naive = naive_checkout_figures(scored.program)
    assert naive["men_with_a_score"] == 6
    assert len(naive["pairs"]) == 5
    page = text(as_user(scored.mona).get(f"/programs/{scored.program.pk}/measures/"))
    body = re.sub(r">\s+<", "><", page)
    row = (
        f"<td>Alliance session check-out</td><td>5</td>"
        f'<td><span class="muted">n/a</span></td>'
        f"<td>{naive['improved']}</td><td>{naive['unchanged']}</td>"
        f"<td>{naive['deteriorated']}</td>"
        f'<td>±{naive["minimum"]:.2f} <span class="muted">('
        + html.escape(
            "SD of this program's first scores (n = 6); this program's Cronbach's alpha "
            f"(n = {naive['forms']}); not externally validated"
        )
        + ")</span></td>"
    )
    assert row in body


def test_the_evaluations_effect_size_is_on_the_same_pairs(scored: World) -> None:
    naive = naive_checkout_figures(scored.program)
    pre, post = zip(*naive["pairs"].values(), strict=True)
    [checkout] = [
        m
        for m in measure_changes(Program.objects.filter(pk=scored.program.pk))
        if m.row.title == "Alliance session check-out"
    ]
    assert checkout.row.n == 5
    assert checkout.effect is not None
    assert checkout.effect.estimate == pytest.approx(cohens_dz(pre, post).estimate)


def test_each_mans_first_and_last_score_is_keyed_by_his_enrollment(scored: World) -> None:
    naive = naive_checkout_figures(scored.program)
    ends = first_and_last_scores(scored.program).loc[(CHECKOUT, "total")]
    assert set(ends.index) == {*naive["pairs"], scored.in_intake.pk}
    for enrollment_id, (first, last) in naive["pairs"].items():
        row = ends.loc[enrollment_id]
        assert (row["first_score"], row["last_score"]) == (first, last)
        assert row["last_on"] > row["first_on"]
    alone = ends.loc[scored.in_intake.pk]
    assert alone["first_score"] == alone["last_score"] == 2
    assert alone["first_on"] == alone["last_on"]


def test_a_program_without_scores_has_no_pairs_and_no_change_rows(world: World, as_user) -> None:
    assert first_and_last_scores(world.program).empty
    assert change_table(world.program) == []
    body = text(as_user(world.mona).get(f"/programs/{world.program.pk}/measures/"))
    assert "No man has two scores on any measure yet." in body
