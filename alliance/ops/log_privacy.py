"""Keep participant tokens out of every log line.

A man's phone link (``/p/<token>/``), measures link (``/r/<token>/``) and the group room's
kiosk (``/kiosk/<token>/``) are bearer secrets, and so is a staff invitation
(``/staff/invitation/<token>/``, an officer's ``/portal/invitation/<token>/``): whoever
reads one from a log can open his homework, write in his name or take the invitation until it
expires. Django logs request paths (``django.request``
for every 4xx/5xx, ``django.server`` under ``runserver``) and gunicorn logs every request line
and referrer, so the token is masked where the log record is made, not by whoever reads it.

:func:`mask_tokens` is the one rule; :class:`MaskTokens` applies it to a log record (installed
on every handler in ``settings.LOGGING`` and on gunicorn's loggers by
``alliance.ops.gunicorn_logger``).
"""

from __future__ import annotations

import logging
import re

#: The path before the token segment of every URL that carries a token. A test walks the
#: URLconf and fails when a ``<token>`` pattern is added under another prefix.
TOKEN_PREFIXES = ("r", "kiosk", "p", "a", "staff/invitation", "portal/invitation")
MASK = "<token>"

# The prefix must start a path: at the start of the text, after a space, quote or "=", or
# right after a URL's host ("https://host/p/...").
_PREFIX = "|".join(TOKEN_PREFIXES)
_TOKEN_IN_PATH = re.compile(
    rf"((?:^|(?<=[\s\"'(=])|://[^/\s\"']*)/(?:{_PREFIX})/)[^/?#\s\"'<>]+",
    re.MULTILINE,
)


def mask_tokens(text: str) -> str:
    """``text`` with the token segment of every token URL in it replaced by ``<token>``."""
    return _TOKEN_IN_PATH.sub(lambda m: m.group(1) + MASK, text)


class MaskTokens(logging.Filter):
    """Rewrite a record so that its message and traceback carry no token.

    The message is formatted here (``msg % args``) and the arguments dropped, because a token
    usually arrives as an argument (``"Not Found: %s", request.path``).
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_tokens(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_tokens(record.stack_info)
        request = getattr(record, "request", None)
        if request is not None:
            # Handlers that format the request (Django's AdminEmailHandler) read it directly.
            record.request = _MaskedRequest(request)
        return True


class _MaskedRequest:
    """A request whose path and URL read masked; every other attribute is the request's."""

    def __init__(self, request: object) -> None:
        self._request = request

    @property
    def path(self) -> str:
        return mask_tokens(str(getattr(self._request, "path", "")))

    @property
    def path_info(self) -> str:
        return mask_tokens(str(getattr(self._request, "path_info", "")))

    def get_full_path(self) -> str:
        return mask_tokens(self._request.get_full_path())  # type: ignore[attr-defined]

    def build_absolute_uri(self, location: str | None = None) -> str:
        return mask_tokens(self._request.build_absolute_uri(location))  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._request, name)
