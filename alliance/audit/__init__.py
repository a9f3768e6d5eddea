"""The access log of participant records (who looked at which man's record, when, how).

Views whose URL names a man (``participant_id`` or ``enrollment_id``) are logged by
``AccessLogMiddleware`` without doing anything; a view that shows one man without naming him
in its URL calls ``audit.record(request, enrollment_id=...)`` after its access check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest


def record(
    request: HttpRequest, *, participant_id: int | None = None, enrollment_id: int | None = None
) -> None:
    """See ``alliance.audit.services.record`` (imported late: this package loads before the
    app registry is ready)."""
    from alliance.audit.services import record as _record

    _record(request, participant_id=participant_id, enrollment_id=enrollment_id)
