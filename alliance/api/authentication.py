"""How an API request says who it is.

``Authorization: Bearer alk_...`` with a live integration key, or the browser session of a
staff member who passed two-factor sign-in (so staff can read the browsable reference).
Anything else is unauthenticated (401).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from alliance.api.keys import matches, split
from alliance.api.models import IntegrationKey

#: ``last_used_at`` is written at most this often per key (it is a hint, not a log; the
#: access log records every use).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class IntegrationKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, IntegrationKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme != self.keyword:
            return None
        parts = split(token.strip())
        refused = exceptions.AuthenticationFailed("Unknown, malformed or revoked key.")
        if parts is None:
            raise refused
        prefix, secret = parts
        key = IntegrationKey.objects.select_related("user").filter(prefix=prefix).first()
        if key is None or not matches(secret, key.secret_sha256):
            raise refused
        if not key.is_live or not key.user.is_active:
            raise refused
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            IntegrationKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return key.user, key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """A staff member's session, only once two-factor sign-in is done (as for every page)."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not getattr(user, "is_verified", lambda: False)():
            return None
        return result


class IntegrationKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the OpenAPI schema describes an integration key."""

    target_class = "alliance.api.authentication.IntegrationKeyAuthentication"
    name = "IntegrationKey"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An integration key (alk_...) made on Settings > Integrations.",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "alliance.api.authentication.VerifiedSessionAuthentication"
    name = "StaffSession"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "A staff member's browser session after two-factor sign-in.",
        }
