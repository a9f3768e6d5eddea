"""``Cache-Control: no-store`` on every response a browser or proxy must not keep.

Enforced here rather than view by view, because a forgotten decorator was exactly the
December finding (L5): a notification page with her safe times, and the partner record
re-rendered after a refused POST, were sent without it. The rule covers

* every response of a partner-safety or incident view (any view in ``alliance.safety`` or
  ``alliance.incidents``), whatever its status: the page, a refused form, a 404, a redirect
  to sign in;
* every download: any response with a ``Content-Disposition`` or that is not an HTML page
  (PDFs, CSV files, zip archives, plain-text errors);
* every page reached with a secret in its URL (a man's phone link or a kiosk code);
* every page of a man's own practice (``alliance.practice.phone``), whether reached by his
  link or by his code-and-PIN session, and its sign-in page.

Pages that show a secret after a POST (the practice link, a practice or kiosk PIN) also carry
``never_cache`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

#: Views defined in these packages are never cached.
NO_STORE_PACKAGES = ("alliance.safety.", "alliance.incidents.", "alliance.practice.phone")
#: URL keyword arguments that carry a secret (see ``alliance.audit.services.SECRET_KWARGS``).
SECRET_KWARGS = frozenset({"token"})


def must_not_be_stored(request: HttpRequest, response: HttpResponse) -> bool:
    match = request.resolver_match
    if match is not None:
        module = getattr(match.func, "__module__", "") or ""
        if module.startswith(NO_STORE_PACKAGES):
            return True
        if SECRET_KWARGS & set(match.kwargs):
            return True
    if response.has_header("Content-Disposition"):
        return True
    content_type = response.get("Content-Type", "") or ""
    return bool(content_type) and not content_type.startswith("text/html")


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if must_not_be_stored(request, response):
            # no-cache, no-store, must-revalidate, private, max-age=0, and an Expires now.
            add_never_cache_headers(response)
        return response
