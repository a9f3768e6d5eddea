from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(*, sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Every migrate (``alliance migrate``, ``serve``, ``demo``, the test database) also makes
    the database cache's table, so the shared cache works on a fresh machine. A no-op when the
    table exists or the cache is Redis."""
    from django.core.management import call_command

    # post_migrate is sent once per app that has models (this one has none): act on one.
    if sender.label != "sessions":
        return
    call_command("createcachetable", database=using, verbosity=0)


class OpsConfig(AppConfig):
    name = "alliance.ops"
    label = "ops"
    verbose_name = "Operations: backup and restore"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, dispatch_uid="alliance-cache-table")
