"""Finding L10: recipient details (a judge's or an officer's name, the agency) are posted, never
put in a query string, so they stay out of the access log and the browser history."""

from __future__ import annotations

import re

from alliance.audit.models import AccessEvent
from alliance.reports.models import SentDocument

SECRET_NAME = "Judge Dredd"
SECRET_ORG = "Mega City Court"


def test_the_preview_forms_post_with_a_csrf_token(reports_world, as_user) -> None:
    client = as_user(reports_world.mona)
    pages = [
        f"/enrollments/{reports_world.good.pk}/reports/compliance_report/",
        f"/programs/{reports_world.program.pk}/reports/",
        f"/programs/{reports_world.program.pk}/reports/monthly/",
    ]
    for path in pages:
        body = client.get(path).content.decode()
        # Every form but the header's participant search (a GET by design: it carries only
        # what the user typed, docs/security.md) posts.
        forms = [f for f in re.findall(r"<form\b[^>]*>", body) if 'role="search"' not in f]
        recipient_forms = [
            f for f in re.split(r"<form\b", body)[1:] if 'name="recipient_organization"' in f
        ]
        assert recipient_forms, path
        assert not any('method="get"' in f for f in forms), path
        for form in recipient_forms:
            assert form.lstrip().startswith('method="post"'), path
            assert "csrfmiddlewaretoken" in form, path


def test_a_preview_is_posted_and_the_recipient_stays_out_of_the_path_and_log(
    reports_world, as_user
) -> None:
    client = as_user(reports_world.mona)
    path = f"/enrollments/{reports_world.good.pk}/reports/compliance_report/"
    response = client.post(
        path,
        {
            "action": "preview",
            "recipient_kind": "court",
            "recipient_organization": SECRET_ORG,
            "recipient_name": SECRET_NAME,
        },
    )
    assert response.status_code == 200
    assert f"To: {SECRET_ORG}, attention {SECRET_NAME}" in response.content.decode()
    request = response.wsgi_request
    # What a front proxy or gunicorn writes to its access log: method, path, query string.
    request_line = f"{request.method} {request.get_full_path()}"
    assert SECRET_NAME not in request_line
    assert "Judge" not in request_line
    assert "recipient" not in request.META.get("QUERY_STRING", "")
    logged = list(AccessEvent.objects.values_list("path", flat=True))
    assert logged, "the access log records report pages"
    assert not any("Judge" in p or "Mega" in p or "recipient" in p for p in logged)
    assert SentDocument.objects.count() == 0


def test_a_get_with_recipient_details_in_the_query_string_ignores_them(
    reports_world, as_user
) -> None:
    client = as_user(reports_world.mona)
    response = client.get(
        f"/enrollments/{reports_world.good.pk}/reports/compliance_report/",
        {
            "recipient_kind": "court",
            "recipient_organization": SECRET_ORG,
            "recipient_name": SECRET_NAME,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET_NAME not in body
    assert SECRET_ORG not in body
    # It shows the referral contact recorded on the enrollment instead.
    assert "To: Riverside Probation, attention P. Officer" in body
    monthly = client.get(
        f"/programs/{reports_world.program.pk}/reports/monthly/",
        {"month": "2025-02", "recipient_organization": SECRET_ORG, "recipient_name": SECRET_NAME},
    )
    assert monthly.status_code == 200
    assert SECRET_ORG not in monthly.content.decode()
    assert SECRET_NAME not in monthly.content.decode()


def test_the_monthly_preview_is_posted(reports_world, as_user) -> None:
    client = as_user(reports_world.mona)
    response = client.post(
        f"/programs/{reports_world.program.pk}/reports/monthly/",
        {
            "action": "preview",
            "month": "2025-02",
            "recipient_kind": "funder",
            "recipient_organization": SECRET_ORG,
            "recipient_name": SECRET_NAME,
        },
    )
    assert response.status_code == 200
    assert SECRET_NAME in response.content.decode()
    assert SECRET_NAME not in response.wsgi_request.get_full_path()
    assert SentDocument.objects.count() == 0


def test_a_preview_needs_only_read_access_and_sends_nothing(reports_world, as_user) -> None:
    # A facilitator may read his compliance report but not send it: posting a preview works,
    # posting "send" is the same 404 as before.
    client = as_user(reports_world.alice)
    path = f"/enrollments/{reports_world.good.pk}/reports/compliance_report/"
    data = {"recipient_kind": "probation", "recipient_organization": "Riverside Probation"}
    assert client.post(path, data | {"action": "preview"}).status_code == 200
    assert client.post(path, data | {"action": "send"}).status_code == 404
    assert SentDocument.objects.count() == 0
