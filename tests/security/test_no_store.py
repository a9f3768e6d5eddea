"""``Cache-Control: no-store`` on every partner-safety response and every download (L5).

The safety views are found by walking the URLconf, so a view added later is checked without
anyone remembering to list it; each is requested by the partner-safety worker with a GET and
with an empty (refused) POST. Download views are found the same way, by reading each view's
source for a ``Content-Disposition``, and each must be listed here with a request that
produces its file.
"""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from alliance.core.enrollment import EnrollmentStatus
from alliance.outcomes.export_jobs import produce_research_export
from alliance.outcomes.models import ResearchExport
from alliance.participants.services import change_enrollment_status
from alliance.reports.models import SentDocument
from alliance.safety import partner_reports
from alliance.safety import services as safety
from alliance.safety.models import PartnerNotification, PartnerRelease
from tests.factories import World


def walk(patterns, prefix: str = ""):
    """(route, name, view) for every URL pattern, however deeply included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name, pattern.callback


def undecorated(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


SAFETY_VIEWS = sorted(
    (route, name)
    for route, name, view in walk(get_resolver().url_patterns)
    if view.__module__.startswith("alliance.safety.")
)
DOWNLOAD_VIEWS = sorted(
    name
    for _, name, view in walk(get_resolver().url_patterns)
    if any(
        sign in inspect.getsource(undecorated(view))
        for sign in ("Content-Disposition", "_pdf_download(")
    )
)


def assert_not_stored(response) -> None:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private", "no-cache"} <= directives, response.get("Cache-Control")


def test_the_walk_finds_the_safety_pages_and_the_downloads() -> None:
    assert len(SAFETY_VIEWS) >= 12
    assert {"access-log-csv", "evaluation-pdf", "sent-document-pdf"} <= set(DOWNLOAD_VIEWS)


@pytest.fixture
def safety_ids(world: World) -> dict[str, int]:
    """One of each record a safety URL names, all visible to Petra."""
    record = safety.create_partner_record(
        actor=world.petra,
        organization=world.riverside,
        participant=world.in_intake.participant,
        name="Dana Example",
        cautions="never voicemail",
    )
    safety.record_release(
        actor=world.petra,
        record=record,
        kind="enrollment",
        signed_on=world.today - dt.timedelta(days=10),
        today=world.today,
    )
    change_enrollment_status(
        actor=world.alice,
        enrollment=world.in_intake,
        target=EnrollmentStatus.ACTIVE,
        effective_on=world.today,
        reason="Started",
        group=world.group_a,
        today=world.today,
    )
    concern = safety.raise_concern(
        actor=world.petra,
        record=record,
        level="high",
        raised_on=world.today - dt.timedelta(days=3),
        narrative="Worried about the weekend",
        today=world.today,
    )
    consent = partner_reports.record_report_consent(
        actor=world.petra,
        record=record,
        decision="given",
        decided_on=world.today - dt.timedelta(days=5),
        how="phone",
        today=world.today,
    )
    partner_reports.record_partner_report(
        actor=world.petra,
        record=record,
        reported_on=world.today,
        mode="phone",
        answers={"felt_safety": 2, "controlling": 2, "respectful": 2, "change": 1},
        today=world.today,
    )
    flag_release = partner_reports.record_flag_release(
        actor=world.petra,
        record=record,
        recipient="probation",
        given_on=world.today,
        how="phone",
        today=world.today,
    )
    return {
        "partner_id": record.pk,
        "release_id": PartnerRelease.objects.filter(partner=record).latest("pk").pk,
        "concern_id": concern.pk,
        "notification_id": PartnerNotification.objects.get(partner=record).pk,
        "consent_id": consent.pk,
        "flag_release_id": flag_release.pk,
        "participant_id": record.participant_id,
    }


#: Who may use each safety page: the partner-safety worker, except where named here.
PERMITTED = {"safety-break-glass": "olga"}


def safety_url(route: str, ids: dict[str, int]) -> str:
    url = "/" + route
    for kwarg, value in ids.items():
        url = url.replace(f"<int:{kwarg}>", str(value))
    assert "<" not in url, f"no test record for {route}: add one to safety_ids"
    return url


@pytest.mark.parametrize(("route", "name"), SAFETY_VIEWS)
def test_every_safety_page_and_every_refused_post_is_sent_no_store(
    world: World, as_user, safety_ids, route, name
) -> None:
    client = as_user(getattr(world, PERMITTED.get(name, "petra")))
    url = safety_url(route, safety_ids)

    shown = client.get(url)
    refused = client.post(url, {})

    assert shown.status_code in (200, 405), (name, shown.status_code)
    assert refused.status_code < 500, (name, refused.status_code)
    assert_not_stored(shown)
    assert_not_stored(refused)


@pytest.mark.parametrize("action", ["concerns", "contacts", "releases", "edit"])
def test_the_partner_record_re_rendered_after_a_refused_post_is_sent_no_store(
    world: World, as_user, safety_ids, action
) -> None:
    response = as_user(world.petra).post(f"/safety/partners/{safety_ids['partner_id']}/{action}/")

    assert response.status_code == 400
    assert "Dana Example" in response.content.decode()  # the full record, shown again
    assert_not_stored(response)


def test_a_safety_page_refused_to_another_role_is_sent_no_store(
    world: World, as_user, safety_ids
) -> None:
    response = as_user(world.alice).get(f"/safety/partners/{safety_ids['partner_id']}/")

    assert response.status_code == 404
    assert_not_stored(response)


def _sent_document(world: World, client) -> str:
    response = client.post(
        f"/enrollments/{world.good.pk}/reports/enrollment_notice/",
        {"recipient_kind": "probation", "recipient_organization": "Riverside Probation"},
    )
    assert response.status_code == 200  # Produce and send answers with the PDF itself
    return f"/reports/sent/{SentDocument.objects.latest('pk').pk}.pdf"


def _portal_document(world: World, client) -> str:
    from alliance.portal.models import Channel
    from alliance.portal.services import deliver
    from alliance.reports.documents import Recipient
    from alliance.reports.services import send_enrollment_document

    sent = send_enrollment_document(
        actor=world.mona,
        enrollment=world.good,
        kind="enrollment_notice",
        recipient=Recipient(kind="probation", name="", organization="Riverside Probation"),
        today=world.today,
    )
    delivery = deliver(actor=world.mona, document=sent, channel=Channel.PORTAL)
    return f"/portal/documents/{delivery.pk}/pdf/"


def _fee_receipt(world: World, client) -> str:
    from alliance.fees.models import PaymentMethod
    from alliance.fees.services import record_payment

    paid = record_payment(
        actor=world.ines,
        enrollment=world.good,
        amount=2500,
        method=PaymentMethod.CASH,
        on=world.today - dt.timedelta(days=1),
    )
    return f"/fees/entries/{paid.pk}/receipt.pdf"


def _research_export(world: World, client) -> str:
    response = client.post("/evaluation/export/", {"format": "csv", "dates": "shift"})
    assert response.status_code == 302
    export = ResearchExport.objects.latest("pk")
    produce_research_export(export.pk)  # the task (its enqueue waits for a commit)
    return f"/evaluation/export/{export.pk}/download"


#: How to get each download: (persona, method, url or a function of (world, client), data).
DOWNLOADS = {
    "sent-document-pdf": ("olga", "get", _sent_document, None),
    "access-log-csv": ("olga", "get", "/audit/access-log.csv", None),
    "portal-document-pdf": ("otto", "get", _portal_document, None),
    # Produce and send answers with the PDF of what was produced.
    "enrollment-document": (
        "olga",
        "post",
        lambda w, c: f"/enrollments/{w.good.pk}/reports/enrollment_notice/",
        {"recipient_kind": "probation", "recipient_organization": "Riverside Probation"},
    ),
    "program-fhir-answers": (
        "mona",
        "get",
        lambda w, c: f"/programs/{w.program.pk}/measures/fhir-answers.json",
        None,
    ),
    "evaluation-pdf": ("olga", "get", "/evaluation/report.pdf", None),
    "research-export-download": ("olga", "get", _research_export, None),
    "caseload-template-csv": ("olga", "get", "/participants/import/template.csv", None),
    "caseload-template-xlsx": ("olga", "get", "/participants/import/template.xlsx", None),
    "participant-export": (
        "olga",
        "post",
        lambda w, c: f"/participants/{w.good.participant_id}/export/",
        {},
    ),
    # alliance/fees: the accounting export ("fees:export"), a receipt and a statement.
    "export": ("mona", "get", "/fees/export.csv", None),
    "fees-receipt": ("ines", "get", _fee_receipt, None),
    "fees-statement": (
        "ines",
        "get",
        lambda w, c: f"/fees/enrollments/{w.good.pk}/statement.pdf",
        None,
    ),
}


def test_every_download_view_has_a_request_in_this_test() -> None:
    assert set(DOWNLOAD_VIEWS) <= set(DOWNLOADS), set(DOWNLOAD_VIEWS) - set(DOWNLOADS)


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_every_download_is_sent_no_store(world: World, as_user, name) -> None:
    persona, method, url, data = DOWNLOADS[name]
    client = as_user(getattr(world, persona))
    if callable(url):
        url = url(world, client)

    response = getattr(client, method)(url, data or {})

    assert response.status_code == 200, (name, response.content[:500])
    assert response["Content-Type"].split(";")[0] != "text/html"
    assert_not_stored(response)


def test_the_practice_link_page_that_shows_his_token_is_sent_no_store(
    world: World, as_user
) -> None:
    response = as_user(world.alice).post(f"/enrollments/{world.good.pk}/practice-link/")

    assert response.status_code == 200
    assert "/p/" in response.content.decode()
    assert_not_stored(response)


def test_the_practice_sign_in_and_session_pages_are_sent_no_store_even_refused_early(
    world: World,
) -> None:
    """The code-and-PIN pages have no secret in their URL: the middleware covers them by
    module, so a refusal answered before the view (a failed CSRF check) is not stored either."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.2.0.1")
    responses = {
        "sign-in page": browser.get("/practice/sign-in/"),
        "sign-in without CSRF": browser.post("/practice/sign-in/", {"code": "x", "pin": "1"}),
        "his log without CSRF": browser.post("/practice/account/", {}),
        "his page, not signed in": browser.get("/practice/"),
    }

    assert responses["sign-in without CSRF"].status_code == 403
    for label, response in responses.items():
        assert "no-store" in response.get("Cache-Control", ""), label
