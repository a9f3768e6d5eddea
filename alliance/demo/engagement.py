"""Demo step: refit each demo organization's dropout model and raise this week's alerts."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from alliance.engagement.services import fit_dropout_model, raise_outreach_alerts
from alliance.organizations.models import Organization

log = logging.getLogger(__name__)


@dataclass
class EngagementDemo:
    dropout_models_adopted: int = 0
    outreach_alerts: int = 0


def add_engagement(*, seed: int, today: dt.date) -> EngagementDemo:
    """Never lets the demo fail: the early warning is an extra, not part of the record."""
    result = EngagementDemo()
    for organization in Organization.objects.all():
        try:
            fitted = fit_dropout_model(organization=organization, today=today)
            result.dropout_models_adopted += int(fitted.adopted)
            created = raise_outreach_alerts(organization=organization, today=today)
            result.outreach_alerts += len(created)
        except Exception:  # the demo must still build; say why in the log
            log.exception("engagement demo step failed for %s", organization)
    return result
