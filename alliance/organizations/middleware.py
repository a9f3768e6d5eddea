"""Request-wide rules for staff: two-factor authentication, and the organization's time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from alliance.organizations.permissions import membership_of
from alliance.organizations.twofactor import confirmed_authenticator


class OrganizationTimeZoneMiddleware:
    """Show dates and times in the organization's time zone for signed-in staff."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = membership_of(request.user)
        if membership is not None:
            timezone.activate(zoneinfo.ZoneInfo(membership.organization.time_zone))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


#: The only views reachable without a verified second factor: signing in and out, accepting a
#: staff invitation, setting up and entering the second factor, and a man's own token pages
#: (phone links, kiosks, his code-and-PIN practice session), which are not staff sessions.
#: Every other view, including any added later, needs a login that passed two-factor
#: authentication.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "two-factor-setup",
        "two-factor-verify",
        # An invitee choosing his password; he sets up two-factor sign-in right after.
        "staff-invitation",
        # alliance.portal: an invited probation officer or court clerk choosing his password.
        "portal-invitation",
        # alliance.measures: one-time links and group-room kiosks.
        "measures-link",
        "measures-link-save",
        "kiosk",
        "kiosk-pin",
        "kiosk-checkout",
        "kiosk-save",
        # alliance.practice: a man's phone link to his homework.
        "practice-phone",
        "practice-phone-do",
        "practice-phone-account",
        "practice-phone-reminders",
        "practice-phone-progress",
        # The same pages through his code-and-PIN practice session (alliance.practice.pins).
        "practice-sign-in",
        "practice-sign-out",
        "practice-me",
        "practice-me-do",
        "practice-me-account",
        "practice-me-reminders",
        "practice-me-progress",
        # alliance.intake: his one-time link to sign the participant agreement on his phone.
        "agreement-phone",
        # alliance.sms: Twilio's webhooks (replies such as STOP, delivery receipts); each
        # request must carry Twilio's signature.
        "sms-twilio-inbound",
        "sms-twilio-status",
    }
)


class TwoFactorRequiredMiddleware:
    """Send every request for a staff view to log in, then through two-factor authentication.

    Runs after ``django_otp.middleware.OTPMiddleware``. Static files never get here
    (whitenoise answers them first).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        if (
            match is not None
            and match.view_name.startswith("api:")
            and (match.view_name != "api:reference")
        ):
            # The REST API authenticates each request itself (an integration key, or a
            # session that passed two-factor sign-in) and answers 401/403 in JSON.
            return None
        user = request.user
        next_path = request.get_full_path()
        if not user.is_authenticated:
            return redirect_to_login(next_path)
        if user.is_verified():  # type: ignore[attr-defined]
            return None
        step = "two-factor-verify" if confirmed_authenticator(user) else "two-factor-setup"
        return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': next_path})}")
