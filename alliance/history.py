"""Who and why for django-simple-history, set on an instance before it is saved.

simple-history reads two undeclared attributes when it writes the historical row:
``_history_user`` (who made the change; otherwise the thread's request user, which services
called outside a request do not have) and ``_change_reason``. These helpers are the one place
that sets them, so the services stay typed.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

#: The attributes simple-history's ``pre_save``/``post_save`` handlers read.
HISTORY_USER = "_history_user"
CHANGE_REASON = "_change_reason"


def set_history_user(instance: models.Model, user: AbstractBaseUser | None) -> None:
    """Record ``user`` as the author of ``instance``'s next historical row (None: unknown)."""
    setattr(instance, HISTORY_USER, user)


def set_change_reason(instance: models.Model, reason: str) -> None:
    """Record ``reason`` on ``instance``'s next historical row."""
    setattr(instance, CHANGE_REASON, reason)
