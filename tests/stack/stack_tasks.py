"""A task for the production-stack test only: it takes long enough to be caught running, and
appends one line per completed run to a file, so a run lost or repeated is counted."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def slow_marker(path: str, label: str, seconds: float) -> str:
    time.sleep(seconds)
    with open(path, "a", encoding="utf-8") as out:
        out.write(label + "\n")
    return label
