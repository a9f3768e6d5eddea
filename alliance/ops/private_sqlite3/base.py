"""Django's SQLite backend; every connection first makes sure the file is owner-only."""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base

from alliance.ops.owner_only import database_file, keep_private


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: Any) -> Any:
        path = database_file(conn_params.get("database", ""))
        if path is not None:
            keep_private(path)
        return super().get_new_connection(conn_params)
