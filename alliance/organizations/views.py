"""Signing in: the second factor (set-up and entry) and the lockout page's login view."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from alliance.organizations import twofactor
from alliance.redirects import next_path


def _next(request: HttpRequest) -> str:
    return next_path(request, default=resolve_url(settings.LOGIN_REDIRECT_URL))


class SignInView(auth_views.LoginView):
    """Django's login page, with ``next`` read by the one safe-redirect helper."""

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        return next_path(request or self.request, default="")


def _step(name: str, target: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': target})}")


def _private(response: HttpResponse) -> HttpResponse:
    # Secrets and recovery codes must not stay in a browser or proxy cache.
    add_never_cache_headers(response)
    response["Cache-Control"] += ", no-store, private"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show the secret, confirm with a code, show recovery codes.

    Only for a user without a confirmed authenticator: otherwise someone holding just the
    password could add his own device.
    """
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    target = _next(request)
    if twofactor.confirmed_authenticator(user) is not None:
        return _step("two-factor-verify", target)
    enrolment = twofactor.start_enrolment(user)
    error = ""
    if request.method == "POST":
        try:
            codes = twofactor.confirm_enrolment(
                request, device=enrolment.device, code=request.POST.get("code", "")
            )
        except twofactor.CodeRefused as refused:
            error = refused.message
        else:
            return _private(
                render(
                    request, "registration/recovery_codes.html", {"codes": codes, "next": target}
                )
            )
    context = {"enrolment": enrolment, "error": error, "next": target}
    return _private(render(request, "registration/two_factor_setup.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Enter a code from the authenticator app, or a recovery code."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    target = _next(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(target)
    if twofactor.confirmed_authenticator(user) is None:
        return _step("two-factor-setup", target)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            twofactor.verify_second_factor(request, code=request.POST.get("code", ""))
        except twofactor.CodeRefused as refused:
            error = refused.message
            status = 400
        else:
            return HttpResponseRedirect(target)
    context = {"error": error, "next": target}
    return _private(render(request, "registration/two_factor_verify.html", context, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Two-factor: new recovery codes, confirmed with a current code from the authenticator app.

    The middleware lets only a verified session in. The new codes are shown once; the old ones
    stop working.
    """
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    if twofactor.confirmed_authenticator(user) is None:
        return _step("two-factor-setup", resolve_url(settings.LOGIN_REDIRECT_URL))
    error = ""
    status = 200
    if request.method == "POST":
        try:
            codes = twofactor.replace_recovery_codes(request, code=request.POST.get("code", ""))
        except twofactor.CodeRefused as refused:
            error = refused.message
            status = 400
        else:
            context = {"codes": codes, "replaced": True, "next": reverse("home")}
            return _private(render(request, "registration/recovery_codes.html", context))
    return _private(
        render(request, "registration/new_recovery_codes.html", {"error": error}, status=status)
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """django-axes' answer to a locked-out login (``AXES_LOCKOUT_CALLABLE``)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked.html", {"minutes": minutes}, status=429)
