"""Twilio's Messages API through Twilio's own library (``twilio``, pinned in pyproject.toml)."""

from __future__ import annotations

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from alliance.sms.backends import SmsSendError, Text

TIMEOUT_SECONDS = 10


class TwilioBackend:
    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sender: str,
        http_client: TwilioHttpClient | None = None,
    ) -> None:
        self.client = Client(
            account_sid,
            auth_token,
            http_client=http_client or TwilioHttpClient(timeout=TIMEOUT_SECONDS),
        )
        self.sender = sender

    def send(self, text: Text) -> str:
        options: dict[str, str] = {"to": text.to, "body": text.body}
        if self.sender.startswith("MG"):
            options["messaging_service_sid"] = self.sender
        else:
            options["from_"] = self.sender
        if text.status_callback:
            options["status_callback"] = text.status_callback
        try:
            message = self.client.messages.create(**options)
        except TwilioRestException as exc:
            # Twilio's own error code (21610: he replied STOP; 21211: not a valid number) and
            # HTTP status; never its message, which can quote the number.
            raise SmsSendError(
                f"Twilio refused the text (error {exc.code}, HTTP {exc.status})."
            ) from None
        except (TwilioException, OSError) as exc:
            raise SmsSendError(f"Twilio could not be reached ({type(exc).__name__}).") from None
        return str(message.sid)
