"""``alliance totp-code USERNAME``: the current two-factor code of a demo login.

Refused unless every organization in the database is the demo's: on a real database this
would defeat two-factor authentication for anyone with shell access.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.organizations.models import Organization
from alliance.organizations.twofactor import DEMO_SLUG, confirmed_authenticator, current_code


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo login (demo databases only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        slugs = set(Organization.objects.values_list("slug", flat=True))
        if slugs != {DEMO_SLUG}:
            raise CommandError(
                "totp-code works only on the demo database; real logins use their own "
                "authenticator app or a recovery code."
            )
        user = get_user_model().objects.filter(username=options["username"]).first()
        device = confirmed_authenticator(user) if user is not None else None
        if device is None:
            raise CommandError(f"username: no demo login {options['username']!r} with 2FA.")
        self.stdout.write(current_code(device))
