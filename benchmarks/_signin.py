"""A signed-in demo user for the benchmarks, past the second factor as after a real code.

``Client.login`` cannot be used: django-axes needs the request, and every staff page needs a
session that passed two-factor authentication.
"""

from __future__ import annotations

from typing import Any


def verified_client(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from alliance.organizations.models import Authenticator

    client = Client()
    user = get_user_model().objects.get(username=username)
    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise SystemExit(f"the demo login {username!r} has no authenticator: rebuild the demo")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
