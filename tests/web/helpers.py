"""Small assertions shared by the HTTP tests."""

from __future__ import annotations

import difflib

from django.http import HttpResponse

HTMX = {"HX-Request": "true"}
MISSING_ID = 987654


def assert_same_not_found(forbidden: HttpResponse, missing: HttpResponse) -> None:
    """Forbidden and missing must be indistinguishable: same status, same body."""
    assert forbidden.status_code == 404
    assert missing.status_code == 404
    if forbidden.content != missing.content:
        diff = difflib.unified_diff(
            missing.content.decode().splitlines(),
            forbidden.content.decode().splitlines(),
            "missing",
            "forbidden",
            lineterm="",
        )
        raise AssertionError(
            "a forbidden record's 404 differs from a missing one's:\n" + "\n".join(diff)
        )


def assert_redirects_to_login(response: HttpResponse, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert path in response["Location"]


def text(response: HttpResponse) -> str:
    return response.content.decode()
