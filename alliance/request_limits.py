"""Refuse an oversized request body before anything reads it.

Django caps a form's fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not an uploaded file, and
``CsrfViewMiddleware`` parses a multipart body (spooling every file to disk) before a view
can look at its size. So the declared ``Content-Length`` is checked here, ahead of the CSRF
check; a body without one is read as empty by Django's WSGI request, so nothing slips past.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Too large · Alliance</title>"
    "<h1>Too large</h1><p>This request is larger than {limit} MB, so it was not read. "
    "If you were uploading a file, split it into smaller files.</p></html>"
)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit: int = settings.MAX_REQUEST_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads an unparsable length as no body at all
        if declared > limit:
            return HttpResponse(
                _PAGE.format(limit=limit // (1024 * 1024)),
                status=413,
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)
