"""Error pages with the site's header and a way on (issue 18, D17).

Django renders ``templates/404.html``, ``403.html`` and ``500.html`` itself (its default
handlers). The 404 is also what a forbidden record answers (``access_*`` functions raise
``Http404`` for "missing" and "forbidden" alike), so its wording never says which it was.

``500.html`` is rendered with an empty context and no request: it must not need the database,
the session or a context processor (the error may be the database).

Django has no handler for 405; its ``HttpResponseNotAllowed`` has an empty body, which a
browser shows as a blank page. ``MethodNotAllowedPage`` gives it a page, keeping the status
and the ``Allow`` header.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class MethodNotAllowedPage:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response  # the REST API answers 405 in JSON itself
        if getattr(response, "streaming", False) or response.content:
            return response
        allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
        response.content = render_to_string(
            "405.html", {"allowed": allowed, "method": request.method}, request=request
        ).encode()
        response["Content-Type"] = "text/html; charset=utf-8"
        return response
