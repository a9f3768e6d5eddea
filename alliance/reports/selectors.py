from __future__ import annotations

from django.db.models import QuerySet

from alliance.participants.models import Enrollment
from alliance.programs.models import Program
from alliance.reports.models import SentDocument


def _log(documents: QuerySet[SentDocument]) -> QuerySet[SentDocument]:
    # The stored HTML and PDF are large; a log page needs neither.
    return documents.defer("html", "pdf").select_related(
        "sent_by", "enrollment__participant", "corrects"
    )


def enrollment_log(enrollment: Enrollment) -> QuerySet[SentDocument]:
    return _log(SentDocument.objects.filter(enrollment=enrollment))


def program_log(program: Program) -> QuerySet[SentDocument]:
    return _log(SentDocument.objects.filter(program=program))
