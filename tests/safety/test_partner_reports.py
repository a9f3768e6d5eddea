"""Partner reports: her consent first, her reports encrypted, the discrepancy signal for Petra
and Bob only, and her release of the flag.

World (tests/factories.py, frozen at 10 Mar 2025): RIV-101 (``world.good``) is in group A at
North, where Bob supervises; RIV-201 (``world.man_b``) is at South, outside Bob's sites.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from alliance.core.partner_reports import ITEM_IDS, Signal
from alliance.measures.administration.services import submit_administration
from alliance.measures.administration.tokens import create_participant_link
from alliance.measures.models import CHECKOUT
from alliance.measures.registry import definition_for
from alliance.safety import partner_reports
from alliance.safety.discrepancy import signal_for
from alliance.safety.models import (
    REPORT_ITEMS,
    DiscrepancyRelease,
    PartnerReport,
    PartnerReportConsent,
)
from alliance.safety.services import SafetyError
from tests.web.helpers import text


def give_checkouts(world, enrollment, days_and_values) -> None:
    """His check-outs through the real link and scoring path; every item ``value`` so the
    total (the mean of the items) is ``value``."""
    definition = definition_for(CHECKOUT)
    for index, (day, value) in enumerate(days_and_values):
        link, _ = create_participant_link(
            actor=world.alice, enrollment=enrollment, definition=definition, administered_on=day
        )
        submit_administration(
            actor=None,
            administration=link.administration,
            answers={item.id: float(value) for item in definition.items},
            submission_key=f"co-{enrollment.pk}-{index}",
        )


def consent(world, record, on) -> PartnerReportConsent:
    return partner_reports.record_report_consent(
        actor=world.petra,
        record=record,
        decision="given",
        decided_on=on,
        how="phone",
        today=world.today,
    )


def report(world, record, on, felt, controlling, respectful, change, note="") -> PartnerReport:
    return partner_reports.record_partner_report(
        actor=world.petra,
        record=record,
        reported_on=on,
        mode="phone",
        answers={
            "felt_safety": felt,
            "controlling": controlling,
            "respectful": respectful,
            "change": change,
        },
        worker_note=note,
        today=world.today,
    )


def discrepancy_for_riv101(world, partners) -> None:
    """Her reports 2.0 (8 Jan) and 2.0 (3 Mar); his check-outs 4 and 4 before the first, 7
    and 8 before the latest: +3.5 for him, 0 for her."""
    first, latest = dt.date(2025, 1, 8), dt.date(2025, 3, 3)
    give_checkouts(
        world,
        world.good,
        [
            (first - dt.timedelta(days=7), 4),
            (first, 4),
            (latest - dt.timedelta(days=7), 7),
            (latest, 8),
        ],
    )
    consent(world, partners.current, first)
    report(world, partners.current, first, 2, 2, 2, 2)
    report(world, partners.current, latest, 2, 2, 2, 2, note="SENTINEL-REPORT-NOTE")


def test_the_model_columns_are_the_measure_items() -> None:
    assert REPORT_ITEMS == ITEM_IDS


def test_without_her_consent_nothing_is_recorded_and_the_page_says_why(
    world, partners, as_user
) -> None:
    petra = as_user(world.petra)
    page = text(petra.get(reverse("safety-partner", args=[partners.current.pk])))
    assert "No consent in force" in page
    assert "Record a partner report" not in page  # no form without consent
    response = petra.post(
        reverse("safety-report-add", args=[partners.current.pk]),
        {"reported_on": "2025-03-01", "mode": "phone", "felt_safety": "3"},
    )
    assert response.status_code == 400
    assert "consent: she has not agreed to give partner reports" in text(response)
    assert not PartnerReport.objects.exists()


def test_a_decline_is_recorded_and_allows_no_report(world, partners, as_user) -> None:
    petra = as_user(world.petra)
    response = petra.post(
        reverse("safety-report-consent-add", args=[partners.current.pk]),
        {"decision": "declined", "decided_on": "2025-03-01", "how": "text"},
    )
    assert response.status_code == 302
    row = PartnerReportConsent.objects.get()
    assert (row.decision, row.decided_on, row.how, row.recorded_by_id) == (
        "declined",
        dt.date(2025, 3, 1),
        "text",
        world.petra.pk,
    )
    with pytest.raises(SafetyError, match="consent:"):
        report(world, partners.current, dt.date(2025, 3, 2), 3, 1, 3, 2)


def test_with_consent_her_report_is_stored_encrypted(world, partners, as_user) -> None:
    petra = as_user(world.petra)
    petra.post(
        reverse("safety-report-consent-add", args=[partners.current.pk]),
        {"decision": "given", "decided_on": "2025-02-01", "how": "in_person"},
    )
    response = petra.post(
        reverse("safety-report-add", args=[partners.current.pk]),
        {
            "reported_on": "2025-03-01",
            "mode": "phone",
            "felt_safety": "3",
            "controlling": "1",
            "respectful": "2",
            "change": "",
            "worker_note": "She called from work.",
        },
    )
    assert response.status_code == 302
    stored = PartnerReport.objects.get()
    assert stored.answers() == {"felt_safety": 3, "controlling": 1, "respectful": 2, "change": None}
    assert stored.worker_note == "She called from work."
    assert stored.consent.decision == "given"
    assert stored.definition_version == "1.0.0"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT felt_safety, worker_note FROM safety_partnerreport WHERE id = %s", [stored.pk]
        )
        raw = cursor.fetchone()
    assert all(value.startswith("gAAAA") for value in raw)
    assert "She called from work." not in "".join(raw)
    page = text(petra.get(reverse("safety-partner", args=[partners.current.pk])))
    assert "Consent in force" in page
    assert "She called from work." in page
    assert "2.67" in page  # (3 + 3 + 2) / 3
    assert "not externally validated" in page


def test_an_answer_outside_0_to_4_is_refused_naming_the_item(world, partners, as_user) -> None:
    consent(world, partners.current, dt.date(2025, 2, 1))
    response = as_user(world.petra).post(
        reverse("safety-report-add", args=[partners.current.pk]),
        {"reported_on": "2025-03-01", "mode": "phone", "felt_safety": "5"},
    )
    assert response.status_code == 400
    assert "felt_safety" in text(response)
    with pytest.raises(SafetyError, match="controlling: the answer must be from 0 to 4"):
        report(world, partners.current, dt.date(2025, 3, 1), 3, 7, 3, 3)
    assert not PartnerReport.objects.exists()


def test_a_report_in_the_future_or_with_no_answer_is_refused(world, partners) -> None:
    consent(world, partners.current, dt.date(2025, 2, 1))
    with pytest.raises(SafetyError, match="reported_on: the date cannot be in the future"):
        report(world, partners.current, world.today + dt.timedelta(days=1), 3, 1, 3, 3)
    with pytest.raises(SafetyError, match="felt_safety: record at least one"):
        report(world, partners.current, world.today, None, None, None, None)


def test_withdrawing_consent_stops_later_reports_and_keeps_earlier_ones(
    world, partners, as_user
) -> None:
    given = consent(world, partners.current, dt.date(2025, 1, 1))
    report(world, partners.current, dt.date(2025, 2, 1), 3, 1, 3, 2)
    response = as_user(world.petra).post(
        reverse("safety-report-consent-withdraw", args=[given.pk]), {"withdrawn_on": "2025-03-01"}
    )
    assert response.status_code == 302
    given.refresh_from_db()
    assert (given.withdrawn_on, given.withdrawn_by_id) == (dt.date(2025, 3, 1), world.petra.pk)
    with pytest.raises(SafetyError, match="consent:"):
        report(world, partners.current, dt.date(2025, 3, 2), 3, 1, 3, 2)
    # A report for a day the consent covered is still allowed (she told us then).
    report(world, partners.current, dt.date(2025, 2, 20), 3, 1, 3, 2)
    assert PartnerReport.objects.count() == 2


def test_the_signal_is_raised_from_real_checkouts_and_reports(world, partners) -> None:
    discrepancy_for_riv101(world, partners)
    result = signal_for(partners.current, today=world.today)
    assert result.signal == Signal.DISCREPANCY
    assert (result.his_baseline, result.his_recent) == (4.0, 7.5)
    assert result.her_change == 0.0


def test_petra_and_bob_see_the_flag_and_bob_never_her_words(world, partners, as_user) -> None:
    discrepancy_for_riv101(world, partners)
    petra_page = text(as_user(world.petra).get(reverse("safety-signals")))
    assert "RIV-101" in petra_page
    assert "Discrepancy" in petra_page
    bob = as_user(world.bob)
    bob_page = text(bob.get(reverse("safety-signals")))
    assert "RIV-101" in bob_page
    assert "1 of 1 partner record" in bob_page
    assert "4.0 → 7.5" in bob_page
    assert "Flat or worse" in bob_page
    man_page = text(bob.get(reverse("safety-man-signal", args=[world.good.participant_id])))
    assert "His check-outs rose +3.5 points" in man_page
    for page in (bob_page, man_page):
        assert "SENTINEL" not in page  # not her name, her record, nor the worker's note
    # Bob may not open her record.
    assert bob.get(reverse("safety-partner", args=[partners.current.pk])).status_code == 404


def test_a_supervisor_sees_no_signal_outside_his_sites(world, partners, as_user) -> None:
    consent(world, partners.former, dt.date(2025, 1, 1))
    report(world, partners.former, dt.date(2025, 2, 1), 1, 3, 1, 0)
    bob = as_user(world.bob)
    assert "RIV-201" not in text(bob.get(reverse("safety-signals")))
    url = reverse("safety-man-signal", args=[world.man_b.participant_id])
    assert bob.get(url).status_code == 404
    assert as_user(world.petra).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["alice", "charlie", "mona", "olga", "eve", "ines"])
def test_everyone_else_gets_404(world, partners, as_user, persona) -> None:
    discrepancy_for_riv101(world, partners)
    client = as_user(getattr(world, persona))
    assert client.get(reverse("safety-signals")).status_code == 404
    url = reverse("safety-man-signal", args=[world.good.participant_id])
    assert client.get(url).status_code == 404


def test_her_release_of_the_flag_is_specific_dated_and_withdrawable(
    world, partners, as_user
) -> None:
    discrepancy_for_riv101(world, partners)
    petra = as_user(world.petra)
    response = petra.post(
        reverse("safety-flag-release-add", args=[partners.current.pk]),
        {"recipient": "probation", "given_on": "2025-03-05", "how": "phone"},
    )
    assert response.status_code == 302
    release = DiscrepancyRelease.objects.get()
    assert (release.recipient, release.given_on, release.recorded_by_id) == (
        "probation",
        dt.date(2025, 3, 5),
        world.petra.pk,
    )
    assert "His probation officer" in text(as_user(world.bob).get(reverse("safety-signals")))
    petra = as_user(world.petra)
    # A second release for the same recipient while one is in force is refused.
    again = petra.post(
        reverse("safety-flag-release-add", args=[partners.current.pk]),
        {"recipient": "probation", "given_on": "2025-03-06", "how": "phone"},
    )
    assert again.status_code == 400
    assert "recipient: a release for this recipient is already in force" in text(again)
    petra.post(
        reverse("safety-flag-release-withdraw", args=[release.pk]), {"withdrawn_on": "2025-03-09"}
    )
    release.refresh_from_db()
    assert release.withdrawn_on == dt.date(2025, 3, 9)
    assert "Nobody" in text(as_user(world.bob).get(reverse("safety-signals")))


def test_the_facilitator_and_the_man_never_see_the_signal(world, partners, as_user) -> None:
    discrepancy_for_riv101(world, partners)
    alice = as_user(world.alice)
    his_page = text(alice.get(reverse("participant", args=[world.good.participant_id])))
    assert "discrepanc" not in his_page.lower()
