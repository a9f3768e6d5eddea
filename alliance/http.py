"""The signed-in user of a request, typed for the services that record who acted."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (django-htmx's documented typing)."""

    htmx: HtmxDetails


def actor(request: HttpRequest) -> User:
    """The staff user who made ``request``, for a service's ``actor=`` argument.

    ``request.user`` is typed ``User | AnonymousUser``; every view that writes is behind
    ``login_required`` and an ``access_*`` check, so an anonymous user here is a wiring mistake.
    It gets the same 404 as any forbidden page rather than reaching a service as "nobody".
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        raise Http404("No such page.")
    return user
