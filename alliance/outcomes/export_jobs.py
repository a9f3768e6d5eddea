"""Research exports produced in the background, then downloaded until they expire.

Building the de-identified tables reads every enrollment, mark and score of the programs; at
10,000 men that is longer than a web request may take. The page records what was asked for
(``request_research_export``) and a task produces the zip (``produce_research_export``); the
person then downloads it from the export's own page. The file is kept
``settings.RESEARCH_EXPORT_HOURS`` hours, then deleted (``forget_expired``, run by every new
export and by each download attempt), so a de-identified file does not linger.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alliance.core.outcomes.research import DateMode
from alliance.organizations.models import Membership
from alliance.outcomes.models import ExportStatus, ResearchExport
from alliance.outcomes.research_export import FileFormat, research_export
from alliance.programs.models import Program

log = logging.getLogger(__name__)


def forget_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the files of exports past their time; the rows stay (who asked for what)."""
    now = now or timezone.now()
    return ResearchExport.objects.filter(expires_at__lte=now, content__isnull=False).update(
        content=None
    )


def request_research_export(
    *,
    membership: Membership,
    program_ids: list[int],
    fmt: FileFormat,
    date_mode: DateMode,
    today: dt.date,
) -> ResearchExport:
    """Record the request and enqueue its production (after the request commits)."""
    from alliance.outcomes.tasks import produce_research_export_task

    forget_expired()
    export = ResearchExport.objects.create(
        organization_id=membership.organization_id,
        requested_by_id=membership.user_id,
        requested_at=timezone.now(),
        program_ids=sorted(program_ids),
        file_format=fmt.value,
        date_mode=date_mode.value,
        produced_on=today,
    )
    # Who exported what, without a single value from the file.
    log.info(
        "research export %s requested by user %s (%s): %s, dates %s",
        export.pk,
        membership.user_id,
        membership.role,
        fmt.value,
        date_mode.value,
    )
    transaction.on_commit(lambda: produce_research_export_task.enqueue(export_id=export.pk))
    return export


def produce_research_export(export_id: int) -> None:
    """Build the zip of a requested export and keep it until it expires (the task's body)."""
    export = ResearchExport.objects.get(pk=export_id)
    if export.status != ExportStatus.QUEUED:
        return  # a second run of the same task (a worker restarted mid-way) does nothing
    try:
        data, archive = research_export(
            Program.objects.filter(
                pk__in=export.program_ids, organization_id=export.organization_id
            ),
            fmt=FileFormat(export.file_format),
            date_mode=DateMode(export.date_mode),
            produced=export.produced_on,
        )
    except Exception:
        ResearchExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        log.exception("research export %s failed", export.pk)
        raise
    now = timezone.now()
    export.content = archive
    export.filename = f"alliance-research-{export.file_format}-{export.produced_on.isoformat()}.zip"
    export.enrollments = len(data.enrollments.frame)
    export.men = data.men
    export.status = ExportStatus.READY
    export.finished_at = now
    export.expires_at = now + dt.timedelta(hours=settings.RESEARCH_EXPORT_HOURS)
    export.save()
    log.info(
        "research export %s produced: %d enrollments of %d men",
        export.pk,
        export.enrollments,
        export.men,
    )
