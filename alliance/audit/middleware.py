"""Logs every staff request that concerns one man's record (see ``services.subjects_of``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from alliance.audit.services import subjects_of, write_events


class AccessLogMiddleware:
    """Writes the access log after the view has answered, with the answer's status.

    Only signed-in staff are logged: an anonymous visitor is sent to the login page before
    any record is read, and a man's own phone or kiosk pages are his, not a view of a record.
    Refusals (404) are logged too, so that a supervisor sees attempts outside someone's scope.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        subjects = subjects_of(request)
        if subjects:
            write_events(request=request, status=response.status_code, subjects=subjects)
        return response
