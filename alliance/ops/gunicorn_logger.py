"""gunicorn's logger for ``alliance serve``: tokens masked, the client's real address.

Every string atom of the access log (request line, path, query, referrer, headers) goes
through :func:`alliance.ops.log_privacy.mask_tokens`, and both gunicorn loggers (access and
error) carry the :class:`~alliance.ops.log_privacy.MaskTokens` filter, so a token never reaches
the log in any format an operator configures. ``%(h)s`` is the client as
``alliance.organizations.client_address`` sees it (``X-Forwarded-For`` from a trusted proxy).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gunicorn import glogging

from alliance.ops.log_privacy import MaskTokens, mask_tokens


class Logger(glogging.Logger):  # type: ignore[misc]
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, MaskTokens) for f in log.filters):
                log.addFilter(MaskTokens())

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: dt.timedelta
    ) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        masked = {k: mask_tokens(v) if isinstance(v, str) else v for k, v in atoms.items()}
        masked["h"] = _client(environ)
        return masked


def _client(environ: dict[str, Any]) -> str:
    from django.core.exceptions import ImproperlyConfigured

    from alliance.organizations.client_address import client_of_environ

    try:
        return client_of_environ(environ) or "-"
    except ImproperlyConfigured:  # outside Django (a bare gunicorn): the peer, as gunicorn does
        return str(environ.get("REMOTE_ADDR", "-"))
