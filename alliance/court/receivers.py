"""After every stored verdict on an enrollment, open or close its breach (``services``).

The compliance engine's verdict is stored by ``participants.services.refresh_standing`` and
the status services; listening to the save keeps participants free of any knowledge of
courts. (A bulk refresh with ``bulk_update`` sends no signal; the next single refresh of that
man catches up.)
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from alliance.participants.models import Enrollment

WATCHED = {"standing", "status"}


@receiver(post_save, sender=Enrollment, dispatch_uid="court-breach-sync")
def enrollment_saved(
    sender: type[Enrollment],
    instance: Enrollment,
    created: bool,
    update_fields: frozenset[str] | None = None,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    if raw or created:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return
    from alliance.court.services import sync_breach

    sync_breach(instance, today=timezone.localdate(timezone=instance.program.tzinfo))
