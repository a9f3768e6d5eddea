"""Database files readable by their owner only (mode 0600).

SQLite creates a missing database file with the process umask (``-rw-r--r--`` under the usual
022), so any local user could read the clinical data of a database that ``alliance demo``,
``migrate``, ``serve`` or ``restore`` created. :func:`keep_private` creates the file owner-only
*before* SQLite opens it (there is no moment when others may open it), and narrows a file
created earlier with wider modes, with its ``-wal``, ``-shm`` and ``-journal`` files. SQLite
gives the side files it creates later the database file's own mode, so they stay owner-only.
No Django here: backups use it on plain connections.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

OWNER_ONLY = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")


def database_file(name: object) -> Path | None:
    """The file a SQLite ``NAME`` opens, or None for an in-memory or URI database."""
    text = str(name)
    if not text or text == ":memory:" or text.startswith("file:"):
        return None
    return Path(text)


def keep_private(path: Path) -> None:
    """Create ``path`` owner-only unless it exists; narrow it and its side files to 0600.

    Files another user owns are left alone (chmod would fail; they are that user's to fix).
    """
    if path.parent.is_dir():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, OWNER_ONLY))
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        try:
            found = candidate.stat()
        except FileNotFoundError:
            continue
        mode = stat.S_IMODE(found.st_mode)
        if found.st_uid == os.geteuid() and mode & 0o077:
            candidate.chmod(mode & 0o700)
