"""Where to go after a form: the one place that reads a ``next`` parameter.

``next`` comes from the browser, so it is data. Only a path on this site passes, and it is
always sent as a URL (never looked up as a view name: ``redirect("'")`` raised
``NoReverseMatch``, a 500). Anything else, including scheme-relative ``//evil`` and
``/\\evil`` that browsers read as another host, falls back to a page the caller chooses.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def is_local_path(target: str, request: HttpRequest) -> bool:
    """True for "/some/path?query" on this site; false for anything with a host or scheme."""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return False  # control characters: some browsers drop them and read "//" after all
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def next_path(request: HttpRequest, *, default: str) -> str:
    """The request's ``next`` (posted first, then in the query) if it is a local path."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_local_path(target, request) else default


def redirect_to_next(request: HttpRequest, *, default: str) -> HttpResponseRedirect:
    """Redirect to the request's local ``next``, else to ``default`` (a URL, not a view name)."""
    return HttpResponseRedirect(next_path(request, default=default))
