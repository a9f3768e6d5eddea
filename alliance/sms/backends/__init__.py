"""Where texts go: chosen by ``settings.SMS_BACKEND`` like Django's ``EMAIL_BACKEND``.

- ``console``: printed to standard output (the default, and the demo's);
- ``file``: one file per text in ``SMS_FILE_PATH``;
- ``locmem``: appended to :data:`alliance.sms.backends.locmem.outbox` (tests);
- ``twilio``: Twilio's Messages API through its library (``twilio``).

Each backend has one method, ``send(text) -> provider id``, and raises
:class:`SmsSendError` with a message safe to store (no number, no body) when the provider
refuses or cannot be reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True)
class Text:
    #: E.164.
    to: str
    body: str
    #: Where the provider reports delivery ("" for none).
    status_callback: str = ""


class SmsSendError(Exception):
    """The provider refused the text or could not be reached; the message names neither the
    number nor the body."""


class SmsBackend(Protocol):
    def send(self, text: Text) -> str: ...


def get_backend(name: str | None = None) -> SmsBackend:
    name = name or settings.SMS_BACKEND
    if name == "console":
        from alliance.sms.backends.console import ConsoleBackend

        return ConsoleBackend()
    if name == "file":
        from alliance.sms.backends.filebased import FileBackend

        return FileBackend(settings.SMS_FILE_PATH)
    if name == "locmem":
        from alliance.sms.backends.locmem import LocmemBackend

        return LocmemBackend()
    if name == "twilio":
        from alliance.sms.backends.twilio import TwilioBackend

        return TwilioBackend(
            account_sid=settings.TWILIO_ACCOUNT_SID,
            auth_token=settings.TWILIO_AUTH_TOKEN,
            sender=settings.TWILIO_FROM,
        )
    raise ValueError(f"SMS_BACKEND: no backend called {name!r}.")
