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

    An existing database file is never opened here, only chmod-ed: closing any descriptor of a
    file releases every POSIX lock this process holds on it, so opening and closing the live
    database while another thread's connection holds SQLite's lock would silently drop that
    lock (seen under load as "disk I/O error"). Only a missing file is created, exclusively.
    """
    if path.parent.is_dir() and not path.exists():
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
        except FileExistsError:  # another thread or process created it just now
            pass
        else:
            os.close(descriptor)
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        try:
            found = candidate.stat()
        except FileNotFoundError:
            continue
        mode = stat.S_IMODE(found.st_mode)
        if found.st_uid == os.geteuid() and mode & 0o077:
            candidate.chmod(mode & 0o700)
